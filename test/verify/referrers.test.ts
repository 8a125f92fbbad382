import * as http from 'http';
import { AddressInfo } from 'net';
import { planRelease } from '../../src/plan/release-plan';
import { isReferrersTag, RegistryClient, referrersTag } from '../../src/registry/client';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const TAG = `sha256-${'ab'.repeat(32)}`;
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const referrer = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'cd'.repeat(32)}`, size: 1, artifactType: BUNDLE };
const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [referrer] });

/** A registry on 127.0.0.1 answering each path from a table (404 otherwise); records the paths asked. */
async function registry(answers: Record<string, string>) {
  const seen: string[] = [];
  const srv = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const body = answers[(req.url ?? '').split('?')[0]];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
    res.end(body);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const close = () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); });
  return { client: new RegistryClient({ baseUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` }), seen, close };
}

test.each([
  ['the referrers API, when the registry serves it', { [`/v2/acme/app/referrers/${DIGEST}`]: index }, 'referrers API', [referrer], 1],
  ['the referrers tag, when it does not (GHCR, distribution 2.x)', { [`/v2/acme/app/manifests/${TAG}`]: index }, 'referrers tag', [referrer], 2],
  ['nothing, when neither has any', {}, 'referrers tag', [], 2],
])('referrers of a digest come from %s', async (_name, answers, source, descriptors, requests) => {
  const r = await registry(answers);
  try {
    expect(await r.client.referrers('acme/app', DIGEST)).toEqual({ source, descriptors });
    expect(r.seen).toHaveLength(requests);
  } finally {
    await r.close();
  }
});

test.each([
  [TAG, true],
  [referrersTag(DIGEST), true],
  [`${TAG}.sig`, true],
  ['1.2.3', false],
  ['sha256-abc', false],
  ['latest', false],
])('%s is a referrers tag: %s', (tag, expected) => {
  expect(isReferrersTag(tag)).toBe(expected);
});

test('a referrers tag among the existing tags is no version: the highest-version latest is unchanged', () => {
  const model = {
    trigger: 'tag-push' as any,
    releaseBranch: 'main',
    tagPrefix: '',
    metadata: { images: ['ghcr.io/acme/app'], tags: ['type=semver,pattern={{version}}'], flavor: ['latest=auto'] },
    labels: [],
    buildArgs: [],
  };
  const plan = (existingTags: string[]) => planRelease(model, { tag: 'v1.2.3', sha: '0'.repeat(40), existingTags, now: '2026-01-01T00:00:00.000Z' }).tags;
  expect(plan(['v1.2.2', `sha256-${'9'.repeat(64)}`, TAG])).toEqual(plan(['v1.2.2']));
});
