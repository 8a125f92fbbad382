/**
 * Every action the library writes or hardens, pinned to a full commit SHA with its release tag.
 * The SHAs were read from the actions' own repositories (`git rev-parse vX.Y.Z^{commit}`); see
 * docs/pins.md for where each came from and how to refresh them. Steps refer to {@link PINS} by
 * key, never to literal refs.
 */
export interface ActionPin {
  /** `owner/name` or `owner/name/path`. */
  readonly action: string;
  /** Full 40-hex commit SHA. */
  readonly sha: string;
  /** The release tag the SHA belongs to, e.g. `v7.0.1`. */
  readonly version: string;
}

/** The pins of the steps the library writes itself (the newest release of the newest major). */
export const PINS = {
  checkout: { action: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupQemu: { action: 'docker/setup-qemu-action', sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8', version: 'v4.2.0' },
  setupBuildx: { action: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', version: 'v4.3.0' },
  login: { action: 'docker/login-action', sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121', version: 'v4.1.0' },
  metadata: { action: 'docker/metadata-action', sha: 'dc802804100637a589fabce1cb79ff13a1411302', version: 'v6.2.0' },
  buildPush: { action: 'docker/build-push-action', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', version: 'v7.3.0' },
  trivy: { action: 'aquasecurity/trivy-action', sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25', version: 'v0.36.0' },
  uploadSarif: { action: 'github/codeql-action/upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', version: 'v4.36.2' },
  attest: { action: 'actions/attest', sha: '1e69f48acb82d1966a394da916b4c1698aa569d6', version: 'v4.2.2' },
  cosignInstaller: { action: 'sigstore/cosign-installer', sha: '6f9f17788090df1f26f669e9d70d6ae9567deba6', version: 'v4.1.2' },
  downloadArtifact: { action: 'actions/download-artifact', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  setupNode: { action: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  setupBun: { action: 'oven-sh/setup-bun', sha: '0c5077e51419868618aeaa5fe8019c62421857d6', version: 'v2.2.0' },
  setupPnpm: { action: 'pnpm/action-setup', sha: 'fe02b34f77f8bc703788d5817da081398fad5dd2', version: 'v4.0.0' },
  setupHelm: { action: 'azure/setup-helm', sha: '9bc31f4ebc9c6b171d7bfbaa5d006ae7abdb4310', version: 'v5.0.1' },
} as const satisfies Record<string, ActionPin>;

/**
 * Pins of the actions projen's own jobs use, and of the previous major of the library's actions,
 * so that hardening can pin what it finds within the major it finds (never a major bump).
 */
const OTHER_PINS: readonly ActionPin[] = [
  { action: 'actions/checkout', sha: 'd23441a48e516b6c34aea4fa41551a30e30af803', version: 'v6.1.0' },
  { action: 'actions/upload-artifact', sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a', version: 'v7.0.1' },
  { action: 'actions/upload-artifact', sha: 'b7c566a772e6b6bfb58ed0dc250532a479d7789f', version: 'v6.0.0' },
  { action: 'actions/download-artifact', sha: '37930b1c2abaa49bbe596cd826c3c89aef350131', version: 'v7.0.0' },
  { action: 'actions/setup-node', sha: '249970729cb0ef3589644e2896645e5dc5ba9c38', version: 'v6.5.0' },
  { action: 'actions/setup-python', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97', version: 'v7.0.0' },
  { action: 'actions/setup-go', sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', version: 'v7.0.0' },
  { action: 'actions/setup-dotnet', sha: 'a98b56852c35b8e3190ac28c8c2271da59106c68', version: 'v6.0.0' },
  { action: 'amannn/action-semantic-pull-request', sha: '48f256284bd46cdaab1048c3721360e808335d50', version: 'v6.1.1' },
  { action: 'peter-evans/create-pull-request', sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1', version: 'v8.1.1' },
  { action: 'aws-actions/configure-aws-credentials', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', version: 'v6.2.3' },
  { action: 'docker/setup-qemu-action', sha: 'c7c53464625b32c7a7e944ae62b3e17d2b600130', version: 'v3.7.0' },
  { action: 'docker/setup-buildx-action', sha: '8d2750c68a42422c14e847fe6c8ac0403b4cbd6f', version: 'v3.12.0' },
  { action: 'docker/login-action', sha: 'c94ce9fb468520275223c153574b00df6fe4bcc9', version: 'v3.7.0' },
  { action: 'docker/metadata-action', sha: 'c299e40c65443455700f0fdfc63efafe5b349051', version: 'v5.10.0' },
  { action: 'docker/build-push-action', sha: '10e90e3645eae34f1e60eeb005ba3a3d33f178e8', version: 'v6.19.2' },
  { action: 'github/codeql-action/upload-sarif', sha: 'dd903d2e4f5405488e5ef1422510ee31c8b32357', version: 'v3.36.2' },
];

/**
 * The Helm release azure/setup-helm installs for the chart job (its `version` input defaults to
 * the latest release, which would run unreviewed code).
 */
export const HELM_VERSION = 'v3.21.4';

/** `owner/name@sha`, the value of a `uses:` key. */
export function usesRef(pin: ActionPin): string {
  return `${pin.action}@${pin.sha}`;
}

/** Every pin the library knows, of every major. */
export const ALL_PINS: readonly ActionPin[] = [...Object.values(PINS), ...OTHER_PINS];

/**
 * The repositories of every pinned action (`owner/name`, as Dependabot names a github-actions
 * dependency), sorted: the actions whose majors synthesis keeps.
 */
export const PINNED_ACTION_REPOSITORIES: readonly string[] = [...new Set(ALL_PINS.map((p) => p.action.split('/').slice(0, 2).join('/')))].sort();
