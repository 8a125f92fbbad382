import { createHash } from 'crypto';
import { readGraph, UnseenManifest } from '../../src/prune/graph';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/client';

/**
 * readGraph against a registry answered in memory (an injected fetch; no network): every digest
 * asked for ends up either as a node or as unseen with what the registry answered, never as a
 * manifest that references nothing.
 */

const NAME = 'acme/app';
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** One scripted answer of the registry for a manifest path. */
type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'network-error';

/** A manifest's text and digest. */
function manifest(json: object): { text: string; digest: string } {
  const text = JSON.stringify(json);
  return { text, digest: sha256(text) };
}

const image = (n: number) => manifest({
  schemaVersion: 2,
  mediaType: MANIFEST_TYPES.ociManifest,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(`config ${n}`), size: 10 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(`layer ${n}`), size: 100 }],
});
const index = (...children: string[]) => manifest({
  schemaVersion: 2,
  mediaType: MANIFEST_TYPES.ociIndex,
  manifests: children.map((digest) => ({ mediaType: MANIFEST_TYPES.ociManifest, digest, size: 1 })),
});

/** A 200 answer holding a manifest, with the digest header a registry sends. */
const ok = (m: { text: string; digest: string }, digest = m.digest): Answer =>
  ({ status: 200, body: m.text, headers: { 'Content-Type': JSON.parse(m.text).mediaType ?? 'application/json', 'Docker-Content-Digest': digest } });

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

/** A client whose registry answers `answers` by digest (404 for any other), and the digests asked for. */
function registry(answers: Record<string, Answer>) {
  const asked: string[] = [];
  const fetchFake = (async (url: string | URL) => {
    const digest = String(url).split('/manifests/')[1];
    asked.push(digest);
    const a = answers[digest] ?? { status: 404, body: JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }) };
    if (a === 'network-error') throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    return new Response(a.body ?? '', { status: a.status, statusText: STATUS_TEXT[a.status], headers: { 'Content-Type': 'application/json', ...a.headers } });
  }) as unknown as typeof fetch;
  const client = new RegistryClient({ baseUrl: 'http://registry.invalid', fetch: fetchFake, sleep: async () => undefined, retry: { maxAttempts: 2 } });
  return { client, asked };
}

test('an index and its images are read as nodes, with the index\'s entries as children', async () => {
  const [a, b] = [image(1), image(2)];
  const i = index(a.digest, b.digest);
  const { client } = registry({ [i.digest]: ok(i), [a.digest]: ok(a), [b.digest]: ok(b) });
  const graph = await readGraph(client, NAME, [i.digest, a.digest, b.digest]);
  expect(graph.unseen).toEqual([]);
  expect(graph.nodes.get(i.digest)?.children).toEqual([a.digest, b.digest]);
  expect(graph.nodes.get(a.digest)?.children).toEqual([]);
});

const other = image(9);
/** Each case: what the registry answers for the one digest asked for, and what readGraph makes of it. */
const UNSEEN: Array<[string, (m: { text: string; digest: string }) => Answer, Omit<UnseenManifest, 'digest'>]> = [
  ['404', () => ({ status: 404 }), { kind: 'missing', answer: '404 Not Found' }],
  ['401 without credentials', () => ({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
    { kind: 'failed', answer: expect.stringMatching(/: 401 Unauthorized; the registry needs credentials/) }],
  ['403', () => ({ status: 403, body: JSON.stringify({ errors: [{ code: 'DENIED', message: 'no' }] }) }),
    { kind: 'failed', answer: expect.stringMatching(/^GET http:\/\/registry\.invalid\/v2\/acme\/app\/manifests\/sha256:[0-9a-f]{64}: 403 Forbidden \(DENIED: no\)$/) }],
  ['500 every time', () => ({ status: 500 }), { kind: 'failed', answer: expect.stringMatching(/gave up after 2 attempts .*; last: 500 Internal Server Error$/) }],
  ['a network error', () => 'network-error', { kind: 'failed', answer: expect.stringMatching(/gave up after 2 attempts .*; last: connection error ECONNREFUSED$/) }],
  ['an answer that is not JSON', (m) => ({ status: 200, body: '<html>mirror</html>', headers: { 'Docker-Content-Digest': m.digest } }),
    { kind: 'failed', answer: expect.stringMatching(/: the answer is not JSON \(/) }],
  ['an unknown media type', (m) => ({ status: 200, body: JSON.stringify({ schemaVersion: 1, mediaType: 'application/vnd.example.bundle.v1+json', manifests: [] }), headers: { 'Docker-Content-Digest': m.digest } }),
    { kind: 'unreadable', answer: 'media type "application/vnd.example.bundle.v1+json" is neither an image manifest nor an index, so what it references is unknown' }],
  ['no media type but the Content-Type', (m) => ({ status: 200, body: JSON.stringify({ schemaVersion: 2 }), headers: { 'Docker-Content-Digest': m.digest } }),
    { kind: 'unreadable', answer: 'media type "application/json" is neither an image manifest nor an index, so what it references is unknown' }],
  ['an index without a manifests list', (m) => ({ status: 200, body: JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociIndex }), headers: { 'Docker-Content-Digest': m.digest } }),
    { kind: 'unreadable', answer: `an index (${MANIFEST_TYPES.ociIndex}) without a "manifests" list` }],
  ['an index entry without a digest', (m) => ({ status: 200, body: JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.dockerList, manifests: [{ digest: other.digest }, { size: 3 }] }), headers: { 'Docker-Content-Digest': m.digest } }),
    { kind: 'unreadable', answer: 'entry 1 of the index names no digest (null)' }],
  ['the manifest of another digest', () => ok(other), { kind: 'unreadable', answer: `the registry answered with manifest ${other.digest}` }],
];

test.each(UNSEEN)('%s: the digest is unseen, not a node', async (_, answer, expected) => {
  const m = image(1);
  const { client } = registry({ [m.digest]: answer(m) });
  const graph = await readGraph(client, NAME, [m.digest]);
  expect(graph.nodes.size).toBe(0);
  expect(graph.unseen).toEqual([{ digest: m.digest, ...expected }]);
});

test('after a 404 the other digests are still read', async () => {
  const [a, b, c] = [image(1), image(2), image(3)];
  const { client, asked } = registry({ [a.digest]: ok(a), [c.digest]: ok(c) });
  const graph = await readGraph(client, NAME, [a.digest, b.digest, c.digest]);
  expect([...graph.nodes.keys()].sort()).toEqual([a.digest, c.digest].sort());
  expect(graph.unseen.map((u) => [u.digest, u.kind])).toEqual([[b.digest, 'missing']]);
  expect(asked.sort()).toEqual([a.digest, b.digest, c.digest].sort());
});

test('after a failed read no further digest is asked for; the rest are not-read', async () => {
  const digests = Array.from({ length: 20 }, (_, n) => image(n).digest);
  const { client, asked } = registry(Object.fromEntries(digests.map((d) => [d, { status: 403 }])));
  const graph = await readGraph(client, NAME, digests);
  expect(graph.nodes.size).toBe(0);
  expect(graph.unseen.map((u) => u.digest)).toEqual(digests);
  expect(asked.length).toBeLessThan(digests.length);
  expect(graph.unseen.filter((u) => u.kind === 'not-read')).toHaveLength(digests.length - asked.length);
});
