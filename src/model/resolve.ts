import * as path from 'path';
import { chartNameOf, ChartError } from '../chart/chart';
import {
  BuildArgValue,
  BuildCache,
  BuildCacheType,
  BuildStrategy,
  ChartOptions,
  DependabotEcosystem,
  DependabotInterval,
  DependabotUpdateType,
  ImageReleaseOptions,
  LatestPolicy,
  OciLabelOptions,
  Platform,
  ReleaseTrigger,
  RetentionOptions,
  RunnerArchitecture,
  Severity,
  ZeroMajorPolicy,
} from '../options';
import * as semver from '../semver';
import { imageNames, IMAGE_ID_PATTERN, RESERVED_IMAGE_IDS } from './image-names';
import { githubRepositoryOfImage, isImageRef, parseImageRef } from './image-ref';
import { BUILD_ARGS, OCI_PREFIX, STATIC_LABEL_FIELDS, URL_LABEL_FIELDS } from './labels';
import { ENUMS, IMAGE_RELEASE_SHAPE } from './option-shapes';
import { keyPath, Problems, show } from './problems';
import {
  ProjectFacts,
  ResolvedAttestations,
  ResolvedBuildArg,
  ResolvedCache,
  ResolvedChart,
  ResolvedDependabot,
  ResolvedDependabotIgnore,
  ResolvedLeg,
  ResolvedModel,
  ResolvedRescan,
  ResolvedRetention,
  ResolvedScan,
  ResolvedTagPolicy,
} from './resolved';
import { checkShape, expressionProblem } from './shape';
import { planRelease } from '../plan/release-plan';
import { metadataTagInputs, versionSourceOf } from '../tags/metadata-inputs';
import { TAG_PATTERN, tagPrefixOf } from '../tags/tag-prefix';
import { PINNED_ACTION_REPOSITORIES } from '../workflow/pins';

/** Registries the pipeline can push to with the workflow's `GITHUB_TOKEN`. */
const SUPPORTED_REGISTRIES = ['ghcr.io'];

/** Severities from most to least severe. */
const SEVERITY_ORDER: readonly Severity[] = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN];

/** The Trivy version trivy-action v0.36.0 installs by default; pinned explicitly. */
const DEFAULT_TRIVY_VERSION = 'v0.70.0';

/** Dependabot's upper bound for `cooldown.default-days`. */
const MAX_COOLDOWN_DAYS = 90;

/**
 * Applies every default and runs every check: first the shape of every option (unknown keys,
 * types, enum values, expressions in strings), then the values and how options combine. Throws
 * {@link ModelError} listing all problems.
 */
export function resolveModel(options: ImageReleaseOptions, facts: ProjectFacts): ResolvedModel {
  const p = new Problems();
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    p.add('options', options, 'must be an object (ImageReleaseOptions)');
    p.throwIfAny();
  }
  const o = (checkShape('', options ?? {}, IMAGE_RELEASE_SHAPE, p) ?? {}) as ImageReleaseOptions;
  const repo = parseGitHubRepository(facts.repositoryUrl);
  const image = resolveImage(o.image, options?.image, repo, p);
  const trigger = resolveTrigger(o.trigger, facts.hasProjenRelease, p);
  const tagPattern = resolveTagPattern(o.tagPattern, trigger, p);
  const tags = resolveTags(o.tags ?? {}, p);
  const tagPrefix = tagPrefixOf(tagPattern);
  const platforms = [...new Set(o.platforms ?? [Platform.LINUX_AMD64, Platform.LINUX_ARM64])];
  const runsOn = resolveNonEmpty('runsOn', o.runsOn ?? 'ubuntu-24.04', p);
  const cache = resolveCache(o.cache, image, p);
  const attestations = resolveAttestations(o.attestations ?? {});
  let model: ResolvedModel = {
    names: imageNames(resolveId(o.id, p)),
    image,
    registry: registryOf(image),
    platforms,
    trigger,
    tagPattern,
    tagPrefix: trigger === ReleaseTrigger.TAG_PUSH ? tagPrefix : '',
    tags,
    labels: [
      // One of several images is titled after its own name, not the project's.
      ...resolveLabels(o.labels ?? {}, o.id === undefined ? facts.name : image.split('/').pop()!, facts, repo ?? repositoryOfImage(o, image, p), p),
      ...resolveCustomLabels(o.customLabels ?? {}, p),
    ],
    buildArgs: resolveBuildArgs(o.buildArgs ?? {}, p),
    cache,
    buildStrategy: o.buildStrategy ?? BuildStrategy.NATIVE,
    legs: resolveLegs(o, options?.runners, platforms, runsOn, cache, image, p),
    scan: resolveScan(o.scan ?? {}, attestations.sbom, p),
    attestations,
    rescan: resolveRescan(o.rescan ?? {}, p),
    dockerfile: resolveRelativePath('dockerfile', o.dockerfile ?? 'Dockerfile', p),
    context: resolveContext(o.context ?? '.', facts, p),
    dependabot: resolveDependabot(o.dependabot ?? {}, facts, p),
    runsOn,
    hardenProjenWorkflows: o.hardenProjenWorkflows ?? true,
    maxImageSizeMb: resolveSizeBudget(o.maxImageSizeMb ?? 200, p),
    verify: o.verify ?? true,
    buildCheck: o.buildCheck ?? true,
    allowedPublishers: resolveAllowedPublishers(o.allowedPublishers ?? [], p),
    retention: o.retention ? resolveRetention(o.retention, p) : undefined,
  };
  if (o.chart) model = { ...model, chart: resolveChart(o.chart, model, facts, p) };
  checkPlatforms(options?.platforms, p);
  if (p.list.length === 0) checkCacheTag(model, p);
  p.throwIfAny();
  return model;
}

/** The image's id: a short lower-case name that can go into file names and job ids. */
function resolveId(id: string | undefined, p: Problems): string | undefined {
  if (id === undefined) return undefined;
  if (!IMAGE_ID_PATTERN.test(id)) {
    p.add('id', id, 'must be a short lower-case name: letters, digits and "-", starting with a letter (at most 30), e.g. "webhook"');
  } else if (RESERVED_IMAGE_IDS.includes(id)) {
    p.add('id', id, `is reserved (the build check's job ids start with image_${id}_); choose another name`);
  }
  return id;
}

/**
 * The repository an image comes from, when the project does not say: the only image of a
 * repository is usually named after it (`ghcr.io/acme/app` from acme/app); one of several images
 * is not, and a wrong source label would link the package to another repository on GHCR: it needs
 * `labels.source`, which then stands for the repository.
 */
function repositoryOfImage(o: ImageReleaseOptions, image: string, p: Problems): GitHubRepository | undefined {
  if (o.id === undefined) return githubRepositoryOfImage(image);
  if (o.labels?.source === undefined) {
    p.addLine(`labels.source: not set, and the project has no repository URL to take it from (image "${o.id}" is one of several, so its name need not be the repository's); `
      + 'set labels.source to the repository URL, e.g. "https://github.com/acme/operator"');
    return undefined;
  }
  return parseGitHubRepository(o.labels.source);
}

/** `owner` and `repo` of a GitHub repository. */
export interface GitHubRepository {
  readonly owner: string;
  readonly repo: string;
}

/**
 * Parses the GitHub repository out of the URL forms package.json uses (`https://`, `git+https://`,
 * `git@github.com:`, `github:owner/repo`). Returns undefined for anything else.
 */
export function parseGitHubRepository(url: string | undefined): GitHubRepository | undefined {
  if (!url) return undefined;
  const m = /^(?:github:|(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? { owner: m[1], repo: m[2] } : undefined;
}

function resolveImage(value: string | undefined, written: unknown, repo: GitHubRepository | undefined, p: Problems): string {
  if (value === undefined) {
    if (written !== undefined) return 'ghcr.io/unknown/unknown'; // wrong type, reported by the shape check
    if (!repo) {
      p.addLine('image: not set, and it cannot be derived: the project has no GitHub repository URL; set image, e.g. "ghcr.io/acme/app"');
      return 'ghcr.io/unknown/unknown';
    }
    return `ghcr.io/${repo.owner}/${repo.repo}`.toLowerCase();
  }
  if (value.trim() === '') {
    p.add('image', value, 'must be an image reference without tag, e.g. "ghcr.io/acme/app"');
    return 'ghcr.io/unknown/unknown';
  }
  const image = value.toLowerCase();
  const ref = parseImageRef(image);
  if (!isImageRef(ref)) {
    p.add('image', value, ref.error);
  } else if (!SUPPORTED_REGISTRIES.includes(ref.registry)) {
    p.add('image', value, `pushes to registry "${ref.registry}", which the workflow's GITHUB_TOKEN cannot log in to; use one of ${SUPPORTED_REGISTRIES.join(', ')}`);
  }
  return image;
}

/** The registry host of an image (the part before the first `/`, as the parser reads it). */
function registryOf(image: string): string {
  const ref = parseImageRef(image);
  return isImageRef(ref) ? ref.registry : image.split('/')[0];
}

/** Platforms listed twice (the shape check has made sure each is a Platform). */
function checkPlatforms(values: unknown, p: Problems): void {
  if (!Array.isArray(values)) return;
  if (values.length === 0) p.add('platforms', values, 'must list at least one platform');
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) p.add(`platforms[${i}]`, v, 'is listed twice', ENUMS.platform);
  });
}

function resolveTrigger(value: ReleaseTrigger | undefined, hasProjenRelease: boolean, p: Problems): ReleaseTrigger {
  const trigger = value ?? (hasProjenRelease ? ReleaseTrigger.PROJEN_RELEASE : ReleaseTrigger.TAG_PUSH);
  const e = ENUMS.trigger;
  if (trigger === ReleaseTrigger.PROJEN_RELEASE && !hasProjenRelease) {
    p.add('trigger', trigger, 'needs projen\'s release component (e.g. a JsiiProject or release: true); use ReleaseTrigger.TAG_PUSH or ReleaseTrigger.RELEASE_PUBLISHED for a repository that tags by hand', e);
  }
  if (trigger !== ReleaseTrigger.PROJEN_RELEASE && hasProjenRelease) {
    p.add('trigger', trigger, 'would never run: projen\'s release workflow creates tags and releases with GITHUB_TOKEN, whose events start no workflow; use ReleaseTrigger.PROJEN_RELEASE (the image jobs join release.yml)', e);
  }
  return trigger;
}

function resolveTagPattern(value: string | undefined, trigger: ReleaseTrigger, p: Problems): string {
  if (value === undefined) return 'v*';
  if (trigger !== ReleaseTrigger.TAG_PUSH) {
    const how = trigger === ReleaseTrigger.PROJEN_RELEASE ? 'projen\'s release decides the tags' : 'the published release decides the tag';
    p.addLine(`tagPattern: ${show(value)} is only used with trigger ReleaseTrigger.TAG_PUSH, but trigger is ${show(trigger, ENUMS.trigger)} (${how}); remove tagPattern`);
    return 'v*';
  }
  if (!TAG_PATTERN.test(value)) {
    p.add('tagPattern', value, 'must be a literal tag prefix followed by one "*", e.g. "v*" or "operator-v*" (the text before the version is stripped)');
    return 'v*';
  }
  return value;
}

function resolveTags(o: NonNullable<ImageReleaseOptions['tags']>, p: Problems): ResolvedTagPolicy {
  const tags: ResolvedTagPolicy = {
    version: o.version ?? true,
    majorMinor: o.majorMinor ?? true,
    major: o.major ?? true,
    latest: o.latest ?? LatestPolicy.HIGHEST_VERSION,
    vPrefixedVersion: o.vPrefixedVersion ?? false,
    zeroMajor: o.zeroMajor ?? ZeroMajorPolicy.ALL_TAGS,
  };
  if (!tags.version) {
    p.add('tags.version', tags.version, 'must stay true: a pre-release gets only its full version, so without it a pre-release would push no tag at all');
  }
  if (o.zeroMajor !== undefined && !tags.major && !tags.majorMinor) {
    p.addLine(`tags.zeroMajor: ${show(o.zeroMajor, ENUMS.zeroMajor)} has no effect because tags.major and tags.majorMinor are both false; remove tags.zeroMajor`);
  }
  return tags;
}

function resolveLabels(
  o: OciLabelOptions, defaultTitle: string, facts: ProjectFacts, repo: GitHubRepository | undefined, p: Problems,
): Array<[string, string]> {
  const source = o.source ?? (repo ? `https://github.com/${repo.owner}/${repo.repo}` : undefined);
  // Derived URLs build on the source; an invalid source is reported once, not three times.
  const sourceIsUrl = source !== undefined && isHttpUrl(source);
  const values: Record<string, string | undefined> = {
    title: o.title ?? defaultTitle,
    description: o.description ?? facts.description,
    vendor: o.vendor ?? facts.author ?? repo?.owner,
    licenses: o.licenses ?? facts.license,
    documentation: o.documentation ?? (sourceIsUrl && repo ? `${source}/blob/HEAD/README.md` : undefined),
    source,
    url: o.url ?? (sourceIsUrl ? source : undefined),
  };
  const labels: Array<[string, string]> = [];
  for (const field of STATIC_LABEL_FIELDS) {
    const value = values[field];
    if (value === undefined) continue;
    const fromProject = (o as Record<string, unknown>)[field] === undefined ? ' (taken from the project metadata; set it to override)' : '';
    const problem = labelValueProblem(value) ?? (URL_LABEL_FIELDS.has(field) && !isHttpUrl(value) ? 'must be an http(s) URL' : undefined);
    if (problem) {
      p.add(`labels.${field}`, value, problem + fromProject);
      continue;
    }
    labels.push([`${OCI_PREFIX}${field}`, value]);
  }
  return labels;
}

/** What every label value must be: it lands in workflow inputs, the Dockerfile and annotations. */
function labelValueProblem(value: string): string | undefined {
  if (value.trim() === '' || /[\r\n\0]/.test(value)) return 'must be a non-empty single-line string';
  return expressionProblem(value);
}

/** A custom label key: reverse-DNS in lower case (`com.acme.team`), as the OCI spec recommends. */
const CUSTOM_LABEL_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+$/;
/** Key namespaces that belong to others: the OCI set (labels.*) and Docker's own. */
const RESERVED_LABEL_PREFIXES = [OCI_PREFIX, 'com.docker.', 'io.docker.', 'org.dockerproject.'];

function resolveCustomLabels(o: Record<string, string>, p: Problems): Array<[string, string]> {
  const labels: Array<[string, string]> = [];
  for (const key of Object.keys(o).sort()) {
    const field = keyPath('customLabels', key);
    const value = o[key];
    if (value === undefined) continue;
    const reserved = RESERVED_LABEL_PREFIXES.find((r) => key.startsWith(r));
    if (reserved === OCI_PREFIX) {
      p.add(field, value, `is an OCI label; set it with labels.${key.slice(OCI_PREFIX.length)}`);
    } else if (reserved) {
      p.add(field, value, `uses the "${reserved}" namespace, which Docker reserves; use your own reverse-DNS prefix, e.g. "com.acme.team"`);
    } else if (!CUSTOM_LABEL_KEY.test(key)) {
      p.addLine(`${field}: the key ${show(key)} must be a lower-case reverse-DNS name such as "com.acme.team" (letters, digits, "-" and "_" between dots)`);
    } else {
      const problem = labelValueProblem(value);
      if (problem) p.add(field, value, problem);
      else labels.push([key, value]);
    }
  }
  return labels;
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/\S+$/.test(value);
}

/** A build arg name, as Dockerfile ARG instructions take it. */
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that say a secret: build args are stored in the image history. */
const SECRET_NAME = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|API_?KEY|PRIVATE_?KEY|AUTH)(_|$)/i;

function resolveBuildArgs(o: Record<string, BuildArgValue>, p: Problems): ResolvedBuildArg[] {
  const args: ResolvedBuildArg[] = [];
  for (const name of Object.keys(o).sort()) {
    const field = keyPath('buildArgs', name);
    const value = o[name];
    if (value === undefined) continue;
    if (!BUILD_ARG_NAME.test(name)) {
      p.addLine(`${field}: the name ${show(name)} is not a build arg name (letters, digits and "_", not starting with a digit)`);
    } else if (BUILD_ARGS.some((a) => a.arg === name)) {
      p.addLine(`${field}: ${name} is set by the label block on every build; use another name`);
    } else if (SECRET_NAME.test(name)) {
      p.addLine(`${field}: ${name} looks like a secret, and build args are stored in the image history; pass secrets as BuildKit secrets (RUN --mount=type=secret) instead`);
    } else if (value.fact !== undefined) {
      args.push({ name, fact: value.fact });
    } else if (typeof value.literalValue !== 'string') {
      p.add(field, value.literalValue, 'must be a string');
    } else {
      const problem = /[\r\n\0]/.test(value.literalValue) ? 'must be a single-line string' : expressionProblem(value.literalValue);
      if (problem) p.add(field, value.literalValue, problem);
      else args.push({ name, literal: value.literalValue });
    }
  }
  return args;
}

/** A gha cache scope: what buildx's `type=gha,scope=...` attribute takes without quoting. */
const GHA_SCOPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
/** A tag, as the distribution spec allows it. */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

function resolveCache(cache: BuildCache | undefined, image: string, p: Problems): ResolvedCache {
  const c = cache ?? BuildCache.githubActions();
  switch (c.type) {
    case BuildCacheType.GITHUB_ACTIONS: {
      // The default is the image's name, made safe: a wrong image is reported once, as the image.
      const scope = c.name ?? image.split('/').pop()!.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 80);
      if (c.name !== undefined && !GHA_SCOPE.test(scope)) {
        p.add('cache', c.name, 'is not a GitHub Actions cache scope: use letters, digits, ".", "_" and "-" (at most 80), e.g. BuildCache.githubActions("operator")');
      }
      return { type: c.type, name: scope };
    }
    case BuildCacheType.REGISTRY:
      if (typeof c.name !== 'string' || !DOCKER_TAG.test(c.name)) {
        p.add('cache', c.name, 'is not a registry cache tag: a tag has letters, digits, "_", "." and "-" (no ":" or "/"), at most 100, e.g. BuildCache.registry("buildcache")');
      }
      return { type: c.type, name: c.name };
    default:
      return { type: BuildCacheType.NONE };
  }
}

/** The platforms a runner of each architecture runs without emulation. */
const NATIVE_PLATFORMS: Readonly<Record<RunnerArchitecture, readonly Platform[]>> = {
  [RunnerArchitecture.X64]: [Platform.LINUX_AMD64],
  [RunnerArchitecture.ARM64]: [Platform.LINUX_ARM64],
};

/** GitHub's hosted runner for each platform; the others are emulated on x64. */
function defaultRunner(platform: Platform): { labels: string[]; architecture: RunnerArchitecture } {
  return platform === Platform.LINUX_ARM64
    ? { labels: ['ubuntu-24.04-arm'], architecture: RunnerArchitecture.ARM64 }
    : { labels: ['ubuntu-24.04'], architecture: RunnerArchitecture.X64 };
}

/**
 * One build per platform: on its own runner (native), or every one on `runsOn` (emulated), with
 * QEMU only where the runner's architecture cannot run the platform, and a cache per platform.
 */
function resolveLegs(
  o: ImageReleaseOptions, raw: unknown, platforms: readonly Platform[], runsOn: string, cache: ResolvedCache, image: string, p: Problems,
): ResolvedLeg[] {
  const strategy = o.buildStrategy ?? BuildStrategy.NATIVE;
  const runners = o.runners ?? {};
  const written = (raw ?? {}) as Record<string, Partial<Record<string, unknown>> | undefined>;
  if (strategy === BuildStrategy.EMULATED && Object.keys(runners).length > 0) {
    p.addLine(`runners: ${show(runners)} has no effect because buildStrategy is BuildStrategy.EMULATED (every platform builds on runsOn); remove runners`);
  }
  for (const [key, runner] of Object.entries(runners)) {
    if (!platforms.includes(key as Platform)) {
      const known = Object.values(Platform) as string[];
      const why = known.includes(key) ? 'is not one of platforms' : `is not a Platform (${known.join(', ')})`;
      p.addLine(`${keyPath('runners', key)}: the key ${show(key)} ${why}`);
    }
    if (runner?.labels !== undefined && (runner.labels.length === 0 || runner.labels.some((l) => l.trim() === ''))) {
      p.add(`${keyPath('runners', key)}.labels`, runner.labels, 'must list at least one non-empty runner label');
    }
    // A value the shape check refused is reported already; only a missing one is reported here.
    const missing = ['labels', 'architecture'].filter((f) => written[key]?.[f] === undefined);
    if (runner !== undefined && missing.length > 0) {
      p.add(keyPath('runners', key), runner, 'must give both labels and architecture (the architecture decides what is emulated)');
    }
  }
  return platforms.map((platform) => {
    const runner = strategy === BuildStrategy.EMULATED
      ? { labels: [runsOn], architecture: RunnerArchitecture.X64 }
      : { ...defaultRunner(platform), ...(runners[platform] ?? {}) };
    const suffix = platform.replace(/\//g, '-');
    const cacheName = `${cache.name}-${suffix}`;
    let cacheFrom: string | undefined;
    let cacheTo: string | undefined;
    if (cache.type === BuildCacheType.GITHUB_ACTIONS) {
      [cacheFrom, cacheTo] = [`type=gha,scope=${cacheName}`, `type=gha,scope=${cacheName},mode=max`];
    } else if (cache.type === BuildCacheType.REGISTRY) {
      cacheFrom = `type=registry,ref=${image}:${cacheName}`;
      cacheTo = `type=registry,ref=${image}:${cacheName},mode=max,image-manifest=true,oci-mediatypes=true`;
    }
    return {
      platform,
      id: platform.replace(/\//g, '_'),
      runsOn: runner.labels ?? [],
      architecture: runner.architecture ?? RunnerArchitecture.X64,
      emulated: !(NATIVE_PLATFORMS[runner.architecture ?? RunnerArchitecture.X64] ?? []).includes(platform),
      cacheFrom,
      cacheTo,
    };
  });
}

/**
 * A registry cache tag must be one the tag policy never produces, or the cache push would
 * overwrite a release (`latest`, `1`, ...). The planner is asked: every release whose version
 * could print as the cache tag is planned, and none may produce it.
 */
function checkCacheTag(model: ResolvedModel, p: Problems): void {
  if (model.cache.type !== BuildCacheType.REGISTRY || !model.cache.name) return;
  for (const leg of model.legs) {
    if (!checkRegistryCacheTag(model, `${model.cache.name}-${leg.platform.replace(/\//g, '-')}`, p)) return;
  }
}

/** Whether a cache tag is clear of the tag policy; reports it when it is not. */
function checkRegistryCacheTag(model: ResolvedModel, tag: string, p: Problems): boolean {
  const bare = tag.replace(/^v/, '');
  const versions = [...new Set([bare, `${bare}.0`, `${bare}.0.0`, '1.0.0', '0.1.0'])].filter((v) => semver.valid(v) !== null);
  const inputs = metadataTagInputs(model.tags, model.trigger, versionSourceOf(model));
  const planModel = {
    trigger: model.trigger,
    releaseBranch: 'main',
    tagPrefix: model.tagPrefix,
    metadata: { images: [model.image], tags: inputs.tags, flavor: inputs.flavor },
    labels: [],
    buildArgs: [],
  };
  for (const version of versions) {
    const release = `${model.tagPrefix || 'v'}${version}`;
    const plan = planRelease(planModel, { tag: release, sha: '0'.repeat(40), existingTags: [], now: '2026-01-01T00:00:00.000Z' });
    if (plan.tags.includes(tag)) {
      p.add('cache', tag, `is a tag the tag policy produces (release ${release} gets ${plan.tags.join(', ')}); the cache would overwrite it: use a tag that is not a version, e.g. BuildCache.registry("buildcache")`);
      return false;
    }
  }
  return true;
}

/** Provenance and SBOM on, signing off, unless the options say otherwise. */
function resolveAttestations(o: NonNullable<ImageReleaseOptions['attestations']>): ResolvedAttestations {
  return { provenance: o.provenance ?? true, sbom: o.sbom ?? true, sign: o.sign ?? false };
}

/** Five cron fields, as GitHub's `schedule` takes them. */
const CRON = /^\S+(\s+\S+){4}$/;

/** The re-scan: off unless enabled; its other options only with it. */
function resolveRescan(o: NonNullable<ImageReleaseOptions['rescan']>, p: Problems): ResolvedRescan {
  const enabled = o.enabled ?? false;
  if (!enabled) {
    for (const key of Object.keys(o).filter((k) => k !== 'enabled')) {
      p.addLine(`rescan.${key}: ${show((o as Record<string, unknown>)[key])} has no effect because rescan.enabled is not true; remove it, or set rescan.enabled`);
    }
  }
  const schedule = o.schedule ?? '0 5 * * 1';
  if (!CRON.test(schedule.trim())) p.add('rescan.schedule', schedule, 'must be a cron expression of five fields, e.g. "0 5 * * 1" (Mondays 05:00 UTC)');
  const versions = o.versions ?? 3;
  if (!Number.isInteger(versions) || versions < 1 || versions > 20) p.add('rescan.versions', versions, 'must be a whole number from 1 to 20');
  return { enabled, schedule: schedule.trim(), versions };
}

/** @param sbom whether the SBOM is written with the scan's Trivy (its version then matters without a scan) */
function resolveScan(o: NonNullable<ImageReleaseOptions['scan']>, sbom: boolean, p: Problems): ResolvedScan {
  const enabled = o.enabled ?? true;
  const severityEnum = ENUMS.severity;
  if (!enabled) {
    for (const key of Object.keys(o).filter((k) => k !== 'enabled' && !(sbom && k === 'trivyVersion'))) {
      p.addLine(`scan.${key}: ${show((o as Record<string, unknown>)[key], severityEnum)} has no effect because scan.enabled is false; remove it`);
    }
  }
  const failBuild = o.failBuild ?? true;
  if (enabled && !failBuild && o.failOn !== undefined) {
    p.addLine(`scan.failOn: ${show(o.failOn, severityEnum)} has no effect because scan.failBuild is false (the scan only reports); remove it, or set failBuild to true`);
  }
  const severities = o.severities ?? [Severity.CRITICAL, Severity.HIGH];
  if (o.severities !== undefined && o.severities.length === 0) p.add('scan.severities', o.severities, 'must list at least one severity');
  o.severities?.forEach((s, i) => {
    if (o.severities!.indexOf(s) !== i) p.add(`scan.severities[${i}]`, s, 'is listed twice', severityEnum);
  });
  const ordered = SEVERITY_ORDER.filter((s) => severities.includes(s));
  const failOn = o.failOn ?? Severity.HIGH;
  let gateSeverities: Severity[] = [];
  if (enabled && failBuild) {
    if (ordered.length > 0 && !ordered.includes(failOn)) {
      p.add('scan.failOn', failOn, `must be one of scan.severities (${ordered.map((s) => show(s, severityEnum)).join(', ')}): a severity that is not reported cannot fail the release`, severityEnum);
    }
    gateSeverities = SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(failOn) + 1).filter((s) => ordered.includes(s));
  }
  const trivyVersion = o.trivyVersion ?? DEFAULT_TRIVY_VERSION;
  if (!/^v\d+\.\d+\.\d+$/.test(trivyVersion)) {
    p.add('scan.trivyVersion', trivyVersion, 'must be an exact Trivy release such as "v0.70.0" (never "latest": a moved tag would run unreviewed code)');
  }
  return {
    enabled,
    severities: ordered,
    gateSeverities,
    ignoreUnfixed: o.ignoreUnfixed ?? false,
    sarifUpload: o.sarifUpload ?? true,
    trivyVersion,
  };
}

function resolveRelativePath(field: string, value: string, p: Problems): string {
  if (value.trim() === '') {
    p.add(field, value, 'must be a non-empty path relative to the project root');
    return value;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^git@/.test(value)) {
    p.add(field, value, 'must be a path inside the repository; remote (URL or git) locations are not supported');
    return value;
  }
  const normalized = path.posix.normalize(value.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(normalized) || normalized === '..' || normalized.startsWith('../')) {
    p.add(field, value, 'must be a path inside the project (relative, without leading "..")');
  }
  return normalized.replace(/\/$/, '') || '.';
}

function resolveContext(value: string, facts: ProjectFacts, p: Problems): string {
  const before = p.list.length;
  const context = resolveRelativePath('context', value, p);
  if (p.list.length === before && facts.isDirectory && !facts.isDirectory(context)) {
    p.add('context', value, 'is not a directory of the project; the build context must exist');
  }
  return context;
}

/** An OCI chart repository on a registry, e.g. `oci://ghcr.io/acme/charts`. */
const OCI_REPOSITORY = /^oci:\/\/([^/]+)\/(.+)$/;

/**
 * The chart of the image: its directory (which must exist, with a `Chart.yaml` naming the chart),
 * the OCI repository it is pushed to (on a registry the workflow's token can push to), and the
 * source annotation, which is the image's source label.
 */
function resolveChart(o: ChartOptions, model: ResolvedModel, facts: ProjectFacts, p: Problems): ResolvedChart | undefined {
  const before = p.list.length;
  const imageName = model.image.split('/').pop()!;
  const directory = resolveRelativePath('chart.directory', o.directory ?? `charts/${imageName}`, p);
  let name = directory.split('/').pop()!;
  if (p.list.length === before && facts.isDirectory && !facts.isDirectory(directory)) {
    p.add('chart.directory', o.directory ?? directory, `is not a directory of the project${o.directory === undefined ? ' (the default: charts/ and the image\'s name)' : ''}; create the chart there or set chart.directory`);
  } else if (p.list.length === before && facts.readText) {
    const file = `${directory}/Chart.yaml`;
    const text = facts.readText(file);
    if (text === undefined) {p.add('chart.directory', o.directory ?? directory, `holds no Chart.yaml (${file}); a Helm chart needs one`);} else {
      try {
        name = chartNameOf(file, text);
      } catch (e) {
        if (!(e instanceof ChartError)) throw e;
        p.addLine(e.message);
      }
    }
  }
  const owner = model.image.split('/')[1];
  const repository = (o.repository ?? `oci://ghcr.io/${owner}/charts`).replace(/\/+$/, '');
  const m = OCI_REPOSITORY.exec(repository);
  if (!m) {
    p.add('chart.repository', o.repository, 'must be an OCI repository, "oci://<registry>/<path>", e.g. "oci://ghcr.io/acme/charts"');
  } else if (repository !== repository.toLowerCase()) {
    p.add('chart.repository', o.repository, 'must be lower-case (OCI repository names are)');
  } else if (!SUPPORTED_REGISTRIES.includes(m[1])) {
    p.add('chart.repository', o.repository, `pushes to registry "${m[1]}", which the workflow's GITHUB_TOKEN cannot log in to; use one of ${SUPPORTED_REGISTRIES.join(', ')}`);
  } else if (!isImageRef(parseImageRef(`${m[1]}/${m[2]}/${name}`))) {
    p.add('chart.repository', o.repository, 'is not a valid repository path (lower-case letters, digits and separators . _ - in each path component)');
  }
  const source = model.labels.find(([k]) => k === `${OCI_PREFIX}source`)?.[1];
  if (source === undefined) {
    p.addLine('chart: the image has no source label to annotate the chart with (GHCR links a package to its repository through it); set labels.source');
  }
  return {
    directory,
    name,
    repository,
    artifact: `${repository.replace(/^oci:\/\//, '')}/${name}`,
    manageImageValues: o.manageImageValues ?? true,
    source: source ?? '',
  };
}

/** A cron field: `*`, numbers, ranges, lists and steps. */
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function resolveRetention(o: RetentionOptions, p: Problems): ResolvedRetention {
  const keep = o.keep ?? 10;
  if (!Number.isInteger(keep) || keep < 1) p.add('retention.keep', keep, 'must be a whole number of at least 1 (GitHub keeps a package\'s last tagged version anyway)');
  const olderThanDays = o.olderThanDays ?? 14;
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) {
    p.add('retention.olderThanDays', olderThanDays, 'must be a whole number of days of at least 1 (a younger untagged manifest may be a release being merged)');
  }
  const schedule = o.schedule ?? '23 4 * * 1';
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    p.add('retention.schedule', schedule, 'is not a five-field cron expression such as "0 3 * * *" (minute hour day month weekday, UTC)');
  }
  return { keep, olderThanDays, keepPrereleases: o.keepPrereleases ?? false, schedule: fields.join(' ') };
}

function resolveSizeBudget(value: number, p: Problems): number {
  if (!(value > 0)) p.add('maxImageSizeMb', value, 'must be a positive number of MB');
  return value;
}

function resolveNonEmpty(field: string, value: string, p: Problems): string {
  if (value.trim() === '') p.add(field, value, 'must be a non-empty string');
  return value;
}

/** A `<workflow file>:<job id>` entry of allowedPublishers. */
const PUBLISHER_ENTRY = /^[^:\s]+\.ya?ml:[A-Za-z_][A-Za-z0-9_-]*$/;

function resolveAllowedPublishers(values: readonly string[], p: Problems): string[] {
  values.forEach((v, i) => {
    if (!PUBLISHER_ENTRY.test(v)) p.add(`allowedPublishers[${i}]`, v, 'must be "<workflow file>:<job id>", e.g. ".github/workflows/docker.yml:publish"');
  });
  return [...values];
}

/** The ignores every repo gets unless `defaultIgnores: false`. */
const DEFAULT_DEPENDABOT_IGNORES: readonly ResolvedDependabotIgnore[] = [
  { ecosystem: DependabotEcosystem.NPM, dependencyName: 'projen' },
  { ecosystem: DependabotEcosystem.DOCKER, dependencyName: 'node', updateTypes: [DependabotUpdateType.SEMVER_MAJOR] },
  // Synthesis keeps every action it pins in its major: a major update would be reverted by the next
  // `npx projen`, so its pull request could never land. Actions only the user's own workflows use
  // get every update.
  ...PINNED_ACTION_REPOSITORIES.map((name) => ({
    ecosystem: DependabotEcosystem.GITHUB_ACTIONS, dependencyName: name, updateTypes: [DependabotUpdateType.SEMVER_MAJOR],
  })),
];

function resolveDependabot(o: NonNullable<ImageReleaseOptions['dependabot']>, facts: ProjectFacts, p: Problems): ResolvedDependabot {
  const enabled = o.enabled ?? true;
  if (!enabled) {
    for (const key of Object.keys(o).filter((k) => k !== 'enabled')) {
      p.addLine(`dependabot.${key}: ${show((o as Record<string, unknown>)[key])} has no effect because dependabot.enabled is false; remove it`);
    }
  }
  const ecosystemEnum = ENUMS.ecosystem;
  const defaults = facts.hasProjenUpgrade
    ? [DependabotEcosystem.DOCKER, DependabotEcosystem.GITHUB_ACTIONS]
    : [DependabotEcosystem.NPM, DependabotEcosystem.DOCKER, DependabotEcosystem.GITHUB_ACTIONS];
  const ecosystems = o.ecosystems ?? defaults;
  if (o.ecosystems !== undefined && o.ecosystems.length === 0) p.add('dependabot.ecosystems', o.ecosystems, 'must list at least one ecosystem');
  o.ecosystems?.forEach((e, i) => {
    if (o.ecosystems!.indexOf(e) !== i) p.add(`dependabot.ecosystems[${i}]`, e, 'is listed twice', ecosystemEnum);
  });
  const interval = o.interval ?? DependabotInterval.WEEKLY;
  const cooldownDays = o.cooldownDays ?? 7;
  if (!Number.isInteger(cooldownDays) || cooldownDays < 0 || cooldownDays > MAX_COOLDOWN_DAYS) {
    p.add('dependabot.cooldownDays', cooldownDays, `must be a whole number of days from 0 to ${MAX_COOLDOWN_DAYS}`);
  }
  const userIgnores = o.ignores ?? [];
  userIgnores.forEach((ig, i) => {
    const field = `dependabot.ignores[${i}]`;
    if (ig.ecosystem === undefined) p.add(`${field}.ecosystem`, ig.ecosystem, 'is required');
    else if (!ecosystems.includes(ig.ecosystem)) p.add(`${field}.ecosystem`, ig.ecosystem, `is not one of dependabot.ecosystems (${ecosystems.map((e) => show(e, ecosystemEnum)).join(', ')})`, ecosystemEnum);
    if (ig.dependencyName === undefined || ig.dependencyName.trim() === '') {
      p.add(`${field}.dependencyName`, ig.dependencyName, 'must be a non-empty dependency name');
    }
  });
  const defaultIgnores = (o.defaultIgnores ?? true) ? DEFAULT_DEPENDABOT_IGNORES.filter((ig) => ecosystems.includes(ig.ecosystem)) : [];
  (o.labels ?? []).forEach((l, i) => {
    if (l.trim() === '') p.add(`dependabot.labels[${i}]`, l, 'must be a non-empty label name');
  });
  return {
    enabled,
    ecosystems: [...new Set(ecosystems)],
    interval,
    cooldownDays,
    groupUpdates: o.groupUpdates ?? true,
    ignores: [...defaultIgnores, ...userIgnores],
    labels: o.labels,
  };
}
