/**
 * The OCI label keys the pipeline sets, and the build-args that carry the per-build ones into the
 * Dockerfile. The Dockerfile block and the workflow's `build-args` both read {@link BUILD_ARGS},
 * so the ARGs declared and the ARGs passed cannot drift apart.
 */

/** Prefix of every OCI annotation key. */
export const OCI_PREFIX = 'org.opencontainers.image.';

/** A per-build value: a Dockerfile ARG fed from a label that docker/metadata-action computes. */
export interface BuildArg {
  /** The ARG name in the Dockerfile. */
  readonly arg: string;
  /** The OCI label it sets (its value comes from metadata-action's label of the same key). */
  readonly label: string;
}

/** The per-build args, in the order they are declared. */
export const BUILD_ARGS: readonly BuildArg[] = [
  { arg: 'BUILD_DATE', label: `${OCI_PREFIX}created` },
  { arg: 'VCS_REF', label: `${OCI_PREFIX}revision` },
  { arg: 'VERSION', label: `${OCI_PREFIX}version` },
];

/** The static labels of the model, in the order they are written. Keys of OciLabelOptions. */
export const STATIC_LABEL_FIELDS = ['title', 'description', 'vendor', 'licenses', 'documentation', 'source', 'url'] as const;

/** A static label field name. */
export type StaticLabelField = (typeof STATIC_LABEL_FIELDS)[number];

/** Static label fields whose value must be an http(s) URL. */
export const URL_LABEL_FIELDS: ReadonlySet<StaticLabelField> = new Set(['documentation', 'source', 'url']);
