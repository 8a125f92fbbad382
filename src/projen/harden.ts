import { github, IResolver, Project } from 'projen';
import { addVersionComments, effectivePins } from '../workflow/kept-pins';
import { ActionPin, ALL_PINS, usesRef } from '../workflow/pins';

/**
 * Jobs of projen's own workflows that push with the checkout's git credentials, per workflow file
 * name. Every other checkout in those workflows gets `persist-credentials: false`.
 */
export const JOBS_NEEDING_GIT_CREDENTIALS: Readonly<Record<string, readonly string[]>> = {
  build: ['self-mutation'],
  release: ['release'],
};

/** Workflows whose upgrade `pr` job pushes a branch (their names start with `upgrade`). */
function needsCredentials(workflow: string, jobId: string): boolean {
  if (workflow.startsWith('upgrade')) return jobId === 'pr';
  return (JOBS_NEEDING_GIT_CREDENTIALS[workflow] ?? []).includes(jobId);
}

/**
 * Sets `persist-credentials: false` on every `actions/checkout` step of projen's workflows whose
 * job does not push, so the token does not stay in `.git/config` for later steps (zizmor
 * `artipacked`). Call it when all jobs exist (preSynthesize).
 */
export function dropCheckoutCredentials(project: Project): void {
  const gh = github.GitHub.of(project);
  if (!gh) return;
  for (const wf of gh.workflows) {
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      if (!('steps' in job) || needsCredentials(wf.name, jobId)) continue;
      // Jobs may be class instances (toJSON) and their steps lazy (a function called at render).
      const plain: github.workflows.Job = typeof (job as any).toJSON === 'function' ? (job as any).toJSON() : job;
      const steps: unknown = plain.steps;
      const harden = (list: github.workflows.JobStep[]) => list.map((s) => (isCheckout(s) ? { ...s, with: { ...(s.with ?? {}), 'persist-credentials': false } } : s));
      wf.updateJob(jobId, {
        ...plain,
        steps: typeof steps === 'function' ? ((() => harden(steps())) as any) : harden(plain.steps),
      });
    }
  }
}

function isCheckout(step: github.workflows.JobStep): boolean {
  return typeof step.uses === 'string' && step.uses.startsWith('actions/checkout@');
}

/**
 * Pins every action of the pin table in projen's workflows (our image jobs inside release.yml
 * included) through projen's action overrides, to the kept pin where Dependabot moved one forward,
 * and gives those `uses:` lines their `# vX.Y.Z` comment so that Dependabot can update them.
 */
export function pinProjenWorkflows(project: Project, kept: ReadonlyMap<string, ActionPin>): void {
  const gh = github.GitHub.of(project);
  if (!gh) return;
  const pins = effectivePins(ALL_PINS, kept);
  for (const pin of pins) gh.actions.set(pin.action, usesRef(pin));
  for (const wf of gh.workflows) {
    const file = wf.file as any;
    if (!file || file.__versionComments) continue;
    // projen's YamlFile cannot write comments: add them to the text it renders.
    const render = file.synthesizeContent.bind(file);
    file.synthesizeContent = (resolver: IResolver) => {
      const text = render(resolver);
      return text === undefined ? undefined : addVersionComments(text, pins);
    };
    file.__versionComments = true;
  }
}
