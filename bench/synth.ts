/**
 * Benchmark: what the ImageRelease components cost `npx projen`. Wall time of synthesizing this
 * repository's own project definition (.projenrc.ts: a JsiiProject and two example repositories,
 * with the ImageReleases counted in it) WITH the ImageReleases, from the compiled library (lib/),
 * next to the same definition WITHOUT them (ImageRelease replaced by a no-op, the library not
 * loaded). Each pair is one run of each in a fresh process, the order alternating from pair to pair
 * (A B, B A, ...) so machine load hits both alike; 15 pairs unless BENCH_PAIRS says otherwise. Two ways:
 * - node: `node` runs .projenrc.ts (and projenrc/) transpiled to JavaScript (requiring projen,
 *   building the projects, synthesizing with PROJEN_DISABLE_POST=1): the cost of synthesis alone;
 * - npx projen: `npx projen --no-post`, as a developer runs it (projen's CLI, ts-node, .projenrc.ts).
 * Prints median, min and max of each side and of the per-pair ratio, and the overhead per
 * ImageRelease ((ratio-1)/instances), of the wall time and (on Linux) of the CPU time of the
 * process tree, which load on the machine disturbs less.
 * Synthesizes into copies of the repository's tracked files in a temporary directory (node_modules
 * linked), removed at the end: nothing in the repository is written.
 * Run: npx ts-node --transpile-only bench/synth.ts [node|npx|all] [library]   (after npx projen compile;
 *      library: another compiled build's lib/ to measure instead of this one's, e.g. an older commit's)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { median, summary } from './stats';

/** Pairs measured; BENCH_PAIRS sets another number, for steadier medians on a busy machine. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const ROOT = path.join(__dirname, '..');
/** ImageRelease instances in .projenrc.ts. */
const INSTANCES = (fs.readFileSync(path.join(ROOT, '.projenrc.ts'), 'utf-8').match(/new ImageRelease\(/g) ?? []).length;

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

/** TypeScript as the JavaScript node runs. */
function transpile(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

/**
 * A copy whose .projenrc.ts takes ImageRelease from `library`, and the same as JavaScript
 * (synth.js, with projenrc/*.js next to the modules it imports).
 */
function variant(tmp: string, name: string, library: string): Variant {
  const dir = path.join(tmp, name);
  copyRepository(dir);
  const rc = path.join(dir, '.projenrc.ts');
  const source = fs.readFileSync(rc, 'utf-8');
  const rewritten = source.replace(/from '\.\/src';/, () => `from ${JSON.stringify(library)};`);
  if (rewritten === source) throw new Error('.projenrc.ts no longer imports ImageRelease from \'./src\' as this benchmark expects');
  fs.writeFileSync(rc, rewritten);
  fs.writeFileSync(path.join(dir, 'synth.js'), transpile(rewritten));
  const modules = path.join(dir, 'projenrc');
  for (const f of fs.existsSync(modules) ? fs.readdirSync(modules).filter((n) => n.endsWith('.ts')) : []) {
    fs.writeFileSync(path.join(modules, f.replace(/\.ts$/, '.js')), transpile(fs.readFileSync(path.join(modules, f), 'utf-8')));
  }
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
  const ms = (xs: number[]) => summary(xs.map((x) => x * 1000), 0);
  const pad = ' '.repeat(what.length);
  const perInstance = (ratio: number) => `${(((ratio - 1) / INSTANCES) * 100).toFixed(1)} %`;
  // Runs next to each other share the machine's load: their ratios drift less than the medians.
  const ratios = withIt.map((w, i) => w / without[i]);
  const paired = median(ratios);
  console.log(`  ${what}: with ImageRelease ${ms(withIt)} ms`);
  console.log(`  ${pad}  without        ${ms(without)} ms`);
  console.log(`  ${pad}  ratio (per pair) ${summary(ratios, 3)}; per ImageRelease ((ratio-1)/${INSTANCES}): ${perInstance(paired)} `
    + `(min ${perInstance(Math.min(...ratios))}, max ${perInstance(Math.max(...ratios))})`);
  const extra = ((median(withIt) - median(without)) * 1000) / INSTANCES;
  console.log(`  ${pad}  ratio of the medians ${(median(withIt) / median(without)).toFixed(3)}; ${extra.toFixed(0)} ms per ImageRelease`);
}

function measure(mode: Mode, variants: readonly [Variant, Variant]): void {
  const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
  // One unmeasured run each: warms the file cache, and brings each copy to its steady state.
  for (const v of variants) run(mode, v);
  for (let i = 0; i < PAIRS; i++) {
    for (const v of i % 2 === 0 ? variants : [...variants].reverse()) samples.get(v)!.push(run(mode, v));
  }
  const [withIt, without] = variants.map((v) => samples.get(v)!);
  console.log(`${mode.name}: ${PAIRS} alternating pairs, ${INSTANCES} ImageReleases`);
  report('wall', withIt.map((s) => s.wall), without.map((s) => s.wall));
  if ([...withIt, ...without].every((s) => s.cpu !== undefined)) report('cpu ', withIt.map((s) => s.cpu!), without.map((s) => s.cpu!));
}

function main() {
  const library = path.resolve(process.argv[3] ?? path.join(ROOT, 'lib'));
  if (!fs.existsSync(path.join(library, 'index.js'))) throw new Error(`no ${library}/index.js: run "npx projen compile" first`);
  const only = process.argv[2];
  const modes = MODES.filter((m) => only === undefined || only === 'all' || m.name.startsWith(only));
  if (modes.length === 0) throw new Error(`unknown mode ${only}: node, npx or all`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const stub = path.join(tmp, 'no-image-release.js');
    fs.writeFileSync(stub, 'exports.ImageRelease = class ImageRelease { constructor() {} };\n');
    const variants: [Variant, Variant] = [variant(tmp, 'with', library), variant(tmp, 'without', stub)];
    console.log(`library: ${library}`);
    for (const mode of modes) measure(mode, variants);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
