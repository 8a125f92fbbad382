import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../util';

/**
 * `projen new --from projen-image-release` as a user runs it, from the library packed as npm
 * publishes it: for test/e2e/project-types.test.ts and bench/project-new.ts.
 */
const ROOT = path.join(__dirname, '..', '..');

/** The projen the library is built and tested with, which the new repositories pin. */
export const PROJEN_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/projen/package.json'), 'utf-8')).version;

/** A finished command. */
export interface Run {
  readonly code: number | null;
  /** stdout and stderr as they came. */
  readonly output: string;
  readonly seconds: number;
}

/**
 * The environment of every command: a user's shell, so without what npm, git, projen and jest set
 * for the process running the test (an outer GIT_DIR or npm package would leak into the new
 * repository) and without CI (with it, projen new installs with `npm ci`, which fails for want of
 * the lockfile it is about to write); with an author for git's commits, no git configuration of the
 * machine (commit signing, hooks), and npm told to use its cache and stay quiet.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([k]) => !/^(npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$)|INIT_CWD$|GIT_|PROJEN_|JEST_|NODE_ENV$|CI$)/i.test(k));
  return {
    ...Object.fromEntries(inherited),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    GIT_AUTHOR_NAME: 'E2E Test',
    GIT_AUTHOR_EMAIL: 'e2e@example.com',
    GIT_COMMITTER_NAME: 'E2E Test',
    GIT_COMMITTER_EMAIL: 'e2e@example.com',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Commands still running. */
const running = new Set<ChildProcess>();

/** Runs a command in a process group of its own, in {@link childEnv} unless told otherwise; never rejects. */
export function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let output = '';
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const done = (code: number | null) => {
      running.delete(child);
      resolve({ code, output, seconds: (Date.now() - t0) / 1000 });
    };
    child.on('error', (e) => {
      output += `\n${e.message}`;
      done(null);
    });
    child.on('close', (code) => done(code));
  });
}

/** Kills every command still running, with what it started (its process group). */
export function stopAll(): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Throws with the command's output when it did not exit 0. */
export function expectSuccess(r: Run, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.output.slice(-6000)}`);
}

/** git in `cwd`, in {@link childEnv}; its stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: childEnv(), encoding: 'utf-8' });
}

/** The newest modification time of a file under `dir`. */
function newestMtime(dir: string): number {
  return Math.max(...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs;
  }));
}

/**
 * The library packed as npm publishes it, in a temp dir, under a file name of its own: npm's cache
 * would otherwise serve a tarball packed earlier under the same name and version. Throws when
 * lib/ and .jsii are missing or older than src/: packing does not compile.
 */
export async function packLibrary(): Promise<string> {
  const jsii = path.join(ROOT, '.jsii');
  const hint = 'run "npx projen compile" first (CI does, before "npx projen test")';
  if (!fs.existsSync(jsii) || !fs.existsSync(path.join(ROOT, 'lib/index.js'))) throw new Error(`.jsii or lib/ is missing: ${hint}`);
  if (fs.statSync(jsii).mtimeMs < newestMtime(path.join(ROOT, 'src'))) throw new Error(`.jsii is older than src/: ${hint}`);
  const dir = tempDir();
  const r = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  expectSuccess(r, 'npm pack');
  const packed = path.join(dir, JSON.parse(r.output.slice(r.output.indexOf('[')))[0].filename);
  const unique = packed.replace(/\.tgz$/, `-${Date.now()}-${process.pid}.tgz`);
  fs.renameSync(packed, unique);
  return unique;
}

/** Fetches projen into npx's cache, so that several `projen new` can then run at once. */
export async function fetchProjen(cwd: string): Promise<void> {
  expectSuccess(await run('npx', ['-y', `projen@${PROJEN_VERSION}`, '--version'], cwd), 'npx projen --version');
}

/** `npx projen new` of a project type of the packed library `tgz` in `dir`, with these flags. */
export function projenNew(dir: string, tgz: string, type: string, ...flags: string[]): Promise<Run> {
  return run('npx', ['-y', `projen@${PROJEN_VERSION}`, 'new', '--from', `projen-image-release@file:${tgz}`, type, '--projen-version', PROJEN_VERSION, ...flags], dir);
}

/** A new empty directory named `name` (projen names the project after it), in a temp dir. */
export function emptyDir(name: string): string {
  const dir = path.join(tempDir(), name);
  fs.mkdirSync(dir);
  return dir;
}
