import { execFileSync, spawnSync } from 'child_process';
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

/** The fixture base under a short name: stored as docker.io/library/<name>, as a pull of `<name>` by Docker would store it. */
const SHORT_NAME = 'image-release-fixture-short:1';

let storage: string;
/** Every rehearsal here runs as without network: pulls go through a proxy on 127.0.0.1 where nothing answers. */
let offline: NodeJS.ProcessEnv;

beforeAll(async () => {
  storage = buildFixtureBase();
  execFileSync('buildah', ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs',
    'tag', FIXTURE_BASE, `docker.io/library/${SHORT_NAME}`], { env: { ...process.env, TMPDIR: storage } });
  const proxy = `http://127.0.0.1:${await freePort()}`;
  offline = { ...process.env, HTTPS_PROXY: proxy, https_proxy: proxy, HTTP_PROXY: proxy, http_proxy: proxy, NO_PROXY: '', no_proxy: '' };
}, 120_000);

/** Rehearses a fixture project with this Dockerfile (the release block is added by projen). */
function rehearse(dockerfile: string, ...extra: string[]) {
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), dockerfile);
  const project = new Project({ name: 'broken', outdir: repo });
  new ImageRelease(project, { image: 'ghcr.io/acme/broken' });
  project.synth();
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(ROOT, 'src/cli/main.ts'),
    'rehearse', 'v1.0.0', '--sha', SHA, '--existing-tags', 'v0.9.0', ...extra], { cwd: repo, encoding: 'utf-8', env: offline });
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

test('a short name in FROM resolves on docker.io, as Docker resolves it: the base stored under docker.io/library/ is used', () => {
  const r = rehearse(`FROM ${SHORT_NAME}\nCMD ["/bin/busybox", "true"]\n`, '--storage', storage);
  expect(r.error).toEqual([]);
  expect(r.code).toBe(0);
}, 120_000);

test('a short name in FROM that is not stored and cannot be pulled is one line naming docker.io and the --storage hint', () => {
  const r = rehearse('FROM golang:1.24\nCMD ["/bin/sh"]\n');
  expect(r.code).toBe(2);
  expect(r.error).toEqual([expect.stringMatching(
    /^image-release rehearse: the base image golang:1\.24 \(docker\.io\/library\/golang:1\.24\) cannot be pulled: no network to docker\.io \(the proxy at 127\.0\.0\.1:\d+ does not answer\); use --storage with a pre-loaded base$/,
  )]);
}, 120_000);
