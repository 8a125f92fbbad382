import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as semver from '../semver';
import { FlagSpec, UsageError } from './args';
import { MODEL_FILE, ModelFile, validateModelFile } from '../plan/model-file';
import { versionOfTag } from '../tags/tag-prefix';

/** What a command reads from its surroundings (the process, git, the clock, stdin, env). */
export interface CliEnvironment {
  readonly cwd: string;
  readonly now: () => Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readStdin: () => string;
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
}

/** The process's own environment. */
export function processEnvironment(): CliEnvironment {
  return {
    cwd: process.cwd(),
    now: () => new Date(),
    env: process.env,
    readStdin: () => fs.readFileSync(0, 'utf-8'),
    progress: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Runs git in a directory; undefined when git or the repository is not there. */
export function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Flags every release command takes: which release, its commit, the tags before it, output, help. */
export const RELEASE_FLAGS: readonly FlagSpec[] = [
  { name: 'ref', takesValue: true },
  { name: 'sha', takesValue: true },
  { name: 'existing-tags', takesValue: true },
  { name: 'json', takesValue: false },
  { name: 'help', takesValue: false },
];

/**
 * The release tag from `<tag>` or `--ref refs/tags/<tag>`; usage errors for anything else.
 * @param prefix the model's release tag prefix (`operator-v`), or empty
 */
export function releaseTag(command: string, positional: readonly string[], refFlag: unknown, prefix = ''): string {
  if (positional.length > 1) throw new UsageError(`${command}: expected at most one tag, got ${positional.length} (${positional.join(' ')})`);
  if (positional.length === 1 && refFlag) throw new UsageError(`${command}: give either a tag or --ref, not both`);
  const ref = (refFlag as string | undefined) ?? (positional[0] !== undefined ? `refs/tags/${positional[0]}` : undefined);
  if (!ref) throw new UsageError(`${command}: which release? give a tag (image-release ${command} v1.2.3) or --ref refs/tags/v1.2.3`);
  if (!ref.startsWith('refs/tags/')) throw new UsageError(`${command}: "${ref}" is not a tag ref; releases are tags, e.g. refs/tags/v1.2.3`);
  const tag = ref.slice('refs/tags/'.length);
  if (prefix !== '' && !tag.startsWith(prefix)) throw new UsageError(`${command}: "${tag}" does not start with the release tag prefix "${prefix}" of the model (e.g. ${prefix}1.2.3)`);
  if (!semver.valid(versionOfTag(tag, prefix))) throw new UsageError(`${command}: "${tag}" is not a version (expected e.g. ${prefix || 'v'}1.2.3 or ${prefix}1.2.3-rc.1)`);
  return tag;
}

/** The `--registry-url` flag: an http(s) origin such as http://127.0.0.1:5000, without a trailing slash. */
export function registryUrlFlag(command: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const url = String(value);
  if (!/^https?:\/\/[^/]+\/?$/.test(url)) throw new UsageError(`${command}: --registry-url "${url}" is not a registry URL like http://127.0.0.1:5000`);
  return url.replace(/\/$/, '');
}

/** The nearest directory at or above `cwd` that holds the model file, or undefined. */
export function modelRoot(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, MODEL_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Reads and checks the model file synthesis wrote, in `cwd` or the nearest directory above it. */
export function loadModel(command: string, cwd: string): ModelFile {
  const root = modelRoot(cwd);
  if (!root) throw new UsageError(`${command}: no ${MODEL_FILE} in ${cwd} or above it; run "npx projen" in a repository that uses ImageRelease`);
  const file = path.join(root, MODEL_FILE);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e: any) {
    throw new UsageError(`${command}: ${MODEL_FILE} is not valid JSON (${e.message}); run "npx projen" to regenerate it`);
  }
  try {
    return validateModelFile(json, MODEL_FILE);
  } catch (e: any) {
    throw new UsageError(`${command}: ${e.message}`);
  }
}

/** Tags that exist before the release: `--existing-tags a,b` or `git tag --list`. */
export function existingTags(flag: unknown, cwd: string, tag: string): string[] {
  const all = flag !== undefined
    ? String(flag).split(',').map((t) => t.trim())
    : (git(cwd, ['tag', '--list']) ?? '').split('\n');
  return all.filter((t) => t !== '' && t !== tag);
}
