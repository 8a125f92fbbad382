import { Project } from 'projen';
import { Problems } from '../model/problems';

/**
 * The values of a list-valued flag that `projen new` drops. With `--from`, projen parses the
 * command line before it knows the project type's options, so `--platforms linux/amd64
 * linux/arm64` gives `platforms: ["linux/amd64"]` and leaves `linux/arm64` as a positional
 * argument, which nothing reads; a repeated flag (`--platforms a --platforms b`) keeps every value.
 */
export interface DroppedValues {
  /** The flag, without dashes. */
  readonly flag: string;
  /** The values projen keeps. */
  readonly kept: readonly string[];
  /** The values that follow one of them, separated by spaces, and are lost. */
  readonly dropped: readonly string[];
}

/**
 * Reads `argv` (the arguments after `projen`) as projen's parser does and returns, per list-valued
 * flag in `switches`, the space-separated values it drops. Words in `positionals` (`new`, the project
 * type) are projen's own positional arguments, not values. Pure.
 */
export function droppedListValues(argv: readonly string[], switches: readonly string[], positionals: readonly string[]): DroppedValues[] {
  const found = new Map<string, { kept: string[]; dropped: string[] }>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !switches.includes(m[1])) continue;
    const entry = found.get(m[1]) ?? { kept: [], dropped: [] };
    found.set(m[1], entry);
    let next = i + 1;
    if (m[2] !== undefined) {
      entry.kept.push(m[2]);
    } else if (next < argv.length && !argv[next].startsWith('-')) {
      entry.kept.push(argv[next]);
      next++;
    }
    for (; next < argv.length && !argv[next].startsWith('-'); next++) {
      if (!positionals.includes(argv[next])) entry.dropped.push(argv[next]);
    }
    i = next - 1;
  }
  return [...found].filter(([, e]) => e.dropped.length > 0).map(([flag, e]) => ({ flag, kept: e.kept, dropped: e.dropped }));
}

/** One line naming a flag whose values projen drops, and the form that keeps them all. */
export function droppedValuesProblem(d: DroppedValues): string {
  const all = [...d.kept, ...d.dropped];
  return `--${d.flag}: projen new keeps only ${d.kept.map((v) => `"${v}"`).join(', ') || 'nothing'} of ${all.map((v) => `"${v}"`).join(' ')} (values separated by spaces are dropped); `
    + `repeat the flag for each value: ${all.map((v) => `--${d.flag} ${v}`).join(' ')}`;
}

/** What projen's inventory says of one option of a project type. */
interface InventoryOption {
  readonly switch: string;
  readonly jsonLike?: boolean;
  readonly type?: { readonly collection?: { readonly kind?: string; readonly elementtype?: { readonly primitive?: string } } };
}

/**
 * When `projen new` is creating `project`, fails naming every list-valued flag of its project type
 * (`--platforms`, and projen's own such as `--deps`) whose values projen dropped from the command
 * line, before anything is written.
 * @throws ModelError one line per flag
 */
export function assertNoDroppedListValues(project: Project, argv: readonly string[] = process.argv.slice(2)): void {
  const init = project.initProject;
  if (!init) return;
  // projen's inventory describes each option with its command-line switch and jsii type.
  const options = ((init.type as { options?: unknown }).options ?? []) as readonly InventoryOption[];
  const switches = options
    .filter((o) => o.jsonLike && o.type?.collection?.kind === 'array' && ['string', 'number'].includes(o.type.collection.elementtype?.primitive ?? ''))
    .map((o) => o.switch);
  const p = new Problems();
  for (const d of droppedListValues(argv, switches, ['new', init.type.pjid])) p.addLine(droppedValuesProblem(d));
  p.throwIfAny();
}
