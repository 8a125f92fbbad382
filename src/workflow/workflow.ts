import { imageNames } from '../model/image-names';
import { ResolvedModel } from '../model/resolved';
import { ReleaseTrigger } from '../options';
import { CheckEvent, checkJobs } from './check';
import { imageJobs, standaloneContext } from './jobs';
import { Workflow } from './model';
import { CliSource } from './steps';

/** Path of the standalone workflow of a project's only image. */
export const RELEASE_IMAGE_WORKFLOW_PATH = imageNames().releaseWorkflowPath;

/**
 * The standalone `release-image.yml` for repositories that tag by hand; its verify job runs the
 * CLI from `cli` (none without). One trigger only, plus a
 * concurrency group per ref, so each version is built exactly once at a time.
 */
export function standaloneWorkflow(model: ResolvedModel, cli: CliSource | undefined): Workflow {
  if (model.trigger === ReleaseTrigger.PROJEN_RELEASE) {
    throw new Error('the projen-release trigger has no standalone workflow; its jobs join release.yml');
  }
  const on = {
    ...(model.trigger === ReleaseTrigger.TAG_PUSH ? { push: { tags: [model.tagPattern] } } : { release: { types: ['published'] } }),
    // Republish an existing tag (e.g. for a patched base image): run the workflow from the tag, so
    // that the checkout, the revision label and verify all see the tag's commit.
    workflow_dispatch: {},
  };
  return {
    name: model.names.releaseWorkflowName,
    on,
    concurrency: { group: `${model.names.releaseWorkflowName}-\${{ github.ref }}`, cancelInProgress: false },
    jobs: imageJobs(model, standaloneContext(cli)),
  };
}

/**
 * The standalone build check: on pull requests (when `pullRequests`, i.e. projen's build workflow
 * does not run them) and on pushes to the default branch, which write the build cache.
 */
export function checkWorkflow(model: ResolvedModel, defaultBranch: string, pullRequests: boolean): Workflow {
  const events = pullRequests ? [CheckEvent.PULL_REQUEST, CheckEvent.DEFAULT_BRANCH_PUSH] : [CheckEvent.DEFAULT_BRANCH_PUSH];
  return {
    name: model.names.checkWorkflowName,
    on: { ...(pullRequests ? { pull_request: {} } : {}), push: { branches: [defaultBranch] } },
    concurrency: { group: `${model.names.checkWorkflowName}-\${{ github.ref }}`, cancelInProgress: true },
    jobs: checkJobs(model, 'check_', events),
  };
}
