import { GitHubPackagesClient, nextLink, PackagesApiError } from '../../src/prune/github-packages';
import { afterTestFile } from '../util';
import { GitHubApiSim, memoryBackend, SimFault, SimVersion, startGitHubApiSim } from './github-api-sim';

const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
const versions = (n: number): SimVersion[] => Array.from({ length: n }, (_, i) => ({
  id: i + 1, digest: digest(i + 1), tags: i === 0 ? ['1.0.0', 'latest'] : [], createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
}));

/** A simulator for acme/app, stopped after this file. */
async function sim(opts: { n?: number; ownerType?: 'org' | 'user'; faults?: SimFault[]; token?: string; list?: SimVersion[] } = {}) {
  const backend = memoryBackend(opts.list ?? versions(opts.n ?? 3));
  const s = await startGitHubApiSim({ owner: 'acme', ownerType: opts.ownerType ?? 'org', packageName: 'app', backend, faults: opts.faults, token: opts.token });
  afterTestFile(() => void s.close());
  return { s, backend };
}

/** A client of the simulator that records its waits instead of sleeping. */
function client(s: GitHubApiSim, extra: Partial<ConstructorParameters<typeof GitHubPackagesClient>[0]> = {}) {
  const waits: number[] = [];
  const c = new GitHubPackagesClient({ apiUrl: s.url, owner: 'acme', packageName: 'app', sleep: async (ms) => { waits.push(ms); }, ...extra });
  return { c, waits };
}

test('every version of 250 is listed, 100 per page, following the Link header', async () => {
  const { s } = await sim({ n: 250 });
  const { c } = client(s, { ownerType: 'org' });
  const listed = await c.versions();
  expect(listed).toHaveLength(250);
  expect(new Set(listed.map((v) => v.id)).size).toBe(250);
  expect(s.seen.map((r) => new URL(r.url, s.url).searchParams.get('page') ?? '1')).toEqual(['1', '2', '3']);
});

test('a version carries its id, digest, tags and creation time', async () => {
  const { s } = await sim({ n: 1 });
  const [v] = await client(s, { ownerType: 'org' }).c.versions();
  expect(v).toEqual({ id: 1, digest: digest(1), tags: ['1.0.0', 'latest'], createdAt: '2025-01-01T00:00:00.000Z' });
});

test.each<['org' | 'user', string]>([
  ['org', '/orgs/acme/packages/container/app/versions'],
  ['user', '/users/acme/packages/container/app/versions'],
])('an owner of type %s is found from GET /users/{owner}, then its package path is used', async (ownerType, path) => {
  const { s } = await sim({ ownerType });
  await client(s).c.versions();
  expect(s.seen.map((r) => r.url.split('?')[0])).toEqual(['/users/acme', path]);
});

test('a package name with a slash is one path segment', async () => {
  const backend = memoryBackend(versions(1));
  const s = await startGitHubApiSim({ owner: 'acme', ownerType: 'org', packageName: 'team/app', backend });
  afterTestFile(() => void s.close());
  const c = new GitHubPackagesClient({ apiUrl: s.url, owner: 'acme', packageName: 'team/app', ownerType: 'org' });
  expect(await c.versions()).toHaveLength(1);
  expect(s.seen[0].url).toMatch(/^\/orgs\/acme\/packages\/container\/team%2Fapp\/versions/);
});

test('the token goes in the Authorization header', async () => {
  const { s } = await sim({ token: 'secret-token' });
  expect(await client(s, { ownerType: 'org', token: 'secret-token' }).c.versions()).toHaveLength(3);
});

test.each<[string, SimFault, number]>([
  ['429 with Retry-After', { method: 'GET', path: /versions$/, status: 429, headers: { 'Retry-After': '3' } }, 3000],
  ['403 with Retry-After (secondary rate limit)', { method: 'GET', path: /versions$/, status: 403, headers: { 'Retry-After': '2' }, message: 'You have exceeded a secondary rate limit' }, 2000],
])('%s is retried after the time it says', async (_, fault, wait) => {
  const { s } = await sim({ faults: [fault] });
  const { c, waits } = client(s, { ownerType: 'org' });
  expect(await c.versions()).toHaveLength(3);
  expect(waits).toEqual([wait]);
});

test('a 403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset', async () => {
  const reset = Math.floor(Date.now() / 1000) + 20;
  const { s } = await sim({ faults: [{ method: 'GET', path: /versions$/, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, message: 'API rate limit exceeded' }] });
  const { c, waits } = client(s, { ownerType: 'org' });
  await c.versions();
  expect(waits[0]).toBeGreaterThan(15_000);
  expect(waits[0]).toBeLessThanOrEqual(20_000);
});

test('a rate limit that does not lift gives up after the attempts, naming package and status', async () => {
  const { s } = await sim({ faults: [{ method: 'GET', path: /versions$/, status: 429, headers: { 'Retry-After': '1' }, times: 10 }] });
  const { c, waits } = client(s, { ownerType: 'org', maxAttempts: 3 });
  await expect(c.versions()).rejects.toThrow(/^package acme\/app: could not list the versions of it: GET .*: 429 Too Many Requests after 3 attempts$/);
  expect(waits).toEqual([1000, 1000]);
});

test.each<[string, SimFault, RegExp]>([
  ['403 on delete names the Actions access fix',
    { method: 'DELETE', path: /versions\/2$/, status: 403, message: 'Permission denied' },
    /^package acme\/app: could not delete version 2 of it: DELETE \S+: 403 Forbidden \(Permission denied\); in the package settings, "Manage Actions access" must give this repository the Admin role, or use a token with delete:packages$/],
  ['400 for the last tagged version says to delete the package',
    { method: 'DELETE', path: /versions\/2$/, status: 400, message: 'You cannot delete the last tagged version of a package. You must delete the package instead.' },
    /: 400 Bad Request \(You cannot delete the last tagged version .*\); GitHub keeps a package's last tagged version: delete the package instead$/],
])('%s', async (_, fault, message) => {
  const { s } = await sim({ faults: [fault] });
  const err = await client(s, { ownerType: 'org' }).c.deleteVersion(2).catch((e) => e);
  expect(err).toBeInstanceOf(PackagesApiError);
  expect(err.message).toMatch(message);
});

test.each<[string, { token?: string }, RegExp]>([
  ['an unknown package (404)', {}, /^package acme\/nope: could not list the versions of it: GET \S+: 404 Not Found \(Not Found\); check the owner and package name/],
  ['no token (401)', { token: 'needed' }, /: 401 Unauthorized \(Bad credentials\); the token is missing or invalid: set GITHUB_TOKEN$/],
])('listing %s fails with the fix', async (_, opts, message) => {
  const { s } = await sim(opts);
  const c = new GitHubPackagesClient({ apiUrl: s.url, owner: 'acme', packageName: opts.token ? 'app' : 'nope', ownerType: 'org' });
  await expect(c.versions()).rejects.toThrow(message);
});

test('a version already gone counts as deleted', async () => {
  const { s } = await sim();
  await expect(client(s, { ownerType: 'org' }).c.deleteVersion(99)).resolves.toBeUndefined();
});

test('a deleted version is gone from the list', async () => {
  const { s, backend } = await sim();
  const { c } = client(s, { ownerType: 'org' });
  await c.deleteVersion(2);
  expect(backend.removed).toEqual([2]);
  expect((await c.versions()).map((v) => v.id).sort()).toEqual([1, 3]);
});

test('no message holds the token', async () => {
  const { s } = await sim({ faults: [{ method: 'DELETE', path: /versions/, status: 403 }] });
  const err = await client(s, { ownerType: 'org', token: 'ghp_secret' }).c.deleteVersion(1).catch((e) => e);
  expect(err.message).not.toContain('ghp_secret');
});

test.each<[string | null, string | undefined]>([
  ['<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"', 'https://api.github.com/x?page=2'],
  ['<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"', undefined],
  [null, undefined],
])('Link %s has next %s', (header, next) => {
  expect(nextLink(header)).toBe(next);
});

/** A listed version as the API shapes it, with `change` applied. */
function listedVersion(change: (v: any) => void): any {
  const v: any = { id: 7, name: digest(7), created_at: '2025-01-01T00:00:00Z', metadata: { package_type: 'container', container: { tags: ['1.0.0'] } } };
  change(v);
  return v;
}

test.each<[string, (v: any) => void, string]>([
  ['no tag list', (v) => { delete v.metadata.container; }, `version 7 (${digest(7)}) has no list of tags in metadata.container.tags (null), so whether it is tagged is unknown`],
  ['tags that are not a list', (v) => { v.metadata.container.tags = '1.0.0'; }, `version 7 (${digest(7)}) has no list of tags in metadata.container.tags ("1.0.0"), so whether it is tagged is unknown`],
  ['no name', (v) => { delete v.name; }, 'version 7 has no manifest digest as its name (null)'],
  ['a name that is no digest', (v) => { v.name = 'latest'; }, 'version 7 has no manifest digest as its name ("latest")'],
  ['no creation time', (v) => { delete v.created_at; }, `version 7 (${digest(7)}) has no creation time (null)`],
  ['no id', (v) => { delete v.id; }, 'version at index 0 has no numeric id (null)'],
])('a listed version with %s stops the listing, naming it', async (_, change, problem) => {
  const page = [listedVersion(change)];
  const fetchFake = (async () => new Response(JSON.stringify(page), { status: 200, headers: { 'Content-Type': 'application/json' } })) as unknown as typeof fetch;
  const c = new GitHubPackagesClient({ apiUrl: 'http://api.invalid', owner: 'acme', packageName: 'app', ownerType: 'org', fetch: fetchFake });
  const err = await c.versions().catch((e) => e);
  expect(err).toBeInstanceOf(PackagesApiError);
  expect(err.message).toBe(`package acme/app: GET http://api.invalid/orgs/acme/packages/container/app/versions?per_page=100&state=active: ${problem}`);
});

test('a full last page is followed by one request for the page after it, which must be empty', async () => {
  const { s } = await sim({ n: 200 });
  expect(await client(s, { ownerType: 'org' }).c.versions()).toHaveLength(200);
  expect(s.seen.map((r) => new URL(r.url, s.url).searchParams.get('page') ?? '1')).toEqual(['1', '2', '3']);
});

test('a full page without a Link header while more versions follow stops the listing', async () => {
  const all = versions(3).map((v) => ({ id: v.id, name: v.digest, created_at: v.createdAt, metadata: { container: { tags: v.tags } } }));
  // An API (or a proxy) that loses the Link header: pages by ?page= but never says there is a next one.
  const fetchFake = (async (url: string) => {
    const page = Number(new URL(url).searchParams.get('page') ?? '1');
    return new Response(JSON.stringify(all.slice((page - 1) * 2, page * 2)), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof fetch;
  const c = new GitHubPackagesClient({ apiUrl: 'http://api.invalid', owner: 'acme', packageName: 'app', ownerType: 'org', perPage: 2, fetch: fetchFake });
  const listed = 'http://api.invalid/orgs/acme/packages/container/app/versions?per_page=2&state=active';
  await expect(c.versions()).rejects.toThrow(new PackagesApiError(
    `package acme/app: GET ${listed}: a full page of 2 versions without a Link to the next, yet GET ${listed}&page=2 gives 1 more versions; the listing would be incomplete`));
});
