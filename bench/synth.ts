/**
 * Benchmark: what the ImageRelease components cost `npx projen`. Wall time of synthesizing this
 * repository's own project definition (.projenrc.ts: a JsiiProject with two ImageReleases, one in a
 * subproject) WITH the ImageReleases, from the compiled library (lib/), next to the same definition
 * WITHOUT them (ImageRelease replaced by a no-op, the library not loaded). Median of 7 runs each,
 * every run a fresh process, WITH and WITHOUT alternating so machine load hits both alike, in two ways:
 * - node: `node` runs .projenrc.ts transpiled to JavaScript (requiring projen, building the project,
 *   synthesizing with PROJEN_DISABLE_POST=1): the cost of synthesis alone;
 * - npx projen: `npx projen --no-post`, as a developer runs it (projen's CLI, ts-node, .projenrc.ts).
 * Prints the medians, all samples, the ratio and the overhead per ImageRelease ((ratio-1)/2), also
 * in ms and as the median of the ratios of runs next to each other, of the wall time and (on Linux)
 * of the CPU time of the process tree, which load on the machine disturbs less.
 * Synthesizes into copies of the repository's tracked files in a temporary directory (node_modules
 * linked), removed at the end: nothing in the repository is written.
 * Run: npx ts-node --transpile-only bench/synth.ts [node|npx]   (after npx projen compile;
 *      BENCH_RUNS=15 for more runs than 7)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/** Runs per variant; BENCH_RUNS sets another number, for steadier medians on a busy machine. */
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** ImageRelease instances in .projenrc.ts. */
const INSTANCES = 2;
const ROOT = path.join(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Variant {
  readonly name: string;
  readonly dir: string;
}

interface Mode {
  readonly name: string;
  readonly command: (v: Variant) => readonly string[];
}

const MODES: readonly Mode[] = [
  { name: 'node', command: () => [process.execPath, 'synth.js'] },
  { name: 'npx projen', command: () => ['npx', 'projen', '--no-post'] },
];

/** A copy of the repository's tracked files (what synthesis reads: Dockerfiles, workflows, package.json, lockfile, .projen). */
function copyRepository(dest: string): void {
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf-8' }).stdout.split('\0').filter((f) => f !== '');
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/** A copy whose .projenrc.ts takes ImageRelease from `library`, and the same as JavaScript (synth.js). */
function variant(tmp: string, name: string, library: string): Variant {
  const dir = path.join(tmp, name);
  copyRepository(dir);
  const rc = path.join(dir, '.projenrc.ts');
  const source = fs.readFileSync(rc, 'utf-8');
  const rewritten = source.replace(/from '\.\/src';/, () => `from ${JSON.stringify(library)};`);
  if (rewritten === source) throw new Error('.projenrc.ts no longer imports ImageRelease from \'./src\' as this benchmark expects');
  fs.writeFileSync(rc, rewritten);
  const js = ts.transpileModule(rewritten, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  fs.writeFileSync(path.join(dir, 'synth.js'), js);
  return { name, dir };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf-8' }).stdout) || 100;

/** User + system CPU seconds of this process's waited-for children (Linux); undefined elsewhere. */
function childrenCpu(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf-8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime, fields 16 and 17 of proc(5); the slice starts at field 3
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

interface Sample {
  readonly wall: number;
  readonly cpu?: number;
}

/** Wall and CPU seconds of one synthesis in a fresh process. */
function run(mode: Mode, v: Variant): Sample {
  const [cmd, ...args] = mode.command(v);
  const cpu0 = childrenCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: v.dir, encoding: 'utf-8', env: { ...process.env, PROJEN_DISABLE_POST: '1' } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = childrenCpu();
  if (r.status !== 0) throw new Error(`${mode.name} ${v.name}: synthesis failed:\n${r.stderr}${r.stdout}`);
  return { wall, cpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
}

function report(what: string, withIt: number[], without: number[]): void {
  const fmt = (xs: number[]) => xs.map((x) => (x * 1000).toFixed(0)).join(', ');
  const pad = ' '.repeat(what.length);
  const perInstance = (ratio: number) => `${(((ratio - 1) / INSTANCES) * 100).toFixed(1)} %`;
  console.log(`  ${what}: with ImageRelease median ${(median(withIt) * 1000).toFixed(0)} ms [${fmt(withIt)}]`);
  console.log(`  ${pad}  without        median ${(median(without) * 1000).toFixed(0)} ms [${fmt(without)}]`);
  const ratio = median(withIt) / median(without);
  const extra = ((median(withIt) - median(without)) * 1000) / INSTANCES;
  console.log(`  ${pad}  ratio ${ratio.toFixed(3)}; per ImageRelease ((ratio-1)/${INSTANCES}): ${perInstance(ratio)}, ${extra.toFixed(0)} ms`);
  // Runs next to each other share the machine's load: the median of their ratios drifts less.
  const paired = median(withIt.map((w, i) => w / without[i]));
  console.log(`  ${pad}  median of the ${RUNS} paired ratios ${paired.toFixed(3)}; per ImageRelease ${perInstance(paired)}`);
}

function measure(mode: Mode, variants: readonly [Variant, Variant]): void {
  const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
  // One unmeasured run each: warms the file cache, and brings each copy to its steady state.
  for (const v of variants) run(mode, v);
  for (let i = 0; i < RUNS; i++) {
    for (const v of i % 2 === 0 ? variants : [...variants].reverse()) samples.get(v)!.push(run(mode, v));
  }
  const [withIt, without] = variants.map((v) => samples.get(v)!);
  console.log(`${mode.name}:`);
  report('wall', withIt.map((s) => s.wall), without.map((s) => s.wall));
  if ([...withIt, ...without].every((s) => s.cpu !== undefined)) report('cpu ', withIt.map((s) => s.cpu!), without.map((s) => s.cpu!));
}

function main() {
  const library = path.join(ROOT, 'lib', 'index.js');
  if (!fs.existsSync(library)) throw new Error('run "npx projen compile" first');
  const only = process.argv[2];
  const modes = MODES.filter((m) => only === undefined || m.name.startsWith(only));
  if (modes.length === 0) throw new Error(`unknown mode ${only}: node or npx`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const stub = path.join(tmp, 'no-image-release.js');
    fs.writeFileSync(stub, 'exports.ImageRelease = class ImageRelease { constructor() {} };\n');
    const variants: [Variant, Variant] = [variant(tmp, 'with', path.join(ROOT, 'lib')), variant(tmp, 'without', stub)];
    for (const mode of modes) measure(mode, variants);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
