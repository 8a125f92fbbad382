import { parseArgs, UsageError } from './args';
import { CliEnvironment, imageLabel, loadModels, modelRoot, namesImage, registryUrlFlag } from './common';
import { ModelFile } from '../plan/model-file';
import { PackagesApiError } from '../prune/github-packages';
import { DEFAULT_RETENTION, RetentionPolicy, UnseenVersionsError } from '../prune/plan';
import { formatPruneReport, PruneInputError, pruneJson, runPrune } from '../prune/run';
import { RegistryError } from '../registry/client';

/** The help text of `image-release prune`. */
export const PRUNE_HELP = `Usage: image-release prune [options]

Deletes old versions of the image's GitHub package without breaking a kept image: reads the
versions from the GitHub Packages API and their manifests from the registry, keeps the newest
release versions, whatever a moving tag (latest, 1, 1.2, ...) points to, and everything a kept
index or referrer references; deletes release versions beyond those, untagged manifests nothing
references once old enough, and referrers whose subject is deleted or gone. Dry run unless --apply.
Every listed version must be read from the registry first: if the registry cannot show one (404,
a refusal, an error, or a manifest prune cannot read), prune names each such version with what the
registry answered and stops with exit 2, planning and deleting nothing, even with --apply.

Options:
  --image <name>           the image: in a repository with several, its id (or reference); any
                           other reference to prune that image without the model (default: the
                           model's image from .projen/image-release.json)
  --keep <n>               release versions kept, newest by version (default: the model's, else ${DEFAULT_RETENTION.keep})
  --older-than-days <d>    age at which untagged manifests and pre-releases go (default: the
                           model's, else ${DEFAULT_RETENTION.olderThanDays})
  --keep-prereleases       pre-releases rank with releases for --keep instead of expiring by age
  --apply                  delete (roots before what they reference); without it, only print the plan
  --owner-type <t>         org or user (default: asked from the API)
  --api-url <url>          the GitHub API (default: https://api.github.com)
  --registry-url <url>     talk to this registry instead of https://<registry of the image>
  --json                   print the plan (and what was deleted) as JSON
  --help                   print this help

The token is GITHUB_TOKEN, for the API and the registry. Deleting needs delete:packages, or, in
a workflow, the package's "Manage Actions access" giving the repository the Admin role.

Exit codes: 0 planned (or all deleted), 1 a deletion failed (nothing after it was attempted),
2 could not plan, nothing deleted (bad flag, no image, API or registry unreachable or refusing,
a version the registry cannot show).`;

const FLAGS = [
  { name: 'image', takesValue: true },
  { name: 'keep', takesValue: true },
  { name: 'older-than-days', takesValue: true },
  { name: 'keep-prereleases', takesValue: false },
  { name: 'apply', takesValue: false },
  { name: 'owner-type', takesValue: true },
  { name: 'api-url', takesValue: true },
  { name: 'registry-url', takesValue: true },
  { name: 'json', takesValue: false },
  { name: 'help', takesValue: false },
];

/** A whole number of at least `min` from a flag, or a usage error naming it. */
function wholeFlag(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`prune: --${name} "${value}" is not a whole number of at least ${min}`);
  return n;
}

/**
 * The model of the image to prune: the one `--image` names (id or reference), the only one, or
 * none when `--image` is a reference outside any model.
 */
function modelOf(image: string | undefined, cwd: string): ModelFile | undefined {
  if (image === undefined) {
    const models = loadModels('prune', cwd);
    if (models.length > 1) throw new UsageError(`prune: the repository has ${models.length} images; choose one with --image (${models.map(imageLabel).join(', ')})`);
    return models[0];
  }
  if (!modelRoot(cwd)) return undefined;
  const models = loadModels('prune', cwd);
  const named = models.find((m) => namesImage(m, image));
  if (named) return named;
  return models.length === 1 ? { ...models[0], image } : undefined;
}

/** Runs `image-release prune`; returns the exit code. */
export async function runPruneCommand(argv: readonly string[], env: CliEnvironment, out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs('prune', argv, FLAGS);
  if (flags.help) {
    out(PRUNE_HELP);
    return 0;
  }
  if (positional.length > 0) throw new UsageError(`prune: unexpected argument "${positional[0]}"; the image is --image`);
  const problems: string[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(e.message);
      return undefined;
    }
  };
  const keep = attempt(() => wholeFlag('keep', flags.keep, 1));
  const olderThanDays = attempt(() => wholeFlag('older-than-days', flags['older-than-days'], 1));
  const ownerType = flags['owner-type'];
  if (ownerType !== undefined && ownerType !== 'org' && ownerType !== 'user') problems.push(`prune: --owner-type "${ownerType}" is not org or user`);
  const apiUrl = String(flags['api-url'] ?? 'https://api.github.com');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(apiUrl)) problems.push(`prune: --api-url "${apiUrl}" is not a URL like https://api.github.com`);
  const registryUrl = attempt(() => registryUrlFlag('prune', flags['registry-url']));
  if (problems.length > 0) throw new UsageError(problems.join('\n  '));

  const model = modelOf(flags.image as string | undefined, env.cwd);
  const fromModel: Partial<RetentionPolicy> = model?.retention ?? {};
  const policy: RetentionPolicy = {
    keep: keep ?? fromModel.keep ?? DEFAULT_RETENTION.keep,
    olderThanDays: olderThanDays ?? fromModel.olderThanDays ?? DEFAULT_RETENTION.olderThanDays,
    keepPrereleases: flags['keep-prereleases'] === true || (fromModel.keepPrereleases ?? DEFAULT_RETENTION.keepPrereleases),
  };
  const token = env.env.GITHUB_TOKEN;
  const apply = flags.apply === true;
  try {
    const result = await runPrune({
      image: model?.image ?? String(flags.image),
      registryUrl,
      apiUrl,
      ownerType: ownerType as 'org' | 'user' | undefined,
      token,
      credentials: token ? { username: env.env.GITHUB_ACTOR ?? 'token', password: token } : undefined,
      policy,
      now: env.now().toISOString(),
      apply,
      progress: env.progress,
    });
    out(flags.json ? JSON.stringify(pruneJson(result), null, 2) : formatPruneReport(result, apply));
    return result.failure ? 1 : 0;
  } catch (e) {
    if (e instanceof PackagesApiError || e instanceof PruneInputError || e instanceof UnseenVersionsError) throw new UsageError(`prune: ${e.message}`);
    if (e instanceof RegistryError) throw new UsageError(`prune: could not read the manifests: ${e.message}`);
    throw e;
  }
}
