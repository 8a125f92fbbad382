/**
 * The OCI label keys the pipeline sets, and the build args that carry values into the build. The
 * Dockerfile block, the workflow's `build-args`, `plan` and `rehearse` all read {@link BUILD_ARGS}
 * and {@link buildArgValues}, so the ARGs declared and the ARGs passed cannot drift apart.
 */
import { BuildFact } from '../options';
import { ResolvedBuildArg } from './resolved';

/** Prefix of every OCI annotation key. */
export const OCI_PREFIX = 'org.opencontainers.image.';

/** A per-build value: a Dockerfile ARG fed from a label that docker/metadata-action computes. */
export interface BuildArg {
  /** The ARG name in the Dockerfile. */
  readonly arg: string;
  /** The OCI label it sets (its value comes from metadata-action's label of the same key). */
  readonly label: string;
  /** The per-build fact it carries. */
  readonly fact: BuildFact;
}

/** The per-build args the label block declares, in the order they are declared. */
export const BUILD_ARGS: readonly BuildArg[] = [
  { arg: 'BUILD_DATE', label: `${OCI_PREFIX}created`, fact: BuildFact.CREATED },
  { arg: 'VCS_REF', label: `${OCI_PREFIX}revision`, fact: BuildFact.REVISION },
  { arg: 'VERSION', label: `${OCI_PREFIX}version`, fact: BuildFact.VERSION },
];

/**
 * The `created` value of a build from its commit's time (seconds since the epoch): ISO 8601 in UTC
 * with milliseconds, as docker/metadata-action writes it. A release takes every timestamp from its
 * commit, so that each platform, and a rebuild of the same commit, carries the same one.
 */
export function createdOfCommitTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/**
 * git's `--date` format that writes {@link createdOfCommitTime} of the commit (run with `TZ=UTC0`,
 * for `format-local`).
 */
export const CREATED_GIT_DATE_FORMAT = 'format-local:%Y-%m-%dT%H:%M:%S.000Z';

/** The label that carries each fact. */
export function labelOfFact(fact: BuildFact): string {
  return BUILD_ARGS.find((a) => a.fact === fact)!.label;
}

/** The values of the per-build facts of one build. */
export type BuildFacts = Readonly<Record<BuildFact, string>>;

/**
 * Every build arg of a build with its value: the per-build ones of the label block, then the
 * model's own (literals, or facts).
 */
export function buildArgValues(extra: readonly ResolvedBuildArg[], facts: BuildFacts): Array<[string, string]> {
  return [
    ...BUILD_ARGS.map((a): [string, string] => [a.arg, facts[a.fact]]),
    ...extra.map((a): [string, string] => [a.name, a.fact ? facts[a.fact] : a.literal ?? '']),
  ];
}

/** The static labels of the model, in the order they are written. Keys of OciLabelOptions. */
export const STATIC_LABEL_FIELDS = ['title', 'description', 'vendor', 'licenses', 'documentation', 'source', 'url'] as const;

/** A static label field name. */
export type StaticLabelField = (typeof STATIC_LABEL_FIELDS)[number];

/** Static label fields whose value must be an http(s) URL. */
export const URL_LABEL_FIELDS: ReadonlySet<StaticLabelField> = new Set(['documentation', 'source', 'url']);
