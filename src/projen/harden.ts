import { github, IResolver } from 'projen';
import * as YAML from 'yaml';
import { choosePin, editWorkflowText, TextEdit } from '../workflow/kept-pins';
import { ActionPin, usesRef } from '../workflow/pins';

/**
 * Hardening of the jobs projen itself generates, and of the image jobs inside projen's release
 * workflow. Only those jobs: a job the user added to a projen workflow, and every workflow the
 * user wrote, are left byte for byte as they are.
 */

/** projen's own jobs, by workflow name (projen 0.103: build, release, upgrade, pull-request-lint, ...). */
const PROJEN_JOBS: ReadonlyArray<{ readonly workflow: RegExp; readonly jobs: RegExp }> = [
  { workflow: /^build$/, jobs: /^(build|self-mutation|package-(js|java|python|dotnet|go))$/ },
  { workflow: /^release(-.+)?$/, jobs: /^(release|release_(github|npm|maven|pypi|nuget|golang))$/ },
  { workflow: /^upgrade(-.+)?$/, jobs: /^(upgrade|pr)$/ },
  { workflow: /^pull-request-lint$/, jobs: /^(validate|contributorStatement)$/ },
  { workflow: /^stale$/, jobs: /^stale$/ },
  { workflow: /^auto-approve$/, jobs: /^approve$/ },
  { workflow: /^auto-queue$/, jobs: /^enableAutoQueue$/ },
  { workflow: /^dependency-review$/, jobs: /^dependency-review$/ },
  { workflow: /^backport$/, jobs: /^backport$/ },
];

/** Whether a job of a projen workflow is one projen generates. */
export function isProjenJob(workflow: string, jobId: string): boolean {
  return PROJEN_JOBS.some((j) => j.workflow.test(workflow) && j.jobs.test(jobId));
}

/** A step as projen holds it (wire-like keys). */
type Step = github.workflows.JobStep;

/** Runs that use the checkout's git credentials later in the job, or an action that pushes with them. */
function needsGitCredentials(step: Step): boolean {
  if (typeof step.run === 'string' && /\bgit\s+(push|fetch|pull|ls-remote|clone|remote\s+update)\b/.test(step.run)) return true;
  return typeof step.uses === 'string' && step.uses.startsWith('peter-evans/create-pull-request@');
}

function isCheckout(step: Step): boolean {
  return typeof step.uses === 'string' && step.uses.startsWith('actions/checkout@');
}

/**
 * projen's scripts quote neither `$GITHUB_OUTPUT` nor `$TAG` (shellcheck SC2086); quoting them
 * changes nothing (a runner path, a version tag) and leaves shellcheck with nothing to report.
 */
function quoteRunnerVariables(run: string): string {
  return run.replace(/(^|[^"{\w$])\$(GITHUB_OUTPUT|TAG)\b(?!")/gm, '$1"$$$2"');
}

/**
 * Inline exceptions for projen's own scripts that cannot be rewritten safely, by `job/step id`:
 * the directive line put first in the script.
 */
const SHELLCHECK_DIRECTIVES: Readonly<Record<string, string>> = {
  'release_github/release': '# shellcheck disable=SC2015 # "view || create" on purpose: create the release only when it is missing',
};

/**
 * Hardens the steps of one projen job: checkouts without persisted credentials where no later
 * step needs them; runner variables quoted in scripts; projen's justified shellcheck exceptions.
 * (Pins are chosen on the rendered text, where the steps projen adds at render time are too.)
 */
export function hardenSteps(jobId: string, steps: readonly Step[]): Step[] {
  return steps.map((step, i) => {
    let s: Step = step;
    if (isCheckout(s) && s.with?.['persist-credentials'] === undefined && !steps.slice(i + 1).some(needsGitCredentials)) {
      s = { ...s, with: { ...(s.with ?? {}), 'persist-credentials': false } };
    }
    if (typeof s.run === 'string') {
      const directive = s.id ? SHELLCHECK_DIRECTIVES[`${jobId}/${s.id}`] : undefined;
      const run = quoteRunnerVariables(s.run);
      s = { ...s, run: directive && !run.startsWith(directive) ? `${directive}\n${run}` : run };
    }
    return s;
  });
}

/** Applies a step transformation to one job of a projen workflow; job objects may be lazy. */
export function updateJobSteps(wf: github.GithubWorkflow, jobId: string, fn: (steps: readonly Step[]) => Step[]): void {
  const job = wf.getJob(jobId) as any;
  if (!job || !('steps' in job)) return;
  // Jobs may be class instances (toJSON) and their steps lazy (a function called at render).
  const plain: github.workflows.Job = typeof job.toJSON === 'function' ? job.toJSON() : job;
  const steps: unknown = plain.steps;
  wf.updateJob(jobId, {
    ...plain,
    steps: typeof steps === 'function' ? ((() => fn(steps())) as any) : fn(plain.steps),
  });
}

/** Why a checkout of projen's jobs keeps its credentials: the exception written next to it for zizmor. */
const KEEPS_CREDENTIALS = 'zizmor: ignore[artipacked] a later step of this projen job uses the checkout\'s git credentials (git push, git ls-remote or create-pull-request)';
/** Why projen's pull-request-lint runs on pull_request_target. */
const PR_TARGET = 'zizmor: ignore[dangerous-triggers] projen\'s PR title check needs write access to report its status; it checks out and runs no code of the pull request';

/** What pinning a rendered workflow needs to know. */
export interface PinContext {
  /** The pin table. */
  readonly table: readonly ActionPin[];
  /** Pins found in the existing files (Dependabot's updates). */
  readonly found: readonly ActionPin[];
  /** Collects one line per step left unpinned. */
  readonly unpinned: (line: string) => void;
}

/**
 * Edits a rendered workflow for the jobs in `scope`: every action pinned within its major with its
 * `# vX.Y.Z` comment (Dependabot reads it), and, for projen's own jobs, its justified linter
 * exceptions next to the line they are about. Jobs outside the scope keep every byte.
 * @param file the workflow's path, for messages
 */
export function annotateWorkflow(
  text: string, file: string, workflow: string, scope: (jobId: string) => boolean, ctx: PinContext, projenExceptions: boolean,
): string {
  // One parse serves both the reading of the jobs and the node positions the edits need.
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  const wire = doc.toJS() as any;
  const edits: TextEdit[] = [];
  for (const [jobId, job] of Object.entries<any>(wire?.jobs ?? {})) {
    if (!scope(jobId) || !Array.isArray(job?.steps)) continue;
    job.steps.forEach((step: any, i: number) => {
      const uses: unknown = step?.uses;
      if (typeof uses === 'string' && !uses.startsWith('./') && !uses.startsWith('docker://')) {
        const at = uses.lastIndexOf('@');
        const choice = at > 0 ? choosePin(uses.slice(0, at), uses.slice(at + 1), ctx.table, ctx.found) : { unpinned: `${uses} has no ref` };
        if (choice.pin) {
          edits.push({ path: ['jobs', jobId, 'steps', i, 'uses'], replaceValue: usesRef(choice.pin), comment: choice.pin.version });
        } else if (choice.unpinned) {
          ctx.unpinned(`${file} job ${jobId}: ${choice.unpinned}`);
        }
      }
      if (projenExceptions && isProjenJob(workflow, jobId) && isCheckout(step) && step.with?.['persist-credentials'] !== false && step.name) {
        edits.push({ path: ['jobs', jobId, 'steps', i, 'name'], comment: KEEPS_CREDENTIALS });
      }
    });
  }
  if (projenExceptions && workflow === 'pull-request-lint' && wire?.on?.pull_request_target !== undefined) {
    edits.push({ path: ['on', 'pull_request_target'], comment: PR_TARGET });
  }
  return editWorkflowText(text, edits, doc);
}

/** Wraps the rendering of a projen workflow file once, to add comments to the text projen renders. */
export function onRender(wf: github.GithubWorkflow, transform: (text: string) => string): void {
  const file = wf.file as any;
  if (!file) return;
  const transforms: Array<(text: string) => string> = file.__imageReleaseTransforms ?? [];
  if (!file.__imageReleaseTransforms) {
    file.__imageReleaseTransforms = transforms;
    const render = file.synthesizeContent.bind(file);
    file.synthesizeContent = (resolver: IResolver) => {
      const text = render(resolver);
      return text === undefined ? undefined : transforms.reduce((t, f) => f(t), text);
    };
  }
  transforms.push(transform);
}
