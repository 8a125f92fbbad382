import * as fs from 'fs';
import * as path from 'path';
import { javascript, LogLevel } from 'projen';
import { ImageRelease } from '../../src';
import { parseYaml, SAMPLE_DOCKERFILE, synthWithoutInstall, tempDir } from '../util';
import { NpmRegistry, startNpmRegistry } from './npm-registry';
import { childEnv, expectSuccess, git, packLibrary, PROJEN_VERSION, run, Run, stopAll } from './projen-new';

/**
 * The verify job's install, as the workflow runs it, for every package manager projen supports, as
 * projen configures each: a consumer repository whose devDependencies lock projen-image-release
 * (published to a local registry over plain http), its lockfile written by its package manager and
 * committed, cloned fresh; then the verify job's own steps in its order, their `run:` text as the
 * YAML writes it, with CI=true. Only the setup actions have stand-ins: setup-node is this machine's
 * node, pnpm/action-setup and setup-bun install their version input from the npm registry into a
 * temp prefix, and `corepack enable` writes its shims into a temp directory (corepack takes yarn
 * berry from the npm registry, whose packages have no signatures corepack knows on this machine:
 * COREPACK_INTEGRITY_KEYS=0). The verify call
 * itself becomes `plan` of the same tag: the release does not exist.
 */

const TAG = 'v1.0.0';
const SHA = '4444444444444444444444444444444444444444';
const IMAGE = 'ghcr.io/acme/consumer';

let registry: NpmRegistry;
let cliVersion: string;
/** HOME of every command here: the package managers' caches and corepack's downloads stay in it. */
let home: string;
/** yarn classic, which GitHub's runners carry (and npm, which the machine has). */
let runnerTools: string;

beforeAll(async () => {
  registry = await startNpmRegistry();
  const tgz = await packLibrary();
  await registry.publish(tgz);
  cliVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
  home = tempDir();
  runnerTools = tempDir();
  await npmInstallTools(runnerTools, 'yarn@1.22.22');
}, 300_000);

afterAll(() => stopAll());

/** The environment of every command: a user's (see childEnv) with this test's HOME and PATH. */
function env(toolDirs: readonly string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = childEnv();
  return {
    ...base,
    HOME: home,
    // npm's own cache stays the machine's: the tools and the proxied packages come from it.
    npm_config_cache: path.join(process.env.HOME ?? '/root', '.npm'),
    // npm's default, whatever the machine's user configuration says: the lockfile names the tarball.
    npm_config_omit_lockfile_registry_resolved: 'false',
    COREPACK_HOME: path.join(home, 'corepack'),
    // Corepack fetches yarn berry from its own site unless told to use an npm registry.
    COREPACK_NPM_REGISTRY: 'https://registry.npmjs.org',
    COREPACK_INTEGRITY_KEYS: '0',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    PATH: [...toolDirs, base.PATH].join(path.delimiter),
    ...extra,
  };
}

/** npm install of tools (a package manager) into `prefix`, from the npm registry. */
async function npmInstallTools(prefix: string, ...specs: string[]): Promise<void> {
  expectSuccess(await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', ...specs], prefix, env([])), `npm install ${specs.join(' ')}`);
}

/**
 * A directory of tools whose `bin` holds a `corepack` that writes the shims of `corepack enable`
 * into that `bin` instead of node's own directory; its npm-installed tools are in node_modules/.bin.
 */
function toolDir(): { dir: string; path: string[] } {
  const dir = tempDir();
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const corepack = path.join(path.dirname(process.execPath), 'corepack');
  fs.writeFileSync(path.join(bin, 'corepack'), [
    '#!/usr/bin/env bash',
    `if [ "\${1:-}" = enable ]; then shift; exec "${corepack}" enable --install-directory "${bin}" "$@"; fi`,
    `exec "${corepack}" "$@"`,
    '',
  ].join('\n'), { mode: 0o755 });
  return { dir, path: [bin, path.join(dir, 'node_modules/.bin'), path.join(runnerTools, 'node_modules/.bin')] };
}

interface Case {
  readonly name: string;
  readonly options: Partial<javascript.NodeProjectOptions>;
  /** What this machine needs beyond a runner's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** What makes the case what it says, checked in the clone after the job. */
  readonly check?: (clone: string) => void;
}

function yarnrc(extra: javascript.YarnrcOptions = {}): Partial<javascript.NodeProjectOptions> {
  return { npmRegistryUrl: registry.url, yarnBerryOptions: { yarnRcOptions: { npmRegistryServer: registry.url, unsafeHttpWhitelist: ['127.0.0.1'], ...extra } } };
}

/**
 * The stand-in for setup-node is this machine's Node 20; some of projen's devDependencies want the
 * job's Node 22, which yarn classic enforces.
 */
const NODE_20 = { YARN_IGNORE_ENGINES: 'true' };

function packageManagerField(clone: string): string | undefined {
  return JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf-8')).packageManager;
}

const CASES: ReadonlyArray<readonly [string, () => Omit<Case, 'name'>]> = [
  ['npm', () => ({ options: { packageManager: javascript.NodePackageManager.NPM } })],
  ['yarn classic', () => ({ options: { packageManager: javascript.NodePackageManager.YARN_CLASSIC }, env: NODE_20, check: (clone) => expect(fs.readFileSync(path.join(clone, 'yarn.lock'), 'utf-8')).toContain('# yarn lockfile v1') })],
  ['yarn berry (Plug\'n\'Play)', () => ({
    options: { packageManager: javascript.NodePackageManager.YARN_BERRY, ...yarnrc() },
    check: (clone) => expect([fs.existsSync(path.join(clone, '.pnp.cjs')), fs.existsSync(path.join(clone, 'node_modules/.bin/image-release'))]).toEqual([true, false]),
  })],
  ['yarn berry (node-modules linker)', () => ({
    options: { packageManager: javascript.NodePackageManager.YARN_BERRY, ...yarnrc({ nodeLinker: javascript.YarnNodeLinker.NODE_MODULES }) },
    check: (clone) => expect(fs.existsSync(path.join(clone, 'node_modules/.bin/image-release'))).toBe(true),
  })],
  ['pnpm (projen\'s default version)', () => ({ options: { packageManager: javascript.NodePackageManager.PNPM }, check: (clone) => expect(packageManagerField(clone)).toMatch(/^pnpm@\d+\.\d+\.\d+$/) })],
  ['pnpm (a bare-major pnpmVersion)', () => ({ options: { packageManager: javascript.NodePackageManager.PNPM, pnpmVersion: '9' }, check: (clone) => expect(packageManagerField(clone)).toBe('pnpm@9') })],
  ['bun', () => ({ options: { packageManager: javascript.NodePackageManager.BUN }, check: (clone) => expect(fs.existsSync(path.join(clone, 'bun.lock'))).toBe(true) })],
];

/** The consumer's project: its package manager, the CLI in its devDependencies, the local registry. */
function consumer(outdir: string, c: Case): javascript.NodeProject {
  const project = new javascript.NodeProject({
    name: 'consumer',
    outdir,
    defaultReleaseBranch: 'main',
    projenVersion: PROJEN_VERSION,
    devDeps: [`projen-image-release@${cliVersion}`],
    jest: false,
    logging: { level: LogLevel.WARN },
    ...c.options,
  });
  project.npmrc.addRegistry(registry.url);
  new ImageRelease(project, { image: IMAGE, labels: { description: 'A consumer of the CLI' } });
  return project;
}

/** Makes the project and synthesizes it as `npx projen` does (its install aside); returns it and what it warned. */
function synth(make: () => javascript.NodeProject): { project: javascript.NodeProject; warnings: string } {
  const spies = [jest.spyOn(console, 'error'), jest.spyOn(console, 'log'), jest.spyOn(console, 'warn')].map((s) => s.mockImplementation(() => undefined));
  try {
    const project = make();
    synthWithoutInstall(project);
    return { project, warnings: spies.flatMap((s) => s.mock.calls.map((c) => c.join(' '))).join('\n') };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

/** The developer's machine: the package manager as its users install it. */
async function developerTools(project: javascript.NodeProject, extraEnv: NodeJS.ProcessEnv): Promise<string[]> {
  const tools = toolDir();
  const pm = project.package.packageManager;
  if (pm === javascript.NodePackageManager.PNPM) await npmInstallTools(tools.dir, `pnpm@${project.package.pnpmVersion}`);
  if (pm === javascript.NodePackageManager.BUN) await npmInstallTools(tools.dir, `bun@${project.package.bunVersion}`);
  if (pm === javascript.NodePackageManager.YARN_BERRY) expectSuccess(await run('corepack', ['enable'], project.outdir, env(tools.path, extraEnv)), 'corepack enable');
  return tools.path;
}

/**
 * The consumer's repository as its developer leaves it: synthesized, installed (which writes the
 * lockfile against the local registry), synthesized again now that the lockfile is there (what
 * that synthesis warned is returned), and committed.
 */
async function consumerRepository(c: Case): Promise<{ repo: string; before: string; warnings: string }> {
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), SAMPLE_DOCKERFILE);
  const { project: first, warnings: before } = synth(() => consumer(repo, c));
  const tools = await developerTools(first, c.env ?? {});
  const install = async () => {
    const [cmd, ...args] = first.package.installAndUpdateLockfileCommand.split(' ');
    expectSuccess(await run(cmd, args, repo, env(tools, c.env)), first.package.installAndUpdateLockfileCommand);
  };
  await install();
  const { warnings } = synth(() => consumer(repo, c));
  await install();
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'consumer');
  return { repo, before, warnings };
}

/** The verify job of the repository's synthesized workflow. */
function verifyJob(repo: string): any {
  const dir = path.join(repo, '.github/workflows');
  for (const file of fs.readdirSync(dir)) {
    const jobs: Record<string, any> = parseYaml(fs.readFileSync(path.join(dir, file), 'utf-8')).jobs ?? {};
    const job = Object.values(jobs).find((j) => (j.steps ?? []).some((s: any) => /^Verify the release/.test(s.name ?? '')));
    if (job) return job;
  }
  throw new Error('no verify job');
}

/**
 * Runs the verify job's steps in `clone` in their order, up to the verify step: the setup actions
 * through their stand-ins, every `run:` as GitHub runs a bash step. Returns the last step's result
 * and the job summary.
 */
async function runVerifyJob(clone: string, job: any, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ result: Run; summary: string; steps: string[] }> {
  const tools = toolDir();
  const summaryFile = path.join(tempDir(), 'summary.md');
  const steps: string[] = [];
  let result: Run = { code: 0, output: '', seconds: 0 };
  for (const step of job.steps) {
    steps.push(step.name);
    const uses: string | undefined = step.uses;
    if (uses !== undefined) {
      if (/^actions\/(checkout|setup-node)@/.test(uses)) continue;
      if (uses.startsWith('pnpm/action-setup@')) {
        // What the action checks before it installs: the version is package.json's packageManager.
        const packageManager: string | undefined = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf-8')).packageManager;
        if (packageManager !== undefined && packageManager.replace('pnpm@', '') !== String(step.with?.version)) {
          throw new Error(`pnpm/action-setup: version ${step.with?.version} is not packageManager ${packageManager}`);
        }
        await npmInstallTools(tools.dir, `pnpm@${step.with?.version ?? packageManager!.replace('pnpm@', '')}`);
        continue;
      }
      if (uses.startsWith('oven-sh/setup-bun@')) {
        await npmInstallTools(tools.dir, `bun@${step.with?.['bun-version'] ?? 'latest'}`);
        continue;
      }
      throw new Error(`no stand-in for ${uses}`);
    }
    let script: string = step.run;
    if (/^Verify the release/.test(step.name)) {
      const verifyCall = 'verify "${TAG}" --sha "${SHA}"';
      if (!script.includes(verifyCall)) throw new Error(`the verify step no longer calls ${verifyCall}:\n${script}`);
      script = script.replace(verifyCall, 'plan "${TAG}"');
    }
    const stepEnv = Object.fromEntries(Object.keys(step.env ?? {}).map((k) => [k, ({ TAG, SHA, GITHUB_TOKEN: '' } as Record<string, string>)[k] ?? '']));
    result = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], clone, env(tools.path, {
      ...extraEnv, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: clone, GITHUB_STEP_SUMMARY: summaryFile, ...stepEnv,
    }));
    // The attestation check after it needs the published release.
    if (result.code !== 0 || /^Verify the release/.test(step.name)) break;
  }
  return { result, summary: fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf-8') : '', steps };
}

describe.each(CASES)('%s', (name, makeCase) => {
  test('the verify job installs the locked CLI in a clean clone and runs it', async () => {
    const c: Case = { name, ...makeCase() };
    const t0 = Date.now();
    const { repo, before, warnings } = await consumerRepository(c);
    const written = (Date.now() - t0) / 1000;
    // Before the install there is no lockfile to install the CLI from; after it, the lockfile locks
    // a version published to the (plain http) registry: nothing to warn about.
    expect(before).toContain('verify: the verify job installs projen-image-release from the repository\'s lockfile, and there is none yet');
    expect(warnings).not.toContain('verify:');

    const clone = path.join(tempDir(), 'clone');
    git(path.dirname(clone), 'clone', '-q', repo, clone);
    const t1 = Date.now();
    const { result, summary } = await runVerifyJob(clone, verifyJob(clone), c.env);
    const job = (Date.now() - t1) / 1000;
    process.stdout.write(`${c.name}: consumer repository ${written.toFixed(0)} s, verify job ${job.toFixed(0)} s\n`);
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining(`${IMAGE}:1.0.0`) });
    expect(summary).toContain(`## Verification of ${TAG}`);
    expect(summary).toContain(`${IMAGE}:1.0.0`);
    c.check?.(clone);
  }, 420_000);
});
