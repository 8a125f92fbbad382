import * as fs from 'fs';
import * as path from 'path';
import { rehearse, workflow } from './helpers';
import { ExpressionError, ExpressionEvaluator, hashFiles } from '../../../src/rehearse/workflow/expressions';
import { actionsLibraries } from '../../../src/rehearse/workflow/libraries';
import { tempDir } from '../../util';

const OK = { success: true, failure: false };

async function evaluator(workspace = tempDir()) {
  return new ExpressionEvaluator(await actionsLibraries(), workspace);
}

test('contexts are read case-insensitively, as on GitHub', async () => {
  const e = await evaluator();
  expect(e.evaluate("format('{0}-{1}', GitHub.Ref_Name, env.A)", { github: { ref_name: 'v1' }, env: { A: 'x' } }, OK)).toBe('v1-x');
});

test('fromJSON of an empty string is an error naming the expression', async () => {
  const e = await evaluator();
  expect(() => e.evaluate("fromJSON('')", {}, OK)).toThrow(new ExpressionError("fromJSON('')", 'empty input'));
});

test('a condition uses GitHub truthiness: empty string, 0 and null are false', async () => {
  const e = await evaluator();
  const c = (expr: string) => e.condition(expr, { env: { E: '' } }, OK);
  expect([c('env.E'), c('0'), c('env.MISSING'), c("'x'"), c('1')]).toEqual([false, false, false, true, true]);
});

test('the status functions answer from the status given', async () => {
  const e = await evaluator();
  const failing = { success: false, failure: true };
  expect(['success()', 'failure()', 'always()', 'cancelled()', '!cancelled()'].map((x) => e.condition(x, {}, failing))).toEqual([false, true, true, false, true]);
});

test('hashFiles hashes the matching files of the workspace, and is empty when none match', async () => {
  const ws = tempDir();
  fs.mkdirSync(path.join(ws, 'a/b'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'a/b/go.sum'), 'x');
  const one = hashFiles(ws, ['**/go.sum']);
  fs.writeFileSync(path.join(ws, 'a/b/go.sum'), 'y');
  expect([one.length, hashFiles(ws, ['**/go.sum']) === one, hashFiles(ws, ['*.lock'])]).toEqual([64, false, '']);
});

test('an expression that fails in a step fails that step, naming the expression', async () => {
  const r = await rehearse(workflow(`
  j:
    runs-on: ubuntu-latest
    steps:
      - name: Read
        run: echo "\${{ fromJSON(env.NOTHING).x }}"
`));
  expect(r.firstFailure).toBe('job j, step "Read": expression `${{ fromJSON(env.NOTHING).x }}`: empty input');
});
