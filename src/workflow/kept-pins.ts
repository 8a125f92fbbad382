import * as YAML from 'yaml';
import * as semver from '../semver';
import { scanUses } from './block-scan';
import { ActionPin } from './pins';

/**
 * The pin policy: which full-SHA pin a step gets. A step stays within the major it has (a major
 * bump needs a reviewed change), never moves to an older version than it has, and takes the
 * newest pin known for that major: the library's table, or a pin Dependabot moved forward in the
 * existing workflow files (kept so that its pull requests survive `npx projen`, projen/projen#2314).
 */

const SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*(v?\d+\.\d+\.\d+)\s*$/;
const VERSION_REF = /^v?(\d+)(?:\.(\d+)(?:\.(\d+))?)?$/;

/** A `uses:` found in a workflow file, with where it stands. */
export interface FoundUses {
  readonly path: string;
  /** The job id, when the `uses:` is a step of a job. */
  readonly jobId?: string;
  readonly action: string;
  readonly ref: string;
  /** The trailing comment, without `#`. */
  readonly comment?: string;
}

/** A workflow file as found on disk. */
export interface WorkflowText {
  readonly path: string;
  readonly text: string;
}

/** A workflow file parsed at most once, for every reader of it, and only when one needs the document. */
export interface ParsedWorkflow extends WorkflowText {
  /** The document, parsed on first read; undefined when the parser gave up on the text. */
  readonly doc: YAML.Document.Parsed | undefined;
}

/** A workflow file whose document is parsed when first read; a text the parser gives up on has none. */
export function parseWorkflow(file: WorkflowText): ParsedWorkflow {
  let parsed: { doc: YAML.Document.Parsed | undefined } | undefined;
  return {
    ...file,
    get doc() {
      if (parsed === undefined) {
        try {
          parsed = { doc: YAML.parseDocument(file.text) };
        } catch {
          parsed = { doc: undefined };
        }
      }
      return parsed.doc;
    },
  };
}

/**
 * Every step `uses:` of a workflow file with its trailing comment; nothing for a file that is not
 * YAML. A file in the block style projen writes is read by a line scanner; any other is parsed.
 */
export function findUses(file: WorkflowText | ParsedWorkflow): FoundUses[] {
  return scanUses(file.path, file.text) ?? usesInDocument(file.path, 'doc' in file ? file.doc : parseWorkflow(file).doc);
}

/** Every step `uses:` of a parsed workflow document with its trailing comment; nothing without a document. */
export function usesInDocument(path: string, doc: YAML.Document.Parsed | undefined): FoundUses[] {
  if (!doc) return [];
  const found: FoundUses[] = [];
  YAML.visit(doc, {
    Pair(_, pair, ancestors) {
      if (!YAML.isScalar(pair.key) || pair.key.value !== 'uses' || !YAML.isScalar(pair.value) || typeof pair.value.value !== 'string') return;
      const value = pair.value.value;
      const at = value.lastIndexOf('@');
      if (at <= 0) return;
      const comment = pair.value.comment ?? undefined;
      found.push({ path, jobId: jobIdOf(ancestors), action: value.slice(0, at), ref: value.slice(at + 1), comment });
    },
  });
  return found;
}

/** The job id a visited node belongs to (the key under `jobs:`). */
function jobIdOf(ancestors: readonly unknown[]): string | undefined {
  for (let i = 0; i + 2 < ancestors.length; i++) {
    const pair = ancestors[i + 1];
    const inner = ancestors[i + 3];
    if (YAML.isPair(pair) && YAML.isScalar(pair.key) && pair.key.value === 'jobs' && YAML.isPair(inner) && YAML.isScalar(inner.key)) {
      return String(inner.key.value);
    }
  }
  return undefined;
}

/**
 * The pins the existing files vouch for: a full SHA with a `# vX.Y.Z` comment, as Dependabot
 * writes them. One that contradicts the library's table (same version, another SHA) is left out.
 */
export function pinsFoundIn(uses: readonly FoundUses[], table: readonly ActionPin[]): ActionPin[] {
  const pins: ActionPin[] = [];
  // The table's pin of each action and version, looked up once: the files repeat the same few.
  const tablePins = new Map<string, ActionPin | undefined>();
  for (const u of uses) {
    const m = u.comment === undefined ? null : VERSION_COMMENT.exec(u.comment);
    if (!SHA.test(u.ref) || !m) continue;
    const version = m[1].startsWith('v') ? m[1] : `v${m[1]}`;
    const key = `${u.action}@${version}`;
    if (!tablePins.has(key)) tablePins.set(key, table.find((p) => p.action === u.action && semver.eq(p.version, version)));
    const listed = tablePins.get(key);
    if (listed && listed.sha !== u.ref) continue;
    if (!pins.some((p) => p.action === u.action && p.sha === u.ref)) pins.push({ action: u.action, sha: u.ref, version });
  }
  return pins;
}

/** What a step gets: a pin, or why it keeps what it has. */
export interface PinChoice {
  /** The pin to write, or undefined to leave the step as it is. */
  readonly pin?: ActionPin;
  /** Why the step is left unpinned, when it is. */
  readonly unpinned?: string;
}

/**
 * Chooses the pin of one step from the library's table and the pins found in the files.
 * @param action `owner/name[/path]`
 * @param ref what the step has now: a SHA, `vX.Y.Z`, `vX.Y` or `vX`
 */
export function choosePin(action: string, ref: string, table: readonly ActionPin[], found: readonly ActionPin[]): PinChoice {
  let byTable = choices.get(table);
  if (byTable === undefined) {
    byTable = new WeakMap();
    choices.set(table, byTable);
  }
  let byStep = byTable.get(found);
  if (byStep === undefined) {
    byStep = new Map();
    byTable.set(found, byStep);
  }
  const key = `${action}@${ref}`;
  let choice = byStep.get(key);
  if (choice === undefined) {
    choice = choosePinOnce(action, ref, table, found);
    byStep.set(key, choice);
  }
  return choice;
}

/**
 * The choices made, by table, then by the pins found, then by `action@ref`: every image of a
 * synthesis, and every projen workflow, pins the same few actions from the same two lists.
 */
const choices = new WeakMap<readonly ActionPin[], WeakMap<readonly ActionPin[], Map<string, PinChoice>>>();

function choosePinOnce(action: string, ref: string, table: readonly ActionPin[], found: readonly ActionPin[]): PinChoice {
  const known = [...table, ...found].filter((p) => p.action === action);
  let floor: semver.SemVer;
  if (SHA.test(ref)) {
    const pinned = known.find((p) => p.sha === ref);
    if (!pinned) return { unpinned: `${action}@${ref} is a commit the pin table does not know; left as it is (no version comment)` };
    floor = semver.parse(pinned.version)!;
  } else {
    const m = VERSION_REF.exec(ref);
    if (!m) return { unpinned: `${action}@${ref} is not a version; left as it is` };
    floor = new semver.SemVer(`${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`);
  }
  const candidates = known
    .filter((p) => semver.major(p.version) === floor.major && semver.gte(p.version, floor))
    .sort((a, b) => semver.rcompare(a.version, b.version) || (table.includes(a) ? -1 : 1));
  if (candidates.length === 0) {
    return { unpinned: `${action}@${ref}: the pin table has no release of v${floor.major} at or after ${floor.version}; left as it is` };
  }
  return { pin: candidates[0] };
}

/**
 * Why a pin a file had for one of our steps was not kept, for the notice `npx projen` prints; or
 * undefined when the written pin is that one.
 */
export function replacedReason(had: FoundUses, written: ActionPin): string | undefined {
  if (had.ref === written.sha) return undefined;
  const m = had.comment === undefined ? null : VERSION_COMMENT.exec(had.comment);
  let reason: string;
  if (!SHA.test(had.ref)) reason = 'not pinned to a full commit SHA';
  else if (!m) reason = had.comment === undefined ? 'a SHA without a "# vX.Y.Z" version comment' : `the comment "${had.comment.trim()}" is not a version`;
  else if (semver.major(m[1]) !== semver.major(written.version)) reason = `major ${semver.major(m[1])} differs from the step's ${semver.major(written.version)} (a new major needs a library release)`;
  else if (semver.lt(m[1], written.version)) reason = `older than ${written.version}`;
  else reason = `the library pins ${written.version} to another SHA`;
  return `${had.path}: ${had.action}@${had.ref}${had.comment ? ` #${had.comment}` : ''}: ${reason}; writing ${written.version}`;
}

/** One edit of a rendered workflow, at the node a path names. */
export interface TextEdit {
  /** Path of a node: a scalar value, or a map key (its line) when the value is a collection. */
  readonly path: readonly (string | number)[];
  /** A new plain scalar for the value (a pinned `uses:`). */
  readonly replaceValue?: string;
  /** A comment appended to the node's line (a version comment, an inline linter exception). */
  readonly comment?: string;
  /** Whole lines put before the node's line, at the indentation they have. */
  readonly linesBefore?: readonly string[];
}

/** Where the node a path names lies in a text (offsets), and whether it is a scalar; undefined when there is none. */
export type NodeLocator = (path: readonly (string | number)[]) => LocatedNode | undefined;

/** A node's offsets in its text, and whether it is a scalar. */
export interface LocatedNode {
  readonly start: number;
  readonly end: number;
  readonly scalar: boolean;
}

/**
 * The node a path names in a parsed document: the scalar value of a map entry, or its key when
 * the value is a collection; a sequence's item.
 */
export function documentLocator(doc: YAML.Document.Parsed): NodeLocator {
  return (path) => {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const last = path[path.length - 1];
    let node: YAML.Node | undefined;
    if (YAML.isMap(parent)) {
      const pair = parent.items.find((it) => YAML.isScalar(it.key) && it.key.value === last);
      node = (pair && YAML.isScalar(pair.value) ? pair.value : pair?.key) as YAML.Node | undefined;
    } else if (YAML.isSeq(parent)) {
      node = parent.items[last as number] as YAML.Node | undefined;
    }
    return node?.range ? { start: node.range[0], end: node.range[1], scalar: YAML.isScalar(node) } : undefined;
  };
}

/**
 * Applies edits to the text of a rendered workflow: only the edited values, the ends of their
 * lines and the lines put before them change, every other byte stays as the renderer wrote it.
 * @param located `text` parsed, or where its nodes are, when the caller knows already
 */
export function editWorkflowText(text: string, edits: readonly TextEdit[], located?: YAML.Document.Parsed | NodeLocator): string {
  if (edits.length === 0) return text;
  const locate = typeof located === 'function' ? located : documentLocator(located ?? YAML.parseDocument(text));
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const lineOf = (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const perLine = new Map<number, { replaces: Array<[number, number, string]>; comments: string[]; before: string[] }>();
  for (const edit of edits) {
    const node = locate(edit.path);
    if (!node) continue;
    const line = lineOf(node.start);
    const entry = perLine.get(line) ?? { replaces: [], comments: [], before: [] };
    if (edit.replaceValue !== undefined && node.scalar) {
      entry.replaces.push([node.start - starts[line], node.end - starts[line], edit.replaceValue]);
    }
    if (edit.comment !== undefined) entry.comments.push(edit.comment);
    entry.before.push(...edit.linesBefore ?? []);
    perLine.set(line, entry);
  }
  return lines.map((line, i) => {
    const entry = perLine.get(i);
    if (!entry) return line;
    let out = line;
    for (const [from, to, value] of entry.replaces.sort((a, b) => b[0] - a[0])) {
      out = out.slice(0, from) + value + out.slice(Math.min(to, out.length));
    }
    if (entry.comments.length > 0) out = `${out.trimEnd()} ${entry.comments.map((c) => `# ${c}`).join(' ')}`;
    return [...entry.before, out].join('\n');
  }).join('\n');
}
