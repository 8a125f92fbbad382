import { ResolvedModel } from '../model/resolved';
import { LatestPolicy, ReleaseTrigger } from '../options';
import { WorkflowJob, WorkflowStep } from './model';
import { STEP_IDS } from './step-ids';
import {
  buildPushStep,
  buildxStep,
  checkoutStep,
  CliSource,
  highestVersionStep,
  createTagsStep,
  loginStep,
  metadataStep,
  qemuStep,
  releaseTagSteps,
  releaseVersionStep,
  scanSteps,
  summaryStep,
  verifySteps,
} from './steps';
import { metadataTagInputs, versionSourceOf } from '../tags/metadata-inputs';

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
  /** Where the verify job gets the CLI; no verify job when undefined. */
  readonly cli?: CliSource;
}

/** The context of the standalone `release-image.yml`. */
export function standaloneContext(cli: CliSource | undefined): JobContext {
  return { idPrefix: '', needs: [], cli };
}

/** The ids of the image jobs in a context. */
export function jobIds(ctx: JobContext) {
  return { build: `${ctx.idPrefix}build`, scan: `${ctx.idPrefix}scan`, publish: `${ctx.idPrefix}publish`, verify: `${ctx.idPrefix}verify` };
}

/**
 * The image release as four jobs: build and push by digest, scan every platform of that digest,
 * only then create the tags, and finally verify the published release. The scan job is a
 * per-platform matrix already, so a per-platform build (native runners) can later replace the
 * build job without changing the others.
 */
export function imageJobs(model: ResolvedModel, ctx: JobContext): Record<string, WorkflowJob> {
  const ids = jobIds(ctx);
  const jobs: Record<string, WorkflowJob> = {};
  jobs[ids.build] = buildJob(model, ctx);
  if (model.scan.enabled) jobs[ids.scan] = scanJob(model, ids.build);
  jobs[ids.publish] = publishJob(model, ids.build, model.scan.enabled ? [ids.build, ids.scan] : [ids.build]);
  if (ctx.cli) jobs[ids.verify] = verifyJob(model, ctx, ctx.cli, [ids.build, ids.publish]);
  return jobs;
}

function buildJob(model: ResolvedModel, ctx: JobContext): WorkflowJob {
  const fromProjenRelease = model.trigger === ReleaseTrigger.PROJEN_RELEASE;
  if (fromProjenRelease && !ctx.releaseArtifactIdExpression) {
    throw new Error('the projen-release trigger needs the release artifact id of the host workflow');
  }
  const source = versionSourceOf(model);
  const tagInputs = metadataTagInputs(model.tags, model.trigger, source);
  const steps: WorkflowStep[] = [
    checkoutStep(),
    ...(fromProjenRelease ? releaseTagSteps(ctx.releaseArtifactIdExpression!) : []),
    ...(model.tagPrefix !== '' ? [releaseVersionStep(model.tagPrefix, source.tagExpression)] : []),
    ...(model.tags.latest === LatestPolicy.HIGHEST_VERSION ? [highestVersionStep(source.tagExpression, model.tagPrefix)] : []),
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

function verifyJob(model: ResolvedModel, ctx: JobContext, cli: CliSource, needs: string[]): WorkflowJob {
  const releaseTag = model.trigger === ReleaseTrigger.PROJEN_RELEASE ? `needs.${jobIds(ctx).build}.outputs.tag` : 'github.ref_name';
  return {
    name: 'Verify the published release',
    needs,
    runsOn: model.runsOn,
    permissions: { contents: 'read', packages: 'read' },
    timeoutMinutes: 15,
    steps: verifySteps(cli, releaseTag),
  };
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
