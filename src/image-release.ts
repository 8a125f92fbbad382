import * as fs from 'fs';
import * as path from 'path';
import { Component, github, javascript, JsonFile, Project, release as projenRelease } from 'projen';
import * as YAML from 'yaml';
import { dependabotConfig, DEPENDABOT_PATH } from './dependabot/dependabot';
import { blockLines } from './dockerfile/block';
import { releaseDoc, RELEASE_DOC_PATH } from './docs/release-doc';
import { OCI_PREFIX } from './model/labels';
import { resolveModel, parseGitHubRepository } from './model/resolve';
import { ResolvedModel, ProjectFacts } from './model/resolved';
import { ImageReleaseOptions, Platform, ReleaseTrigger } from './options';
import { ModelFile, MODEL_FILE, MODEL_FILE_VERSION } from './plan/model-file';
import { cliSourceOf } from './projen/cli-source';
import { DockerfileFile } from './projen/dockerfile-file';
import { GeneratedFile } from './projen/generated-file';
import { annotateWorkflow, hardenSteps, isProjenJob, onRender, updateJobSteps } from './projen/harden';
import { toProjenJob } from './projen/release-jobs';
import { findPublishers, publisherMessage, WorkflowSource } from './publishers/find-publishers';
import { imageJobs, JobContext, jobIds } from './workflow/jobs';
import { choosePin, findUses, FoundUses, parseWorkflow, ParsedWorkflow, pinsFoundIn, replacedReason } from './workflow/kept-pins';
import { Workflow, WorkflowJob } from './workflow/model';
import { ActionPin, ALL_PINS } from './workflow/pins';
import { renderWorkflow } from './workflow/render';
import { STEP_IDS } from './workflow/step-ids';
import { RELEASE_IMAGE_WORKFLOW_PATH, standaloneWorkflow } from './workflow/workflow';

/** Id prefix of the image jobs inside projen's release workflow. */
const PROJEN_RELEASE_JOB_PREFIX = 'image_';

/** Where projen keeps its workflows. */
const WORKFLOWS_DIR = '.github/workflows';

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

  /** The platforms built. */
  public readonly platforms: Platform[];

  /** What starts the release. */
  public readonly trigger: ReleaseTrigger;

  /** Path of the file holding the image jobs (the standalone workflow or projen's release.yml). */
  public readonly workflowPath: string;

  private readonly model: ResolvedModel;
  private readonly release?: projenRelease.Release;
  /** The image jobs by id, as the library builds them (before pins are chosen). */
  private readonly jobs: Readonly<Record<string, WorkflowJob>>;
  private found: readonly ActionPin[] = [];
  private unpinned: readonly string[] = [];

  constructor(project: Project, options: ImageReleaseOptions = {}) {
    if (ImageRelease.of(project)) {
      throw new Error(`ImageRelease: project "${project.name}" already has an ImageRelease; one project publishes one image`);
    }
    super(project, 'ImageRelease');
    this.release = projenRelease.Release.of(project);
    this.model = resolveModel(options, projectFacts(project, this.release !== undefined));
    this.image = this.model.image;
    this.platforms = [...this.model.platforms];
    this.trigger = this.model.trigger;

    const cli = this.model.verify ? cliSourceOf(project) : undefined;
    if (cli?.warning) project.logger.warn(`ImageRelease: ${cli.warning}`);
    if (!this.model.labels.some(([k]) => k === `${OCI_PREFIX}description`)) {
      project.logger.warn('ImageRelease: the image has no description (GHCR shows none): set labels.description, or a description in package.json');
    }

    let buildJob: WorkflowJob;
    if (this.model.trigger === ReleaseTrigger.PROJEN_RELEASE) {
      const ctx: JobContext = {
        idPrefix: PROJEN_RELEASE_JOB_PREFIX,
        needs: ['release', 'release_github'],
        if: "needs.release.outputs.tag_exists != 'true' && needs.release.outputs.latest_commit == github.sha && !inputs.dry_run",
        releaseArtifactIdExpression: 'needs.release.outputs.artifact_id',
        cli: cli?.source,
      };
      const jobs = imageJobs(this.model, ctx);
      this.release!.addJobs(Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, toProjenJob(job)])));
      buildJob = jobs[jobIds(ctx).build];
      this.jobs = jobs;
      this.workflowPath = `${WORKFLOWS_DIR}/release.yml`;
    } else {
      const workflow = standaloneWorkflow(this.model, cli?.source);
      new GeneratedFile(project, RELEASE_IMAGE_WORKFLOW_PATH, (header) => renderWorkflow(pinWorkflow(workflow, this.found), header));
      buildJob = workflow.jobs.build;
      this.jobs = workflow.jobs;
      this.workflowPath = RELEASE_IMAGE_WORKFLOW_PATH;
    }

    // The CLI and the docs plan releases from the very lines the workflow hands to metadata-action.
    const modelFile = modelFileOf(this.model, buildJob, this.workflowPath, this.release?.branches[0] ?? 'main');
    new JsonFile(project, MODEL_FILE, { obj: modelFile, marker: true, newline: true });
    new GeneratedFile(project, RELEASE_DOC_PATH, (header) => [...header.map((h) => `<!-- ${h} -->`), releaseDoc(modelFile)].join('\n'));
    // The generated document describes the repository's image, not the npm package.
    if (project instanceof javascript.NodeProject) project.addPackageIgnore(`/${RELEASE_DOC_PATH}`);

    // The file splices its block in preSynthesize, before any file is written: a broken Dockerfile stops synthesis cleanly.
    new DockerfileFile(project, this.model.dockerfile, blockLines(this.model.labels));

    if (this.model.dependabot.enabled) {
      assertNoOtherDependabot(project);
      new GeneratedFile(project, DEPENDABOT_PATH, (header) => renderYaml(dependabotConfig(this.model, npmDepsWithVersion(project)), header));
    }
  }

  public preSynthesize(): void {
    // Read the workflows before projen's cleanup removes them: pins Dependabot moved forward (in
    // any workflow file) are kept, so its pull requests survive re-synthesis. Each file is parsed
    // once, for its pins and for its publishers.
    const files = readWorkflowFiles(this.project.outdir);
    const uses = files.flatMap(findUses);
    this.found = pinsFoundIn(uses, ALL_PINS);
    this.assertOnePublisher(files);
    this.hardenProjenWorkflows();
    for (const note of this.replacedPinNotes(uses)) this.project.logger.warn(`ImageRelease: ${note}`);
  }

  public postSynthesize(): void {
    for (const line of [...new Set(this.unpinned)]) this.project.logger.warn(`ImageRelease: left unpinned: ${line}`);
  }

  /** Whether a job of a workflow is one of the image jobs. */
  private isOwnJob(file: string, jobId: string): boolean {
    return file === this.workflowPath && jobId in this.jobs;
  }

  /** Fails when another job of the repository also pushes the image (two publishers defeat the scan gate). */
  private assertOnePublisher(files: readonly ParsedWorkflow[]): void {
    const gh = github.GitHub.of(this.project);
    const inMemory = new Map<string, WorkflowSource>();
    for (const wf of gh?.workflows ?? []) {
      if (wf.file) inMemory.set(wf.file.path, { path: wf.file.path, workflow: plainWorkflow(wf) });
    }
    const sources: WorkflowSource[] = [...inMemory.values()];
    for (const f of files) {
      if (inMemory.has(f.path) || f.path === RELEASE_IMAGE_WORKFLOW_PATH || !f.doc) continue;
      // The data as YAML.parse gives it: warnings printed, a file with errors left out (not YAML:
      // GitHub would not run it either).
      for (const warning of f.doc.warnings) process.emitWarning(warning);
      if (f.doc.errors.length > 0) continue;
      try {
        sources.push({ path: f.path, workflow: f.doc.toJS() });
      } catch {
        // YAML.parse fails here too (e.g. an excessive alias count): left out as well
      }
    }
    const publishers = findPublishers(sources, {
      image: this.model.image,
      repository: parseGitHubRepository(projectFacts(this.project, false).repositoryUrl),
      ownJobs: Object.keys(this.jobs).map((jobId) => ({ path: this.workflowPath, jobId })),
    }).filter((p) => !this.model.allowedPublishers.includes(`${p.path}:${p.jobId}`));
    if (publishers.length === 0) return;
    const optOut = 'list it in allowedPublishers (e.g. allowedPublishers: ["<file>:<job>"]) to keep two publishers';
    const lines = publishers.map((p) => publisherMessage(p, this.model.image, optOut.replace('<file>:<job>', `${p.path}:${p.jobId}`)));
    const continuity = this.model.tags.vPrefixedVersion ? '' : ' If that job published v-prefixed tags (v1.2.3), tags: { vPrefixedVersion: true } keeps that format.';
    throw new Error(`ImageRelease: one publisher per image: the scan gates only the image jobs, so another publisher would push unscanned images of ${this.model.image}.${continuity}\n${lines.map((l) => `  - ${l}`).join('\n')}`);
  }

  /** Pins, credentials and annotations of projen's own jobs and of the image jobs inside them. */
  private hardenProjenWorkflows(): void {
    const gh = github.GitHub.of(this.project);
    if (!gh) return;
    const unpinned: string[] = [];
    const ctx = { table: ALL_PINS, found: this.found, unpinned: (line: string) => unpinned.push(line) };
    // projen renders a workflow once per synthesis; the notices are printed after the files are written.
    const harden = this.model.hardenProjenWorkflows;
    for (const wf of gh.workflows) {
      const file = wf.file?.path ?? `${WORKFLOWS_DIR}/${wf.name}.yml`;
      const scope = (jobId: string) => this.isOwnJob(file, jobId) || (harden && isProjenJob(wf.name, jobId));
      const jobIdsInScope = Object.keys(wf.jobs).filter(scope);
      if (jobIdsInScope.length === 0) continue;
      const projenJobs = harden ? jobIdsInScope.filter((id) => isProjenJob(wf.name, id)) : [];
      for (const jobId of projenJobs) updateJobSteps(wf, jobId, (steps) => hardenSteps(jobId, steps));
      onRender(wf, (text) => annotateWorkflow(text, file, wf.name, scope, ctx, harden));
    }
    this.unpinned = unpinned;
  }

  /** One line per pin a file had for an image step that is not written back, saying why. */
  private replacedPinNotes(uses: readonly FoundUses[]): string[] {
    const written = new Map<string, ActionPin>();
    for (const step of Object.values(this.jobs).flatMap((j) => j.steps)) {
      if (step.uses) written.set(step.uses.action, choosePin(step.uses.action, step.uses.sha, ALL_PINS, this.found).pin ?? step.uses);
    }
    return [...new Set(uses
      .filter((u) => u.jobId !== undefined && this.isOwnJob(u.path, u.jobId) && written.has(u.action))
      .map((u) => replacedReason(u, written.get(u.action)!))
      .filter((n): n is string => n !== undefined))];
  }
}

/** The standalone workflow with every step's pin chosen by the pin policy. */
function pinWorkflow(wf: Workflow, found: readonly ActionPin[]): Workflow {
  const jobs = Object.fromEntries(Object.entries(wf.jobs).map(([id, job]) => [id, {
    ...job,
    steps: job.steps.map((s) => (s.uses ? { ...s, uses: choosePin(s.uses.action, s.uses.sha, ALL_PINS, found).pin ?? s.uses } : s)),
  }]));
  return { ...wf, jobs };
}

/** A projen workflow as plain data (jobs as objects, lazy steps evaluated), for reading. */
function plainWorkflow(wf: github.GithubWorkflow): unknown {
  const jobs: Record<string, unknown> = {};
  for (const [id, job] of Object.entries(wf.jobs)) {
    const plain: any = typeof (job as any).toJSON === 'function' ? (job as any).toJSON() : job;
    jobs[id] = { ...plain, steps: typeof plain.steps === 'function' ? plain.steps() : plain.steps };
  }
  return { name: wf.name, env: (wf as any).env, jobs };
}

/** Every workflow file the project has now, parsed. */
function readWorkflowFiles(outdir: string): ParsedWorkflow[] {
  const dir = path.join(outdir, WORKFLOWS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))
    .map((f) => parseWorkflow({ path: `${WORKFLOWS_DIR}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf-8') }));
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
    tagPrefix: model.tagPrefix,
    metadata: { images: lines('images'), tags: lines('tags'), flavor: lines('flavor') },
    labels: model.labels,
    buildArgs: model.buildArgs,
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

/** npm dependencies `.projenrc.ts` declares with a version: `npx projen` writes them back, whatever Dependabot proposes. */
function npmDepsWithVersion(project: Project): string[] {
  if (!(project instanceof javascript.NodeProject)) return [];
  return [...new Set(project.deps.all.filter((d) => d.version !== undefined && d.version !== '*').map((d) => d.name))].sort();
}

function projectFacts(project: Project, hasProjenRelease: boolean): ProjectFacts {
  const pkg = project instanceof javascript.NodeProject ? project.package : undefined;
  const manifest = pkg?.manifest;
  const repository = manifest?.repository;
  const author = manifest?.author;
  const upgrade = project.components.find((c): c is javascript.UpgradeDependencies => c instanceof javascript.UpgradeDependencies);
  return {
    name: project.name,
    repositoryUrl: stringOrUndefined(typeof repository === 'string' ? repository : repository?.url),
    description: stringOrUndefined(manifest?.description),
    license: stringOrUndefined(pkg?.license),
    author: stringOrUndefined(typeof author === 'string' ? author : author?.name),
    hasProjenRelease,
    hasProjenUpgrade: upgrade !== undefined && upgrade.workflows.length > 0,
    isDirectory: (rel) => {
      try {
        return fs.statSync(path.join(project.outdir, rel)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/** Package metadata may hold lazy values; only plain strings count as known. */
function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
