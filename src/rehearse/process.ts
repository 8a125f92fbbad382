import { ChildProcess, spawn, spawnSync } from 'child_process';

/** Thrown when rehearse cannot run (a missing tool, a failed build); the CLI exits 2. */
export class RehearseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RehearseError';
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
  /** Receives the command's stderr lines (progress). */
  readonly progress: (line: string) => void;
  readonly input?: string;
}

/**
 * Runs a command, streaming its output lines to `progress`; rejects with the command and the last
 * lines of its output when it fails.
 */
export function run(command: string, args: readonly string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    const tail: string[] = [];
    let stdout = '';
    const onLines = (chunk: Buffer, keep: boolean) => {
      const text = chunk.toString();
      if (keep) stdout += text;
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > 15) tail.shift();
        if (!keep) opts.progress(`  ${line}`);
      }
    };
    child.stdout.on('data', (c: Buffer) => onLines(c, true));
    child.stderr.on('data', (c: Buffer) => onLines(c, false));
    child.on('error', (e) => reject(new RehearseError(`${command}: ${e.message}`)));
    child.on('close', (code) => {
      running.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new RehearseError(`${command} ${args.slice(0, 3).join(' ')} ... failed (exit ${code}):\n${tail.map((l) => `  ${l}`).join('\n')}`));
    });
    child.stdin.end(opts.input ?? '');
  });
}
