import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs the CLI as a process, as users do. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf-8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--version prints the package version and exits 0', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;
  expect(cli('--version')).toEqual({ code: 0, stdout: `projen-image-release ${version}\n`, stderr: '' });
});

test('--help documents the commands and exits 0', () => {
  const r = cli('--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage: image-release <command>/);
  expect(r.stdout).toContain('--version');
});

test('an unknown command is one line on stderr and exit code 2', () => {
  const r = cli('deploy');
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('image-release: unknown command "deploy"; see "image-release --help"\n');
});
