import { createHash } from 'crypto';

/**
 * A small OCI distribution client: tags, manifests and indexes, config blobs, blob uploads. It speaks
 * the registries' own authentication (anonymous, basic, and the bearer-token challenge that ghcr.io
 * uses even for public images) and retries 429, 5xx, resets and timeouts with exponential backoff
 * and jitter, honouring Retry-After, bounded in attempts and total time. No credential is ever put
 * into a message.
 */

/** Media types a manifest request accepts. */
export const MANIFEST_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Media types of a manifest that references other manifests (a multi-platform index). */
export const INDEX_MEDIA_TYPES: readonly string[] = [MANIFEST_TYPES.ociIndex, MANIFEST_TYPES.dockerList];

/** A digest as registries name manifests and blobs: `<algorithm>:<hex>`. */
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,}$/;

/** Credentials for a registry. */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** Bounds of the retry loop. */
export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** Upper bound of the whole request, waits included, in ms. */
  readonly maxTotalMs: number;
  /** First backoff in ms; doubles per attempt, with full jitter. */
  readonly baseDelayMs: number;
  /** Longest single wait in ms (also caps Retry-After). */
  readonly maxDelayMs: number;
  /** Timeout of one attempt in ms (a hanging socket counts as a failed attempt). */
  readonly attemptTimeoutMs: number;
}

/** The defaults: 5 attempts within 60 s, 15 s per attempt. */
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, maxTotalMs: 60_000, baseDelayMs: 500, maxDelayMs: 10_000, attemptTimeoutMs: 15_000 };

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** e.g. `https://ghcr.io` or `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  readonly credentials?: RegistryCredentials;
  readonly retry?: Partial<RetryPolicy>;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Injected for tests; defaults to setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; defaults to Math.random. */
  readonly random?: () => number;
}

/** A failed registry request: the message names the method, the URL, the status and the attempts. */
export class RegistryError extends Error {
  constructor(message: string, public readonly status?: number) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** A fetched manifest or index. */
export interface Manifest {
  readonly mediaType: string;
  readonly digest: string;
  readonly json: any;
  readonly size: number;
}

/** A descriptor of a referrer (an attestation or signature manifest of a subject). */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size?: number;
  readonly artifactType?: string;
  readonly annotations?: Record<string, string>;
}

/** Where the referrers of a manifest were found. */
export type ReferrersSource = 'referrers API' | 'referrers tag';

/** The referrers tag of a digest (`sha256:ab..` is `sha256-ab..`), as the OCI distribution spec's fallback names it. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-').slice(0, 128);
}

/**
 * Whether a tag holds attestations or signatures of a digest, never a release: a referrers tag, or
 * one of cosign's older `sha256-<hex>.sig`, `.att` and `.sbom` tags.
 */
export function isReferrersTag(tag: string): boolean {
  return /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/.test(tag);
}

/** A request body: a manifest's text or a blob's bytes. */
type Body = string | Uint8Array;

const RETRY_STATUS = (s: number) => s === 429 || (s >= 500 && s <= 599);

/** Parses `Bearer realm="...",service="...",scope="..."` (or Basic) into its scheme and params. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  const params: Record<string, string> = {};
  if (!m) return { scheme: '', params };
  const re = /(\w+)="([^"]*)"|(\w+)=([^,\s]*)/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2])) !== null) params[(p[1] ?? p[3]).toLowerCase()] = p[2] ?? p[4];
  return { scheme: m[1].toLowerCase(), params };
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), if any. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The client. Counts its HTTP requests in {@link requests}. */
export class RegistryClient {
  /** HTTP requests sent, retries and token requests included. */
  public requests = 0;
  private readonly retry: RetryPolicy;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly tokens = new Map<string, string>();
  private readonly baseUrl: string;

  constructor(private readonly options: RegistryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
    this.doFetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Every tag of a repository (following `Link` pagination). */
  public async tags(name: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${name}/tags/list?n=1000`;
    while (path) {
      const res = await this.request('GET', path, name, {});
      if (res.status === 404) return tags;
      await this.expectOk(res, 'GET', path);
      const body: any = await res.json();
      tags.push(...(body.tags ?? []));
      const link = res.headers.get('link');
      path = link ? /<([^>]+)>;\s*rel="?next"?/.exec(link)?.[1] : undefined;
    }
    return tags;
  }

  /** A manifest or index by tag or digest; undefined when the registry does not know it. */
  public async manifest(name: string, reference: string): Promise<Manifest | undefined> {
    const path = `/v2/${name}/manifests/${reference}`;
    const res = await this.request('GET', path, name, { Accept: Object.values(MANIFEST_TYPES).join(', ') });
    if (res.status === 404) return undefined;
    await this.expectOk(res, 'GET', path);
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch (e: any) {
      throw new RegistryError(`GET ${this.urlOf(path)}: the answer is not JSON (${e.message})`, res.status);
    }
    const digest = res.headers.get('docker-content-digest') ?? await sha256Digest(text);
    return { mediaType: json?.mediaType ?? res.headers.get('content-type') ?? '', digest, json, size: Buffer.byteLength(text) };
  }

  /** A manifest's digest, media type and size by tag or digest (HEAD); undefined when unknown. */
  public async headManifest(name: string, reference: string): Promise<{ digest: string; mediaType: string; size: number } | undefined> {
    const path = `/v2/${name}/manifests/${reference}`;
    const res = await this.request('HEAD', path, name, { Accept: Object.values(MANIFEST_TYPES).join(', ') });
    if (res.status === 404) return undefined;
    await this.expectOk(res, 'HEAD', path);
    const digest = res.headers.get('docker-content-digest');
    if (!digest) throw new RegistryError(`HEAD ${this.urlOf(path)}: the answer has no Docker-Content-Digest`);
    return { digest, mediaType: res.headers.get('content-type') ?? '', size: Number(res.headers.get('content-length') ?? 0) };
  }

  /**
   * Deletes a manifest by digest (the registry must allow deletes); returns false when it was not
   * there. The registry removes the tags that pointed to it.
   */
  public async deleteManifest(name: string, digest: string): Promise<boolean> {
    const path = `/v2/${name}/manifests/${digest}`;
    const res = await this.request('DELETE', path, name, {}, undefined, 'delete');
    if (res.status === 404) return false;
    await this.expectOk(res, 'DELETE', path);
    await res.body?.cancel();
    return true;
  }

  /**
   * The referrers of a manifest: through the referrers API (`GET /v2/<name>/referrers/<digest>`)
   * when the registry serves it, else from the index under the referrers tag (`sha256-<hex>`), which
   * GHCR and the distribution registry 2.x keep instead. No referrer at all is an empty list.
   */
  public async referrers(name: string, digest: string): Promise<{ source: ReferrersSource; descriptors: Descriptor[] }> {
    const path = `/v2/${name}/referrers/${digest}`;
    const res = await this.request('GET', path, name, { Accept: MANIFEST_TYPES.ociIndex });
    // 404 (and 400/405 from some registries) means no referrers API; a registry with one answers 200.
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) {
      const body: any = await res.json();
      return { source: 'referrers API', descriptors: body.manifests ?? [] };
    }
    if (![400, 404, 405].includes(res.status)) await this.expectOk(res, 'GET', path);
    await res.body?.cancel().catch(() => undefined);
    const index = await this.manifest(name, referrersTag(digest));
    return { source: 'referrers tag', descriptors: index?.json.manifests ?? [] };
  }

  /** Stores a manifest or index under a tag or digest; returns its digest. */
  public async putManifest(name: string, reference: string, body: string, mediaType: string): Promise<string> {
    const path = `/v2/${name}/manifests/${reference}`;
    const res = await this.request('PUT', path, name, { 'Content-Type': mediaType }, body, 'push');
    await this.expectOk(res, 'PUT', path);
    return res.headers.get('docker-content-digest') ?? sha256Digest(body);
  }

  /** Whether the repository has a blob. */
  public async hasBlob(name: string, digest: string): Promise<boolean> {
    const path = `/v2/${name}/blobs/${digest}`;
    const res = await this.request('HEAD', path, name, {});
    if (res.status === 404) return false;
    await this.expectOk(res, 'HEAD', path);
    return true;
  }

  /** Uploads a blob in one piece (POST for an upload URL, then PUT with the digest). */
  public async putBlob(name: string, digest: string, data: Uint8Array): Promise<void> {
    const start = `/v2/${name}/blobs/uploads/`;
    const res = await this.request('POST', start, name, {}, undefined, 'push');
    await this.expectOk(res, 'POST', start);
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (!location) throw new RegistryError(`POST ${this.baseUrl}${start}: the answer has no Location`);
    const url = new URL(location, `${this.baseUrl}/`);
    url.searchParams.set('digest', digest);
    const upload = url.href;
    const put = await this.request('PUT', upload, name, { 'Content-Type': 'application/octet-stream' }, data, 'push');
    await this.expectOk(put, 'PUT', upload);
    await put.body?.cancel();
  }

  /** A JSON blob (an image config). */
  public async jsonBlob(name: string, digest: string): Promise<any> {
    const path = `/v2/${name}/blobs/${digest}`;
    const res = await this.request('GET', path, name, {});
    await this.expectOk(res, 'GET', path);
    return res.json();
  }

  /** A blob's bytes (a chart's content layer). */
  public async blob(name: string, digest: string): Promise<Buffer> {
    const path = `/v2/${name}/blobs/${digest}`;
    const res = await this.request('GET', path, name, {});
    await this.expectOk(res, 'GET', path);
    return Buffer.from(await res.arrayBuffer());
  }

  private async expectOk(res: Response, method: string, path: string): Promise<void> {
    if (res.ok) return;
    let detail = '';
    try {
      const body: any = await res.json();
      detail = body?.errors?.[0]?.code ? ` (${body.errors[0].code}${body.errors[0].message ? `: ${body.errors[0].message}` : ''})` : '';
    } catch {
      // not a registry error body
    }
    throw new RegistryError(`${method} ${this.urlOf(path)}: ${res.status} ${res.statusText}${detail}`, res.status);
  }

  /** A path on the registry as a URL; an absolute URL (an upload location) as it is. */
  private urlOf(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
  }

  /** One logical request: authentication and bounded retries around {@link attempt}. */
  private async request(method: string, path: string, name: string, headers: Record<string, string>, body?: Body, action: 'pull' | 'push' | 'delete' = 'pull'): Promise<Response> {
    const url = this.urlOf(path);
    const started = Date.now();
    const scope = `repository:${name}:${({ pull: 'pull', push: 'pull,push', delete: 'pull,delete' } as Record<string, string>)[action]}`;
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      try {
        res = await this.attempt(method, url, headers, body, scope);
        if (res.status === 401) {
          const challenge = res.headers.get('www-authenticate');
          await res.body?.cancel();
          res = await this.authenticateAndRetry(method, url, headers, body, scope, challenge);
        }
        if (!RETRY_STATUS(res.status)) return res;
        lastProblem = `${res.status} ${res.statusText}`;
      } catch (e: any) {
        if (e instanceof RegistryError) throw e;
        lastProblem = describeNetworkError(e);
      }
      const elapsed = Date.now() - started;
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)) * this.random();
      const hinted = res ? retryAfterMs(res.headers.get('retry-after'), Date.now()) : undefined;
      const wait = Math.min(this.retry.maxDelayMs, hinted ?? backoff);
      await res?.body?.cancel().catch(() => undefined);
      if (attempt >= this.retry.maxAttempts || elapsed + wait >= this.retry.maxTotalMs) {
        throw new RegistryError(`${method} ${url}: gave up after ${attempt} attempt${attempt > 1 ? 's' : ''} in ${((elapsed) / 1000).toFixed(1)} s; last: ${lastProblem}`,
          res?.status);
      }
      await this.sleep(wait);
    }
  }

  private async attempt(method: string, url: string, headers: Record<string, string>, body: Body | undefined, scope: string): Promise<Response> {
    this.requests++;
    const auth = this.authorization(scope);
    return this.doFetch(url, {
      method,
      headers: { ...headers, ...(auth ? { Authorization: auth } : {}) },
      body,
      redirect: 'follow',
      signal: AbortSignal.timeout(this.retry.attemptTimeoutMs),
    });
  }

  private authorization(scope: string): string | undefined {
    const token = this.tokens.get(scope);
    if (token) return `Bearer ${token}`;
    return this.tokens.get('basic');
  }

  private async authenticateAndRetry(
    method: string, url: string, headers: Record<string, string>, body: Body | undefined, scope: string, challenge: string | null,
  ): Promise<Response> {
    const { scheme, params } = parseChallenge(challenge ?? '');
    const creds = this.options.credentials;
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (scheme === 'basic') {
      if (!basic) throw new RegistryError(`${method} ${url}: 401 Unauthorized; the registry needs credentials (--username and --password-stdin, or GITHUB_TOKEN)`, 401);
      this.tokens.set('basic', basic);
    } else if (scheme === 'bearer' && params.realm) {
      const tokenUrl = new URL(params.realm);
      if (params.service) tokenUrl.searchParams.set('service', params.service);
      tokenUrl.searchParams.set('scope', params.scope ?? scope);
      this.requests++;
      const signal = AbortSignal.timeout(this.retry.attemptTimeoutMs);
      const res = await this.doFetch(tokenUrl, { headers: basic ? { Authorization: basic } : {}, signal });
      if (!res.ok) {
        await res.body?.cancel();
        throw new RegistryError(`GET ${tokenUrl.origin}${tokenUrl.pathname} (token for ${url}): ${res.status} ${res.statusText}${creds ? '' : '; the image may be private: give credentials'}`, res.status);
      }
      const json: any = await res.json();
      const token = json.token ?? json.access_token;
      if (!token) throw new RegistryError(`GET ${tokenUrl.origin}${tokenUrl.pathname}: the token response has no token`);
      this.tokens.set(scope, token);
    } else {
      throw new RegistryError(`${method} ${url}: 401 Unauthorized with an unsupported challenge "${scheme || 'none'}"`, 401);
    }
    const res = await this.attempt(method, url, headers, body, scope);
    if (res.status === 401) {
      await res.body?.cancel();
      throw new RegistryError(`${method} ${url}: 401 Unauthorized after authenticating; check the credentials and their access to the package`, 401);
    }
    return res;
  }
}

/** A failed fetch in words: a timeout, or the connection error's code. */
export function describeNetworkError(e: any): string {
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer within the attempt timeout';
  const code = e?.cause?.code ?? e?.code ?? e?.cause?.errors?.[0]?.code;
  if (code) return `connection error ${code}`;
  return `connection error (${[e?.message, e?.cause?.message].filter((m) => m).join(': ') || e})`;
}

async function sha256Digest(text: string): Promise<string> {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
