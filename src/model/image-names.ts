/**
 * The names an image's release uses in the repository: files, workflows, job-id prefixes. The only
 * image of a project has no id and the plain names (`release-image.yml`); each image of a project
 * that publishes several has an id that every name carries (`release-image-webhook.yml`), so two
 * images never collide.
 */
export interface ImageNames {
  /** The image's id, when the project names its images. */
  readonly id?: string;
  /** The standalone release workflow (tag-push and release-published triggers). */
  readonly releaseWorkflowPath: string;
  readonly releaseWorkflowName: string;
  /** The standalone build-check workflow. */
  readonly checkWorkflowPath: string;
  readonly checkWorkflowName: string;
  /** The scheduled retention workflow (`retention` option). */
  readonly retentionWorkflowPath: string;
  readonly retentionWorkflowName: string;
  /** The scheduled re-scan workflow. */
  readonly rescanWorkflowPath: string;
  readonly rescanWorkflowName: string;
  /** Prefix of the image jobs inside projen's release workflow. */
  readonly releaseJobPrefix: string;
  /** Prefix of the build-check jobs inside projen's build workflow. */
  readonly checkJobPrefix: string;
  /** Prefix of the cache-writing check jobs inside projen's release workflow. */
  readonly cacheJobPrefix: string;
  /** The resolved model the CLI reads. */
  readonly modelFile: string;
  /** The generated release document. */
  readonly docPath: string;
}

/** Where projen keeps its workflows. */
export const WORKFLOWS_DIR = '.github/workflows';

/** Where the CLI looks for models: the model file of every image is in this directory. */
export const MODEL_DIR = '.projen';

/** Model file names: `image-release.json`, or `image-release-<id>.json`. */
export const MODEL_FILE_PATTERN = /^image-release(?:-([a-z][a-z0-9-]*))?\.json$/;

/** Job-id prefixes of the build check, whatever the image (they tell check jobs from release jobs). */
export const CHECK_JOB_PATTERN = /^image_(check|cache)_/;

/** Ids an image may have: lower-case letters, digits and `-`, starting with a letter. */
export const IMAGE_ID_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;

/** Ids that would make job ids ambiguous with the check jobs' prefixes. */
export const RESERVED_IMAGE_IDS: readonly string[] = ['check', 'cache'];

/** The names of an image with this id (none: the project's only image). */
export function imageNames(id?: string): ImageNames {
  const dash = id === undefined ? '' : `-${id}`;
  const under = id === undefined ? '' : `${id.replace(/-/g, '_')}_`;
  return {
    id,
    releaseWorkflowPath: `${WORKFLOWS_DIR}/release-image${dash}.yml`,
    releaseWorkflowName: `release-image${dash}`,
    checkWorkflowPath: `${WORKFLOWS_DIR}/image-check${dash}.yml`,
    checkWorkflowName: `image-check${dash}`,
    retentionWorkflowPath: `${WORKFLOWS_DIR}/image-retention${dash}.yml`,
    retentionWorkflowName: `image-retention${dash}`,
    rescanWorkflowPath: `${WORKFLOWS_DIR}/rescan-image${dash}.yml`,
    rescanWorkflowName: `rescan-image${dash}`,
    releaseJobPrefix: `image_${under}`,
    checkJobPrefix: `image_check_${under}`,
    cacheJobPrefix: `image_cache_${under}`,
    modelFile: `${MODEL_DIR}/image-release${dash}.json`,
    docPath: `docs/image-release${dash}.md`,
  };
}
