import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen';
import { ImageRelease, ImageReleaseOptions, LatestPolicy, Platform } from '../../src';
import { resolveModel } from '../../src/model/resolve';
import { PINS, usesRef } from '../../src/workflow/pins';
import { parseYaml, releasedNodeProject, synthBare, tempDir } from '../util';

const rescanOf = (options: Partial<ImageReleaseOptions> = {}) =>
  parseYaml(synthBare({ image: 'ghcr.io/acme/demo', rescan: { enabled: true }, ...options })['.github/workflows/rescan-image.yml']);

test('off by default: no re-scan workflow', () => {
  expect(synthBare()['.github/workflows/rescan-image.yml']).toBeUndefined();
});

describe('the re-scan workflow', () => {
  const wf = rescanOf({ platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64] });

  test('runs on its schedule and by hand, with nothing granted at the top', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: '0 5 * * 1' }], workflow_dispatch: {} });
    expect(wf.permissions).toEqual({});
  });

  test('scans every listed release on every platform, and one failing scan stops no other', () => {
    expect(wf.jobs.scan.strategy).toEqual({ 'fail-fast': false, 'matrix': { tag: '${{ fromJSON(needs.releases.outputs.tags) }}', platform: ['linux/amd64', 'linux/arm64'] } });
    const trivy = wf.jobs.scan.steps.find((s: any) => s.uses === usesRef(PINS.trivy));
    expect(trivy.with).toMatchObject({ 'image-ref': 'ghcr.io/acme/demo:${{ matrix.tag }}', 'version': 'v0.70.0', 'exit-code': 0 });
    expect(trivy.env.TRIVY_PLATFORM).toBe('${{ matrix.platform }}');
  });

  test('uploads SARIF per release and platform', () => {
    const upload = wf.jobs.scan.steps.find((s: any) => s.uses === usesRef(PINS.uploadSarif));
    expect(upload.with.category).toBe('rescan-${{ matrix.tag }}-${{ matrix.platform }}');
  });

  test.each([
    ['releases', { contents: 'read' }],
    ['scan', { 'contents': 'read', 'packages': 'read', 'security-events': 'write' }],
  ])('%s job gets only what it uses', (job, permissions) => {
    expect(wf.jobs[job].permissions).toEqual(permissions);
  });
});

/** Runs the releases step's script with a fake gh that lists `refs`; returns its `tags` output. */
function releasesFrom(refs: string[], env: Record<string, string>): string[] {
  const step = rescanOf().jobs.releases.steps[0];
  const fake = `gh() { printf '%s\\n' ${refs.map((r) => `'refs/tags/${r}'`).join(' ')}; }\n`;
  const out = path.join(tempDir(), 'output');
  const r = spawnSync('bash', ['-c', fake + step.run], { encoding: 'utf-8', env: { ...process.env, ...step.env, ...env, GITHUB_OUTPUT: out, GITHUB_REPOSITORY: 'acme/demo' } });
  if (r.status !== 0) throw new Error(r.stderr);
  const text = fs.readFileSync(out, 'utf-8');
  return JSON.parse(/^tags=(.*)$/m.exec(text)![1]);
}

test.each<[string, string[], Record<string, string>, string[]]>([
  ['latest and the newest three stable versions', ['v1.0.0', 'v1.10.0', 'v1.9.0', 'v1.2.0', 'v2.0.0-rc.1'], {}, ['latest', '1.2.0', '1.9.0', '1.10.0']],
  ['only the image\'s own prefix', ['operator-v1.0.0', 'webhook-v3.0.0'], { PREFIX: 'operator-v' }, ['latest', '1.0.0']],
  ['no latest when the policy makes none', ['v1.0.0'], { LATEST: 'false' }, ['1.0.0']],
  ['nothing before the first release', [], {}, []],
])('the releases step lists %s', (_name, refs, env, tags) => {
  expect(releasesFrom(refs, env)).toEqual(tags);
});

test('the policy without latest is written into the step', () => {
  expect(rescanOf({ tags: { latest: LatestPolicy.NEVER } }).jobs.releases.steps[0].env.LATEST).toBe('false');
});

test('an image of several gets its own re-scan workflow, also with projen\'s release', () => {
  const project = releasedNodeProject();
  new ImageRelease(project, { id: 'operator', image: 'ghcr.io/acme/operator', labels: { source: 'https://github.com/acme/operator' }, rescan: { enabled: true } });
  const files = Testing.synth(project);
  expect(parseYaml(files['.github/workflows/rescan-image-operator.yml']).name).toBe('rescan-image-operator');
});

describe('options', () => {
  const facts = { name: 'demo', hasProjenRelease: false };
  test.each([
    [{ rescan: { versions: 5 } }, 'rescan.versions: 5 has no effect because rescan.enabled is not true; remove it, or set rescan.enabled'],
    [{ rescan: { enabled: true, versions: 0 } }, 'rescan.versions: 0 must be a whole number from 1 to 20'],
    [{ rescan: { enabled: true, schedule: 'weekly' } }, 'rescan.schedule: "weekly" must be a cron expression of five fields'],
    [{ rescan: true }, 'rescan: true must be an object (RescanOptions), got a boolean; to re-scan the shipped releases, write rescan: { enabled: true }'],
  ])('%j is refused, naming the option', (options, message) => {
    expect(() => resolveModel({ image: 'ghcr.io/acme/demo', ...(options as any) }, facts)).toThrow(message);
  });
});
