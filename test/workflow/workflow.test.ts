import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen';
import { BuildArgValue, BuildCache, ImageRelease, LatestPolicy, Platform, ReleaseTrigger, ZeroMajorPolicy } from '../../src';
import { BUILD_ARGS } from '../../src/model/labels';
import { PINS } from '../../src/workflow/pins';
import { allSteps, bareProject, parseYaml, synthBare } from '../util';

const PATH = '.github/workflows/release-image.yml';
const files = synthBare({ image: 'ghcr.io/Acme/Demo' });
const text: string = files[PATH];
const wf = parseYaml(text);
const byName = (jobId: string, name: RegExp) => wf.jobs[jobId].steps.find((s: any) => name.test(s.name));

describe('triggers and concurrency', () => {
  test('a hand-tagged repo runs on v* tag pushes only (one build per version)', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*'] } });
  });

  test('runs for one ref at a time, never cancelling a release half-way', () => {
    expect(wf.concurrency).toEqual({ 'group': 'release-image-${{ github.ref }}', 'cancel-in-progress': false });
  });

  test('release-published runs on published releases only', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', trigger: ReleaseTrigger.RELEASE_PUBLISHED })[PATH]);
    expect(other.on).toEqual({ release: { types: ['published'] } });
  });
});

describe('permissions', () => {
  test('nothing at the top', () => {
    expect(wf.permissions).toEqual({});
  });

  test.each([
    ['verify', { contents: 'read', packages: 'read' }],
    ['build', { contents: 'read', packages: 'write' }],
    ['scan', { 'contents': 'read', 'packages': 'read', 'security-events': 'write' }],
    ['publish', { packages: 'write' }],
  ])('%s job gets only what it uses', (jobId, permissions) => {
    expect(wf.jobs[jobId].permissions).toEqual(permissions);
  });

  test('without SARIF upload the scan job cannot write security events', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', scan: { sarifUpload: false } })[PATH]);
    expect(other.jobs.scan.permissions['security-events']).toBeUndefined();
  });
});

describe('supply chain', () => {
  test('every action is pinned to a full commit SHA with a version comment', () => {
    const uses = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(8);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('the pins are the ones of the pin table', () => {
    const meta = byName('build', /Compute tags/);
    expect(meta.uses).toBe(`${PINS.metadata.action}@${PINS.metadata.sha}`);
    expect(text).toContain(`${PINS.metadata.sha} # ${PINS.metadata.version}`);
  });

  test('no ${{ }} expression inside any run script', () => {
    const runs = allSteps(wf).filter(({ step }) => step.run);
    expect(runs.length).toBeGreaterThan(0);
    for (const { step } of runs) expect(step.run).not.toContain('${{');
  });

  test('every checkout drops its credentials', () => {
    const checkouts = allSteps(wf).filter(({ step }) => String(step.uses).startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const { step } of checkouts) expect(step.with['persist-credentials']).toBe(false);
  });
});

describe('build', () => {
  const build = byName('build', /^Build and push/);

  test('builds every platform and pushes by digest only (no tag before the scan)', () => {
    expect(build.with.platforms).toBe('linux/amd64,linux/arm64');
    expect(build.with.outputs).toBe('type=image,name=ghcr.io/acme/demo,push-by-digest=true,name-canonical=true,push=true');
    expect(build.with.tags).toBeUndefined();
    expect(build.with.push).toBeUndefined();
  });

  test('the image is lower-cased everywhere', () => {
    expect(text).not.toMatch(/Acme|Demo/);
    expect(byName('build', /Compute tags/).with.images).toBe('ghcr.io/acme/demo');
  });

  test('passes exactly the build-args the Dockerfile block declares, from metadata-action labels', () => {
    const args = build.with['build-args'].trim().split('\n').map((l: string) => l.split('=')[0]);
    expect(args).toEqual(BUILD_ARGS.map((a) => a.arg));
    for (const a of BUILD_ARGS) expect(build.with['build-args']).toContain(`labels['${a.label}']`);
  });

  test('the model\'s build args follow: literals as written, facts from metadata-action labels', () => {
    const synthesized = synthBare({ image: 'ghcr.io/acme/demo', buildArgs: { MODE: BuildArgValue.literal('prod'), APP_REVISION: BuildArgValue.revision() } });
    const args = parseYaml(synthesized['.github/workflows/release-image.yml']).jobs.build.steps.find((s: any) => s.id === 'build').with['build-args'].trim().split('\n');
    expect(args.slice(BUILD_ARGS.length)).toEqual([
      "APP_REVISION=${{ fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.revision'] }}",
      'MODE=prod',
    ]);
  });

  test('caches layers in its own GHA scope', () => {
    expect(build.with['cache-from']).toBe('type=gha,scope=release-image');
    expect(build.with['cache-to']).toBe('type=gha,scope=release-image,mode=max');
  });

  test('BuildCache.none() writes no cache settings', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', cache: BuildCache.none() })[PATH]);
    expect(other.jobs.build.steps.find((s: any) => s.id === 'build').with['cache-from']).toBeUndefined();
  });

  test('annotations reach the image index, so GHCR shows the description', () => {
    const meta = byName('build', /Compute tags/);
    expect(meta.env.DOCKER_METADATA_ANNOTATIONS_LEVELS).toBe('manifest,index');
    expect(build.with.annotations).toBe('${{ steps.meta.outputs.annotations }}');
    expect(meta.with.annotations).toContain('org.opencontainers.image.title=demo');
  });

  test('QEMU is set up only for foreign platforms', () => {
    expect(byName('build', /QEMU/).with.platforms).toBe('linux/arm64');
    const amd64 = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', platforms: [Platform.LINUX_AMD64] })[PATH]);
    expect(amd64.jobs.build.steps.some((s: any) => /QEMU/.test(s.name))).toBe(false);
  });
});

describe('tags', () => {
  const meta = byName('build', /Compute tags/);

  test('the seed\'s semver set, with latest from flavor (stable versions only), withheld unless highest', () => {
    expect(meta.with.tags.trim().split('\n')).toEqual([
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}}',
    ]);
    expect(meta.with.flavor.trim()).toBe("latest=${{ steps.highest.outputs.highest != 'true' && 'false' || 'auto' }}");
  });

  test('the highest-version decision runs before metadata-action, on the pushed tag, without ${{ }} in run', () => {
    const steps = wf.jobs.build.steps;
    const highest = steps.find((s: any) => s.id === 'highest');
    expect(steps.indexOf(highest)).toBeLessThan(steps.findIndex((s: any) => s.id === 'meta'));
    expect(highest.env.TAG).toBe('${{ github.ref_name }}');
    expect(highest.run).not.toContain('${{');
  });

  test('every stable release gets latest on request (no run-time decision)', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { latest: LatestPolicy.EVERY_STABLE_RELEASE } })[PATH]);
    expect(other.jobs.build.steps.find((s: any) => s.id === 'meta').with.flavor.trim()).toBe('latest=auto');
    expect(other.jobs.build.steps.some((s: any) => s.id === 'highest')).toBe(false);
  });

  test('never the seed\'s is_default_branch latest, which cannot fire on tags', () => {
    expect(text).not.toContain('is_default_branch');
  });

  test('v-prefixed version on request', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { vPrefixedVersion: true } })[PATH]);
    expect(other.jobs.build.steps.find((s: any) => s.id === 'meta').with.tags).toContain('type=semver,pattern=v{{version}}\n');
  });

  test('neither 0.x nor 0 for 0.x versions on request', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { zeroMajor: ZeroMajorPolicy.VERSION_ONLY } })[PATH]);
    const lines = other.jobs.build.steps.find((s: any) => s.id === 'meta').with.tags.trim().split('\n');
    expect(lines.slice(1).every((l: string) => l.endsWith(",enable=${{ !startsWith(github.ref_name, 'v0.') && !startsWith(github.ref_name, '0.') }}"))).toBe(true);
  });

  test('no major tag for 0.x on request', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG } })[PATH]);
    expect(other.jobs.build.steps.find((s: any) => s.id === 'meta').with.tags)
      .toContain("type=semver,pattern={{major}},enable=${{ !startsWith(github.ref_name, 'v0.') && !startsWith(github.ref_name, '0.') }}");
  });

  test('a release marked pre-release on GitHub gets no latest', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', trigger: ReleaseTrigger.RELEASE_PUBLISHED })[PATH]);
    expect(other.jobs.build.steps.find((s: any) => s.id === 'meta').with.flavor.trim())
      .toBe("latest=${{ (github.event.release.prerelease || steps.highest.outputs.highest != 'true') && 'false' || 'auto' }}");
  });

  test('LatestPolicy.NEVER turns latest off', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { latest: LatestPolicy.NEVER } })[PATH]);
    expect(other.jobs.build.steps.find((s: any) => s.id === 'meta').with.flavor.trim()).toBe('latest=false');
  });
});

describe('scan gates the tags', () => {
  test('every platform digest is scanned', () => {
    expect(wf.jobs.scan.needs).toEqual(['build']);
    expect(wf.jobs.scan.strategy.matrix.platform).toEqual(['linux/amd64', 'linux/arm64']);
    const trivy = wf.jobs.scan.steps.filter((s: any) => String(s.uses).startsWith('aquasecurity/trivy-action@'));
    expect(trivy.length).toBe(2);
    for (const s of trivy) {
      expect(s.with['image-ref']).toBe('ghcr.io/acme/demo@${{ needs.build.outputs.digest }}');
      expect(s.env.TRIVY_PLATFORM).toBe('${{ matrix.platform }}');
      expect(s.with.version).toBe('v0.70.0');
    }
  });

  test('the gate fails the job on the configured severities', () => {
    const gate = byName('scan', /^Fail on/);
    expect(gate.with['exit-code']).toBe(1);
    expect(gate.with.severity).toBe('CRITICAL,HIGH');
  });

  test('the SARIF report is uploaded with v4, guarded by hashFiles, per platform', () => {
    const upload = byName('scan', /Upload/);
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@/);
    expect(upload.if).toBe("always() && hashFiles('trivy-results.sarif') != ''");
    expect(upload.with.category).toBe('trivy-${{ matrix.platform }}');
    expect(text).toContain('# v4.');
  });

  test('tags are created only after build and scan', () => {
    expect(wf.jobs.publish.needs).toEqual(['build', 'scan']);
    const create = byName('publish', /Create the tags/);
    expect(create.run).toContain('docker buildx imagetools create "${args[@]}" "${IMAGE}@${DIGEST}"');
    expect(create.env.DIGEST).toBe('${{ needs.build.outputs.digest }}');
  });

  test('without a scan, publish waits for the build only', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', scan: { enabled: false } })[PATH]);
    expect(other.jobs.scan).toBeUndefined();
    expect(other.jobs.publish.needs).toEqual(['build']);
  });

  test('the job summary lists tags, digest and the pull command', () => {
    const summary = byName('publish', /summary/);
    expect(summary.run).toContain('>> "${GITHUB_STEP_SUMMARY}"');
    expect(summary.run).toContain('docker pull ${IMAGE}:${VERSION}');
    expect(summary.run).toContain('Digest:');
  });
});

describe('verify', () => {
  test('runs last, after the tags exist, with read-only permissions', () => {
    expect(wf.jobs.verify.needs).toEqual(['build', 'publish']);
    expect(wf.jobs.verify.permissions).toEqual({ contents: 'read', packages: 'read' });
  });

  test('installs the CLI from the repository\'s lockfile, without install scripts and without the token', () => {
    const install = byName('verify', /Install the locked/);
    expect(install.run).toBe('npm ci --ignore-scripts --no-audit --no-fund');
    expect(install.env).toBeUndefined();
    const steps = JSON.stringify(wf.jobs.verify.steps);
    expect(steps).not.toContain('npx');
    expect(steps).not.toContain('--yes');
  });

  test('runs the locked image-release bin and writes the table into the job summary', () => {
    const step = byName('verify', /Verify the release/);
    expect(step.run).toContain('node_modules/.bin/image-release verify "${TAG}" --sha "${SHA}" > verify.txt');
    expect(step.run).toContain('>> "${GITHUB_STEP_SUMMARY}"');
    expect(step.run).toContain('exit "${status}"');
    expect(Object.keys(step.env)).toEqual(['TAG', 'SHA', 'GITHUB_TOKEN']);
  });

  test.each<[string, string]>([
    ['pnpm-lock.yaml', 'corepack enable && pnpm install --frozen-lockfile --ignore-scripts'],
    ['yarn.lock', 'yarn install --frozen-lockfile --ignore-scripts'],
  ])('with %s the job installs with its package manager', (lockfile, command) => {
    const project = bareProject();
    fs.writeFileSync(path.join(project.outdir, lockfile), 'projen-image-release@1.0.0:\n');
    new ImageRelease(project, { image: 'ghcr.io/acme/demo' });
    const verify = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs.verify;
    expect(verify.steps.find((s: any) => /Install the locked/.test(s.name)).run).toBe(command);
  });

  test('verify: false leaves the job out', () => {
    const synthesized = synthBare({ image: 'ghcr.io/acme/demo', verify: false });
    expect(Object.keys(parseYaml(synthesized['.github/workflows/release-image.yml']).jobs)).toEqual(['build', 'scan', 'publish']);
  });
});

test('the synthesized workflow as a whole (snapshot beside the targeted assertions above)', () => {
  expect(text).toMatchSnapshot();
});
