import { didYouMean, Problems, show } from '../model/problems';
import { parseGitHubRepository } from '../model/resolve';
import { ImageReleaseOptions, Platform, ReleaseTrigger } from '../options';

/**
 * The options a project type takes as flat `projen new` flags (`--image`, `--platforms`), merged
 * into the one image-release model. Pure: what the repository says is read by the caller.
 */
export interface CreationOptions {
  readonly image?: string;
  readonly platforms?: readonly string[];
  readonly trigger?: ReleaseTrigger;
  /**
   * Whether the options object has a `trigger` key: one that is there but undefined is a misspelt
   * `--trigger` value (projen new writes `ReleaseTrigger.TAG_PUSHH`, undefined in JavaScript).
   */
  readonly triggerKeyGiven?: boolean;
  /** The image's description label (`labels.description`). */
  readonly description?: string;
  readonly imageRelease?: ImageReleaseOptions;
}

const PLATFORM_VALUES: readonly string[] = Object.values(Platform);

/**
 * The image-release model of a project type: `imageRelease` with the flat options laid over it.
 * A flat option and the same field of `imageRelease` set to different values is an error naming
 * both; `repositoryUrl` (the project's `repository` option) gives the image when neither sets one.
 * @throws ModelError one line per problem
 */
export function imageReleaseOptionsOf(o: CreationOptions, repositoryUrl: string | undefined): ImageReleaseOptions {
  const p = new Problems();
  const nested = o.imageRelease ?? {};
  for (const key of ['image', 'platforms', 'trigger'] as const) {
    const flat = o[key];
    const inner = nested[key];
    if (flat !== undefined && inner !== undefined && JSON.stringify(flat) !== JSON.stringify(inner)) {
      p.addLine(`${key}: ${show(flat)} and imageRelease.${key}: ${show(inner)} are both set; set one`);
    }
  }
  if (o.triggerKeyGiven && o.trigger === undefined) {
    const values = Object.values(ReleaseTrigger).filter((t) => t !== ReleaseTrigger.PROJEN_RELEASE);
    p.addLine(`trigger: undefined, which a misspelt --trigger value (or ReleaseTrigger member) becomes; use ${values.join(' or ')}`);
  }
  const labelled = nested.labels?.description;
  if (o.description !== undefined && labelled !== undefined && o.description !== labelled) {
    p.addLine(`description: ${show(o.description)} and imageRelease.labels.description: ${show(labelled)} are both set; set one`);
  }
  const platforms = o.platforms === undefined ? undefined : platformsOf(o.platforms, p);
  p.throwIfAny();
  const image = o.image ?? nested.image ?? ghcrImageOf(repositoryUrl);
  return {
    ...nested,
    ...(image !== undefined ? { image } : {}),
    ...(platforms !== undefined ? { platforms } : {}),
    ...(o.trigger !== undefined ? { trigger: o.trigger } : {}),
    ...(o.description !== undefined ? { labels: { ...nested.labels, description: o.description } } : {}),
  };
}

/** `--platforms` values as the enum; each wrong value is a problem naming its index. */
function platformsOf(values: readonly string[], p: Problems): Platform[] {
  if (!Array.isArray(values)) {
    p.add('platforms', values, 'must be a list of platforms, e.g. ["linux/amd64", "linux/arm64"]');
    return [];
  }
  values.forEach((v, i) => {
    if (!PLATFORM_VALUES.includes(v)) {
      const hint = typeof v === 'string' ? didYouMean(v, PLATFORM_VALUES) : undefined;
      p.add(`platforms[${i}]`, v, `is not a platform${hint ? ` (did you mean "${hint}"?)` : ''}; use one of ${PLATFORM_VALUES.join(', ')}`);
    }
  });
  return values as Platform[];
}

/** `ghcr.io/<owner>/<repo>` (lower-cased) of a GitHub repository URL, or undefined for any other URL. */
function ghcrImageOf(url: string | undefined): string | undefined {
  const repo = parseGitHubRepository(url);
  return repo ? `ghcr.io/${repo.owner}/${repo.repo}`.toLowerCase() : undefined;
}

/** The options of a project type that `projen new` may fill in from the repository. */
export interface CreationFactOptions {
  /** The image, e.g. `ghcr.io/acme/my-op`. */
  readonly image?: string;
  /** The repository URL (projen's Node.js projects). */
  readonly repository?: string;
  /** The image's description. */
  readonly description?: string;
  /** The rest of the model, whose `image` and `labels.description` count as given too. */
  readonly imageRelease?: ImageReleaseOptions;
}

/**
 * The image's description that `projen new` writes into `.projenrc.ts` when none is given (GHCR
 * shows it; without one every synthesis warns): the first paragraph line of the repository's
 * README, or `fallback`. Undefined when the user gave one (`description` or `labels.description`).
 */
export function creationDescription(given: CreationFactOptions, readme: string | undefined, fallback: string): string | undefined {
  if (given.description !== undefined || given.imageRelease?.labels?.description !== undefined) return undefined;
  // A line with an expression is left out: the model refuses `${{` in labels.
  const line = (readme ?? '').split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !/^([#\[!<|>`=-]|\*\s)/.test(l) && !l.includes('${{'));
  return line !== undefined ? line.slice(0, 200) : fallback;
}

/**
 * What `projen new` records in the new `.projenrc.ts` from the git remote `origin`, read once when
 * the repository is created: its URL as `repository` (GitHub's in its canonical
 * `https://github.com/<owner>/<repo>.git` form, when `withRepository`), and the image
 * `ghcr.io/<owner>/<repo>`. Values the user gave stay. After creation nothing reads the remote, so
 * every synthesis is a function of `.projenrc.ts` alone: a runner's checkout (origin without
 * `.git`) or a fork gives the same files.
 */
export function creationFacts(given: CreationFactOptions, remoteUrl: string | undefined, withRepository: boolean): Pick<CreationFactOptions, 'image' | 'repository'> {
  if (remoteUrl === undefined) return {};
  const repo = parseGitHubRepository(remoteUrl);
  const repository = withRepository && given.repository === undefined ? (repo ? `https://github.com/${repo.owner}/${repo.repo}.git` : withoutCredentials(remoteUrl)) : undefined;
  const image = given.image === undefined && given.imageRelease?.image === undefined ? ghcrImageOf(remoteUrl) : undefined;
  return { ...(repository !== undefined ? { repository } : {}), ...(image !== undefined ? { image } : {}) };
}

/** A URL without the user and password it may carry (a token in a clone URL), which must not be committed. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The options `projen new` renders into the new `.projenrc.ts` (projen passes them to the project
 * type under `__new__`), or undefined when this is not the creation of a repository. Values added
 * here are written into `.projenrc.ts`.
 */
export function creationArgs(options: object): Record<string, unknown> | undefined {
  const args = (options as { __new__?: { args?: unknown } }).__new__?.args;
  return args !== null && typeof args === 'object' ? args as Record<string, unknown> : undefined;
}
