import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease } from '../../src';
import { freePort } from '../../src/rehearse/local-registry';
import { tempDir } from '../util';
import { buildFixtureBase, FIXTURE_BASE } from './oci-fixture';

/**
 * What `rehearse` says when the build fails: exit 2 and one line saying what went wrong (with a
 * failed RUN step's last output below it, once), never buildah's raw error. Each test rehearses a
 * broken fixture project with the CLI. Needs scripts/install-oci-tools.
 */
const ROOT = path.join(__dirname, '..', '..');
const SHA = '4444444444444444444444444444444444444444';

let storage: string;

beforeAll(() => {
  storage = buildFixtureBase();
}, 120_000);

/** Rehearses a fixture project with this Dockerfile (the release block is added by projen). */
function rehearse(dockerfile: string, ...extra: string[]) {
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), dockerfile);
  const project = new Project({ name: 'broken', outdir: repo });
  new ImageRelease(project, { image: 'ghcr.io/acme/broken' });
  project.synth();
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'),
    'rehearse', 'v1.0.0', '--sha', SHA, '--existing-tags', 'v0.9.0', ...extra], { cwd: repo, encoding: 'utf-8' });
  // Progress lines start with "rehearse:" or are indented; what is left is the error.
  const error = r.stderr.split('\n').filter((l) => l !== '' && !/^(rehearse: |  linux\/)/.test(l));
  return { code: r.status, stderr: r.stderr, error };
}

test('a Dockerfile syntax error is one line naming the line', () => {
  const r = rehearse(`FROM ${FIXTURE_BASE}\nRUNN echo hi\n`, '--storage', storage);
  expect(r.code).toBe(2);
  expect(r.error).toEqual(['image-release rehearse: Dockerfile:2: unknown instruction RUNN']);
}, 120_000);

test('a failing RUN is one line naming the platform and the line, with its output below once', () => {
  const r = rehearse(`FROM ${FIXTURE_BASE}\nRUN echo it went wrong | /bin/busybox tr a-z A-Z; /bin/busybox false\n`, '--storage', storage);
  expect(r.code).toBe(2);
  expect(r.error).toEqual([
    expect.stringMatching(/^image-release rehearse: the linux\/(amd64|arm64) build failed at Dockerfile:2 \(RUN echo it went wrong \| \/bin\/busybox tr a-z A-Z; \/bin\/busybox false\): exit status 1; its last output:$/),
    '  IT WENT WRONG',
  ]);
  expect(r.stderr.match(/IT WENT WRONG/g)).toHaveLength(1);
}, 120_000);

test('a base image that cannot be pulled is one line with the --storage hint', async () => {
  const base = `127.0.0.1:${await freePort()}/acme/base:1`;
  const r = rehearse(`FROM ${base}\nCMD ["/bin/sh"]\n`);
  expect(r.code).toBe(2);
  expect(r.error).toEqual([
    `image-release rehearse: the base image ${base} cannot be pulled: nothing answers at ${base.split('/')[0]} (connection refused); use --storage with a pre-loaded base`,
  ]);
}, 120_000);
