import { imageNames } from '../model/image-names';
import { ResolvedBuildArg } from '../model/resolved';
import { Platform, ReleaseTrigger } from '../options';
import { RetentionPolicy } from '../prune/plan';

/** Where synthesis writes the resolved model for the CLI (committed like every generated file). */
export const MODEL_FILE = imageNames().modelFile;

/** The format version of {@link ModelFile}; bumped on incompatible changes. */
export const MODEL_FILE_VERSION = 2;

/**
 * What the CLI needs to preview a release without evaluating `.projenrc.ts`: the exact
 * metadata-action lines of the synthesized workflow and the static labels.
 */
export interface ModelFile {
  readonly formatVersion: number;
  /** The image's id, in a project that publishes several images. */
  readonly id?: string;
  readonly image: string;
  readonly platforms: readonly Platform[];
  readonly trigger: ReleaseTrigger;
  /** The workflow file holding the image jobs. */
  readonly workflow: string;
  /** The branch projen's release workflow runs on (projen-release trigger). */
  readonly releaseBranch: string;
  /** The text before the version in release tags that the workflow strips (`operator-v`), or empty. */
  readonly tagPrefix: string;
  /** metadata-action's inputs, line by line, exactly as in the workflow. */
  readonly metadata: { readonly images: readonly string[]; readonly tags: readonly string[]; readonly flavor: readonly string[] };
  /** Static labels (OCI, then custom), in order. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /** Build args beyond the per-build ones. */
  readonly buildArgs: readonly ResolvedBuildArg[];
  /** Compressed size budget per platform, in MB. */
  readonly maxImageSizeMb: number;
  /**
   * The attestations the workflow pushes beside the index, which verify looks for; absent in a
   * model file written before attestations existed (nothing is checked then).
   */
  readonly attestations?: { readonly provenance: boolean; readonly sbom: boolean };
  /** The Dockerfile and the build context, relative to the project root. */
  readonly dockerfile: string;
  readonly context: string;
  /** The retention rules `prune` applies by default; absent when the model has none. */
  readonly retention?: RetentionPolicy;
  /** The Helm chart released with the image; absent when none. */
  readonly chart?: ModelFileChart;
}

/** What `verify` and `rehearse` need of the chart. */
export interface ModelFileChart {
  /** The chart directory, relative to the project root. */
  readonly directory: string;
  /** The chart's name. */
  readonly name: string;
  /** The chart artifact without tag, e.g. `ghcr.io/acme/charts/operator`. */
  readonly artifact: string;
  /** Whether the release sets `image.repository` and `image.tag` in the chart's values. */
  readonly manageImageValues: boolean;
}

/** Checks that parsed JSON is a model file this version understands; throws a one-line reason. */
export function validateModelFile(json: unknown, file: string): ModelFile {
  const m = json as Partial<ModelFile> | null;
  if (!m || typeof m !== 'object' || m.formatVersion !== MODEL_FILE_VERSION || !m.metadata || !Array.isArray(m.metadata.tags)
    || typeof m.image !== 'string' || typeof m.tagPrefix !== 'string' || !Array.isArray(m.buildArgs) || !Array.isArray(m.labels)) {
    throw new Error(`${file} is not an image-release model of format ${MODEL_FILE_VERSION}; run "npx projen" to regenerate it`);
  }
  return m as ModelFile;
}
