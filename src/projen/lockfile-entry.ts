import * as YAML from 'yaml';

/**
 * What a lockfile says about one package: absent, locked to a version published to a registry
 * (over https or plain http: an internal Verdaccio or Nexus is one), or locked to another source
 * (`file:`, `link:`, a directory, git, a bare tarball URL), named as the lockfile writes it.
 */
export type LockedSource =
  | { readonly kind: 'absent' }
  | { readonly kind: 'registry' }
  | { readonly kind: 'other'; readonly source: string };

const ABSENT: LockedSource = { kind: 'absent' };
const REGISTRY: LockedSource = { kind: 'registry' };

function other(source: string): LockedSource {
  return { kind: 'other', source };
}

/** A version as registries publish them (pnpm appends its peer suffix: `1.2.0(projen@0.103.25)`). */
const PUBLISHED_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?(\(.*\)|_.*)?$/;

/** A registry's tarball URL: `<registry>/<name>/-/<name>-<version>.tgz`, over https or http. */
function isRegistryTarball(url: string): boolean {
  return /^https?:\/\/[^\s#]+\/-\/[^\s#/]+\.tgz(#.*)?$/.test(url);
}

/** Whether a yarn.lock is yarn berry's (YAML with a `__metadata` block) rather than classic's. */
export function isBerryLockfile(text: string): boolean {
  return /^__metadata:/m.test(text);
}

/**
 * Where the lockfile `file` (its text; bun.lockb as latin1) locks the package `name` at the
 * repository's root. Throws when the text is not the format its name says.
 */
export function lockedSource(file: string, text: string, name: string): LockedSource {
  switch (file) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return npmLocked(JSON.parse(text), name);
    case 'pnpm-lock.yaml':
      return pnpmLocked(YAML.parse(text) ?? {}, name);
    case 'yarn.lock':
      return isBerryLockfile(text) ? berryLocked(YAML.parse(text) ?? {}, name) : classicLocked(text, name);
    case 'bun.lock':
      return bunLocked(parseJsonc(text), name);
    case 'bun.lockb':
      // Binary: the name is there or not; the source cannot be read without bun.
      return text.includes(name) ? REGISTRY : ABSENT;
    default:
      throw new Error(`${file} is not a lockfile this reads`);
  }
}

/** npm: lockfile v2/v3 `packages`, else v1 `dependencies`; `resolved` may be left out for the registry. */
function npmLocked(lock: any, name: string): LockedSource {
  const entry = lock?.packages?.[`node_modules/${name}`] ?? lock?.dependencies?.[name];
  if (entry === undefined) return ABSENT;
  if (entry.link) return other(`link:${entry.resolved ?? ''}`);
  const resolved: string | undefined = entry.resolved;
  const version = String(entry.version ?? '');
  if (resolved !== undefined) return isRegistryTarball(resolved) ? REGISTRY : other(resolved);
  return PUBLISHED_VERSION.test(version) ? REGISTRY : other(version);
}

/** pnpm: the root importer's version (lockfile v6 and v9), else lockfile v5's top-level maps. */
function pnpmLocked(lock: any, name: string): LockedSource {
  const sections = ['dependencies', 'devDependencies', 'optionalDependencies'];
  const root = lock.importers?.['.'] ?? lock;
  for (const section of sections) {
    const entry = root?.[section]?.[name];
    if (entry === undefined) continue;
    const version = String(typeof entry === 'object' ? entry.version : entry);
    if (!PUBLISHED_VERSION.test(version)) return other(version);
    // A published version's package entry names a tarball only when it is not the registry's.
    const tarball = packageResolution(lock, name, version)?.tarball;
    return tarball === undefined || isRegistryTarball(tarball) ? REGISTRY : other(tarball);
  }
  return ABSENT;
}

function packageResolution(lock: any, name: string, version: string): any {
  const plain = version.replace(/[(_].*$/, '');
  const keys = [`${name}@${plain}`, `/${name}@${plain}`, `/${name}@${version}`, `/${name}/${plain}`, `/${name}/${version}`];
  for (const key of keys) {
    const entry = lock.packages?.[key];
    if (entry !== undefined) return entry.resolution;
  }
  return undefined;
}

/** yarn classic: the block whose header names the package; a registry entry has a tarball URL. */
function classicLocked(text: string, name: string): LockedSource {
  const blocks = text.split(/\n(?=\S)/);
  for (const block of blocks) {
    const [header, ...body] = block.split('\n');
    const specs = header.replace(/:\s*$/, '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (!specs.some((s) => s.startsWith(`${name}@`))) continue;
    const resolved = body.map((l) => /^\s+resolved\s+"?([^"\s]+)"?/.exec(l)?.[1]).find((r) => r !== undefined);
    if (resolved !== undefined) return isRegistryTarball(resolved) ? REGISTRY : other(resolved);
    // A file: or link: entry has no resolved line; its header names the source.
    return other(specs.find((s) => s.startsWith(`${name}@`))!.slice(name.length + 1));
  }
  return ABSENT;
}

/** yarn berry: the entry whose descriptors name the package; its resolution names the protocol. */
function berryLocked(lock: any, name: string): LockedSource {
  for (const [descriptors, entry] of Object.entries<any>(lock)) {
    if (descriptors === '__metadata') continue;
    if (!descriptors.split(',').some((d) => d.trim().startsWith(`${name}@`))) continue;
    const resolution = String(entry?.resolution ?? '');
    const source = resolution.slice(name.length + 1);
    // npm: is the registry; a patch of a registry version is still that version.
    if (source.startsWith('npm:') || source.startsWith(`patch:${name}@npm%3A`)) return REGISTRY;
    return other(source.replace(/::locator=.*$/, ''));
  }
  return ABSENT;
}

/** bun.lock: `packages[name]` is `["name@version", registry tarball or "", ...]`, else `["name@source", ...]`. */
function bunLocked(lock: any, name: string): LockedSource {
  const entry = lock?.packages?.[name];
  if (!Array.isArray(entry) || typeof entry[0] !== 'string') return ABSENT;
  const source = entry[0].startsWith(`${name}@`) ? entry[0].slice(name.length + 1) : entry[0];
  if (!PUBLISHED_VERSION.test(source)) return other(source);
  const tarball = entry[1];
  return typeof tarball !== 'string' || tarball === '' || isRegistryTarball(tarball) ? REGISTRY : other(tarball);
}

/** bun.lock is JSON with trailing commas. */
function parseJsonc(text: string): any {
  return JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
}
