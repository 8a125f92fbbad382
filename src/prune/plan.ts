import * as semver from '../semver';

/**
 * The retention planner: package versions (from the GitHub Packages API) and the manifest graph
 * (from the registry) in, the versions to delete with their reasons out. Pure: the clock is an input.
 *
 * What it guarantees: a manifest that a kept index or a kept referrer references is kept, whatever
 * its tags or age, so deleting the plan can never break a kept tag for one of its platforms.
 */

/** One package version: on GHCR, one manifest, named by its digest. */
export interface PackageVersion {
  readonly id: number;
  /** The manifest digest (`sha256:...`): the version's `name` in the API. */
  readonly digest: string;
  readonly tags: readonly string[];
  /** ISO time the version was created. */
  readonly createdAt: string;
}

/** What the registry says about one manifest. */
export interface ManifestNode {
  readonly digest: string;
  readonly mediaType: string;
  /** Digests this manifest references: an index's entries. */
  readonly children: readonly string[];
  /** The digest this manifest is about (OCI `subject`, or the `sha256-<hex>` tag it is stored under). */
  readonly subject?: string;
  /** Bytes of the manifest and of the blobs it references (config and layers for an image). */
  readonly size: number;
}

/** The retention rules. */
export interface RetentionPolicy {
  /** Release versions kept, newest first by version precedence. */
  readonly keep: number;
  /** Untagged roots and (unless kept) pre-releases older than this many days are deleted. */
  readonly olderThanDays: number;
  /** Whether pre-releases rank with releases for the newest `keep`, instead of expiring by age. */
  readonly keepPrereleases: boolean;
}

/** The rules when neither the model nor a flag says otherwise. */
export const DEFAULT_RETENTION: RetentionPolicy = { keep: 10, olderThanDays: 14, keepPrereleases: false };

/** Why a version is deleted. */
export type DeleteReason =
  | { readonly kind: 'beyond-keep'; readonly version: string }
  | { readonly kind: 'old-prerelease'; readonly version: string; readonly days: number }
  | { readonly kind: 'untagged'; readonly days: number }
  | { readonly kind: 'only-under-deleted'; readonly parent: string }
  | { readonly kind: 'subject-gone'; readonly subject: string };

/** One version to delete. */
export interface Deletion {
  readonly version: PackageVersion;
  readonly reason: DeleteReason;
  /** Bytes of the manifest and its own blobs (blobs may be shared with other manifests). */
  readonly size: number;
}

/** Why a version is kept. */
export type KeepReason =
  | { readonly kind: 'newest'; readonly version: string }
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'referenced'; readonly by: string }
  | { readonly kind: 'young'; readonly days: number };

/** One version kept. */
export interface Kept {
  readonly version: PackageVersion;
  readonly reason: KeepReason;
}

/** The plan: deletions in the order they must run (a manifest before what it references). */
export interface PrunePlan {
  readonly deletions: readonly Deletion[];
  readonly kept: readonly Kept[];
  readonly deletedBytes: number;
}

/**
 * Thrown when prune cannot see every listed version in the registry: planning without a version's
 * manifest would take what it references for unreferenced. Each entry of `problems` is one line
 * naming a version and what went wrong.
 */
export class UnseenVersionsError extends Error {
  /**
   * @param message the summary line
   * @param problems one line per version that could not be seen
   */
  constructor(message: string, public readonly problems: readonly string[]) {
    super(message);
    this.name = 'UnseenVersionsError';
  }
}

/** A version for a message: its id, full digest and tags. */
export function describeVersion(v: PackageVersion): string {
  return `version ${v.id} ${v.digest} (${v.tags.length > 0 ? `tags ${v.tags.join(', ')}` : 'untagged'})`;
}

/** A referrer tag of the OCI tag schema (`sha256-<hex>`), or cosign's `sha256-<hex>.sig/.att/.sbom`. */
const REFERRER_TAG = /^(sha256)-([a-f0-9]{64})(\.[a-z]+)?$/;

/** The subject digest a referrer tag names, or undefined for any other tag. */
export function referrerSubject(tag: string): string | undefined {
  const m = REFERRER_TAG.exec(tag);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** The version a release tag names (`1.2.3`, `v1.2.3`, `2.0.0-rc.1`), or undefined for a moving tag. */
export function releaseVersionOf(tag: string): string | undefined {
  const bare = tag.replace(/^v(?=\d)/, '');
  return semver.valid(bare) === bare ? bare : undefined;
}

const DAY_MS = 86_400_000;

/** Whole days between a version's creation and now. */
function ageDays(createdAt: string, nowMs: number): number {
  return Math.floor((nowMs - Date.parse(createdAt)) / DAY_MS);
}

/**
 * Computes the plan. `now` is an ISO time. Throws {@link UnseenVersionsError} when the graph lacks
 * the manifest of a listed version: what that manifest references is unknown, so nothing is planned.
 */
export function planPrune(
  versions: readonly PackageVersion[], graph: ReadonlyMap<string, ManifestNode>, policy: RetentionPolicy, now: string,
): PrunePlan {
  const unseen = versions.filter((v) => !graph.has(v.digest));
  if (unseen.length > 0) {
    const problems = unseen.map((v) => `${describeVersion(v)}: no manifest in the graph`);
    throw new UnseenVersionsError(`${unseen.length} of ${versions.length} versions have no manifest in the graph; nothing is planned:\n  ${problems.join('\n  ')}`, problems);
  }
  const nowMs = Date.parse(now);
  const byDigest = new Map(versions.map((v) => [v.digest, v]));
  const kept = new Map<string, KeepReason>();
  const deleted = new Map<string, DeleteReason>();

  // The subject of each referrer: its OCI subject, or the digest its referrer tag names.
  const subjectOf = (digest: string): string | undefined => {
    const fromTag = byDigest.get(digest)?.tags.map(referrerSubject).find((s) => s !== undefined);
    return fromTag ?? graph.get(digest)?.subject;
  };
  const referrersOf = new Map<string, string[]>();
  for (const v of versions) {
    const subject = subjectOf(v.digest);
    if (subject) referrersOf.set(subject, [...(referrersOf.get(subject) ?? []), v.digest]);
  }
  const referencedBy = new Map<string, string>();
  for (const node of graph.values()) for (const child of node.children) if (!referencedBy.has(child)) referencedBy.set(child, node.digest);

  // Roots: versions decided on their own (tagged ones, and untagged ones nothing references).
  const releases: Array<{ digest: string; version: string; prerelease: boolean }> = [];
  for (const v of versions) {
    if (subjectOf(v.digest) !== undefined) continue; // decided by its subject
    const found = v.tags.map(releaseVersionOf).filter((x): x is string => x !== undefined).sort(semver.rcompare);
    if (found.length > 0) releases.push({ digest: v.digest, version: found[0], prerelease: semver.prerelease(found[0]) !== null });
    const moving = v.tags.find((t) => releaseVersionOf(t) === undefined);
    if (moving !== undefined) kept.set(v.digest, { kind: 'tag', tag: moving });
    if (found.length > 0 || moving !== undefined) continue;
    if (referencedBy.has(v.digest)) continue; // a child: decided by its parents
    const days = ageDays(v.createdAt, nowMs);
    if (days >= policy.olderThanDays) deleted.set(v.digest, { kind: 'untagged', days });
    else kept.set(v.digest, { kind: 'young', days });
  }
  releases.sort((a, b) => semver.rcompare(a.version, b.version));
  let ranked = 0;
  for (const r of releases) {
    if (r.prerelease && !policy.keepPrereleases) {
      if (kept.has(r.digest)) continue;
      const days = ageDays(byDigest.get(r.digest)!.createdAt, nowMs);
      if (days >= policy.olderThanDays) deleted.set(r.digest, { kind: 'old-prerelease', version: r.version, days });
      else kept.set(r.digest, { kind: 'young', days });
      continue;
    }
    ranked++;
    if (kept.has(r.digest)) continue; // a moving tag points to it
    if (ranked <= policy.keep) kept.set(r.digest, { kind: 'newest', version: r.version });
    else deleted.set(r.digest, { kind: 'beyond-keep', version: r.version });
  }

  // Everything a kept manifest references, and every referrer of a kept manifest, is kept.
  const queue = [...kept.keys()];
  const keepReferenced = (digest: string, by: string) => {
    if (kept.has(digest)) return;
    deleted.delete(digest);
    kept.set(digest, { kind: 'referenced', by });
    queue.push(digest);
  };
  while (queue.length > 0) {
    const digest = queue.shift()!;
    for (const child of graph.get(digest)?.children ?? []) keepReferenced(child, digest);
    for (const referrer of referrersOf.get(digest) ?? []) keepReferenced(referrer, digest);
  }

  // What is left: children and referrers whose every parent or subject is deleted or gone.
  for (const v of versions) {
    if (kept.has(v.digest) || deleted.has(v.digest)) continue;
    const subject = subjectOf(v.digest);
    if (subject !== undefined) deleted.set(v.digest, { kind: 'subject-gone', subject });
    else deleted.set(v.digest, { kind: 'only-under-deleted', parent: referencedBy.get(v.digest)! });
  }

  const ordered = deletionOrder([...deleted.keys()], graph, subjectOf);
  const deletions = ordered.map((digest) => ({ version: byDigest.get(digest)!, reason: deleted.get(digest)!, size: graph.get(digest)?.size ?? 0 }));
  return {
    deletions,
    kept: versions.filter((v) => kept.has(v.digest)).map((v) => ({ version: v, reason: kept.get(v.digest)! })),
    deletedBytes: deletions.reduce((sum, d) => sum + d.size, 0),
  };
}

/**
 * Orders deletions so that a manifest comes before what it references: a referrer before its
 * subject, an index before its entries. Otherwise in the order given.
 */
function deletionOrder(digests: readonly string[], graph: ReadonlyMap<string, ManifestNode>, subjectOf: (d: string) => string | undefined): string[] {
  const set = new Set(digests);
  const parents = new Map<string, string[]>();
  const addEdge = (parent: string, child: string) => {
    if (set.has(parent) && set.has(child)) parents.set(child, [...(parents.get(child) ?? []), parent]);
  };
  for (const d of digests) {
    for (const child of graph.get(d)?.children ?? []) addEdge(d, child);
    const subject = subjectOf(d);
    if (subject) addEdge(d, subject);
  }
  const out: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (d: string) => {
    if (placed.has(d) || visiting.has(d)) return;
    visiting.add(d);
    for (const p of parents.get(d) ?? []) place(p);
    visiting.delete(d);
    placed.add(d);
    out.push(d);
  };
  digests.forEach(place);
  return out;
}
