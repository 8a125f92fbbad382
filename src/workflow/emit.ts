/**
 * A writer of block-style YAML for the workflows this library generates, giving the very text the
 * yaml library's Document gives (indent 2, sequences indented, no folding, literal block scalars,
 * trailing comments), without loading and running that library's node tree for every workflow.
 * It writes only what it knows the yaml library writes the same way: plain scalars that cannot be
 * read as anything else, multi-line strings as literal blocks, the empty string and digit strings
 * double-quoted, integers, booleans, empty `{}` and `[]`. For any other value it gives undefined and
 * the caller renders with the yaml library; also for an object that appears twice (the yaml
 * library writes an anchor and an alias).
 */

/** A trailing comment for the scalar value of `key` in `container`, if it has one. */
export type CommentOf = (container: object, key: string) => string | undefined;

/** What writing one document carries along. */
interface Writing {
  readonly lines: string[];
  readonly commentOf: CommentOf;
  /** The objects written so far. */
  readonly seen: Set<object>;
}

/** Thrown inside the writer when a value is outside what it writes. */
class Unwritable extends Error {}

/** Keys written plain: the yaml library writes these unquoted. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Single-line strings that are plain for sure: a safe first character, printable ASCII. */
const PLAIN_TEXT = /^[A-Za-z_$/(.][\x20-\x7e]*$/;
/** Strings starting with a dot that may be a number or a document end marker. */
const DOT_NOT_PLAIN = /^(\.[0-9]|\.(inf|nan)$|\.\.\.)/i;
/** Words the YAML core schema reads as a boolean or null (in any case, to be safe). */
const NOT_A_STRING = /^(true|false|null)$/i;

/**
 * The document as block YAML, with the header lines as comments above it (and a blank line after
 * them), or undefined when something in it is outside what this writer writes.
 */
export function emitBlockYaml(root: Record<string, unknown>, header: readonly string[], commentOf: CommentOf): string | undefined {
  const lines: string[] = [];
  const w: Writing = { lines, commentOf, seen: new Set([root]) };
  try {
    for (const h of header) {
      if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(h)) return undefined;
      lines.push(`# ${h}`);
    }
    if (header.length > 0) lines.push('');
    pairs(root, '', '', w);
  } catch (e) {
    if (e instanceof Unwritable) return undefined;
    throw e;
  }
  return `${lines.join('\n')}\n`;
}

/** The pairs of a non-empty map at `indent`, the first line starting with `first` (a sequence item's `- `) instead. */
function pairs(map: Record<string, unknown>, indent: string, first: string, w: Writing): void {
  const { lines, commentOf } = w;
  const keys = Object.keys(map);
  keys.forEach((key, i) => {
    if (!PLAIN_KEY.test(key) || NOT_A_STRING.test(key)) throw new Unwritable();
    const line = `${i === 0 ? first : indent}${key}:`;
    const value = map[key];
    const comment = commentOf(map, key);
    if (comment !== undefined && !/^[\x21-\x7e][\x20-\x7e]*$/.test(comment)) throw new Unwritable();
    const withComment = (text: string) => (comment === undefined ? text : `${text} # ${comment}`);
    if (typeof value === 'object' && value !== null) once(value, w);
    if (Array.isArray(value)) {
      if (comment !== undefined) throw new Unwritable();
      if (value.length === 0) {
        lines.push(`${line} []`);
        return;
      }
      lines.push(line);
      for (const item of value) seqItem(item, `${indent}  `, w);
    } else if (typeof value === 'object' && value !== null) {
      if (comment !== undefined) throw new Unwritable();
      if (Object.keys(value).length === 0) {
        lines.push(`${line} {}`);
        return;
      }
      lines.push(line);
      pairs(value as Record<string, unknown>, `${indent}  `, `${indent}  `, w);
    } else if (typeof value === 'string' && value.includes('\n')) {
      if (comment !== undefined) throw new Unwritable();
      literal(value, line, `${indent}  `, lines);
    } else {
      lines.push(withComment(`${line} ${scalar(value)}`));
    }
  });
}

/** One item of a sequence at `indent`: a one-line scalar, or a non-empty map. */
function seqItem(item: unknown, indent: string, w: Writing): void {
  if (typeof item === 'object' && item !== null) once(item, w);
  if (typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length > 0) {
    pairs(item as Record<string, unknown>, `${indent}  `, `${indent}- `, w);
  } else if (typeof item === 'string' && item.includes('\n')) {
    throw new Unwritable();
  } else {
    w.lines.push(`${indent}- ${scalar(item)}`);
  }
}

/** Marks an object written; one written before would be an alias. */
function once(value: object, w: Writing): void {
  if (w.seen.has(value)) throw new Unwritable();
  w.seen.add(value);
}

/** A one-line scalar as the yaml library writes it, when this writer knows how. */
function scalar(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string') throw new Unwritable();
  // Read plain, these would be null or a number: the yaml library double-quotes them.
  if (value === '' || /^[0-9]+$/.test(value)) return `"${value}"`;
  // `: ` and ` #` (a map, a comment) and a trailing colon rule out a plain scalar; without
  // double quotes in it, the yaml library writes the string double-quoted.
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) {
    if (!/^[\x20-\x7e]*$/.test(value) || /["\\]/.test(value)) throw new Unwritable();
    return `"${value}"`;
  }
  if (!PLAIN_TEXT.test(value) || DOT_NOT_PLAIN.test(value) || NOT_A_STRING.test(value) || value.endsWith(' ')) throw new Unwritable();
  return value;
}

/**
 * A multi-line string as a literal block scalar: `|` keeping its one final line break, `|-` for
 * none; lines at `indent`, empty lines empty. Leading or trailing blanks, blank-only lines, tabs
 * and other characters are left to the yaml library.
 */
function literal(value: string, line: string, indent: string, lines: string[]): void {
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (!/^[\x21-\x7e][\x20-\x7e\n]*[\x21-\x7e]$/.test(body)) throw new Unwritable();
  const bodyLines = body.split('\n');
  if (bodyLines.some((l) => l !== '' && (l.trim() === '' || l.endsWith(' ')))) throw new Unwritable();
  lines.push(`${line} ${value.endsWith('\n') ? '|' : '|-'}`);
  for (const l of bodyLines) lines.push(l === '' ? '' : `${indent}${l}`);
}
