import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease } from '../../src';
import { loadModel } from '../../src/cli/common';
import { planRelease, ReleasePlan } from '../../src/plan/release-plan';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/client';
import { Buildah, buildLeg, mergeLegs, pushByDigest } from '../../src/rehearse/legs';
import { startLocalRegistry } from '../../src/rehearse/local-registry';
import { afterTestFile, tempDir } from '../util';
import { buildFixtureBase, FIXTURE_DOCKERFILE, NO_ATTESTATIONS } from './oci-fixture';

/**
 * The release as legs (one build per platform, pushed by digest) and a merge, with a mistake in the
 * merge: `verify` must name it. The legs are built once with buildah (QEMU for arm64) from the
 * fixture's busybox base; each test pushes the legs it needs to a registry of its own, merges them
 * its way and runs the CLI's verify. Needs scripts/install-oci-tools.
 */
const ROOT = path.join(__dirname, '..', '..');
const SHA = '3333333333333333333333333333333333333333';
const NAME = 'acme/legs';

let repo: string;
let buildah: Buildah;
let plan: ReleasePlan;
/** Local leg images: the amd64 and arm64 legs, and an "arm64" leg built for amd64 by mistake. */
const LEG = { amd64: 'localhost/legs-test:amd64', arm64: 'localhost/legs-test:arm64', arm64BuiltAsAmd64: 'localhost/legs-test:wrong' };

beforeAll(async () => {
  const storage = buildFixtureBase();
  buildah = new Buildah(storage, tempDir());
  repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'legs', outdir: repo });
  new ImageRelease(project, { image: `ghcr.io/${NAME}`, labels: { description: 'The legs fixture' }, attestations: NO_ATTESTATIONS });
  project.synth();
  plan = planRelease(loadModel('test', repo), { tag: 'v1.2.3', sha: SHA, existingTags: ['v1.2.2'], now: new Date().toISOString() });
  const build = (platform: string, image: string) => buildLeg(buildah, {
    platform,
    image,
    dockerfile: path.join(repo, 'Dockerfile'),
    context: repo,
    buildArgs: plan.buildArgs,
    labels: plan.labels,
    describe: { dockerfile: 'Dockerfile' },
    progress: () => undefined,
  });
  await build('linux/amd64', LEG.amd64);
  await build('linux/arm64', LEG.arm64);
  await build('linux/amd64', LEG.arm64BuiltAsAmd64);
}, 300_000);

/** A registry of its own holding the given local images, each pushed by digest; returns its client and their digests. */
async function registryWith(...images: string[]) {
  const registry = await startLocalRegistry(tempDir());
  afterTestFile(() => registry.stop());
  const client = new RegistryClient({ baseUrl: registry.url });
  const digests: string[] = [];
  for (const image of images) digests.push((await pushByDigest(buildah, client, image, NAME, path.join(tempDir(), 'layout'))).digest);
  return { url: registry.url, client, digests };
}

function verify(url: string) {
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'),
    'verify', 'v1.2.3', '--registry-url', url, '--sha', SHA, '--existing-tags', 'v1.2.2'], { cwd: repo, encoding: 'utf-8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const annotations = () => Object.fromEntries(plan.labels);

test('the legs merged as the workflow merges them pass verify', async () => {
  const reg = await registryWith(LEG.amd64, LEG.arm64);
  await mergeLegs(reg.client, NAME, reg.digests, annotations(), plan.tags);
  const r = verify(reg.url);
  expect(r.stdout).toMatch(/OK: all \d+ checks passed/);
  expect(r.code).toBe(0);
}, 120_000);

test('a leg pushed by digest has no tag', async () => {
  const reg = await registryWith(LEG.amd64);
  expect(await reg.client.tags(NAME)).toEqual([]);
  expect((await reg.client.manifest(NAME, reg.digests[0]))?.mediaType).toBe(MANIFEST_TYPES.ociManifest);
}, 120_000);

test('a leg missing from the merged index fails, naming the platform', async () => {
  const reg = await registryWith(LEG.amd64, LEG.arm64);
  await mergeLegs(reg.client, NAME, [reg.digests[0]], annotations(), plan.tags);
  const r = verify(reg.url);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('FAIL: the index has no linux/arm64 image (it has linux/amd64)');
}, 120_000);

test('an arm64 leg built for amd64 fails: the index has no arm64 image and amd64 twice', async () => {
  const reg = await registryWith(LEG.amd64, LEG.arm64BuiltAsAmd64);
  await mergeLegs(reg.client, NAME, reg.digests, annotations(), plan.tags);
  const r = verify(reg.url);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('FAIL: the index has no linux/arm64 image (it has linux/amd64, linux/amd64)');
  expect(r.stdout).toContain('FAIL: the index has more than one linux/amd64 image');
}, 120_000);

test('an index entry that claims arm64 for an amd64 image fails, naming both platforms', async () => {
  // A merge that writes each entry's platform from the leg it was meant to be, not from its image.
  const reg = await registryWith(LEG.amd64, LEG.arm64BuiltAsAmd64);
  const entries = await Promise.all(reg.digests.map(async (digest, i) => {
    const m = (await reg.client.manifest(NAME, digest))!;
    return { mediaType: m.mediaType, digest, size: m.size, platform: { os: 'linux', architecture: i === 0 ? 'amd64' : 'arm64' } };
  }));
  const index = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests: entries, annotations: annotations() });
  for (const tag of plan.tags) await reg.client.putManifest(NAME, tag, index, MANIFEST_TYPES.ociIndex);
  const r = verify(reg.url);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('FAIL: linux/arm64: the index entry points to a linux/amd64 image');
  expect(r.stdout).not.toContain('FAIL: the index has no linux/arm64 image');
}, 120_000);
