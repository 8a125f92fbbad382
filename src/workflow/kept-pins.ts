import * as semver from 'semver';
import * as YAML from 'yaml';
import { Workflow } from './model';
import { ActionPin } from './pins';

/**
 * Pins that Dependabot moved forward in the existing workflow file, kept on re-synthesis so that
 * its pull requests survive `npx projen` (projen/projen#2314). A pin found in the file is kept when
 * it is a full commit SHA with a `# vX.Y.Z` comment, of the same major as the library's pin, and
 * at least as new; anything else gets the library's pin back, with the reason.
 */
export interface KeptPins {
  /** The pin to write per action (`owner/name[/path]`), where it differs from the library's. */
  readonly pins: ReadonlyMap<string, ActionPin>;
  /** One line per pin found but not kept, saying why. */
  readonly notes: readonly string[];
}

const SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*(v?\d+\.\d+\.\d+)\s*$/;

/** Every `uses:` value of the existing file with its trailing comment. */
function usesNodes(text: string): Array<{ value: string; comment?: string }> {
  const doc = YAML.parseDocument(text);
  const found: Array<{ value: string; comment?: string }> = [];
  YAML.visit(doc, {
    Pair(_, pair) {
      if (YAML.isScalar(pair.key) && pair.key.value === 'uses' && YAML.isScalar(pair.value) && typeof pair.value.value === 'string') {
        found.push({ value: pair.value.value, comment: pair.value.comment ?? undefined });
      }
    },
  });
  return found;
}

/**
 * Decides which pins of an existing workflow file to keep.
 * @param existing the file's current text, or undefined when there is none
 * @param libraryPins the library's pins of the actions the workflow uses
 */
export function keptPins(existing: string | undefined, libraryPins: readonly ActionPin[]): KeptPins {
  const pins = new Map<string, ActionPin>();
  const notes: string[] = [];
  if (existing === undefined) return { pins, notes };
  let nodes: Array<{ value: string; comment?: string }>;
  try {
    nodes = usesNodes(existing);
  } catch {
    return { pins, notes: ['the existing workflow is not valid YAML; every pin is the library\'s'] };
  }
  for (const { value, comment } of nodes) {
    const at = value.lastIndexOf('@');
    const action = at > 0 ? value.slice(0, at) : value;
    const ref = at > 0 ? value.slice(at + 1) : '';
    const lib = libraryPins.find((p) => p.action === action);
    if (!lib) continue;
    if (ref === lib.sha) continue;
    const reason = rejectReason(ref, comment, lib);
    if (reason) {
      notes.push(`${action}@${ref}${comment ? ` #${comment}` : ''}: ${reason}; writing the library's pin ${lib.version}`);
      continue;
    }
    const version = VERSION_COMMENT.exec(comment!)![1];
    const current = pins.get(action);
    if (!current || semver.gt(version, current.version)) pins.set(action, { action, sha: ref, version });
  }
  return { pins, notes };
}

function rejectReason(ref: string, comment: string | undefined, lib: ActionPin): string | undefined {
  if (!SHA.test(ref)) return 'not pinned to a full commit SHA';
  const m = comment === undefined ? null : VERSION_COMMENT.exec(comment);
  if (!m) return comment === undefined ? 'a SHA without a "# vX.Y.Z" version comment' : `the comment "${comment.trim()}" is not a version`;
  const [found, ours] = [semver.parse(m[1])!, semver.parse(lib.version)!];
  if (found.major !== ours.major) return `major ${found.major} differs from the library's ${ours.major} (a new major needs a library release)`;
  if (semver.lt(found, ours)) return `older than the library's ${lib.version}`;
  if (semver.eq(found, ours)) return `the library pins ${lib.version} to another SHA`;
  return undefined;
}

/** The workflow with every step's pin replaced by the kept one, where there is one. */
export function withPins(wf: Workflow, pins: ReadonlyMap<string, ActionPin>): Workflow {
  if (pins.size === 0) return wf;
  const jobs = Object.fromEntries(Object.entries(wf.jobs).map(([id, job]) => [id, {
    ...job,
    steps: job.steps.map((s) => (s.uses && pins.has(s.uses.action) ? { ...s, uses: pins.get(s.uses.action)! } : s)),
  }]));
  return { ...wf, jobs };
}


/** A workflow file as found on disk. */
export interface WorkflowText {
  readonly path: string;
  readonly text: string;
}

/**
 * {@link keptPins} over several files (Dependabot bumps every file); the newest kept pin wins.
 * Notes name their file.
 */
export function keptPinsOfFiles(files: readonly WorkflowText[], libraryPins: readonly ActionPin[]): KeptPins {
  const pins = new Map<string, ActionPin>();
  const notes: string[] = [];
  for (const file of files) {
    const kept = keptPins(file.text, libraryPins);
    for (const note of kept.notes) notes.push(`${file.path}: ${note}`);
    for (const [action, pin] of kept.pins) {
      const current = pins.get(action);
      if (!current || semver.gt(pin.version, current.version)) pins.set(action, pin);
    }
  }
  return { pins, notes };
}

/** The pins to write: the kept one where there is one, else the library's. */
export function effectivePins(libraryPins: readonly ActionPin[], kept: ReadonlyMap<string, ActionPin>): ActionPin[] {
  return libraryPins.map((p) => kept.get(p.action) ?? p);
}

/**
 * Adds a `# vX.Y.Z` comment to every `uses: owner/name@sha` of a rendered workflow whose SHA is one
 * of `pins` (projen renders `uses:` without comments; Dependabot needs them to update the version).
 * The parser finds the `uses:` values; only the end of their lines changes.
 */
export function addVersionComments(text: string, pins: readonly ActionPin[]): string {
  const byRef = new Map(pins.map((p) => [`${p.action}@${p.sha}`, p.version]));
  const versionAt = new Map<number, string>();
  YAML.visit(YAML.parseDocument(text), {
    Pair(_, pair) {
      if (!YAML.isScalar(pair.key) || pair.key.value !== 'uses' || !YAML.isScalar(pair.value) || pair.value.comment || !pair.value.range) return;
      const version = byRef.get(String(pair.value.value));
      if (version) versionAt.set(pair.value.range[0], version);
    },
  });
  let offset = 0;
  return text.split('\n').map((line) => {
    const [start, end] = [offset, offset + line.length];
    offset = end + 1;
    const at = [...versionAt.keys()].find((o) => o >= start && o < end);
    return at === undefined ? line : `${line} # ${versionAt.get(at)}`;
  }).join('\n');
}
