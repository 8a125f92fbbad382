import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** What an action's stand-in gets: the step's evaluated `with:` inputs, its env, and the workspace. */
export interface ActionCall {
  readonly inputs: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly workspace: string;
}

/**
 * A local stand-in for an action (`uses:`): does the action's work and returns its outputs, or
 * throws to fail the step (the error's message is the step's last line).
 */
export type ActionStandIn = (call: ActionCall) => Promise<Record<string, string> | void> | Record<string, string> | void;

/** Stand-ins by action name, without the `@ref` (`actions/checkout`, `docker/login-action`). */
export type ActionStandIns = Readonly<Record<string, ActionStandIn>>;

/** The action a `uses:` names, without its `@ref`. */
export function actionName(uses: string): string {
  const at = uses.lastIndexOf('@');
  return at > 0 ? uses.slice(0, at) : uses;
}

/** What a `run:` step's process did. */
export interface ScriptOutcome {
  /** The exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** Every output line, stdout and stderr as they came. */
  readonly lines: readonly string[];
}

/** How to run a `run:` step's script. */
export interface ScriptOptions {
  readonly script: string;
  /** The step's `shell:` (or the job's or workflow's `defaults.run.shell`); none means GitHub's Linux default. */
  readonly shell?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Where the script file is written (`RUNNER_TEMP`). */
  readonly tempDir: string;
  /** Kills the step's process group after this many minutes. */
  readonly timeoutMinutes?: number;
  /** Receives each output line as it arrives. */
  readonly onLine?: (line: string) => void;
}

/**
 * The command line GitHub's runner uses for a script file on Linux: `bash -e {0}` without a shell,
 * `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`, `sh -e {0}`, `python {0}`,
 * `pwsh -command ". '{0}'"`, or a custom shell's own template with `{0}`.
 */
export function shellCommand(shell: string | undefined, scriptFile: string): string[] {
  switch (shell) {
    case undefined:
    case '':
      return ['bash', '-e', scriptFile];
    case 'bash':
      return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', scriptFile];
    case 'sh':
      return ['sh', '-e', scriptFile];
    case 'python':
      return ['python', scriptFile];
    case 'pwsh':
      return ['pwsh', '-command', `. '${scriptFile}'`];
    default: {
      const parts = shell.trim().split(/\s+/);
      if (!parts.includes('{0}')) parts.push('{0}');
      return parts.map((p) => p.replace('{0}', scriptFile));
    }
  }
}

/** The script file's extension, which some shells need. */
function extension(shell: string | undefined): string {
  if (shell === 'python') return '.py';
  if (shell === 'pwsh' || shell === 'powershell') return '.ps1';
  return '.sh';
}

/**
 * Writes a `run:` step's script to a file in the temp dir and runs it with GitHub's shell rules in
 * its own process group, killed (SIGKILL) when the step's timeout passes.
 */
export function runScript(opts: ScriptOptions): Promise<ScriptOutcome> {
  const file = path.join(opts.tempDir, `${crypto.randomUUID()}${extension(opts.shell)}`);
  fs.writeFileSync(file, opts.script);
  const [command, ...args] = shellCommand(opts.shell, file);
  return new Promise((resolve) => {
    const lines: string[] = [];
    let timedOut = false;
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const timer = opts.timeoutMinutes !== undefined ? setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMinutes * 60_000) : undefined;
    const reader = () => {
      let partial = '';
      return {
        data: (chunk: Buffer) => {
          const parts = (partial + chunk.toString()).split('\n');
          partial = parts.pop()!;
          for (const line of parts) {
            lines.push(line);
            opts.onLine?.(line);
          }
        },
        end: () => {
          if (partial !== '') {
            lines.push(partial);
            opts.onLine?.(partial);
          }
        },
      };
    };
    const out = reader();
    const err = reader();
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    let finished = false;
    const finish = (exitCode: number | null, error?: Error) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      out.end();
      err.end();
      if (error) lines.push(`${command}: ${error.message}`);
      fs.rmSync(file, { force: true });
      resolve({ exitCode, timedOut, lines });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}
