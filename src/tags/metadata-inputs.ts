import { ResolvedModel, ResolvedTagPolicy } from '../model/resolved';
import { LatestPolicy, ReleaseTrigger, ZeroMajorPolicy } from '../options';
import { HIGHEST_STEP } from './highest-version';
import { STEP_IDS } from '../workflow/step-ids';

/** The `tags:` and `flavor:` lines handed to docker/metadata-action. */
export interface MetadataTagInputs {
  readonly tags: readonly string[];
  readonly flavor: readonly string[];
}

/**
 * Where the version comes from at run time: the pushed tag or the release's tag (the git ref), or
 * an expression holding it (projen's release workflow runs on a branch; a prefixed tag is
 * stripped by an earlier step).
 */
export interface VersionSource {
  /** A `${{ }}` expression (without the braces) giving the version, or undefined for the git ref. */
  readonly valueExpression?: string;
  /** A `${{ }}` expression (without the braces) giving the whole release tag. */
  readonly tagExpression: string;
}

/**
 * Where the model's release takes its version from: the release tag step, which every release
 * job runs first (projen's artifact, or the pushed tag or the republish input).
 */
export function versionSourceOf(model: Pick<ResolvedModel, 'trigger' | 'tagPrefix'>): VersionSource {
  const step = `steps.${STEP_IDS.releaseTag}.outputs`;
  return { valueExpression: model.tagPrefix !== '' ? `${step}.version` : `${step}.tag`, tagExpression: `${step}.tag` };
}

/**
 * Turns the tag policy into metadata-action's `tags` and `flavor` lines.
 *
 * `latest` comes from the flavor, which metadata-action grants only to stable semver versions
 * under `latest=auto`; a `type=raw,value=latest,enable={{is_default_branch}}` line would never fire
 * on tag or release events, so it is not used.
 */
export function metadataTagInputs(policy: ResolvedTagPolicy, trigger: ReleaseTrigger, source: VersionSource): MetadataTagInputs {
  const value = source.valueExpression ? `,value=\${{ ${source.valueExpression} }}` : '';
  const tag = source.valueExpression ?? source.tagExpression;
  const notZero = `,enable=\${{ !startsWith(${tag}, 'v0.') && !startsWith(${tag}, '0.') }}`;
  const semver = (pattern: string, extra = '') => `type=semver,pattern=${pattern}${value}${extra}`;
  const tags: string[] = [];
  if (policy.version) tags.push(semver('{{version}}'));
  if (policy.vPrefixedVersion) tags.push(semver('v{{version}}'));
  if (policy.majorMinor) tags.push(semver('{{major}}.{{minor}}', policy.zeroMajor === ZeroMajorPolicy.VERSION_ONLY ? notZero : ''));
  if (policy.major) tags.push(semver('{{major}}', policy.zeroMajor === ZeroMajorPolicy.ALL_TAGS ? '' : notZero));
  return { tags, flavor: [`latest=${latestFlavor(policy.latest, trigger)}`] };
}

function latestFlavor(policy: LatestPolicy, trigger: ReleaseTrigger): string {
  if (policy === LatestPolicy.NEVER) return 'false';
  // Conditions that withhold latest from a release that metadata-action would give it to.
  const withhold: string[] = [];
  // GitHub's "pre-release" checkbox is not a semver pre-release; metadata-action ignores it.
  if (trigger === ReleaseTrigger.RELEASE_PUBLISHED) withhold.push('github.event.release.prerelease');
  if (policy === LatestPolicy.HIGHEST_VERSION) withhold.push(`steps.${HIGHEST_STEP.id}.outputs.${HIGHEST_STEP.output} != 'true'`);
  if (withhold.length === 0) return 'auto';
  const cond = withhold.length === 1 ? withhold[0] : `(${withhold.join(' || ')})`;
  return `\${{ ${cond} && 'false' || 'auto' }}`;
}
