/** Thrown for a command line that cannot be run; main prints it as one line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A flag a command accepts: boolean, or taking one value. */
export interface FlagSpec {
  readonly name: string;
  readonly takesValue: boolean;
}

/** Parsed arguments: flags by name and positional arguments in order. */
export interface ParsedArgs {
  readonly flags: Record<string, string | boolean>;
  readonly positional: string[];
}

/** Parses `--flag value`, `--flag=value` and positionals; unknown flags are usage errors. */
export function parseArgs(command: string, argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`${command}: unknown flag "--${name}"; see "image-release ${command} --help"`);
    if (!spec.takesValue) {
      if (inline !== undefined) throw new UsageError(`${command}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${command}: --${name} needs a value`);
    flags[name] = value;
  }
  return { flags, positional };
}
