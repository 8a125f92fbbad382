/**
 * Every action the synthesized pipeline uses, pinned to a full commit SHA with its release tag.
 * Taken from shared/action-pins.json (latest release of the newest major); steps refer to these
 * entries by key, never to literal refs.
 */
export interface ActionPin {
  /** `owner/name` or `owner/name/path`. */
  readonly action: string;
  /** Full 40-hex commit SHA. */
  readonly sha: string;
  /** The release tag the SHA belongs to, e.g. `v7.0.1`. */
  readonly version: string;
}

/** The pins, by a short key that steps use. */
export const PINS = {
  checkout: { action: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupQemu: { action: 'docker/setup-qemu-action', sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8', version: 'v4.2.0' },
  setupBuildx: { action: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', version: 'v4.3.0' },
  login: { action: 'docker/login-action', sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121', version: 'v4.1.0' },
  metadata: { action: 'docker/metadata-action', sha: 'dc802804100637a589fabce1cb79ff13a1411302', version: 'v6.2.0' },
  buildPush: { action: 'docker/build-push-action', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', version: 'v7.3.0' },
  trivy: { action: 'aquasecurity/trivy-action', sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25', version: 'v0.36.0' },
  uploadSarif: { action: 'github/codeql-action/upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', version: 'v4.36.2' },
  downloadArtifact: { action: 'actions/download-artifact', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  uploadArtifact: { action: 'actions/upload-artifact', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
  semanticPullRequest: { action: 'amannn/action-semantic-pull-request', sha: '48f256284bd46cdaab1048c3721360e808335d50', version: 'v6.1.1' },
  setupNode: { action: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  createPullRequest: { action: 'peter-evans/create-pull-request', sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1', version: 'v8.1.1' },
} as const satisfies Record<string, ActionPin>;

/** The key of a pin in {@link PINS}. */
export type PinKey = keyof typeof PINS;

/** `owner/name@sha`, the value of a `uses:` key. */
export function usesRef(pin: ActionPin): string {
  return `${pin.action}@${pin.sha}`;
}

/** Every pin of the table. */
export const ALL_PINS: readonly ActionPin[] = Object.values(PINS);
