import { ImageNames } from './image-names';
import {
  BuildCacheType, BuildFact, BuildStrategy, DependabotEcosystem, DependabotInterval, DependabotUpdateType, LatestPolicy, Platform, ReleaseTrigger,
  RunnerArchitecture, Severity, ZeroMajorPolicy,
} from '../options';

/**
 * What the model needs to know about the project it is attached to. Gathered once by the
 * component, so that resolving stays a pure function.
 */
export interface ProjectFacts {
  /** The project name. */
  readonly name: string;
  /** The repository URL from the project's package metadata, if any. */
  readonly repositoryUrl?: string;
  /** The package description, if any. */
  readonly description?: string;
  /** The package license (SPDX), if any. */
  readonly license?: string;
  /** The package author's name, if any. */
  readonly author?: string;
  /** Whether projen's release component is present. */
  readonly hasProjenRelease: boolean;
  /** Whether projen's upgrade workflow keeps the npm dependencies fresh. */
  readonly hasProjenUpgrade?: boolean;
  /**
   * Whether a path relative to the project root is an existing directory; undefined when the
   * caller cannot tell (the check is then skipped).
   */
  readonly isDirectory?: (relativePath: string) => boolean;
  /**
   * The text of a file relative to the project root, or undefined when it does not exist; the
   * function itself is undefined when the caller cannot tell (the checks that need it are skipped).
   */
  readonly readText?: (relativePath: string) => string | undefined;
}

/** The tag policy with every default applied. */
export interface ResolvedTagPolicy {
  readonly version: boolean;
  readonly majorMinor: boolean;
  readonly major: boolean;
  readonly latest: LatestPolicy;
  readonly vPrefixedVersion: boolean;
  readonly zeroMajor: ZeroMajorPolicy;
}

/** The scan settings with every default applied. */
export interface ResolvedScan {
  readonly enabled: boolean;
  readonly severities: readonly Severity[];
  /** Severities that fail the release; empty when the scan only reports. */
  readonly gateSeverities: readonly Severity[];
  readonly ignoreUnfixed: boolean;
  readonly sarifUpload: boolean;
  readonly trivyVersion: string;
}

/** What the attest job attests and signs; no attest job when all are false. */
export interface ResolvedAttestations {
  readonly provenance: boolean;
  readonly sbom: boolean;
  readonly sign: boolean;
}

/** The scheduled re-scan; no workflow when not enabled. */
export interface ResolvedRescan {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly versions: number;
}

/** A build arg: a literal value or a per-build fact. */
export interface ResolvedBuildArg {
  readonly name: string;
  readonly literal?: string;
  readonly fact?: BuildFact;
}

/** The build cache. */
export interface ResolvedCache {
  readonly type: BuildCacheType;
  /** The gha scope prefix or the registry tag prefix. */
  readonly name?: string;
}

/** One platform's build: where it runs and what it caches. */
export interface ResolvedLeg {
  readonly platform: Platform;
  /** The platform as a job id part, e.g. `linux_arm_v7`. */
  readonly id: string;
  /** The `runs-on` labels. */
  readonly runsOn: readonly string[];
  readonly architecture: RunnerArchitecture;
  /** Whether the runner cannot run the platform and QEMU emulates it. */
  readonly emulated: boolean;
  /** build-push-action's `cache-from`, undefined for none. */
  readonly cacheFrom?: string;
  /** build-push-action's `cache-to` (written only by the default branch's build check), undefined for none. */
  readonly cacheTo?: string;
}

/** One ignore rule of dependabot.yml. */
export interface ResolvedDependabotIgnore {
  readonly ecosystem: DependabotEcosystem;
  readonly dependencyName: string;
  readonly updateTypes?: readonly DependabotUpdateType[];
}

/** Dependabot settings with every default applied. */
export interface ResolvedDependabot {
  readonly enabled: boolean;
  readonly ecosystems: readonly DependabotEcosystem[];
  readonly interval: DependabotInterval;
  readonly cooldownDays: number;
  readonly groupUpdates: boolean;
  readonly ignores: readonly ResolvedDependabotIgnore[];
  readonly labels?: readonly string[];
}

/**
 * The model after defaults and validation: plain data, the single input of every builder.
 */
export interface ResolvedModel {
  /** The names of the image's files, workflows and jobs (with its id, when it has one). */
  readonly names: ImageNames;
  /** The lower-cased image reference without tag, e.g. `ghcr.io/acme/app`. */
  readonly image: string;
  /** The registry host of the image, e.g. `ghcr.io`. */
  readonly registry: string;
  /** Platforms in build order. */
  readonly platforms: readonly Platform[];
  readonly trigger: ReleaseTrigger;
  /** The git tag glob of a tag-push release. */
  readonly tagPattern: string;
  /**
   * The text before the version in a release tag that metadata-action does not strip itself
   * (`operator-v` of `operator-v1.2.3`); empty for plain `1.2.3` and `v1.2.3` tags.
   */
  readonly tagPrefix: string;
  readonly tags: ResolvedTagPolicy;
  /**
   * Static labels, full keys: the OCI ones in a fixed order (fields without a value left out),
   * then the custom ones sorted by key.
   */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /** Build args beyond the per-build ones of the label block, sorted by name. */
  readonly buildArgs: readonly ResolvedBuildArg[];
  readonly cache: ResolvedCache;
  readonly buildStrategy: BuildStrategy;
  /** One build per platform, in platform order. */
  readonly legs: readonly ResolvedLeg[];
  readonly scan: ResolvedScan;
  readonly attestations: ResolvedAttestations;
  readonly rescan: ResolvedRescan;
  /** The Dockerfile path relative to the project root, with `/` separators. */
  readonly dockerfile: string;
  /** The build context relative to the project root. */
  readonly context: string;
  readonly dependabot: ResolvedDependabot;
  readonly runsOn: string;
  readonly hardenProjenWorkflows: boolean;
  /** Compressed size budget per platform, in MB. */
  readonly maxImageSizeMb: number;
  /** Whether the release ends with the verify job. */
  readonly verify: boolean;
  /** Whether every platform is built on pull requests and default-branch pushes. */
  readonly buildCheck: boolean;
  /** Other publishers of the image the user allows, as `<workflow file>:<job id>`. */
  readonly allowedPublishers: readonly string[];
  /** The scheduled retention; undefined when off. */
  readonly retention?: ResolvedRetention;
  /** The Helm chart released with the image; undefined when none. */
  readonly chart?: ResolvedChart;
}

/** The Helm chart with every default applied. */
export interface ResolvedChart {
  /** The chart directory relative to the project root, with `/` separators. */
  readonly directory: string;
  /** The chart's name, from its `Chart.yaml`. */
  readonly name: string;
  /** The OCI repository `helm push` takes, e.g. `oci://ghcr.io/acme/charts`. */
  readonly repository: string;
  /** The chart artifact without tag, e.g. `ghcr.io/acme/charts/operator`. */
  readonly artifact: string;
  /** Whether `values.yaml`'s `image.repository` and `image.tag` are managed. */
  readonly manageImageValues: boolean;
  /** The source URL annotated in `Chart.yaml` (GHCR links the package to it). */
  readonly source: string;
}

/** The retention rules and schedule with every default applied. */
export interface ResolvedRetention {
  readonly keep: number;
  readonly olderThanDays: number;
  readonly keepPrereleases: boolean;
  /** Five-field cron, UTC. */
  readonly schedule: string;
}
