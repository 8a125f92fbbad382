import { createHash } from 'crypto';
import { ManifestNode, PackageVersion, planPrune, referrerSubject, releaseVersionOf, RetentionPolicy, UnseenVersionsError } from '../../src/prune/plan';

/**
 * The planner on small histories written as rows: a name (its digest is the name's sha256), its
 * tags, its age in days, what it references (an index's entries) and its OCI subject.
 */
interface Row {
  readonly name: string;
  readonly tags?: string[];
  readonly age?: number;
  readonly children?: string[];
  readonly subject?: string;
}

const NOW = '2025-06-30T12:00:00Z';
const digestOf = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;
const nameOf = (rows: readonly Row[]) => new Map(rows.map((r) => [digestOf(r.name), r.name]));
/** The referrer tag of the OCI tag schema for a manifest. */
const referrerTag = (name: string) => digestOf(name).replace(':', '-');

/** The package versions of the rows, ids from 1 in row order. */
function versionsOf(rows: readonly Row[]): PackageVersion[] {
  return rows.map((r, i) => ({
    id: i + 1,
    digest: digestOf(r.name),
    tags: r.tags ?? [],
    createdAt: new Date(Date.parse(NOW) - (r.age ?? 0) * 86_400_000).toISOString(),
  }));
}

/** The manifest graph of the rows. */
function graphOf(rows: readonly Row[]): Map<string, ManifestNode> {
  return new Map<string, ManifestNode>(rows.map((r) => [digestOf(r.name), {
    digest: digestOf(r.name),
    mediaType: r.children ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json',
    children: (r.children ?? []).map(digestOf),
    ...(r.subject ? { subject: digestOf(r.subject) } : {}),
    size: 1000,
  }]));
}

function plan(rows: readonly Row[], policy: Partial<RetentionPolicy> = {}) {
  const result = planPrune(versionsOf(rows), graphOf(rows), { keep: 2, olderThanDays: 7, keepPrereleases: false, ...policy }, NOW);
  const names = nameOf(rows);
  return {
    deleted: result.deletions.map((d) => names.get(d.version.digest)!),
    reasons: Object.fromEntries(result.deletions.map((d) => [names.get(d.version.digest)!, d.reason.kind])),
    kept: result.kept.map((k) => names.get(k.version.digest)!).sort(),
    bytes: result.deletedBytes,
  };
}

/** A release: an index tagged `tags` with an amd64 and an arm64 image. */
const release = (name: string, tags: string[], age = 30): Row[] => [
  { name, tags, age, children: [`${name}/amd64`, `${name}/arm64`] },
  { name: `${name}/amd64`, age },
  { name: `${name}/arm64`, age },
];

test.each<[string, string]>([
  ['1.2.3', '1.2.3'],
  ['v1.2.3', '1.2.3'],
  ['2.0.0-rc.1', '2.0.0-rc.1'],
  ['1.2', ''],
  ['1', ''],
  ['latest', ''],
  ['sha-abc1234', ''],
  ['01.2.3', ''],
])('tag %s names release version "%s"', (tag, version) => {
  expect(releaseVersionOf(tag) ?? '').toBe(version);
});

test.each<[string, boolean]>([
  [referrerTag('x'), true],
  [`${referrerTag('x')}.sig`, true],
  [`${referrerTag('x')}.att`, true],
  ['sha256-abc', false],
  ['latest', false],
])('%s is a referrer tag: %s', (tag, isReferrer) => {
  expect(referrerSubject(tag) !== undefined).toBe(isReferrer);
});

test('the subject of a referrer tag is the digest it names', () => {
  expect(referrerSubject(referrerTag('x'))).toBe(digestOf('x'));
});

/** Each case: the history, the policy, and the names deleted, in deletion order. */
const CASES: Array<[string, Row[], Partial<RetentionPolicy>, string[]]> = [
  ['the newest N releases are kept, older ones go with their platform images, index first',
    [...release('r1', ['1.0.0']), ...release('r2', ['1.1.0']), ...release('r3', ['1.2.0'])], {},
    ['r1', 'r1/amd64', 'r1/arm64']],
  ['releases rank by version, not by age (a backport keeps its place)',
    [...release('r2', ['2.0.0'], 20), ...release('r1', ['1.9.9'], 1), ...release('r0', ['1.0.0'], 40)], {},
    ['r0', 'r0/amd64', 'r0/arm64']],
  ['a moving tag keeps what it points to, however old and beyond N',
    [...release('r1', ['1.0.0', '1.0', '1'], 100), ...release('r2', ['2.0.0']), ...release('r3', ['2.1.0', 'latest'])], { keep: 1 },
    ['r2', 'r2/amd64', 'r2/arm64']],
  ['a platform image shared with a kept index is kept, whatever happens to the other index',
    [{ name: 'old', tags: ['1.0.0'], children: ['common', 'old/arm64'] }, { name: 'old/arm64' }, { name: 'common' },
      { name: 'new', tags: ['1.1.0'], children: ['common', 'new/arm64'] }, { name: 'new/arm64' }], { keep: 1 },
    ['old', 'old/arm64']],
  ['untagged roots older than the limit go; younger ones stay (a release being merged)',
    [...release('r1', ['1.0.0']), { name: 'failed-scan-leg', age: 8 }, { name: 'pushing-leg', age: 0 }], {},
    ['failed-scan-leg']],
  ['a per-leg index is deleted, but not the leg image the merged index references',
    [...release('r1', ['1.0.0'], 10), { name: 'leg-index', age: 10, children: ['r1/amd64'] }], {},
    ['leg-index']],
  ['an untagged index whose images nothing kept references goes with them, index first',
    [{ name: 'orphan', age: 9, children: ['o/amd64', 'o/arm64'] }, { name: 'o/amd64', age: 9 }, { name: 'o/arm64', age: 9 }], {},
    ['orphan', 'o/amd64', 'o/arm64']],
  ['the attestation manifests of a deleted index go after it; those of a kept index stay',
    [{ name: 'r1', tags: ['1.0.0'], children: ['r1/amd64', 'r1/att'] }, { name: 'r1/amd64' }, { name: 'r1/att' },
      { name: 'r2', tags: ['2.0.0'], children: ['r2/amd64', 'r2/att'] }, { name: 'r2/amd64' }, { name: 'r2/att' }], { keep: 1 },
    ['r1', 'r1/amd64', 'r1/att']],
  ['a referrer index (sha256-<hex> tag) goes before its deleted subject, and its entries after it',
    [...release('r1', ['1.0.0']), { name: 'sig', tags: [referrerTag('r1')], children: ['sig/m'] }, { name: 'sig/m', subject: 'r1' },
      ...release('r2', ['2.0.0'])], { keep: 1 },
    ['sig', 'sig/m', 'r1', 'r1/amd64', 'r1/arm64']],
  ['a referrer of a kept subject is kept, however old',
    [...release('r1', ['1.0.0'], 300), { name: 'sig', tags: [referrerTag('r1')], age: 300, children: ['sig/m'] }, { name: 'sig/m', age: 300, subject: 'r1' }], {},
    []],
  ['a referrer whose subject is not in the package goes',
    [...release('r1', ['1.0.0']), { name: 'stray', tags: [referrerTag('gone')], age: 0 }], {},
    ['stray']],
  ['an untagged manifest with an OCI subject follows its subject',
    [...release('r1', ['1.0.0']), ...release('r2', ['2.0.0']), { name: 'sbom1', subject: 'r1' }, { name: 'sbom2', subject: 'r2' }], { keep: 1 },
    ['sbom1', 'r1', 'r1/amd64', 'r1/arm64']],
  ['pre-releases do not take a release slot and expire by age',
    [...release('r1', ['1.0.0']), ...release('rc-old', ['2.0.0-rc.1'], 30), ...release('rc-new', ['2.0.0-rc.2'], 1)], { keep: 1 },
    ['rc-old', 'rc-old/amd64', 'rc-old/arm64']],
  ['with keepPrereleases, pre-releases rank with releases for N',
    [...release('r1', ['1.0.0']), ...release('rc', ['2.0.0-rc.1'], 30)], { keep: 1, keepPrereleases: true },
    ['r1', 'r1/amd64', 'r1/arm64']],
  ['a version tagged v1.2.3 and 1.2.3 counts once, by its highest version',
    [...release('r1', ['1.0.0', 'v1.0.0']), ...release('r2', ['2.0.0', 'v2.0.0'])], { keep: 2 },
    []],
  ['a tag that is no version (edge, sha-abc) is a moving tag: kept',
    [...release('edge', ['edge'], 400), ...release('sha', ['sha-abc1234'], 400)], { keep: 1 },
    []],
];

test.each(CASES)('%s', (_, rows, policy, deleted) => {
  expect(plan(rows, policy).deleted).toEqual(deleted);
});

test('nothing a kept index references is ever deleted, whatever the policy', () => {
  const rows = [...release('r1', ['1.0.0'], 99), ...release('r2', ['2.0.0'], 99), ...release('r3', ['3.0.0', 'latest'], 99), { name: 'leg', age: 99, children: ['r3/arm64'] }];
  for (const keep of [1, 2, 3]) {
    const p = plan(rows, { keep, olderThanDays: 1 });
    for (const name of ['r3', 'r3/amd64', 'r3/arm64']) expect(p.kept).toContain(name);
  }
});

test('each deletion says why', () => {
  const rows = [...release('r1', ['1.0.0']), ...release('r2', ['2.0.0']), ...release('rc', ['3.0.0-rc.1']),
    { name: 'loose', age: 30 }, { name: 'sig', tags: [referrerTag('r1')] }];
  expect(plan(rows, { keep: 1 }).reasons).toEqual({
    'r1': 'beyond-keep',
    'r1/amd64': 'only-under-deleted',
    'r1/arm64': 'only-under-deleted',
    'sig': 'subject-gone',
    'rc': 'old-prerelease',
    'rc/amd64': 'only-under-deleted',
    'rc/arm64': 'only-under-deleted',
    'loose': 'untagged',
  });
});

test('the total is the sum of the deleted versions\' sizes', () => {
  expect(plan([...release('r1', ['1.0.0']), ...release('r2', ['2.0.0'])], { keep: 1 }).bytes).toBe(3000);
});

/** Each case: a history, and the names whose manifests the graph lacks (the registry could not show them). */
const UNSEEN: Array<[string, Row[], string[]]> = [
  ['a tagged index (its images would look unreferenced)', [...release('r1', ['1.0.0', 'latest']), ...release('r2', ['2.0.0'])], ['r1']],
  ['an untagged platform image of a kept release', [...release('r1', ['1.0.0'])], ['r1/arm64']],
  ['every version (an empty registry)', [...release('r1', ['1.0.0']), { name: 'loose', age: 30 }], ['r1', 'r1/amd64', 'r1/arm64', 'loose']],
  ['a referrer index', [...release('r1', ['1.0.0']), { name: 'sig', tags: [referrerTag('r1')], children: ['sig/m'] }, { name: 'sig/m', subject: 'r1' }], ['sig']],
];

test.each(UNSEEN)('a graph lacking %s is refused, one line per missing version', (_, rows, missing) => {
  const graph = graphOf(rows);
  for (const name of missing) graph.delete(digestOf(name));
  const versions = versionsOf(rows);
  const err = (() => {
    try {
      planPrune(versions, graph, { keep: 1, olderThanDays: 7, keepPrereleases: false }, NOW);
      return undefined;
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(UnseenVersionsError);
  const lines = missing.map((name) => {
    const v = versions.find((x) => x.digest === digestOf(name))!;
    return `version ${v.id} ${v.digest} (${v.tags.length > 0 ? `tags ${v.tags.join(', ')}` : 'untagged'}): no manifest in the graph`;
  });
  expect((err as UnseenVersionsError).problems).toEqual(lines);
  expect((err as Error).message.split('\n')).toEqual([
    `${missing.length} of ${rows.length} versions have no manifest in the graph; nothing is planned:`,
    ...lines.map((l) => `  ${l}`),
  ]);
});
