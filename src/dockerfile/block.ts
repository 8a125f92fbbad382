import { BUILD_ARGS } from '../model/labels';
import { ImageReleaseError } from '../model/problems';

/** The first line of the managed block (a line starting with this text). */
export const BEGIN_MARKER = '# BEGIN projen-image-release';
/** The last line of the managed block. */
export const END_MARKER = '# END projen-image-release';

/**
 * The lines of the managed block: the per-build ARGs and every OCI label, in one LABEL instruction
 * (one layer of metadata, and a changing BUILD_DATE invalidates nothing after it).
 */
export function blockLines(labels: ReadonlyArray<readonly [string, string]>): string[] {
  const entries: string[] = [
    ...BUILD_ARGS.map((a) => `${a.label}="\${${a.arg}}"`),
    ...labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`),
  ];
  return [
    `${BEGIN_MARKER}: generated from .projenrc.ts by "npx projen"; edit the model, not these lines`,
    ...BUILD_ARGS.map((a) => `ARG ${a.arg}`),
    ...entries.map((e, i) => `${i === 0 ? 'LABEL ' : '      '}${e}${i < entries.length - 1 ? ' \\' : ''}`),
    END_MARKER,
  ];
}

/** Escapes a value for a double-quoted Dockerfile LABEL value. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"$]/g, (c) => `\\${c}`);
}

/** Thrown when the Dockerfile cannot take the block; the file is left untouched. */
export class DockerfileError extends ImageReleaseError {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

interface Line {
  /** The line's text without its line ending. */
  readonly text: string;
  /** The line ending as found (`\n`, `\r\n` or `` for a last line without one). */
  readonly eol: string;
}

function splitLines(content: string): Line[] {
  const out: Line[] = [];
  const re = /([^\n]*?)(\r?\n|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < content.length && (m = re.exec(content)) !== null) {
    out.push({ text: m[1], eol: m[2] });
  }
  return out;
}

const FROM = /^\s*FROM\s/i;

/**
 * Puts the block into a Dockerfile and returns the new content. Everything outside the markers is
 * kept byte for byte; the block uses the file's own line ending. A file without a block gets it
 * appended at its end, which is inside the final stage (after the last `FROM`) and as late as
 * possible, so that a changing `BUILD_DATE` invalidates no cached step. Broken markers, a block outside the final stage
 * or a file without `FROM` throw {@link DockerfileError}.
 * @param file the file's path, for messages
 */
export function spliceBlock(file: string, content: string, block: readonly string[]): string {
  const lines = splitLines(content);
  const eol = lines.find((l) => l.eol !== '')?.eol ?? '\n';
  const begins = indexesOf(lines, (t) => t.trim().startsWith(BEGIN_MARKER));
  const ends = indexesOf(lines, (t) => t.trim().startsWith(END_MARKER));
  const froms = indexesOf(lines, (t) => FROM.test(t));
  const lineNo = (i: number) => `line ${i + 1}`;
  if (froms.length === 0) throw new DockerfileError(file, 'has no FROM instruction; the OCI label block belongs in the final stage');
  if (begins.length > 1 || ends.length > 1) {
    throw new DockerfileError(file, `has ${begins.length} "${BEGIN_MARKER}" and ${ends.length} "${END_MARKER}" markers (${[...begins, ...ends].map(lineNo).join(', ')}); keep exactly one block`);
  }
  if (begins.length !== ends.length) {
    const [found, missing] = begins.length === 1 ? [`"${BEGIN_MARKER}" at ${lineNo(begins[0])}`, END_MARKER] : [`"${END_MARKER}" at ${lineNo(ends[0])}`, BEGIN_MARKER];
    throw new DockerfileError(file, `has ${found} but no "${missing}"; restore the missing marker or delete the whole block to have it re-inserted`);
  }
  let start: number;
  let end: number; // exclusive
  if (begins.length === 1) {
    [start, end] = [begins[0], ends[0] + 1];
    if (end <= start) throw new DockerfileError(file, `"${END_MARKER}" (${lineNo(ends[0])}) comes before "${BEGIN_MARKER}" (${lineNo(begins[0])})`);
    const laterFrom = froms.find((f) => f > start);
    if (laterFrom !== undefined) {
      throw new DockerfileError(file, `the label block (${lineNo(start)}) is not in the final stage: FROM at ${lineNo(laterFrom)} comes after it; move the block below the last FROM`);
    }
  } else {
    // As late as possible: a changing BUILD_DATE invalidates the cache of every step after its ARG.
    [start, end] = [lines.length, lines.length];
  }
  const before = lines.slice(0, start);
  const after = lines.slice(end);
  const head = joinLines(before);
  // A FROM on the last line without a line ending needs one before the block.
  const sep = before.length > 0 && before[before.length - 1].eol === '' ? eol : '';
  // The block's last line ends like the END marker it replaces (a file may end without a newline).
  const tailEol = after.length === 0 && begins.length === 1 ? lines[end - 1].eol : eol;
  const blockText = block.map((l, i) => l + (i < block.length - 1 ? eol : tailEol)).join('');
  return head + sep + blockText + joinLines(after);
}

function indexesOf(lines: Line[], pred: (text: string) => boolean): number[] {
  return lines.flatMap((l, i) => (pred(l.text) ? [i] : []));
}

function joinLines(lines: Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}
