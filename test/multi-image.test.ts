import * as fs from 'fs';
import * as path from 'path';
import { javascript, Project } from 'projen';
import { ImageRelease, ImageReleaseOptions, ReleaseTrigger } from '../src';
import { parseYaml, releasedNodeProject, SAMPLE_DOCKERFILE, synthWithoutInstall, tempDir } from './util';
import { UsageError } from '../src/cli/args';
import { CliEnvironment } from '../src/cli/common';
import { runPlan } from '../src/cli/plan';
import { runPruneCommand } from '../src/cli/prune';
import { BEGIN_MARKER } from '../src/dockerfile/block';
import { PINS } from '../src/workflow/pins';

/** The operator and its admission webhook, each with its Dockerfile, in one repository. */
const SOURCE = { source: 'https://github.com/acme/operator' };
const OPERATOR: ImageReleaseOptions = { id: 'operator', image: 'ghcr.io/acme/operator', labels: SOURCE };
const WEBHOOK: ImageReleaseOptions = { id: 'webhook', image: 'ghcr.io/acme/webhook', dockerfile: 'webhook/Dockerfile', context: 'webhook', labels: SOURCE };

/** Writes the two Dockerfiles of a project. */
function withDockerfiles<T extends Project>(project: T): T {
  fs.mkdirSync(path.join(project.outdir, 'webhook'), { recursive: true });
  fs.writeFileSync(path.join(project.outdir, 'Dockerfile'), SAMPLE_DOCKERFILE);
  fs.writeFileSync(path.join(project.outdir, 'webhook/Dockerfile'), SAMPLE_DOCKERFILE);
  return project;
}

/** A bare project (standalone workflows) with both images. */
function bareTwoImages(operator: ImageReleaseOptions = OPERATOR, webhook: ImageReleaseOptions = WEBHOOK): Project {
  const project = withDockerfiles(new Project({ name: 'two-images', outdir: tempDir() }));
  new ImageRelease(project, operator);
  new ImageRelease(project, webhook);
  return project;
}

/** Synthesizes and reads files of the project. */
function synth(project: Project): (file: string) => string {
  synthWithoutInstall(project);
  return (file) => fs.readFileSync(path.join(project.outdir, file), 'utf-8');
}

describe('two images released from one tag, each by its own workflow', () => {
  const project = bareTwoImages();
  const read = synth(project);
  const workflows = ['operator', 'webhook'].map((id) => parseYaml(read(`.github/workflows/release-image-${id}.yml`)));

  test('each image has its own workflow, named after it, on the shared tag pattern', () => {
    expect(workflows.map((w) => w.name)).toEqual(['release-image-operator', 'release-image-webhook']);
    expect(workflows.map((w) => w.on.push.tags)).toEqual([['v*'], ['v*']]);
    expect(fs.existsSync(path.join(project.outdir, '.github/workflows/release-image.yml'))).toBe(false);
  });

  test('concurrency groups carry the image, so one image\'s release never waits for or replaces the other\'s', () => {
    const groups = workflows.map((w) => w.concurrency.group);
    expect(new Set(groups).size).toBe(2);
    expect(groups[1]).toContain('release-image-webhook');
  });

  test('each workflow builds its own Dockerfile and context', () => {
    const build = (w: any) => w.jobs.build_linux_amd64.steps.find((s: any) => s.id === 'build').with;
    expect([build(workflows[0]).file, build(workflows[0]).context]).toEqual(['Dockerfile', '.']);
    expect([build(workflows[1]).file, build(workflows[1]).context]).toEqual(['webhook/Dockerfile', 'webhook']);
  });

  test('each Dockerfile gets its own label block with its own title', () => {
    expect(read('webhook/Dockerfile')).toContain(BEGIN_MARKER);
    expect(read('webhook/Dockerfile')).toContain('org.opencontainers.image.title="webhook"');
    expect(read('Dockerfile')).toContain('org.opencontainers.image.title="operator"');
  });

  test('GitHub Actions cache scopes differ per image', () => {
    const cache = (w: any) => w.jobs.build_linux_amd64.steps.find((s: any) => s.id === 'build').with['cache-from'];
    expect(cache(workflows[0])).not.toEqual(cache(workflows[1]));
  });

  test('each image has its own model file, with its id, and its own release document', () => {
    const models = ['operator', 'webhook'].map((id) => JSON.parse(read(`.projen/image-release-${id}.json`)));
    expect(models.map((m) => [m.id, m.image, m.workflow])).toEqual([
      ['operator', 'ghcr.io/acme/operator', '.github/workflows/release-image-operator.yml'],
      ['webhook', 'ghcr.io/acme/webhook', '.github/workflows/release-image-webhook.yml'],
    ]);
    expect(read('docs/image-release-webhook.md')).toContain('ghcr.io/acme/webhook');
  });

  test('one dependabot.yml watches the base images of both Dockerfiles', () => {
    const d = parseYaml(read('.github/dependabot.yml'));
    expect(d.updates.filter((u: any) => u['package-ecosystem'] === 'docker').map((u: any) => u.directory)).toEqual(['/', '/webhook']);
    expect(d.updates.filter((u: any) => u['package-ecosystem'] === 'github-actions')).toHaveLength(1);
  });

  test('each image has its own build check workflow', () => {
    expect(parseYaml(read('.github/workflows/image-check-webhook.yml')).name).toBe('image-check-webhook');
  });
});

describe('two images with per-image prefixed tags', () => {
  const project = bareTwoImages({ ...OPERATOR, tagPattern: 'operator-v*' }, { ...WEBHOOK, tagPattern: 'webhook-v*' });
  const read = synth(project);

  test('each workflow runs on its own tags and strips its own prefix', () => {
    expect(parseYaml(read('.github/workflows/release-image-operator.yml')).on.push.tags).toEqual(['operator-v*']);
    expect(parseYaml(read('.github/workflows/release-image-webhook.yml')).on.push.tags).toEqual(['webhook-v*']);
    expect(JSON.parse(read('.projen/image-release-webhook.json')).tagPrefix).toBe('webhook-v');
  });

  describe('image-release plan', () => {
    const env: CliEnvironment = {
      cwd: project.outdir, now: () => new Date('2026-01-01T00:00:00Z'), env: {}, readStdin: () => '', progress: () => {},
    };
    const plan = (...argv: string[]) => {
      let out = '';
      runPlan([...argv, '--existing-tags', 'v0.0.1', '--sha', 'abc1234'], env, (s) => { out += s; });
      return out;
    };

    test('a tag with one image\'s prefix plans that image only', () => {
      const out = plan('webhook-v0.4.0');
      expect(out).toContain('Release webhook-v0.4.0 of ghcr.io/acme/webhook');
      expect(out).not.toContain('ghcr.io/acme/operator');
      expect(out).toContain('  ghcr.io/acme/webhook:0.4.0');
    });

    test('a tag of no image names every image and why', () => {
      expect(() => plan('v1.0.0')).toThrow(UsageError);
      expect(() => plan('v1.0.0')).toThrow(/none of the images:\n {2}- operator \(ghcr.io\/acme\/operator\): .*operator-v.*\n {2}- webhook/);
    });

    test('--image selects by id; an unknown one lists the images', () => {
      expect(plan('webhook-v0.4.0', '--image', 'webhook', '--json')).toContain('"id": "webhook"');
      expect(() => plan('webhook-v0.4.0', '--image', 'gateway')).toThrow('plan: --image "gateway" names no image of this repository; its images: operator (ghcr.io/acme/operator), webhook (ghcr.io/acme/webhook)');
    });
  });
});

describe('a shared tag plans every image, a table each', () => {
  const project = bareTwoImages();
  synthWithoutInstall(project);
  test('both images, in order', () => {
    let out = '';
    runPlan(['v1.2.3', '--existing-tags', 'v0.0.1', '--sha', 'abc1234'], { cwd: project.outdir, now: () => new Date(0), env: {}, readStdin: () => '', progress: () => {} }, (s) => { out += s; });
    expect(out.match(/^Release v1\.2\.3 of \S+/gm)).toEqual(['Release v1.2.3 of ghcr.io/acme/operator', 'Release v1.2.3 of ghcr.io/acme/webhook']);
  });
});

describe('two images in projen\'s release workflow', () => {
  const project = withDockerfiles(releasedNodeProject());
  new ImageRelease(project, { ...OPERATOR, trigger: ReleaseTrigger.PROJEN_RELEASE });
  new ImageRelease(project, { ...WEBHOOK, trigger: ReleaseTrigger.PROJEN_RELEASE });
  const read = synth(project);
  const release = parseYaml(read('.github/workflows/release.yml'));
  const build = parseYaml(read('.github/workflows/build.yml'));

  test('job ids carry the image, and never collide', () => {
    const ids = Object.keys(release.jobs);
    expect(ids).toEqual(expect.arrayContaining(['image_operator_publish', 'image_webhook_publish', 'image_operator_build_linux_amd64', 'image_webhook_verify']));
    expect(ids.filter((id) => id.startsWith('image_')).some((id) => !/^image_(operator|webhook|cache_operator|cache_webhook)_/.test(id))).toBe(false);
  });

  test('each publish job needs its own image\'s scans only', () => {
    expect(release.jobs.image_webhook_publish.needs).toEqual(expect.arrayContaining(['image_webhook_scan_linux_amd64', 'image_webhook_scan_linux_arm64']));
    expect(release.jobs.image_webhook_publish.needs.some((n: string) => n.startsWith('image_operator_'))).toBe(false);
  });

  test('the build check of each image joins the build workflow under its own ids', () => {
    const checks = Object.keys(build.jobs).filter((id) => id.startsWith('image_check_'));
    expect(checks.some((id) => id.startsWith('image_check_operator_'))).toBe(true);
    expect(checks.some((id) => id.startsWith('image_check_webhook_'))).toBe(true);
  });

  test('projen\'s jobs are hardened once: one version comment per pinned action', () => {
    const text = read('.github/workflows/release.yml');
    expect(text).not.toMatch(/# v[\d.]+ # v/);
  });
});

describe('the workflow files every image of a project reads', () => {
  test('a pin Dependabot moved forward in one image\'s workflow reaches the other image\'s on the next synthesis of the same project', () => {
    const project = bareTwoImages();
    const read = synth(project);
    const file = path.join(project.outdir, '.github/workflows/release-image-webhook.yml');
    const checkout = `${PINS.checkout.action}@${PINS.checkout.sha} # ${PINS.checkout.version}`;
    const bumped = `${PINS.checkout.action}@${'a'.repeat(40)} # v7.2.0`;
    expect(read('.github/workflows/release-image-operator.yml')).toContain(checkout);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, read('.github/workflows/release-image-webhook.yml').split(checkout).join(bumped));
    // The project synthesized before: its second synthesis reads the files as they are now.
    synthWithoutInstall(project);
    expect(read('.github/workflows/release-image-operator.yml')).toContain(bumped);
    expect(read('.github/workflows/release-image-operator.yml')).not.toContain(checkout);
    expect(read('.github/workflows/release-image-webhook.yml')).toContain(bumped);
  });
});

describe('what two images may not share', () => {
  test.each<[string, ImageReleaseOptions, RegExp]>([
    ['the id', { ...WEBHOOK, id: 'operator' }, /^ {2}- id: "operator" is also the id of image "operator"; each image needs its own$/m],
    ['the image', { ...WEBHOOK, image: 'ghcr.io/acme/operator' }, /image: "ghcr.io\/acme\/operator" is also the image of image "operator"/],
    ['the Dockerfile', { ...WEBHOOK, dockerfile: 'Dockerfile', context: '.' }, /dockerfile: "Dockerfile" is also the dockerfile of image "operator"/],
    ['a missing id', { ...WEBHOOK, id: undefined }, /id: the project publishes 2 images \(ghcr.io\/acme\/operator, ghcr.io\/acme\/webhook\); give each ImageRelease an id/],
    ['a dependabot setting on the second image', { ...WEBHOOK, dependabot: { cooldownDays: 3 } }, /dependabot: set on image "webhook", but one .github\/dependabot.yml serves every image of the project; set dependabot on the first ImageRelease \("operator"\) only/],
  ])('%s', (_name, webhook, message) => {
    expect(() => bareTwoImages(OPERATOR, webhook)).toThrow(message);
  });

  test.each(['Web_Hook', 'check', '1st'])('id %j is refused', (id) => {
    const project = withDockerfiles(new Project({ name: 'x', outdir: tempDir() }));
    expect(() => new ImageRelease(project, { ...WEBHOOK, id })).toThrow(/id: "[^"]+" (must be a short lower-case name|is reserved)/);
  });
});

test('an ImageRelease in a sub-project is refused, saying how to declare the image in the root', () => {
  const root = new javascript.NodeProject({ name: 'root', outdir: tempDir(), defaultReleaseBranch: 'main', packageManager: javascript.NodePackageManager.NPM });
  const sub = new Project({ name: 'webhook', parent: root, outdir: 'services/webhook' });
  expect(() => new ImageRelease(sub, { image: 'ghcr.io/acme/webhook' })).toThrow(
    'ImageRelease: project "webhook" is a sub-project (services/webhook/), and GitHub runs only the workflows of the repository root; '
    + "declare the image in the root project instead: new ImageRelease(root, { id: 'webhook', dockerfile: 'services/webhook/Dockerfile', context: 'services/webhook', ... })",
  );
});

test('one of several images needs a source label when the project has no repository URL: its name need not be the repository\'s', () => {
  expect(() => bareTwoImages(OPERATOR, { ...WEBHOOK, labels: {} })).toThrow(
    'labels.source: not set, and the project has no repository URL to take it from (image "webhook" is one of several',
  );
});

test('the source label of one of several images gives the vendor and documentation, like a repository URL', () => {
  const read = synth(bareTwoImages());
  expect(read('webhook/Dockerfile')).toContain('org.opencontainers.image.documentation="https://github.com/acme/operator/blob/HEAD/README.md"');
  expect(read('webhook/Dockerfile')).toContain('org.opencontainers.image.vendor="acme"');
});

test('one image keeps the plain names', () => {
  const project = withDockerfiles(new Project({ name: 'one', outdir: tempDir() }));
  new ImageRelease(project, { image: 'ghcr.io/acme/one' });
  const read = synth(project);
  expect(parseYaml(read('.github/workflows/release-image.yml')).concurrency.group).toBe('release-image-${{ github.ref }}');
  expect(JSON.parse(read('.projen/image-release.json')).id).toBeUndefined();
});

test('retention of each image is its own scheduled workflow, pruning that image', () => {
  const read = synth(bareTwoImages({ ...OPERATOR, retention: { keep: 5 } }, { ...WEBHOOK, retention: { keep: 3 } }));
  const webhook = parseYaml(read('.github/workflows/image-retention-webhook.yml'));
  expect(webhook.concurrency.group).toBe('image-retention-webhook');
  expect(JSON.stringify(webhook.jobs.prune.steps)).toContain('prune --image webhook --apply');
  expect(JSON.parse(read('.projen/image-release-webhook.json')).retention.keep).toBe(3);
  expect(parseYaml(read('.github/workflows/image-retention-operator.yml')).name).toBe('image-retention-operator');
});

test('prune in a repository with several images asks which one', async () => {
  const project = bareTwoImages();
  synthWithoutInstall(project);
  const env: CliEnvironment = { cwd: project.outdir, now: () => new Date(0), env: {}, readStdin: () => '', progress: () => {} };
  await expect(runPruneCommand([], env, () => {})).rejects.toThrow(
    'prune: the repository has 2 images; choose one with --image (operator (ghcr.io/acme/operator), webhook (ghcr.io/acme/webhook))',
  );
});
