import * as fs from 'fs';
import * as path from 'path';
import { rehearse, workflow } from './helpers';
import { tempDir } from '../../util';

/** A workflow of one job `j` with these steps (YAML, indented under `steps:`). */
const steps = (yaml: string) => workflow(`  j:\n    runs-on: ubuntu-latest\n    steps:\n${yaml.replace(/^\n/, '')}`);

test('a step output written as name<<DELIMITER keeps its lines', async () => {
  const r = await rehearse(steps(`
      - id: s
        run: |
          { echo "notes<<EOF_NOTES"; echo "line one"; echo "line two"; echo "EOF_NOTES"; echo "plain=x=y"; } >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[0].steps[0].outputs).toEqual({ notes: 'line one\nline two', plain: 'x=y' });
});

test('GITHUB_ENV sets a variable for the later steps, not for its own', async () => {
  const r = await rehearse(steps(`
      - id: set
        run: |
          echo "GREETING=hello" >> "$GITHUB_ENV"
          echo "own=\${GREETING:-unset}" >> "$GITHUB_OUTPUT"
      - id: read
        run: echo "later=\${GREETING} expr=\${{ env.GREETING }}" >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[0].steps.map((s) => s.outputs)).toEqual([{ own: 'unset' }, { later: 'hello expr=hello' }]);
});

test('a directory added to GITHUB_PATH comes first on the PATH of later steps', async () => {
  const bin = tempDir();
  fs.writeFileSync(path.join(bin, 'hello-tool'), '#!/bin/sh\necho tool-ran\n', { mode: 0o755 });
  const r = await rehearse(steps(`
      - run: echo "${bin}" >> "$GITHUB_PATH"
      - id: use
        run: echo "out=$(hello-tool)" >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[0].steps[1].outputs).toEqual({ out: 'tool-ran' });
});

test('workflow, job and step env reach the script, the narrower winning', async () => {
  const r = await rehearse(`on: push
env:
  A: workflow
  B: workflow
  C: workflow
jobs:
  j:
    runs-on: ubuntu-latest
    env:
      B: job
      C: job
    steps:
      - id: s
        env:
          C: step
        run: echo "abc=$A/$B/$C ci=$CI actions=$GITHUB_ACTIONS ref=$GITHUB_REF repo=$GITHUB_REPOSITORY" >> "$GITHUB_OUTPUT"
`);
  expect(r.jobs[0].steps[0].outputs).toEqual({ abc: 'workflow/job/step ci=true actions=true ref=refs/tags/v1.2.3 repo=acme/demo' });
});

test('shell: bash fails a step whose pipe fails in its first element', async () => {
  const r = await rehearse(steps(`
      - shell: bash
        run: false | cat
`));
  expect(r.jobs[0].steps[0].outcome).toBe('failure');
});

test('a step without shell: runs bash -e without pipefail, so a failing first pipe element passes', async () => {
  const r = await rehearse(steps(`
      - run: false | cat
`));
  expect(r.jobs[0].steps[0].outcome).toBe('success');
});

test('a step without shell: stops at the first failing command (bash -e)', async () => {
  const r = await rehearse(steps(`
      - run: |
          false
          echo "after" >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[0].steps[0]).toMatchObject({ outcome: 'failure', outputs: {} });
});

test('continue-on-error keeps the job going: outcome failure, conclusion success', async () => {
  const r = await rehearse(steps(`
      - id: flaky
        continue-on-error: true
        run: exit 1
      - id: next
        run: echo "saw=\${{ steps.flaky.outcome }}/\${{ steps.flaky.conclusion }}" >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[0].steps.map((s) => [s.outcome, s.conclusion])).toEqual([['failure', 'success'], ['success', 'success']]);
  expect(r.jobs[0].steps[1].outputs).toEqual({ saw: 'failure/success' });
  expect(r.jobs[0].result).toBe('success');
});

test('after a failed step, later steps are skipped except those whose if: says failure() or always()', async () => {
  const r = await rehearse(steps(`
      - run: exit 1
      - run: echo skipped
      - if: failure()
        run: echo on-failure
      - if: always()
        run: echo always
      - if: success()
        run: echo on-success
`));
  expect(r.jobs[0].steps.map((s) => s.outcome)).toEqual(['failure', 'skipped', 'success', 'success', 'skipped']);
});

test('a step if: without a status function runs only while the job succeeds', async () => {
  const r = await rehearse(steps(`
      - run: exit 1
      - if: github.ref_type == 'tag'
        run: echo tag
`));
  expect(r.jobs[0].steps[1].outcome).toBe('skipped');
});

test('timeout-minutes kills the step and all it started', async () => {
  const marker = path.join(tempDir(), 'late');
  const started = Date.now();
  const r = await rehearse(steps(`
      - timeout-minutes: 0.02
        run: |
          (sleep 3; touch "${marker}") &
          sleep 30
`));
  expect(r.jobs[0].steps[0]).toMatchObject({ outcome: 'failure', lastLines: ['The step timed out after 0.02 minutes.'] });
  expect(Date.now() - started).toBeLessThan(3000);
  await new Promise((resolve) => setTimeout(resolve, 3500));
  expect(fs.existsSync(marker)).toBe(false);
});

test('working-directory runs the script there, relative to the workspace', async () => {
  const workspace = tempDir();
  fs.mkdirSync(path.join(workspace, 'sub'));
  const r = await rehearse(steps(`
      - id: s
        working-directory: sub
        run: echo "dir=$(basename "$PWD")" >> "$GITHUB_OUTPUT"
`), { workspace });
  expect(r.jobs[0].steps[0].outputs).toEqual({ dir: 'sub' });
});

test('an action without a stand-in fails its step with one line naming the action and the step', async () => {
  const r = await rehearse(steps(`
      - name: Log in
        uses: docker/login-action@v3
`));
  expect(r.firstFailure).toBe('job j, step "Log in": step "Log in" uses docker/login-action, which has no stand-in in the rehearsal');
});

test('an action stand-in gets the evaluated with: inputs and its outputs reach later steps', async () => {
  const calls: Array<Record<string, string>> = [];
  const r = await rehearse(steps(`
      - id: meta
        uses: docker/metadata-action@0123456789abcdef0123456789abcdef01234567 # v5
        with:
          images: ghcr.io/\${{ github.repository }}
      - id: read
        run: echo "tags=\${{ steps.meta.outputs.tags }}" >> "$GITHUB_OUTPUT"
`), {
    actions: {
      'docker/metadata-action': ({ inputs }) => {
        calls.push({ ...inputs });
        return { tags: `${inputs.images}:1.2.3` };
      },
    },
  });
  expect(calls).toEqual([{ images: 'ghcr.io/acme/demo' }]);
  expect(r.jobs[0].steps[1].outputs).toEqual({ tags: 'ghcr.io/acme/demo:1.2.3' });
});

test('a step keeps only its last 20 output lines', async () => {
  const r = await rehearse(steps(`
      - run: for i in $(seq 1 30); do echo "line $i"; done
`));
  expect(r.jobs[0].steps[0].lastLines).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`));
});

test('a job timeout-minutes stops the running step and skips the later ones', async () => {
  const r = await rehearse(workflow(`
  j:
    runs-on: ubuntu-latest
    timeout-minutes: 0.02
    steps:
      - run: sleep 30
      - if: always()
        run: echo after
`));
  expect(r.jobs[0].steps.map((s) => [s.outcome, s.lastLines])).toEqual([
    ['failure', ['The job exceeded its time limit of 0.02 minutes.']],
    ['skipped', []],
  ]);
});

test('what a step writes to GITHUB_STEP_SUMMARY is its summary, fresh for each step', async () => {
  const r = await rehearse(steps(`
      - run: echo "### Released" >> "$GITHUB_STEP_SUMMARY"
      - run: echo "second" >> "$GITHUB_STEP_SUMMARY"
`));
  expect(r.jobs[0].steps.map((s) => s.summary)).toEqual(['### Released\n', 'second\n']);
});
