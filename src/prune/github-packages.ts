import { PackageVersion } from './plan';
import { describeNetworkError, DIGEST_PATTERN, retryAfterMs } from '../registry/client';

/**
 * The GitHub Packages REST API for one container package: list its versions (paginated by the
 * `Link` header) and delete one. Retries 429, 5xx and the 403 of a rate limit with bounded waits
 * that honour `Retry-After` (or `x-ratelimit-reset`). The token never appears in a message.
 *
 * @see https://docs.github.com/en/rest/packages/packages
 */

/** Whose package it is: the path prefix of the API (`/orgs/...` or `/users/...`). */
export type OwnerType = 'org' | 'user';

/** Options of {@link GitHubPackagesClient}. */
export interface GitHubPackagesOptions {
  /** e.g. `https://api.github.com`. */
  readonly apiUrl: string;
  readonly owner: string;
  /** The package name: the image path after the owner (`app`, or `team/app`). */
  readonly packageName: string;
  /** undefined: asked from `GET /users/{owner}` once. */
  readonly ownerType?: OwnerType;
  readonly token?: string;
  /** Versions per page (the API allows up to 100). */
  readonly perPage?: number;
  /** Attempts per request, the first included. */
  readonly maxAttempts?: number;
  /** Longest single wait in ms (caps Retry-After too). */
  readonly maxDelayMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Injected for tests; defaults to setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A refused or failed API call; the message names the package, the call and the status. */
export class PackagesApiError extends Error {
  constructor(message: string, public readonly status?: number) {
    super(message);
    this.name = 'PackagesApiError';
  }
}

/** The client. Counts its HTTP requests in {@link requests}. */
export class GitHubPackagesClient {
  /** HTTP requests sent, retries included. */
  public requests = 0;
  private ownerType?: OwnerType;
  private readonly apiUrl: string;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GitHubPackagesOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.ownerType = options.ownerType;
    this.doFetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** `owner/name`, as messages name the package. */
  public get label(): string {
    return `${this.options.owner}/${this.options.packageName}`;
  }

  /**
   * Every version of the package, following `Link: <...>; rel="next"`. A full last page is checked
   * by asking for the page after it: a listing cut short by a lost `Link` header would leave the
   * versions it misses unseen, and what they reference unreferenced, so it is an error.
   */
  public async versions(): Promise<PackageVersion[]> {
    const out: PackageVersion[] = [];
    // GitHub answers at most 100 versions a page, whatever per_page asks for.
    const perPage = Math.min(this.options.perPage ?? 100, 100);
    let url: string | undefined = `${await this.packagePath()}/versions?per_page=${perPage}&state=active`;
    while (url) {
      const res = await this.request('GET', url, 'list the versions of');
      const page: any = await res.json();
      if (!Array.isArray(page)) throw new PackagesApiError(`package ${this.label}: GET ${url}: the answer is not a list of versions`);
      const problems = page.map(versionProblem).filter((p): p is string => p !== undefined);
      if (problems.length > 0) throw new PackagesApiError(`package ${this.label}: GET ${url}: ${problems.join(`\n  package ${this.label}: GET ${url}: `)}`);
      for (const v of page) out.push(versionOf(v));
      const next = nextLink(res.headers.get('link'));
      if (next === undefined && page.length >= perPage) await this.expectNoPageAfter(url, page.length);
      url = next;
    }
    return out;
  }

  /** Throws unless the page after the full page at `url` lists no version. */
  private async expectNoPageAfter(url: string, count: number): Promise<void> {
    const after = new URL(url);
    after.searchParams.set('page', String(Number(after.searchParams.get('page') ?? '1') + 1));
    const more: any = await (await this.request('GET', after.href, 'list the versions of')).json();
    if (Array.isArray(more) && more.length === 0) return;
    const found = Array.isArray(more) ? `${more.length} more versions` : 'an answer that is not a list of versions';
    throw new PackagesApiError(`package ${this.label}: GET ${url}: a full page of ${count} versions without a Link to the next, yet GET ${after.href} gives ${found}; the listing would be incomplete`);
  }

  /** Deletes one version; a version already gone (404) counts as deleted. */
  public async deleteVersion(id: number): Promise<void> {
    await this.request('DELETE', `${await this.packagePath()}/versions/${id}`, `delete version ${id} of`, true);
  }

  private async packagePath(): Promise<string> {
    if (!this.ownerType) {
      const res = await this.request('GET', `${this.apiUrl}/users/${encodeURIComponent(this.options.owner)}`, 'find the owner of');
      const body: any = await res.json();
      this.ownerType = body?.type === 'Organization' ? 'org' : 'user';
    }
    const prefix = this.ownerType === 'org' ? 'orgs' : 'users';
    return `${this.apiUrl}/${prefix}/${encodeURIComponent(this.options.owner)}/packages/container/${encodeURIComponent(this.options.packageName)}`;
  }

  private async request(method: string, url: string, what: string, notFoundIsDone = false): Promise<Response> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const maxDelayMs = this.options.maxDelayMs ?? 60_000;
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      let res: Response;
      try {
        res = await this.doFetch(url, {
          method,
          headers: {
            'Accept': 'application/vnd.github+json',
            'X-GitHub-Api-Version': '2022-11-28',
            ...(this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {}),
          },
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e: any) {
        if (attempt >= maxAttempts) throw new PackagesApiError(`package ${this.label}: could not ${what} it: ${method} ${url}: ${describeNetworkError(e)}`);
        await this.sleep(Math.min(maxDelayMs, 1000 * 2 ** (attempt - 1)));
        continue;
      }
      if (res.ok || (notFoundIsDone && res.status === 404)) return res;
      const message = await apiMessage(res);
      const wait = retryWait(res, message, attempt);
      if (wait !== undefined && attempt < maxAttempts) {
        await this.sleep(Math.min(maxDelayMs, wait));
        continue;
      }
      const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new PackagesApiError(`package ${this.label}: could not ${what} it: ${method} ${url}: ${res.status} ${res.statusText}${message ? ` (${message})` : ''}${tries}${fixFor(res.status, message, method)}`, res.status);
    }
  }
}

/**
 * What keeps a listed version from being planned, or undefined: a version without a numeric id, a
 * manifest digest as its name, a tag list or a creation time would otherwise pass for an untagged
 * manifest of unknown age.
 */
function versionProblem(v: any, index: number): string | undefined {
  const label = `version ${Number.isSafeInteger(v?.id) ? v.id : `at index ${index}`}`;
  if (!Number.isSafeInteger(v?.id) || v.id <= 0) return `${label} has no numeric id (${JSON.stringify(v?.id ?? null)})`;
  if (typeof v.name !== 'string' || !DIGEST_PATTERN.test(v.name)) return `${label} has no manifest digest as its name (${JSON.stringify(v.name ?? null)})`;
  const tags = v.metadata?.container?.tags;
  if (!Array.isArray(tags) || tags.some((t: unknown) => typeof t !== 'string')) {
    return `${label} (${v.name}) has no list of tags in metadata.container.tags (${JSON.stringify(tags ?? null)}), so whether it is tagged is unknown`;
  }
  if (typeof v.created_at !== 'string' || Number.isNaN(Date.parse(v.created_at))) return `${label} (${v.name}) has no creation time (${JSON.stringify(v.created_at ?? null)})`;
  return undefined;
}

function versionOf(v: any): PackageVersion {
  return {
    id: Number(v?.id),
    digest: String(v?.name ?? ''),
    tags: Array.isArray(v?.metadata?.container?.tags) ? v.metadata.container.tags.map(String) : [],
    createdAt: String(v?.created_at ?? ''),
  };
}

/** The `rel="next"` URL of a `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part);
    if (m && m[2].split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

async function apiMessage(res: Response): Promise<string> {
  try {
    const body: any = await res.json();
    return typeof body?.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}

/** How long to wait before retrying, or undefined when the answer is final. */
function retryWait(res: Response, message: string, attempt: number): number | undefined {
  const rateLimited = res.status === 429
    || (res.status === 403 && (res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after') || /rate limit/i.test(message)));
  if (!rateLimited && !(res.status >= 500 && res.status <= 599)) return undefined;
  const hinted = retryAfterMs(res.headers.get('retry-after'), Date.now());
  if (hinted !== undefined) return hinted;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  if (rateLimited && reset > 0) return Math.max(0, reset * 1000 - Date.now());
  return 1000 * 2 ** (attempt - 1);
}

/** The fix for the refusals people meet, after the status. */
function fixFor(status: number, message: string, method: string): string {
  if (status === 401) return '; the token is missing or invalid: set GITHUB_TOKEN';
  if (status === 403 && method === 'DELETE') {
    return '; in the package settings, "Manage Actions access" must give this repository the Admin role, or use a token with delete:packages';
  }
  if (status === 403) return '; the token needs read:packages (in a workflow: permissions: packages: read)';
  if (status === 404) return '; check the owner and package name, and that the token can see the package (read:packages)';
  if (status === 400 && /last (tagged )?version/i.test(message)) return '; GitHub keeps a package\'s last tagged version: delete the package instead';
  return '';
}
