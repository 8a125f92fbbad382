import { WorkflowJob, WorkflowStep } from './model';
import { JOB_GRANTS, without } from './permissions';
import { STEP_IDS } from './step-ids';
import {
  attestSteps,
  attestationVerifySteps,
  buildPushStep,
  buildxStep,
  chartSteps,
  checkoutStep,
  CliSource,
  commitTimeStep,
  createIndexStep,
  highestVersionStep,
  INDEX_STEP,
  loginStep,
  metadataStep,
  qemuStep,
  projenReleaseTagSteps,
  standaloneReleaseTagStep,
  scanSteps,
  summaryStep,
  verifySteps,
} from './steps';
import { ResolvedLeg, ResolvedModel } from '../model/resolved';
import { LatestPolicy, ReleaseTrigger } from '../options';
import { metadataTagInputs, versionSourceOf } from '../tags/metadata-inputs';

/**
 * How the image jobs connect to the jobs around them. The standalone workflow has none; inside
 * projen's release workflow they wait for the GitHub release and read the tag from its artifact.
 */
export interface JobContext {
  /** Prefix of every job id (to stay clear of the host workflow's ids). */
  readonly idPrefix: string;
  /** Jobs the builds wait for. */
  readonly needs: readonly string[];
  /** Condition of the builds. */
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
  return {
    build: (leg: ResolvedLeg) => `${ctx.idPrefix}build_${leg.id}`,
    scan: (leg: ResolvedLeg) => `${ctx.idPrefix}scan_${leg.id}`,
    publish: `${ctx.idPrefix}publish`,
    attest: `${ctx.idPrefix}attest`,
    verify: `${ctx.idPrefix}verify`,
    chart: `${ctx.idPrefix}chart`,
    verifyChart: `${ctx.idPrefix}verify_chart`,
  };
}

/**
 * The image release: every platform built on its own runner and pushed by digest, every
 * platform's image scanned, and only when all scans passed one job creates the index from the
 * platform digests, with its annotations and every tag; then the index is attested (and signed)
 * in a job of its own; finally the published release is verified. The index digest is the merge
 * job's `digest` output. A chart, when the model has one, is released last, only once the image is
 * published (and verified), and then verified in a job of its own.
 */
export function imageJobs(model: ResolvedModel, ctx: JobContext): Record<string, WorkflowJob> {
  const ids = jobIds(ctx);
  const jobs: Record<string, WorkflowJob> = {};
  for (const leg of model.legs) jobs[ids.build(leg)] = buildJob(model, ctx, leg);
  if (model.scan.enabled) {
    for (const leg of model.legs) jobs[ids.scan(leg)] = scanJob(model, leg, ids.build(leg));
  }
  jobs[ids.publish] = publishJob(model, ctx);
  if (attests(model)) jobs[ids.attest] = attestJob(model, ctx);
  if (ctx.cli) jobs[ids.verify] = verifyJob(model, ctx, ctx.cli);
  if (model.chart) jobs[ids.chart] = chartJob(model, ctx);
  if (model.chart && ctx.cli) jobs[ids.verifyChart] = verifyChartJob(model, ctx, ctx.cli);
  return jobs;
}

/** The steps that find the release's tag and version, before anything reads them. */
function versionSteps(model: ResolvedModel, ctx: JobContext): WorkflowStep[] {
  if (model.trigger !== ReleaseTrigger.PROJEN_RELEASE) return [standaloneReleaseTagStep(model.tagPrefix)];
  if (!ctx.releaseArtifactIdExpression) throw new Error('the projen-release trigger needs the release artifact id of the host workflow');
  return projenReleaseTagSteps(ctx.releaseArtifactIdExpression);
}

function buildJob(model: ResolvedModel, ctx: JobContext, leg: ResolvedLeg): WorkflowJob {
  const steps: WorkflowStep[] = [
    ...versionSteps(model, ctx),
    checkoutStep(),
    commitTimeStep(),
    ...optional(qemuStep(leg)),
    buildxStep(),
    loginStep(model),
    metadataStep(model, metadataTagInputs(model.tags, model.trigger, versionSourceOf(model)), 'manifest'),
    buildPushStep(model, leg),
  ];
  return {
    name: `Build ${leg.platform}`,
    needs: ctx.needs.length > 0 ? ctx.needs : undefined,
    if: ctx.if,
    runsOn: leg.runsOn,
    permissions: JOB_GRANTS.build,
    timeoutMinutes: leg.emulated ? 120 : 60,
    outputs: { digest: { stepId: STEP_IDS.build, outputName: 'digest' } },
    steps,
  };
}

function scanJob(model: ResolvedModel, leg: ResolvedLeg, buildId: string): WorkflowJob {
  return {
    name: `Scan ${leg.platform}`,
    needs: [buildId],
    runsOn: [model.runsOn],
    permissions: without(JOB_GRANTS.scan, !model.scan.sarifUpload && 'security-events'),
    timeoutMinutes: 30,
    steps: [checkoutStep(), ...scanSteps(model, `needs.${buildId}.outputs.digest`, leg.platform)],
  };
}

function publishJob(model: ResolvedModel, ctx: JobContext): WorkflowJob {
  const ids = jobIds(ctx);
  const source = versionSourceOf(model);
  const builds = model.legs.map(ids.build);
  const scans = model.scan.enabled ? model.legs.map(ids.scan) : [];
  return {
    name: 'Create the index and the tags',
    // The host's jobs too: the merge reads the release tag from their artifact.
    needs: [...ctx.needs, ...builds, ...scans],
    runsOn: [model.runsOn],
    permissions: JOB_GRANTS.publish,
    timeoutMinutes: 15,
    outputs: {
      digest: { stepId: INDEX_STEP.id, outputName: INDEX_STEP.output },
      tags: { stepId: STEP_IDS.meta, outputName: 'tags' },
      version: { stepId: STEP_IDS.meta, outputName: 'version' },
      tag: { stepId: STEP_IDS.releaseTag, outputName: 'tag' },
    },
    steps: [
      ...versionSteps(model, ctx),
      ...(model.tags.latest === LatestPolicy.HIGHEST_VERSION ? [highestVersionStep(source.tagExpression, model.tagPrefix)] : []),
      // The commit, for the index's `created` annotation.
      checkoutStep(),
      commitTimeStep(),
      buildxStep(),
      loginStep(model),
      metadataStep(model, metadataTagInputs(model.tags, model.trigger, source), 'index'),
      createIndexStep(model, builds.map((id) => `needs.${id}.outputs.digest`)),
      summaryStep(model),
    ],
  };
}

/** Whether the release has an attest job. */
function attests(model: ResolvedModel): boolean {
  const a = model.attestations;
  return a.provenance || a.sbom || a.sign;
}

/**
 * Attests the index the publish job created, by its digest, with exactly the permissions that
 * needs: an OIDC token for Sigstore, the attestations API, the storage record, the registry push.
 */
function attestJob(model: ResolvedModel, ctx: JobContext): WorkflowJob {
  const publish = jobIds(ctx).publish;
  return {
    name: 'Attest the index',
    needs: [publish],
    runsOn: [model.runsOn],
    permissions: JOB_GRANTS.attest,
    timeoutMinutes: 20,
    steps: attestSteps(model, `needs.${publish}.outputs.digest`),
  };
}

function verifyJob(model: ResolvedModel, ctx: JobContext, cli: CliSource): WorkflowJob {
  const ids = jobIds(ctx);
  const releaseTag = `needs.${ids.publish}.outputs.tag`;
  const attested = attests(model);
  return {
    name: 'Verify the published release',
    needs: attested ? [ids.publish, ids.attest] : [ids.publish],
    runsOn: [model.runsOn],
    permissions: without(JOB_GRANTS.verify, !(model.attestations.provenance || model.attestations.sbom) && 'attestations'),
    timeoutMinutes: 15,
    // With a chart, the image alone: the chart is pushed after this job, and verified after its push.
    steps: [...verifySteps(cli, releaseTag, model.chart ? 'image' : undefined), ...attestationVerifySteps(model, `needs.${ids.publish}.outputs.digest`)],
  };
}

/**
 * Verifies the chart the chart job pushed (its version, appVersion, media types and image values),
 * read-only; `needs` names publish too, for its tag output.
 */
function verifyChartJob(model: ResolvedModel, ctx: JobContext, cli: CliSource): WorkflowJob {
  const ids = jobIds(ctx);
  return {
    name: 'Verify the published chart',
    needs: [ids.chart, ids.publish],
    runsOn: [model.runsOn],
    permissions: JOB_GRANTS.verifyChart,
    timeoutMinutes: 15,
    steps: verifySteps(cli, `needs.${ids.publish}.outputs.tag`, 'chart'),
  };
}

/**
 * Packages and pushes the chart under the image's version, after the image's publish and verify
 * jobs: a release whose image failed never publishes its chart. The only chart job that writes
 * packages.
 */
function chartJob(model: ResolvedModel, ctx: JobContext): WorkflowJob {
  const ids = jobIds(ctx);
  return {
    name: 'Release the Helm chart',
    needs: [ids.publish, ...(ctx.cli ? [ids.verify] : [])],
    runsOn: [model.runsOn],
    permissions: JOB_GRANTS.chart,
    timeoutMinutes: 15,
    steps: chartSteps(model.chart!, `needs.${ids.publish}.outputs.version`),
  };
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
