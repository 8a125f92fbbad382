import { ResolvedModel } from '../model/resolved';
import { LatestPolicy, ReleaseTrigger } from '../options';
import { WorkflowJob, WorkflowStep } from './model';
import {
  buildPushStep,
  buildxStep,
  checkoutStep,
  highestVersionStep,
  createTagsStep,
  loginStep,
  metadataStep,
  qemuStep,
  releaseTagSteps,
  scanSteps,
  STEP_IDS,
  summaryStep,
  verifySteps,
} from './steps';
import { metadataTagInputs, tagExpression, VersionSource } from '../tags/metadata-inputs';

/**
 * How the image jobs connect to the jobs around them. The standalone workflow has none; inside
 * projen's release workflow they wait for the GitHub release and read the tag from its artifact.
 */
export interface JobContext {
  /** Prefix of every job id (to stay clear of the host workflow's ids). */
  readonly idPrefix: string;
  /** Jobs the build job waits for. */
  readonly needs: readonly string[];
  /** Condition of the build job. */
  readonly if?: string;
  /** Expression of the host's artifact id holding `releasetag.txt` (projen release only). */
  readonly releaseArtifactIdExpression?: string;
  /** The CLI version the verify job runs, e.g. `1.4.0`. */
  readonly cliVersion: string;
  /** Extra jobs the verify job waits for (e.g. the npm publication of that CLI version). */
  readonly verifyNeeds?: readonly string[];
}

/** The context of the standalone `release-image.yml`. */
export function standaloneContext(cliVersion: string): JobContext {
  return { idPrefix: '', needs: [], cliVersion };
}

/** The ids of the image jobs in a context. */
export function jobIds(ctx: JobContext) {
  return { build: `${ctx.idPrefix}build`, scan: `${ctx.idPrefix}scan`, publish: `${ctx.idPrefix}publish`, verify: `${ctx.idPrefix}verify` };
}

/**
 * The image release as four jobs: build and push by digest, scan every platform of that digest,
 * only then create the tags, and finally verify the published release. The scan job is a per-platform matrix already, so a per-platform
 * build (native runners) can later replace the build job without changing the others.
 */
export function imageJobs(model: ResolvedModel, ctx: JobContext): Record<string, WorkflowJob> {
  const ids = jobIds(ctx);
  const jobs: Record<string, WorkflowJob> = {};
  jobs[ids.build] = buildJob(model, ctx);
  if (model.scan.enabled) jobs[ids.scan] = scanJob(model, ids.build);
  jobs[ids.publish] = publishJob(model, ids.build, model.scan.enabled ? [ids.build, ids.scan] : [ids.build]);
  jobs[ids.verify] = verifyJob(model, ctx, [ids.build, ids.publish, ...(ctx.verifyNeeds ?? [])]);
  return jobs;
}

function buildJob(model: ResolvedModel, ctx: JobContext): WorkflowJob {
  const fromProjenRelease = model.trigger === ReleaseTrigger.PROJEN_RELEASE;
  if (fromProjenRelease && !ctx.releaseArtifactIdExpression) {
    throw new Error('the projen-release trigger needs the release artifact id of the host workflow');
  }
  const source: VersionSource = { valueExpression: fromProjenRelease ? `steps.${STEP_IDS.releaseTag}.outputs.tag` : undefined };
  const tagInputs = metadataTagInputs(model.tags, model.trigger, source);
  const steps: WorkflowStep[] = [
    checkoutStep(),
    ...(fromProjenRelease ? releaseTagSteps(ctx.releaseArtifactIdExpression!) : []),
    ...(model.tags.latest === LatestPolicy.HIGHEST_VERSION ? [highestVersionStep(tagExpression(source))] : []),
    ...optional(qemuStep(model)),
    buildxStep(),
    loginStep(model),
    metadataStep(model, tagInputs),
    buildPushStep(model),
  ];
  return {
    name: 'Build and push by digest',
    needs: ctx.needs.length > 0 ? ctx.needs : undefined,
    if: ctx.if,
    runsOn: model.runsOn,
    permissions: { contents: 'read', packages: 'write' },
    timeoutMinutes: 60,
    outputs: {
      digest: { stepId: STEP_IDS.build, outputName: 'digest' },
      tags: { stepId: STEP_IDS.meta, outputName: 'tags' },
      version: { stepId: STEP_IDS.meta, outputName: 'version' },
      ...(fromProjenRelease ? { tag: { stepId: STEP_IDS.releaseTag, outputName: 'tag' } } : {}),
    },
    steps,
  };
}

function scanJob(model: ResolvedModel, buildId: string): WorkflowJob {
  const permissions: Record<string, 'read' | 'write'> = { contents: 'read', packages: 'read' };
  if (model.scan.sarifUpload) permissions['security-events'] = 'write';
  return {
    name: 'Scan ${{ matrix.platform }}',
    needs: [buildId],
    runsOn: model.runsOn,
    permissions,
    timeoutMinutes: 30,
    strategy: { failFast: false, matrix: { platform: model.platforms } },
    steps: [checkoutStep(), ...scanSteps(model, `needs.${buildId}.outputs.digest`)],
  };
}

function publishJob(model: ResolvedModel, buildId: string, needs: string[]): WorkflowJob {
  return {
    name: 'Tag the scanned image',
    needs,
    runsOn: model.runsOn,
    permissions: { packages: 'write' },
    timeoutMinutes: 15,
    steps: [buildxStep(), loginStep(model), createTagsStep(model, buildId), summaryStep(model, buildId)],
  };
}

function verifyJob(model: ResolvedModel, ctx: JobContext, needs: string[]): WorkflowJob {
  const releaseTag = model.trigger === ReleaseTrigger.PROJEN_RELEASE ? `needs.${jobIds(ctx).build}.outputs.tag` : 'github.ref_name';
  return {
    name: 'Verify the published release',
    needs,
    runsOn: model.runsOn,
    permissions: { contents: 'read', packages: 'read' },
    timeoutMinutes: 15,
    steps: verifySteps({ cliVersion: ctx.cliVersion, tagExpression: releaseTag }),
  };
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
