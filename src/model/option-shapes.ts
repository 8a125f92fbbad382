import {
  AttestationOptions,
  BuildArgValue,
  BuildCache,
  BuildStrategy,
  ChartOptions,
  DependabotEcosystem,
  DependabotIgnore,
  DependabotInterval,
  DependabotOptions,
  DependabotUpdateType,
  ImageReleaseOptions,
  LatestPolicy,
  OciLabelOptions,
  Platform,
  PlatformRunner,
  ReleaseTrigger,
  RetentionOptions,
  RescanOptions,
  RunnerArchitecture,
  ScanOptions,
  Severity,
  TagPolicyOptions,
  ZeroMajorPolicy,
} from '../options';
import { EnumInfo } from './problems';
import { S, Shape } from './shape';

/** Every key of a struct, each with its shape: a key added to the interface must be added here. */
type Fields<T> = { readonly [K in keyof Required<T>]: Shape };

function struct<T>(name: string, fields: Fields<T>, extra: Partial<Extract<Shape, { kind: 'struct' }>> = {}): Shape {
  return { kind: 'struct', name, fields, ...extra };
}

/** The model's enums, named as the user writes them. */
export const ENUMS = {
  platform: { name: 'Platform', members: Platform },
  trigger: { name: 'ReleaseTrigger', members: ReleaseTrigger },
  severity: { name: 'Severity', members: Severity },
  zeroMajor: { name: 'ZeroMajorPolicy', members: ZeroMajorPolicy },
  latest: { name: 'LatestPolicy', members: LatestPolicy },
  ecosystem: { name: 'DependabotEcosystem', members: DependabotEcosystem },
  interval: { name: 'DependabotInterval', members: DependabotInterval },
  updateType: { name: 'DependabotUpdateType', members: DependabotUpdateType },
  buildStrategy: { name: 'BuildStrategy', members: BuildStrategy },
  architecture: { name: 'RunnerArchitecture', members: RunnerArchitecture },
} satisfies Record<string, EnumInfo>;

const TAGS = struct<TagPolicyOptions>('TagPolicyOptions', {
  version: S.boolean,
  majorMinor: S.boolean,
  major: S.boolean,
  latest: S.enum(ENUMS.latest),
  vPrefixedVersion: S.boolean,
  zeroMajor: S.enum(ENUMS.zeroMajor),
});

const LABELS = struct<OciLabelOptions>('OciLabelOptions', {
  title: S.string,
  description: S.string,
  vendor: S.string,
  licenses: S.string,
  documentation: S.string,
  source: S.string,
  url: S.string,
}, { unknownKeyHint: (key) => (key.includes('.') ? `labels beyond the OCI set go in customLabels, e.g. customLabels: { "${key}": "..." }` : undefined) });

const SCAN = struct<ScanOptions>('ScanOptions', {
  enabled: S.boolean,
  severities: S.array(S.enum(ENUMS.severity)),
  failOn: S.enum(ENUMS.severity),
  failBuild: S.boolean,
  ignoreUnfixed: S.boolean,
  sarifUpload: S.boolean,
  trivyVersion: S.string,
}, { whenBoolean: 'to turn the scan off, write scan: { enabled: false }' });

const ATTESTATIONS = struct<AttestationOptions>('AttestationOptions', {
  provenance: S.boolean,
  sbom: S.boolean,
  sign: S.boolean,
}, { whenBoolean: 'to attest nothing, write attestations: { provenance: false, sbom: false }' });

const RESCAN = struct<RescanOptions>('RescanOptions', {
  enabled: S.boolean,
  schedule: S.string,
  versions: S.number,
}, { whenBoolean: 'to re-scan the shipped releases, write rescan: { enabled: true }' });

const DEPENDABOT_IGNORE = struct<DependabotIgnore>('DependabotIgnore', {
  ecosystem: S.enum(ENUMS.ecosystem),
  dependencyName: S.string,
  updateTypes: S.array(S.enum(ENUMS.updateType)),
});

const DEPENDABOT = struct<DependabotOptions>('DependabotOptions', {
  enabled: S.boolean,
  ecosystems: S.array(S.enum(ENUMS.ecosystem)),
  interval: S.enum(ENUMS.interval),
  cooldownDays: S.number,
  groupUpdates: S.boolean,
  defaultIgnores: S.boolean,
  ignores: S.array(DEPENDABOT_IGNORE),
  labels: S.array(S.string),
}, { whenBoolean: 'to write no dependabot.yml, write dependabot: { enabled: false }' });

const RUNNER = struct<PlatformRunner>('PlatformRunner', {
  labels: S.array(S.string),
  architecture: S.enum(ENUMS.architecture),
});

const RETENTION = struct<RetentionOptions>('RetentionOptions', {
  keep: S.number,
  olderThanDays: S.number,
  keepPrereleases: S.boolean,
  schedule: S.string,
});

const CHART = struct<ChartOptions>('ChartOptions', {
  directory: S.string,
  repository: S.string,
  manageImageValues: S.boolean,
}, { whenBoolean: 'to release the chart with every default, write chart: {}' });

/** The shape of {@link ImageReleaseOptions}. */
export const IMAGE_RELEASE_SHAPE = struct<ImageReleaseOptions>('ImageReleaseOptions', {
  id: S.string,
  image: S.string,
  platforms: S.array(S.enum(ENUMS.platform)),
  trigger: S.enum(ENUMS.trigger),
  tagPattern: S.string,
  tags: TAGS,
  labels: LABELS,
  customLabels: S.map(S.string),
  cache: { kind: 'instance', name: 'BuildCache', test: (v) => v instanceof BuildCache, make: 'BuildCache.githubActions(), BuildCache.registry() or BuildCache.none()' },
  scan: SCAN,
  attestations: ATTESTATIONS,
  rescan: RESCAN,
  dockerfile: S.string,
  context: S.string,
  dependabot: DEPENDABOT,
  maxImageSizeMb: S.number,
  runsOn: S.string,
  buildStrategy: S.enum(ENUMS.buildStrategy),
  runners: S.map(RUNNER),
  hardenProjenWorkflows: S.boolean,
  buildArgs: S.map({ kind: 'instance', name: 'BuildArgValue', test: (v) => v instanceof BuildArgValue, make: 'BuildArgValue.literal(), .version(), .revision() or .created()' }),
  verify: S.boolean,
  buildCheck: S.boolean,
  allowedPublishers: S.array(S.string),
  retention: RETENTION,
  chart: CHART,
});
