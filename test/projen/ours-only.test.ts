import * as fs from 'fs';
import * as path from 'path';
import { github, javascript, LogLevel, Project, Testing } from 'projen';
import { BuildArgValue, DependabotEcosystem, ImageRelease, ImageReleaseOptions } from '../../src';
import { projenGrantReason, runnerTempFromEnvironment } from '../../src/projen/harden';
import { parseYaml, releasedNodeProject, SAMPLE_DOCKERFILE, synthWithoutInstall, warningsOf } from '../util';

/** A project without projen's release in an existing directory. */
function bareProjectIn(outdir: string): Project {
  return new Project({ name: 'demo', outdir });
}

/** A user's own workflow, declared in .projenrc: an old checkout that pushes with git, a SHA-pinned step, an old build-push major. */
function addUserWorkflow(project: javascript.NodeProject): void {
  const wf = new github.GithubWorkflow(github.GitHub.of(project)!, 'docs');
  wf.on({ push: { branches: ['main'] } });
  wf.addJobs({
    publish_docs: {
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.WRITE },
      steps: [
        { uses: 'actions/checkout@v2' },
        { uses: 'actions/setup-node@1e60f620b9541d16bece96c5465dc8ee9832be0b' },
        { uses: 'docker/build-push-action@v2', with: { push: false, tags: 'ghcr.io/acme-corp/docs-site:latest' } },
        { run: 'git push origin HEAD:gh-pages' },
      ],
    },
  });
  // A job of the user's inside projen's own release workflow.
  project.release!.addJobs({
    notify: {
      runsOn: ['ubuntu-latest'],
      permissions: {},
      needs: ['release'],
      steps: [{ uses: 'actions/checkout@v2' }, { run: 'git fetch --tags' }],
    },
  });
}

function synth(options: ImageReleaseOptions | undefined, setup: (p: javascript.NodeProject) => void = addUserWorkflow): Record<string, any> {
  const project = releasedNodeProject();
  setup(project);
  if (options) new ImageRelease(project, options);
  return Testing.synth(project);
}

describe('the user\'s own workflows and jobs keep every byte', () => {
  const without = synth(undefined);
  const withRelease = synth({});

  test('a workflow the user declared is identical with and without ImageRelease', () => {
    expect(withRelease['.github/workflows/docs.yml']).toBe(without['.github/workflows/docs.yml']);
    expect(withRelease['.github/workflows/docs.yml']).toContain('actions/checkout@v2\n');
  });

  test('a job the user added to projen\'s release workflow is identical', () => {
    expect(parseYaml(withRelease['.github/workflows/release.yml']).jobs.notify).toEqual(parseYaml(without['.github/workflows/release.yml']).jobs.notify);
    expect(withRelease['.github/workflows/release.yml']).not.toMatch(/checkout@v2 #/);
  });

  test('projen\'s own jobs are pinned within the major projen chose, with version comments', () => {
    const release = parseYaml(withRelease['.github/workflows/release.yml']);
    expect(release.jobs.release_github.steps[0].uses).toBe('actions/setup-node@820762786026740c76f36085b0efc47a31fe5020');
    expect(withRelease['.github/workflows/release.yml']).toContain('actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0');
    const upgrade = parseYaml(withRelease['.github/workflows/upgrade-main.yml']);
    expect(upgrade.jobs.pr.steps.find((s: any) => String(s.uses).startsWith('peter-evans/')).uses).toBe('peter-evans/create-pull-request@5f6978faf089d4d20b00c7766989d076bb2fc7f1');
  });

  test('checkouts of projen jobs whose later steps use git keep their credentials, with the reason beside them', () => {
    const build = withRelease['.github/workflows/build.yml'] as string;
    const wire = parseYaml(build);
    expect(wire.jobs.build.steps[0].with['persist-credentials']).toBe(false);
    expect(wire.jobs['self-mutation'].steps[0].with['persist-credentials']).toBeUndefined();
    expect(build).toMatch(/- name: Checkout # zizmor: ignore\[artipacked\] a later step of this projen job uses/);
  });

  test('projen\'s hardened workflows grant nothing at the top, limit their runs, name every job and expand no expression into a script', () => {
    const build = parseYaml(withRelease['.github/workflows/build.yml']);
    const upgrade = parseYaml(withRelease['.github/workflows/upgrade-main.yml']);
    for (const wf of [build, upgrade, parseYaml(withRelease['.github/workflows/release.yml'])]) expect(wf.permissions).toEqual({});
    expect(build.concurrency).toEqual({ 'group': '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}', 'cancel-in-progress': true });
    expect(upgrade.concurrency).toEqual({ 'group': '${{ github.workflow }}', 'cancel-in-progress': false });
    expect(build.jobs['self-mutation'].name).toBe('self-mutation');
    const scripts: string[] = [...Object.values<any>(build.jobs), ...Object.values<any>(upgrade.jobs)].flatMap((j) => j.steps.map((s: any) => s.run ?? ''));
    expect(scripts.some((r) => r.includes('"${RUNNER_TEMP}"/repo.patch'))).toBe(true);
    expect(scripts.filter((r) => r.includes('${{'))).toEqual([]);
    // The user's job in projen's release workflow still holds exactly what it declared.
    expect(parseYaml(withRelease['.github/workflows/release.yml']).jobs.notify.permissions).toEqual({});
  });

  test('projen\'s permissions say why; a permission the table does not know is left without a reason', () => {
    expect(withRelease['.github/workflows/build.yml']).toContain('contents: write # push the self-mutation commit to the pull request\'s branch');
    expect(projenGrantReason('build', 'self-mutation', 'contents', 'write')).toBeDefined();
    expect(projenGrantReason('build', 'self-mutation', 'contents', 'read')).toBeUndefined();
    expect(projenGrantReason('docs', 'publish_docs', 'contents', 'write')).toBeUndefined();
  });

  test('hardenProjenWorkflows: false leaves projen\'s jobs as projen wrote them, and still comments the image jobs', () => {
    const off = synth({ hardenProjenWorkflows: false }, () => undefined);
    const plain = synth(undefined, () => undefined);
    const jobsOf = (files: Record<string, any>) => parseYaml(files['.github/workflows/release.yml']).jobs;
    expect(jobsOf(off).release_github).toEqual(jobsOf(plain).release_github);
    // build.yml: projen's jobs are as projen wrote them; only the image build check joins it.
    const buildOf = (files: Record<string, any>) => parseYaml(files['.github/workflows/build.yml']);
    for (const id of Object.keys(buildOf(plain).jobs)) expect(buildOf(off).jobs[id]).toEqual(buildOf(plain).jobs[id]);
    expect(Object.keys(buildOf(off).jobs).filter((id) => !(id in buildOf(plain).jobs))).toEqual(['image_check_linux_amd64', 'image_check_linux_arm64']);
    expect(off['.github/workflows/build.yml']).not.toContain('zizmor: ignore');
    expect(buildOf(off).permissions).toBeUndefined();
    expect(off['.github/workflows/build.yml']).toMatch(/contents: read # check out the build context\n/);
    const imageUses = (off['.github/workflows/release.yml'] as string).split('\n').filter((l) => /uses: docker\//.test(l));
    expect(imageUses.length).toBeGreaterThan(3);
    for (const line of imageUses) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });
});

describe('one publisher per image', () => {
  function withPublisher(project: javascript.NodeProject): void {
    const wf = new github.GithubWorkflow(github.GitHub.of(project)!, 'docker');
    wf.on({ push: { tags: ['v*'] } });
    wf.addJobs({
      publish_container: {
        runsOn: ['ubuntu-latest'],
        permissions: { packages: github.workflows.JobPermission.WRITE },
        steps: [{ uses: 'docker/build-push-action@v6', with: { push: true, tags: 'ghcr.io/${{ github.repository }}:latest' } }],
      },
    });
  }

  test('another job pushing the image stops synthesis, naming the file and the job', () => {
    expect(() => synth({}, withPublisher)).toThrow(/\.github\/workflows\/docker\.yml job "publish_container" also publishes ghcr\.io\/acme-corp\/demo-operator/);
  });

  test('the message names the way out and the tag format to keep', () => {
    expect(() => synth({}, withPublisher)).toThrow(/allowedPublishers: \["\.github\/workflows\/docker\.yml:publish_container"\]/);
    expect(() => synth({}, withPublisher)).toThrow(/tags: \{ vPrefixedVersion: true \}/);
  });

  test('a publisher the user allows, or none, synthesizes', () => {
    expect(() => synth({ allowedPublishers: ['.github/workflows/docker.yml:publish_container'] }, withPublisher)).not.toThrow();
    expect(() => synth({})).not.toThrow();
  });

  test('an allowed publisher that publishes nothing is named, not silently kept', () => {
    expect(() => synth({ allowedPublishers: ['.github/workflows/docker.yml:publish_container'] }))
      .toThrow('allowedPublishers: ".github/workflows/docker.yml:publish_container" names no job that publishes ghcr.io/acme-corp/demo-operator; remove it');
  });

  test('a hand-written release-image.yml is another publisher when the image jobs live in release.yml', () => {
    const project = releasedNodeProject();
    fs.mkdirSync(path.join(project.outdir, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(project.outdir, '.github/workflows/release-image.yml'), [
      'on: push', 'jobs:', '  push:', '    runs-on: ubuntu-latest', '    steps:', '      - run: docker push ghcr.io/acme-corp/demo-operator:1', '',
    ].join('\n'));
    new ImageRelease(project);
    expect(() => Testing.synth(project)).toThrow(/release-image\.yml job "push" also publishes/);
  });

  test('the image jobs a previous synthesis wrote elsewhere are not another publisher (switching triggers)', () => {
    const project = releasedNodeProject();
    new ImageRelease(project);
    const before = Testing.synth(project);
    const standalone = bareProjectIn(project.outdir);
    fs.mkdirSync(path.join(project.outdir, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(project.outdir, 'Dockerfile'), SAMPLE_DOCKERFILE);
    fs.writeFileSync(path.join(project.outdir, '.github/workflows/release.yml'), before['.github/workflows/release.yml']);
    new ImageRelease(standalone, { image: 'ghcr.io/acme-corp/demo-operator' });
    expect(() => Testing.synth(standalone)).not.toThrow();
  });

  test('a hand-written workflow file on disk is found too', () => {
    const project = releasedNodeProject();
    fs.mkdirSync(path.join(project.outdir, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(project.outdir, '.github/workflows/legacy.yml'), [
      'on: push',
      'jobs:',
      '  push:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: docker push ghcr.io/acme-corp/demo-operator:edge',
      '',
    ].join('\n'));
    new ImageRelease(project);
    expect(() => Testing.synth(project)).toThrow(/\.github\/workflows\/legacy\.yml job "push" also publishes/);
  });
});

describe('no side effects on the user\'s packaging', () => {
  const project = releasedNodeProject();
  new ImageRelease(project);
  const files = Testing.synth(project);

  test('the Dockerfile stays in the npm package; the generated image doc does not go in', () => {
    expect(files['.npmignore']).not.toMatch(/^\/Dockerfile$/m);
    expect(files['.npmignore']).toMatch(/^\/docs\/image-release\.md$/m);
  });
});

describe('warnings at synthesis', () => {

  test('an image without a description names labels.description', () => {
    const out = warningsOf(() => new ImageRelease(releasedNodeProject({ description: undefined, logging: { level: LogLevel.WARN } })));
    expect(out).toContain('the image has no description (GHCR shows none): set labels.description');
  });

  test('no lockfile names the fix, except in projen new, which installs after synthesizing', () => {
    expect(warningsOf(() => new ImageRelease(releasedNodeProject({ logging: { level: LogLevel.WARN } })))).toContain('there is none yet; add it to the devDependencies');
    process.env.PROJEN_CREATE_PROJECT = 'true';
    try {
      expect(warningsOf(() => new ImageRelease(releasedNodeProject({ logging: { level: LogLevel.WARN } })))).not.toContain('verify:');
    } finally {
      delete process.env.PROJEN_CREATE_PROJECT;
    }
  });

  test('a lockfile without the CLI names the fix, and verify: false', () => {
    const project = releasedNodeProject({ logging: { level: LogLevel.WARN } });
    fs.writeFileSync(path.join(project.outdir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {} } }));
    const out = warningsOf(() => new ImageRelease(project));
    expect(out).toContain('verify: package-lock.json has no entry for projen-image-release');
    expect(out).toContain('set verify: false');
  });

  test('a lockfile that locks the CLI to a local tarball says the verify job cannot install it', () => {
    const project = releasedNodeProject({ logging: { level: LogLevel.WARN } });
    const lock = { lockfileVersion: 3, packages: { 'node_modules/projen-image-release': { version: '0.0.0', resolved: 'file:../projen-image-release-0.0.0.tgz' } } };
    fs.writeFileSync(path.join(project.outdir, 'package-lock.json'), JSON.stringify(lock));
    expect(warningsOf(() => new ImageRelease(project))).toContain('verify: package-lock.json locks projen-image-release to file:../projen-image-release-0.0.0.tgz, not a version published to a registry');
  });

  test('a lockfile with a published version gives no warning', () => {
    const project = releasedNodeProject({ logging: { level: LogLevel.WARN } });
    const lock = { lockfileVersion: 3, packages: { 'node_modules/projen-image-release': { version: '1.2.0', resolved: 'https://registry.npmjs.org/projen-image-release/-/projen-image-release-1.2.0.tgz' } } };
    fs.writeFileSync(path.join(project.outdir, 'package-lock.json'), JSON.stringify(lock));
    expect(warningsOf(() => new ImageRelease(project))).not.toContain('verify:');
  });
});

describe('Dependabot agrees with projen', () => {
  const DEPENDABOT = '.github/dependabot.yml';

  /** Synthesizes the same project into `outdir`, as `npx projen` does on every run. */
  function synthInto(outdir: string, options: ImageReleaseOptions): void {
    const project = releasedNodeProject({ outdir, deps: ['semver@^7.5.0'], devDeps: ['yaml'] });
    new ImageRelease(project, options);
    synthWithoutInstall(project);
  }

  test('with projen\'s upgrade workflow, npm is left to it by default', () => {
    const files = Testing.synth((() => {
      const p = releasedNodeProject();
      new ImageRelease(p);
      return p;
    })());
    expect(parseYaml(files[DEPENDABOT]).updates.map((u: any) => u['package-ecosystem'])).toEqual(['docker', 'github-actions']);
  });

  test('with npm turned on, a bump of a dependency .projenrc pins is ignored, and one it does not pin survives npx projen', () => {
    const outdir = releasedNodeProject().outdir;
    const options: ImageReleaseOptions = { dependabot: { ecosystems: [DependabotEcosystem.NPM, DependabotEcosystem.GITHUB_ACTIONS] } };
    synthInto(outdir, options);
    const npm = parseYaml(fs.readFileSync(path.join(outdir, DEPENDABOT), 'utf-8')).updates.find((u: any) => u['package-ecosystem'] === 'npm');
    const ignored = npm.ignore.map((i: any) => i['dependency-name']);
    expect(ignored).toEqual(expect.arrayContaining(['projen', 'semver']));
    expect(ignored).not.toContain('yaml');

    // Dependabot's grouped pull request bumps both.
    const pkgFile = path.join(outdir, 'package.json');
    fs.chmodSync(pkgFile, 0o644);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf-8'));
    pkg.dependencies.semver = '^7.7.0';
    pkg.devDependencies.yaml = '^2.9.0';
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));

    synthInto(outdir, options);
    const after = JSON.parse(fs.readFileSync(pkgFile, 'utf-8'));
    // The pinned one goes back (a self-mutation failure, had Dependabot proposed it); the other stays.
    expect(after.dependencies.semver).toBe('^7.5.0');
    expect(after.devDependencies.yaml).toBe('^2.9.0');
  });
});

test('an action of projen\'s jobs the pin table has no commit for is named at synthesis', () => {
  const project = releasedNodeProject({ packageManager: javascript.NodePackageManager.PNPM, logging: { level: LogLevel.WARN } });
  new ImageRelease(project);
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const files = Testing.synth(project);
    const out = spy.mock.calls.map((c) => c.join(' ')).join('\n');
    expect(out).toMatch(/left unpinned: \.github\/workflows\/build\.yml job build: pnpm\/action-setup@v6\.0\.10: the pin table has no release of v6/);
    expect(files['.github/workflows/build.yml']).toContain('uses: pnpm/action-setup@v6.0.10\n');
  } finally {
    spy.mockRestore();
  }
});

test('a build arg the Dockerfile never declares is named at synthesis', () => {
  const project = releasedNodeProject({ logging: { level: LogLevel.WARN } });
  fs.writeFileSync(path.join(project.outdir, 'Dockerfile'), 'FROM node:22-alpine AS build\nARG NODE_ENV\nRUN echo "$NODE_ENV"\n');
  new ImageRelease(project, { buildArgs: { NODE_ENV: BuildArgValue.literal('production'), APP_VERSION: BuildArgValue.version() } });
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    Testing.synth(project);
    const out = spy.mock.calls.map((c) => c.join(' ')).join('\n');
    expect(out).toContain('buildArgs.APP_VERSION: Dockerfile declares no "ARG APP_VERSION", so the build ignores it');
    expect(out).not.toContain('buildArgs.NODE_ENV');
  } finally {
    spy.mockRestore();
  }
});

test('a project synthesized twice writes the same workflows twice (hardening comments and pins are not added again)', () => {
  const project = releasedNodeProject();
  new ImageRelease(project, {});
  const read = () => Object.fromEntries(['build.yml', 'release.yml'].map((f) => [f, fs.readFileSync(path.join(project.outdir, '.github/workflows', f), 'utf-8')]));
  synthWithoutInstall(project);
  const first = read();
  synthWithoutInstall(project);
  expect(read()).toEqual(first);
  expect(first['build.yml']).toMatch(/# v\d+\.\d+\.\d+\n/);
});

test.each([
  ['[ -s ${{ runner.temp }}/repo.patch ]', '[ -s "${RUNNER_TEMP}"/repo.patch ]'],
  ['git apply "${{ runner.temp }}/repo.patch"', 'git apply "${RUNNER_TEMP}/repo.patch"'],
  ["echo '${{ runner.temp }}' \"x\" ${{ runner.temp }}", "echo '${{ runner.temp }}' \"x\" \"${RUNNER_TEMP}\""],
])('projen\'s %j reads the runner\'s temp directory from the environment as %j, quoted once', (script, expected) => {
  expect(runnerTempFromEnvironment(script)).toBe(expected);
});
