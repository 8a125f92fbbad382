import * as fs from 'fs';
import { afterTestFile, cleanUp, tempDir } from './util';

test('cleanUp removes every temp dir and runs the registered undos, newest first', () => {
  const order: string[] = [];
  const first = tempDir();
  fs.writeFileSync(`${first}/file`, 'x');
  afterTestFile(() => order.push(`undo (first ${fs.existsSync(first) ? 'still there' : 'gone'})`));
  const second = tempDir();
  fs.rmSync(second, { recursive: true }); // as Testing.synth does with a project's outdir
  cleanUp();
  expect(order).toEqual(['undo (first still there)']);
  expect(fs.existsSync(first)).toBe(false);
});

test('a failing cleanup does not stop the others and fails the run', () => {
  const dir = tempDir();
  afterTestFile(() => {
    throw new Error('could not stop');
  });
  expect(() => cleanUp()).toThrow('could not stop');
  expect(fs.existsSync(dir)).toBe(false);
  expect(() => cleanUp()).not.toThrow();
});
