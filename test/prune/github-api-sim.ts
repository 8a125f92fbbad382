import * as http from 'http';
import { AddressInfo } from 'net';
import { RegistryClient } from '../../src/registry/client';

/**
 * A small stand-in for the GitHub Packages REST API of container packages, on 127.0.0.1: the
 * documented list and delete endpoints of one package, for an org or a user, with their shapes
 * (version objects with id, name = the manifest digest, created_at, updated_at,
 * metadata.container.tags), page/per_page pagination with a `Link` header, 404 for an unknown
 * package or version, GitHub's refusal to delete a package's last tagged version, an optional
 * bearer token, and scripted faults (403, 429 with Retry-After, ...).
 *
 * @see https://docs.github.com/en/rest/packages/packages
 */

/** A version as the simulator holds it. */
export interface SimVersion {
  readonly id: number;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly createdAt: string;
}

/** Where the versions come from and what a delete does. */
export interface SimBackend {
  /** The package's versions as they are now. */
  versions(): Promise<SimVersion[]>;
  /** Deletes a version (the manifest of its digest). */
  remove(version: SimVersion): Promise<void>;
}

/** A scripted answer to the next request(s) that match. */
export interface SimFault {
  readonly method: string;
  /** Matches the request path (query excluded). */
  readonly path: RegExp;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly message?: string;
  /** How many matching requests get it (default 1). */
  times?: number;
}

/** Options of {@link startGitHubApiSim}. */
export interface SimOptions {
  readonly owner: string;
  readonly ownerType: 'org' | 'user';
  readonly packageName: string;
  readonly backend: SimBackend;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly faults?: SimFault[];
}

/** A running simulator. */
export interface GitHubApiSim {
  readonly url: string;
  /** Every request: method and path with query. */
  readonly seen: Array<{ method: string; url: string }>;
  readonly faults: SimFault[];
  close(): Promise<void>;
}

/** Starts the simulator on a free port of 127.0.0.1. */
export async function startGitHubApiSim(options: SimOptions): Promise<GitHubApiSim> {
  const seen: Array<{ method: string; url: string }> = [];
  const faults = options.faults ?? [];
  const prefix = `/${options.ownerType === 'org' ? 'orgs' : 'users'}/${options.owner}/packages/container/${encodeURIComponent(options.packageName)}`;
  let base = '';
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const versionJson = (v: SimVersion) => ({
    id: v.id,
    name: v.digest,
    url: `${base}${prefix}/versions/${v.id}`,
    package_html_url: `https://github.com/${options.owner}/packages/container/package/${options.packageName}`,
    created_at: v.createdAt,
    updated_at: v.createdAt,
    html_url: `https://github.com/${options.owner}/packages/container/${options.packageName}/${v.id}`,
    metadata: { package_type: 'container', container: { tags: v.tags } },
  });
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    const url = new URL(req.url ?? '/', base);
    const fault = faults.find((f) => f.method === req.method && f.path.test(url.pathname) && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      return send(res, fault.status, { message: fault.message ?? '', documentation_url: 'https://docs.github.com/rest' }, fault.headers);
    }
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    if (req.method === 'GET' && url.pathname === `/users/${options.owner}`) {
      return send(res, 200, { login: options.owner, id: 1, type: options.ownerType === 'org' ? 'Organization' : 'User' });
    }
    const notFound = () => send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    if (req.method === 'GET' && url.pathname === `${prefix}/versions`) {
      const all = (await options.backend.versions()).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) => {
        const u = new URL(url.href);
        u.searchParams.set('page', String(p));
        return `<${u.href}>; rel="${rel}"`;
      };
      const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage).map(versionJson), links.length > 0 ? { Link: links.join(', ') } : {});
    }
    const del = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/versions/(\\d+)$`).exec(url.pathname);
    if (req.method === 'DELETE' && del) {
      const all = await options.backend.versions();
      const version = all.find((v) => v.id === Number(del[1]));
      if (!version) return notFound();
      if (version.tags.length > 0 && all.filter((v) => v.tags.length > 0).length === 1) {
        return send(res, 400, { message: 'You cannot delete the last tagged version of a package. You must delete the package instead.' });
      }
      await options.backend.remove(version);
      res.writeHead(204);
      return res.end();
    }
    return notFound();
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { message: String(e) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    seen,
    faults,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Versions held in memory; a delete removes the version. */
export function memoryBackend(versions: SimVersion[]): SimBackend & { readonly removed: number[] } {
  const removed: number[] = [];
  return {
    removed,
    versions: async () => versions.filter((v) => !removed.includes(v.id)),
    remove: async (v) => { removed.push(v.id); },
  };
}

/**
 * Versions backed by a real registry, as GHCR keeps them: one version per manifest digest that the
 * registry has, its tags those of the registry that point to it. A delete deletes the manifest from
 * the registry (which drops its tags). `known` lists each manifest (the registry cannot list
 * untagged ones) with its creation time; ids follow its order. The registry is read on the first
 * list; from then on it changes only through this backend.
 */
export function registryBackend(client: RegistryClient, name: string, known: ReadonlyArray<{ digest: string; createdAt: string }>): SimBackend {
  let current: SimVersion[] | undefined;
  const read = async () => {
    const tagsOf = new Map<string, string[]>();
    for (const tag of await client.tags(name)) {
      const head = await client.headManifest(name, tag);
      if (head) tagsOf.set(head.digest, [...(tagsOf.get(head.digest) ?? []), tag]);
    }
    const out: SimVersion[] = [];
    for (const [i, k] of known.entries()) {
      if (!await client.headManifest(name, k.digest)) continue;
      out.push({ id: 1000 + i, digest: k.digest, tags: tagsOf.get(k.digest) ?? [], createdAt: k.createdAt });
    }
    return out;
  };
  return {
    versions: async () => {
      current ??= await read();
      return [...current];
    },
    remove: async (v) => {
      await client.deleteManifest(name, v.digest);
      current = current?.filter((x) => x.id !== v.id);
    },
  };
}
