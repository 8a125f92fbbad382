import { ResolvedTagPolicy } from '../model/resolved';
import { ReleaseTrigger, ZeroMajorPolicy } from '../options';

/** The `tags:` and `flavor:` lines handed to docker/metadata-action. */
export interface MetadataTagInputs {
  readonly tags: readonly string[];
  readonly flavor: readonly string[];
}

/**
 * Where the version comes from at run time.
 * - `ref`: the pushed tag or the release's tag (metadata-action reads `github.ref`).
 * - an expression: a step output holding the tag (projen's release workflow runs on a branch).
 */
export interface VersionSource {
  /** A `${{ }}` expression giving the tag, or undefined to use the git ref. */
  readonly valueExpression?: string;
}

/**
 * Turns the tag policy into metadata-action's `tags` and `flavor` lines.
 *
 * `latest` comes from `flavor: latest=auto`, which metadata-action grants only to stable semver
 * versions; the seed's `type=raw,value=latest,enable={{is_default_branch}}` never fires on tag or
 * release events, so it is not used.
 */
export function metadataTagInputs(policy: ResolvedTagPolicy, trigger: ReleaseTrigger, source: VersionSource): MetadataTagInputs {
  const value = source.valueExpression ? `,value=\${{ ${source.valueExpression} }}` : '';
  const semver = (pattern: string, extra = '') => `type=semver,pattern=${pattern}${value}${extra}`;
  const tags: string[] = [];
  if (policy.version) tags.push(semver('{{version}}'));
  if (policy.vPrefixedVersion) tags.push(semver('v{{version}}'));
  if (policy.majorMinor) tags.push(semver('{{major}}.{{minor}}'));
  if (policy.major) {
    const versionExpr = source.valueExpression ?? 'github.ref_name';
    const notZero = policy.zeroMajor === ZeroMajorPolicy.NO_MAJOR_TAG
      ? `,enable=\${{ !startsWith(${versionExpr}, 'v0.') && !startsWith(${versionExpr}, '0.') }}`
      : '';
    tags.push(semver('{{major}}', notZero));
  }
  return { tags, flavor: [`latest=${latestFlavor(policy, trigger)}`] };
}

function latestFlavor(policy: ResolvedTagPolicy, trigger: ReleaseTrigger): string {
  if (!policy.latest) return 'false';
  // GitHub's "pre-release" checkbox is not a semver pre-release; metadata-action ignores it.
  if (trigger === ReleaseTrigger.RELEASE_PUBLISHED) return "${{ github.event.release.prerelease && 'false' || 'auto' }}";
  return 'auto';
}
