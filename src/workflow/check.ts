import { WorkflowJob, WorkflowStep } from './model';
import { JOB_GRANTS, without } from './permissions';
import { PINS } from './pins';
import { buildxStep, checkoutStep, loginStep, qemuStep } from './steps';
import { imageNames } from '../model/image-names';
import { ResolvedLeg, ResolvedModel } from '../model/resolved';
import { BuildCacheType } from '../options';

/** Path of the standalone build check workflow of a project's only image. */
export const IMAGE_CHECK_WORKFLOW_PATH = imageNames().checkWorkflowPath;

/**
 * When a check job runs: on pull requests it only reads the build cache (a pull request never
 * writes a cache a release reads); on pushes to the default branch it also writes the platform's
 * GitHub Actions cache, which later releases (on tag refs) can read.
 */
export enum CheckEvent {
  PULL_REQUEST = 'pull_request',
  DEFAULT_BRANCH_PUSH = 'push',
}

/** The literal build args a check passes (per-build facts keep the Dockerfile's ARG defaults). */
function checkBuildArgs(model: ResolvedModel): string | undefined {
  const literals = model.buildArgs.filter((a) => a.literal !== undefined).map((a) => `${a.name}=${a.literal}\n`);
  return literals.length > 0 ? literals.join('') : undefined;
}

function checkBuildStep(model: ResolvedModel, leg: ResolvedLeg, event: CheckEvent, onlyOn?: CheckEvent): WorkflowStep {
  const writes = event === CheckEvent.DEFAULT_BRANCH_PUSH && model.cache.type === BuildCacheType.GITHUB_ACTIONS && leg.cacheTo !== undefined;
  const w: Record<string, string | boolean> = {
    context: model.context,
    file: model.dockerfile,
    platforms: leg.platform,
    push: false,
    provenance: false,
    sbom: false,
  };
  const args = checkBuildArgs(model);
  if (args) w['build-args'] = args;
  if (leg.cacheFrom) w['cache-from'] = leg.cacheFrom;
  if (writes) w['cache-to'] = leg.cacheTo!;
  return {
    name: writes ? `Build ${leg.platform} and write its cache` : `Build ${leg.platform}`,
    if: onlyOn ? `github.event_name == '${onlyOn}'` : undefined,
    uses: PINS.buildPush,
    with: w,
  };
}

/**
 * One job per platform that builds the image on the platform's runner without pushing it, so a
 * broken Dockerfile or a platform-only failure shows in the pull request, not at release.
 * @param events the events the jobs run on; with both, the cache-writing build runs only on pushes
 */
export function checkJobs(model: ResolvedModel, idPrefix: string, events: readonly CheckEvent[], condition?: string): Record<string, WorkflowJob> {
  const jobs: Record<string, WorkflowJob> = {};
  const registryCache = model.cache.type === BuildCacheType.REGISTRY;
  for (const leg of model.legs) {
    const builds = events.length === 1
      ? [checkBuildStep(model, leg, events[0])]
      : events.map((e) => checkBuildStep(model, leg, e, e));
    jobs[`${idPrefix}${leg.id}`] = {
      name: `Build check ${leg.platform}`,
      if: condition,
      runsOn: leg.runsOn,
      permissions: without(JOB_GRANTS.check, !registryCache && 'packages'),
      timeoutMinutes: leg.emulated ? 120 : 60,
      steps: [
        checkoutStep(),
        ...(leg.emulated ? [qemuStep(leg)!] : []),
        buildxStep(),
        ...(registryCache ? [loginStep(model)] : []),
        ...builds,
      ],
    };
  }
  return jobs;
}
