import { DependabotEcosystem, DependabotInterval, DependabotUpdateType, LatestPolicy, ReleaseTrigger, Severity, ZeroMajorPolicy } from '../options';

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
  /** The lower-cased image reference without tag, e.g. `ghcr.io/acme/app`. */
  readonly image: string;
  /** The registry host of the image, e.g. `ghcr.io`. */
  readonly registry: string;
  /** Platforms in build order. */
  readonly platforms: readonly string[];
  readonly trigger: ReleaseTrigger;
  readonly tagPattern: string;
  readonly tags: ResolvedTagPolicy;
  /** Static OCI labels, full keys, in a fixed order; fields without a value are left out. */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly cacheFrom?: string;
  readonly cacheTo?: string;
  readonly scan: ResolvedScan;
  /** The Dockerfile path relative to the project root, with `/` separators. */
  readonly dockerfile: string;
  /** The build context relative to the project root. */
  readonly context: string;
  readonly dependabot: ResolvedDependabot;
  readonly runsOn: string;
  readonly hardenProjenWorkflows: boolean;
  /** Compressed size budget per platform, in MB. */
  readonly maxImageSizeMb: number;
}
