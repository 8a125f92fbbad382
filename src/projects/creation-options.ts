import { didYouMean, Problems, show } from '../model/problems';
import { parseGitHubRepository } from '../model/resolve';
import { ImageReleaseOptions, Platform, ReleaseTrigger } from '../options';

/**
 * The options a project type takes as flat `projen new` flags (`--image`, `--platforms`), merged
 * into the one image-release model. Pure: the git remote is read by the caller.
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
  readonly imageRelease?: ImageReleaseOptions;
}

const PLATFORM_VALUES: readonly string[] = Object.values(Platform);

/**
 * The image-release model of a project type: `imageRelease` with the flat options laid over it.
 * A flat option and the same field of `imageRelease` set to different values is an error naming
 * both; `remoteUrl` (the git remote `origin`) gives the image when neither sets one.
 * @throws ModelError one line per problem
 */
export function imageReleaseOptionsOf(o: CreationOptions, remoteUrl: string | undefined): ImageReleaseOptions {
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
  const platforms = o.platforms === undefined ? undefined : platformsOf(o.platforms, p);
  p.throwIfAny();
  const remote = parseGitHubRepository(remoteUrl);
  const image = o.image ?? nested.image ?? (remote ? `ghcr.io/${remote.owner}/${remote.repo}`.toLowerCase() : undefined);
  return {
    ...nested,
    ...(image !== undefined ? { image } : {}),
    ...(platforms !== undefined ? { platforms } : {}),
    ...(o.trigger !== undefined ? { trigger: o.trigger } : {}),
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
