import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Projects, Testing } from 'projen';
import { tryProcessMacro } from 'projen/lib/cli/macros';
import { findJsiiFilePath } from 'projen/lib/cli/util';
import * as inventory from 'projen/lib/inventory';
import { allSteps, parseYaml, tempDir } from './util';

// The org-preset example (examples/org-preset): a platform team's jsii package whose project type
// subclasses NodeOperatorProject. It is compiled here against this repository's compiled library,
// as a preset is built against the published one, and a repo is created from it as `projen new`
// creates one.

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'org-preset');
const PRESET = '@acme/operator-preset';

/** Fails unless `npx projen compile` has written .jsii and lib/ from the current src/ (CI runs it before the tests). */
function assertLibraryCompiled(): void {
  const manifest = path.join(ROOT, '.jsii');
  const hint = 'run `npx projen compile` before this test: the preset compiles against the library\'s .jsii and lib/';
  if (!fs.existsSync(manifest) || !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) throw new Error(`.jsii or lib/index.js is missing; ${hint}`);
  const built = fs.statSync(manifest).mtimeMs;
  const newer = (fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf-8' }))
    .map((f) => path.join(ROOT, 'src', f))
    .filter((f) => f.endsWith('.ts') && fs.statSync(f).mtimeMs > built);
  if (newer.length > 0) throw new Error(`.jsii is older than ${path.relative(ROOT, newer[0])}${newer.length > 1 ? ` and ${newer.length - 1} more` : ''}; ${hint}`);
}

/** Links `name` in `nodeModules` to `target`, creating the scope directory of a scoped name. */
function link(nodeModules: string, name: string, target: string): void {
  const at = path.join(nodeModules, name);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at, 'dir');
}

/**
 * A temp copy of the example whose node_modules resolves projen and constructs (this repository's
 * copies, so one projen is loaded) and projen-image-release (this repository), compiled with the
 * repository's jsii. Returns its directory and jsii's output.
 */
function compilePreset(): { dir: string; output: string; status: number | null } {
  const dir = path.join(tempDir(), 'operator-preset');
  for (const f of ['package.json', 'README.md', 'src']) fs.cpSync(path.join(EXAMPLE, f), path.join(dir, f), { recursive: true });
  const nodeModules = path.join(dir, 'node_modules');
  for (const dep of ['projen', 'constructs']) link(nodeModules, dep, fs.realpathSync(path.join(ROOT, 'node_modules', dep)));
  link(nodeModules, 'projen-image-release', ROOT);
  const jsii = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'jsii'), [], { cwd: dir, encoding: 'utf-8', timeout: 110_000 });
  return { dir, output: `${jsii.stdout}${jsii.stderr}${jsii.error ?? ''}`, status: jsii.status };
}

/**
 * What `projen new --from @acme/operator-preset acme-operator ...flags` does once npm has installed
 * the preset into the new repo: finds the project type by its pjid in the preset's .jsii, takes
 * each option's initial value (the `$BASEDIR` macro names the project after its directory), adds the
 * flags and the preset as a devDependency, and creates the project from the new repo's directory,
 * without the install that follows.
 */
function projenNew(presetDir: string, repoName: string, flags: Record<string, unknown>): string {
  const repo = path.join(tempDir(), repoName);
  link(path.join(repo, 'node_modules'), PRESET, presetDir);
  const cwd = process.cwd();
  const env = { post: process.env.PROJEN_DISABLE_POST, create: process.env.PROJEN_CREATE_PROJECT };
  process.chdir(repo);
  try {
    const moduleDir = findJsiiFilePath(repo, PRESET);
    if (!moduleDir) throw new Error(`${PRESET}/.jsii is not found from ${repo}`);
    const type = inventory.discover(moduleDir).filter((t) => t.moduleName === PRESET).find((t) => t.pjid === 'acme-operator');
    if (!type) throw new Error(`${PRESET} has no project type acme-operator`);
    const props: Record<string, unknown> = {};
    for (const option of type.options) {
      if (option.initialValue) props[option.name] = tryProcessMacro(repo, option.initialValue) ?? JSON.parse(option.initialValue);
    }
    Projects.createProject({ dir: repo, projectFqn: type.fqn, projectOptions: { ...props, ...flags, devDeps: [PRESET] }, synth: true, post: false });
  } finally {
    process.chdir(cwd);
    for (const [key, value] of [['PROJEN_DISABLE_POST', env.post], ['PROJEN_CREATE_PROJECT', env.create]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return repo;
}

/** The `LABEL` lines of the Dockerfile's managed block. */
function labelBlock(dockerfile: string): string {
  const m = /# BEGIN projen-image-release[^\n]*\n([\s\S]*?)# END projen-image-release/.exec(dockerfile);
  if (!m) throw new Error(`no managed block in the Dockerfile:\n${dockerfile}`);
  return m[1];
}

/** The severities each scan job's gate step fails on, and the platforms the build steps build (each once). */
function pipelineOf(workflow: any): { gates: string[]; platforms: string[] } {
  const steps = allSteps(workflow);
  return {
    gates: steps.filter(({ step }) => /^Fail on .* vulnerabilities$/.test(step.name ?? '')).map(({ step }) => step.env?.GATE),
    platforms: [...new Set(steps.filter(({ step }) => /docker\/build-push-action/.test(step.uses ?? '')).map(({ step }) => step.with?.platforms))].sort(),
  };
}

describe('org preset example (examples/org-preset)', () => {
  let preset: { dir: string; output: string; status: number | null };

  beforeAll(() => {
    assertLibraryCompiled();
    preset = compilePreset();
  });

  test('compiles with jsii against this library and declares the acme-operator project type', () => {
    if (preset.status !== 0 || !/Errors: 0\b/.test(preset.output)) throw new Error(`jsii did not compile examples/org-preset:\n${preset.output}`);
    const all = inventory.discover(preset.dir);
    const types = all.filter((t) => t.moduleName === PRESET);
    expect(types.map((t) => [t.pjid, t.fqn])).toEqual([['acme-operator', `${PRESET}.AcmeOperatorProject`]]);
    // No new required option: `projen new` needs nothing beyond what node-operator needs.
    const required = (t: inventory.ProjectType) => t.options.filter((o) => !o.optional).map((o) => o.name).sort();
    const nodeOperator = all.find((t) => t.moduleName === 'projen-image-release' && t.pjid === 'node-operator')!;
    expect(required(types[0])).toEqual(required(nodeOperator));
    expect(types[0].options.find((o) => o.name === 'team')).toMatchObject({ optional: true, switch: 'team' });
  });

  test('projen new from it creates a repo with the preset\'s defaults and an upgrade of the preset', () => {
    expect(preset.status).toBe(0);
    const repo = projenNew(preset.dir, 'payments-operator', { team: 'payments' });
    const read = (f: string) => fs.readFileSync(path.join(repo, f), 'utf-8');

    expect(read('.projenrc.ts')).toMatch(/^import \{ AcmeOperatorProject \} from "@acme\/operator-preset";$/m);
    expect(JSON.parse(read('package.json')).devDependencies).toHaveProperty([PRESET]);

    const labels = labelBlock(read('Dockerfile'));
    expect(labels).toContain('org.opencontainers.image.vendor="Acme"');
    expect(labels).toContain('com.acme.team="payments"');

    const release = parseYaml(read('.github/workflows/release.yml'));
    const images = new Set(allSteps(release).map(({ step }) => step.with?.images).filter((i) => i !== undefined));
    expect([...images]).toEqual(['ghcr.io/acme/payments-operator']);
    const { gates, platforms } = pipelineOf(release);
    expect(gates).toEqual(['CRITICAL', 'CRITICAL']);
    expect(platforms).toEqual(['linux/amd64', 'linux/arm64']);

    // The template upgrade finds the preset's package from the jsii type information of its class.
    const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
    const upgradeTemplate = JSON.stringify(tasks['upgrade-template'].steps);
    expect(upgradeTemplate).toContain('--target=latest');
    expect(upgradeTemplate).toContain(`--filter=${PRESET}`);
    expect(upgradeTemplate).not.toContain('projen-image-release');
    expect(JSON.stringify(tasks.upgrade.steps)).not.toContain(PRESET);
    expect(read('.github/workflows/upgrade-template-main.yml')).toContain('npx projen upgrade-template');
  });

  test('the repo\'s own options win over the preset\'s defaults', () => {
    expect(preset.status).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AcmeOperatorProject } = require(preset.dir);
    const project = new AcmeOperatorProject({
      name: '@acme/Billing-Operator',
      outdir: tempDir(),
      defaultReleaseBranch: 'main',
      platforms: ['linux/arm64'],
      imageRelease: {
        labels: { title: 'billing' },
        customLabels: { 'com.acme.team': 'billing', 'com.acme.tier': 'gold' },
        scan: { severities: ['HIGH', 'MEDIUM'] },
      },
    });
    const files = Testing.synth(project);
    const labels = labelBlock(files.Dockerfile);
    expect(labels).toContain('org.opencontainers.image.vendor="Acme"');
    expect(labels).toContain('org.opencontainers.image.title="billing"');
    expect(labels).toContain('com.acme.team="billing"');
    expect(labels).toContain('com.acme.tier="gold"');
    const release = parseYaml(files['.github/workflows/release.yml']);
    // The npm scope is dropped and the name lower-cased; a scan without CRITICAL keeps its own gate.
    expect(files['.projen/image-release.json'].image).toBe('ghcr.io/acme/billing-operator');
    expect(pipelineOf(release)).toEqual({ gates: ['HIGH'], platforms: ['linux/arm64'] });
  });
});
