import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { rehearseWorkflow } from '../../../src/rehearse/workflow/scheduler';
import { tempDir } from '../../util';

/** The release workflow this library synthesized for examples/kube9-operator. */
const RELEASE_WORKFLOW = path.join(__dirname, '../../../examples/kube9-operator/.github/workflows/release-image.yml');

/** A git repository with one commit (at a fixed time) tagged `tag`, and its commit's sha. */
function taggedRepo(tag: string): { dir: string; sha: string } {
  const dir = tempDir();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    env: { ...process.env, GIT_COMMITTER_DATE: '2024-05-06T07:08:09Z', GIT_AUTHOR_DATE: '2024-05-06T07:08:09Z' },
    encoding: 'utf-8',
  }).trim();
  git('init', '-q');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  git('add', 'Dockerfile');
  git('commit', '-q', '-m', 'release');
  git('tag', tag);
  return { dir, sha: git('rev-parse', 'HEAD') };
}

/** Rehearses the synthesized release workflow on a push of `tag`, with a stand-in for checkout only. */
async function rehearseRelease(tag: string) {
  const repo = taggedRepo(tag);
  return rehearseWorkflow({
    file: RELEASE_WORKFLOW,
    workspace: repo.dir,
    tempDir: tempDir(),
    github: { repository: 'alto9/kube9-operator', ref: `refs/tags/${tag}`, sha: repo.sha },
    actions: { 'actions/checkout': () => ({}) },
  });
}

test('the synthesized build job reads the release tag and the commit time with its own scripts', async () => {
  const r = await rehearseRelease('v1.2.3');
  const build = r.jobs.find((j) => j.id === 'build_linux_amd64')!;
  expect(build.steps.slice(0, 3).map((s) => [s.id, s.outcome, s.outputs])).toEqual([
    ['release_tag', 'success', { tag: 'v1.2.3', version: 'v1.2.3' }],
    [expect.any(String), 'success', {}],
    ['commit_time', 'success', { epoch: '1714979289', created: '2024-05-06T07:08:09.000Z' }],
  ]);
});

test('the synthesized workflow stops at the first action without a stand-in and skips the jobs that need it', async () => {
  const r = await rehearseRelease('v1.2.3');
  expect(r.firstFailure).toBe('job build_linux_amd64, step "Set up Docker Buildx": step "Set up Docker Buildx" uses docker/setup-buildx-action, which has no stand-in in the rehearsal');
  expect(r.jobs.filter((j) => j.result === 'skipped').map((j) => j.id)).toEqual(['scan_linux_amd64', 'scan_linux_arm64', 'publish', 'attest', 'chart']);
});

test('the synthesized release_tag step refuses a tag that is not a version, naming it', async () => {
  const r = await rehearseRelease('nightly');
  expect(r.firstFailure).toBe('job build_linux_amd64, step "Read and check the release tag": '
    + '::error::release tag nightly is not v<version>, e.g. v1.2.3\nProcess completed with exit code 1.');
});
