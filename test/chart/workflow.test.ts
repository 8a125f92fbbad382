import { Testing } from 'projen';
import { ImageRelease } from '../../src';
import { HELM_VERSION, PINS, usesRef } from '../../src/workflow/pins';
import { bareProject, parseYaml, releasedNodeProject } from '../util';
import { writeChart } from './fixture';

/** The release workflow's jobs, for each trigger, with the sample chart at charts/operator. */
const TRIGGERS: Array<[string, () => { jobs: Record<string, any>; prefix: string }]> = [
  ['tag push (release-image.yml)', () => {
    const project = bareProject();
    writeChart(project.outdir, 'charts/operator');
    new ImageRelease(project, { image: 'ghcr.io/acme/operator', labels: { source: 'https://github.com/acme/operator' }, chart: {} });
    return { jobs: parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs, prefix: '' };
  }],
  ['projen release (release.yml)', () => {
    const project = releasedNodeProject();
    writeChart(project.outdir, 'charts/operator');
    new ImageRelease(project, { image: 'ghcr.io/acme-corp/operator', chart: {} });
    return { jobs: parseYaml(Testing.synth(project)['.github/workflows/release.yml']).jobs, prefix: 'image_' };
  }],
];

describe.each(TRIGGERS)('the chart job, %s', (_name, synth) => {
  const { jobs, prefix } = synth();
  const chart = jobs[`${prefix}chart`];
  const run = (name: RegExp) => chart.steps.find((s: any) => name.test(s.name));

  test('runs only after the image is published and verified', () => {
    expect(chart.needs).toEqual([`${prefix}publish`, `${prefix}verify`]);
  });

  test('the verify job before it checks the image alone: no chart is pushed yet', () => {
    const verify = jobs[`${prefix}verify`].steps.find((s: any) => /^Verify the release/.test(s.name));
    expect(verify.run).toContain('verify "${TAG}" --sha "${SHA}" --only image > verify.txt');
  });

  test('a read-only job of its own verifies the chart after its push', () => {
    const job = jobs[`${prefix}verify_chart`];
    // publish too, whose tag output it reads (the needs context holds direct dependencies only).
    expect(job.needs).toEqual([`${prefix}chart`, `${prefix}publish`]);
    expect(job.permissions).toEqual({ contents: 'read', packages: 'read' });
    const verify = job.steps.find((s: any) => /^Verify the chart/.test(s.name));
    expect(verify.env.TAG).toBe(`\${{ needs.${prefix}publish.outputs.tag }}`);
    expect(verify.run).toContain('verify "${TAG}" --sha "${SHA}" --only chart > verify.txt');
  });

  test('is the only chart job that writes packages, and reads nothing else', () => {
    expect(chart.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  test('installs Helm through the pinned setup action with a pinned Helm version', () => {
    const setup = run(/Set up Helm/);
    expect(setup.uses).toBe(usesRef(PINS.setupHelm));
    expect(setup.with).toEqual({ version: HELM_VERSION });
    expect(HELM_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  test('packages the chart with version, appVersion and image.tag set to the image\'s version', () => {
    const pkg = run(/Package the chart/);
    expect(pkg.env.VERSION).toBe(`\${{ needs.${prefix}publish.outputs.version }}`);
    expect(pkg.run).toContain('helm package "${CHART_DIR}" --version "${VERSION}" --app-version "${VERSION}"');
    expect(pkg.run).toContain('.image.tag = strenv(VERSION)');
    expect(pkg.env.CHART_DIR).toBe('charts/operator');
  });

  test('logs in with GITHUB_TOKEN on stdin and pushes to the OCI repository', () => {
    const push = run(/Push the chart/);
    expect(push.env.GITHUB_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(push.run).toContain('| helm registry login "${REGISTRY}" --username "${ACTOR}" --password-stdin');
    expect(push.run).toContain('helm push "${RUNNER_TEMP}/chart-package/${CHART}-${VERSION}.tgz" "${REPOSITORY}"');
    expect(push.env.REPOSITORY).toMatch(/^oci:\/\/ghcr\.io\/acme(-corp)?\/charts$/);
    expect(push.env.CHART).toBe('operator');
  });

  test('no step puts the token on a command line or in a run script', () => {
    for (const step of chart.steps) expect(step.run ?? '').not.toContain('secrets.');
  });
});

test('without verify the chart job waits for the publish job alone', () => {
  const project = bareProject();
  writeChart(project.outdir, 'charts/operator');
  new ImageRelease(project, { image: 'ghcr.io/acme/operator', labels: { source: 'https://github.com/acme/operator' }, verify: false, chart: {} });
  const jobs = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs;
  expect(jobs.chart.needs).toEqual(['publish']);
  expect(Object.keys(jobs)).not.toContain('verify_chart');
});

test('manageImageValues: false packages the chart\'s values as they are', () => {
  const project = bareProject();
  writeChart(project.outdir, 'charts/operator');
  new ImageRelease(project, { image: 'ghcr.io/acme/operator', labels: { source: 'https://github.com/acme/operator' }, chart: { manageImageValues: false } });
  const chart = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs.chart;
  expect(chart.steps.map((s: any) => s.run ?? '').join('\n')).not.toContain('yq');
});

test('no chart, no chart job', () => {
  const project = bareProject();
  new ImageRelease(project, { image: 'ghcr.io/acme/operator' });
  const jobs = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs;
  expect(Object.keys(jobs)).not.toContain('chart');
  expect(Object.keys(jobs)).not.toContain('verify_chart');
  // The verify job checks the whole release.
  expect(jobs.verify.steps.find((s: any) => /^Verify the release/.test(s.name)).run).toContain('verify "${TAG}" --sha "${SHA}" > verify.txt');
});
