import * as fs from 'fs';
import * as path from 'path';
import { javascript, typescript } from 'projen';
import { BuildCache, ContainerImageProject, ImageRelease, ImageReleaseOptions, NodeOperatorProject, Platform, ReleaseTrigger, Severity, ZeroMajorPolicy } from '../src';
import {
  bareProject, expectCleanLint, expectCleanPedantic, GO_DOCKERFILE, lintGenerated, permissionsWithoutReason, releasedNodeProject, repoWith,
  SAMPLE_DOCKERFILE, synthWithoutInstall, tempDir, workflowFiles, zizmorPedantic,
} from './util';

const ROOT = path.join(__dirname, '..');

const VARIANTS: Array<[string, ImageReleaseOptions]> = [
  ['release-published, v-prefixed, no 0 major', { trigger: ReleaseTrigger.RELEASE_PUBLISHED, tags: { vPrefixedVersion: true, zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG } }],
  ['registry cache, one platform, report-only scan', { cache: BuildCache.registry(), platforms: [Platform.LINUX_AMD64], scan: { failBuild: false, sarifUpload: false } }],
  ['no scan, no cache, three platforms', { scan: { enabled: false }, cache: BuildCache.none(), platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7] }],
  ['scheduled re-scan, signed, SBOM only', { rescan: { enabled: true }, attestations: { provenance: false, sign: true } }],
  ['gate on CRITICAL only, no SARIF', { scan: { severities: [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM], failOn: Severity.CRITICAL, sarifUpload: false } }],
];

test.each(VARIANTS)('standalone variant: %s passes every linter', (_name, options) => {
  const project = bareProject();
  new ImageRelease(project, { image: 'ghcr.io/acme/demo', ...options });
  project.synth();
  const r = lintGenerated(project.outdir);
  expect(r.output).toContain(`${options.rescan ? 3 : 2} workflows, 1 Dockerfiles, 1 dependabot.yml checked`);
  expect(r.code).toBe(0);
});

test('the retention workflow passes every linter', () => {
  const project = bareProject();
  new ImageRelease(project, { image: 'ghcr.io/acme/demo', retention: { keep: 3 } });
  project.synth();
  const r = lintGenerated(project.outdir);
  expect(r.output).toContain('3 workflows, 1 Dockerfiles, 1 dependabot.yml checked');
  expect(r.code).toBe(0);
});

/** A fresh consumer repository of each common kind, synthesized as `npx projen` would (no install). */
const CONSUMERS: Array<[string, () => javascript.NodeProject]> = [
  ['a Node project with projen\'s release', () => releasedNodeProject()],
  ['a TypeScript app (projen\'s defaults)', () => {
    const outdir = tempDir();
    fs.writeFileSync(path.join(outdir, 'Dockerfile'), SAMPLE_DOCKERFILE);
    return new typescript.TypeScriptProject({
      name: 'app',
      outdir,
      defaultReleaseBranch: 'main',
      packageManager: javascript.NodePackageManager.NPM,
      repository: 'https://github.com/acme/app.git',
      description: 'An app',
    });
  }],
];

test.each(CONSUMERS)('%s: projen\'s workflows and the image jobs pass every linter with no configuration', (_name, make) => {
  const project = make();
  new ImageRelease(project);
  synthWithoutInstall(project);
  // projen's own workflows carry exceptions, each with its reason.
  expect(expectCleanLint(project.outdir)).toMatch(/\(\d+ ignored/);
});

test.each<[string, Partial<javascript.NodeProjectOptions>]>([
  ['pnpm at a bare major', { packageManager: javascript.NodePackageManager.PNPM, pnpmVersion: '9' }],
  ['yarn berry', { packageManager: javascript.NodePackageManager.YARN_BERRY }],
  ['bun', { packageManager: javascript.NodePackageManager.BUN }],
])('with %s, the verify and prune jobs pass every linter', (_name, options) => {
  // Without projen's own workflows, whose pnpm setup the pin table has no commit for.
  const project = releasedNodeProject({ release: false, buildWorkflow: false, depsUpgrade: false, ...options });
  new ImageRelease(project, { retention: {} });
  synthWithoutInstall(project);
  // image-check, image-retention, release-image and projen's pull-request-lint.
  expect(lintGenerated(project.outdir)).toEqual({ code: 0, output: expect.stringContaining('4 workflows, 1 Dockerfiles, 1 dependabot.yml checked') });
});

test('a finding fails the lint (the check can fail)', () => {
  const project = bareProject('FROM node:latest\nRUN cd /tmp && echo hi\n');
  new ImageRelease(project, { image: 'ghcr.io/acme/demo' });
  project.synth();
  const r = lintGenerated(project.outdir);
  expect(r.code).toBe(1);
  expect(r.output).toContain('DL3007');
});

/** A fresh repository of a project type, synthesized as `npx projen` does (no install); its directory. */
function freshNodeOperator(extra: { chart?: boolean } = {}): string {
  const dir = tempDir();
  synthWithoutInstall(new NodeOperatorProject({ name: 'my-op', defaultReleaseBranch: 'main', outdir: dir, image: 'ghcr.io/acme/my-op', ...extra }));
  return dir;
}

function freshContainerImage(): string {
  const dir = repoWith({ 'Dockerfile': GO_DOCKERFILE, 'go.mod': 'module github.com/acme/go-op\n\ngo 1.23\n', 'main.go': 'package main\n\nfunc main() {}\n' });
  synthWithoutInstall(new ContainerImageProject({ name: 'go-op', outdir: dir, image: 'ghcr.io/acme/go-op' }));
  return dir;
}

/** This repository's examples that have workflows. */
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((e) => fs.existsSync(path.join(ROOT, 'examples', e, '.github/workflows')))
  .map((e): [string, () => string] => [`the example ${e}`, () => path.join(ROOT, 'examples', e)]);

/** Every repository whose workflows the pedantic persona checks: fresh consumers, this one, its examples. */
const REPOSITORIES: Array<[string, () => string]> = [
  ['a fresh node-operator repository', () => freshNodeOperator()],
  ['a fresh node-operator repository with a chart', () => freshNodeOperator({ chart: true })],
  ['a fresh container-image repository', freshContainerImage],
  ['this repository', () => ROOT],
  ...EXAMPLES,
];

test('the examples with workflows are all checked', () => {
  expect(EXAMPLES.map(([name]) => name)).toEqual(expect.arrayContaining(['the example kube9-operator', 'the example operator-webhook']));
});

describe.each(REPOSITORIES)('%s', (_name, make) => {
  const dir = make();

  test('zizmor\'s pedantic persona finds nothing; what it ignores is an exception written with its reason', () => {
    expectCleanPedantic(dir);
  });

  test('every permission of every job says why the job holds it', () => {
    const missing = workflowFiles(dir).flatMap((f) => permissionsWithoutReason(fs.readFileSync(f, 'utf-8')).map((p) => `${path.basename(f)}: ${p}`));
    expect(missing).toEqual([]);
  });
});

test.each<[string, ImageReleaseOptions]>([
  ['retention and the re-scan', { retention: { keep: 3 }, rescan: { enabled: true } }],
  ['a registry cache, no SARIF, no attestations', { cache: BuildCache.registry(), scan: { sarifUpload: false }, attestations: { provenance: false, sbom: false } }],
])('the standalone workflows with %s: every permission says why, and the pedantic persona finds nothing', (_name, options) => {
  const project = bareProject();
  new ImageRelease(project, { image: 'ghcr.io/acme/demo', ...options });
  project.synth();
  for (const f of workflowFiles(project.outdir)) expect([f, permissionsWithoutReason(fs.readFileSync(f, 'utf-8'))]).toEqual([f, []]);
  expectCleanPedantic(project.outdir);
});

test('a permission without its reason, and a pedantic finding, are found (the checks can fail)', () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read # check out the repository\n      packages: write\n    steps:\n      - run: echo hi\n';
  expect(permissionsWithoutReason(text)).toEqual(['a/packages']);
  const dir = repoWith({ '.github/workflows/a.yml': text });
  const r = zizmorPedantic(dir);
  expect(r.code).not.toBe(0);
  expect(r.output).toContain('undocumented-permissions');
});
