import { BUILD_ARGS, buildArgValues, BuildFacts, createdOfCommitTime } from '../model/labels';
import { ReleaseTrigger } from '../options';
import { ModelFile } from './model-file';
import { isHighestVersion, HIGHEST_STEP } from '../tags/highest-version';
import { planMetadata } from '../tags/planner/plan';
import { versionOfTag } from '../tags/tag-prefix';
import { STEP_IDS } from '../workflow/step-ids';

/** The parts of the model a release plan needs. */
export type PlanModel = Pick<ModelFile, 'trigger' | 'releaseBranch' | 'tagPrefix' | 'metadata' | 'labels' | 'buildArgs'>;

/** A release to preview. */
export interface ReleaseRequest {
  /** The git tag of the release, e.g. `v1.2.3` (or `operator-v1.2.3` with a tag prefix). */
  readonly tag: string;
  /** The event; defaults to the one the model's trigger reacts to. */
  readonly eventName?: string;
  /** Whether the GitHub release is marked pre-release (release events). */
  readonly prerelease?: boolean;
  readonly sha: string;
  /** Tags that already exist in the repository (for the highest-version policy). */
  readonly existingTags: readonly string[];
  /** The current time, ISO 8601. */
  readonly now: string;
  /**
   * The time of the release's commit, in seconds since the epoch: the `created` label and every
   * other timestamp of the build, as in the workflow. Without it, `now` stands in (a build that
   * no rebuild repeats).
   */
  readonly commitTime?: number;
}

/** What a release will publish. */
export interface ReleasePlan {
  readonly eventName: string;
  readonly ref: string;
  readonly version: string;
  /** The image tags (names only, e.g. `1.2.3`, `latest`), in metadata-action's order. */
  readonly tags: string[];
  readonly latest: boolean;
  /** Whether the release is the highest stable version among the tags. */
  readonly highest: boolean;
  /** Every label the image carries, per-build ones included. */
  readonly labels: Array<[string, string]>;
  /** Every build arg the build gets (`NAME`, value), per-build ones included. */
  readonly buildArgs: Array<[string, string]>;
}

/**
 * Plans a release exactly as the synthesized workflow computes it: the model file's own
 * metadata-action lines through the planner, with the values the workflow's earlier steps would
 * compute (the release tag, its version, the highest-version decision) in the expression context.
 */
export function planRelease(model: PlanModel, req: ReleaseRequest): ReleasePlan {
  const fromProjen = model.trigger === ReleaseTrigger.PROJEN_RELEASE;
  const eventName = req.eventName ?? (model.trigger === ReleaseTrigger.RELEASE_PUBLISHED ? 'release' : 'push');
  const ref = fromProjen ? `refs/heads/${model.releaseBranch}` : `refs/tags/${req.tag}`;
  const payload = eventName === 'release'
    ? { release: { tag_name: req.tag, prerelease: req.prerelease ?? false } }
    : { ref };
  const highest = isHighestVersion(req.tag, req.existingTags, model.tagPrefix);
  const out = planMetadata({
    images: model.metadata.images,
    tags: model.metadata.tags,
    flavor: model.metadata.flavor,
    event: { eventName, ref, sha: req.sha, payload, now: req.now },
    expressionContext: {
      steps: {
        [STEP_IDS.releaseTag]: { outputs: { tag: req.tag, version: versionOfTag(req.tag, model.tagPrefix) } },
        [HIGHEST_STEP.id]: { outputs: { [HIGHEST_STEP.output]: String(highest) } },
      },
    },
  });
  const created = req.commitTime !== undefined ? createdOfCommitTime(req.commitTime) : req.now;
  const facts: BuildFacts = { created, revision: req.sha, version: out.version };
  return {
    eventName,
    ref,
    version: out.version,
    tags: [...new Set(out.tagNames)],
    latest: out.latest,
    highest,
    labels: [...BUILD_ARGS.map((a): [string, string] => [a.label, facts[a.fact]]), ...model.labels.map(([k, v]): [string, string] => [k, v])],
    buildArgs: buildArgValues(model.buildArgs, facts),
  };
}
