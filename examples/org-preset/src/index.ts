import { ImageReleaseOptions, NodeOperatorProject, NodeOperatorProjectOptions, Platform, ScanOptions, Severity } from 'projen-image-release';

/** Where Acme publishes its images. */
const ACME_REGISTRY = 'ghcr.io/acme';

/** What every Acme image is built for. */
const ACME_PLATFORMS: string[] = [Platform.LINUX_AMD64, Platform.LINUX_ARM64];

/**
 * Options of {@link AcmeOperatorProject}: those of `NodeOperatorProject`, plus the owning team.
 */
export interface AcmeOperatorProjectOptions extends NodeOperatorProjectOptions {
  /**
   * The team that owns the operator, written into the image's `com.acme.team` label (`--team` on
   * `projen new`).
   * @default "platform"
   */
  readonly team?: string;
}

/**
 * An Acme Kubernetes operator repository: `NodeOperatorProject` with Acme's defaults. The image is
 * `ghcr.io/acme/<name>` unless `image` is given, labelled with vendor "Acme" and the owning team
 * (`com.acme.team`), built for linux/amd64 and linux/arm64, and its release fails on CRITICAL
 * findings. Every option the repository sets itself wins over these defaults.
 *
 * @pjid acme-operator
 */
export class AcmeOperatorProject extends NodeOperatorProject {
  constructor(options: AcmeOperatorProjectOptions) {
    const { team, ...rest } = options;
    const user: ImageReleaseOptions = options.imageRelease ?? {};
    // The image and platforms can come from a flat option (`--image`, `--platforms`) or from
    // `imageRelease`; NodeOperatorProject rejects the two disagreeing, so a default goes into the
    // flat option only when neither is set.
    const noImage = options.image === undefined && user.image === undefined;
    const noPlatforms = options.platforms === undefined && user.platforms === undefined;
    super({
      ...rest,
      image: noImage ? `${ACME_REGISTRY}/${imageName(options.name)}` : options.image,
      platforms: noPlatforms ? ACME_PLATFORMS : options.platforms,
      // Merged one level deep: the repository's `imageRelease` wins field by field, and inside
      // `labels`, `customLabels` and `scan` key by key, so `labels: { title: 'x' }` keeps the
      // vendor and `scan: { ignoreUnfixed: true }` keeps the CRITICAL gate.
      imageRelease: {
        ...user,
        labels: { vendor: 'Acme', ...user.labels },
        customLabels: { 'com.acme.team': team ?? 'platform', ...user.customLabels },
        scan: withScanPolicy(user.scan),
      },
    });
  }
}

/** `@acme/payments-operator` -> `payments-operator`: registries take no npm scope or capitals. */
function imageName(name: string): string {
  return name.replace(/^@[^/]+\//, '').toLowerCase();
}

/**
 * Acme's scan policy: the release fails on CRITICAL findings. A repository that sets its own
 * `failOn`, turns the scan or its gate off, or reports no CRITICAL findings keeps exactly what it
 * wrote: ImageRelease rejects a `failOn` that could have no effect there.
 */
function withScanPolicy(scan: ScanOptions | undefined): ScanOptions {
  const s = scan ?? {};
  const ownPolicy = s.failOn !== undefined || s.enabled === false || s.failBuild === false
    || (s.severities !== undefined && !s.severities.includes(Severity.CRITICAL));
  return ownPolicy ? s : { ...s, failOn: Severity.CRITICAL };
}
