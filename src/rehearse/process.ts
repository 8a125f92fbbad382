import { ChildProcess, spawn, spawnSync } from 'child_process';

/** Thrown when rehearse cannot run (a missing tool, a failed build); the CLI exits 2. */
export class RehearseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RehearseError';
  }
}

/** A command that exited non-zero: its exit code and the last lines of its output, both streams. */
export class CommandError extends RehearseError {
  constructor(message: string, public readonly exitCode: number | null, public readonly output: readonly string[]) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Commands started by {@link run} that are still running. */
const running = new Set<ChildProcess>();

/** Stops every command {@link run} started that is still running (on interrupt). */
export function stopRunningCommands(): void {
  for (const child of running) child.kill('SIGTERM');
  running.clear();
}

/** Whether a command is on the PATH. */
export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v "${command}"`], { stdio: 'ignore' }).status === 0;
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Receives every non-blank output line, stdout and stderr, as it arrives. */
  readonly onLine?: (line: string) => void;
  readonly input?: string;
  /** Stops the command (SIGTERM) when aborted. */
  readonly signal?: AbortSignal;
  /** The command's name in a failure message (default: the command and its first argument). */
  readonly name?: string;
}

/** Output lines a failed command keeps for its error. */
const KEPT_LINES = 200;

/**
 * Runs a command; resolves with its stdout. Rejects with a {@link CommandError} whose message is one
 * line (the command and its last `Error:` line, or its last line) when it exits non-zero.
 */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CommandError(`${opts.name ?? command} was not started: stopped`, null, []));
    const child = spawn(command, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    const onAbort = () => child.kill('SIGTERM');
    opts.signal?.addEventListener('abort', onAbort);
    const output: string[] = [];
    let stdout = '';
    const lineReader = (keep: boolean) => {
      let partial = '';
      const take = (line: string) => {
        if (line.trim() === '') return;
        output.push(line);
        if (output.length > KEPT_LINES) output.shift();
        opts.onLine?.(line);
      };
      return {
        data: (chunk: Buffer) => {
          const text = chunk.toString();
          if (keep) stdout += text;
          const lines = (partial + text).split('\n');
          partial = lines.pop()!;
          lines.forEach(take);
        },
        end: () => take(partial),
      };
    };
    const out = lineReader(true);
    const err = lineReader(false);
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    child.on('error', (e) => reject(new RehearseError(`${command}: ${e.message}`)));
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      running.delete(child);
      opts.signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolve(stdout);
      const name = opts.name ?? `${command} ${args[0] ?? ''}`.trim();
      const last = [...output].reverse().find((l) => /^Error: /.test(l))?.replace(/^Error: /, '') ?? output[output.length - 1];
      const how = code === null ? `stopped by ${signal}` : `exit ${code}`;
      reject(new CommandError(`${name} failed (${how})${last ? `: ${last}` : ''}`, code, output));
    });
    child.stdin.end(opts.input ?? '');
  });
}
