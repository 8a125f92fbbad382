/**
 * Benchmark: what emulation costs a build, the penalty the native-runner strategy removes. The same
 * Dockerfile, with one CPU-bound RUN step (a shell loop), built with buildah for linux/amd64
 * (native on this x86_64 machine) and for linux/arm64 (through QEMU user emulation), median of 3
 * each, the two alternating so machine load hits both alike. No layer is cached between runs.
 * Run: npx ts-node --transpile-only bench/emulation.ts   (after scripts/install-oci-tools)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildFixtureBase, FIXTURE_BASE } from '../test/e2e/oci-fixture';
import { cleanUp, tempDir } from '../test/util';

const RUNS = 3;
const LOOP = Number(process.env.BENCH_LOOP ?? 200_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const storage = buildFixtureBase();
  const context = tempDir();
  fs.writeFileSync(path.join(context, 'Dockerfile'), [
    `FROM ${FIXTURE_BASE}`,
    `RUN i=0; while [ "$i" -lt ${LOOP} ]; do i=$((i + 1)); done; echo "$i" > /count.txt`,
    '',
  ].join('\n'));
  const env = { ...process.env, TMPDIR: storage };
  const build = (platform: string): number => {
    const t0 = process.hrtime.bigint();
    execFileSync('buildah', ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs',
      'build', '--isolation', 'chroot', '--layers=false', '--platform', platform, '-q', '-t', `localhost/emulation-bench:${platform.replace(/\//g, '-')}`,
      '-f', path.join(context, 'Dockerfile'), context], { env, stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const native: number[] = [];
  const emulated: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    native.push(build('linux/amd64'));
    emulated.push(build('linux/arm64'));
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`CPU-bound RUN step (${LOOP} shell iterations), buildah, median of ${RUNS}:`);
  console.log(`  linux/amd64 native:        ${median(native).toFixed(2)} s [${fmt(native)}]`);
  console.log(`  linux/arm64 through QEMU:  ${median(emulated).toFixed(2)} s [${fmt(emulated)}]`);
  console.log(`  emulation penalty: ${(median(emulated) / median(native)).toFixed(2)}x`);
}

try {
  main();
} finally {
  cleanUp();
}
