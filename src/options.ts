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
 * How the platforms of an image are built.
 */
export enum BuildStrategy {
  /**
   * Each platform builds on a runner of its own architecture (`ubuntu-24.04-arm` for
   * `linux/arm64`), so nothing is emulated; platforms without such a runner are emulated with QEMU
   * on an x64 runner. Runners per platform can be changed with `runners`.
   */
  NATIVE = 'native',
  /** Every platform builds on the `runsOn` runner, foreign ones emulated with QEMU. */
  EMULATED = 'emulated',
}

/**
 * The CPU architecture of a runner: which platforms it builds without emulation.
 */
export enum RunnerArchitecture {
  /** x86_64: builds `linux/amd64` natively. */
  X64 = 'x64',
  /** ARM64: builds `linux/arm64` natively. */
  ARM64 = 'arm64',
}

/**
 * The runner one platform builds on.
 */
export interface PlatformRunner {
  /**
   * The `runs-on` labels, e.g. `["ubuntu-24.04-arm"]` or `["self-hosted", "linux", "arm64"]`.
   */
  readonly labels: string[];

  /**
   * The runner's architecture, which decides whether the platform is emulated on it.
   */
  readonly architecture: RunnerArchitecture;
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
   * `{{version}}` strips the `v`, so a `v1.2.3` image tag needs its own line (and a repository
   * that published `v`-prefixed tags before keeps its tag format with it).
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
 * The kind of a {@link BuildCache}.
 */
export enum BuildCacheType {
  /** GitHub Actions cache (`type=gha`). */
  GITHUB_ACTIONS = 'gha',
  /** A cache image in the registry, next to the image (`type=registry`). */
  REGISTRY = 'registry',
  /** No build cache. */
  NONE = 'none',
}

/**
 * Where Buildx keeps its layer cache between releases.
 */
export class BuildCache {
  /**
   * GitHub Actions cache (`type=gha`), one scope per platform (`<scope>-linux-arm64`). 10 GB per
   * repository with LRU eviction. The default branch's build check writes it; pull requests and
   * releases only read it (a tag run can read the default branch's caches, never another tag's).
   * @param scope cache scope prefix, so that several images in one repository do not overwrite
   * each other: letters, digits, `.`, `_` and `-` (what buildx's cache attributes accept unquoted)
   * @default - the image's name, e.g. `app` for `ghcr.io/acme/app`
   */
  public static githubActions(scope?: string): BuildCache {
    return new BuildCache(BuildCacheType.GITHUB_ACTIONS, scope);
  }

  /**
   * A registry cache (`type=registry`) stored next to the image under a tag per platform
   * (`<tag>-linux-arm64`), which survives across tags and runners. The tag must be one the tag
   * policy can never produce (not a version and not `latest`), or the cache would overwrite a
   * release.
   * @param tag the tag prefix of the cache images in the image's repository
   */
  public static registry(tag?: string): BuildCache {
    return new BuildCache(BuildCacheType.REGISTRY, tag ?? 'buildcache');
  }

  /** No build cache. */
  public static none(): BuildCache {
    return new BuildCache(BuildCacheType.NONE);
  }

  /**
   * @param type the kind of cache
   * @param name the GitHub Actions cache scope, or the registry cache tag
   */
  private constructor(public readonly type: BuildCacheType, public readonly name?: string) {}
}

/**
 * A per-build fact a build arg can carry.
 */
export enum BuildFact {
  /** The release version, e.g. `1.2.3` (the `org.opencontainers.image.version` label). */
  VERSION = 'version',
  /** The commit SHA (the `org.opencontainers.image.revision` label). */
  REVISION = 'revision',
  /**
   * The build time, ISO 8601 (the `org.opencontainers.image.created` label): the time of the
   * release's commit, the same in every platform and in a rebuild of that commit.
   */
  CREATED = 'created',
}

/**
 * The value of a build arg (`--build-arg NAME=value`): a literal, or a per-build fact. Build args
 * are visible in the image's history, so they never carry secrets.
 */
export class BuildArgValue {
  /**
   * A fixed value.
   * @param value a single-line string
   */
  public static literal(value: string): BuildArgValue {
    return new BuildArgValue(value, undefined);
  }

  /** The release version, e.g. `1.2.3`. */
  public static version(): BuildArgValue {
    return new BuildArgValue(undefined, BuildFact.VERSION);
  }

  /** The commit SHA of the release. */
  public static revision(): BuildArgValue {
    return new BuildArgValue(undefined, BuildFact.REVISION);
  }

  /** The build time, ISO 8601: the time of the release's commit. */
  public static created(): BuildArgValue {
    return new BuildArgValue(undefined, BuildFact.CREATED);
  }

  /**
   * @param literalValue the fixed value, for a literal
   * @param fact the per-build fact, for a fact
   */
  private constructor(public readonly literalValue?: string, public readonly fact?: BuildFact) {}
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
 * What the release attests about the image index it publishes, in a job of its own after the
 * index exists. GitHub artifact attestations in private repositories need GitHub Enterprise
 * Cloud: turn provenance and sbom off there.
 * @see https://docs.github.com/en/actions/security-for-github-actions/using-artifact-attestations
 */
export interface AttestationOptions {
  /**
   * Attest SLSA build provenance of the index digest with actions/attest, pushed to the registry
   * beside the image; `image-release verify` checks its repository and commit.
   * @default true
   */
  readonly provenance?: boolean;

  /**
   * Write an SPDX JSON SBOM of the image with the scan's pinned Trivy and attest it the same way.
   * @default true
   */
  readonly sbom?: boolean;

  /**
   * Sign the index digest keyless with cosign (Sigstore, the workflow's OIDC identity).
   * @default false
   */
  readonly sign?: boolean;
}

/**
 * A scheduled re-scan of the releases users run today, for CVEs published after they shipped: the
 * images `latest` and the newest stable versions point to, each platform, scanned with the pinned
 * Trivy, the SARIF uploaded to code scanning per release and platform. Reports only; fails nothing.
 */
export interface RescanOptions {
  /**
   * Write the re-scan workflow (`.github/workflows/rescan-image.yml`).
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * When to run, as a cron expression in UTC (it can also be started by hand).
   * @default "0 5 * * 1"
   */
  readonly schedule?: string;

  /**
   * How many of the newest stable versions to re-scan, besides `latest`.
   * @default 3
   */
  readonly versions?: number;
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
  /** Go modules (`go.mod`). */
  GOMOD = 'gomod',
  /** Python packages (`pyproject.toml`, `requirements*.txt`). */
  PIP = 'pip',
  /** Rust crates (`Cargo.toml`). */
  CARGO = 'cargo',
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
   * Ecosystems to watch. npm is left out by default when projen's own upgrade workflow keeps the
   * npm dependencies fresh (two bots would propose the same upgrades); when npm is on there,
   * every dependency `.projenrc.ts` declares with a version is ignored, since `npx projen` would
   * revert Dependabot's change to it.
   * @default - docker and github-actions, plus npm when the project has no projen upgrade workflow
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
   * non-LTS Node majors), `projen` in npm (projen upgrades itself), and semver-major updates of
   * every action in github-actions (`npx projen` keeps each pinned action in its major, so such a
   * pull request could not land).
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
   * A short name of this image (`operator`, `webhook`), for a project that publishes several:
   * its workflow, job ids, model file and release document carry it
   * (`release-image-webhook.yml`), and the CLI selects the image by it (`--image webhook`).
   * Lower-case letters, digits and `-`; every image of such a project needs one.
   * @default - none: the project's only image, with the plain names (`release-image.yml`)
   */
  readonly id?: string;

  /**
   * The full image reference without tag, e.g. `ghcr.io/acme/operator`. Lower-cased wherever it
   * is used (registries reject upper-case repository names).
   * @default - `ghcr.io/<owner>/<repo>` from the project's GitHub repository URL
   */
  readonly image?: string;

  /**
   * Platforms to build, each once.
   * @default [Platform.LINUX_AMD64, Platform.LINUX_ARM64]
   */
  readonly platforms?: Platform[];

  /**
   * What starts the image release.
   * @default - ReleaseTrigger.PROJEN_RELEASE when the project has projen's release component, else ReleaseTrigger.TAG_PUSH
   */
  readonly trigger?: ReleaseTrigger;

  /**
   * The git tags that start a `TAG_PUSH` release: a literal prefix followed by `*`. The prefix
   * before the version is stripped, so `operator-v*` releases `operator-v1.2.3` as `1.2.3` (for a
   * repository with several components). Only used with `ReleaseTrigger.TAG_PUSH`.
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
   * Signed provenance and SBOM attestations of the published index, and optional cosign signing.
   * In a private repository without GitHub Enterprise Cloud, write
   * `attestations: { provenance: false, sbom: false }`.
   * @default - provenance and SBOM attested, not signed
   */
  readonly attestations?: AttestationOptions;

  /**
   * A scheduled re-scan of the shipped releases for new CVEs.
   * @default - none
   */
  readonly rescan?: RescanOptions;

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
   * The runner label of the jobs that build nothing (scan, merge, verify), and of every build
   * with `BuildStrategy.EMULATED`.
   * @default "ubuntu-24.04"
   */
  readonly runsOn?: string;

  /**
   * How the platforms are built: each on a runner of its own architecture, or all on one runner
   * with QEMU.
   * @default BuildStrategy.NATIVE
   */
  readonly buildStrategy?: BuildStrategy;

  /**
   * The runner of each platform for `BuildStrategy.NATIVE`, by platform (e.g.
   * `{ 'linux/arm64': { labels: ['self-hosted', 'arm64'], architecture: RunnerArchitecture.ARM64 } }`).
   * Platforms not listed keep the default: `linux/amd64` on `ubuntu-24.04`, `linux/arm64` on
   * `ubuntu-24.04-arm`, and `linux/arm/v7`, `linux/ppc64le` and `linux/s390x` (which GitHub's
   * runners cannot run natively) emulated on `ubuntu-24.04`.
   * @default {}
   */
  readonly runners?: { [platform: string]: PlatformRunner };

  /**
   * Harden the jobs projen itself generates (build, release, upgrade, pull-request-lint), never
   * the user's own jobs or workflows: pin their actions to a commit SHA with a `# vX.Y.Z` comment
   * of the same major as projen wrote (never a major bump, never an older version), set
   * `persist-credentials: false` on checkouts of jobs that do not use git credentials later, write
   * the reason of each permission they hold, grant nothing at the top of their workflows and limit
   * their runs, and annotate projen's known, justified findings so that zizmor (also its pedantic
   * persona) and actionlint report none. The image jobs are always pinned and commented, whatever
   * this says.
   * @default true
   */
  readonly hardenProjenWorkflows?: boolean;

  /**
   * Labels beyond the OCI set, e.g. `{ 'com.acme.team': 'platform' }`: reverse-DNS keys in lower
   * case, single-line values. Written into the image's labels, the index annotations and the
   * Dockerfile block like the OCI labels.
   * @default {}
   */
  readonly customLabels?: { [key: string]: string };

  /**
   * Build args passed to the build (`--build-arg NAME=value`), beyond the per-build `BUILD_DATE`,
   * `VCS_REF` and `VERSION` the label block declares. Declare each one with `ARG` in your
   * Dockerfile where you use it. Never secrets: build args stay in the image history.
   * @default {}
   */
  readonly buildArgs?: { [name: string]: BuildArgValue };

  /**
   * Run `image-release verify` as the last job of the release. The job installs the CLI from the
   * repository's lockfile (add `projen-image-release` to your devDependencies) and only reads
   * packages.
   * @default true
   */
  readonly verify?: boolean;

  /**
   * Build every platform on pull requests and on pushes to the default branch, without pushing,
   * so a broken Dockerfile shows before a release. Pull requests only read the build cache;
   * pushes to the default branch write it for the releases to read. The check joins projen's
   * build (pull requests) and release (default branch) workflows where the project has them, and
   * is `.github/workflows/image-check.yml` otherwise.
   * @default true
   */
  readonly buildCheck?: boolean;

  /**
   * Other jobs that may push the same image, as `"<workflow file>:<job id>"`, e.g.
   * `".github/workflows/docker.yml:publish"`. Synthesis fails when any other job publishes the
   * image (two publishers defeat the scan gate); list one here only if it must stay.
   * @default []
   */
  readonly allowedPublishers?: string[];

  /**
   * Delete old versions of the image's GitHub package on a schedule, without ever breaking a kept
   * image: `.github/workflows/image-retention.yml` runs `image-release prune --apply` (from the
   * lockfile, like verify). It keeps the newest release versions, whatever a moving tag (`latest`,
   * `1`, `1.2`) points to, and every manifest a kept index or referrer references. Needs an image on
   * ghcr.io, and the package's "Manage Actions access" giving this repository the Admin role.
   * @default - no retention workflow
   */
  readonly retention?: RetentionOptions;

  /**
   * Release the image's Helm chart with it, under the same version: after the image is published
   * (and verified), the release packages the chart with `version`, `appVersion` and
   * `values.image.tag` set to the release's version and pushes it as an OCI artifact; `verify` and
   * `rehearse` check and publish it too. At synthesis, the chart's `values.yaml` gets
   * `image.repository` and its `Chart.yaml` the `org.opencontainers.image.source` annotation
   * (everything else in both files stays the user's). `{}` takes every default.
   * @default - no chart
   */
  readonly chart?: ChartOptions;
}

/**
 * The Helm chart released with the image (one chart per image).
 * @see https://helm.sh/docs/topics/registries/
 */
export interface ChartOptions {
  /**
   * The chart directory (holding `Chart.yaml`, `values.yaml` and `templates/`), relative to the
   * project root.
   * @default - `charts/<name>`, where `<name>` is the last path segment of the image (`charts/operator` for `ghcr.io/acme/operator`)
   */
  readonly directory?: string;

  /**
   * The OCI repository the chart is pushed to; the chart's name (from `Chart.yaml`) is appended
   * (`oci://ghcr.io/acme/charts/operator:1.2.3`). Must be on ghcr.io (the release pushes with the
   * workflow's `GITHUB_TOKEN`).
   * @default - `oci://ghcr.io/<owner>/charts`, where `<owner>` is the image's owner
   * @example "oci://ghcr.io/acme/charts"
   */
  readonly repository?: string;

  /**
   * Keep `image.repository` in `values.yaml` equal to the image (written at synthesis) and set
   * `image.tag` to the release's version when the chart is packaged. When false, the chart's values
   * are left as they are and `verify` does not check them.
   * @default true
   */
  readonly manageImageValues?: boolean;
}

/**
 * Which versions of the image's package the scheduled retention workflow deletes.
 */
export interface RetentionOptions {
  /**
   * Release versions kept (tags that are versions, such as `1.2.3`), newest by version precedence.
   * Older release versions are deleted unless a moving tag points to them.
   * @default 10
   */
  readonly keep?: number;

  /**
   * Age in days at which untagged manifests nothing kept references (a failed scan's platform
   * image, a per-leg index) and pre-releases (unless `keepPrereleases`) are deleted. Younger ones
   * stay, so a release being merged is never touched.
   * @default 14
   */
  readonly olderThanDays?: number;

  /**
   * Rank pre-releases (`2.0.0-rc.1`) with releases for `keep`, instead of deleting them once older
   * than `olderThanDays`.
   * @default false
   */
  readonly keepPrereleases?: boolean;

  /**
   * When the retention workflow runs, as a cron expression in UTC (five fields).
   * @default "23 4 * * 1"
   * @example "0 3 * * *"
   */
  readonly schedule?: string;
}
