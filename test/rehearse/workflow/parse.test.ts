import { actionsLibraries } from '../../../src/rehearse/workflow/libraries';
import { parseWorkflowText, WorkflowParseError } from '../../../src/rehearse/workflow/parse';

async function parseErrors(text: string): Promise<readonly string[]> {
  try {
    await parseWorkflowText(await actionsLibraries(), 'release.yml', text);
  } catch (e) {
    if (e instanceof WorkflowParseError) return e.errors;
    throw e;
  }
  return [];
}

test('a workflow error is one line naming the file, line and column', async () => {
  const errors = await parseErrors('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n');
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e).toMatch(/^release\.yml:\d+:\d+: \S.*$/);
  expect(errors.join('\n')).toContain('release.yml:5:5: ');
});

test('an unknown context in an expression is a parse error', async () => {
  const errors = await parseErrors('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nosuch.value }}\n');
  expect(errors).toEqual([expect.stringMatching(/^release\.yml:6:\d+: .*nosuch/)]);
});

test('a valid workflow gives its jobs with their steps', async () => {
  const w = await parseWorkflowText(await actionsLibraries(), 'ok.yml', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo 1\n      - uses: actions/checkout@v4\n');
  expect(w.jobs.map((j) => [j.id, j.steps.length])).toEqual([['a', 2]]);
});
