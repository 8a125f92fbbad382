/**
 * Benchmark: requests and wall time of `image-release prune` for a package of 200 versions: 50
 * releases, each an index of an amd64 and an arm64 image and an attestation manifest, in a real
 * local registry (docker-registry), with the GitHub Packages API simulated on 127.0.0.1 (it cannot
 * be reached here). Plans the dry run, then applies it (keep 10, so 40 releases go: 160 versions).
 * Run: npx ts-node --transpile-only bench/prune.ts   (after scripts/install-oci-tools)
 */
import { createHash } from 'crypto';
import { runPrune } from '../src/prune/run';
import { MANIFEST_TYPES, RegistryClient } from '../src/registry/client';
import { startLocalRegistry } from '../src/rehearse/local-registry';
import { registryBackend, startGitHubApiSim } from '../test/prune/github-api-sim';
import { cleanUp, tempDir } from '../test/util';

const NAME = 'acme/bench';
const RELEASES = 50;
const sha256 = (data: string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function main() {
  const registry = await startLocalRegistry(tempDir());
  try {
    const client = new RegistryClient({ baseUrl: registry.url });
    const known: Array<{ digest: string; createdAt: string }> = [];
    const put = async (json: object, createdAt: string, tags: string[] = []) => {
      const text = JSON.stringify(json);
      const mediaType = (json as any).mediaType;
      const digest = await client.putManifest(NAME, sha256(text), text, mediaType);
      for (const tag of tags) await client.putManifest(NAME, tag, text, mediaType);
      known.push({ digest, createdAt });
      return { mediaType, digest, size: Buffer.byteLength(text) };
    };
    const blob = async (text: string) => {
      await client.putBlob(NAME, sha256(text), Buffer.from(text));
      return { digest: sha256(text), size: Buffer.byteLength(text) };
    };
    const t0 = Date.now();
    for (let i = 0; i < RELEASES; i++) {
      const version = `1.0.${i}`;
      const createdAt = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString();
      const entries: object[] = [];
      for (const arch of ['amd64', 'arm64']) {
        const config = await blob(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { version } } }));
        const layer = await blob(`layer of ${version} ${arch}`);
        const image = await put({
          schemaVersion: 2, mediaType: MANIFEST_TYPES.ociManifest,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
        }, createdAt);
        entries.push({ ...image, platform: { architecture: arch, os: 'linux' } });
      }
      const statement = await blob(`attestation of ${version}`);
      const empty = await blob('{}');
      const att = await put({
        schemaVersion: 2, mediaType: MANIFEST_TYPES.ociManifest,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...empty },
        layers: [{ mediaType: 'application/vnd.in-toto+json', ...statement }],
      }, createdAt);
      entries.push({ ...att, platform: { architecture: 'unknown', os: 'unknown' } });
      const tags = i === RELEASES - 1 ? [version, '1.0', '1', 'latest'] : [version];
      await put({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests: entries }, createdAt, tags);
    }
    const setup = (Date.now() - t0) / 1000;
    const backend = registryBackend(client, NAME, known);
    await backend.versions(); // the simulator reads the registry once, outside the timings
    const sim = await startGitHubApiSim({ owner: 'acme', ownerType: 'org', packageName: 'bench', backend });
    try {
      const run = (apply: boolean) => runPrune({
        image: `ghcr.io/${NAME}`, registryUrl: registry.url, apiUrl: sim.url, ownerType: 'org',
        policy: { keep: 10, olderThanDays: 7, keepPrereleases: false }, now: '2025-06-30T00:00:00Z', apply, progress: () => undefined,
      });
      let t = Date.now();
      const dry = await run(false);
      const dryS = (Date.now() - t) / 1000;
      t = Date.now();
      const applied = await run(true);
      const applyS = (Date.now() - t) / 1000;
      console.log(`package: ${known.length} versions (${RELEASES} releases x index + 2 images + 1 attestation); setup ${setup.toFixed(1)} s`);
      console.log(`dry run: ${dry.plan.deletions.length} to delete, ${dry.plan.kept.length} kept; ${dry.requests.api} API + ${dry.requests.registry} registry requests; ${dryS.toFixed(2)} s`);
      console.log(`apply:   ${applied.deleted} deleted${applied.failure ? ` (FAILED: ${applied.failure})` : ''}; ${applied.requests.api} API + ${applied.requests.registry} registry requests; ${applyS.toFixed(2)} s`);
    } finally {
      await sim.close();
    }
  } finally {
    registry.stop();
    cleanUp();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
