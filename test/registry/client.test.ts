import * as http from 'http';
import { AddressInfo } from 'net';
import { parseChallenge, RegistryClient, RegistryError, retryAfterMs } from '../../src/registry/client';

/** A scripted registry on 127.0.0.1: each request is answered by the next handler (the last repeats). */
async function server(handlers: Array<(req: http.IncomingMessage, res: http.ServerResponse) => void>) {
  const seen: Array<{ url: string; auth?: string }> = [];
  const srv = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    handlers[Math.min(seen.length - 1, handlers.length - 1)](req, res);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

const INDEX = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
const ok = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Docker-Content-Digest': 'sha256:abc' });
  res.end(INDEX);
};
const status = (code: number, headers: Record<string, string> = {}) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(code, headers);
  res.end('{}');
};
const FAST = { baseDelayMs: 10, maxDelayMs: 2000, attemptTimeoutMs: 500, maxTotalMs: 10_000 };

test('a 429 with Retry-After waits that long, then succeeds', async () => {
  const s = await server([status(429, { 'Retry-After': '1' }), ok]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: FAST });
    const t0 = Date.now();
    const m = await client.manifest('acme/app', '1.2.3');
    expect(m?.digest).toBe('sha256:abc');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(client.requests).toBe(2);
  } finally {
    await s.close();
  }
});

test('503 twice, then 200', async () => {
  const s = await server([status(503), status(503), ok]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: FAST });
    expect((await client.manifest('acme/app', 'latest'))?.json.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(s.seen).toHaveLength(3);
  } finally {
    await s.close();
  }
});

test('a reset connection is retried', async () => {
  const s = await server([(req) => req.socket.destroy(), ok]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: FAST });
    expect((await client.manifest('acme/app', 'latest'))?.digest).toBe('sha256:abc');
    expect(client.requests).toBe(2);
  } finally {
    await s.close();
  }
});

test('a hanging socket times out per attempt; giving up names the URL, the attempts and the last problem', async () => {
  const s = await server([() => undefined]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: { ...FAST, maxAttempts: 3, attemptTimeoutMs: 200 } });
    const t0 = Date.now();
    await expect(client.manifest('acme/app', '1.0.0')).rejects.toThrow(
      new RegExp(`^GET ${s.url}/v2/acme/app/manifests/1\\.0\\.0: gave up after 3 attempts in [\\d.]+ s; last: no answer within the attempt timeout$`));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.seen).toHaveLength(3);
  } finally {
    await s.close();
  }
});

test('retries stop at the total time bound, also when Retry-After asks for more', async () => {
  const s = await server([status(503, { 'Retry-After': '30' })]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: { ...FAST, maxTotalMs: 1500, maxDelayMs: 1000 } });
    const t0 = Date.now();
    const err = await client.manifest('acme/app', '1.0.0').catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toMatch(/last: 503 Service Unavailable$/);
    expect(err.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(3000);
  } finally {
    await s.close();
  }
});

test('a 404 is not retried and means "not there"', async () => {
  const s = await server([status(404)]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: FAST });
    expect(await client.manifest('acme/app', 'nope')).toBeUndefined();
    expect(s.seen).toHaveLength(1);
  } finally {
    await s.close();
  }
});

test('the bearer challenge flow: token from the realm with basic credentials, then the request with the token', async () => {
  let realm = '';
  const registry = await server([
    (_req, res) => { res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="test-registry",scope="repository:acme/app:pull"` }); res.end(); },
    (req, res) => {
      if (req.headers.authorization === 'Bearer t0k3n') ok(req, res);
      else status(401)(req, res);
    },
  ]);
  const tokens = await server([(req, res) => {
    const expected = `Basic ${Buffer.from('octocat:s3cret').toString('base64')}`;
    res.writeHead(req.headers.authorization === expected ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token: 't0k3n' }));
  }]);
  realm = `${tokens.url}/token`;
  try {
    const client = new RegistryClient({ baseUrl: registry.url, credentials: { username: 'octocat', password: 's3cret' }, retry: FAST });
    expect((await client.manifest('acme/app', '1.2.3'))?.digest).toBe('sha256:abc');
    expect(tokens.seen[0].url).toBe('/token?service=test-registry&scope=repository%3Aacme%2Fapp%3Apull');
    expect(registry.seen.map((r) => r.auth)).toEqual([undefined, 'Bearer t0k3n']);
    // The token is reused for the next request of the same scope.
    await client.manifest('acme/app', '1.2.4');
    expect(tokens.seen).toHaveLength(1);
  } finally {
    await registry.close();
    await tokens.close();
  }
});

test('refused credentials fail with the token URL and status, never with the credentials', async () => {
  const tokens = await server([status(403)]);
  const registry = await server([(_req, res) => { res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.url}/token",service="x"` }); res.end(); }]);
  try {
    const client = new RegistryClient({ baseUrl: registry.url, credentials: { username: 'octocat', password: 'ghp_SECRETVALUE' }, retry: FAST });
    const err = await client.manifest('acme/app', '1.2.3').catch((e) => e);
    expect(err.message).toBe(`GET ${tokens.url}/token (token for ${registry.url}/v2/acme/app/manifests/1.2.3): 403 Forbidden`);
    expect(err.message).not.toContain('ghp_SECRETVALUE');
    expect(err.message).not.toContain(Buffer.from('octocat:ghp_SECRETVALUE').toString('base64'));
  } finally {
    await registry.close();
    await tokens.close();
  }
});

test('basic auth when the registry asks for it, and a clear error without credentials', async () => {
  const registry = await server([(req, res) => {
    if (req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`) return ok(req, res);
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="registry"' });
    res.end();
  }]);
  try {
    const withCreds = new RegistryClient({ baseUrl: registry.url, credentials: { username: 'u', password: 'p' }, retry: FAST });
    expect((await withCreds.manifest('acme/app', '1'))?.digest).toBe('sha256:abc');
    const anonymous = new RegistryClient({ baseUrl: registry.url, retry: FAST });
    await expect(anonymous.manifest('acme/app', '1')).rejects.toThrow('401 Unauthorized; the registry needs credentials');
  } finally {
    await registry.close();
  }
});

test('tags follow Link pagination', async () => {
  const s = await server([
    (_req, res) => { res.writeHead(200, { 'Content-Type': 'application/json', 'Link': '</v2/acme/app/tags/list?n=2&last=b>; rel="next"' }); res.end(JSON.stringify({ tags: ['a', 'b'] })); },
    (_req, res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ tags: ['c'] })); },
  ]);
  try {
    expect(await new RegistryClient({ baseUrl: s.url, retry: FAST }).tags('acme/app')).toEqual(['a', 'b', 'c']);
    expect(s.seen[1].url).toBe('/v2/acme/app/tags/list?n=2&last=b');
  } finally {
    await s.close();
  }
});

test.each([
  ['Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"', 'bearer', { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull' }],
  ['Basic realm="Registry Realm"', 'basic', { realm: 'Registry Realm' }],
])('parses the challenge %s', (header, scheme, params) => {
  expect(parseChallenge(header)).toEqual({ scheme, params });
});

test('Retry-After as seconds or as an HTTP date', () => {
  expect(retryAfterMs('3', 0)).toBe(3000);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  expect(retryAfterMs(null, 0)).toBeUndefined();
});

test('putBlob asks for an upload URL, then puts the data there with its digest', async () => {
  let body = '';
  const s = await server([
    (req, res) => {
      res.writeHead(202, { Location: `http://${req.headers.host}/v2/acme/app/blobs/uploads/u1?_state=abc` });
      res.end();
    },
    (req, res) => {
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => { res.writeHead(201); res.end(); });
    },
  ]);
  try {
    await new RegistryClient({ baseUrl: s.url, retry: FAST }).putBlob('acme/app', 'sha256:d1', Buffer.from('layer bytes'));
    expect(s.seen.map((r) => r.url)).toEqual(['/v2/acme/app/blobs/uploads/', '/v2/acme/app/blobs/uploads/u1?_state=abc&digest=sha256%3Ad1']);
    expect(body).toBe('layer bytes');
  } finally {
    await s.close();
  }
});

test('hasBlob is true on 200 and false on 404', async () => {
  const s = await server([status(200), status(404)]);
  try {
    const client = new RegistryClient({ baseUrl: s.url, retry: FAST });
    expect(await client.hasBlob('acme/app', 'sha256:d1')).toBe(true);
    expect(await client.hasBlob('acme/app', 'sha256:d2')).toBe(false);
  } finally {
    await s.close();
  }
});
