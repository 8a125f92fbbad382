import { github, IResolver } from 'projen';
import * as YAML from 'yaml';
import { BlockEntry, plainString, scanBlockYaml } from '../workflow/block-scan';
import { emitBlockYaml } from '../workflow/emit';
import { choosePin, documentLocator, editWorkflowText, NodeLocator, TextEdit } from '../workflow/kept-pins';
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
 * `${{ runner.temp }}` in projen's scripts (self-mutation, upgrade) becomes the runner's own
 * `$RUNNER_TEMP`, the same directory: no expression is expanded into a script (zizmor's
 * template-injection). Quoted where it stands bare, as it is inside double quotes; inside single
 * quotes, where the shell would not expand it, the expression stays.
 */
export function runnerTempFromEnvironment(run: string): string {
  return run.replace(/\$\{\{\s*runner\.temp\s*\}\}/g, (match, offset: number) => {
    const quote = quoteAt(run, offset);
    return quote === "'" ? match : quote === '"' ? '${RUNNER_TEMP}' : '"${RUNNER_TEMP}"';
  });
}

/** The quote a shell script is inside at `offset` (`'`, `"` or '' for none), from the start of its line. */
function quoteAt(script: string, offset: number): string {
  let quote = '';
  for (let i = script.lastIndexOf('\n', offset - 1) + 1; i < offset; i++) {
    const c = script[i];
    if (quote === '' && c === '\\') i++;
    else if (quote === '"' && c === '\\') i++;
    else if ((c === '"' || c === "'") && (quote === '' || quote === c)) quote = quote === '' ? c : '';
  }
  return quote;
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
      const run = runnerTempFromEnvironment(quoteRunnerVariables(s.run));
      s = { ...s, run: directive && !run.startsWith(directive) ? `${directive}\n${run}` : run };
    }
    return s;
  });
}

/**
 * Applies a step transformation to one job of a projen workflow; job objects may be lazy.
 * @param named give a job without a name its id as name (zizmor's anonymous-definition); the
 * check GitHub reports keeps the name it had, which was the id
 */
export function updateJobSteps(wf: github.GithubWorkflow, jobId: string, fn: (steps: readonly Step[]) => Step[], named = false): void {
  const job = wf.getJob(jobId) as any;
  if (!job || !('steps' in job)) return;
  // Jobs may be class instances (toJSON) and their steps lazy (a function called at render).
  const plain: github.workflows.Job = typeof job.toJSON === 'function' ? job.toJSON() : job;
  const steps: unknown = plain.steps;
  wf.updateJob(jobId, {
    ...plain,
    ...(named && plain.name === undefined ? { name: jobId } : {}),
    steps: typeof steps === 'function' ? ((() => fn(steps())) as any) : fn(plain.steps),
  });
}

/** Why projen's jobs hold each permission they keep, by workflow, job and `permission: level`. */
const PROJEN_GRANTS: ReadonlyArray<{ readonly workflow: RegExp; readonly jobs: RegExp; readonly grants: Readonly<Record<string, string>> }> = [
  { workflow: /^build$/, jobs: /^build$/, grants: { 'contents: write': 'projen\'s default for its build job (buildWorkflowOptions.permissions narrows it); its checkout keeps no git credentials' } },
  { workflow: /^build$/, jobs: /^self-mutation$/, grants: { 'contents: write': 'push the self-mutation commit to the pull request\'s branch' } },
  { workflow: /^build$/, jobs: /^package-/, grants: { 'contents: read': 'check out the repository to package it' } },
  {
    workflow: /^release(-.+)?$/,
    jobs: /^release$/,
    grants: { 'contents: write': 'projen\'s default for its release job (workflowPermissions narrows it); git ls-remote checks the tag' },
  },
  { workflow: /^release(-.+)?$/, jobs: /^release_github$/, grants: { 'contents: write': 'create the GitHub release and its tag' } },
  {
    workflow: /^release(-.+)?$/,
    jobs: /^release_(npm|maven|pypi|nuget|golang)$/,
    grants: {
      'contents: read': 'check out the repository the package is published from',
      'contents: write': 'push the module to its git repository',
      'id-token: write': 'the OIDC token of trusted publishing and provenance',
      'packages: write': 'publish the package to GitHub Packages',
      'issues: write': 'open an issue when publishing fails',
    },
  },
  {
    workflow: /^upgrade(-.+)?$/,
    jobs: /^(upgrade|pr)$/,
    grants: { 'contents: read': 'check out the branch; the pull request is pushed with projen\'s token' },
  },
  { workflow: /^pull-request-lint$/, jobs: /^validate$/, grants: { 'pull-requests: write': 'the title check reads the pull request and reports on it' } },
  { workflow: /^pull-request-lint$/, jobs: /^contributorStatement$/, grants: { 'pull-requests: read': 'read the pull request\'s body' } },
  { workflow: /^stale$/, jobs: /^stale$/, grants: { 'issues: write': 'label and close stale issues', 'pull-requests: write': 'label and close stale pull requests' } },
  { workflow: /^auto-approve$/, jobs: /^approve$/, grants: { 'pull-requests: write': 'approve the pull request' } },
  {
    workflow: /^auto-queue$/,
    jobs: /^enableAutoQueue$/,
    grants: { 'pull-requests: write': 'turn on auto-merge for the pull request', 'contents: write': 'auto-merge merges into the branch' },
  },
  {
    workflow: /^dependency-review$/,
    jobs: /^dependency-review$/,
    grants: { 'contents: read': 'read the dependency changes of the pull request', 'pull-requests: write': 'comment the review on the pull request' },
  },
  {
    workflow: /^backport$/,
    jobs: /^backport$/,
    grants: { 'contents: write': 'push the backport branch', 'pull-requests: write': 'open the backport pull request' },
  },
];

/** Why a projen job holds a permission, or undefined when the table does not say. */
export function projenGrantReason(workflow: string, jobId: string, permission: string, level: string): string | undefined {
  return PROJEN_GRANTS.find((g) => g.workflow.test(workflow) && g.jobs.test(jobId))?.grants[`${permission}: ${level}`];
}

/** The run limits of projen's workflows that have none: one run per pull request (a new push supersedes it), or one at a time. */
const PROJEN_CONCURRENCY: ReadonlyArray<{ readonly workflow: RegExp; readonly group: string; readonly cancelInProgress: boolean }> = [
  { workflow: /^(build|pull-request-lint)$/, group: '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}', cancelInProgress: true },
  { workflow: /^upgrade(-.+)?$/, group: '${{ github.workflow }}', cancelInProgress: false },
];

/** Why the create-pull-request action of projen's upgrade job is kept. */
const OPENS_PULL_REQUEST = 'zizmor: ignore[superfluous-actions] projen\'s upgrade job: the action commits the patch to a branch and updates the pull request it opened before; gh pr create does neither';

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

/** Why a job of the workflow holds a permission at a level; undefined when nothing says. */
export type GrantReason = (jobId: string, permission: string, level: string) => string | undefined;

/**
 * Edits a rendered workflow for the jobs in `scope`: every action pinned within its major with its
 * `# vX.Y.Z` comment (Dependabot reads it), every permission with the reason for its grant, and,
 * for projen's own jobs, its justified linter exceptions next to the line they are about; a
 * hardened projen workflow grants nothing at the top (projen gives every job its permissions) and
 * limits its runs. Jobs outside the scope keep every byte.
 * @param file the workflow's path, for messages
 * @param reasonOf why a job in scope holds each of its permissions
 */
export function annotateWorkflow(
  text: string, file: string, workflow: string, scope: (jobId: string) => boolean, ctx: PinContext, projenExceptions: boolean,
  reasonOf: GrantReason = () => undefined,
): string {
  // One reading serves both the jobs and the node positions the edits need.
  const { wire, locate } = readRendered(text);
  const edits: TextEdit[] = [];
  for (const [jobId, job] of Object.entries<any>(wire?.jobs ?? {})) {
    if (!scope(jobId) || !Array.isArray(job?.steps)) continue;
    for (const [permission, level] of Object.entries<unknown>(job.permissions ?? {})) {
      const why = reasonOf(jobId, permission, String(level));
      if (why) edits.push({ path: ['jobs', jobId, 'permissions', permission], comment: why });
    }
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
      if (projenExceptions && isProjenJob(workflow, jobId) && typeof uses === 'string' && uses.startsWith('peter-evans/create-pull-request@') && step.name) {
        edits.push({ path: ['jobs', jobId, 'steps', i, 'name'], comment: OPENS_PULL_REQUEST });
      }
    });
  }
  if (projenExceptions && workflow === 'pull-request-lint' && wire?.on?.pull_request_target !== undefined) {
    edits.push({ path: ['on', 'pull_request_target'], comment: PR_TARGET });
  }
  if (projenExceptions && wire?.jobs) edits.push({ path: ['jobs'], linesBefore: workflowLimits(workflow, wire) });
  return editWorkflowText(text, edits, locate);
}

/** What annotating reads of a rendered workflow: its data (at least the parts annotating reads) and where its nodes are. */
export interface RenderedWorkflow {
  readonly wire: any;
  readonly locate: NodeLocator;
  /** Whether the line scanner read it (else it was parsed). */
  readonly scanned: boolean;
}

/**
 * A rendered workflow, read by the line scanner when it is in the block style projen renders
 * (always, unless a projen version renders otherwise), else parsed in full.
 */
export function readRendered(text: string): RenderedWorkflow {
  const entries = scanBlockYaml(text);
  const wire = entries && annotatedParts(entries);
  if (entries && wire) {
    const byPath = new Map(entries.map((e) => [JSON.stringify(e.path), e]));
    return {
      wire,
      scanned: true,
      locate: (path) => {
        const e = byPath.get(JSON.stringify(path));
        // A map entry's node is a scalar, its value's or its key's; a sequence item may be a map.
        return e && { start: e.start, end: e.end, scalar: typeof path[path.length - 1] === 'string' || e.kind !== 'map' };
      },
    };
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  return { wire: doc.toJS(), locate: documentLocator(doc), scanned: false };
}

/**
 * The parts of a scanned workflow annotateWorkflow reads, with the values a full parse gives them:
 * which top-level keys and triggers there are, and of each job its permissions and of each step
 * its `uses`, `name` (for whether it has one) and `with.persist-credentials` (for whether it is
 * false). Undefined when one of those is written in a way only the full parse reads right.
 */
function annotatedParts(entries: readonly BlockEntry[]): any {
  const wire: any = {};
  for (const e of entries) {
    // An empty value is null; where the parser puts its node, only the parser tells.
    if (e.kind === 'null') return undefined;
    const [top, jobId, field, index, key, sub] = e.path;
    const depth = e.path.length;
    if (depth === 1) {
      if (top === 'jobs' && e.kind !== 'map' && !(e.kind === 'flow' && e.text === '{}')) return undefined;
      // Of the other top-level keys only whether they are there counts, and of `on` its triggers.
      wire[top] = e.kind === 'map' || top === 'jobs' ? {} : true;
    } else if (top === 'on') {
      if (depth === 2 && typeof wire.on === 'object') wire.on[jobId] = true;
    } else if (top !== 'jobs') {
      continue;
    } else if (depth === 2) {
      // A job that is no map has no steps to read: null stands for any such value.
      wire.jobs[jobId] = e.kind === 'map' || e.kind === 'flow' ? {} : null;
    } else if (depth === 3 && wire.jobs[jobId] && field === 'permissions') {
      if (e.kind === 'map' || e.kind === 'flow') wire.jobs[jobId].permissions = {};
      else return undefined;
    } else if (depth === 3 && wire.jobs[jobId] && field === 'steps') {
      if (e.kind === 'seq' || (e.kind === 'flow' && e.text === '[]')) wire.jobs[jobId].steps = [];
    } else if (depth === 4 && field === 'permissions' && wire.jobs[jobId]?.permissions) {
      const level = e.kind === 'plain' ? plainString(e.text!) : undefined;
      if (level === undefined) return undefined;
      wire.jobs[jobId].permissions[index] = level;
    } else if (depth === 4 && field === 'steps' && wire.jobs[jobId]?.steps) {
      if (e.kind !== 'map') return undefined;
      wire.jobs[jobId].steps.push({});
    } else if (depth === 5 && field === 'steps' && wire.jobs[jobId]?.steps && (key === 'uses' || key === 'name')) {
      const step = wire.jobs[jobId].steps[index as number];
      if (e.kind === 'plain') {
        step[key] = plainString(e.text!);
        if (step[key] === undefined) return undefined;
      } else if (e.kind === 'quoted' && key === 'name') {
        // Only whether there is a name counts.
        step[key] = e.text!.length > 2 ? e.text : '';
      } else if (e.kind === 'map' || e.kind === 'seq' || e.kind === 'flow') {
        step[key] = {};
      } else {
        return undefined;
      }
    } else if (depth === 5 && field === 'steps' && wire.jobs[jobId]?.steps && key === 'with' && e.kind === 'map') {
      wire.jobs[jobId].steps[index as number].with = {};
    } else if (depth === 6 && field === 'steps' && key === 'with' && sub === 'persist-credentials' && wire.jobs[jobId]?.steps?.[index as number]?.with) {
      // Only whether it is false counts.
      wire.jobs[jobId].steps[index as number].with[sub] = e.kind === 'plain' && /^(false|False|FALSE)$/.test(e.text!) ? false : true;
    }
  }
  return wire;
}

/**
 * The top-level lines a hardened projen workflow lacks: `permissions: {}` (projen requires every
 * job to hold its own, so no job loses one) and its run limit.
 */
function workflowLimits(workflow: string, wire: any): string[] {
  const top: Record<string, unknown> = {};
  if (wire.permissions === undefined) top.permissions = {};
  const limit = PROJEN_CONCURRENCY.find((c) => c.workflow.test(workflow));
  if (wire.concurrency === undefined && limit) top.concurrency = { 'group': limit.group, 'cancel-in-progress': limit.cancelInProgress };
  if (Object.keys(top).length === 0) return [];
  // The same text as YAML.stringify gives, written without the yaml library where it can be.
  return (emitBlockYaml(top, [], () => undefined) ?? YAML.stringify(top, { lineWidth: 0 })).trimEnd().split('\n');
}

/**
 * Wraps the rendering of a projen workflow file once, to add comments to the text projen renders.
 * The transform of the latest synthesis replaces the one before, so a project synthesized twice
 * writes the same text twice.
 */
export function onRender(wf: github.GithubWorkflow, transform: (text: string) => string): void {
  const file = wf.file as any;
  if (!file) return;
  if (!file.__imageReleaseTransform) {
    const render = file.synthesizeContent.bind(file);
    file.synthesizeContent = (resolver: IResolver) => {
      const text = render(resolver);
      return text === undefined ? undefined : file.__imageReleaseTransform(text);
    };
  }
  file.__imageReleaseTransform = transform;
}
