import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { highestVersionScript, isHighestVersion } from '../../src/tags/highest-version';
import { tempDir } from '../util';

/** Runs the workflow step's script with a fake `gh` that lists the given tags; returns its output. */
function runStep(tag: string, existing: readonly string[], prefix = ''): boolean {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'gh'), '#!/usr/bin/env bash\nprintf "%s\\n" $FAKE_REFS\n', { mode: 0o755 });
  const output = path.join(dir, 'output');
  const r = spawnSync('bash', ['-c', highestVersionScript()], {
    encoding: 'utf-8',
    env: {
      PATH: `${dir}:${process.env.PATH}`,
      TAG: tag,
      PREFIX: prefix,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_OUTPUT: output,
      FAKE_REFS: existing.map((t) => `refs/tags/${t}`).join(' '),
    },
  });
  if (r.status !== 0) throw new Error(`step failed: ${r.stderr}`);
  const line = fs.readFileSync(output, 'utf-8').trim();
  expect(line).toMatch(/^highest=(true|false)$/);
  return line === 'highest=true';
}

test.each<[string, string[], boolean]>([
  ['v1.2.3', [], true],
  ['v1.2.3', ['v1.2.2', 'v1.2.3'], true],
  ['v1.2.4', ['v1.2.3', 'v2.0.0'], false],
  ['v1.10.0', ['v1.9.0', 'v1.2.0'], true],
  ['v2.0.0-rc.1', ['v1.2.3'], false],
  ['v1.2.3', ['v2.0.0-rc.1'], true],
  ['1.2.3', ['v1.2.3'], true],
  ['v1.2.3', ['v01.9.9', 'release-9', 'v1.2'], true],
])('%s with tags %j: highest=%s (step and planner agree)', (tag, existing, expected) => {
  expect(isHighestVersion(tag, existing)).toBe(expected);
  expect(runStep(tag, existing)).toBe(expected);
});

test.each<[string, string[], boolean]>([
  ['operator-v1.2.3', ['operator-v1.2.2', 'webhook-v9.0.0'], true],
  ['operator-v1.2.4', ['operator-v1.2.3', 'operator-v2.0.0', 'v3.0.0'], false],
  ['operator-v1.3.0', ['v9.9.9', 'webhook-v2.0.0'], true],
  ['operator-v2.0.0-rc.1', ['operator-v1.0.0'], false],
  ['v1.0.0', ['operator-v0.1.0'], false],
])('with the prefix "operator-v", %s with tags %j: highest=%s (step and planner agree)', (tag, existing, expected) => {
  expect(isHighestVersion(tag, existing, 'operator-v')).toBe(expected);
  expect(runStep(tag, existing, 'operator-v')).toBe(expected);
});

test('property: the shell step and the planner always agree', () => {
  const version = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.constantFrom('', '-rc.1'), fc.boolean())
    .map(([a, b, c, pre, v]) => `${v ? 'v' : ''}${a}.${b}.${c}${pre}`);
  fc.assert(fc.property(version, fc.array(version, { maxLength: 6 }), (tag, existing) => {
    expect(runStep(tag, existing)).toBe(isHighestVersion(tag, existing));
  }), { numRuns: 40 });
});
