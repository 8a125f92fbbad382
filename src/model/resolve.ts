import * as path from 'path';
import {
  BuildCache,
  DependabotEcosystem,
  DependabotInterval,
  DependabotUpdateType,
  ImageReleaseOptions,
  LatestPolicy,
  OciLabelOptions,
  Platform,
  ReleaseTrigger,
  Severity,
  ZeroMajorPolicy,
} from '../options';
import { OCI_PREFIX, STATIC_LABEL_FIELDS, URL_LABEL_FIELDS } from './labels';
import { ProjectFacts, ResolvedDependabot, ResolvedDependabotIgnore, ResolvedModel, ResolvedScan, ResolvedTagPolicy } from './resolved';

/** Registries the pipeline can push to with the workflow's `GITHUB_TOKEN`. */
const SUPPORTED_REGISTRIES = ['ghcr.io'];

/** Severities from most to least severe. */
const SEVERITY_ORDER: readonly Severity[] = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN];

/** The Trivy version trivy-action v0.36.0 installs by default; pinned explicitly. */
export const DEFAULT_TRIVY_VERSION = 'v0.70.0';

/** Dependabot's upper bound for `cooldown.default-days`. */
const MAX_COOLDOWN_DAYS = 90;

/**
 * Thrown when the model has invalid values. The message lists every problem, one per line, each
 * naming the option path, the value and what is allowed.
 */
export class ModelError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`ImageRelease: invalid options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ModelError';
  }
}

/** Collects problems while resolving, so that the user sees all of them at once. */
class Problems {
  public readonly list: string[] = [];
  public add(field: string, value: unknown, allowed: string): void {
    this.list.push(`${field}: ${show(value)} ${allowed}`);
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/**
 * Applies every default and runs every check. Throws {@link ModelError} listing all problems.
 */
export function resolveModel(options: ImageReleaseOptions, facts: ProjectFacts): ResolvedModel {
  const p = new Problems();
  const repo = parseGitHubRepository(facts.repositoryUrl);
  const image = resolveImage(options.image, repo, p);
  const model: ResolvedModel = {
    image,
    registry: image.split('/')[0],
    platforms: resolvePlatforms(options.platforms, p),
    trigger: resolveTrigger(options.trigger, facts.hasProjenRelease, p),
    tagPattern: resolveTagPattern(options.tagPattern, p),
    tags: resolveTags(options.tags ?? {}, p),
    labels: resolveLabels(options.labels ?? {}, facts, repo ?? repositoryOfImage(image), p),
    ...resolveCache(options.cache, image, p),
    scan: resolveScan(options.scan ?? {}, p),
    dockerfile: resolveRelativePath('dockerfile', options.dockerfile ?? 'Dockerfile', p),
    context: resolveRelativePath('context', options.context ?? '.', p),
    dependabot: resolveDependabot(options.dependabot ?? {}, p),
    runsOn: resolveNonEmpty('runsOn', options.runsOn ?? 'ubuntu-24.04', p),
    hardenProjenWorkflows: options.hardenProjenWorkflows ?? true,
    maxImageSizeMb: resolveSizeBudget(options.maxImageSizeMb ?? 200, p),
  };
  if (p.list.length > 0) throw new ModelError(p.list);
  return model;
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

function repositoryOfImage(image: string): GitHubRepository | undefined {
  const parts = image.split('/');
  return parts[0] === 'ghcr.io' && parts.length === 3 ? { owner: parts[1], repo: parts[2] } : undefined;
}

const IMAGE_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY_HOST = /^[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?$/;

function resolveImage(value: string | undefined, repo: GitHubRepository | undefined, p: Problems): string {
  if (value === undefined) {
    if (!repo) {
      p.add('image', value, 'cannot be derived: the project has no GitHub repository URL; set image, e.g. "ghcr.io/acme/app"');
      return 'ghcr.io/unknown/unknown';
    }
    return `ghcr.io/${repo.owner}/${repo.repo}`.toLowerCase();
  }
  if (typeof value !== 'string' || value.trim() === '') {
    p.add('image', value, 'must be an image reference without tag, e.g. "ghcr.io/acme/app"');
    return 'ghcr.io/unknown/unknown';
  }
  const image = value.toLowerCase();
  const parts = image.split('/');
  if (/[@\s]/.test(image) || (parts.length > 1 && parts[parts.length - 1].includes(':'))) {
    p.add('image', value, 'must not contain a tag, digest or whitespace; tags come from the tag policy');
  } else if (parts.length < 3) {
    p.add('image', value, 'must be "<registry>/<owner>/<name>", e.g. "ghcr.io/acme/app"');
  } else if (!REGISTRY_HOST.test(parts[0]) || !parts.slice(1).every((c) => IMAGE_PATH_COMPONENT.test(c))) {
    p.add('image', value, 'is not a valid image reference (lower-case letters, digits and separators . _ - in each path component)');
  } else if (!SUPPORTED_REGISTRIES.includes(parts[0])) {
    p.add('image', value, `pushes to registry "${parts[0]}", which the workflow's GITHUB_TOKEN cannot log in to; use one of ${SUPPORTED_REGISTRIES.join(', ')}`);
  }
  return image;
}

function enumValues<T extends Record<string, string>>(e: T): string[] {
  return Object.values(e);
}

function checkEnum<T extends Record<string, string>>(field: string, value: unknown, e: T, p: Problems): boolean {
  if (!enumValues(e).includes(value as string)) {
    p.add(field, value, `is not supported; use one of ${enumValues(e).join(', ')}`);
    return false;
  }
  return true;
}

function checkEnumList<T extends Record<string, string>>(field: string, values: unknown, e: T, p: Problems): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    p.add(field, values, `must list at least one of ${enumValues(e).join(', ')}`);
    return [];
  }
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (!checkEnum(`${field}[${i}]`, v, e, p)) return;
    if (seen.has(v)) p.add(`${field}[${i}]`, v, 'is listed twice');
    seen.add(v);
  });
  return [...seen];
}

function resolvePlatforms(values: Platform[] | undefined, p: Problems): string[] {
  return checkEnumList('platforms', values ?? [Platform.LINUX_AMD64, Platform.LINUX_ARM64], Platform, p);
}

function resolveTrigger(value: ReleaseTrigger | undefined, hasProjenRelease: boolean, p: Problems): ReleaseTrigger {
  const trigger = value ?? (hasProjenRelease ? ReleaseTrigger.PROJEN_RELEASE : ReleaseTrigger.TAG_PUSH);
  if (!checkEnum('trigger', trigger, ReleaseTrigger, p)) return trigger;
  if (trigger === ReleaseTrigger.PROJEN_RELEASE && !hasProjenRelease) {
    p.add('trigger', trigger, 'needs projen\'s release component (e.g. a JsiiProject or release: true); use "tag-push" or "release-published" for a repository that tags by hand');
  }
  if (trigger !== ReleaseTrigger.PROJEN_RELEASE && hasProjenRelease) {
    p.add('trigger', trigger, 'would never run: projen\'s release workflow creates tags and releases with GITHUB_TOKEN, whose events start no workflow; use "projen-release" (the image jobs join release.yml)');
  }
  return trigger;
}

function resolveTagPattern(value: string | undefined, p: Problems): string {
  const pattern = value ?? 'v*';
  if (typeof pattern !== 'string' || pattern === '' || /\s/.test(pattern)) {
    p.add('tagPattern', pattern, 'must be a non-empty git tag glob without whitespace, e.g. "v*"');
  }
  return pattern;
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
  for (const key of ['version', 'majorMinor', 'major', 'vPrefixedVersion'] as const) {
    if (typeof tags[key] !== 'boolean') p.add(`tags.${key}`, tags[key], 'must be true or false');
  }
  checkEnum('tags.zeroMajor', tags.zeroMajor, ZeroMajorPolicy, p);
  checkEnum('tags.latest', tags.latest, LatestPolicy, p);
  if (!tags.version) {
    p.add('tags.version', tags.version, 'must stay true: a pre-release gets only its full version, so without it a pre-release would push no tag at all');
  }
  return tags;
}

function resolveLabels(o: OciLabelOptions, facts: ProjectFacts, repo: GitHubRepository | undefined, p: Problems): Array<[string, string]> {
  const source = o.source ?? (repo ? `https://github.com/${repo.owner}/${repo.repo}` : undefined);
  // Derived URLs build on the source; an invalid source is reported once, not three times.
  const sourceIsUrl = source !== undefined && isHttpUrl(source);
  const values: Record<string, string | undefined> = {
    title: o.title ?? facts.name,
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
    if (typeof value !== 'string' || value.trim() === '' || /[\r\n\0]/.test(value)) {
      p.add(`labels.${field}`, value, 'must be a non-empty single-line string');
      continue;
    }
    if (URL_LABEL_FIELDS.has(field) && !isHttpUrl(value)) {
      p.add(`labels.${field}`, value, 'must be an http(s) URL');
      continue;
    }
    labels.push([`${OCI_PREFIX}${field}`, value]);
  }
  return labels;
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/\S+$/.test(value);
}

function resolveCache(cache: BuildCache | undefined, image: string, p: Problems): { cacheFrom?: string; cacheTo?: string } {
  const c = cache ?? BuildCache.githubActions();
  if (!(c instanceof BuildCache)) {
    p.add('cache', c, 'must be made with BuildCache.githubActions(), BuildCache.registry() or BuildCache.none()');
    return {};
  }
  return { cacheFrom: c.cacheFrom(image), cacheTo: c.cacheTo(image) };
}

function resolveScan(o: NonNullable<ImageReleaseOptions['scan']>, p: Problems): ResolvedScan {
  const severities = checkEnumList('scan.severities', o.severities ?? [Severity.CRITICAL, Severity.HIGH], Severity, p) as Severity[];
  const ordered = SEVERITY_ORDER.filter((s) => severities.includes(s));
  const failOn = o.failOn ?? Severity.HIGH;
  const failBuild = o.failBuild ?? true;
  let gateSeverities: Severity[] = [];
  if (failBuild && checkEnum('scan.failOn', failOn, Severity, p)) {
    if (severities.length > 0 && !severities.includes(failOn)) {
      p.add('scan.failOn', failOn, `must be one of scan.severities (${ordered.join(', ')}): a severity that is not reported cannot fail the release`);
    }
    gateSeverities = SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(failOn) + 1).filter((s) => severities.includes(s));
  }
  const trivyVersion = o.trivyVersion ?? DEFAULT_TRIVY_VERSION;
  if (typeof trivyVersion !== 'string' || !/^v\d+\.\d+\.\d+$/.test(trivyVersion)) {
    p.add('scan.trivyVersion', trivyVersion, 'must be an exact Trivy release such as "v0.70.0" (never "latest": a moved tag would run unreviewed code)');
  }
  return {
    enabled: o.enabled ?? true,
    severities: ordered,
    gateSeverities,
    ignoreUnfixed: o.ignoreUnfixed ?? false,
    sarifUpload: o.sarifUpload ?? true,
    trivyVersion,
  };
}

function resolveRelativePath(field: string, value: string, p: Problems): string {
  if (typeof value !== 'string' || value.trim() === '') {
    p.add(field, value, 'must be a non-empty path relative to the project root');
    return value;
  }
  const normalized = path.posix.normalize(value.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
    p.add(field, value, 'must be a path inside the project (relative, without leading "..")');
  }
  return normalized;
}

function resolveSizeBudget(value: number, p: Problems): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) p.add('maxImageSizeMb', value, 'must be a positive number of MB');
  return value;
}

function resolveNonEmpty(field: string, value: string, p: Problems): string {
  if (typeof value !== 'string' || value.trim() === '') p.add(field, value, 'must be a non-empty string');
  return value;
}

/** The ignores every repo gets unless `defaultIgnores: false`. */
export const DEFAULT_DEPENDABOT_IGNORES: readonly ResolvedDependabotIgnore[] = [
  { ecosystem: DependabotEcosystem.NPM, dependencyName: 'projen' },
  { ecosystem: DependabotEcosystem.DOCKER, dependencyName: 'node', updateTypes: [DependabotUpdateType.SEMVER_MAJOR] },
];

function resolveDependabot(o: NonNullable<ImageReleaseOptions['dependabot']>, p: Problems): ResolvedDependabot {
  const enabled = o.enabled ?? true;
  const allEcosystems = [DependabotEcosystem.NPM, DependabotEcosystem.DOCKER, DependabotEcosystem.GITHUB_ACTIONS];
  const ecosystems = checkEnumList('dependabot.ecosystems', o.ecosystems ?? allEcosystems, DependabotEcosystem, p) as DependabotEcosystem[];
  const interval = o.interval ?? DependabotInterval.WEEKLY;
  checkEnum('dependabot.interval', interval, DependabotInterval, p);
  const cooldownDays = o.cooldownDays ?? 7;
  if (!Number.isInteger(cooldownDays) || cooldownDays < 0 || cooldownDays > MAX_COOLDOWN_DAYS) {
    p.add('dependabot.cooldownDays', cooldownDays, `must be a whole number of days from 0 to ${MAX_COOLDOWN_DAYS}`);
  }
  const userIgnores = o.ignores ?? [];
  userIgnores.forEach((ig, i) => {
    const field = `dependabot.ignores[${i}]`;
    if (checkEnum(`${field}.ecosystem`, ig.ecosystem, DependabotEcosystem, p) && !ecosystems.includes(ig.ecosystem)) {
      p.add(`${field}.ecosystem`, ig.ecosystem, `is not one of dependabot.ecosystems (${ecosystems.join(', ')})`);
    }
    if (typeof ig.dependencyName !== 'string' || ig.dependencyName.trim() === '') {
      p.add(`${field}.dependencyName`, ig.dependencyName, 'must be a non-empty dependency name');
    }
    (ig.updateTypes ?? []).forEach((t, j) => checkEnum(`${field}.updateTypes[${j}]`, t, DependabotUpdateType, p));
  });
  const defaults = (o.defaultIgnores ?? true) ? DEFAULT_DEPENDABOT_IGNORES.filter((ig) => ecosystems.includes(ig.ecosystem)) : [];
  (o.labels ?? []).forEach((l, i) => {
    if (typeof l !== 'string' || l.trim() === '') p.add(`dependabot.labels[${i}]`, l, 'must be a non-empty label name');
  });
  return {
    enabled,
    ecosystems,
    interval,
    cooldownDays,
    groupUpdates: o.groupUpdates ?? true,
    ignores: [...defaults, ...userIgnores],
    labels: o.labels,
  };
}
