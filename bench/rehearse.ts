/**
 * Benchmark: wall time of `image-release rehearse` for the two-platform fixture (median of 3), next
 * to a baseline run in the same go (the bare buildah build + push a person would type), and the
 * request count and time of `verify` against the rehearsed release.
 * Run: npx ts-node --transpile-only bench/rehearse.ts   (after scripts/install-oci-tools)
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { ImageRelease } from '../src';
import { startLocalRegistry } from '../src/rehearse/local-registry';
import { loadModel } from '../src/cli/common';
import { runVerification } from '../src/verify/run';
import { buildFixtureBase, FIXTURE_DOCKERFILE } from '../test/e2e/oci-fixture';
import { cleanUp, tempDir } from '../test/util';

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (fn: () => void) => { const t0 = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t0) / 1e9; };

async function main() {
  const storage = buildFixtureBase();
  const repo = tempDir();
  fs.writeFileSync(path.join(repo, 'Dockerfile'), FIXTURE_DOCKERFILE);
  const project = new Project({ name: 'fixture', outdir: repo });
  new ImageRelease(project, { image: 'ghcr.io/acme/fixture', labels: { description: 'bench' } });
  project.synth();
  const cli = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
  if (!fs.existsSync(cli)) throw new Error('run "npx projen compile" first');

  const rehearse: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rehearse.push(seconds(() => {
      const r = spawnSync(process.execPath, [cli, 'rehearse', 'v1.2.3', '--storage', storage, '--existing-tags', 'v1.2.2', '--sha', '1'.repeat(40)], { cwd: repo, encoding: 'utf-8' });
      if (r.status !== 0) throw new Error(`rehearse failed: ${r.stderr}`);
    }));
    const reg = await startLocalRegistry(tempDir());
    try {
      baseline.push(seconds(() => {
        const b = ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs'];
        const list = `localhost/bench:${i}`;
        execFileSync('buildah', [...b, 'build', '--isolation', 'chroot', '--platform', 'linux/amd64,linux/arm64', '--manifest', list, '-f', 'Dockerfile', '.'], { cwd: repo, stdio: 'ignore' });
        execFileSync('buildah', [...b, 'manifest', 'push', '--all', '--format', 'oci', '--tls-verify=false', list, `docker://${new URL(reg.url).host}/acme/fixture:1.2.3`], { stdio: 'ignore' });
        execFileSync('buildah', [...b, 'manifest', 'rm', list], { stdio: 'ignore' });
      }));
    } finally {
      reg.stop();
    }
  }

  // verify against a rehearsed release in a registry that stays up
  const regDir = tempDir();
  const reg = await startLocalRegistry(regDir);
  const verifyTimes: number[] = [];
  let requests = 0;
  try {
    const r = spawnSync(process.execPath, [cli, 'rehearse', 'v1.2.3', '--storage', storage, '--registry-url', reg.url, '--existing-tags', 'v1.2.2', '--sha', '1'.repeat(40)], { cwd: repo, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`rehearse failed: ${r.stderr}`);
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const result = await runVerification({
        model: loadModel('bench', repo), tag: 'v1.2.3', registryUrl: reg.url, expectedRevision: '1'.repeat(40),
        existingTags: ['v1.2.2'], addRegistryTags: false, now: new Date().toISOString(),
      });
      verifyTimes.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (result.report.failures.length > 0) throw new Error(result.report.failures.join('\n'));
      requests = result.requests;
    }
  } finally {
    reg.stop();
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`rehearse (start registry, build amd64+arm64 legs, push by digest, merge under 4 tags, verify, stop): median ${median(rehearse).toFixed(2)} s [${fmt(rehearse)}]`);
  console.log(`baseline (bare buildah build + manifest push, same Dockerfile): median ${median(baseline).toFixed(2)} s [${fmt(baseline)}]`);
  console.log(`ratio rehearse/baseline: ${(median(rehearse) / median(baseline)).toFixed(2)}`);
  console.log(`verify: ${requests} requests, median ${(median(verifyTimes) * 1000).toFixed(0)} ms [${verifyTimes.map((x) => (x * 1000).toFixed(0)).join(', ')} ms]`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(() => cleanUp());
