import * as fs from 'fs';
import * as path from 'path';
import { javascript, Project } from 'projen';
import { isBerryLockfile, LockedSource, lockedSource } from './lockfile-entry';
import { CliSource, PackageManager } from '../workflow/steps';

/** The npm package whose CLI the verify job runs. */
const CLI_PACKAGE = 'projen-image-release';

/** Lockfiles, in the order they are looked for, with the package manager that reads each. */
const LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
];

/** How the verify job gets the CLI, and what synthesis should warn about it. */
export interface CliSourceResult {
  readonly source: CliSource;
  /** A warning naming the fix, when the lockfile cannot provide the CLI in CI. */
  readonly warning?: string;
}

/** What the verify job writes into a setup action's version input: a version or a range, no expression. */
const SETUP_VERSION = /^[0-9A-Za-z.^~<>=*|+ -]+$/;

/** The package manager of a projen Node project, with the version projen's build sets it up in. */
function packageManagerOf(project: Project): { packageManager: PackageManager; version?: string } | undefined {
  if (!(project instanceof javascript.NodeProject)) return undefined;
  const pkg = project.package;
  switch (pkg.packageManager) {
    case javascript.NodePackageManager.PNPM: return { packageManager: 'pnpm', version: checkedVersion('pnpmVersion', pkg.pnpmVersion) };
    case javascript.NodePackageManager.YARN:
    case javascript.NodePackageManager.YARN_CLASSIC: return { packageManager: 'yarn' };
    case javascript.NodePackageManager.YARN2:
    case javascript.NodePackageManager.YARN_BERRY: return { packageManager: 'yarn-berry' };
    case javascript.NodePackageManager.BUN: return { packageManager: 'bun', version: checkedVersion('bunVersion', pkg.bunVersion) };
    default: return { packageManager: 'npm' };
  }
}

function checkedVersion(option: string, version: string | undefined): string | undefined {
  if (version !== undefined && !SETUP_VERSION.test(version)) {
    throw new Error(`ImageRelease: verify: ${option} "${version}" of .projenrc is not a version or range the verify job can set up`);
  }
  return version;
}

/**
 * Where the verify job gets `image-release`: this package verifying its own release runs its
 * checked-out source; any other repository installs it from its own lockfile, so CI runs the
 * version and integrity the repository reviewed. Reads the lockfile at the repository root; the
 * package manager and its version come from the project (projen's), else from the lockfile.
 */
export function cliSourceOf(project: Project): CliSourceResult {
  if (project instanceof javascript.NodeProject && project.package.packageName === CLI_PACKAGE) return { source: { kind: 'checkout' } };
  const root = project.root.outdir;
  const onDisk = LOCKFILES.find(([file]) => fs.existsSync(path.join(root, file)));
  const [file, lockfilePm] = onDisk ?? [];
  const text = file === undefined ? '' : fs.readFileSync(path.join(root, file), file === 'bun.lockb' ? 'latin1' : 'utf-8');
  const fromLockfile = lockfilePm === 'yarn' && isBerryLockfile(text) ? 'yarn-berry' : lockfilePm;
  const { packageManager, version } = packageManagerOf(project.root) ?? { packageManager: fromLockfile ?? 'npm' };
  const source: CliSource = { kind: 'lockfile', packageManager, ...(version !== undefined ? { version } : {}) };
  const fix = `add it to the devDependencies of ${path.relative(process.cwd(), root) || '.'}/package.json (e.g. devDeps: ['${CLI_PACKAGE}']) and install, or set verify: false`;
  if (file === undefined) {
    // projen new installs (and writes the lockfile) after this synthesis: nothing to fix yet.
    if (process.env.PROJEN_CREATE_PROJECT === 'true') return { source };
    return { source, warning: `verify: the verify job installs ${CLI_PACKAGE} from the repository's lockfile, and there is none yet; ${fix}` };
  }
  let locked: LockedSource;
  try {
    locked = lockedSource(file, text, CLI_PACKAGE);
  } catch (e) {
    return { source, warning: `verify: ${file} cannot be read (${(e as Error).message.split('\n')[0]}), so the verify job may not install ${CLI_PACKAGE}; fix the lockfile, or set verify: false` };
  }
  if (locked.kind === 'absent') {
    return { source, warning: `verify: ${file} has no entry for ${CLI_PACKAGE}, so the verify job cannot install it; ${fix}` };
  }
  if (locked.kind === 'other') {
    return { source, warning: `verify: ${file} locks ${CLI_PACKAGE} to ${locked.source}, not a version published to a registry, which the verify job cannot install and run in CI; install a published version, or set verify: false` };
  }
  return { source };
}
