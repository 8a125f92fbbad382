import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen';
import { BuildArgValue, ImageRelease, LatestPolicy, ReleaseTrigger, ZeroMajorPolicy } from '../../src';
import { tagTable } from '../../src/docs/release-doc';
import { MODEL_FILE, ModelFile, validateModelFile } from '../../src/plan/model-file';
import { planRelease } from '../../src/plan/release-plan';
import { bareProject, parseYaml, releasedNodeProject, tempDir } from '../util';

function synthModel(options: ConstructorParameters<typeof ImageRelease>[1]): { model: ModelFile; files: Record<string, any> } {
  const project = bareProject();
  new ImageRelease(project, options);
  const files = Testing.synth(project);
  return { model: validateModelFile(files[MODEL_FILE], MODEL_FILE), files };
}

const base = { sha: '860c1904a1ce19322e91ac35af1ab07466440c37', now: '2026-01-01T00:00:00.000Z', existingTags: [] as string[] };

test('the model file holds the exact metadata-action lines of the workflow', () => {
  const { model, files } = synthModel({ image: 'ghcr.io/acme/demo' });
  const meta = parseYaml(files['.github/workflows/release-image.yml']).jobs.publish.steps.find((s: any) => s.id === 'meta');
  expect(model.metadata.tags).toEqual(meta.with.tags.trim().split('\n'));
  expect(model.metadata.flavor).toEqual(meta.with.flavor.trim().split('\n'));
  expect(model.metadata.images).toEqual([meta.with.images]);
});

describe('planning a release from the model', () => {
  const { model } = synthModel({ image: 'ghcr.io/acme/demo' });

  test.each<[string, string[], string[]]>([
    ['v1.2.3', ['v1.2.2'], ['1.2.3', '1.2', '1', 'latest']],
    ['v1.2.4', ['v1.2.3', 'v2.0.0'], ['1.2.4', '1.2', '1']],
    ['v2.0.0-rc.1', ['v1.2.3'], ['2.0.0-rc.1']],
    ['v0.3.1', ['v0.3.0'], ['0.3.1', '0.3', '0', 'latest']],
  ])('%s after %j', (tag, existingTags, tags) => {
    const plan = planRelease(model, { ...base, tag, existingTags });
    expect(plan.tags).toEqual(tags);
  });

  test('labels carry the build time, the commit and the version', () => {
    const labels = Object.fromEntries(planRelease(model, { ...base, tag: 'v1.2.3' }).labels);
    expect(labels['org.opencontainers.image.created']).toBe(base.now);
    expect(labels['org.opencontainers.image.revision']).toBe(base.sha);
    expect(labels['org.opencontainers.image.version']).toBe('1.2.3');
    expect(labels['org.opencontainers.image.title']).toBe('demo');
  });

  test('with the commit\'s time, the created label and BUILD_DATE are that time, as the workflow\'s legs set them', () => {
    const plan = planRelease(model, { ...base, tag: 'v1.2.3', commitTime: 1764494100 });
    expect(Object.fromEntries(plan.labels)['org.opencontainers.image.created']).toBe('2025-11-30T09:15:00.000Z');
    expect(Object.fromEntries(plan.buildArgs).BUILD_DATE).toBe('2025-11-30T09:15:00.000Z');
  });
});

test('a release marked pre-release on GitHub gets no latest (release trigger)', () => {
  const { model } = synthModel({ image: 'ghcr.io/acme/demo', trigger: ReleaseTrigger.RELEASE_PUBLISHED });
  expect(planRelease(model, { ...base, tag: 'v1.3.0', prerelease: true }).latest).toBe(false);
  expect(planRelease(model, { ...base, tag: 'v1.3.0', prerelease: false }).latest).toBe(true);
});

test('zero-major policies', () => {
  const noMajor = synthModel({ image: 'ghcr.io/acme/demo', tags: { zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG } }).model;
  const versionOnly = synthModel({ image: 'ghcr.io/acme/demo', tags: { zeroMajor: ZeroMajorPolicy.VERSION_ONLY, latest: LatestPolicy.NEVER } }).model;
  expect(planRelease(noMajor, { ...base, tag: 'v0.3.1' }).tags).toEqual(['0.3.1', '0.3', 'latest']);
  expect(planRelease(versionOnly, { ...base, tag: 'v0.3.1' }).tags).toEqual(['0.3.1']);
  expect(planRelease(noMajor, { ...base, tag: 'v1.3.1' }).tags).toContain('1');
});

test('a projen-released project plans from the release tag on its release branch', () => {
  const project = releasedNodeProject();
  new ImageRelease(project);
  const model = validateModelFile(Testing.synth(project)[MODEL_FILE], MODEL_FILE);
  const plan = planRelease(model, { ...base, tag: 'v1.2.3' });
  expect(plan.ref).toBe('refs/heads/main');
  expect(plan.tags).toEqual(['1.2.3', '1.2', '1', 'latest']);
});

describe('prefixed release tags (a repository with several components)', () => {
  const { model, files } = synthModel({ image: 'ghcr.io/acme/demo', tagPattern: 'operator-v*' });

  test('the workflow runs on the prefixed tags and strips the prefix before metadata-action', () => {
    const wf = parseYaml(files['.github/workflows/release-image.yml']);
    expect(wf.on.push.tags).toEqual(['operator-v*']);
    const read = wf.jobs.publish.steps.find((s: any) => s.id === 'release_tag');
    expect(read.env).toEqual({ TAG: '${{ github.ref_name }}', REF_TYPE: '${{ github.ref_type }}', PREFIX: 'operator-v' });
    expect(model.metadata.tags[0]).toBe('type=semver,pattern={{version}},value=${{ steps.release_tag.outputs.version }}');
  });

  test.each<[string, string[], string[]]>([
    ['operator-v1.2.3', ['operator-v1.2.2', 'webhook-v5.0.0'], ['1.2.3', '1.2', '1', 'latest']],
    ['operator-v1.2.4', ['operator-v1.2.3', 'operator-v2.0.0'], ['1.2.4', '1.2', '1']],
    ['operator-v2.0.0-rc.1', ['operator-v1.2.3'], ['2.0.0-rc.1']],
  ])('%s after %j', (tag, existingTags, tags) => {
    expect(planRelease(model, { ...base, tag, existingTags }).tags).toEqual(tags);
  });

  test('the tag step\'s script gives the planner\'s version', () => {
    const wf = parseYaml(files['.github/workflows/release-image.yml']);
    const step = wf.jobs.build_linux_arm64.steps.find((s: any) => s.id === 'release_tag');
    const out = path.join(tempDir(), 'out');
    const r = spawnSync('bash', ['-c', step.run], { env: { PATH: process.env.PATH, TAG: 'operator-v1.4.0-rc.2', REF_TYPE: 'tag', PREFIX: 'operator-v', GITHUB_OUTPUT: out }, encoding: 'utf-8' });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(out, 'utf-8')).toBe('tag=operator-v1.4.0-rc.2\nversion=1.4.0-rc.2\n');
    const wrong = spawnSync('bash', ['-c', step.run], { env: { PATH: process.env.PATH, TAG: 'webhook-v1.0.0', REF_TYPE: 'tag', PREFIX: 'operator-v', GITHUB_OUTPUT: out }, encoding: 'utf-8' });
    expect(wrong.status).toBe(1);
  });

  test('the documented table uses the prefixed tags', () => {
    expect(tagTable(model)).toContain('| 1.2.4 after 2.0.0 (backport) | operator-v1.2.3, operator-v2.0.0 | `1.2.4`, `1.2`, `1` |');
  });
});

test('build args reach the plan with the per-build facts', () => {
  const { model } = synthModel({ image: 'ghcr.io/acme/demo', buildArgs: { APP_VERSION: BuildArgValue.version(), MODE: BuildArgValue.literal('prod') } });
  expect(planRelease(model, { ...base, tag: 'v1.2.3' }).buildArgs).toEqual([
    ['BUILD_DATE', base.now], ['VCS_REF', base.sha], ['VERSION', '1.2.3'], ['APP_VERSION', '1.2.3'], ['MODE', 'prod'],
  ]);
});

describe('the documented tag tables are the planner\'s', () => {
  const root = path.join(__dirname, '..', '..');
  test.each(['.', 'examples/kube9-operator'])('%s/docs/image-release.md', (dir) => {
    const model = validateModelFile(JSON.parse(fs.readFileSync(path.join(root, dir, MODEL_FILE), 'utf-8')), MODEL_FILE);
    const doc = fs.readFileSync(path.join(root, dir, 'docs/image-release.md'), 'utf-8');
    expect(doc).toContain(tagTable(model));
    expect(tagTable(model)).toContain('| 1.2.4 after 2.0.0 (backport) | v1.2.3, v2.0.0 | `1.2.4`, `1.2`, `1` |');
  });

  test('README.md shows the table of this repository\'s own model', () => {
    const model = validateModelFile(JSON.parse(fs.readFileSync(path.join(root, MODEL_FILE), 'utf-8')), MODEL_FILE);
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf-8')).toContain(tagTable(model));
  });
});

test('a model file of another format is refused with the way out', () => {
  expect(() => validateModelFile({ formatVersion: 99 }, MODEL_FILE)).toThrow('.projen/image-release.json is not an image-release model of format 2; run "npx projen" to regenerate it');
});
