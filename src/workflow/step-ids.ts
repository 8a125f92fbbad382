/** Ids of the steps that other steps, jobs, the planner and the CLI refer to. */
export const STEP_IDS = {
  /** docker/metadata-action: tags, labels and annotations. */
  meta: 'meta',
  /** docker/build-push-action: the pushed digest. */
  build: 'build',
  /** The release tag read from projen's release artifact. */
  releaseTag: 'release_tag',
  /** The version part of a prefixed release tag (`operator-v1.2.3` -> `v1.2.3`... -> `1.2.3`). */
  releaseVersion: 'release_version',
} as const;
