import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Project } from 'projen';
import { ImageRelease } from '../../src';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/client';
import { freePort, LocalRegistry } from '../../src/rehearse/local-registry';
import { runCli, tempDir } from '../util';
import { buildFixtureBase, FIXTURE_DOCKERFILE, NO_ATTESTATIONS, startTestRegistry } from './oci-fixture';

/**
 * End to end on this machine: rehearse a fixture project for linux/amd64 and linux/arm64 into a
 * real local registry (Debian's docker-registry, buildah, QEMU), verify it, then break it in four
 * ways and check that verify names each problem. Needs scripts/install-oci-tools.
 *
 * The tests run in any order and alone: beforeAll rehearses the release once into `registry`, which
 * tests only read; a test that changes a registry works on a copy of it or on a registry of its own.
 * The shared buildah `storage` only gains uniquely named images.
 */
const ROOT = path.join(__dirname, '..', '..');
const SHA = '1111111111111111111111111111111111111111';

const cli = runCli;


let registry: LocalRegistry;
let registryDir: string;
let repo: string;
let storage: string;
/** The CLI's answer to rehearsing v1.2.3 into `registry`. */
let rehearsed: ReturnType<typeof cli>;

beforeAll(async () => {
  storage = buildFixtureBase();
  registryDir = tempDir();
  registry = await startTestRegistry(registryDir);
  repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'fixture', outdir: repo });
  // Attestations are made by the workflow and checked in attestations.test.ts; a rehearsal has none.
  new ImageRelease(project, { image: 'ghcr.io/acme/fixture', labels: { description: 'A rehearsal fixture' }, attestations: NO_ATTESTATIONS });
  project.synth();
  rehearsed = cli(['rehearse', 'v1.2.3', '--registry-url', registry.url, '--storage', storage, '--sha', SHA, '--existing-tags', 'v1.2.2', '--json'], repo);
}, 300_000);

/** A registry of its own holding a copy of the rehearsed release, for a test that breaks it. */
async function copyOfRelease(): Promise<{ registry: LocalRegistry; dir: string }> {
  const dir = tempDir();
  fs.cpSync(path.join(registryDir, 'data'), path.join(dir, 'data'), { recursive: true });
  return { registry: await startTestRegistry(dir), dir };
}

const verify = (url: string, ...extra: string[]) => cli(['verify', 'v1.2.3', '--registry-url', url, '--sha', SHA, '--existing-tags', 'v1.2.2', ...extra], repo);

test('rehearse builds both platforms, pushes the planned tags and verifies them', () => {
  const r = rehearsed;
  expect(r.stderr).toContain('rehearse: building linux/amd64, linux/arm64 with buildah');
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout);
  const host = new URL(registry.url).host;
  expect(result.tags).toEqual(['1.2.3', '1.2', '1', 'latest'].map((t) => `${host}/acme/fixture:${t}`));
  expect(result.failures).toEqual([]);
  expect(result.rows[0].platforms).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']));
  // Every tag's row shows the index it points to, not only the first one's.
  for (const row of result.rows) expect(row.platforms).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']));
});

test('rehearse pushes each platform as its own leg and merges the leg digests into the index', async () => {
  const result = JSON.parse(rehearsed.stdout);
  const index = await new RegistryClient({ baseUrl: registry.url }).manifest('acme/fixture', '1.2.3');
  expect(Object.keys(result.legs)).toEqual(['linux/amd64', 'linux/arm64']);
  expect(index!.json.manifests.map((m: any) => m.digest)).toEqual([result.legs['linux/amd64'], result.legs['linux/arm64']]);
});

test('rehearse times each phase: the build and push of each leg, merge and verify', () => {
  const timings = JSON.parse(rehearsed.stdout).timings;
  expect(Object.keys(timings).sort()).toEqual(['build linux/amd64', 'build linux/arm64', 'merge', 'push linux/amd64', 'push linux/arm64', 'verify']);
});

test('rehearse shows each leg\'s steps, without buildah\'s warning about unused build args', () => {
  expect(rehearsed.stderr).toContain('  linux/arm64: STEP 2/');
  expect(rehearsed.stderr).not.toContain('were not consumed');
});

test('rehearse without --registry-url starts its own registry on 127.0.0.1 and stops it afterwards', () => {
  const r = cli(['rehearse', 'v2.0.0', '--storage', storage, '--sha', SHA, '--existing-tags', 'v1.2.3'], repo);
  expect(r.stderr).toContain('rehearse: starting a throwaway registry on 127.0.0.1');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Verified 127\.0\.0\.1:\d+\/acme\/fixture: \d+ checks\n/);
  expect(r.stdout).toMatch(/OK: all \d+ checks passed/);
  const port = /127\.0\.0\.1:(\d+)/.exec(r.stdout)![1];
  const running = spawnSync('pgrep', ['-af', 'docker-registry serve'], { encoding: 'utf-8' }).stdout;
  expect(running).not.toContain('image-release-rehearse-');
  expect(port).toBeDefined();
}, 180_000);

test('an interrupted rehearse stops its registry and removes its temp files', async () => {
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'),
    'rehearse', 'v2.0.1', '--storage', storage, '--sha', SHA, '--existing-tags', 'v1.2.3'], { cwd: repo });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rehearse never started building: ${stderr}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('rehearse: building')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const work = /image-release-rehearse-\w+/.exec(spawnSync('pgrep', ['-af', 'docker-registry serve'], { encoding: 'utf-8' }).stdout)?.[0];
  expect(work).toBeDefined();
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stderr).toContain('rehearse: SIGINT, stopping what it started');
  await new Promise((r) => setTimeout(r, 300));
  expect(spawnSync('pgrep', ['-af', 'docker-registry serve'], { encoding: 'utf-8' }).stdout).not.toContain(work);
  expect(fs.existsSync(path.join(os.tmpdir(), work!))).toBe(false);
}, 120_000);

test('an oversized layer fails the rehearsal, naming each platform and the budget', async () => {
  const big = tempDir();
  fs.writeFileSync(path.join(big, 'Dockerfile'), FIXTURE_DOCKERFILE.replace('CMD', 'RUN /bin/busybox head -c 1500000 /dev/urandom > /big.bin\nCMD'));
  const project = new Project({ name: 'big', outdir: big });
  // The busybox base is about 2.2 MB compressed; the random file adds 1.5 MB that no compression removes.
  new ImageRelease(project, { image: 'ghcr.io/acme/big', maxImageSizeMb: 3 });
  project.synth();
  const own = await startTestRegistry(tempDir());
  const r = cli(['rehearse', 'v1.0.0', '--registry-url', own.url, '--storage', storage, '--sha', SHA, '--existing-tags', 'v0.9.0'], big);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/FAIL: linux\/amd64: 3\.\d MB compressed exceeds the 3 MB budget/);
  expect(r.stdout).toMatch(/FAIL: linux\/arm64: 3\.\d MB compressed exceeds the 3 MB budget/);
  expect(r.stdout).not.toContain('FAIL: tag');
}, 180_000);

test('missing tools: one line saying what to install, exit code 2', () => {
  // A PATH with node and sh only.
  const bin = tempDir();
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'), 'rehearse', 'v1.2.3', '--existing-tags', 'v1.2.2', '--sha', SHA],
    { cwd: repo, encoding: 'utf-8', env: { ...process.env, PATH: bin } });
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('image-release rehearse: rehearse needs buildah and docker-registry: apt-get install buildah docker-registry\n');
});

test('verify passes on the rehearsed release and prints the table', () => {
  const r = verify(registry.url);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Verified ghcr\.io\/acme\/fixture: \d+ checks\nTAG +DIGEST +PLATFORMS +COMPRESSED SIZE\n1\.2\.3 +sha256:/);
  expect(r.stdout).toMatch(/OK: all \d+ checks passed/);
});

test('the arm64 RUN step really ran under emulation', async () => {
  const client = new RegistryClient({ baseUrl: registry.url });
  const index = await client.manifest('acme/fixture', '1.2.3');
  const arm = index!.json.manifests.find((m: any) => m.platform.architecture === 'arm64');
  const config = await client.jsonBlob('acme/fixture', (await client.manifest('acme/fixture', arm.digest))!.json.config.digest);
  expect(config.architecture).toBe('arm64');
  expect(config.config.Labels['org.opencontainers.image.version']).toBe('1.2.3');
  expect(index!.json.annotations['org.opencontainers.image.description']).toBe('A rehearsal fixture');
  // The RUN step's output layer holds what `uname -m` said inside the arm64 build.
  const manifest = (await client.manifest('acme/fixture', arm.digest))!.json;
  const layer = manifest.layers[manifest.layers.length - 1];
  const blob = Buffer.from(await (await fetch(`${registry.url}/v2/acme/fixture/blobs/${layer.digest}`)).arrayBuffer());
  const tar = layer.mediaType.endsWith('gzip') ? zlib.gunzipSync(blob) : blob;
  expect(tar.toString('latin1')).toContain('built for aarch64');
});

test('a wrong revision label fails, naming the label and both values', () => {
  const r = verify(registry.url, '--sha', '2222222222222222222222222222222222222222');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`FAIL: linux/amd64: label org.opencontainers.image.revision is "${SHA}", expected "2222222222222222222222222222222222222222"`);
  expect(r.stdout).toContain('FAIL: linux/arm64: label org.opencontainers.image.revision');
});

test('an image over the size budget fails, naming the platform and the budget', () => {
  const r = verify(registry.url, '--max-size-mb', '0.001');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/FAIL: linux\/amd64: [\d.]+ MB compressed exceeds the 0\.001 MB budget/);
});

test('a deleted tag fails, naming the tag', async () => {
  const copy = await copyOfRelease();
  fs.rmSync(path.join(copy.dir, 'data/docker/registry/v2/repositories/acme/fixture/_manifests/tags/1.2'), { recursive: true });
  const r = verify(copy.registry.url);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('FAIL: tag 1.2 is missing');
  expect(r.stdout).not.toContain('FAIL: tag 1 ');
});

test('an index missing a platform fails, naming the platform; a tag on another index is named too', async () => {
  const copy = await copyOfRelease();
  const client = new RegistryClient({ baseUrl: copy.registry.url });
  const index = await client.manifest('acme/fixture', '1.2.3');
  const amd64Only = { ...index!.json, manifests: index!.json.manifests.filter((m: any) => m.platform.architecture === 'amd64') };
  await client.putManifest('acme/fixture', '1.2.3', JSON.stringify(amd64Only), MANIFEST_TYPES.ociIndex);
  const r = verify(copy.registry.url);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('FAIL: the index has no linux/arm64 image (it has linux/amd64)');
  expect(r.stdout).toMatch(/FAIL: tag 1 points to sha256:\w+, not to sha256:\w+ like tag 1\.2\.3/);
});

test('an unreachable registry is "could not check": exit 2, one line naming the URL', async () => {
  const port = await freePort();
  const r = cli(['verify', 'v1.2.3', '--registry-url', `http://127.0.0.1:${port}`, '--existing-tags', 'v1.2.2'], repo);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^image-release verify: could not check: GET http://127\\.0\\.0\\.1:${port}/v2/acme/fixture/manifests/1\\.2\\.3: gave up after \\d+ attempts in [\\d.]+ s; last: connection error ECONNREFUSED\n$`));
}, 120_000);
