import * as YAML from 'yaml';
import { emitBlockYaml } from './emit';
import { Workflow, WorkflowJob, WorkflowStep } from './model';
import { levelsOf } from './permissions';
import { usesRef } from './pins';

/** camelCase fields of the model and the wire keys they become. */
const JOB_KEYS = { runsOn: 'runs-on', timeoutMinutes: 'timeout-minutes' } as const;

/** A step in wire form (the `uses` value is `owner/name@sha`). */
export function stepToWire(step: WorkflowStep): Record<string, unknown> {
  return compact({
    'name': step.name,
    'id': step.id,
    'if': step.if,
    'uses': step.uses ? usesRef(step.uses) : undefined,
    'with': step.with,
    'env': step.env,
    'shell': step.shell,
    'run': step.run,
    'continue-on-error': step.continueOnError,
  });
}

/** A job in wire form. */
function jobToWire(job: WorkflowJob): Record<string, unknown> {
  return compact({
    name: job.name,
    needs: job.needs,
    if: job.if,
    [JOB_KEYS.runsOn]: job.runsOn.length === 1 ? job.runsOn[0] : job.runsOn,
    permissions: levelsOf(job.permissions),
    [JOB_KEYS.timeoutMinutes]: job.timeoutMinutes,
    strategy: job.strategy ? { 'fail-fast': job.strategy.failFast, 'matrix': job.strategy.matrix } : undefined,
    outputs: job.outputs
      ? Object.fromEntries(Object.entries(job.outputs).map(([k, o]) => [k, `\${{ steps.${o.stepId}.outputs.${o.outputName} }}`]))
      : undefined,
    steps: job.steps.map(stepToWire),
  });
}

/** The whole workflow in wire form; `permissions: {}` at the top, grants per job. */
function workflowToWire(wf: Workflow): Record<string, unknown> {
  return {
    name: wf.name,
    on: wf.on,
    permissions: {},
    concurrency: { 'group': wf.concurrency.group, 'cancel-in-progress': wf.concurrency.cancelInProgress },
    jobs: Object.fromEntries(Object.entries(wf.jobs).map(([id, job]) => [id, jobToWire(job)])),
  };
}

/**
 * Renders the workflow as YAML. Every `uses:` gets a trailing `# vX.Y.Z` comment (what Dependabot
 * and zizmor read), and every permission the reason for its grant, which is why this does not go
 * through projen's YamlFile. The text is the yaml library's Document rendering; a workflow within
 * what emitBlockYaml writes is written by it, without building the Document.
 * @param header comment lines written above the document
 */
export function renderWorkflow(wf: Workflow, header: readonly string[]): string {
  const wire = workflowToWire(wf);
  const comments = new Map<object, Readonly<Record<string, string>>>();
  const wireJobs = wire.jobs as Record<string, { permissions?: object; steps: object[] }>;
  for (const [id, job] of Object.entries(wf.jobs)) {
    const permissions = wireJobs[id].permissions;
    if (permissions) comments.set(permissions, Object.fromEntries(Object.entries(job.permissions).map(([key, grant]) => [key, grant.why])));
    job.steps.forEach((step, i) => {
      if (step.uses) comments.set(wireJobs[id].steps[i], { uses: step.uses.version });
    });
  }
  return emitBlockYaml(wire, header, (container, key) => comments.get(container)?.[key]) ?? documentText(wf, wire, header);
}

/** The workflow rendered with the yaml library's Document API. */
function documentText(wf: Workflow, wire: Record<string, unknown>, header: readonly string[]): string {
  const doc = new YAML.Document(wire);
  for (const [id, job] of Object.entries(wf.jobs)) {
    for (const [key, grant] of Object.entries(job.permissions)) {
      (doc.getIn(['jobs', id, 'permissions', key], true) as YAML.Scalar).comment = ` ${grant.why}`;
    }
    job.steps.forEach((step, i) => {
      if (!step.uses) return;
      const node = doc.getIn(['jobs', id, 'steps', i, 'uses'], true) as YAML.Scalar;
      node.comment = ` ${step.uses.version}`;
    });
  }
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
