import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ImageRelease, ReleaseTrigger } from '../../src';
import { bareProject, runCli } from '../util';

const ROOT = path.join(__dirname, '..', '..');

/** Runs the CLI as a process, as users do. */
const cli = (args: string[], cwd = ROOT) => runCli(args, cwd);

/** A repository that uses ImageRelease, synthesized into a temp dir. */
function synthesizedRepo(options = {}): string {
  const project = bareProject();
  new ImageRelease(project, { image: 'ghcr.io/acme/demo', ...options });
  project.synth();
  return project.outdir;
}

test('--version prints the package version and exits 0', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;
  expect(cli(['--version'])).toEqual({ code: 0, stdout: `projen-image-release ${version}\n`, stderr: '' });
});

test('--help lists the commands and exits 0', () => {
  const r = cli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage: image-release <command>/);
  expect(r.stdout).toContain('plan <tag>');
});

test('an unknown command is one line on stderr and exit code 2', () => {
  const r = cli(['deploy']);
  expect(r).toEqual({ code: 2, stdout: '', stderr: 'image-release: unknown command "deploy"; see "image-release --help"\n' });
});

describe('image-release plan', () => {
  const repo = synthesizedRepo();

  test('prints version, latest, tags and labels for a tag', () => {
    const r = cli(['plan', 'v1.2.3', '--existing-tags', 'v1.2.2', '--sha', 'abc1234'], repo);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Release v1.2.3 of ghcr.io/acme/demo (push of refs/tags/v1.2.3)');
    expect(lines).toEqual(expect.arrayContaining(['version: 1.2.3', 'latest:  yes', '  ghcr.io/acme/demo:1.2.3', '  ghcr.io/acme/demo:1.2', '  ghcr.io/acme/demo:1', '  ghcr.io/acme/demo:latest']));
    expect(r.stdout).toContain('  org.opencontainers.image.revision=abc1234\n');
  });

  test('loads neither the other commands nor the libraries its tag lines do not need', () => {
    // The modules a plan of the default tag lines loaded, listed by the process after it ran.
    const script = `require(${JSON.stringify(path.join(ROOT, 'src/cli/main.ts'))}).main(['plan', 'v1.2.3', '--sha', 'abc1234', '--existing-tags', 'v1.0.0'], () => {}, (s) => process.stderr.write(s))
      .then((code) => process.stdout.write(JSON.stringify({ code, loaded: Object.keys(require.cache) })));`;
    const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
      cwd: repo, encoding: 'utf-8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    });
    expect(r.stderr).toBe('');
    const { code, loaded } = JSON.parse(r.stdout) as { code: number; loaded: string[] };
    expect(code).toBe(0);
    const relative = loaded.map((f) => path.relative(ROOT, fs.realpathSync(f)).split(path.sep).join('/'));
    expect(relative).toContain('src/tags/planner/plan.ts');
    const unneeded = relative.filter((f) => /^src\/(cli\/(verify|rehearse|prune)|registry|chart|verify|rehearse|prune)\//.test(f)
      || /\/node_modules\/(handlebars|moment|moment-timezone|csv-parse|yaml)\//.test(`/${f}`));
    expect(unneeded).toEqual([]);
  });

  test('--json gives the same plan as data; a backport gets no latest', () => {
    const r = cli(['plan', '--ref', 'refs/tags/v1.2.4', '--existing-tags', 'v1.2.3,v2.0.0', '--json'], repo);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ version: '1.2.4', latest: false, tags: ['ghcr.io/acme/demo:1.2.4', 'ghcr.io/acme/demo:1.2', 'ghcr.io/acme/demo:1'] });
    expect(plan.labels['org.opencontainers.image.version']).toBe('1.2.4');
  });

  test('--prerelease withholds latest for a release-published pipeline', () => {
    const releaseRepo = synthesizedRepo({ trigger: ReleaseTrigger.RELEASE_PUBLISHED });
    const marked = JSON.parse(cli(['plan', 'v1.3.0', '--prerelease', '--existing-tags', 'v1.2.3', '--json'], releaseRepo).stdout);
    const unmarked = JSON.parse(cli(['plan', 'v1.3.0', '--existing-tags', 'v1.2.3', '--json'], releaseRepo).stdout);
    expect([marked.latest, unmarked.latest]).toEqual([false, true]);
    expect(marked.tags).toEqual(['ghcr.io/acme/demo:1.3.0', 'ghcr.io/acme/demo:1.3', 'ghcr.io/acme/demo:1']);
  });

  test.each<[string, string[], string]>([
    ['a ref that is not a version', ['plan', 'main'], 'image-release plan: "main" is not a version (expected e.g. v1.2.3 or 1.2.3-rc.1)\n'],
    ['a branch ref', ['plan', '--ref', 'refs/heads/main'], 'image-release plan: "refs/heads/main" is not a tag ref; releases are tags, e.g. refs/tags/v1.2.3\n'],
    ['an unknown flag', ['plan', 'v1.2.3', '--dry'], 'image-release plan: unknown flag "--dry"; see "image-release plan --help"\n'],
    ['an unknown event', ['plan', 'v1.2.3', '--event', 'schedule'], 'image-release plan: --event "schedule" is not supported; use push or release\n'],
    ['no release given', ['plan'], 'image-release plan: which release? give a tag (image-release plan v1.2.3) or --ref refs/tags/v1.2.3\n'],
    ['an event the trigger does not run on', ['plan', 'v1.2.3', '--event', 'release'],
      'image-release plan: --event release does not start this release: the model\'s trigger is tag-push, which runs on push; leave --event out\n'],
    ['--prerelease without the release-published trigger', ['plan', 'v1.2.3', '--prerelease'],
      'image-release plan: --prerelease describes a GitHub release marked pre-release, which only the release-published trigger reads; the model\'s trigger is tag-push\n'],
  ])('%s: one line on stderr, exit code 2', (_name, args, stderr) => {
    expect(cli(args, repo)).toEqual({ code: 2, stdout: '', stderr });
  });

  test('prefixed release tags: the prefix is part of the tag, and a tag without it is refused', () => {
    const prefixed = synthesizedRepo({ tagPattern: 'operator-v*' });
    const plan = JSON.parse(cli(['plan', 'operator-v1.2.3', '--existing-tags', 'operator-v1.2.2,webhook-v3.0.0', '--json'], prefixed).stdout);
    expect(plan.tags).toEqual(['1.2.3', '1.2', '1', 'latest'].map((t) => `ghcr.io/acme/demo:${t}`));
    expect(cli(['plan', 'v1.2.3'], prefixed)).toEqual({
      code: 2, stdout: '', stderr: 'image-release plan: "v1.2.3" does not start with the release tag prefix "operator-v" of the model (e.g. operator-v1.2.3)\n',
    });
  });

  test.each(['verify', 'rehearse'])('%s: a --registry-url that is not a registry origin is refused', (command) => {
    expect(cli([command, 'v1.2.3', '--registry-url', 'ftp://127.0.0.1/x'], repo)).toEqual({
      code: 2, stdout: '', stderr: `image-release ${command}: --registry-url "ftp://127.0.0.1/x" is not a registry URL like http://127.0.0.1:5000\n`,
    });
  });

  test.each([
    [['--only', 'labels'], 'image-release verify: --only "labels" is not a part; use image or chart'],
    [['--only', 'chart'], 'image-release verify: --only chart: the model of ghcr.io/acme/demo has no chart'],
  ])('verify %j is refused before any registry is asked', (flags, message) => {
    expect(cli(['verify', 'v1.2.3', ...flags, '--registry-url', 'http://127.0.0.1:9'], repo)).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  test('no model file: one line naming the file, exit code 2', () => {
    const empty = bareProject().outdir;
    const r = cli(['plan', 'v1.2.3'], empty);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `image-release plan: no .projen/image-release.json in ${empty} or above it; run "npx projen" in a repository that uses ImageRelease\n` });
  });

  test('from a subdirectory of the repository, plan finds the model above it', () => {
    const sub = path.join(repo, 'src', 'deep');
    fs.mkdirSync(sub, { recursive: true });
    const r = cli(['plan', 'v1.2.3', '--existing-tags', 'v1.2.2', '--json'], sub);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).version).toBe('1.2.3');
  });

  test('--help documents every flag', () => {
    const r = cli(['plan', '--help'], repo);
    expect(r.code).toBe(0);
    for (const flag of ['--ref', '--event', '--prerelease', '--sha', '--existing-tags', '--json', '--help']) expect(r.stdout).toContain(flag);
  });
});
