import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Contexts, ExpressionEvaluator, Value } from './expressions';
import { NeedsContext, runJob } from './job-runner';
import { actionsLibraries } from './libraries';
import { ParsedJob, parseWorkflowText } from './parse';
import { Conclusion, firstFailure, JobResult, WorkflowResult } from './result';
import { ActionStandIns } from './step-runner';

/** The run's `github` context as the caller knows it; the rest is derived. */
export interface GithubContextInput {
  /** `owner/name`. */
  readonly repository: string;
  /** The full ref, e.g. `refs/tags/v1.2.3`. */
  readonly ref: string;
  readonly sha: string;
  /** Default `push`. */
  readonly eventName?: string;
  /** Default `rehearse`. */
  readonly actor?: string;
  /** The event's payload (`github.event`). */
  readonly event?: Value;
}

/** What to rehearse and with what. */
export interface RehearseWorkflowOptions {
  /** The workflow file, as named in messages; its text is read from it unless `text` is given. */
  readonly file: string;
  readonly text?: string;
  /** The checked-out repository: `GITHUB_WORKSPACE` and every step's default working directory. */
  readonly workspace: string;
  /** Where jobs get their `RUNNER_TEMP` (each job a fresh directory in it, removed after the job). */
  readonly tempDir: string;
  readonly github: GithubContextInput;
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly inputs?: Readonly<Record<string, Value>>;
  /** Stand-ins for the actions the workflow uses; a step using any other fails. */
  readonly actions?: ActionStandIns;
  /** The env every step starts from (default: this process's, without `GITHUB_*` and `RUNNER_*`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives each output line of each step. */
  readonly onLine?: (job: string, step: string, line: string) => void;
}

/** The `github` context of a run. */
function githubContext(g: GithubContextInput, workspace: string): Record<string, Value> {
  const tag = /^refs\/tags\/(.+)$/.exec(g.ref);
  const branch = /^refs\/heads\/(.+)$/.exec(g.ref);
  return {
    repository: g.repository,
    repository_owner: g.repository.split('/')[0],
    ref: g.ref,
    ref_name: tag?.[1] ?? branch?.[1] ?? g.ref,
    ref_type: tag ? 'tag' : 'branch',
    sha: g.sha,
    event_name: g.eventName ?? 'push',
    event: g.event ?? {},
    actor: g.actor ?? 'rehearse',
    workspace,
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    run_id: '1',
    run_number: '1',
    run_attempt: '1',
    workflow: '',
    token: '',
  };
}

/** The runner's architecture as `RUNNER_ARCH` names it. */
function runnerArch(): string {
  return ({ x64: 'X64', arm64: 'ARM64', arm: 'ARM', ia32: 'X86' } as Record<string, string>)[os.arch()] ?? os.arch().toUpperCase();
}

/** The jobs in an order that runs each after its `needs`, in file order where free. */
function order(jobs: readonly ParsedJob[]): ParsedJob[] {
  const done = new Set<string>();
  const out: ParsedJob[] = [];
  const pending = [...jobs];
  while (pending.length > 0) {
    const i = pending.findIndex((j) => (j.model.needs ?? []).every((n) => done.has(n.value)));
    if (i < 0) throw new Error(`the needs of jobs ${pending.map((j) => j.id).join(', ')} form a cycle`);
    const [job] = pending.splice(i, 1);
    done.add(job.id);
    out.push(job);
  }
  return out;
}

/**
 * Runs a workflow file as it is on disk, one job after another in `needs` order, with GitHub's
 * parser and expression language: a job whose needs failed or were skipped is skipped unless its
 * `if:` calls a status function that lets it run; job outputs flow into `needs.<id>.outputs`.
 */
export async function rehearseWorkflow(opts: RehearseWorkflowOptions): Promise<WorkflowResult> {
  const libraries = await actionsLibraries();
  const text = opts.text ?? fs.readFileSync(opts.file, 'utf-8');
  const workflow = await parseWorkflowText(libraries, path.basename(opts.file), text);
  const evaluator = new ExpressionEvaluator(libraries, opts.workspace);
  const github = githubContext(opts.github, opts.workspace);
  const contexts: Contexts = {
    github,
    vars: { ...opts.vars },
    secrets: { GITHUB_TOKEN: '', ...opts.secrets },
    inputs: { ...opts.inputs },
    runner: {
      os: 'Linux',
      arch: runnerArch(),
      name: 'rehearse',
      environment: 'github-hosted',
      temp: opts.tempDir,
      tool_cache: path.join(opts.tempDir, 'tool-cache'),
    },
  };
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? process.env)) if (v !== undefined && !/^(GITHUB|RUNNER)_/.test(k)) baseEnv[k] = v;
  const runnerEnv: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_REPOSITORY: String(github.repository),
    GITHUB_REPOSITORY_OWNER: String(github.repository_owner),
    GITHUB_REF: String(github.ref),
    GITHUB_REF_NAME: String(github.ref_name),
    GITHUB_REF_TYPE: String(github.ref_type),
    GITHUB_SHA: String(github.sha),
    GITHUB_EVENT_NAME: String(github.event_name),
    GITHUB_ACTOR: String(github.actor),
    GITHUB_SERVER_URL: String(github.server_url),
    GITHUB_API_URL: String(github.api_url),
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: runnerArch(),
    RUNNER_NAME: 'rehearse',
    RUNNER_ENVIRONMENT: 'github-hosted',
  };
  const status = { success: true, failure: false };
  const workflowEnv: Record<string, string> = {};
  if (workflow.env && libraries.parser.isMapping(workflow.env)) {
    for (const pair of workflow.env) workflowEnv[String(pair.key)] = evaluator.tokenString(pair.value, { ...contexts, env: workflowEnv }, status);
  }

  const common = { libraries, evaluator, workspace: opts.workspace, tempDir: opts.tempDir, baseEnv, runnerEnv, contexts, workflowEnv };
  const shared = { ...common, workflowDefaults: workflow.defaultsRun };
  const results = new Map<string, JobResult>();
  const ancestorFailed = new Map<string, boolean>();
  const ran: JobResult[] = [];
  for (const job of order(workflow.jobs)) {
    const started = Date.now();
    const needIds = (job.model.needs ?? []).map((n) => n.value);
    const needs: NeedsContext = {};
    for (const n of needIds) needs[n] = { result: results.get(n)!.result, outputs: { ...results.get(n)!.outputs } };
    const failedBefore = needIds.some((n) => results.get(n)!.result === 'failure' || ancestorFailed.get(n));
    ancestorFailed.set(job.id, failedBefore);
    const jobStatus = { success: needIds.every((n) => results.get(n)!.result === 'success'), failure: failedBefore };
    const skip = (result: Conclusion, error?: string): JobResult => {
      return { id: job.id, result, seconds: (Date.now() - started) / 1000, outputs: {}, steps: [], error };
    };
    let result: JobResult;
    try {
      const condition = job.model.if?.expression ?? 'success()';
      const run = evaluator.condition(condition, { ...contexts, needs: needs as unknown as Value }, jobStatus);
      result = run
        ? await runJob(job, needs, { ...shared, actions: opts.actions ?? {}, onLine: opts.onLine })
        : skip('skipped');
    } catch (e) {
      result = skip('failure', `if: ${(e as Error).message}`);
    }
    results.set(job.id, result);
    ran.push(result);
  }
  const failure = firstFailure(ran);
  return { result: failure ? 'failure' : 'success', jobs: ran, firstFailure: failure };
}
