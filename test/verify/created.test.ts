import { createHash } from 'crypto';
import { Platform, ReleaseTrigger } from '../../src';
import { ModelFile } from '../../src/plan/model-file';
import { ReleasePlan } from '../../src/plan/release-plan';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/client';
import { formatReport, verifyRelease } from '../../src/verify/verify';

/**
 * verify and the `created` label of each platform: reported per platform, and one time within one
 * index. The registry is a hand-made double behind the client's `fetch`: blobs and manifests by
 * digest, the index under the release's tag.
 */
const NAME = 'acme/app';
const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const CREATED = 'org.opencontainers.image.created';
const AT_COMMIT = '2026-11-30T09:15:00.000Z';

const model: ModelFile = {
  formatVersion: 1,
  image: `ghcr.io/${NAME}`,
  platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64],
  trigger: ReleaseTrigger.TAG_PUSH,
  workflow: '.github/workflows/release-image.yml',
  releaseBranch: 'main',
  tagPrefix: '',
  metadata: { images: [], tags: [], flavor: [] },
  labels: [],
  buildArgs: [],
  maxImageSizeMb: 100,
  dockerfile: 'Dockerfile',
  context: '.',
};

const plan: ReleasePlan = {
  eventName: 'push', ref: 'refs/tags/v1.2.3', version: '1.2.3', tags: ['1.2.3'], latest: false, highest: true, labels: [], buildArgs: [],
};

function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A client on a registry holding one two-platform index of images with these `created` labels. */
function registryWith(created: Record<'amd64' | 'arm64', string>): RegistryClient {
  const objects = new Map<string, { text: string; type?: string }>();
  const put = (text: string, type?: string) => {
    const digest = digestOf(text);
    objects.set(digest, { text, type });
    return { digest, size: Buffer.byteLength(text) };
  };
  const entries = (['amd64', 'arm64'] as const).map((architecture) => {
    const labels = { 'org.opencontainers.image.version': '1.2.3', 'org.opencontainers.image.revision': SHA, [CREATED]: created[architecture] };
    const config = put(JSON.stringify({ architecture, os: 'linux', config: { Labels: labels } }));
    const manifest = put(JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [],
    }), MANIFEST_TYPES.ociManifest);
    return { mediaType: MANIFEST_TYPES.ociManifest, ...manifest, platform: { architecture, os: 'linux' } };
  });
  const index = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests: entries });
  put(index, MANIFEST_TYPES.ociIndex);
  objects.set('1.2.3', { text: index, type: MANIFEST_TYPES.ociIndex });
  const fetchDouble = async (input: string | URL | Request): Promise<Response> => {
    const m = /\/v2\/acme\/app\/(?:manifests|blobs)\/([^/?]+)$/.exec(String(input));
    const found = m ? objects.get(decodeURIComponent(m[1])) : undefined;
    if (!found) return new Response('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', { status: 404 });
    return new Response(found.text, { status: 200, headers: { 'Content-Type': found.type ?? 'application/octet-stream', 'Docker-Content-Digest': digestOf(found.text) } });
  };
  return new RegistryClient({ baseUrl: 'http://127.0.0.1:1', fetch: fetchDouble as typeof fetch });
}

const verify = (client: RegistryClient) => verifyRelease(client, { model, plan, name: NAME, expectedRevision: SHA, maxSizeMb: 100 });

test('verify reports the created time of each platform, once in the table when they agree', async () => {
  const report = await verify(registryWith({ amd64: AT_COMMIT, arm64: AT_COMMIT }));
  expect(report.failures).toEqual([]);
  expect(report.rows[0].created).toEqual({ 'linux/amd64': AT_COMMIT, 'linux/arm64': AT_COMMIT });
  expect(formatReport(`ghcr.io/${NAME}`, report).split('\n')).toContain(`Created: ${AT_COMMIT} (every platform)`);
});

test('platforms of one index with different created times fail, in one line naming both platforms and values', async () => {
  const later = '2026-11-30T09:17:42.318Z';
  const report = await verify(registryWith({ amd64: AT_COMMIT, arm64: later }));
  expect(report.failures).toEqual([
    `linux/amd64 and linux/arm64 differ in ${CREATED}: "${AT_COMMIT}" and "${later}" (the platforms of one release are built from one commit time)`,
  ]);
  expect(formatReport(`ghcr.io/${NAME}`, report).split('\n')).toContain(`Created: linux/amd64 ${AT_COMMIT}, linux/arm64 ${later}`);
});
