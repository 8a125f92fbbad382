import type { FoundUses } from './kept-pins';

/**
 * A line scanner for the `uses:` steps of a workflow file, for the block-style YAML that projen and
 * this library write (and Dependabot edits in place): nested block maps and sequences, one-line
 * plain or quoted scalars, `{}` and `[]`, literal and folded block scalars, trailing comments.
 * It gives what a full parse gives (the same steps, job ids and comments) when the whole text
 * stays within that subset, and undefined as soon as one line does not (flow collections with
 * content, anchors, aliases, tags, multi-line plain or quoted scalars, comment lines after the
 * first content, several documents, tabs, ...): the caller then parses the file in full.
 */

/** Characters a scanned text must not hold: CR, the C0 and C1 controls but tab and LF, and the BOM. */
const UNUSUAL = /[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]/;
/** A map entry: a plain key of the usual kind, a colon, and what follows it. */
const ENTRY = /^([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?$/;
/** Keys the YAML core schema reads as booleans or null (the job id would be another string). */
const NOT_STRING_KEY = /^(true|false|null)$/i;
/** Headers of a block scalar without indentation indicator or comment. */
const BLOCK_HEADER = /^[|>][+-]?$/;
/** Characters a plain scalar may not start with (indicators), besides the quotes handled apart. */
const INDICATORS = '-?:,[]{}#&*!|>%@`';

/** One open block collection, innermost last. */
interface Level {
  /** Column of its keys, or of its `-` indicators. */
  readonly col: number;
  readonly seq: boolean;
  /** For a map: its keys so far, and the last one (whose value any deeper level is). */
  readonly keys: Set<string>;
  key?: string;
  /** For a map: the last key has no value on its line, so a more indented line may give it one. */
  open: boolean;
}

/** A block scalar being skipped: the column of its key, and the indentation of its content once known. */
interface BlockScalar {
  readonly col: number;
  indent?: number;
  /** The longest run of spaces on the blank lines before its first content line. */
  leadingBlank: number;
}

/**
 * The `uses:` steps of a workflow file, or undefined when the text leaves the subset this scanner
 * reads exactly (then only a full parse tells).
 */
export function scanUses(path: string, text: string): FoundUses[] | undefined {
  if (UNUSUAL.test(text)) return undefined;
  const stack: Level[] = [];
  const found: FoundUses[] = [];
  let block: BlockScalar | undefined;
  for (const raw of text.split('\n')) {
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
    if (dash) {
      if (top?.seq && top.col === indent) {
        // the next item
      } else if (top && !top.seq && top.open && top.col < indent) {
        top.open = false;
        stack.push({ col: indent, seq: true, keys: new Set(), open: false });
      } else {
        return undefined;
      }
    } else if (top && !top.seq && top.col === indent) {
      // the next key
    } else if (top && !top.seq && top.open && top.col < indent) {
      top.open = false;
      stack.push({ col: indent, seq: false, keys: new Set(), open: false });
    } else if (!top && indent === 0) {
      stack.push({ col: 0, seq: false, keys: new Set(), open: false });
    } else {
      return undefined;
    }
    const entry = ENTRY.exec(body.replace(/ +$/, ''));
    if (!entry) {
      // A scalar item of a sequence.
      if (!dash || scalarOf(body) === undefined) return undefined;
      continue;
    }
    const key = entry[1];
    if (NOT_STRING_KEY.test(key)) return undefined;
    if (dash) stack.push({ col: indent + 2, seq: false, keys: new Set(), open: false });
    const map = stack[stack.length - 1];
    if (map.keys.has(key)) return undefined;
    map.keys.add(key);
    map.key = key;
    map.open = false;
    // The value as the line has it, trailing spaces kept (they belong to a trailing comment).
    const value = body.slice(body.indexOf(':') + 1).replace(/^ +/, '');
    const trimmed = value.replace(/ +$/, '');
    if (key === 'uses') {
      const scalar = scalarOf(value);
      if (scalar === undefined || !scalar.plain) return undefined;
      const at = scalar.text.lastIndexOf('@');
      if (at > 0) {
        found.push({ path, jobId: jobIdOf(stack), action: scalar.text.slice(0, at), ref: scalar.text.slice(at + 1), comment: scalar.comment });
      }
    } else if (trimmed === '' || trimmed.startsWith('#')) {
      map.open = true;
    } else if (BLOCK_HEADER.test(trimmed)) {
      block = { col: map.col, leadingBlank: 0 };
    } else if (trimmed !== '{}' && trimmed !== '[]' && scalarOf(value) === undefined) {
      return undefined;
    }
  }
  // A block scalar still waiting for its content at the end: empty, not read here.
  if (block && block.indent === undefined) return undefined;
  return found;
}

/** Leading spaces of a line. */
function spacesAt(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

/** A one-line scalar: its text (plain scalars only), and its trailing comment as the parser keeps it (after `#`, spaces kept). */
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
    if (/^ *$/.test(after)) return { plain: false, text: '' };
    const comment = /^ +#(.*)$/.exec(after);
    return comment ? { plain: false, text: '', comment: comment[1] || ' ' } : undefined;
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
 * The job a `uses:` in the innermost map of `stack` belongs to: the key under the outermost
 * `jobs:` whose value is a map the step lies deeper in.
 */
function jobIdOf(stack: readonly Level[]): string | undefined {
  const last = stack.length - 1;
  for (let j = 0; j + 1 < last; j++) {
    if (!stack[j].seq && stack[j].key === 'jobs' && !stack[j + 1].seq) return stack[j + 1].key;
  }
  return undefined;
}
