import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease, ImageReleaseOptions, Platform } from '../../src';
import { chartTag, digestOf, packageChart } from '../../src/chart/artifact';
import { HELM_MEDIA_TYPES } from '../../src/chart/chart';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/client';
import { LocalRegistry } from '../../src/rehearse/local-registry';
import { writeChart } from '../chart/fixture';
import { parseYaml, runCli, tempDir } from '../util';
import { installCliStandIn, NO_ATTESTATIONS, runStepScript, startTestRegistry } from './oci-fixture';

/**
 * End to end: a one-platform `FROM scratch` image with its chart rehearsed into a real local
 * registry, the chart pulled, loaded and rendered by a real Helm client (the Helm SDK of
 * scripts/install-helm-sdk), then verify on the release and on three broken charts. Needs buildah
 * and docker-registry (scripts/install-oci-tools) and .venv-helm (scripts/install-helm-sdk).
 */
const ROOT = path.join(__dirname, '..', '..');
const HELM_PYTHON = path.join(ROOT, '.venv-helm', 'bin', 'python');
const SHA = '1111111111111111111111111111111111111111';
const CHART_REPO = 'acme/charts/fixture';

const cli = runCli;


let registry: LocalRegistry;
let registryDir: string;
let repo: string;
let rehearsed: ReturnType<typeof cli>;

/** A repository with a one-platform `FROM scratch` image and its chart, synthesized; `extra` options for the image. */
function chartFixture(extra: Partial<ImageReleaseOptions> = {}): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  fs.writeFileSync(path.join(dir, 'hello.txt'), 'hello\n');
  writeChart(dir, 'charts/fixture', { 'Chart.yaml': 'apiVersion: v2\nname: fixture\nversion: 0.0.0\nappVersion: "0.0.0"\n' });
  const project = new Project({ name: 'fixture', outdir: dir });
  new ImageRelease(project, {
    image: 'ghcr.io/acme/fixture',
    platforms: [Platform.LINUX_AMD64],
    labels: { description: 'A chart fixture', source: 'https://github.com/acme/fixture' },
    chart: {},
    attestations: NO_ATTESTATIONS,
    ...extra,
  });
  project.synth();
  return dir;
}

beforeAll(async () => {
  if (!fs.existsSync(HELM_PYTHON)) throw new Error(`${HELM_PYTHON} is missing: run scripts/install-helm-sdk`);
  registryDir = tempDir();
  registry = await startTestRegistry(registryDir);
  repo = chartFixture();
  rehearsed = cli(['rehearse', 'v1.2.3', '--registry-url', registry.url, '--sha', SHA, '--existing-tags', 'v1.2.2', '--json'], repo);
}, 300_000);

const verify = (url: string) => cli(['verify', 'v1.2.3', '--registry-url', url, '--sha', SHA, '--existing-tags', 'v1.2.2'], repo);

/** A registry of its own holding a copy of the rehearsed release, for a test that breaks it. */
async function copyOfRelease(): Promise<LocalRegistry> {
  const dir = tempDir();
  fs.cpSync(path.join(registryDir, 'data'), path.join(dir, 'data'), { recursive: true });
  return startTestRegistry(dir);
}

/** Runs Python with the Helm SDK; returns its JSON output. */
function helm(script: string): any {
  const r = spawnSync(HELM_PYTHON, ['-c', script], { encoding: 'utf-8', cwd: tempDir() });
  if (r.status !== 0) throw new Error(`helm-python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('rehearse publishes the image and the chart, and verifies both', () => {
  expect(rehearsed.stderr).toContain('rehearse: packaging charts/fixture as fixture 1.2.3');
  expect(rehearsed.code).toBe(0);
  const result = JSON.parse(rehearsed.stdout);
  expect(result.failures).toEqual([]);
  expect(result.chart).toEqual({ reference: 'ghcr.io/acme/charts/fixture:1.2.3', digest: expect.stringMatching(/^sha256:/) });
  expect(Object.keys(result.timings)).toContain('chart');
});

test('the chart artifact has Helm\'s media types and the source annotation', async () => {
  const m = await new RegistryClient({ baseUrl: registry.url }).manifest(CHART_REPO, '1.2.3');
  expect(m!.json.config.mediaType).toBe(HELM_MEDIA_TYPES.config);
  expect(m!.json.layers.map((l: any) => l.mediaType)).toEqual([HELM_MEDIA_TYPES.content]);
  expect(m!.json.annotations).toMatchObject({
    'org.opencontainers.image.source': 'https://github.com/acme/fixture',
    'org.opencontainers.image.title': 'fixture',
    'org.opencontainers.image.version': '1.2.3',
  });
});

test('a real Helm client pulls, loads and renders the rehearsed chart', () => {
  const port = new URL(registry.url).port;
  const out = helm([
    'import json, glob, helm_python as helm',
    `helm.pull("oci://127.0.0.1:${port}/${CHART_REPO}", version="1.2.3", plain_http=True, destination=".")`,
    'path = glob.glob("fixture-*.tgz")[0]',
    'c = helm.Chart.load(path)',
    'm = c.metadata',
    'print(json.dumps({"file": path, "version": m["version"], "appVersion": m.get("appVersion") or m.get("app_version"), "values": c.values, "rendered": c.render(name="demo")}))',
  ].join('\n'));
  expect(out.file).toBe('fixture-1.2.3.tgz');
  expect([out.version, out.appVersion]).toEqual(['1.2.3', '1.2.3']);
  expect(out.values.image).toMatchObject({ repository: 'ghcr.io/acme/fixture', tag: '1.2.3' });
  expect(out.rendered['fixture/templates/deployment.yaml']).toContain('image: "ghcr.io/acme/fixture:1.2.3"');
});

test('verify passes on the rehearsed release and names the chart it checked', () => {
  const r = verify(registry.url);
  expect(r.stdout).toContain('OK: all');
  expect(r.stdout).toMatch(/Chart ghcr\.io\/acme\/charts\/fixture:1\.2\.3 {2}sha256:/);
  expect(r.code).toBe(0);
});

/** Pushes a chart built from the fixture, changed by `change`, over the release's chart. */
async function pushBrokenChart(client: RegistryClient, change: { appVersion?: string; values?: string }): Promise<void> {
  const dir = tempDir();
  fs.cpSync(path.join(repo, 'charts/fixture'), dir, { recursive: true });
  if (change.values) fs.writeFileSync(path.join(dir, 'values.yaml'), change.values);
  const a = packageChart({ directory: dir, version: '1.2.3', imageTag: '1.2.3', created: '2026-01-01T00:00:00Z' });
  const config = change.appVersion ? Buffer.from(JSON.stringify({ ...JSON.parse(a.config.toString()), appVersion: change.appVersion })) : a.config;
  const manifest = JSON.parse(a.manifest);
  manifest.config = { ...manifest.config, digest: digestOf(config), size: config.length };
  await client.putBlob(CHART_REPO, digestOf(config), config);
  await client.putBlob(CHART_REPO, manifest.layers[0].digest, a.content);
  await client.putManifest(CHART_REPO, chartTag('1.2.3'), JSON.stringify(manifest), MANIFEST_TYPES.ociManifest);
}

test.each<[string, (c: RegistryClient) => Promise<unknown>, string]>([
  ['a chart whose appVersion differs', (c) => pushBrokenChart(c, { appVersion: '1.2.2' }),
    'FAIL: chart ghcr.io/acme/charts/fixture:1.2.3: its appVersion is "1.2.2", expected "1.2.3"'],
  ['a missing chart', async (c) => c.deleteManifest(CHART_REPO, (await c.manifest(CHART_REPO, '1.2.3'))!.digest),
    'FAIL: chart ghcr.io/acme/charts/fixture:1.2.3: is missing (no chart was pushed for this version)'],
  ['values pointing at another image', (c) => pushBrokenChart(c, { values: 'image:\n  repository: ghcr.io/acme/other\n' }),
    'FAIL: chart ghcr.io/acme/charts/fixture:1.2.3: its values\' image.repository is "ghcr.io/acme/other", expected "ghcr.io/acme/fixture"'],
])('verify fails on %s, naming the problem', async (_name, breakIt, message) => {
  const copy = await copyOfRelease();
  await breakIt(new RegistryClient({ baseUrl: copy.url }));
  const r = verify(copy.url);
  expect(r.stdout).toContain(message);
  expect(r.code).toBe(1);
}, 60_000);

/** The `run:` script and env of a step of the synthesized release workflow, by job and step name. */
function workflowStep(job: string, name: RegExp): { script: string; env: Record<string, string> } {
  const jobs = parseYaml(fs.readFileSync(path.join(repo, '.github/workflows/release-image.yml'), 'utf-8')).jobs;
  const step = jobs[job].steps.find((s: any) => name.test(s.name));
  return { script: step.run, env: step.env };
}

test('in the release workflow\'s order: the verify job\'s own step passes before the chart is pushed, and the chart\'s verify job checks it after', async () => {
  const copy = await copyOfRelease();
  const client = new RegistryClient({ baseUrl: copy.url });
  const chart = (await client.manifest(CHART_REPO, '1.2.3'))!;
  // The release as the verify job finds it: the image published, the chart job not run yet.
  await client.deleteManifest(CHART_REPO, chart.digest);
  installCliStandIn(repo, '--existing-tags', 'v1.2.2');
  const env = { TAG: 'v1.2.3', SHA, GITHUB_TOKEN: '' };
  const image = workflowStep('verify', /^Verify the release/);
  const charted = workflowStep('verify_chart', /^Verify the chart/);

  const verifyJob = runStepScript(image.script, repo, env, copy.url);
  expect([verifyJob.code, verifyJob.stdout]).toEqual([0, expect.stringMatching(/OK: all \d+ checks passed/)]);
  expect(verifyJob.stdout).not.toContain('Chart ');
  // Until the chart job pushed it, the chart's own check fails naming it.
  const early = runStepScript(charted.script, repo, env, copy.url);
  expect([early.code, early.stdout]).toEqual([1, expect.stringContaining('FAIL: chart ghcr.io/acme/charts/fixture:1.2.3: is missing')]);

  // The chart job pushes it; the chart's verify job checks version, appVersion, media types and image values.
  await client.putManifest(CHART_REPO, chartTag('1.2.3'), JSON.stringify(chart.json), chart.mediaType);
  const after = runStepScript(charted.script, repo, env, copy.url);
  expect(after.stdout).toMatch(/Chart ghcr\.io\/acme\/charts\/fixture:1\.2\.3 {2}sha256:/);
  expect(after.summary).toContain('## Verification of the chart of v1.2.3');
  expect([after.code, after.stdout]).toEqual([0, expect.stringMatching(/OK: all \d+ checks passed/)]);
}, 120_000);

test('a rehearsal whose image fails verification pushes no chart, as the workflow\'s chart job waits for the verify job', async () => {
  const own = await startTestRegistry();
  // No image fits: the image's verification fails.
  const dir = chartFixture({ maxImageSizeMb: 0.000001 });
  const r = cli(['rehearse', 'v1.2.3', '--registry-url', own.url, '--sha', SHA, '--existing-tags', 'v1.2.2', '--json'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain('rehearse: packaging charts/fixture');
  expect(await new RegistryClient({ baseUrl: own.url }).manifest(CHART_REPO, '1.2.3')).toBeUndefined();
}, 120_000);
