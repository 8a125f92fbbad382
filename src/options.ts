/**
 * The typed model of an image release: everything the synthesized workflow, the
 * Dockerfile block and dependabot.yml contain comes from these options.
 */

/**
 * A platform the image is built for (the `--platform` value of Buildx).
 */
export enum Platform {
  /** x86_64: most cloud providers. */
  LINUX_AMD64 = 'linux/amd64',
  /** ARM64/aarch64: AWS Graviton, Apple Silicon, Ampere. */
  LINUX_ARM64 = 'linux/arm64',
  /** 32-bit ARM v7 (Raspberry Pi 2/3). */
  LINUX_ARM_V7 = 'linux/arm/v7',
  /** IBM POWER little-endian. */
  LINUX_PPC64LE = 'linux/ppc64le',
  /** IBM Z. */
  LINUX_S390X = 'linux/s390x',
}

/**
 * What starts the image release.
 *
 * There is deliberately no "both tag push and release" choice: a release published from an
 * existing tag fires both events and would build the same version twice, racing on the tags.
 */
export enum ReleaseTrigger {
  /**
   * Attach the image jobs to projen's own release workflow (`release.yml`), after the GitHub
   * release is created. Releases made there use `GITHUB_TOKEN`, and events made with that token
   * start no other workflow, so a separate workflow would never run.
   */
  PROJEN_RELEASE = 'projen-release',
  /** A standalone `release-image.yml` that runs when a tag matching `tagPattern` is pushed. */
  TAG_PUSH = 'tag-push',
  /** A standalone `release-image.yml` that runs when a GitHub release is published. */
  RELEASE_PUBLISHED = 'release-published',
}

/**
 * A vulnerability severity as Trivy reports it.
 */
export enum Severity {
  /** CRITICAL */
  CRITICAL = 'CRITICAL',
  /** HIGH */
  HIGH = 'HIGH',
  /** MEDIUM */
  MEDIUM = 'MEDIUM',
  /** LOW */
  LOW = 'LOW',
  /** UNKNOWN */
  UNKNOWN = 'UNKNOWN',
}

/**
 * How `major.minor` and `major` tags are produced for `0.x` versions.
 */
export enum ZeroMajorPolicy {
  /** `0.3.1` also gets `0.3` and `0` (docker/metadata-action's own behaviour). */
  ALL_TAGS = 'all-tags',
  /** `0.3.1` also gets `0.3`, but not `0` (a `0` tag would span breaking changes). */
  NO_MAJOR_TAG = 'no-major-tag',
  /** `0.3.1` gets only `0.3.1` (every 0.x minor may break). */
  VERSION_ONLY = 'version-only',
}

/**
 * Which stable release gets the `latest` tag. A pre-release never does.
 */
export enum LatestPolicy {
  /**
   * Only the highest released version: a backport (1.4.1 after 2.0.0) never moves `latest`
   * backwards. Decided at run time from the repository's tags.
   */
  HIGHEST_VERSION = 'highest-version',
  /** Every stable release (metadata-action's `latest=auto`), backports included. */
  EVERY_STABLE_RELEASE = 'every-stable-release',
  /** No `latest` tag at all. */
  NEVER = 'never',
}

/**
 * Which image tags a release produces.
 */
export interface TagPolicyOptions {
  /**
   * Tag the full version (`1.2.3`, and `1.0.0-rc.1` for a pre-release).
   * @default true
   */
  readonly version?: boolean;

  /**
   * Tag `major.minor` (`1.2`) for stable versions.
   * @default true
   */
  readonly majorMinor?: boolean;

  /**
   * Tag `major` (`1`) for stable versions.
   * @default true
   */
  readonly major?: boolean;

  /**
   * Which release gets `latest`. Never a semver pre-release, and never a release marked
   * pre-release on GitHub.
   * @default LatestPolicy.HIGHEST_VERSION
   */
  readonly latest?: LatestPolicy;

  /**
   * Also tag the full version with a `v` prefix (`v1.2.3`). docker/metadata-action's
   * `{{version}}` strips the `v`, so the seed's promised `v1.2.3` tag needs its own line.
   * @default false
   */
  readonly vPrefixedVersion?: boolean;

  /**
   * How `0.x` versions are tagged.
   * @default ZeroMajorPolicy.ALL_TAGS
   */
  readonly zeroMajor?: ZeroMajorPolicy;
}

/**
 * Static OCI labels (`org.opencontainers.image.*`). `created`, `revision` and `version` are
 * always set per build and cannot be configured here.
 * @see https://github.com/opencontainers/image-spec/blob/main/annotations.md
 */
export interface OciLabelOptions {
  /**
   * Human-readable title of the image.
   * @default - the project name
   */
  readonly title?: string;

  /**
   * Human-readable description; GHCR shows it when it is an annotation on the image index.
   * @default - the package description, if the project has one
   */
  readonly description?: string;

  /**
   * Name of the distributing entity, organization or individual.
   * @default - the package author, else the GitHub owner of the image
   */
  readonly vendor?: string;

  /**
   * SPDX license expression.
   * @default - the package license, if the project has one
   */
  readonly licenses?: string;

  /**
   * URL of the documentation.
   * @default - the README on the repository's default branch (`<source>/blob/HEAD/README.md`)
   */
  readonly documentation?: string;

  /**
   * URL of the source code; on GHCR this links the package to its repository.
   * @default - the repository URL (from the project, else derived from a ghcr.io image)
   */
  readonly source?: string;

  /**
   * URL to find more information on the image.
   * @default - the source URL
   */
  readonly url?: string;
}

/**
 * Where Buildx keeps its layer cache between releases.
 */
export abstract class BuildCache {
  /**
   * GitHub Actions cache (`type=gha`). 10 GB per repository with LRU eviction; caches written on
   * a tag ref are not visible to later tags.
   * @param scope cache scope, so that several images in one repository do not overwrite each other
   */
  public static githubActions(scope?: string): BuildCache {
    return new GhaCache(scope ?? 'release-image');
  }

  /**
   * A registry cache (`type=registry`) stored next to the image under a tag, which survives
   * across tags and runners.
   * @param tag the tag of the cache image in the image's repository
   */
  public static registry(tag?: string): BuildCache {
    return new RegistryCache(tag ?? 'buildcache');
  }

  /** No build cache. */
  public static none(): BuildCache {
    return new NoCache();
  }

  /**
   * The `cache-from` value for build-push-action, or undefined for none.
   * @param image the lower-cased image reference (without tag)
   */
  public abstract cacheFrom(image: string): string | undefined;

  /**
   * The `cache-to` value for build-push-action, or undefined for none.
   * @param image the lower-cased image reference (without tag)
   */
  public abstract cacheTo(image: string): string | undefined;

  /** A short human-readable name of this cache kind. */
  public abstract describe(): string;
}

class GhaCache extends BuildCache {
  constructor(private readonly scope: string) {
    super();
  }
  public cacheFrom(): string {
    return `type=gha,scope=${this.scope}`;
  }
  public cacheTo(): string {
    return `type=gha,scope=${this.scope},mode=max`;
  }
  public describe(): string {
    return `GitHub Actions cache (scope ${this.scope})`;
  }
}

class RegistryCache extends BuildCache {
  constructor(private readonly tag: string) {
    super();
  }
  public cacheFrom(image: string): string {
    return `type=registry,ref=${image}:${this.tag}`;
  }
  public cacheTo(image: string): string {
    return `type=registry,ref=${image}:${this.tag},mode=max,image-manifest=true,oci-mediatypes=true`;
  }
  public describe(): string {
    return `registry cache (tag ${this.tag})`;
  }
}

class NoCache extends BuildCache {
  public cacheFrom(): undefined {
    return undefined;
  }
  public cacheTo(): undefined {
    return undefined;
  }
  public describe(): string {
    return 'no cache';
  }
}

/**
 * The Trivy vulnerability scan that gates the release tags.
 */
export interface ScanOptions {
  /**
   * Scan every platform image before it is tagged.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Severities reported (SARIF and log).
   * @default [Severity.CRITICAL, Severity.HIGH]
   */
  readonly severities?: Severity[];

  /**
   * The lowest severity that fails the release: a finding of this severity or higher stops the
   * tags from being created. Must be one of `severities`.
   * @default Severity.HIGH
   */
  readonly failOn?: Severity;

  /**
   * Fail the release on findings at all. When false the scan only reports.
   * @default true
   */
  readonly failBuild?: boolean;

  /**
   * Ignore vulnerabilities that have no fixed version yet.
   * @default false
   */
  readonly ignoreUnfixed?: boolean;

  /**
   * Upload the SARIF report to GitHub code scanning (needs code scanning, i.e. a public
   * repository or GitHub Advanced Security).
   * @default true
   */
  readonly sarifUpload?: boolean;

  /**
   * The Trivy version trivy-action installs, pinned so that a compromised "latest" cannot run.
   * @default "v0.70.0"
   */
  readonly trivyVersion?: string;
}

/**
 * A package ecosystem Dependabot watches.
 */
export enum DependabotEcosystem {
  /** npm packages (`package.json`). */
  NPM = 'npm',
  /** Base images in the Dockerfile. */
  DOCKER = 'docker',
  /** Actions pinned in `.github/workflows`. */
  GITHUB_ACTIONS = 'github-actions',
}

/**
 * How often Dependabot looks for updates.
 */
export enum DependabotInterval {
  /** Every weekday. */
  DAILY = 'daily',
  /** Once a week (Monday). */
  WEEKLY = 'weekly',
  /** Once a month. */
  MONTHLY = 'monthly',
}

/**
 * A kind of version update Dependabot may ignore.
 */
export enum DependabotUpdateType {
  /** `1.x.x` -> `2.x.x` */
  SEMVER_MAJOR = 'version-update:semver-major',
  /** `1.1.x` -> `1.2.x` */
  SEMVER_MINOR = 'version-update:semver-minor',
  /** `1.1.1` -> `1.1.2` */
  SEMVER_PATCH = 'version-update:semver-patch',
}

/**
 * A dependency Dependabot leaves alone.
 */
export interface DependabotIgnore {
  /** The ecosystem the dependency belongs to. */
  readonly ecosystem: DependabotEcosystem;

  /**
   * The dependency name (wildcards `*` allowed), e.g. `node` or `@types/*`.
   */
  readonly dependencyName: string;

  /**
   * Only ignore these kinds of updates.
   * @default - all updates of the dependency
   */
  readonly updateTypes?: DependabotUpdateType[];
}

/**
 * The `.github/dependabot.yml` that keeps npm packages, the base image and the pinned actions fresh.
 */
export interface DependabotOptions {
  /**
   * Write `.github/dependabot.yml`. Conflicts with projen's own Dependabot component.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Ecosystems to watch.
   * @default [DependabotEcosystem.NPM, DependabotEcosystem.DOCKER, DependabotEcosystem.GITHUB_ACTIONS]
   */
  readonly ecosystems?: DependabotEcosystem[];

  /**
   * How often to check.
   * @default DependabotInterval.WEEKLY
   */
  readonly interval?: DependabotInterval;

  /**
   * Days a new release must age before Dependabot proposes it (a guard against a compromised
   * release). 0 turns the cooldown off.
   * @default 7
   */
  readonly cooldownDays?: number;

  /**
   * Group all updates of an ecosystem into one pull request.
   * @default true
   */
  readonly groupUpdates?: boolean;

  /**
   * Keep the default ignores: semver-major updates of `node` in docker (Dependabot would propose
   * non-LTS Node majors), and `projen` in npm (projen upgrades itself).
   * @default true
   */
  readonly defaultIgnores?: boolean;

  /**
   * More dependencies to ignore.
   * @default []
   */
  readonly ignores?: DependabotIgnore[];

  /**
   * Labels put on Dependabot's pull requests.
   * @default - Dependabot's own default labels
   */
  readonly labels?: string[];
}

/**
 * Options of {@link ImageRelease}: the one model of an image release.
 */
export interface ImageReleaseOptions {
  /**
   * The full image reference without tag, e.g. `ghcr.io/acme/operator`. Lower-cased wherever it
   * is used (registries reject upper-case repository names).
   * @default - `ghcr.io/<owner>/<repo>` from the project's GitHub repository URL
   */
  readonly image?: string;

  /**
   * Platforms to build.
   * @default [Platform.LINUX_AMD64, Platform.LINUX_ARM64]
   */
  readonly platforms?: Platform[];

  /**
   * What starts the image release.
   * @default - ReleaseTrigger.PROJEN_RELEASE when the project has projen's release component, else ReleaseTrigger.TAG_PUSH
   */
  readonly trigger?: ReleaseTrigger;

  /**
   * The tag glob that starts a `TAG_PUSH` release.
   * @default "v*"
   */
  readonly tagPattern?: string;

  /**
   * Which tags a release gets.
   * @default - version, major.minor, major and latest (stable only)
   */
  readonly tags?: TagPolicyOptions;

  /**
   * Static OCI labels.
   * @default - derived from the project's metadata
   */
  readonly labels?: OciLabelOptions;

  /**
   * Build cache.
   * @default BuildCache.githubActions()
   */
  readonly cache?: BuildCache;

  /**
   * Vulnerability scan.
   * @default - Trivy, CRITICAL and HIGH, fails on HIGH, SARIF uploaded
   */
  readonly scan?: ScanOptions;

  /**
   * Path of the hand-written Dockerfile, relative to the project root.
   * @default "Dockerfile"
   */
  readonly dockerfile?: string;

  /**
   * The build context, relative to the project root.
   * @default "."
   */
  readonly context?: string;

  /**
   * Dependabot settings.
   * @default - npm, docker and github-actions, weekly, 7-day cooldown, grouped
   */
  readonly dependabot?: DependabotOptions;

  /**
   * Budget of the compressed size of each platform's image, in MB (10^6 bytes); `image-release
   * verify` fails a release above it.
   * @default 200
   */
  readonly maxImageSizeMb?: number;

  /**
   * The runner label of every image job.
   * @default "ubuntu-24.04"
   */
  readonly runsOn?: string;

  /**
   * Harden projen's own workflows (build, release, upgrade) so the whole repository passes zizmor:
   * pin the actions they reference by tag to a commit SHA, through projen's action-override
   * mechanism, and set `persist-credentials: false` on the checkouts of jobs that do not push.
   * @default true
   */
  readonly hardenProjenWorkflows?: boolean;
}
