/** Ids of the steps that other steps, jobs, the planner and the CLI refer to. */
export const STEP_IDS = {
  /** docker/metadata-action: tags, labels and annotations. */
  meta: 'meta',
  /** docker/build-push-action: the pushed digest. */
  build: 'build',
  /**
   * The release tag (outputs `tag`, and `version`: the tag without its prefix): read from projen's
   * release artifact, or from the pushed tag or the republish input, checked as a version tag.
   */
  releaseTag: 'release_tag',
  /**
   * The time of the checked-out commit (outputs `epoch`, seconds since the epoch, and `created`,
   * ISO 8601), which every timestamp of the build and of the index comes from.
   */
  commitTime: 'commit_time',
} as const;
