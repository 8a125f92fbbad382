#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './args';
import { CliEnvironment, processEnvironment } from './common';

/** Exit codes of every subcommand. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage: image-release <command> [options]

Commands:
  plan <tag>     print the tags, version and labels a release will produce (see "plan --help")
  verify <tag>   check a published release in its registry against the model (see "verify --help")
  rehearse <tag> build, push to a local registry and verify, before the tag exists (see "rehearse --help")
  prune          delete old versions of the image's GitHub package, never a kept image's part (see "prune --help")
  version        print the version of projen-image-release
  help           print this help

Options:
  --version, -v  same as "version"
  --help, -h     same as "help"

The release pipeline itself is synthesized by projen: add ImageRelease to .projenrc.ts and run "npx projen".`;

/** A subcommand: runs with its arguments and returns the exit code. */
type Command = (argv: readonly string[], env: CliEnvironment, out: (s: string) => void) => number | Promise<number>;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The subcommands, each loaded when it is dispatched: a command's module brings its libraries
 * (registry client, YAML, tar, ...), which the other commands do not need at start.
 */
const COMMANDS: Readonly<Record<string, () => Command>> = {
  plan: () => (require('./plan') as typeof import('./plan')).runPlan,
  verify: () => (require('./verify') as typeof import('./verify')).runVerify,
  rehearse: () => (require('./rehearse') as typeof import('./rehearse')).runRehearse,
  prune: () => (require('./prune') as typeof import('./prune')).runPruneCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
  return manifest.version;
}

/** Runs the CLI with the given arguments; returns the exit code. Output goes to the given streams. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const load = command !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load !== undefined) return await load()(rest, processEnvironment(), out);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`image-release ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
  if (rest.length > 0) {
    err(`image-release: unexpected argument "${rest[0]}"; see "image-release --help"`);
    return EXIT.usage;
  }
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return EXIT.ok;
    case 'version':
    case '--version':
    case '-v':
      out(`projen-image-release ${packageVersion()}`);
      return EXIT.ok;
    default:
      err(`image-release: unknown command "${command}"; see "image-release --help"`);
      return EXIT.usage;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`image-release: ${e?.stack ?? e}\n`); process.exitCode = 2; },
  );
}
