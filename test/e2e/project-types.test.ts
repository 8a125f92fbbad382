import * as fs from 'fs';
import * as path from 'path';
import { childEnv, emptyDir, expectSuccess, fetchProjen, git, packLibrary, projenNew, run, Run, stopAll } from './projen-new';
import { BEGIN_MARKER } from '../../src/dockerfile/block';
import { USER_BLOCK_BEGIN, USER_BLOCK_END } from '../../src/projen/user-block-file';
import { afterTestFile, expectCleanLint, GO_DOCKERFILE, parseYaml, repoWith, tempDir, withoutBlock, withRemote } from '../util';

/**
 * End to end, as a user starts a repository: `projen new --from projen-image-release` with the
 * library packed as it is published (`npm pack`), for each project type in a temp dir, then in the
 * new repository `npx projen` (changes no file), the field's linters on what it wrote, `image-release
 * plan`, and for node-operator `npx projen build` (its own tests). Offline apart from the npm
 * registry. Needs lib/ and .jsii from `npx projen compile`, and scripts/install-linters.
 *
 * The three `projen new` runs (npm installs, most of the time) start together in beforeAll; each
 * test waits for its own.
 */
const LONG = 6 * 60_000;
/** The tags the default policy gives v1.0.0 (the planner's own tests pin the policy). */
const TAGS_OF_1_0_0 = ['1.0.0', '1.0', '1', 'latest'];

/** The user's files of a Go operator repository, before `projen new`. */
const GO_REPO: Record<string, string> = {
  'Dockerfile': GO_DOCKERFILE,
  'go.mod': 'module github.com/acme/go-op\n\ngo 1.23\n',
  'main.go': 'package main\n\nfunc main() {}\n',
  '.gitignore': '# Binaries\nbin/\n*.out\n',
  'README.md': '# go-op\n\nA Kubernetes operator.\n',
};

/**
 * The origins a repository meets after `projen new`: a developer's clone, actions/checkout's (no
 * `.git`), SSH, a fork's, and none.
 */
const ORIGINS = ['https://github.com/acme/REPO.git', 'https://github.com/acme/REPO', 'git@github.com:acme/REPO.git', 'https://github.com/someone/REPO', undefined];

/** Runs `npx projen` in `dir` with each of {@link ORIGINS} and expects no file to change. */
async function expectSameFilesWithEveryOrigin(dir: string, repo: string, env?: NodeJS.ProcessEnv): Promise<void> {
  for (const origin of ORIGINS) {
    if (origin === undefined) git(dir, 'remote', 'remove', 'origin');
    else git(dir, 'remote', 'set-url', 'origin', origin.replace('REPO', repo));
    expectSuccess(await run('npx', ['projen'], dir, env), `npx projen with origin ${origin}`);
    expect([origin, git(dir, 'status', '--porcelain')]).toEqual([origin, '']);
  }
}

/** The image tags `image-release plan v1.0.0` prints in `dir`. */
async function plannedTags(dir: string): Promise<string[]> {
  const r = await run('npx', ['image-release', 'plan', 'v1.0.0'], dir);
  expectSuccess(r, 'image-release plan');
  const lines = r.output.split('\n');
  const from = lines.indexOf('tags:') + 1;
  return lines.slice(from, lines.indexOf('labels:', from)).map((l) => l.trim());
}

let operatorDir: string;
let goDir: string;
let emptyCache: string;
let operatorCreated: Promise<Run>;
let goCreated: Promise<Run>;
let wrongFlag: Promise<Run>;
let spaceSeparated: Promise<Run>;

beforeAll(async () => {
  const tgz = await packLibrary();
  operatorDir = withRemote(emptyDir('my-op'), 'https://github.com/acme/my-op.git');
  const wrongDir = emptyDir('wrong-op');
  emptyCache = tempDir();
  goDir = withRemote(repoWith(GO_REPO), 'https://github.com/acme/go-op.git');
  git(goDir, 'add', '-A');
  git(goDir, 'commit', '-q', '-m', 'A Go operator');
  // Registered after the temp dirs, so it runs before they are removed.
  afterTestFile(stopAll);
  await fetchProjen(operatorDir);
  operatorCreated = projenNew(operatorDir, tgz, 'node-operator');
  goCreated = projenNew(goDir, tgz, 'container-image', '--no-git', '--platforms', 'linux/arm64', '--platforms', 'linux/amd64');
  spaceSeparated = projenNew(emptyDir('space-op'), tgz, 'container-image', '--image', 'ghcr.io/acme/space-op', '--platforms', 'linux/amd64', 'linux/arm64', '--no-git');
  wrongFlag = projenNew(wrongDir, tgz, 'node-operator', '--image', 'ghcr.io/acme/wrong-op', '--platforms', 'linux/amd65', '--no-git');
}, 120_000);

test('a wrong flag value fails with the model\'s message, without frames of the library', async () => {
  const r = await wrongFlag;
  expect(r.code).not.toBe(0);
  expect(r.output).toContain('platforms[0]: "linux/amd65" is not a platform');
  expect(r.output).not.toMatch(/^\s+at .*projen-image-release/m);
}, LONG);

test('a space-separated --platforms list, of which projen keeps only the first value, fails naming the form that keeps them all', async () => {
  const r = await spaceSeparated;
  expect(r.code).not.toBe(0);
  expect(r.output).toContain('--platforms: projen new keeps only "linux/amd64" of "linux/amd64" "linux/arm64"');
  expect(r.output).toContain('--platforms linux/amd64 --platforms linux/arm64');
}, LONG);

describe('container-image in a Go operator repository', () => {
  test('adopts the repository: the user\'s files kept byte for byte, the release pipeline added, and a second "npx projen" changes nothing', async () => {
    const r = await goCreated;
    expectSuccess(r, 'projen new container-image');
    const read = (f: string) => fs.readFileSync(path.join(goDir, f), 'utf-8');

    // The Dockerfile is the user's with the block added; their other files are untouched.
    const dockerfile = read('Dockerfile');
    expect(dockerfile.split(BEGIN_MARKER).length).toBe(2);
    expect(withoutBlock(dockerfile)).toBe(GO_REPO.Dockerfile);
    for (const f of ['go.mod', 'main.go', 'README.md']) expect([f, read(f)]).toEqual([f, GO_REPO[f]]);
    // The user's .gitignore is theirs with projen's block added, and its rules still apply.
    expect(withoutBlock(read('.gitignore'), USER_BLOCK_BEGIN, USER_BLOCK_END)).toBe(GO_REPO['.gitignore']);
    for (const ignored of ['bin/manager', 'cover.out', 'node_modules/x']) expect(git(goDir, 'check-ignore', ignored).trim()).toBe(ignored);

    // The image comes from the git remote, read once and written into .projenrc.ts.
    expect(JSON.parse(read('.projen/image-release.json')).image).toBe('ghcr.io/acme/go-op');
    expect(read('.projenrc.ts')).toMatch(/image: ["']ghcr\.io\/acme\/go-op["']/);
    // The README's first paragraph line describes the image, so synthesis does not warn that it has no description.
    expect(read('.projenrc.ts')).toMatch(/description: ["']A Kubernetes operator\.["']/);
    expect(r.output).not.toContain('has no description');
    // A repeated --platforms keeps every value, in order.
    expect(JSON.parse(read('.projen/image-release.json')).platforms).toEqual(['linux/arm64', 'linux/amd64']);
    const ecosystems = parseYaml(read('.github/dependabot.yml')).updates.map((u: any) => u['package-ecosystem']);
    // The package.json projen new wrote holds its tools only: not the repository's own ecosystem.
    expect(ecosystems).toEqual(['gomod', 'docker', 'github-actions']);

    // .projenrc.ts runs with the ts-node and TypeScript the repository locks.
    expect(fs.existsSync(path.join(goDir, '.projenrc.ts'))).toBe(true);
    const devDeps = JSON.parse(read('package.json')).devDependencies;
    const lock = JSON.parse(read('package-lock.json'));
    for (const tool of ['ts-node', 'typescript']) {
      expect(devDeps[tool]).toBeDefined();
      expect(lock.packages[''].devDependencies[tool]).toBe(devDeps[tool]);
      expect(lock.packages[`node_modules/${tool}`]?.version).toBeDefined();
    }

    git(goDir, 'add', '-A');
    git(goDir, 'commit', '-q', '-m', 'projen new container-image');
    // With an empty npm cache and no network, npx fails if it would fetch ts-node instead of using the local one.
    expectSuccess(await run('npx', ['projen'], goDir, childEnv({ npm_config_cache: emptyCache, npm_config_offline: 'true' })), 'npx projen');
    expect(git(goDir, 'status', '--porcelain')).toBe('');
    await expectSameFilesWithEveryOrigin(goDir, 'go-op');

    expectCleanLint(goDir);
    expect(await plannedTags(goDir)).toEqual(TAGS_OF_1_0_0.map((t) => `ghcr.io/acme/go-op:${t}`));
  }, LONG);
});

describe('node-operator in an empty directory', () => {
  test('creates a repository that synthesizes to itself, passes the linters, plans the tags and builds', async () => {
    const created = await operatorCreated;
    expectSuccess(created, 'projen new node-operator');
    // projen new commits what it wrote.
    expect(git(operatorDir, 'status', '--porcelain')).toBe('');

    expectSuccess(await run('npx', ['projen'], operatorDir), 'npx projen');
    expect(git(operatorDir, 'status', '--porcelain')).toBe('');
    // The git remote was read once: its repository and image are in .projenrc.ts, and no later synthesis reads it.
    const projenrc = fs.readFileSync(path.join(operatorDir, '.projenrc.ts'), 'utf-8');
    expect(projenrc).toMatch(/image: ["']ghcr\.io\/acme\/my-op["']/);
    expect(projenrc).toMatch(/repository: ["']https:\/\/github\.com\/acme\/my-op\.git["']/);
    expect(projenrc).toMatch(/description: ["']The my-op Kubernetes operator["']/);
    expect(created.output).not.toContain('has no description');
    await expectSameFilesWithEveryOrigin(operatorDir, 'my-op');

    expectCleanLint(operatorDir);
    expect(await plannedTags(operatorDir)).toEqual(TAGS_OF_1_0_0.map((t) => `ghcr.io/acme/my-op:${t}`));

    // Compiles, runs the repository's own tests (the service's SIGTERM test among them) and eslint;
    // CI's self-mutation check fails a build that changes a committed file.
    expectSuccess(await run('npx', ['projen', 'build'], operatorDir), 'npx projen build');
    expect(git(operatorDir, 'status', '--porcelain')).toBe('');
  }, LONG);
});
