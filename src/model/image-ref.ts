/**
 * The one parser of image references (`registry/path/name`, no tag or digest) used by the model,
 * the CLI and the registry tools.
 */

/** An image reference split into its registry host and repository path. */
export interface ImageRef {
  /** The registry host, with port if any, e.g. `ghcr.io` or `127.0.0.1:5000`. */
  readonly registry: string;
  /** The repository path inside the registry, e.g. `acme/app`. */
  readonly repository: string;
}

/** One path component of a repository name (the distribution spec's grammar). */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A registry host: a domain or IP, optional port. */
const REGISTRY_HOST = /^(?:localhost|[a-z0-9]+(?:[.-][a-z0-9]+)*)(?::[0-9]+)?$/;

/**
 * Parses a lower-cased image reference without tag or digest. Returns a one-phrase reason (to
 * follow the value in an error message) when it is not one.
 */
export function parseImageRef(image: string): ImageRef | { readonly error: string } {
  if (/[@\s]/.test(image) || image.split('/').slice(1).some((c) => c.includes(':'))) {
    return { error: 'must not contain a tag, digest or whitespace; tags come from the tag policy' };
  }
  const parts = image.split('/');
  if (parts.length < 3) return { error: 'must be "<registry>/<owner>/<name>", e.g. "ghcr.io/acme/app"' };
  if (!REGISTRY_HOST.test(parts[0]) || !parts.slice(1).every((c) => PATH_COMPONENT.test(c))) {
    return { error: 'is not a valid image reference (lower-case letters, digits and separators . _ - in each path component)' };
  }
  return { registry: parts[0], repository: parts.slice(1).join('/') };
}

/** Whether a parse result is a reference (not an error). */
export function isImageRef(r: ImageRef | { readonly error: string }): r is ImageRef {
  return !('error' in r);
}

/** The GitHub owner and repository of a `ghcr.io/<owner>/<repo>` image, if it is one. */
export function githubRepositoryOfImage(image: string): { owner: string; repo: string } | undefined {
  const r = parseImageRef(image);
  if (!isImageRef(r) || r.registry !== 'ghcr.io') return undefined;
  const path = r.repository.split('/');
  return path.length === 2 ? { owner: path[0], repo: path[1] } : undefined;
}
