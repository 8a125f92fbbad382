import { rehearse, workflow } from './helpers';

const job = (extra: string, run: string) => `    runs-on: ubuntu-latest\n${extra}    steps:\n      - run: ${run}\n`;

test('jobs run in needs order, whatever their order in the file', async () => {
  const r = await rehearse(workflow(`
  last:
    needs: [middle]
${job('', 'echo last')}
  middle:
    needs: first
${job('', 'echo middle')}
  first:
${job('', 'echo first')}`));
  expect(r.jobs.map((j) => j.id)).toEqual(['first', 'middle', 'last']);
});

test('a job output evaluated from a step output flows into needs.<id>.outputs', async () => {
  const r = await rehearse(workflow(`
  producer:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.read.outputs.version }}
    steps:
      - id: read
        run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
  consumer:
    needs: producer
    runs-on: ubuntu-latest
    steps:
      - id: use
        run: echo "got=\${{ needs.producer.outputs.version }}" >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[0].outputs).toEqual({ version: '1.2.3' });
  expect(r.jobs[1].steps[0].outputs).toEqual({ got: '1.2.3' });
});

test('the needs context holds only direct dependencies', async () => {
  const r = await rehearse(workflow(`
  a:
${job('', 'true')}
  b:
    needs: a
${job('', 'true')}
  c:
    needs: b
    runs-on: ubuntu-latest
    steps:
      - id: s
        run: echo "ids=\${{ join(needs.*.result, ',') }} a=\${{ needs.a.result }} b=\${{ needs.b.result }}" >> "$GITHUB_OUTPUT"
`));
  expect(r.jobs[2].steps[0].outputs).toEqual({ ids: 'success a= b=success' });
});

test('a failed job skips its dependants and the run fails naming its job and step', async () => {
  const r = await rehearse(workflow(`
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Compile
        run: |
          echo compiling
          exit 3
  publish:
    needs: build
${job('', 'echo publish')}
`));
  expect(r.jobs.map((j) => [j.id, j.result])).toEqual([['build', 'failure'], ['publish', 'skipped']]);
  expect(r.result).toBe('failure');
  expect(r.firstFailure).toBe('job build, step "Compile": compiling\nProcess completed with exit code 3.');
});

test('a dependant of a skipped job is skipped too', async () => {
  const r = await rehearse(workflow(`
  a:
    if: false
${job('', 'true')}
  b:
    needs: a
${job('', 'true')}
`));
  expect(r.jobs.map((j) => j.result)).toEqual(['skipped', 'skipped']);
});

test('an always() job runs after a failed dependency', async () => {
  const r = await rehearse(workflow(`
  a:
${job('', 'exit 1')}
  report:
    needs: a
    if: always()
${job('', 'echo report')}
`));
  expect(r.jobs[1].result).toBe('success');
});

test('a failure() job runs when an ancestor failed, even through a skipped job', async () => {
  const r = await rehearse(workflow(`
  a:
${job('', 'exit 1')}
  b:
    needs: a
${job('', 'true')}
  cleanup:
    needs: b
    if: failure()
${job('', 'true')}
`));
  expect(r.jobs.map((j) => j.result)).toEqual(['failure', 'skipped', 'success']);
});

test('a failure() job is skipped when everything succeeded', async () => {
  const r = await rehearse(workflow(`
  a:
${job('', 'true')}
  cleanup:
    needs: a
    if: failure()
${job('', 'true')}
`));
  expect(r.jobs[1].result).toBe('skipped');
});

test('a job if: that fails to evaluate fails the job, naming the expression', async () => {
  const r = await rehearse(workflow(`
  a:
${job('', 'true')}
  b:
    needs: a
    if: fromJSON(needs.a.outputs.missing).run
${job('', 'true')}
`));
  expect(r.firstFailure).toBe('job b: if: expression `${{ success() && (fromJSON(needs.a.outputs.missing).run) }}`: empty input');
});
