import * as fs from 'fs';
import * as path from 'path';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index' with { 'resolution-mode': 'import' };
import { asString, Contexts, ExpressionEvaluator, Status, Value } from './expressions';
import { ActionsLibraries } from './libraries';
import { ParsedJob, ParsedStep } from './parse';
import { Conclusion, JobResult, KEPT_LINES, StepResult } from './result';
import { readKeyValueFile, readPathFile } from './runner-files';
import { actionName, ActionStandIns, runScript } from './step-runner';

/** What every job of a run shares. */
export interface JobEnvironment {
  readonly libraries: ActionsLibraries;
  readonly evaluator: ExpressionEvaluator;
  readonly workspace: string;
  /** Where each job gets its `RUNNER_TEMP` and runner files. */
  readonly tempDir: string;
  /** The process env every step starts from (the machine's, without the runner's own variables). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** The runner's variables (`CI`, `GITHUB_*`, `RUNNER_*`), which no `env:` overrides. */
  readonly runnerEnv: Readonly<Record<string, string>>;
  /** The contexts of every expression: `github`, `vars`, `secrets`, `inputs`, `runner`. */
  readonly contexts: Contexts;
  /** The workflow-level `env:`, evaluated. */
  readonly workflowEnv: Readonly<Record<string, string>>;
  /** The workflow-level `defaults.run`. */
  readonly workflowDefaults?: TemplateToken;
  readonly actions: ActionStandIns;
  /** Receives each output line of each step. */
  readonly onLine?: (job: string, step: string, line: string) => void;
}

/** The `needs` context of a job: each direct dependency's result and outputs. */
export type NeedsContext = Record<string, { result: Conclusion; outputs: Record<string, string> }>;

/** A step's result as the `steps` context holds it. */
interface StepState {
  outputs: Record<string, string>;
  outcome: Conclusion;
  conclusion: Conclusion;
}

/** A mapping token's entries, with their keys as strings. */
function entries(libraries: ActionsLibraries, token: TemplateToken | undefined): Array<[string, TemplateToken]> {
  if (!token || !libraries.parser.isMapping(token)) return [];
  return [...token].map((pair) => [String(pair.key), pair.value]);
}

/** The value under `key` of a mapping token, if it is one. */
function child(libraries: ActionsLibraries, token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return token && libraries.parser.isMapping(token) ? token.find(key) : undefined;
}

/**
 * Runs the steps of one job in order, as GitHub's runner does: each step's `if:` decides (a failed
 * step fails the job's status unless `continue-on-error`), `run:` steps run as scripts with the
 * runner files, `uses:` steps go to the caller's stand-ins; then the job's `outputs:` are evaluated.
 */
export async function runJob(job: ParsedJob, needs: NeedsContext, env: JobEnvironment): Promise<JobResult> {
  const started = Date.now();
  const { libraries, evaluator } = env;
  const jobTemp = fs.mkdtempSync(path.join(env.tempDir, `${job.id}-`));
  const runnerEnv = { ...env.runnerEnv, GITHUB_JOB: job.id, RUNNER_TEMP: jobTemp };
  const steps: Record<string, StepState> = {};
  const results: StepResult[] = [];
  const setEnv: Record<string, string> = {};
  const addedPath: string[] = [];
  let failed = false;
  const contexts = (envContext: Record<string, string>): Contexts => ({
    ...env.contexts,
    runner: { ...(env.contexts.runner as Record<string, Value>), temp: jobTemp },
    github: { ...(env.contexts.github as Record<string, Value>), job: job.id },
    needs: needs as unknown as Value,
    steps: steps as unknown as Value,
    job: { status: failed ? 'failure' : 'success' },
    matrix: {},
    strategy: { 'fail-fast': true, 'job-index': 0, 'job-total': 1, 'max-parallel': 1 },
    env: envContext,
  });
  const status = (): Status => ({ success: !failed, failure: failed });

  const jobEnv: Record<string, string> = {};
  try {
    for (const [name, value] of entries(libraries, job.model.env)) {
      jobEnv[name] = evaluator.tokenString(value, contexts({ ...env.workflowEnv, ...jobEnv }), status());
    }
  } catch (e) {
    const error = `env: ${(e as Error).message}`;
    return { id: job.id, result: 'failure', seconds: (Date.now() - started) / 1000, outputs: {}, steps: [], error };
  }
  const jobDefaults = child(libraries, job.raw.find('defaults'), 'run');
  // The job's time limit (GitHub's default: 360 minutes); once it passes, no further step runs.
  let jobTimeout = 360;
  try {
    const token = job.raw.find('timeout-minutes');
    if (token) jobTimeout = Number(evaluator.token(token, contexts({ ...env.workflowEnv, ...jobEnv }), status()));
  } catch (e) {
    return { id: job.id, result: 'failure', seconds: (Date.now() - started) / 1000, outputs: {}, steps: [], error: `timeout-minutes: ${(e as Error).message}` };
  }
  const deadline = started + jobTimeout * 60_000;
  let jobTimedOut = false;

  for (const step of job.steps) {
    const stepStarted = Date.now();
    const name = stepName(libraries, evaluator, step, contexts({ ...env.workflowEnv, ...jobEnv, ...setEnv }), status());
    const id = step.model.id;
    let summary = '';
    const finish = (outcome: Conclusion, lines: readonly string[], outputs: Record<string, string>, continueOnError = false) => {
      const conclusion: Conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
      if (conclusion === 'failure') failed = true;
      steps[id] = { outputs, outcome, conclusion };
      const seconds = (Date.now() - stepStarted) / 1000;
      results.push({ id, name, outcome, conclusion, outputs, lastLines: lines.slice(-KEPT_LINES), summary, seconds });
    };
    const envContext = { ...env.workflowEnv, ...jobEnv, ...setEnv };
    let run: boolean;
    try {
      run = evaluator.condition(step.model.if?.expression ?? 'success()', contexts(envContext), status());
    } catch (e) {
      finish('failure', [`if: ${(e as Error).message}`], {});
      continue;
    }
    if (!run || jobTimedOut) {
      finish('skipped', [], {});
      continue;
    }
    let continueOnError = false;
    const files = {
      GITHUB_OUTPUT: path.join(jobTemp, `${id}-output`),
      GITHUB_ENV: path.join(jobTemp, `${id}-env`),
      GITHUB_PATH: path.join(jobTemp, `${id}-path`),
      GITHUB_STEP_SUMMARY: path.join(jobTemp, `${id}-summary`),
    };
    try {
      const coe = step.model['continue-on-error'];
      const coeValue = typeof coe === 'boolean' || coe === undefined ? coe : evaluator.token(coe, contexts(envContext), status());
      continueOnError = coeValue === true || coeValue === 'true';
      const stepEnv: Record<string, string> = {};
      for (const [k, v] of entries(libraries, 'env' in step.model ? step.model.env : undefined)) stepEnv[k] = evaluator.tokenString(v, contexts(envContext), status());
      const ctx = contexts({ ...envContext, ...stepEnv });
      for (const file of Object.values(files)) fs.writeFileSync(file, '');
      const basePath = env.baseEnv.PATH ?? '/usr/local/bin:/usr/bin:/bin';
      const processEnv: Record<string, string> = {
        ...env.baseEnv,
        ...envContext,
        ...stepEnv,
        ...runnerEnv,
        ...files,
        GITHUB_ACTION: id,
        PATH: [...[...addedPath].reverse(), basePath].join(path.delimiter),
      };
      let outcome: Conclusion;
      let lines: readonly string[];
      let outputs: Record<string, string> = {};
      if ('run' in step.model) {
        const script = evaluator.tokenString(step.model.run, ctx, status());
        const raw = (key: string) => step.raw.find(key) ?? child(libraries, jobDefaults, key) ?? child(libraries, env.workflowDefaults, key);
        const shellToken = raw('shell');
        const dirToken = raw('working-directory');
        const timeoutToken = step.raw.find('timeout-minutes');
        const stepTimeout = timeoutToken ? Number(evaluator.token(timeoutToken, ctx, status())) : Infinity;
        const jobLeft = Math.max(0, deadline - Date.now()) / 60_000;
        const r = await runScript({
          script,
          shell: shellToken ? evaluator.tokenString(shellToken, ctx, status()) : undefined,
          env: processEnv,
          cwd: dirToken ? path.resolve(env.workspace, evaluator.tokenString(dirToken, ctx, status())) : env.workspace,
          tempDir: jobTemp,
          timeoutMinutes: Math.min(stepTimeout, jobLeft),
          onLine: (line) => env.onLine?.(job.id, name, line),
        });
        lines = r.lines.filter((l) => l.trim() !== '');
        if (r.timedOut) {
          outcome = 'failure';
          jobTimedOut = stepTimeout > jobLeft;
          lines = [...lines, jobTimedOut ? `The job exceeded its time limit of ${jobTimeout} minutes.` : `The step timed out after ${stepTimeout} minutes.`];
        } else if (r.exitCode !== 0) {
          outcome = 'failure';
          lines = [...lines, `Process completed with exit code ${r.exitCode}.`];
        } else {
          outcome = 'success';
        }
      } else if ('uses' in step.model) {
        const action = actionName(step.model.uses.value);
        const standIn = env.actions[action];
        if (!standIn) {
          finish('failure', [`step "${name}" uses ${action}, which has no stand-in in the rehearsal`], {}, continueOnError);
          continue;
        }
        const inputs: Record<string, string> = {};
        for (const [k, v] of entries(libraries, step.raw.find('with'))) inputs[k] = evaluator.tokenString(v, ctx, status());
        outputs = { ...((await standIn({ inputs, env: processEnv, workspace: env.workspace })) ?? {}) };
        outcome = 'success';
        lines = [];
      } else {
        finish('failure', [`step "${name}" is neither run: nor uses:`], {}, continueOnError);
        continue;
      }
      outputs = { ...outputs, ...readKeyValueFile(files.GITHUB_OUTPUT, `GITHUB_OUTPUT of step "${name}"`) };
      Object.assign(setEnv, readKeyValueFile(files.GITHUB_ENV, `GITHUB_ENV of step "${name}"`));
      addedPath.push(...readPathFile(files.GITHUB_PATH));
      summary = fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf-8');
      finish(outcome, lines, outputs, continueOnError);
    } catch (e) {
      finish('failure', [(e as Error).message], {}, continueOnError);
    }
  }

  const outputs: Record<string, string> = {};
  let error: string | undefined;
  try {
    const ctx = contexts({ ...env.workflowEnv, ...jobEnv, ...setEnv });
    for (const [name, value] of entries(libraries, job.model.outputs)) outputs[name] = asString(evaluator.token(value, ctx, status()));
  } catch (e) {
    error = `outputs: ${(e as Error).message}`;
  }
  fs.rmSync(jobTemp, { recursive: true, force: true });
  return { id: job.id, result: failed || error ? 'failure' : 'success', seconds: (Date.now() - started) / 1000, outputs, steps: results, error };
}

/** A step's name as GitHub shows it: its `name:`, or `Run <first line of run:>`, or `Run <uses:>`. */
function stepName(libraries: ActionsLibraries, evaluator: ExpressionEvaluator, step: ParsedStep, contexts: Contexts, status: Status): string {
  if (step.model.name) {
    try {
      return evaluator.tokenString(step.model.name, contexts, status);
    } catch {
      return step.model.name.toString();
    }
  }
  if ('run' in step.model) {
    const run = step.model.run;
    const p = libraries.parser;
    const text = p.isString(run) ? run.value : p.isBasicExpression(run) && run.source !== undefined ? run.source : run.toString();
    return `Run ${text.split('\n')[0]}`;
  }
  if ('uses' in step.model) return `Run ${step.model.uses.value}`;
  return step.model.id;
}
