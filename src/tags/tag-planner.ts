import { planMetadata } from './planner/plan';

/**
 * The event a release pipeline runs on, as GitHub delivers it to docker/metadata-action.
 */
export interface GitEventContext {
  /** The event name: `push`, `release`, `create`, ... */
  readonly eventName: string;
  /** The git ref, e.g. `refs/tags/v1.2.3` or `refs/heads/main`. */
  readonly ref: string;
  /** The commit SHA. */
  readonly sha: string;
  /**
   * The repository's default branch (used by `type=edge`).
   * @default - `payload.repository.default_branch`
   */
  readonly defaultBranch?: string;
  /**
   * The event payload as GitHub delivers it (`release`, `repository.default_branch`, `base_ref`, ...).
   * @default {}
   */
  readonly payload?: any;
  /**
   * The commit date, ISO 8601 (for `{{commit_date}}`).
   * @default - from the payload's commits, else `now`
   */
  readonly commitDate?: string;
  /**
   * The current time, ISO 8601 (for `{{date}}`). The planner never reads the clock itself; a line
   * that needs the time fails without it.
   * @default - no time
   */
  readonly now?: string;
}

/** The inputs of docker/metadata-action and the event to plan for. */
export interface TagPlanOptions {
  /** The `images` lines. */
  readonly images: string[];
  /** The `tags` lines. */
  readonly tags: string[];
  /**
   * The `flavor` lines.
   * @default []
   */
  readonly flavor?: string[];
  /** The event. */
  readonly event: GitEventContext;
}

/** What docker/metadata-action will output for those inputs and that event. */
export interface TagPlan {
  /** The `version` output (the first tag by priority, with prefix and suffix). */
  readonly version: string;
  /** Full `image:tag` strings, in metadata-action's order (per image: version, partials, latest). */
  readonly tags: string[];
  /** Whether a `latest` tag is produced. */
  readonly latest: boolean;
}

/**
 * Predicts the image tags docker/metadata-action (v5/v6) produces for `tags`/`flavor` lines on a
 * given event, with the action's own rules: priorities and stable ordering, de-duplication,
 * `latest` decided by the first value-producing entry, semver pre-release handling, prefixes and
 * suffixes, sanitization and lower-cased image names. `${{ }}` GitHub expressions in the lines are
 * evaluated against the event (the `github` context); anything else in them is an error.
 *
 * Lines are taken as the action's parser receives them (after `getInputList`: one entry per line).
 */
export class TagPlanner {
  /**
   * Plans the tags. Throws with the offending line for an invalid line (unknown type, bad
   * `enable`, a semver `match` without a group, ...), as the action itself fails on them.
   */
  public static plan(options: TagPlanOptions): TagPlan {
    const out = planMetadata(options);
    return { version: out.version, tags: out.tags, latest: out.latest };
  }

  private constructor() {}
}
