import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { javascript, Project, Testing } from 'projen';
import * as YAML from 'yaml';
import { ImageRelease, ImageReleaseOptions } from '../src';
import { BEGIN_MARKER, END_MARKER } from '../src/dockerfile/block';

const ROOT = path.join(__dirname, '..');

/** A Dockerfile with two stages, as users write them. */
export const SAMPLE_DOCKERFILE = [
  'FROM node:22-alpine AS build',
  'WORKDIR /src',
  'RUN echo build',
  '',
  'FROM node:22-alpine',
  'COPY --from=build /src /app',
  'USER 1000:1000',
  'CMD ["node", "/app/index.js"]',
  '',
].join('\n');

/** What to undo after the current test file, newest first: temp dirs to remove, processes to stop. */
const cleanups: Array<() => void> = [];

/**
 * A fresh temp directory, removed after the current test file (see `cleanUp`). Every test project
 * needs its own outdir: projen's Testing.synth deletes a project's outdir, which would otherwise be
 * the current directory. Testing.synth may already have removed it, hence `force`.
 */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `undo` after the current test file, before the temp dirs made so far are removed: for a
 * process that works in one of them, such as a local registry.
 */
export function afterTestFile(undo: () => void): void {
  cleanups.push(undo);
}

/**
 * Runs every cleanup of the current test file, newest first, and throws the first error after
 * running them all. test/setup.ts calls it in an `afterAll` of every test file.
 */
export function cleanUp(): void {
  const errors: unknown[] = [];
  for (let undo = cleanups.pop(); undo; undo = cleanups.pop()) {
    try {
      undo();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/** Synthesizes a project into its outdir as `npx projen` does, without the install that follows. */
export function synthWithoutInstall(project: Project): void {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
}

/** A bare projen project (no release component) in a temp dir holding a Dockerfile (none for null). */
export function bareProject(dockerfile: string | null = SAMPLE_DOCKERFILE): Project {
  const outdir = tempDir();
  if (dockerfile !== null) fs.writeFileSync(path.join(outdir, 'Dockerfile'), dockerfile);
  return new Project({ name: 'demo', outdir });
}

/** A Node project with projen's release component (like a JsiiProject), in a temp dir. */
export function releasedNodeProject(extra: Partial<javascript.NodeProjectOptions> = {}): javascript.NodeProject {
  const outdir = tempDir();
  fs.writeFileSync(path.join(outdir, 'Dockerfile'), SAMPLE_DOCKERFILE);
  return new javascript.NodeProject({
    name: 'demo-operator',
    outdir,
    defaultReleaseBranch: 'main',
    release: true,
    repository: 'https://github.com/Acme-Corp/Demo-Operator.git',
    description: 'A demo operator',
    packageManager: javascript.NodePackageManager.NPM,
    ...extra,
  });
}

/** Synthesizes a bare project with an ImageRelease and returns its files. */
export function synthBare(options: ImageReleaseOptions = { image: 'ghcr.io/acme/demo' }, dockerfile?: string): Record<string, any> {
  const project = bareProject(dockerfile);
  new ImageRelease(project, options);
  return Testing.synth(project);
}

/** Parses a generated YAML file. */
export function parseYaml(text: string): any {
  return YAML.parse(text);
}

/** Every step of every job of a parsed workflow, with its job id. */
export function allSteps(workflow: any): Array<{ jobId: string; step: any }> {
  return Object.entries<any>(workflow.jobs).flatMap(([jobId, job]) => (job.steps ?? []).map((step: any) => ({ jobId, step })));
}

/**
 * The field's own linters on the generated files of the project at `outdir` (scripts/lint-generated:
 * actionlint with shellcheck, zizmor offline, hadolint, the JSON schemas of workflows and
 * dependabot.yml), which exits non-zero on any finding. Needs scripts/install-linters.
 */
export function lintGenerated(outdir: string): { code: number | null; output: string } {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/lint-generated'), outdir], { encoding: 'utf-8' });
  // Linters colour their output on CI (CI=true) even without a terminal: compare the text alone.
  return { code: r.status, output: `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') };
}

/**
 * Lints the generated files of the project at `outdir` (see {@link lintGenerated}) and expects no
 * finding, nor any from zizmor's pedantic persona (see {@link expectCleanPedantic}). Returns the
 * linters' output.
 */
export function expectCleanLint(outdir: string): string {
  const r = lintGenerated(outdir);
  // On a finding, the whole output is in the failure message.
  expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expect.stringContaining('No findings to report') });
  expectCleanPedantic(outdir);
  return r.output;
}

/** The workflow files of the project at `outdir`. */
export function workflowFiles(outdir: string): string[] {
  const dir = path.join(outdir, '.github/workflows');
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

/**
 * zizmor offline with its pedantic persona (code smells too: undocumented permissions, jobs
 * without a name, workflows without a run limit) on the workflows of the project at `outdir`.
 */
export function zizmorPedantic(outdir: string): { code: number | null; output: string } {
  const r = spawnSync(path.join(ROOT, '.venv-lint/bin/zizmor'), ['--offline', '--persona', 'pedantic', '--no-progress', ...workflowFiles(outdir)], {
    encoding: 'utf-8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') };
}

/**
 * Expects zizmor's pedantic persona to find nothing in the workflows of the project at `outdir`;
 * what it ignores must be exactly the exceptions written in them, each with its reason. Returns
 * zizmor's output.
 */
export function expectCleanPedantic(outdir: string): string {
  const r = zizmorPedantic(outdir);
  // On a finding, the whole output is in the failure message.
  expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expect.stringContaining('No findings to report') });
  const exceptions = workflowFiles(outdir).flatMap((f) => fs.readFileSync(f, 'utf-8').split('\n').filter((l) => l.includes('# zizmor: ignore[')));
  if (exceptions.length > 0) expect(r.output).toContain(`(${exceptions.length} ignored`);
  else expect(r.output).not.toMatch(/\d+ ignored/);
  for (const line of exceptions) expect(line).toMatch(/# zizmor: ignore\[[a-z-]+\] \S+ .{20,}/);
  return r.output;
}

/**
 * The permissions of a workflow's jobs that have no reason beside them, as `job/permission`:
 * each grant's line must end in a comment saying why the job holds it.
 */
export function permissionsWithoutReason(text: string): string[] {
  const doc = YAML.parseDocument(text);
  const jobs = doc.get('jobs', true);
  if (!YAML.isMap(jobs)) return [];
  const missing: string[] = [];
  for (const job of jobs.items) {
    const permissions = YAML.isMap(job.value) ? job.value.get('permissions', true) : undefined;
    if (!YAML.isMap(permissions)) continue;
    for (const grant of permissions.items) {
      const comment = YAML.isScalar(grant.value) ? grant.value.comment?.trim() : undefined;
      if (!comment || comment.length < 10) missing.push(`${String((job.key as YAML.Scalar).value)}/${String((grant.key as YAML.Scalar).value)}`);
    }
  }
  return missing;
}

/** A directory holding these files (path -> content). */
export function repoWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** A git repository in `dir` whose remote `origin` is `url`. */
export function withRemote(dir: string, url: string): string {
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['remote', 'add', 'origin', url], { cwd: dir });
  return dir;
}

/** The user's Dockerfile of a Go operator made by kubebuilder. */
export const GO_DOCKERFILE = [
  'FROM golang:1.23 AS builder',
  'WORKDIR /workspace',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o manager ./cmd',
  '',
  'FROM gcr.io/distroless/static:nonroot',
  'COPY --from=builder /workspace/manager /manager',
  'USER 65532:65532',
  'ENTRYPOINT ["/manager"]',
  '',
].join('\n');

/** The text with the managed block (its BEGIN line to its END line, both included) taken out. */
export function withoutBlock(text: string, begin: string = BEGIN_MARKER, end: string = END_MARKER): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end) + end.length + 1;
  return text.slice(0, start) + text.slice(stop);
}

/** What the CLI answered: its exit code and output. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI from source as a process in `cwd`, as users run it. */
export function runCli(args: readonly string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf-8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What `run` prints through console.log, console.warn and console.error (projen's logger), as one text. */
export function warningsOf(run: () => void): string {
  const spies = [jest.spyOn(console, 'error'), jest.spyOn(console, 'log'), jest.spyOn(console, 'warn')].map((s) => s.mockImplementation(() => undefined));
  try {
    run();
    return spies.flatMap((s) => s.mock.calls.map((c) => c.join(' '))).join('\n');
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}
