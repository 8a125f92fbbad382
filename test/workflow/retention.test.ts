import * as fs from 'fs';
import * as path from 'path';
import { javascript, Testing } from 'projen';
import { ImageRelease } from '../../src';
import { MODEL_FILE } from '../../src/plan/model-file';
import { PINS, usesRef } from '../../src/workflow/pins';
import { RETENTION_WORKFLOW_PATH } from '../../src/workflow/retention';
import { bareProject, parseYaml, releasedNodeProject, synthBare } from '../util';

const files = synthBare({ image: 'ghcr.io/acme/demo', retention: { keep: 5, olderThanDays: 30, schedule: '0 3 * * *' } });
const text: string = files[RETENTION_WORKFLOW_PATH];
const wf = parseYaml(text);
const prune = wf.jobs.prune;

test('is off unless configured: no workflow and no rules in the model file', () => {
  const plain = synthBare({ image: 'ghcr.io/acme/demo' });
  expect(plain[RETENTION_WORKFLOW_PATH]).toBeUndefined();
  expect(plain[MODEL_FILE].retention).toBeUndefined();
});

test('runs on the schedule and on demand', () => {
  expect(wf.on).toEqual({ schedule: [{ cron: '0 3 * * *' }], workflow_dispatch: {} });
});

test('two runs never overlap, and a run is never cancelled halfway', () => {
  expect(wf.concurrency).toEqual({ 'group': 'image-retention', 'cancel-in-progress': false });
});

test('grants nothing at the top, and the one job only contents: read and packages: write', () => {
  expect(wf.permissions).toEqual({});
  expect(Object.keys(wf.jobs)).toEqual(['prune']);
  expect(prune.permissions).toEqual({ contents: 'read', packages: 'write' });
});

test('every action is pinned by commit SHA with its version beside it', () => {
  const uses = text.split('\n').filter((l) => /^\s+uses: /.test(l));
  expect(uses.length).toBeGreaterThan(0);
  for (const line of uses) expect(line).toMatch(/uses: [\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
});

test('installs the CLI from the lockfile, then runs prune --apply, with the token only in that step', () => {
  const names = prune.steps.map((s: any) => s.name);
  expect(names).toEqual(['Checkout', 'Set up Node.js', 'Install the locked image-release CLI', 'Delete old versions of the image']);
  const run = prune.steps[3];
  expect(run.run).toContain('node_modules/.bin/image-release prune --apply > prune.txt || status=$?');
  expect(run.run).toContain('>> "${GITHUB_STEP_SUMMARY}"');
  expect(run.env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
  expect(prune.steps.slice(0, 3).every((s: any) => s.env === undefined)).toBe(true);
});

test('no model value reaches the workflow as an expression: the rules come from the model file', () => {
  expect(text.match(/\$\{\{[^}]*\}\}/g)).toEqual(['${{ secrets.GITHUB_TOKEN }}']);
  expect(files[MODEL_FILE].retention).toEqual({ keep: 5, olderThanDays: 30, keepPrereleases: false });
});

test('with a yarn lockfile the job installs with yarn', () => {
  const project = bareProject();
  fs.writeFileSync(path.join(project.outdir, 'yarn.lock'), 'projen-image-release@1.0.0:\n');
  new ImageRelease(project, { image: 'ghcr.io/acme/demo', retention: {} });
  const job = parseYaml(Testing.synth(project)[RETENTION_WORKFLOW_PATH]).jobs.prune;
  expect(job.steps.find((s: any) => /Install the locked/.test(s.name)).run).toBe('yarn install --frozen-lockfile --ignore-scripts');
});

test('in a pnpm project the prune job sets pnpm up at the project\'s pnpmVersion, as the verify job does', () => {
  const project = releasedNodeProject({ release: false, packageManager: javascript.NodePackageManager.PNPM, pnpmVersion: '9' });
  new ImageRelease(project, { retention: {} });
  const job = parseYaml(Testing.synth(project)[RETENTION_WORKFLOW_PATH]).jobs.prune;
  expect(job.steps.map((s: any) => s.name)).toEqual(['Checkout', 'Set up Node.js', 'Set up pnpm', 'Install the locked image-release CLI', 'Delete old versions of the image']);
  expect(job.steps[2]).toEqual({ name: 'Set up pnpm', uses: usesRef(PINS.setupPnpm), with: { version: '9' } });
});

test('with verify off, retention still installs the locked CLI', () => {
  const synthesized = synthBare({ image: 'ghcr.io/acme/demo', verify: false, retention: {} });
  expect(parseYaml(synthesized[RETENTION_WORKFLOW_PATH]).jobs.prune.steps.map((s: any) => s.name)).toContain('Install the locked image-release CLI');
});
