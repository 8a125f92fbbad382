import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as semver from '../semver';
import { FlagSpec, UsageError } from './args';
import { MODEL_DIR, MODEL_FILE_PATTERN } from '../model/image-names';
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

/** The release's commit: the `--sha` flag, else HEAD of the repository at `cwd`, else forty zeros. */
export function commitOf(flag: unknown, cwd: string): string {
  return (flag as string | undefined) ?? git(cwd, ['rev-parse', 'HEAD']) ?? '0'.repeat(40);
}

/**
 * The committer time of a commit of the repository at `cwd`, in seconds since the epoch, as the
 * workflow's legs read it; undefined when git, the repository or the commit is not there.
 */
export function commitTime(cwd: string, sha: string): number | undefined {
  const out = git(cwd, ['log', '-1', '--format=%ct', '--end-of-options', sha]);
  return out !== undefined && /^\d+$/.test(out) ? Number(out) : undefined;
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

/** The model files in a directory's `.projen/`, by file name (the only image's first, then by id). */
function modelFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(dir, MODEL_DIR));
  } catch {
    return [];
  }
  const rank = (n: string) => (MODEL_FILE_PATTERN.exec(n)![1] === undefined ? '' : n);
  return names.filter((n) => MODEL_FILE_PATTERN.test(n)).sort((a, b) => rank(a).localeCompare(rank(b)))
    .map((n) => `${MODEL_DIR}/${n}`);
}

/** The nearest directory at or above `cwd` that holds a model file, or undefined. */
export function modelRoot(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (modelFilesIn(dir).length > 0) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Reads and checks the model files synthesis wrote (one per image), in `cwd` or the nearest directory above it. */
export function loadModels(command: string, cwd: string): ModelFile[] {
  const root = modelRoot(cwd);
  if (!root) throw new UsageError(`${command}: no ${MODEL_FILE} in ${cwd} or above it; run "npx projen" in a repository that uses ImageRelease`);
  return modelFilesIn(root).map((rel) => {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(root, rel), 'utf-8'));
    } catch (e: any) {
      throw new UsageError(`${command}: ${rel} is not valid JSON (${e.message}); run "npx projen" to regenerate it`);
    }
    try {
      return validateModelFile(json, rel);
    } catch (e: any) {
      throw new UsageError(`${command}: ${e.message}`);
    }
  });
}

/** Reads the model of a repository with one image (the commands that take no `--image`). */
export function loadModel(command: string, cwd: string): ModelFile {
  return loadModels(command, cwd)[0];
}

/** An image's name for the user: its id, or its reference when it has none. */
export function imageLabel(model: ModelFile): string {
  return model.id !== undefined ? `${model.id} (${model.image})` : model.image;
}

/** Whether `--image <name>` names this image: its id, its reference, or the last part of its reference. */
export function namesImage(model: ModelFile, name: string): boolean {
  const n = name.toLowerCase();
  return model.id === n || model.image === n || model.image.split('/').pop() === n;
}

/** One image's release: its model and the release tag. */
export interface ImageReleaseTarget {
  readonly model: ModelFile;
  readonly tag: string;
}

/**
 * The images a release command acts on, each with its release tag: the one `--image` names, or
 * every image whose release tags the tag is (per-image prefixed tags such as `webhook-v1.2.3`
 * select their image; a shared `v1.2.3` selects every image that releases from it).
 * @param imageOverride for verify: with one image, an `--image` that names no image is the
 * reference to check instead of the model's (the caller handles it); undefined is returned
 */
export function selectReleases(
  command: string, models: readonly ModelFile[], positional: readonly string[], refFlag: unknown, imageFlag: unknown, allowOverride = false,
): ImageReleaseTarget[] {
  // No tag, or two: the same usage error whatever the image.
  if (positional.length > 1 || (positional.length === 0 && !refFlag)) releaseTag(command, positional, refFlag);
  let candidates = [...models];
  if (imageFlag !== undefined) {
    const named = models.filter((m) => namesImage(m, String(imageFlag)));
    if (named.length > 0) {candidates = named;} else if (!(allowOverride && models.length === 1)) {
      throw new UsageError(`${command}: --image "${imageFlag}" names no image of this repository; its images: ${models.map(imageLabel).join(', ')}`);
    }
  }
  if (candidates.length === 1) return [{ model: candidates[0], tag: releaseTag(command, positional, refFlag, candidates[0].tagPrefix) }];
  const targets: ImageReleaseTarget[] = [];
  const errors: string[] = [];
  for (const model of candidates) {
    try {
      targets.push({ model, tag: releaseTag(command, positional, refFlag, model.tagPrefix) });
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      errors.push(`${imageLabel(model)}: ${e.message.replace(`${command}: `, '')}`);
    }
  }
  if (targets.length === 0) throw new UsageError(`${command}: the tag is a release of none of the images:\n${errors.map((l) => `  - ${l}`).join('\n')}`);
  return targets;
}

/** Tags that exist before the release: `--existing-tags a,b` or `git tag --list`. */
export function existingTags(flag: unknown, cwd: string, tag: string): string[] {
  const all = flag !== undefined
    ? String(flag).split(',').map((t) => t.trim())
    : (git(cwd, ['tag', '--list']) ?? '').split('\n');
  return all.filter((t) => t !== '' && t !== tag);
}
