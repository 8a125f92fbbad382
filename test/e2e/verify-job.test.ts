import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease } from '../../src';
import { LocalRegistry } from '../../src/rehearse/local-registry';
import { parseYaml, runCli, tempDir } from '../util';
import { buildFixtureBase, FIXTURE_DOCKERFILE, installCliStandIn, NO_ATTESTATIONS, runStepScript, startTestRegistry } from './oci-fixture';

/**
 * The verify job's own script, as the workflow runs it, against a real local registry: it runs the
 * `image-release` bin the repository's lockfile installed, writes the table into the job summary,
 * and fails the job when a check fails. The bin here is this checkout's CLI (what `npm ci` would
 * have put there), pointed at the local registry instead of ghcr.io. Needs scripts/install-oci-tools.
 */
const SHA = '2222222222222222222222222222222222222222';

let registry: LocalRegistry;
let repo: string;
let storage: string;
let script: string;

beforeAll(async () => {
  storage = buildFixtureBase();
  registry = await startTestRegistry();
  repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'fixture', outdir: repo });
  new ImageRelease(project, { image: 'ghcr.io/acme/job', labels: { description: 'The verify job fixture' }, attestations: NO_ATTESTATIONS });
  project.synth();
  const verify = parseYaml(fs.readFileSync(path.join(repo, '.github/workflows/release-image.yml'), 'utf-8')).jobs.verify;
  script = verify.steps.find((s: any) => /Verify the release/.test(s.name)).run;
  installCliStandIn(repo, '--existing-tags', 'v1.2.2');
  const cli = runCli(['rehearse', 'v1.2.3', '--registry-url', registry.url, '--storage', storage, '--sha', SHA, '--existing-tags', 'v1.2.2'], repo);
  if (cli.code !== 0) throw new Error(`rehearse failed: ${cli.stderr}`);
}, 240_000);

function runJobStep(tag: string, sha: string) {
  return runStepScript(script, repo, { TAG: tag, SHA: sha, GITHUB_TOKEN: '' }, registry.url);
}

test('the job passes on the published release and puts the table into the summary', () => {
  const r = runJobStep('v1.2.3', SHA);
  expect(r.code).toBe(0);
  expect(r.summary).toContain('## Verification of v1.2.3');
  expect(r.summary).toMatch(/OK: all \d+ checks passed/);
  expect(r.stdout).toMatch(/^Verified ghcr\.io\/acme\/job: \d+ checks$/m);
}, 120_000);

test('a failed check fails the job, and the summary still says which', () => {
  const r = runJobStep('v1.2.3', '3'.repeat(40));
  expect(r.code).toBe(1);
  expect(r.summary).toContain(`label org.opencontainers.image.revision is "${SHA}", expected "${'3'.repeat(40)}"`);
}, 120_000);
