import { ManifestNode } from './plan';
import { RegistryClient } from '../registry/client';

/** Manifests fetched at once. */
const PARALLEL = 8;

/**
 * Reads the manifest of every digest from the registry: each index's entries (platform images and
 * attestation manifests), each manifest's OCI `subject`, and its size. A digest the registry does
 * not know is left out of the graph.
 */
export async function readGraph(client: RegistryClient, name: string, digests: readonly string[]): Promise<Map<string, ManifestNode>> {
  const graph = new Map<string, ManifestNode>();
  let next = 0;
  const worker = async () => {
    while (next < digests.length) {
      const digest = digests[next++];
      const m = await client.manifest(name, digest);
      if (m) graph.set(digest, nodeOf(digest, m.mediaType, m.json, m.size));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, digests.length) }, worker));
  return graph;
}

/** One manifest as a graph node: what it references, what it is about, and its bytes with its blobs. */
export function nodeOf(digest: string, mediaType: string, json: any, size: number): ManifestNode {
  const children: string[] = Array.isArray(json?.manifests) ? json.manifests.map((m: any) => String(m.digest)) : [];
  const blobs = [json?.config, ...(Array.isArray(json?.layers) ? json.layers : [])].filter((b) => b && typeof b.size === 'number');
  const subject = typeof json?.subject?.digest === 'string' ? json.subject.digest : undefined;
  return { digest, mediaType, children, ...(subject ? { subject } : {}), size: size + blobs.reduce((s: number, b: any) => s + b.size, 0) };
}
