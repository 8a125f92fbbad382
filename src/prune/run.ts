import { GitHubPackagesClient, OwnerType } from './github-packages';
import { readGraph, UnseenKind, UnseenManifest } from './graph';
import { Deletion, describeVersion, PackageVersion, planPrune, PrunePlan, referrerSubject, RetentionPolicy, UnseenVersionsError } from './plan';
import { isImageRef, parseImageRef } from '../model/image-ref';
import { RegistryClient, RegistryCredentials } from '../registry/client';

/** One retention run of a package. */
export interface PruneRun {
  /** e.g. `ghcr.io/acme/app`. */
  readonly image: string;
  /** The registry's base URL, when not `https://<registry of the image>`. */
  readonly registryUrl?: string;
  /** The GitHub API's base URL. */
  readonly apiUrl: string;
  readonly ownerType?: OwnerType;
  readonly token?: string;
  readonly credentials?: RegistryCredentials;
  readonly policy: RetentionPolicy;
  /** The current time, ISO 8601. */
  readonly now: string;
  /** Delete the plan's versions (otherwise only plan). */
  readonly apply: boolean;
  readonly progress: (line: string) => void;
}

/** What a run did. */
export interface PruneResult {
  readonly image: string;
  readonly plan: PrunePlan;
  /** Versions deleted (all of the plan's when nothing failed). */
  readonly deleted: number;
  /** The deletion that failed; nothing after it was attempted. */
  readonly failure?: string;
  readonly requests: { readonly api: number; readonly registry: number };
}

/** Thrown for an image that cannot be pruned. */
export class PruneInputError extends Error {}

/** Lists the package's versions, reads their manifests, plans, and (with `apply`) deletes in order. */
export async function runPrune(run: PruneRun): Promise<PruneResult> {
  const image = run.image.toLowerCase();
  const ref = parseImageRef(image);
  if (!isImageRef(ref)) throw new PruneInputError(`image "${image}" ${ref.error}`);
  const [owner, ...rest] = ref.repository.split('/');
  const api = new GitHubPackagesClient({ apiUrl: run.apiUrl, owner, packageName: rest.join('/'), ownerType: run.ownerType, token: run.token });
  const registryUrl = run.registryUrl ?? `https://${ref.registry}`;
  const registry = new RegistryClient({ baseUrl: registryUrl, credentials: run.credentials });
  const versions = await api.versions();
  run.progress(`prune: ${versions.length} versions of ${image}; reading their manifests`);
  const graph = await readGraph(registry, ref.repository, versions.map((v) => v.digest));
  if (graph.unseen.length > 0) throw unseenError(image, registryUrl, run.registryUrl !== undefined, versions, graph.unseen);
  const plan = planPrune(versions, graph.nodes, run.policy, run.now);
  let deleted = 0;
  let failure: string | undefined;
  if (run.apply) {
    for (const d of plan.deletions) {
      try {
        await api.deleteVersion(d.version.id);
      } catch (e: any) {
        failure = e.message;
        break;
      }
      deleted++;
      run.progress(`prune: deleted ${d.version.digest} (${describeReason(d, plan)})`);
    }
  }
  return { image, plan, deleted, failure, requests: { api: api.requests, registry: registry.requests } };
}

/** The likely cause of each kind of unseen manifest, in words. */
function causeOf(kind: UnseenKind, registryUrl: string, urlGiven: boolean): string {
  switch (kind) {
    case 'missing': return urlGiven
      ? `likely cause: ${registryUrl} does not hold the package's manifests; --registry-url must point at the registry that holds the package, not a mirror or an empty registry`
      : `likely cause: ${registryUrl} does not hold manifests the Packages API lists (a version being pushed or deleted right now?); run prune again later`;
    case 'unreadable': return 'likely cause: the registry\'s answer is not an image manifest or index whose references prune can read, so what it keeps is unknown';
    case 'failed':
    case 'not-read': return 'likely cause: the registry refused or failed a read (see its answer); check the token\'s read:packages and the registry, then run prune again';
  }
}

/**
 * The error for versions the registry could not show: one line per version (its id, digest and
 * tags, and what the registry answered), then one line per likely cause.
 */
function unseenError(
  image: string, registryUrl: string, urlGiven: boolean, versions: readonly PackageVersion[], unseen: readonly UnseenManifest[],
): UnseenVersionsError {
  const byDigest = new Map(versions.map((v) => [v.digest, v]));
  const problems = unseen.map((u) => `${describeVersion(byDigest.get(u.digest)!)}: ${u.answer}`);
  const causes = [...new Set(unseen.map((u) => causeOf(u.kind, registryUrl, urlGiven)))];
  const head = `${unseen.length} of ${versions.length} versions of ${image} could not be read from ${registryUrl}; nothing is planned or deleted:`;
  return new UnseenVersionsError([head, ...problems, ...causes].join('\n  '), problems);
}

/** A digest shortened for a table: `sha256:0123456789ab`. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/** The reason of a deletion in words. */
export function describeReason(d: Deletion, plan: PrunePlan): string {
  const r = d.reason;
  switch (r.kind) {
    case 'beyond-keep': return `release ${r.version} is beyond the newest kept`;
    case 'old-prerelease': return `pre-release ${r.version}, ${r.days} days old`;
    case 'untagged': return `untagged, ${r.days} days old, referenced by nothing`;
    case 'only-under-deleted': return `referenced only by deleted ${shortDigest(r.parent)}`;
    case 'subject-gone': {
      const deletedSubject = plan.deletions.some((x) => x.version.digest === r.subject);
      return `referrer of ${deletedSubject ? 'deleted' : 'missing'} ${shortDigest(r.subject)}`;
    }
  }
}

/** Bytes as kB below a megabyte, else MB, with two decimals. */
function mb(bytes: number): string {
  return bytes < 1_000_000 ? `${(bytes / 1000).toFixed(2)} kB` : `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** A tag for a table: a referrer tag (`sha256-<64 hex>`) shortened like a digest. */
function shortTag(tag: string): string {
  return referrerSubject(tag) !== undefined ? `${tag.slice(0, 'sha256-'.length + 12)}…${tag.slice(71)}` : tag;
}

/** The human report: a table of the deletions, in order, and the totals. */
export function formatPruneReport(result: PruneResult, apply: boolean): string {
  const { plan } = result;
  const rows = plan.deletions.map((d) => [String(d.version.id), shortDigest(d.version.digest), d.version.tags.map(shortTag).join(',') || '-', mb(d.size), describeReason(d, plan)]);
  const header = ['version', 'digest', 'tags', 'size', 'reason'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [`${apply ? 'Pruning' : 'Would delete (dry run; --apply deletes)'} ${result.image}`];
  if (rows.length > 0) out.push('', line(header), ...rows.map(line));
  const n = plan.deletions.length;
  out.push('', apply
    ? `Deleted ${result.deleted} of ${n} versions (${mb(plan.deletedBytes)} planned); ${plan.kept.length} kept`
    : `Total: ${n} versions to delete (${mb(plan.deletedBytes)}); ${plan.kept.length} kept`);
  if (result.failure) out.push(`FAIL: ${result.failure}`, `Stopped: ${plan.deletions.length - result.deleted} versions not deleted; nothing after the failed one was touched.`);
  return out.join('\n');
}

/** The JSON report. */
export function pruneJson(result: PruneResult): object {
  const { plan } = result;
  return {
    image: result.image,
    deletions: plan.deletions.map((d) => ({
      id: d.version.id, digest: d.version.digest, tags: d.version.tags, size: d.size, reason: d.reason.kind, why: describeReason(d, plan),
    })),
    kept: plan.kept.map((k) => ({ id: k.version.id, digest: k.version.digest, tags: k.version.tags, reason: k.reason.kind })),
    deletedBytes: plan.deletedBytes,
    deleted: result.deleted,
    ...(result.failure ? { failure: result.failure } : {}),
    requests: result.requests,
  };
}
