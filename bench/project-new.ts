/**
 * Benchmark: what starting a repository with `projen new --from projen-image-release` costs a
 * user, for each project type, from the library packed as npm publishes it:
 * - the wall time of `projen new` (mostly npm installing the new repository's dependencies), median
 *   of 3 runs, each in a fresh directory, one after the other (npm's cache is warm after the first);
 * - the files it writes (node-operator: what it commits; container-image, in a Go operator
 *   repository of 5 files: the files it adds and the user's files it changes);
 * - the wall time of the new repository's first `npx projen build`, median of the 3 repositories.
 * node-operator runs with --image, container-image in a git repository whose remote gives the image.
 * Everything happens in temporary directories, removed at the end.
 * Run: npx ts-node --transpile-only bench/project-new.ts [node-operator|container-image]
 *      (after npx projen compile; BENCH_RUNS=5 for more runs than 3)
 */
import { emptyDir, expectSuccess, fetchProjen, git, packLibrary, projenNew, Run, run } from '../test/e2e/projen-new';
import { cleanUp, GO_DOCKERFILE, repoWith, withRemote } from '../test/util';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface ProjectType {
  readonly name: string;
  /** A directory to run `projen new` in. */
  readonly prepare: () => string;
  readonly flags: readonly string[];
  /** The files `projen new` wrote in `dir`. */
  readonly written: (dir: string) => string[];
}

const TYPES: readonly ProjectType[] = [
  {
    name: 'node-operator',
    prepare: () => emptyDir('my-op'),
    flags: ['--image', 'ghcr.io/acme/my-op'],
    written: (dir) => git(dir, 'ls-files').split('\n').filter((f) => f !== ''),
  },
  {
    name: 'container-image',
    prepare: () => {
      const dir = withRemote(repoWith({ 'Dockerfile': GO_DOCKERFILE, 'go.mod': 'module github.com/acme/go-op\n\ngo 1.23\n', 'main.go': 'package main\n\nfunc main() {}\n', '.gitignore': 'bin/\n', 'README.md': '# go-op\n' }), 'https://github.com/acme/go-op.git');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'A Go operator');
      return dir;
    },
    flags: ['--no-git'],
    written: (dir) => git(dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l !== ''),
  },
];

const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} s [${xs.map((x) => x.toFixed(1)).join(', ')}]`;

async function measure(type: ProjectType, tgz: string): Promise<void> {
  const created: Run[] = [];
  const built: Run[] = [];
  let written: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = type.prepare();
    const r = await projenNew(dir, tgz, type.name, ...type.flags);
    expectSuccess(r, `projen new ${type.name}`);
    created.push(r);
    written = type.written(dir);
    const b = await run('npx', ['projen', 'build'], dir);
    expectSuccess(b, `npx projen build (${type.name})`);
    built.push(b);
  }
  console.log(`${type.name}:`);
  console.log(`  projen new        ${fmt(created.map((r) => r.seconds))}`);
  console.log(`  files written     ${written.length}: ${written.join(', ')}`);
  console.log(`  npx projen build  ${fmt(built.map((r) => r.seconds))}`);
}

async function main() {
  const only = process.argv[2];
  const types = TYPES.filter((t) => only === undefined || t.name === only);
  if (types.length === 0) throw new Error(`unknown project type ${only}: ${TYPES.map((t) => t.name).join(' or ')}`);
  try {
    const tgz = await packLibrary();
    await fetchProjen(emptyDir('warm'));
    for (const type of types) await measure(type, tgz);
  } finally {
    cleanUp();
  }
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exitCode = 1;
});
