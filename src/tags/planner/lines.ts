import type * as CsvParseSync from 'csv-parse/sync';

/**
 * Parsing of docker/metadata-action's `images`, `tags` and `flavor` lines, with the action's own
 * rules (src/image.ts, src/tag.ts, src/flavor.ts): CSV fields, `key=value` attributes, defaults
 * per tag type, and stable sorting by priority.
 */

/** Tag entry types metadata-action knows. */
const TAG_TYPES = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
/** A tag entry type. */
export type TagType = (typeof TAG_TYPES)[number];

const DEFAULT_PRIORITIES: Record<TagType, string> = {
  schedule: '1000', semver: '900', pep440: '900', match: '800', edge: '700', ref: '600', raw: '200', sha: '100',
};

/** The tags metadata-action uses when the `tags` input is empty. */
const DEFAULT_TAG_LINES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

/** One parsed `tags` line. */
export interface TagEntry {
  readonly line: string;
  readonly type: TagType;
  /** Attributes after defaults; `has` tells an empty value from a missing one. */
  readonly attrs: Record<string, string>;
}

/** The parsed `flavor` lines. */
export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

/** One parsed `images` line. */
export interface ImageEntry {
  readonly name: string;
  readonly enable: boolean;
}

/** Thrown for an invalid line; the message names the input and the line. */
export class LineError extends Error {
  constructor(input: string, line: string, message: string) {
    super(`${input} line "${line}": ${message}`);
    this.name = 'LineError';
  }
}

/** Fields by line: csv-parse takes about a millisecond a call, and every plan parses the same lines. */
const fieldsByLine = new Map<string, readonly string[]>();

let csvParse: typeof CsvParseSync.parse | undefined;

/** csv-parse, loaded on first use: only lines with quotes or line breaks need it. */
function csv(): typeof CsvParseSync.parse {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  csvParse ??= (require('csv-parse/sync') as typeof CsvParseSync).parse;
  return csvParse;
}

/**
 * CSV fields of one line, as csv-parse gives them to the action (quotes removed, no trimming). A
 * line without quotes and line breaks is one record of its comma-separated parts (none when it is
 * empty), as csv-parse reads it.
 */
export function fields(input: string, line: string): readonly string[] {
  let found = fieldsByLine.get(line);
  if (found === undefined) {
    if (!/["\r\n]/.test(line)) {
      found = line === '' ? [] : line.split(',');
    } else {
      try {
        const rows = csv()(line, { relaxColumnCount: true, skipEmptyLines: true }) as string[][];
        found = rows[0] ?? [];
      } catch (e: any) {
        throw new LineError(input, line, e.message);
      }
    }
    fieldsByLine.set(line, found);
  }
  return found;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Parses one `tags` line and applies the per-type defaults. */
function parseTagLine(line: string): TagEntry {
  const fail = (msg: string): never => {
    throw new LineError('tags', line, msg);
  };
  const attrs: Record<string, string> = {};
  let type: TagType | undefined;
  for (const field of fields('tags', line)) {
    const eq = field.indexOf('=');
    // Split at the first "=" that has something before it, as /(?<=^[^=]+?)=/ does.
    if (eq <= 0) {
      attrs.value = field.trim();
      continue;
    }
    const key = field.slice(0, eq).trim().toLowerCase();
    const value = field.slice(eq + 1).trim();
    if (key === 'type') {
      if (!(TAG_TYPES as readonly string[]).includes(value)) fail(`unknown tag type "${value}"; use one of ${TAG_TYPES.join(', ')}`);
      type = value as TagType;
    } else {
      attrs[key] = value;
    }
  }
  type = type ?? 'raw';
  switch (type) {
    case 'schedule':
      if (!has(attrs, 'pattern')) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      if (!has(attrs, 'pattern')) fail(`type=${type} needs a pattern attribute, e.g. pattern={{version}}`);
      if (!has(attrs, 'value')) attrs.value = '';
      if (!has(attrs, 'match')) attrs.match = '';
      break;
    case 'match':
      if (!has(attrs, 'pattern')) fail('type=match needs a pattern attribute');
      if (!has(attrs, 'group')) attrs.group = '0';
      if (isNaN(+attrs.group)) fail(`invalid match group "${attrs.group}" (a number is needed)`);
      if (!has(attrs, 'value')) attrs.value = '';
      break;
    case 'edge':
      if (!has(attrs, 'branch')) attrs.branch = '';
      break;
    case 'ref':
      if (!has(attrs, 'event')) fail('type=ref needs an event attribute (branch, tag or pr)');
      if (!['branch', 'tag', 'pr'].includes(attrs.event)) fail(`invalid event "${attrs.event}" for type=ref (use branch, tag or pr)`);
      if (attrs.event === 'pr' && !has(attrs, 'prefix')) attrs.prefix = 'pr-';
      break;
    case 'raw':
      if (!has(attrs, 'value')) fail('type=raw needs a value');
      break;
    case 'sha':
      if (!has(attrs, 'prefix')) attrs.prefix = 'sha-';
      if (!has(attrs, 'format')) attrs.format = 'short';
      if (!['short', 'long'].includes(attrs.format)) fail(`invalid format "${attrs.format}" for type=sha (use short or long)`);
      break;
  }
  if (!has(attrs, 'enable')) attrs.enable = 'true';
  if (!has(attrs, 'priority')) attrs.priority = DEFAULT_PRIORITIES[type];
  return { line, type, attrs };
}

/** Parses the `tags` lines (or the defaults when there are none) and sorts them by priority. */
export function parseTagLines(lines: readonly string[]): TagEntry[] {
  const entries = (lines.length === 0 ? DEFAULT_TAG_LINES : lines).map(parseTagLine);
  // Array.prototype.sort is stable: equal priorities keep their input order.
  return entries.sort((a, b) => {
    const [pa, pb] = [Number(a.attrs.priority), Number(b.attrs.priority)];
    return pa < pb ? 1 : pa > pb ? -1 : 0;
  });
}

/** Parses the `flavor` lines; later lines override earlier ones. */
export function parseFlavorLines(lines: readonly string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  for (const line of lines) {
    const fail = (msg: string): never => {
      throw new LineError('flavor', line, msg);
    };
    let onlatestFor: 'prefix' | 'suffix' | '' = '';
    for (const field of fields('flavor', line)) {
      const parts = field.split('=').map((p) => p.trim());
      if (parts.length === 1) fail(`"${field}" is not key=value`);
      const [key, value] = [parts[0].toLowerCase(), parts[1]];
      switch (key) {
        case 'latest':
          if (!['auto', 'true', 'false'].includes(value)) fail(`invalid latest "${value}" (use auto, true or false)`);
          flavor.latest = value as Flavor['latest'];
          break;
        case 'prefix':
        case 'suffix':
          flavor[key] = value;
          onlatestFor = key;
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(value)) fail(`invalid onlatest "${value}" (use true or false)`);
          if (onlatestFor === 'prefix') flavor.prefixLatest = value === 'true';
          if (onlatestFor === 'suffix') flavor.suffixLatest = value === 'true';
          break;
        default:
          fail(`unknown flavor entry "${key}" (use latest, prefix, suffix, onlatest)`);
      }
    }
  }
  return flavor;
}

/** Parses the `images` lines: the legacy comma-separated form, or one `name=...,enable=...` per line. */
export function parseImageLines(lines: readonly string[]): ImageEntry[] {
  if (lines.length === 1) {
    const f = fields('images', lines[0]);
    if (f.every((x) => !x.includes('='))) return f.map((x) => ({ name: x.trim(), enable: true }));
  }
  return lines.map((line) => {
    const fail = (msg: string): never => {
      throw new LineError('images', line, msg);
    };
    let name = '';
    let enable = true;
    for (const field of fields('images', line)) {
      const parts = field.split('=').map((p) => p.trim());
      if (parts.length === 1) {
        name = parts[0];
        continue;
      }
      const [key, value] = [parts[0].toLowerCase(), parts[1]];
      if (key === 'name') {name = value;} else if (key === 'enable') {
        if (!['true', 'false'].includes(value)) fail(`invalid enable "${value}" (use true or false)`);
        enable = value === 'true';
      } else {fail(`unknown image attribute "${key}" (use name, enable)`);}
    }
    if (name.length === 0) fail('the image name is empty');
    return { name, enable };
  });
}
