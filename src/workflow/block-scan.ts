import type { FoundUses } from './kept-pins';

/**
 * A line scanner for workflow files in the block-style YAML that projen and this library write (and
 * Dependabot edits in place): nested block maps and sequences, one-line plain or quoted scalars,
 * `{}` and `[]`, literal and folded block scalars, trailing comments. It gives the nodes a full
 * parse gives (their paths, kinds and positions), and the `uses:` steps (with their job ids and
 * comments), when the whole text stays within that subset, and undefined as soon as one line does
 * not (flow collections with content, anchors, aliases, tags, multi-line plain or quoted scalars,
 * comment lines after the first content, several documents, tabs, ...): the caller then parses
 * the text in full.
 */

/** Characters a scanned text must not hold: CR, the C0 and C1 controls but tab and LF, and the BOM. */
const UNUSUAL = /[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]/;
/** A map entry: a plain key of the usual kind, a colon, and what follows it. */
const ENTRY = /^([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?$/;
/** Keys the YAML core schema reads as booleans or null (the job id would be another string), and one no object takes as a plain key. */
const NOT_STRING_KEY = /^(true|false|null|__proto__)$/i;
/** Headers of a block scalar without indentation indicator or comment. */
const BLOCK_HEADER = /^[|>][+-]?$/;
/** Characters a plain scalar may not start with (indicators), besides the quotes handled apart. */
const INDICATORS = '-?:,[]{}#&*!|>%@`';

/** A node of a scanned text, by the path of keys (and sequence indices) that leads to it. */
export interface BlockEntry {
  readonly path: readonly (string | number)[];
  /**
   * What the value is: a one-line plain or quoted scalar, a block scalar, an empty flow collection
   * (`{}`, `[]`), a block map or sequence on the lines below, or nothing (null).
   */
  kind: 'plain' | 'quoted' | 'block' | 'flow' | 'map' | 'seq' | 'null';
  /** A plain scalar's text; a quoted scalar's source, quotes included. */
  readonly text?: string;
  /** The trailing comment of a one-line scalar, as the parser keeps it (after `#`, spaces kept). */
  readonly comment?: string;
  /**
   * Offsets of the node a full parse gives for this path: the scalar value of a map entry (from
   * where it starts to where its text ends), or the key of an entry whose value is a collection;
   * a sequence item from where it starts.
   */
  readonly start: number;
  readonly end: number;
}

/** One open block collection, innermost last. */
interface Level {
  /** Column of its keys, or of its `-` indicators. */
  readonly col: number;
  readonly seq: boolean;
  /** For a map: its keys so far. */
  readonly keys: Set<string>;
  /** The entry of the last key or item (whose value any deeper level is). */
  last?: BlockEntry;
  /** The path to this collection. */
  readonly path: readonly (string | number)[];
  /** For a sequence: its items so far. */
  items: number;
}

/** A block scalar being skipped: the column of its key, and the indentation of its content once known. */
interface BlockScalar {
  readonly col: number;
  indent?: number;
  /** The longest run of spaces on the blank lines before its first content line. */
  leadingBlank: number;
}

/**
 * Every node of a text in the block style projen writes, in document order, or undefined when
 * the text leaves the subset this scanner reads exactly (then only a full parse tells).
 */
export function scanBlockYaml(text: string): BlockEntry[] | undefined {
  if (UNUSUAL.test(text)) return undefined;
  const stack: Level[] = [];
  const entries: BlockEntry[] = [];
  let block: BlockScalar | undefined;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const indent = spacesAt(raw);
    const blank = indent === raw.length;
    if (block) {
      if (blank) {
        if (block.indent === undefined) block.leadingBlank = Math.max(block.leadingBlank, raw.length);
        continue;
      }
      if (block.indent === undefined) {
        // An empty block scalar, or leading blank lines deeper than the content: not read here.
        if (indent <= block.col || block.leadingBlank > indent) return undefined;
        block.indent = indent;
        continue;
      }
      if (indent >= block.indent) continue;
      if (indent > block.col) return undefined;
      block = undefined;
    }
    if (blank) continue;
    if (raw.includes('\t')) return undefined;
    let body = raw.slice(indent);
    if (body.startsWith('#')) {
      // Comments above the document belong to no value; later ones may belong to the value above.
      if (stack.length > 0) return undefined;
      continue;
    }
    let dash = false;
    if (body.startsWith('-') && (body.length === 1 || body[1] === ' ')) {
      body = body.slice(2);
      if (body === '' || body.startsWith(' ') || (body.startsWith('-') && (body.length === 1 || body[1] === ' '))) return undefined;
      dash = true;
    }
    while (stack.length > 0 && stack[stack.length - 1].col > indent) stack.pop();
    const top: Level | undefined = stack[stack.length - 1];
    let level: Level;
    if (dash ? top?.seq && top.col === indent : top && !top.seq && top.col === indent) {
      // the next item or key
      level = top!;
    } else if (top && !top.seq && top.last?.kind === 'null' && top.col < indent) {
      const owner = top.last;
      owner.kind = dash ? 'seq' : 'map';
      level = { col: indent, seq: dash, keys: new Set(), path: owner.path, items: 0 };
      stack.push(level);
    } else if (!top && !dash && indent === 0) {
      level = { col: 0, seq: false, keys: new Set(), path: [], items: 0 };
      stack.push(level);
    } else {
      return undefined;
    }
    const bodyStart = lineStart + indent + (dash ? 2 : 0);
    const entry = ENTRY.exec(body.replace(/ +$/, ''));
    if (dash) {
      // The item: a scalar, or a map whose first key is on this line.
      const item = level.items++;
      if (!entry) {
        const scalar = scalarOf(body);
        if (scalar === undefined) return undefined;
        const node: BlockEntry = { path: [...level.path, item], kind: scalar.plain ? 'plain' : 'quoted', text: scalar.text, comment: scalar.comment, start: bodyStart, end: bodyStart + scalar.text.length };
        level.last = node;
        entries.push(node);
        continue;
      }
      const node: BlockEntry = { path: [...level.path, item], kind: 'map', start: bodyStart, end: bodyStart };
      level.last = node;
      entries.push(node);
      level = { col: indent + 2, seq: false, keys: new Set(), path: node.path, items: 0 };
      stack.push(level);
    } else if (!entry) {
      return undefined;
    }
    const key = entry[1];
    if (NOT_STRING_KEY.test(key) || level.keys.has(key)) return undefined;
    level.keys.add(key);
    const keyStart = bodyStart;
    const keyEnd = keyStart + key.length;
    // The value as the line has it, trailing spaces kept (they belong to a trailing comment).
    const afterColon = body.slice(key.length + 1);
    const value = afterColon.replace(/^ +/, '');
    const valueStart = keyEnd + 1 + (afterColon.length - value.length);
    const trimmed = value.replace(/ +$/, '');
    const path = [...level.path, key];
    let node: BlockEntry;
    if (trimmed === '' || trimmed.startsWith('#')) {
      // A collection on the lines below, or null; which one, the next line tells.
      node = { path, kind: 'null', start: keyStart, end: keyEnd };
    } else if (BLOCK_HEADER.test(trimmed)) {
      block = { col: level.col, leadingBlank: 0 };
      node = { path, kind: 'block', start: valueStart, end: valueStart + trimmed.length };
    } else if (trimmed === '{}' || trimmed === '[]') {
      node = { path, kind: 'flow', text: trimmed, start: keyStart, end: keyEnd };
    } else {
      const scalar = scalarOf(value);
      if (scalar === undefined) return undefined;
      node = { path, kind: scalar.plain ? 'plain' : 'quoted', text: scalar.text, comment: scalar.comment, start: valueStart, end: valueStart + scalar.text.length };
    }
    level.last = node;
    entries.push(node);
  }
  // A block scalar still waiting for its content at the end: empty, not read here.
  if (block && block.indent === undefined) return undefined;
  return entries;
}

/**
 * The `uses:` steps of a workflow file, or undefined when the text leaves the subset this scanner
 * reads exactly (then only a full parse tells).
 */
export function scanUses(path: string, text: string): FoundUses[] | undefined {
  const entries = scanBlockYaml(text);
  if (entries === undefined) return undefined;
  const found: FoundUses[] = [];
  for (const e of entries) {
    if (e.path[e.path.length - 1] !== 'uses') continue;
    if (e.kind !== 'plain') return undefined;
    const at = e.text!.lastIndexOf('@');
    if (at > 0) found.push({ path, jobId: jobIdOf(e.path), action: e.text!.slice(0, at), ref: e.text!.slice(at + 1), comment: e.comment });
  }
  return found;
}

/** Leading spaces of a line. */
function spacesAt(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

/** A one-line scalar: its text (a quoted one's source, quotes included), and its trailing comment as the parser keeps it (after `#`, spaces kept). */
interface InlineScalar {
  readonly plain: boolean;
  readonly text: string;
  readonly comment?: string;
}

/** The scalar that makes up the rest of a line, or undefined when it is not one whole one-line scalar. */
function scalarOf(value: string): InlineScalar | undefined {
  if (value.startsWith('\'') || value.startsWith('"')) {
    const end = closingQuote(value);
    if (end === undefined) return undefined;
    const after = value.slice(end + 1);
    const source = value.slice(0, end + 1);
    if (/^ *$/.test(after)) return { plain: false, text: source };
    const comment = /^ +#(.*)$/.exec(after);
    return comment ? { plain: false, text: source, comment: comment[1] || ' ' } : undefined;
  }
  if (value === '' || INDICATORS.includes(value[0])) return undefined;
  const hash = value.indexOf(' #');
  const text = (hash < 0 ? value : value.slice(0, hash)).replace(/ +$/, '');
  // `a: b` inside a plain scalar is a nested map (an error); a trailing colon starts one too.
  if (text.includes(': ') || text.endsWith(':')) return undefined;
  return { plain: true, text, comment: hash < 0 ? undefined : value.slice(hash + 2) || ' ' };
}

/** Index of the quote closing a quoted scalar that starts at 0, or undefined when the line does not close it. */
function closingQuote(value: string): number | undefined {
  const quote = value[0];
  for (let i = 1; i < value.length; i++) {
    if (quote === '"' && value[i] === '\\') {
      i++;
    } else if (value[i] === quote) {
      if (quote === '\'' && value[i + 1] === '\'') i++;
      else return i;
    }
  }
  return undefined;
}

/**
 * The job a node belongs to, as the full parse's reader names it: the key under the outermost
 * `jobs:` whose value is a map the node lies deeper in.
 */
function jobIdOf(path: readonly (string | number)[]): string | undefined {
  for (let j = 0; j + 2 < path.length; j++) {
    if (path[j] === 'jobs' && typeof path[j + 1] === 'string') return path[j + 1] as string;
  }
  return undefined;
}

/** A plain scalar's text when the YAML core schema reads it as a string; undefined for one that may be null, a boolean or a number. */
export function plainString(text: string): string | undefined {
  return /^[-+.0-9~]/.test(text) || /^(null|true|false)$/i.test(text) ? undefined : text;
}
