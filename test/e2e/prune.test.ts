import { execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/client';
import { Buildah, buildLeg, pushByDigest } from '../../src/rehearse/legs';
import { LocalRegistry, startLocalRegistry } from '../../src/rehearse/local-registry';
import { GitHubApiSim, registryBackend, SimFault, startGitHubApiSim } from '../prune/github-api-sim';
import { afterTestFile, tempDir } from '../util';
import { buildFixtureBase, FIXTURE_DOCKERFILE, startTestRegistry } from './oci-fixture';

/**
 * `image-release prune` end to end: a real local registry (Debian's docker-registry, deletes
 * enabled) holding a release history of multi-arch indexes made from an amd64 and an arm64 image
 * built with buildah, and the GitHub Packages API simulated on 127.0.0.1 on top of it (each version
 * is a manifest of the registry, named by its digest; deleting a version deletes that manifest).
 *
 * Each release's platform images are the two built legs with the release's version annotation
 * (so each release has manifests of its own over the same blobs), merged into an index tagged as
 * the release workflow tags it. The history also holds buildx-style attestation manifests inside
 * indexes, referrers stored under the `sha256-<hex>` tag schema, a per-leg index, a failed scan's
 * leg and an untagged orphan index. Needs scripts/install-oci-tools.
 */
const ROOT = path.join(__dirname, '..', '..');
const NAME = 'acme/prune';
const NOW = Date.now();
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

let buildah: Buildah;
/** The built legs (local images). */
const LEG = { amd64: 'localhost/prune-test:amd64', arm64: 'localhost/prune-test:arm64' };

beforeAll(async () => {
  buildah = new Buildah(buildFixtureBase(), tempDir());
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  for (const arch of ['amd64', 'arm64'] as const) {
    await buildLeg(buildah, {
      platform: `linux/${arch}`,
      image: LEG[arch],
      dockerfile: path.join(repo, 'Dockerfile'),
      context: repo,
      buildArgs: [],
      labels: [],
      describe: { dockerfile: 'Dockerfile' },
      progress: () => undefined,
    });
  }
}, 300_000);

/** The history in one registry: the digest of each named manifest, and each manifest's creation time. */
interface History {
  readonly registry: LocalRegistry;
  readonly client: RegistryClient;
  readonly digest: Record<string, string>;
  readonly known: Array<{ digest: string; createdAt: string }>;
  /** Every tag and the digest it points to, as pushed. */
  readonly tags: Record<string, string>;
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** Builds the release history in a registry of its own. */
async function history(): Promise<History> {
  const registry = await startLocalRegistry(tempDir());
  afterTestFile(() => registry.stop());
  const client = new RegistryClient({ baseUrl: registry.url });
  const digest: Record<string, string> = {};
  const known: Array<{ digest: string; createdAt: string }> = [];
  const tags: Record<string, string> = {};
  const put = async (name: string, json: object, age: number, tagList: string[] = []) => {
    const text = JSON.stringify(json);
    const mediaType = (json as any).mediaType;
    digest[name] = await client.putManifest(NAME, sha256(text), text, mediaType);
    for (const tag of tagList) {
      await client.putManifest(NAME, tag, text, mediaType);
      tags[tag] = digest[name];
    }
    known.push({ digest: digest[name], createdAt: daysAgo(age) });
    return { mediaType, digest: digest[name], size: Buffer.byteLength(text) };
  };
  const blob = async (text: string) => {
    const d = sha256(text);
    await client.putBlob(NAME, d, Buffer.from(text));
    return { digest: d, size: Buffer.byteLength(text) };
  };
  const legs: Record<string, any> = {};
  for (const arch of ['amd64', 'arm64'] as const) {
    const pushed = await pushByDigest(buildah, client, LEG[arch], NAME, path.join(tempDir(), 'layout'));
    legs[arch] = (await client.manifest(NAME, pushed.digest))!.json;
  }
  /** A platform image of a release: the built leg with the release's version annotation. */
  const image = (name: string, arch: 'amd64' | 'arm64', version: string, age: number) =>
    put(name, { ...legs[arch], annotations: { ...legs[arch].annotations, 'org.opencontainers.image.version': version } }, age);
  const emptyConfig = await blob('{}');
  /** An attestation manifest for an image, as buildx stores it in the index. */
  const attestation = async (name: string, of: string, age: number) => ({
    ...(await put(name, {
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...emptyConfig },
      layers: [{ mediaType: 'application/vnd.in-toto+json', ...(await blob(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', subject: of }))) }],
    }, age)),
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': digest[of] },
  });
  const index = (name: string, entries: object[], age: number, tagList: string[]) =>
    put(name, { schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex, manifests: entries }, age, tagList);
  const platformOf = (arch: string) => ({ platform: { architecture: arch, os: 'linux' } });
  /** A release: two platform images (and their attestations) merged into an index under `tagList`. */
  const release = async (version: string, age: number, tagList: string[], attest = false) => {
    const entries: object[] = [];
    for (const arch of ['amd64', 'arm64'] as const) entries.push({ ...(await image(`${version}/${arch}`, arch, version, age)), ...platformOf(arch) });
    if (attest) for (const arch of ['amd64', 'arm64']) entries.push(await attestation(`${version}/att-${arch}`, `${version}/${arch}`, age));
    await index(version, entries, age, tagList);
  };
  /** A signature of a manifest under the referrers tag schema: an artifact with a subject, listed by `sha256-<hex>`. */
  const signature = async (of: string, age: number) => {
    const subject = { mediaType: MANIFEST_TYPES.ociIndex, digest: digest[of], size: (await client.manifest(NAME, digest[of]))!.size };
    const sig = await put(`${of}/sig`, {
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.ociManifest,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', ...emptyConfig },
      layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', ...(await blob(`signature of ${digest[of]}`)) }],
      subject,
    }, age);
    await index(`${of}/referrers`, [{ ...sig, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }], age, [digest[of].replace(':', '-')]);
  };

  await release('1.0.0', 60, ['1.0.0'], true);
  await signature('1.0.0', 60);
  await release('1.0.1', 50, ['1.0.1', '1.0']);
  await release('2.0.0-rc.1', 40, ['2.0.0-rc.1']);
  await release('1.1.0', 20, ['1.1.0', '1.1', '1', 'latest'], true);
  await signature('1.1.0', 20);
  // The merge job's leftovers: a per-leg index of 1.1.0's amd64 image, a failed scan's leg, a leg being released now.
  await index('leg-index', [{ ...(await client.headManifest(NAME, digest['1.1.0/amd64']))!, ...platformOf('amd64') }], 20, []);
  await image('failed-scan-leg', 'arm64', '1.2.0', 10);
  await image('fresh-leg', 'amd64', '1.3.0', 0);
  // An untagged index with images of its own, from a run that lost its tags.
  await index('orphan', [
    { ...(await image('orphan/amd64', 'amd64', 'orphan', 30)), ...platformOf('amd64') },
    { ...(await image('orphan/arm64', 'arm64', 'orphan', 30)), ...platformOf('arm64') },
  ], 30, []);
  return { registry, client, digest, known, tags };
}

/** Everything the history's plan (keep 1 release, 7 days) deletes, by name. */
const DELETED = [
  '1.0.0', '1.0.0/amd64', '1.0.0/arm64', '1.0.0/att-amd64', '1.0.0/att-arm64', '1.0.0/sig', '1.0.0/referrers',
  '2.0.0-rc.1', '2.0.0-rc.1/amd64', '2.0.0-rc.1/arm64',
  'leg-index', 'failed-scan-leg', 'orphan', 'orphan/amd64', 'orphan/arm64',
];

/** The simulated API over a history, stopped after this file. */
async function api(h: History, faults: SimFault[] = []): Promise<GitHubApiSim> {
  const sim = await startGitHubApiSim({ owner: 'acme', ownerType: 'org', packageName: 'prune', backend: registryBackend(h.client, NAME, h.known), faults });
  afterTestFile(() => void sim.close());
  return sim;
}

/** Runs the CLI as a process, without blocking this one (the simulated API answers from it). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'), ...args], { cwd: tempDir() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function prune(h: History, sim: GitHubApiSim, ...extra: string[]) {
  return cli(['prune', '--image', `ghcr.io/${NAME}`, '--registry-url', h.registry.url, '--api-url', sim.url, '--keep', '1', '--older-than-days', '7', ...extra]);
}

const nameByDigest = (h: History) => new Map(Object.entries(h.digest).map(([n, d]) => [d, n]));
/** Names of the manifests the registry still has. */
async function present(h: History): Promise<string[]> {
  const out: string[] = [];
  for (const [name, d] of Object.entries(h.digest)) if (await h.client.headManifest(NAME, d)) out.push(name);
  return out.sort();
}

test('the dry run lists each version to delete with its reason and size, deletes nothing, and totals them', async () => {
  const h = await history();
  const sim = await api(h);
  const before = await present(h);
  const r = await prune(h, sim, '--json');
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout);
  const names = nameByDigest(h);
  expect(plan.deletions.map((d: any) => names.get(d.digest)).sort()).toEqual([...DELETED].sort());
  expect(plan.deletions.every((d: any) => d.size > 0 && d.why.length > 0)).toBe(true);
  expect(plan.deletedBytes).toBe(plan.deletions.reduce((s: number, d: any) => s + d.size, 0));
  expect(sim.seen.filter((s) => s.method === 'DELETE')).toEqual([]);
  expect(await present(h)).toEqual(before);
}, 180_000);

test('the dry run table names the reasons', async () => {
  const h = await history();
  const r = await prune(h, await api(h));
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Would delete \(dry run; --apply deletes\) ghcr\.io\/acme\/prune\n/);
  for (const reason of ['release 1.0.0 is beyond the newest kept', 'pre-release 2.0.0-rc.1, 40 days old', 'untagged, 10 days old, referenced by nothing',
    `referenced only by deleted ${h.digest['1.0.0'].slice(0, 19)}`, `referrer of deleted ${h.digest['1.0.0'].slice(0, 19)}`]) {
    expect(r.stdout).toContain(reason);
  }
  expect(r.stdout).toMatch(/\nTotal: 15 versions to delete \(\d+\.\d\d MB\); 11 kept\n$/);
}, 180_000);

describe('--apply', () => {
  let h: History;
  let tagsBefore: Record<string, string>;
  let r: Awaited<ReturnType<typeof prune>>;
  let sim: GitHubApiSim;

  beforeAll(async () => {
    h = await history();
    tagsBefore = { ...h.tags };
    // The first delete meets a rate limit; prune waits and goes on.
    sim = await api(h, [{ method: 'DELETE', path: /versions\/\d+$/, status: 429, headers: { 'Retry-After': '1' } }]);
    r = await prune(h, sim, '--apply');
  }, 180_000);

  test('deletes every planned version and exits 0', async () => {
    expect(r.stdout).toMatch(/\nDeleted 15 of 15 versions/);
    expect(r.code).toBe(0);
    const gone = Object.keys(h.digest).filter((n) => !DELETED.includes(n));
    expect(await present(h)).toEqual(gone.sort());
  });

  test('deletes each index before the manifests it references, and a referrer before its subject', () => {
    const names = nameByDigest(h);
    const ids = new Map(h.known.map((k, i) => [1000 + i, names.get(k.digest)!]));
    const order = sim.seen.filter((s) => s.method === 'DELETE').map((s) => ids.get(Number(/(\d+)$/.exec(s.url)![1]))!);
    const before = (a: string, b: string) => expect(order.lastIndexOf(a)).toBeLessThan(order.indexOf(b));
    before('1.0.0', '1.0.0/amd64');
    before('1.0.0', '1.0.0/att-arm64');
    before('1.0.0/referrers', '1.0.0/sig');
    before('1.0.0/referrers', '1.0.0');
    before('orphan', 'orphan/arm64');
  });

  test('waits out a 429 with Retry-After and retries the same delete', () => {
    const deletes = sim.seen.filter((s) => s.method === 'DELETE');
    expect(deletes[0].url).toBe(deletes[1].url);
  });

  test('every kept tag still points to the same manifest', async () => {
    for (const [tag, d] of Object.entries(tagsBefore)) {
      if (DELETED.includes(nameByDigest(h).get(d)!)) continue;
      expect((await h.client.headManifest(NAME, tag))?.digest).toBe(d);
    }
  });

  test.each(['1.1.0', '1.1', '1', 'latest', '1.0.1', '1.0'])('tag %s still resolves for linux/amd64 and linux/arm64', (tag) => {
    for (const arch of ['amd64', 'arm64']) {
      const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--override-os', 'linux', '--override-arch', arch,
        `docker://${new URL(h.registry.url).host}/${NAME}:${tag}`], { encoding: 'utf-8' });
      expect(JSON.parse(out).Architecture).toBe(arch);
    }
  });

  test('the kept signature still resolves under its referrer tag', async () => {
    const referrers = await h.client.manifest(NAME, h.digest['1.1.0'].replace(':', '-'));
    expect(referrers?.json.manifests[0].digest).toBe(h.digest['1.1.0/sig']);
  });

  test('a second run finds nothing to delete', async () => {
    const again = await prune(h, sim, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).deletions).toEqual([]);
  });
});

test('a 403 on a delete stops the run: exit 1, the package and the fix named, nothing after it touched', async () => {
  const h = await history();
  const sim = await api(h, [{ method: 'DELETE', path: /versions\/\d+$/, status: 403, message: 'Permission denied', times: 1 }]);
  const before = await present(h);
  const r = await prune(h, sim, '--apply');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/FAIL: package acme\/prune: could not delete version \d+ of it: DELETE \S+: 403 Forbidden \(Permission denied\); in the package settings, "Manage Actions access" must give this repository the Admin role/);
  expect(sim.seen.filter((s) => s.method === 'DELETE')).toHaveLength(1);
  expect(await present(h)).toEqual(before);
}, 180_000);

/** Copies the named manifests of a history (and the blobs of its images) into another registry, under their digests. */
async function copyManifests(h: History, to: RegistryClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const m = (await h.client.manifest(NAME, h.digest[name]))!;
    for (const b of [m.json.config, ...(m.json.layers ?? [])].filter((x) => x)) await to.putBlob(NAME, b.digest, await h.client.blob(NAME, b.digest));
    const text = JSON.stringify(m.json);
    expect(sha256(text)).toBe(h.digest[name]);
    await to.putManifest(NAME, h.digest[name], text, m.mediaType);
  }
}

/** Each case: the registry --registry-url points at, given what it holds of the history (names, children before their index). */
const LACKING: Array<[string, string[]]> = [
  ['an empty registry', []],
  ['a registry holding 1.0.1 and the images of 1.1.0, but not 1.1.0\'s index', ['1.0.1/amd64', '1.0.1/arm64', '1.0.1', '1.1.0/amd64', '1.1.0/arm64', '1.1.0/att-amd64', '1.1.0/att-arm64']],
];

test.each(LACKING)('prune --apply against %s deletes nothing, exits 2 and names each version it cannot see', async (_, holds) => {
  const h = await history();
  const sim = await api(h);
  const mirror = await startTestRegistry();
  await copyManifests(h, new RegistryClient({ baseUrl: mirror.url }), holds);
  const before = await present(h);

  const r = await cli(['prune', '--image', `ghcr.io/${NAME}`, '--registry-url', mirror.url, '--api-url', sim.url, '--keep', '1', '--older-than-days', '7', '--apply']);

  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(sim.seen.filter((s) => s.method === 'DELETE')).toEqual([]);
  expect(await present(h)).toEqual(before);
  const missing = Object.keys(h.digest).filter((n) => !holds.includes(n));
  // The progress line first, then the error.
  const [progress, ...lines] = r.stderr.trimEnd().split('\n');
  expect(progress).toBe(`prune: ${h.known.length} versions of ghcr.io/${NAME}; reading their manifests`);
  expect(lines[0]).toBe(`image-release prune: ${missing.length} of ${h.known.length} versions of ghcr.io/${NAME} could not be read from ${mirror.url}; nothing is planned or deleted:`);
  const tagsOf = (d: string) => Object.keys(h.tags).filter((t) => h.tags[t] === d).sort();
  const problems = lines.slice(1, -1).map((l) => /^ {2}version \d+ (sha256:[0-9a-f]{64}) \((?:tags (.+)|untagged)\): 404 Not Found$/.exec(l));
  expect(problems.every((m) => m !== null)).toBe(true);
  expect(problems.map((m) => nameByDigest(h).get(m![1])).sort()).toEqual(missing.sort());
  for (const m of problems) expect((m![2]?.split(', ') ?? []).sort()).toEqual(tagsOf(m![1]));
  expect(lines[lines.length - 1]).toBe(`  likely cause: ${mirror.url} does not hold the package's manifests; --registry-url must point at the registry that holds the package, not a mirror or an empty registry`);
}, 300_000);
