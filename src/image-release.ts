import * as fs from 'fs';
import * as path from 'path';
import { Component, github, javascript, JsonFile, Project, release as projenRelease } from 'projen';
import * as YAML from 'yaml';
import { dependabotConfig, DEPENDABOT_PATH } from './dependabot/dependabot';
import { blockLines } from './dockerfile/block';
import { releaseDoc, RELEASE_DOC_PATH } from './docs/release-doc';
import { resolveModel } from './model/resolve';
import { ResolvedModel, ProjectFacts } from './model/resolved';
import { ImageReleaseOptions, ReleaseTrigger } from './options';
import { ModelFile, MODEL_FILE, MODEL_FILE_VERSION } from './plan/model-file';
import { DockerfileFile } from './projen/dockerfile-file';
import { GeneratedFile } from './projen/generated-file';
import { dropCheckoutCredentials, pinProjenWorkflows } from './projen/harden';
import { toProjenJob } from './projen/release-jobs';
import { imageJobs, JobContext, jobIds } from './workflow/jobs';
import { keptPinsOfFiles, withPins, WorkflowText } from './workflow/kept-pins';
import { WorkflowJob } from './workflow/model';
import { ActionPin, ALL_PINS } from './workflow/pins';
import { renderWorkflow } from './workflow/render';
import { STEP_IDS } from './workflow/steps';
import { RELEASE_IMAGE_WORKFLOW_PATH, standaloneWorkflow } from './workflow/workflow';

/** The npm package whose CLI the verify job runs. */
const CLI_PACKAGE = 'projen-image-release';

/** The version of this library (the verify job pins its CLI to it). */
function cliVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8')).version;
}

/** Id prefix of the image jobs inside projen's release workflow. */
const PROJEN_RELEASE_JOB_PREFIX = 'image_';

/**
 * The release pipeline of a container image, from one typed model: the image workflow (standalone
 * `release-image.yml`, or jobs in projen's release workflow), the OCI label block inside the
 * hand-written Dockerfile, and `.github/dependabot.yml`.
 *
 * @example
 * new ImageRelease(project, {
 *   labels: { vendor: 'Acme' },
 *   tags: { vPrefixedVersion: true },
 * });
 */
export class ImageRelease extends Component {
  /** The ImageRelease of a project, if it has one. */
  public static of(project: Project): ImageRelease | undefined {
    return project.components.find((c): c is ImageRelease => c instanceof ImageRelease);
  }

  /** The lower-cased image reference without tag, e.g. `ghcr.io/acme/app`. */
  public readonly image: string;

  /** The platforms built, e.g. `linux/amd64`. */
  public readonly platforms: string[];

  /** What starts the release. */
  public readonly trigger: ReleaseTrigger;

  /** Path of the file holding the image jobs (the standalone workflow or projen's release.yml). */
  public readonly workflowPath: string;

  private readonly model: ResolvedModel;
  private keptPins: ReadonlyMap<string, ActionPin> = new Map();

  constructor(project: Project, options: ImageReleaseOptions = {}) {
    if (ImageRelease.of(project)) {
      throw new Error(`ImageRelease: project "${project.name}" already has an ImageRelease; one project publishes one image`);
    }
    super(project, 'ImageRelease');
    const release = projenRelease.Release.of(project);
    this.model = resolveModel(options, projectFacts(project, release !== undefined));
    this.image = this.model.image;
    this.platforms = [...this.model.platforms];
    this.trigger = this.model.trigger;

    let buildJob: WorkflowJob;
    if (this.model.trigger === ReleaseTrigger.PROJEN_RELEASE) {
      // This package releasing itself verifies with the version it is publishing in the same run.
      const self = project instanceof javascript.NodeProject && project.package.packageName === CLI_PACKAGE;
      const ctx: JobContext = {
        idPrefix: PROJEN_RELEASE_JOB_PREFIX,
        needs: ['release', 'release_github'],
        if: "needs.release.outputs.tag_exists != 'true' && needs.release.outputs.latest_commit == github.sha && !inputs.dry_run",
        releaseArtifactIdExpression: 'needs.release.outputs.artifact_id',
        cliVersion: self ? `\${{ needs.${PROJEN_RELEASE_JOB_PREFIX}build.outputs.tag }}` : cliVersion(),
        verifyNeeds: self ? ['release_npm'] : [],
      };
      const jobs = imageJobs(this.model, ctx);
      release!.addJobs(Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, toProjenJob(job)])));
      buildJob = jobs[jobIds(ctx).build];
      this.workflowPath = '.github/workflows/release.yml';
    } else {
      const workflow = standaloneWorkflow(this.model, cliVersion());
      new GeneratedFile(project, RELEASE_IMAGE_WORKFLOW_PATH, (header) => renderWorkflow(withPins(workflow, this.keptPins), header));
      buildJob = workflow.jobs.build;
      this.workflowPath = RELEASE_IMAGE_WORKFLOW_PATH;
    }

    // The CLI and the docs plan releases from the very lines the workflow hands to metadata-action.
    const modelFile = modelFileOf(this.model, buildJob, this.workflowPath, release?.branches[0] ?? 'main');
    new JsonFile(project, MODEL_FILE, { obj: modelFile, marker: true, newline: true });
    new GeneratedFile(project, RELEASE_DOC_PATH, (header) => [...header.map((h) => `<!-- ${h} -->`), releaseDoc(modelFile)].join('\n'));

    // The file splices its block in preSynthesize, before any file is written: a broken Dockerfile stops synthesis cleanly.
    new DockerfileFile(project, this.model.dockerfile, blockLines(this.model.labels));
    if (project instanceof javascript.NodeProject) project.addPackageIgnore(`/${this.model.dockerfile}`);

    const dependabot = dependabotConfig(this.model);
    if (dependabot) {
      assertNoOtherDependabot(project);
      new GeneratedFile(project, DEPENDABOT_PATH, (header) => renderYaml(dependabot, header));
    }
  }

  public preSynthesize(): void {
    // Read the workflows before projen's cleanup removes them: pins Dependabot moved forward (in
    // any workflow file) are kept, so its pull requests survive re-synthesis.
    const kept = keptPinsOfFiles(readWorkflowFiles(this.project.outdir), ALL_PINS);
    for (const note of kept.notes) this.project.logger.warn(note);
    this.keptPins = kept.pins;
    if (this.model.hardenProjenWorkflows) {
      pinProjenWorkflows(this.project, kept.pins);
      dropCheckoutCredentials(this.project);
    }
  }
}

/** Every workflow file the project has now. */
function readWorkflowFiles(outdir: string): WorkflowText[] {
  const dir = '.github/workflows';
  if (!fs.existsSync(path.join(outdir, dir))) return [];
  return fs.readdirSync(path.join(outdir, dir)).filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ path: `${dir}/${f}`, text: fs.readFileSync(path.join(outdir, dir, f), 'utf-8') }));
}

function modelFileOf(model: ResolvedModel, buildJob: WorkflowJob, workflow: string, releaseBranch: string): ModelFile {
  const meta = buildJob.steps.find((step) => step.id === STEP_IDS.meta);
  const lines = (key: string) => String(meta?.with?.[key] ?? '').split('\n').filter((l) => l !== '');
  return {
    formatVersion: MODEL_FILE_VERSION,
    image: model.image,
    platforms: model.platforms,
    trigger: model.trigger,
    workflow,
    releaseBranch,
    metadata: { images: lines('images'), tags: lines('tags'), flavor: lines('flavor') },
    labels: model.labels,
    maxImageSizeMb: model.maxImageSizeMb,
    dockerfile: model.dockerfile,
    context: model.context,
  };
}

function renderYaml(obj: unknown, header: readonly string[]): string {
  const doc = new YAML.Document(obj);
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** projen's Dependabot created later fails on the file clash; one created earlier is caught here. */
function assertNoOtherDependabot(project: Project): void {
  if (project.components.some((c) => c instanceof github.Dependabot) || project.tryFindFile(DEPENDABOT_PATH)) {
    throw new Error(`ImageRelease: projen's own Dependabot component (dependabot: true, or github.addDependabot()) also writes ${DEPENDABOT_PATH}, and only knows npm. `
      + 'Turn it off (dependabot: false) and let ImageRelease write the file, or set ImageReleaseOptions.dependabot.enabled to false.');
  }
}

function projectFacts(project: Project, hasProjenRelease: boolean): ProjectFacts {
  const pkg = project instanceof javascript.NodeProject ? project.package : undefined;
  const manifest = pkg?.manifest;
  const repository = manifest?.repository;
  const author = manifest?.author;
  return {
    name: project.name,
    repositoryUrl: stringOrUndefined(typeof repository === 'string' ? repository : repository?.url),
    description: stringOrUndefined(manifest?.description),
    license: stringOrUndefined(pkg?.license),
    author: stringOrUndefined(typeof author === 'string' ? author : author?.name),
    hasProjenRelease,
  };
}

/** Package metadata may hold lazy values; only plain strings count as known. */
function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
