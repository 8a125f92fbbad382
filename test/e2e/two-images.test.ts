import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease, Platform } from '../../src';
import { LocalRegistry } from '../../src/rehearse/local-registry';
import { runCli, tempDir } from '../util';
import { buildFixtureBase, FIXTURE_DOCKERFILE, NO_ATTESTATIONS, startTestRegistry } from './oci-fixture';

/**
 * End to end: one repository with two images (an operator and its webhook, each with its own
 * Dockerfile and context), rehearsed from one tag into a real local registry and verified image by
 * image; then a tag of one image is made to point at the other's index, which verify must catch.
 * amd64 only: the two-platform path is covered by rehearse-verify.test.ts. Needs scripts/install-oci-tools.
 */
const SHA = '2222222222222222222222222222222222222222';

const cli = runCli;

let registry: LocalRegistry;
let repo: string;
let rehearsed: ReturnType<typeof cli>;

beforeAll(async () => {
  const storage = buildFixtureBase();
  registry = await startTestRegistry();
  repo = tempDir();
  fs.mkdirSync(path.join(repo, 'webhook'));
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  fs.writeFileSync(path.join(repo, 'webhook', 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'two-images', outdir: repo });
  const common = { platforms: [Platform.LINUX_AMD64], verify: false, attestations: NO_ATTESTATIONS, labels: { description: 'A rehearsal fixture', source: 'https://github.com/acme/operator' } };
  new ImageRelease(project, { ...common, id: 'operator', image: 'ghcr.io/acme/operator' });
  new ImageRelease(project, { ...common, id: 'webhook', image: 'ghcr.io/acme/webhook', dockerfile: 'webhook/Dockerfile', context: 'webhook' });
  project.synth();
  rehearsed = cli(['rehearse', 'v1.2.3', '--registry-url', registry.url, '--storage', storage, '--sha', SHA, '--existing-tags', 'v1.2.2', '--json'], repo);
}, 400_000);

const verify = (image: string) => cli(['verify', 'v1.2.3', '--image', image, '--registry-url', registry.url, '--sha', SHA, '--existing-tags', 'v1.2.2'], repo);

test('one rehearse of the shared tag builds, pushes and verifies each image', () => {
  expect(rehearsed.code).toBe(0);
  const results = JSON.parse(rehearsed.stdout);
  const host = new URL(registry.url).host;
  expect(results.map((r: any) => [r.id, r.tags[0], r.failures])).toEqual([
    ['operator', `${host}/acme/operator:1.2.3`, []],
    ['webhook', `${host}/acme/webhook:1.2.3`, []],
  ]);
});

test('verify checks each image by its id', () => {
  for (const id of ['operator', 'webhook']) {
    const r = verify(id);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`acme/${id}`);
  }
});

test('webhook tags pointing at the operator\'s index fail verify: one such tag by its digest, all of them by their labels', () => {
  const host = new URL(registry.url).host;
  const copy = (tag: string) => execFileSync('skopeo', ['copy', '--all', '--src-tls-verify=false', '--dest-tls-verify=false',
    `docker://${host}/acme/operator:1.2.3`, `docker://${host}/acme/webhook:${tag}`], { stdio: 'pipe' });
  copy('1');
  const one = verify('webhook');
  expect(one.code).toBe(1);
  expect(one.stdout).toMatch(/FAIL: tag 1 points to sha256:\w+, not to sha256:\w+ like tag 1\.2\.3/);
  for (const tag of ['1.2.3', '1.2', 'latest']) copy(tag);
  const all = verify('webhook');
  expect(all.code).toBe(1);
  expect(all.stdout).toContain('label org.opencontainers.image.title is "operator", expected "webhook"');
  expect(verify('operator').code).toBe(0);
});
