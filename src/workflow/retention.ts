import { Workflow } from './model';
import { JOB_GRANTS } from './permissions';
import { CliSource, pruneSteps } from './steps';
import { imageNames } from '../model/image-names';
import { ResolvedModel, ResolvedRetention } from '../model/resolved';

/** Path of the scheduled retention workflow of a project's only image. */
export const RETENTION_WORKFLOW_PATH = imageNames().retentionWorkflowPath;

/**
 * The scheduled retention workflow: one job that runs `image-release prune --apply` with the
 * locked CLI, the only job of the repository's image workflows that may delete package versions
 * (`packages: write`). Runs never overlap, and a run in progress is never cancelled halfway.
 * The rules are read from the model file, so no model value is written into the workflow.
 */
export function retentionWorkflow(model: ResolvedModel, retention: ResolvedRetention, cli: CliSource): Workflow {
  return {
    name: model.names.retentionWorkflowName,
    on: { schedule: [{ cron: retention.schedule }], workflow_dispatch: {} },
    concurrency: { group: model.names.retentionWorkflowName, cancelInProgress: false },
    jobs: {
      prune: {
        name: 'Delete old image versions',
        runsOn: [model.runsOn],
        permissions: JOB_GRANTS.prune,
        timeoutMinutes: 30,
        steps: pruneSteps(cli, model.names.id),
      },
    },
  };
}
