/** How a step or a job ended: GitHub's `success`, `failure` or `skipped`. */
export type Conclusion = 'success' | 'failure' | 'skipped';

/** Output lines a step's result keeps. */
export const KEPT_LINES = 20;

/** What one step did. */
export interface StepResult {
  /** The step's `id:`, or the id GitHub's parser gave it. */
  readonly id: string;
  /** The step's `name:`, or `Run <first line>` / `Run <action>` as GitHub shows it. */
  readonly name: string;
  /** The result before `continue-on-error`. */
  readonly outcome: Conclusion;
  /** The result after `continue-on-error`: a failed step that may fail is a success. */
  readonly conclusion: Conclusion;
  readonly outputs: Readonly<Record<string, string>>;
  /** The last output lines (at most {@link KEPT_LINES}); for a failure, its reason last. */
  readonly lastLines: readonly string[];
  /** What the step wrote to `GITHUB_STEP_SUMMARY` (empty when nothing). */
  readonly summary: string;
  readonly seconds: number;
}

/** What one job did. */
export interface JobResult {
  readonly id: string;
  readonly result: Conclusion;
  readonly seconds: number;
  /** The job's `outputs:`, evaluated after its steps. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly steps: readonly StepResult[];
  /** Why the job failed outside any step (its `if:` or `outputs:` did not evaluate), if so. */
  readonly error?: string;
}

/** What a workflow run did. */
export interface WorkflowResult {
  readonly result: 'success' | 'failure';
  /** The jobs in the order they ran (skipped ones where they would have). */
  readonly jobs: readonly JobResult[];
  /** The first failure as `job <id>, step "<name>": <last lines>`, if any. */
  readonly firstFailure?: string;
}

/** The first failure among the jobs, as `job <id>, step "<name>": <last lines>` (or `job <id>: <error>`). */
export function firstFailure(jobs: readonly JobResult[]): string | undefined {
  for (const job of jobs) {
    if (job.result !== 'failure') continue;
    if (job.error) return `job ${job.id}: ${job.error}`;
    const step = job.steps.find((s) => s.outcome === 'failure' && s.conclusion === 'failure');
    if (step) return `job ${job.id}, step "${step.name}": ${step.lastLines.join('\n')}`;
    return `job ${job.id}: failed`;
  }
  return undefined;
}
