import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease } from '../../src';
import { RegistryClient } from '../../src/registry/client';
import { runCli, tempDir } from '../util';
import { buildFixtureBase, FIXTURE_DOCKERFILE, NO_ATTESTATIONS, startTestRegistry } from './oci-fixture';

/**
 * End to end on this machine: a release is reproducible. The fixture project is a git repository
 * with one commit; rehearsing the same tag of that commit twice, each time into a fresh registry,
 * gives the same platform digests and the same index digest, because every timestamp comes from
 * the commit. Needs scripts/install-oci-tools.
 */
const COMMITTED = '2026-11-30T09:15:00Z';

/** Seconds each rehearsal took, printed after the file for the timing record. */
const seconds: number[] = [];

interface Rehearsed {
  readonly legs: Record<string, string>;
  readonly index: string;
  /** The created label per platform, as verify reports it. */
  readonly created: Record<string, string>;
}

let first: Rehearsed;
let second: Rehearsed;

/** Rehearses v1.2.3 of `sha` into a registry of its own; the legs from the CLI, the index digest from the registry. */
async function rehearse(repo: string, storage: string, sha: string): Promise<Rehearsed> {
  const registry = await startTestRegistry();
  const t0 = Date.now();
  const r = runCli(['rehearse', 'v1.2.3', '--registry-url', registry.url, '--storage', storage, '--sha', sha, '--existing-tags', 'v1.2.2', '--json'], repo);
  seconds.push((Date.now() - t0) / 1000);
  if (r.code !== 0) throw new Error(`rehearse exited ${r.code}: ${r.stderr}${r.stdout}`);
  const index = await new RegistryClient({ baseUrl: registry.url }).manifest('acme/fixture', '1.2.3');
  const result = JSON.parse(r.stdout);
  return { legs: result.legs, index: index!.digest, created: result.rows[0].created };
}

beforeAll(async () => {
  const storage = buildFixtureBase();
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'fixture', outdir: repo });
  new ImageRelease(project, { image: 'ghcr.io/acme/fixture', labels: { description: 'A rehearsal fixture' }, attestations: NO_ATTESTATIONS });
  project.synth();
  const env = { ...process.env, GIT_AUTHOR_DATE: COMMITTED, GIT_COMMITTER_DATE: COMMITTED };
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', ...args], { cwd: repo, env, encoding: 'utf-8' }).trim();
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'The fixture');
  const sha = git('rev-parse', 'HEAD');
  first = await rehearse(repo, storage, sha);
  // At least a second apart, so that a timestamp taken from the clock would differ.
  await new Promise((r) => setTimeout(r, 1100));
  second = await rehearse(repo, storage, sha);
}, 600_000);

afterAll(() => {
  process.stdout.write(`reproducible.test.ts: rehearsals took ${seconds.map((s) => `${s.toFixed(1)} s`).join(' and ')}\n`);
});

test('two rehearsals of the same tag and commit give the same platform digests and the same index digest', () => {
  expect(Object.keys(first.legs)).toEqual(['linux/amd64', 'linux/arm64']);
  expect(second.legs).toEqual(first.legs);
  expect(second.index).toBe(first.index);
});

test('every platform is created at the commit\'s time', () => {
  expect(first.created).toEqual({ 'linux/amd64': '2026-11-30T09:15:00.000Z', 'linux/arm64': '2026-11-30T09:15:00.000Z' });
});
