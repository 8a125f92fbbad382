import { ManifestNode } from './plan';
import { DIGEST_PATTERN as DIGEST, INDEX_MEDIA_TYPES as INDEX_TYPES, MANIFEST_TYPES, RegistryClient } from '../registry/client';

/** Manifests fetched at once. */
const PARALLEL = 8;

/** Media types of a manifest that references only blobs. */
const IMAGE_TYPES: readonly string[] = [MANIFEST_TYPES.ociManifest, MANIFEST_TYPES.dockerManifest];

/**
 * Why the registry could not show one digest: `missing` (it answered 404), `unreadable` (its answer
 * is not a manifest this reads, so what it references is unknown), `failed` (a refusal, an error or
 * no answer) or `not-read` (not asked, because an earlier read failed).
 */
export type UnseenKind = 'missing' | 'unreadable' | 'failed' | 'not-read';

/** One digest the registry could not show, and what it answered. */
export interface UnseenManifest {
  readonly digest: string;
  readonly kind: UnseenKind;
  /** What the registry answered, in words: `404 Not Found`, the error, or what is wrong with the manifest. */
  readonly answer: string;
}

/** The manifests read, and the digests that could not be. */
export interface ManifestGraph {
  /** Every manifest read, by digest. */
  readonly nodes: Map<string, ManifestNode>;
  /** Every digest asked for that is not in `nodes`, in the order asked. */
  readonly unseen: readonly UnseenManifest[];
}

/**
 * Reads the manifest of every digest from the registry: each index's entries (platform images and
 * attestation manifests), each manifest's OCI `subject`, and its size. Every digest ends up either
 * in `nodes` or in `unseen`: a 404, an answer that is not a manifest or index with readable
 * references, and any failed request are all unseen, never a manifest that references nothing.
 * After a failed request (a refusal, a 5xx or network error the client gave up on) no further
 * digest is asked for: the rest are `not-read`.
 */
export async function readGraph(client: RegistryClient, name: string, digests: readonly string[]): Promise<ManifestGraph> {
  const nodes = new Map<string, ManifestNode>();
  const problems = new Map<string, UnseenManifest>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < digests.length && !failed) {
      const digest = digests[next++];
      try {
        const m = await client.manifest(name, digest);
        if (!m) {
          problems.set(digest, { digest, kind: 'missing', answer: '404 Not Found' });
          continue;
        }
        const mediaType = m.mediaType.split(';')[0].trim();
        const wrong = manifestProblem(digest, m.digest, mediaType, m.json);
        if (wrong) problems.set(digest, { digest, kind: 'unreadable', answer: wrong });
        else nodes.set(digest, nodeOf(digest, mediaType, m.json, m.size));
      } catch (e: any) {
        failed = true;
        problems.set(digest, { digest, kind: 'failed', answer: String(e?.message ?? e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, digests.length) }, worker));
  const unseen = digests.filter((d) => !nodes.has(d))
    .map((digest) => problems.get(digest) ?? { digest, kind: 'not-read' as const, answer: 'not asked after an earlier read failed' });
  return { nodes, unseen };
}

/**
 * What keeps a fetched manifest from being a graph node, or undefined when it can be one: an answer
 * for another digest, a media type that is neither an image manifest nor an index, or an index
 * whose entries do not all name a digest.
 */
export function manifestProblem(asked: string, answered: string, mediaType: string, json: any): string | undefined {
  if (answered !== asked) return `the registry answered with manifest ${answered}`;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return 'the answer is not a JSON object';
  if (IMAGE_TYPES.includes(mediaType)) return undefined;
  if (!INDEX_TYPES.includes(mediaType)) {
    return `media type "${mediaType || 'none'}" is neither an image manifest nor an index, so what it references is unknown`;
  }
  if (!Array.isArray(json.manifests)) return `an index (${mediaType}) without a "manifests" list`;
  const bad = json.manifests.findIndex((m: any) => typeof m?.digest !== 'string' || !DIGEST.test(m.digest));
  if (bad >= 0) return `entry ${bad} of the index names no digest (${JSON.stringify(json.manifests[bad]?.digest ?? null)})`;
  return undefined;
}

/** One manifest as a graph node: what it references, what it is about, and its bytes with its blobs. */
export function nodeOf(digest: string, mediaType: string, json: any, size: number): ManifestNode {
  const children: string[] = Array.isArray(json?.manifests) ? json.manifests.map((m: any) => String(m.digest)) : [];
  const blobs = [json?.config, ...(Array.isArray(json?.layers) ? json.layers : [])].filter((b) => b && typeof b.size === 'number');
  const subject = typeof json?.subject?.digest === 'string' ? json.subject.digest : undefined;
  return { digest, mediaType, children, ...(subject ? { subject } : {}), size: size + blobs.reduce((s: number, b: any) => s + b.size, 0) };
}
