/**
 * How model problems are collected and shown: one line per problem, naming the option path, the
 * value as the user wrote it and what is allowed.
 */

/** An enum as the model's option checks know it: its name and its members. */
export interface EnumInfo {
  readonly name: string;
  readonly members: Readonly<Record<string, string>>;
}

/**
 * An error in what the user wrote (the model, the Dockerfile, another workflow): its stack is the
 * message and the line of `.projenrc` that made the ImageRelease, not frames inside this library,
 * which would only hide the message.
 */
export class ImageReleaseError extends Error {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, 'stack', { value: `${this.name}: ${message}${userFrame(new Error().stack ?? '')}`, enumerable: false, writable: true });
  }
}
Object.defineProperty(ImageReleaseError.prototype, 'name', { value: 'ImageReleaseError', enumerable: false, writable: true });

/** The first stack frame outside this package, projen, constructs and Node itself (the user's `.projenrc`), as a stack line. */
function userFrame(stack: string): string {
  const ours = /[\\/](projen-image-release|projen|constructs)[\\/]|[\\/](src|lib)[\\/](model|projen|dockerfile|image-release|workflow|tags|plan|publishers|projects|chart)|node:internal|\(internal\/|node_modules[\\/](ts-node|source-map-support|jest)/;
  const frame = stack.split('\n').slice(1).find((l) => /^\s+at /.test(l) && !ours.test(l));
  return frame ? `\n${frame}` : '';
}

/** Thrown when the model has invalid values. The message lists every problem, one per line. */
export class ModelError extends ImageReleaseError {
  /** The problems, one line each. */
  public readonly problems!: readonly string[];

  constructor(problems: readonly string[]) {
    super(`ImageRelease: invalid options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    // Not enumerable, so that Node does not print the list a second time after the message.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
  }
}
Object.defineProperty(ModelError.prototype, 'name', { value: 'ModelError', enumerable: false, writable: true });

/** Collects problems while resolving, so that the user sees all of them at once. */
export class Problems {
  public readonly list: string[] = [];

  /** Adds `<field>: <value as written> <what is allowed>`. */
  public add(field: string, value: unknown, allowed: string, e?: EnumInfo): void {
    this.list.push(`${field}: ${show(value, e)} ${allowed}`);
  }

  /** Adds a line as it is (for problems that name two options). */
  public addLine(line: string): void {
    this.list.push(line);
  }

  /** Throws a {@link ModelError} when anything was added. */
  public throwIfAny(): void {
    if (this.list.length > 0) throw new ModelError(this.list);
  }
}

/**
 * A value as the user wrote it: strings quoted, `NaN` and `Infinity` as such, an enum member by
 * its TypeScript name (`ReleaseTrigger.TAG_PUSH`), objects as short JSON.
 */
export function show(value: unknown, e?: EnumInfo): string {
  if (e && typeof value === 'string') {
    const member = Object.entries(e.members).find(([, v]) => v === value);
    if (member) return `${e.name}.${member[0]}`;
  }
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return Object.prototype.toString.call(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** The path of a map entry: `field.key`, or `field["key"]` when the key is not a plain name. */
export function keyPath(field: string, key: string): string {
  if (field === '') return key;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}

/** The kind of a value, for "got a string" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'undefined' : `a ${t}`;
}

/** Every member of an enum, as `Name.MEMBER`. */
export function enumMembers(e: EnumInfo): string {
  return Object.keys(e.members).map((k) => `${e.name}.${k}`).join(', ');
}

/** The known name closest to a misspelt one, if any is close enough. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
