import * as fs from 'fs';
import * as path from 'path';
import { javascript, Project } from 'projen';
import { CliSource, PackageManager } from '../workflow/steps';

/** The npm package whose CLI the verify job runs. */
const CLI_PACKAGE = 'projen-image-release';

/** Lockfiles, in the order they are looked for, with the package manager that reads each. */
const LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ['package-lock.json', 'npm'],
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

function packageManagerOf(project: Project): PackageManager | undefined {
  if (!(project instanceof javascript.NodeProject)) return undefined;
  switch (project.package.packageManager) {
    case javascript.NodePackageManager.PNPM: return 'pnpm';
    case javascript.NodePackageManager.YARN:
    case javascript.NodePackageManager.YARN_CLASSIC: return 'yarn';
    case javascript.NodePackageManager.YARN2:
    case javascript.NodePackageManager.YARN_BERRY: return 'yarn-berry';
    case javascript.NodePackageManager.BUN: return 'bun';
    default: return 'npm';
  }
}

/**
 * Where the verify job gets `image-release`: this package verifying its own release runs its
 * checked-out source; any other repository installs it from its own lockfile, so CI runs the
 * version and integrity the repository reviewed. Reads the lockfile at the repository root.
 */
export function cliSourceOf(project: Project): CliSourceResult {
  if (project instanceof javascript.NodeProject && project.package.packageName === CLI_PACKAGE) return { source: { kind: 'checkout' } };
  const root = project.root.outdir;
  const onDisk = LOCKFILES.find(([file]) => fs.existsSync(path.join(root, file)));
  const packageManager = packageManagerOf(project.root) ?? onDisk?.[1] ?? 'npm';
  const source: CliSource = { kind: 'lockfile', packageManager };
  const fix = `add it to the devDependencies of ${path.relative(process.cwd(), root) || '.'}/package.json (e.g. devDeps: ['${CLI_PACKAGE}']) and install, or set verify: false`;
  if (!onDisk) {
    // projen new installs (and writes the lockfile) after this synthesis: nothing to fix yet.
    if (process.env.PROJEN_CREATE_PROJECT === 'true') return { source };
    return { source, warning: `verify: the verify job installs ${CLI_PACKAGE} from the repository's lockfile, and there is none yet; ${fix}` };
  }
  const [file] = onDisk;
  const text = file === 'bun.lockb' ? '' : fs.readFileSync(path.join(root, file), 'utf-8');
  const entry = lockfileEntry(file, text);
  if (entry === undefined) {
    return { source, warning: `verify: ${file} has no entry for ${CLI_PACKAGE}, so the verify job cannot install it; ${fix}` };
  }
  if (entry !== '' && !/^https:\/\//.test(entry) && !/^\d/.test(entry)) {
    return { source, warning: `verify: ${file} resolves ${CLI_PACKAGE} to ${entry}, which CI cannot install (not a published version); install a published version, or set verify: false` };
  }
  return { source };
}

/** The resolved location of the CLI package in a lockfile: '' when found without one, undefined when absent. */
function lockfileEntry(file: string, text: string): string | undefined {
  if (file === 'package-lock.json') {
    try {
      const lock = JSON.parse(text);
      const entry = lock.packages?.[`node_modules/${CLI_PACKAGE}`] ?? lock.dependencies?.[CLI_PACKAGE];
      return entry ? String(entry.resolved ?? entry.version ?? '') : undefined;
    } catch {
      return undefined;
    }
  }
  const m = new RegExp(`(^|\\n)\\s*['"]?/?${CLI_PACKAGE}[@/:'"]`).exec(text);
  return m ? '' : undefined;
}
