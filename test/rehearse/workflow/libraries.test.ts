import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '../../..');

test('plain Node loads both libraries, the workflow parser and its JSON schema included', () => {
  const script = [
    "require('./src/rehearse/workflow/libraries').actionsLibraries()",
    ".then(({ parser }) => { const p = parser.parseWorkflow({ name: 'w.yml', content: 'on: push\\njobs:\\n  a:\\n    runs-on: x\\n    steps:\\n      - run: echo\\n' }, new parser.NoOperationTraceWriter());",
    "console.log('errors=' + p.context.errors.getErrors().length); })",
  ].join('');
  const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], { cwd: ROOT, encoding: 'utf-8' });
  expect({ code: r.status, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ code: 0, stdout: 'errors=0', stderr: '' });
});
