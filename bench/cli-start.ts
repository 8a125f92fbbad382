/**
 * Benchmark: how long `image-release plan v1.2.3` takes from the start of its process to its exit,
 * next to `node -e 0` (the start of Node.js itself) in the same run. The compiled CLI (lib/cli/main.js)
 * plans the release of examples/kube9-operator from its synthesized model, as a person types it (git
 * asked for the commit and the existing tags). Each pair is one run of each command in a fresh
 * process, the order alternating from pair to pair (A B, B A, ...) so that load on the machine hits
 * both alike. Prints the median, min and max of each command and of the per-pair ratio.
 * Run: npx ts-node --transpile-only bench/cli-start.ts [main.js]   (after npx projen compile;
 *      BENCH_PAIRS=31 for more pairs than 15; main.js: another build's lib/cli/main.js to measure)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { summary } from './stats';

/** Pairs measured; BENCH_PAIRS sets another number. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const ROOT = path.join(__dirname, '..');
const CLI = path.resolve(process.argv[2] ?? path.join(ROOT, 'lib', 'cli', 'main.js'));
const REPO = path.join(ROOT, 'examples', 'kube9-operator');

/** One command of the comparison. */
interface Command {
  readonly name: string;
  readonly args: readonly string[];
}

const PLAN: Command = { name: 'image-release plan v1.2.3', args: [CLI, 'plan', 'v1.2.3'] };
const NODE: Command = { name: 'node -e 0', args: ['-e', '0'] };

/** Wall milliseconds of one run in a fresh process; throws when it fails. */
function run(command: Command): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, command.args, { cwd: REPO, encoding: 'utf-8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${command.name} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return ms;
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error('run "npx projen compile" first');
  // Unmeasured: warms the file cache.
  run(PLAN);
  run(NODE);
  const plan: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      plan.push(run(PLAN));
      node.push(run(NODE));
    } else {
      node.push(run(NODE));
      plan.push(run(PLAN));
    }
  }
  console.log(`${CLI}: ${PAIRS} alternating pairs, wall ms, in ${REPO}:`);
  console.log(`  ${PLAN.name}: ${summary(plan, 0)}`);
  console.log(`  ${NODE.name}: ${summary(node, 0)}`);
  console.log(`  ratio (per pair): ${summary(plan.map((p, i) => p / node[i]), 2)}`);
}

main();
