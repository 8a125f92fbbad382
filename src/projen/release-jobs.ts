import { github } from 'projen';
import { WorkflowJob, WorkflowStep } from '../workflow/model';
import { stepToWire } from '../workflow/render';

const PERMISSION_KEYS: Record<string, keyof github.workflows.JobPermissions> = {
  'contents': 'contents',
  'packages': 'packages',
  'security-events': 'securityEvents',
  'id-token': 'idToken',
  'attestations': 'attestations',
  // projen's JobPermissions has no such key yet; it writes every key in kebab case.
  'artifact-metadata': 'artifactMetadata' as keyof github.workflows.JobPermissions,
};

/**
 * Converts an image job into projen's job model, for jobs that join projen's release workflow.
 * projen renders `uses:` as a plain string; the version comments are added to its text after.
 */
function toProjenJob(job: WorkflowJob): github.workflows.Job {
  const permissions: Record<string, github.workflows.JobPermission> = {};
  for (const [key, { level }] of Object.entries(job.permissions)) {
    const name = PERMISSION_KEYS[key];
    if (!name) throw new Error(`no projen name for the job permission "${key}"`);
    permissions[name] = level === 'write' ? github.workflows.JobPermission.WRITE : github.workflows.JobPermission.READ;
  }
  return {
    name: job.name,
    needs: job.needs ? [...job.needs] : undefined,
    if: job.if,
    runsOn: [...job.runsOn],
    permissions,
    timeoutMinutes: job.timeoutMinutes,
    strategy: job.strategy ? { failFast: job.strategy.failFast, matrix: { domain: mutable(job.strategy.matrix) } } : undefined,
    outputs: job.outputs ? { ...job.outputs } : undefined,
    steps: job.steps.map(toProjenStep),
  };
}

function mutable(m: Readonly<Record<string, readonly string[] | string>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === 'string' ? v as unknown as string[] : [...v]]));
}

/** Several image jobs in projen's job model, by id. */
export function toProjenJobs(jobs: Readonly<Record<string, WorkflowJob>>): Record<string, github.workflows.Job> {
  return Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, toProjenJob(job)]));
}

/** A step in projen's model: the wire keys, except `continue-on-error`, which projen spells continueOnError. */
function toProjenStep(step: WorkflowStep): github.workflows.JobStep {
  const { ['continue-on-error']: continueOnError, ...wire } = stepToWire(step);
  return { ...wire, ...(continueOnError !== undefined ? { continueOnError } : {}) } as github.workflows.JobStep;
}
