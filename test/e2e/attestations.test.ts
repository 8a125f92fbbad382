import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease, Platform } from '../../src';
import { Descriptor, Manifest, RegistryClient, referrersTag } from '../../src/registry/client';
import { LocalRegistry, startLocalRegistry } from '../../src/rehearse/local-registry';
import { PREDICATE_TYPES } from '../../src/verify/attestations';
import { afterTestFile, runCli, tempDir } from '../util';
import { provenance, pushAttestation, setReferrers, SPDX, SPDX_TYPE, statement } from './attestation-fixture';
import { buildFixtureBase, FIXTURE_DOCKERFILE } from './oci-fixture';

/**
 * verify against attestations in a real local registry (Debian's docker-registry, which like GHCR
 * has no referrers API): one amd64 rehearsal in beforeAll, then each test makes its own set of
 * attestation manifests the index's referrers, through the referrers tag, before it runs verify.
 * The Sigstore part is simulated (see attestation-fixture.ts). Needs scripts/install-oci-tools.
 */
const SHA = '1111111111111111111111111111111111111111';
const NAME = 'acme/attested';
const IMAGE = `ghcr.io/${NAME}`;
const SOURCE = 'https://github.com/acme/attested';

let registry: LocalRegistry;
let registryDir: string;
let repo: string;
let client: RegistryClient;
let index: Manifest;
let amd64: string;

const cli = (args: string[]) => runCli(args, repo);

beforeAll(async () => {
  const storage = buildFixtureBase();
  registryDir = tempDir();
  registry = await startLocalRegistry(registryDir);
  afterTestFile(() => registry.stop());
  repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'attested', outdir: repo });
  new ImageRelease(project, { image: IMAGE, platforms: [Platform.LINUX_AMD64], labels: { description: 'An attested fixture' } });
  project.synth();
  const r = cli(['rehearse', 'v1.2.3', '--registry-url', registry.url, '--storage', storage, '--sha', SHA, '--existing-tags', 'v1.2.2']);
  if (r.code !== 0) throw new Error(`rehearse failed: ${r.stdout}${r.stderr}`);
  client = new RegistryClient({ baseUrl: registry.url });
  index = (await client.manifest(NAME, '1.2.3'))!;
  amd64 = index.json.manifests[0].digest;
}, 300_000);

const subject = (): Descriptor => ({ mediaType: index.mediaType, digest: index.digest, size: index.size });
const provenanceOf = (commit: string, about = index.digest) =>
  pushAttestation(client, NAME, subject(), statement(IMAGE, about, PREDICATE_TYPES.provenance, provenance(SOURCE, commit)));
const sbom = () => pushAttestation(client, NAME, subject(), statement(IMAGE, index.digest, SPDX_TYPE, SPDX));
const verify = (...extra: string[]) => cli(['verify', 'v1.2.3', '--registry-url', registry.url, '--sha', SHA, ...extra]);

test('a release with provenance and an SBOM of the index verifies; its referrers tag is no version tag', async () => {
  await setReferrers(client, NAME, index.digest, [await provenanceOf(SHA), await sbom()]);
  // Without --existing-tags verify reads the registry's tags, the referrers tag among them.
  const r = verify();
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain(`Attestations (referrers tag): ${PREDICATE_TYPES.provenance}, ${SPDX_TYPE}`);
  expect(r.stdout).toMatch(/OK: all \d+ checks passed/);
  expect(r.code).toBe(0);
  expect(await client.tags(NAME)).toContain(referrersTag(index.digest));
});

test('no attestation fails, naming the index and where verify looked', async () => {
  await setReferrers(client, NAME, index.digest, [await sbom()]);
  fs.rmSync(path.join(registryDir, 'data/docker/registry/v2/repositories', NAME, '_manifests/tags', referrersTag(index.digest)), { recursive: true });
  const r = verify('--existing-tags', 'v1.2.2');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`FAIL: no attestation of the index ${index.digest} (looked in the referrers tag ${referrersTag(index.digest)})`);
});

test('a provenance statement about a platform manifest instead of the index fails, naming the platform', async () => {
  const wrong = await provenanceOf(SHA, amd64);
  await setReferrers(client, NAME, index.digest, [wrong, await sbom()]);
  const r = verify('--existing-tags', 'v1.2.2');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`FAIL: provenance attestation ${wrong.digest} is about the linux/amd64 manifest ${amd64}, not the index ${index.digest}`);
});

test('a provenance statement of another commit fails, naming both commits', async () => {
  const other = '2222222222222222222222222222222222222222';
  const wrong = await provenanceOf(other);
  await setReferrers(client, NAME, index.digest, [wrong, await sbom()]);
  const r = verify('--existing-tags', 'v1.2.2');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`FAIL: provenance attestation ${wrong.digest} is of commit ${other}, expected ${SHA}`);
});

test('a missing SBOM fails, naming it', async () => {
  await setReferrers(client, NAME, index.digest, [await provenanceOf(SHA)]);
  const r = verify('--existing-tags', 'v1.2.2');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`FAIL: no SBOM attestation (SPDX ${PREDICATE_TYPES.spdx}… or CycloneDX ${PREDICATE_TYPES.cyclonedx}) of the index ${index.digest}`);
  expect(r.stdout.match(/FAIL/g)).toHaveLength(1);
});

test('--skip-attestations checks the release without them', async () => {
  await setReferrers(client, NAME, index.digest, []);
  const r = verify('--existing-tags', 'v1.2.2', '--skip-attestations');
  expect(r.code).toBe(0);
  expect(r.stdout).not.toContain('Attestations');
});
