import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { javascript, Testing } from 'projen';
import { BuildArgValue, BuildCache, BuildStrategy, ImageRelease, LatestPolicy, Platform, ReleaseTrigger, RunnerArchitecture, ZeroMajorPolicy } from '../../src';
import { BUILD_ARGS, createdOfCommitTime } from '../../src/model/labels';
import { PINS, usesRef } from '../../src/workflow/pins';
import { allSteps, bareProject, parseYaml, releasedNodeProject, synthBare, tempDir } from '../util';

const PATH = '.github/workflows/release-image.yml';
const files = synthBare({ image: 'ghcr.io/Acme/Demo' });
const text: string = files[PATH];
const wf = parseYaml(text);
const byName = (jobId: string, name: RegExp) => wf.jobs[jobId].steps.find((s: any) => name.test(s.name));

describe('triggers and concurrency', () => {
  test('a hand-tagged repo runs on v* tag pushes (one build per version), and on demand from an existing tag', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*'] }, workflow_dispatch: {} });
  });

  test('every release job reads the tag first and checks it is a version tag, before anything uses it', () => {
    for (const jobId of ['build_linux_amd64', 'build_linux_arm64', 'publish']) {
      const step = wf.jobs[jobId].steps[0];
      expect(step.id).toBe('release_tag');
      expect(step.env).toEqual({ TAG: '${{ github.ref_name }}', REF_TYPE: '${{ github.ref_type }}', PREFIX: '' });
    }
    // Run from the tag, the checkout, the revision label and verify all see the tag's commit.
    expect(wf.jobs.build_linux_amd64.steps[1].with.ref).toBeUndefined();
  });

  test.each<[string, string, string, number]>([
    ['v1.2.3', 'tag', '', 0],
    ['1.2.3-rc.1', 'tag', '', 0],
    ['main', 'branch', '', 1],
    ['v1.2', 'tag', '', 1],
    ['v1.2.3; rm -rf /', 'tag', '', 1],
    ['operator-v1.2.3', 'tag', 'operator-v', 0],
    ['webhook-v1.2.3', 'tag', 'operator-v', 1],
  ])('the tag check: %s (a %s) with prefix "%s" exits %i', (tag, refType, prefix, code) => {
    const out = path.join(tempDir(), 'out');
    const env = { PATH: process.env.PATH, TAG: tag, REF_TYPE: refType, PREFIX: prefix, GITHUB_OUTPUT: out };
    const r = spawnSync('bash', ['-c', wf.jobs.publish.steps[0].run], { env, encoding: 'utf-8' });
    expect(r.status).toBe(code);
    if (code === 0) expect(fs.readFileSync(out, 'utf-8')).toBe(`tag=${tag}\nversion=${tag.slice(prefix.length)}\n`);
  });

  test('runs for one ref at a time, never cancelling a release half-way', () => {
    expect(wf.concurrency).toEqual({ 'group': 'release-image-${{ github.ref }}', 'cancel-in-progress': false });
  });

  test('release-published runs on published releases only', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', trigger: ReleaseTrigger.RELEASE_PUBLISHED })[PATH]);
    expect(other.on.release).toEqual({ types: ['published'] });
    expect(other.on.push).toBeUndefined();
  });
});

describe('permissions', () => {
  test('nothing at the top', () => {
    expect(wf.permissions).toEqual({});
  });

  test.each([
    ['verify', { contents: 'read', packages: 'read', attestations: 'read' }],
    ['attest', { 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write', 'artifact-metadata': 'write' }],
    ['build_linux_amd64', { contents: 'read', packages: 'write' }],
    ['build_linux_arm64', { contents: 'read', packages: 'write' }],
    ['scan_linux_arm64', { 'contents': 'read', 'packages': 'read', 'security-events': 'write' }],
    ['publish', { contents: 'read', packages: 'write' }],
  ])('%s job gets only what it uses', (jobId, permissions) => {
    expect(wf.jobs[jobId].permissions).toEqual(permissions);
  });

  test('without SARIF upload the scan jobs cannot write security events', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', scan: { sarifUpload: false } })[PATH]);
    expect(other.jobs.scan_linux_amd64.permissions['security-events']).toBeUndefined();
  });
});

describe('supply chain', () => {
  test('every action is pinned to a full commit SHA with a version comment', () => {
    const uses = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(8);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('the pins are the ones of the pin table', () => {
    const meta = byName('publish', /Compute the tags/);
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

describe('one build per platform, on its own runner', () => {
  const amd64 = byName('build_linux_amd64', /^Build linux\/amd64/);
  const arm64 = byName('build_linux_arm64', /^Build linux\/arm64/);

  test('each platform builds on a runner of its architecture and pushes by digest only (no tag before the scans)', () => {
    expect([wf.jobs.build_linux_amd64['runs-on'], wf.jobs.build_linux_arm64['runs-on']]).toEqual(['ubuntu-24.04', 'ubuntu-24.04-arm']);
    expect([amd64.with.platforms, arm64.with.platforms]).toEqual(['linux/amd64', 'linux/arm64']);
    expect(arm64.with.outputs).toMatch(/^type=image,name=ghcr\.io\/acme\/demo,push-by-digest=true,name-canonical=true,push=true(,|$)/);
    expect(arm64.with.tags).toBeUndefined();
    expect(wf.jobs.build_linux_arm64.outputs).toEqual({ digest: '${{ steps.build.outputs.digest }}' });
  });

  test('nothing is emulated on native runners; a platform without one is emulated on x64', () => {
    expect(allSteps(wf).some(({ step }) => /QEMU/.test(step.name))).toBe(false);
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', platforms: [Platform.LINUX_AMD64, Platform.LINUX_S390X] })[PATH]);
    expect(other.jobs.build_linux_s390x['runs-on']).toBe('ubuntu-24.04');
    expect(other.jobs.build_linux_s390x.steps.find((s: any) => /QEMU/.test(s.name)).with.platforms).toBe('linux/s390x');
  });

  test('a self-hosted runner map: labels as given, emulation decided by its architecture', () => {
    const other = parseYaml(synthBare({
      image: 'ghcr.io/acme/demo',
      runners: { 'linux/arm64': { labels: ['self-hosted', 'linux', 'arm64'], architecture: RunnerArchitecture.ARM64 } },
    })[PATH]);
    expect(other.jobs.build_linux_arm64['runs-on']).toEqual(['self-hosted', 'linux', 'arm64']);
    expect(other.jobs.build_linux_arm64.steps.some((s: any) => /QEMU/.test(s.name))).toBe(false);
  });

  test('the emulated strategy builds every platform on runsOn, emulating only what the runner cannot run', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', buildStrategy: BuildStrategy.EMULATED })[PATH]);
    expect(other.jobs.build_linux_arm64['runs-on']).toBe('ubuntu-24.04');
    expect(other.jobs.build_linux_arm64.steps.find((s: any) => /QEMU/.test(s.name)).with.platforms).toBe('linux/arm64');
    expect(other.jobs.build_linux_amd64.steps.some((s: any) => /QEMU/.test(s.name))).toBe(false);
  });

  test('the image is lower-cased everywhere', () => {
    expect(text).not.toMatch(/Acme|Demo/);
    expect(byName('publish', /Compute the tags/).with.images).toBe('ghcr.io/acme/demo');
  });

  test('passes exactly the build-args the Dockerfile block declares, from metadata-action labels', () => {
    const args = arm64.with['build-args'].trim().split('\n').map((l: string) => l.split('=')[0]);
    expect(args).toEqual(BUILD_ARGS.map((a) => a.arg));
    for (const a of BUILD_ARGS) expect(arm64.with['build-args']).toContain(`labels['${a.label}']`);
  });

  test('the model\'s build args follow: literals as written, facts from metadata-action labels', () => {
    const synthesized = synthBare({ image: 'ghcr.io/acme/demo', buildArgs: { MODE: BuildArgValue.literal('prod'), APP_REVISION: BuildArgValue.revision() } });
    const args = parseYaml(synthesized[PATH]).jobs.build_linux_amd64.steps.find((s: any) => s.id === 'build').with['build-args'].trim().split('\n');
    expect(args.slice(BUILD_ARGS.length)).toEqual([
      "APP_REVISION=${{ fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.revision'] }}",
      'MODE=prod',
    ]);
  });

  test('a release reads its platform\'s GHA cache and never writes it (a tag\'s cache is visible to no later tag)', () => {
    expect(arm64.with['cache-from']).toBe('type=gha,scope=demo-linux-arm64');
    expect(arm64.with['cache-to']).toBeUndefined();
  });

  test('a registry cache, which outlives the run, is written by the release, per platform', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', cache: BuildCache.registry() })[PATH]);
    expect(other.jobs.build_linux_arm64.steps.find((s: any) => s.id === 'build').with['cache-to']).toContain('ref=ghcr.io/acme/demo:buildcache-linux-arm64,mode=max');
  });

  test('BuildCache.none() writes no cache settings', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', cache: BuildCache.none() })[PATH]);
    expect(other.jobs.build_linux_amd64.steps.find((s: any) => s.id === 'build').with['cache-from']).toBeUndefined();
  });

  test('each platform image carries the labels and the manifest annotations', () => {
    const meta = byName('build_linux_arm64', /Compute labels/);
    expect(meta.env.DOCKER_METADATA_ANNOTATIONS_LEVELS).toBe('manifest');
    expect(meta.with.flavor.trim()).toBe('latest=false');
    expect(arm64.with.labels).toBe('${{ steps.meta.outputs.labels }}');
    expect(arm64.with.annotations).toBe('${{ steps.meta.outputs.annotations }}');
  });
});

describe('every timestamp comes from the commit', () => {
  const CREATED = 'org.opencontainers.image.created=${{ steps.commit_time.outputs.created }}';

  test.each(['build_linux_amd64', 'build_linux_arm64', 'publish'])('%s reads the commit time from its checkout before metadata-action runs', (jobId) => {
    const ids = wf.jobs[jobId].steps.map((s: any) => s.id ?? s.name);
    expect(ids.indexOf('Checkout')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('commit_time')).toBe(ids.indexOf('Checkout') + 1);
    expect(ids.indexOf('commit_time')).toBeLessThan(ids.indexOf('meta'));
  });

  test('each leg\'s created label and manifest annotation is the commit time (so is BUILD_DATE, read from that label)', () => {
    for (const jobId of ['build_linux_amd64', 'build_linux_arm64']) {
      const meta = byName(jobId, /Compute labels/);
      expect(meta.with.labels.split('\n')).toContain(CREATED);
      expect(meta.with.annotations.split('\n')).toContain(CREATED);
    }
  });

  test('the index\'s created annotation is the commit time', () => {
    expect(byName('publish', /Compute the tags/).with.annotations.split('\n')).toContain(CREATED);
  });

  test('each leg builds with SOURCE_DATE_EPOCH of the commit and rewrites the files\' timestamps to it', () => {
    for (const jobId of ['build_linux_amd64', 'build_linux_arm64']) {
      const build = wf.jobs[jobId].steps.find((s: any) => s.id === 'build');
      expect(build.env).toEqual({ SOURCE_DATE_EPOCH: '${{ steps.commit_time.outputs.epoch }}' });
      expect(build.with.outputs.split(',')).toContain('rewrite-timestamp=true');
    }
  });

  test('the step reports the committer time of HEAD, as epoch seconds and as the created value rehearse and plan compute', () => {
    const repo = tempDir();
    const git = (...args: string[]) => spawnSync('git', args, {
      cwd: repo,
      encoding: 'utf-8',
      env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2025-06-07T08:09:10+02:00', TZ: 'America/New_York' },
    });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'release');
    const out = path.join(tempDir(), 'out');
    const step = byName('publish', /Read the commit time/);
    const r = spawnSync('bash', ['-c', step.run], { cwd: repo, env: { PATH: process.env.PATH, TZ: 'America/New_York', GITHUB_OUTPUT: out }, encoding: 'utf-8' });
    expect(r.status).toBe(0);
    const epoch = Date.parse('2025-06-07T06:09:10Z') / 1000;
    expect(fs.readFileSync(out, 'utf-8')).toBe(`epoch=${epoch}\ncreated=${createdOfCommitTime(epoch)}\n`);
  });
});

describe('tags', () => {
  const meta = byName('publish', /Compute the tags/);

  test('the semver set, with latest from flavor (stable versions only), withheld unless highest', () => {
    expect(meta.with.tags.trim().split('\n')).toEqual([
      'type=semver,pattern={{version}},value=${{ steps.release_tag.outputs.tag }}',
      'type=semver,pattern={{major}}.{{minor}},value=${{ steps.release_tag.outputs.tag }}',
      'type=semver,pattern={{major}},value=${{ steps.release_tag.outputs.tag }}',
    ]);
    expect(meta.with.flavor.trim()).toBe("latest=${{ steps.highest.outputs.highest != 'true' && 'false' || 'auto' }}");
  });

  test('the highest-version decision runs before metadata-action, on the pushed tag, without ${{ }} in run', () => {
    const steps = wf.jobs.publish.steps;
    const highest = steps.find((s: any) => s.id === 'highest');
    expect(steps.indexOf(highest)).toBeLessThan(steps.findIndex((s: any) => s.id === 'meta'));
    expect(highest.env.TAG).toBe('${{ steps.release_tag.outputs.tag }}');
    expect(highest.run).not.toContain('${{');
  });

  test('every stable release gets latest on request (no run-time decision)', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { latest: LatestPolicy.EVERY_STABLE_RELEASE } })[PATH]);
    expect(other.jobs.publish.steps.find((s: any) => s.id === 'meta').with.flavor.trim()).toBe('latest=auto');
    expect(other.jobs.publish.steps.some((s: any) => s.id === 'highest')).toBe(false);
  });

  test('never an is_default_branch latest, which cannot fire on tags', () => {
    expect(text).not.toContain('is_default_branch');
  });

  test('v-prefixed version on request', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { vPrefixedVersion: true } })[PATH]);
    expect(other.jobs.publish.steps.find((s: any) => s.id === 'meta').with.tags).toContain('type=semver,pattern=v{{version}},value=${{ steps.release_tag.outputs.tag }}\n');
  });

  test('neither 0.x nor 0 for 0.x versions on request', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { zeroMajor: ZeroMajorPolicy.VERSION_ONLY } })[PATH]);
    const lines = other.jobs.publish.steps.find((s: any) => s.id === 'meta').with.tags.trim().split('\n');
    expect(lines.slice(1).every((l: string) => l.endsWith(",enable=${{ !startsWith(steps.release_tag.outputs.tag, 'v0.') && !startsWith(steps.release_tag.outputs.tag, '0.') }}"))).toBe(true);
  });

  test('no major tag for 0.x on request', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG } })[PATH]);
    expect(other.jobs.publish.steps.find((s: any) => s.id === 'meta').with.tags)
      .toContain("type=semver,pattern={{major}},value=${{ steps.release_tag.outputs.tag }},enable=${{ !startsWith(steps.release_tag.outputs.tag, 'v0.') && !startsWith(steps.release_tag.outputs.tag, '0.') }}");
  });

  test('a release marked pre-release on GitHub gets no latest', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', trigger: ReleaseTrigger.RELEASE_PUBLISHED })[PATH]);
    expect(other.jobs.publish.steps.find((s: any) => s.id === 'meta').with.flavor.trim())
      .toBe("latest=${{ (github.event.release.prerelease || steps.highest.outputs.highest != 'true') && 'false' || 'auto' }}");
  });

  test('LatestPolicy.NEVER turns latest off', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', tags: { latest: LatestPolicy.NEVER } })[PATH]);
    expect(other.jobs.publish.steps.find((s: any) => s.id === 'meta').with.flavor.trim()).toBe('latest=false');
  });
});

describe('every platform is scanned, and the scans gate the index and its tags', () => {
  test('each platform\'s digest is scanned once (one Trivy run, one database download)', () => {
    expect(wf.jobs.scan_linux_arm64.needs).toEqual(['build_linux_arm64']);
    const trivy = wf.jobs.scan_linux_arm64.steps.filter((s: any) => String(s.uses).startsWith('aquasecurity/trivy-action@'));
    expect(trivy.length).toBe(1);
    expect(trivy[0].with).toMatchObject({
      'image-ref': 'ghcr.io/acme/demo@${{ needs.build_linux_arm64.outputs.digest }}',
      'version': 'v0.70.0',
      'format': 'json',
      'output': 'trivy-results.json',
      'severity': 'CRITICAL,HIGH',
      'exit-code': 0,
    });
  });

  test('the SARIF and the gate are converted from that one report', () => {
    expect(byName('scan_linux_arm64', /SARIF/).run).toBe('trivy convert --format sarif --output trivy-results.sarif trivy-results.json');
    const gate = byName('scan_linux_arm64', /^Fail on/);
    expect(gate.run).toBe('trivy convert --format table --severity "${GATE}" --exit-code 1 trivy-results.json');
    expect(gate.env.GATE).toBe('CRITICAL,HIGH');
  });

  test('the SARIF report is uploaded with v4, guarded by hashFiles, per platform', () => {
    const upload = byName('scan_linux_arm64', /Upload/);
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@/);
    expect(upload.if).toBe("always() && hashFiles('trivy-results.sarif') != ''");
    expect(upload.with.category).toBe('trivy-linux/arm64');
    // Where code scanning is not available, the failed upload does not hold back the release.
    expect(upload['continue-on-error']).toBe(true);
    expect(text).toContain('# v4.');
  });

  test('the index and its tags are created only after every build and every scan, from every platform digest', () => {
    expect(wf.jobs.publish.needs).toEqual(['build_linux_amd64', 'build_linux_arm64', 'scan_linux_amd64', 'scan_linux_arm64']);
    const create = byName('publish', /Create the index/);
    expect(create.env.DIGESTS).toBe('${{ needs.build_linux_amd64.outputs.digest }}\n${{ needs.build_linux_arm64.outputs.digest }}\n');
    expect(create.env.PLATFORMS).toBe('2');
    expect(create.run).toContain('args+=(--annotation "${annotation}")');
    expect(create.run).toContain('docker buildx imagetools create "${args[@]}" "${sources[@]}"');
  });

  test('the index carries the annotations at index level, description included', () => {
    const meta = byName('publish', /Compute the tags/);
    expect(meta.env.DOCKER_METADATA_ANNOTATIONS_LEVELS).toBe('index');
    expect(meta.with.annotations).toContain('org.opencontainers.image.title=demo');
  });

  test('the index digest is an output of the merge job', () => {
    expect(wf.jobs.publish.outputs.digest).toBe('${{ steps.index.outputs.digest }}');
  });

  test('without a scan, the merge waits for the builds only', () => {
    const other = parseYaml(synthBare({ image: 'ghcr.io/acme/demo', scan: { enabled: false } })[PATH]);
    expect(Object.keys(other.jobs).filter((j) => j.startsWith('scan'))).toEqual([]);
    expect(other.jobs.publish.needs).toEqual(['build_linux_amd64', 'build_linux_arm64']);
  });

  test('the job summary lists tags, the index digest and the pull command', () => {
    const summary = byName('publish', /summary/);
    expect(summary.run).toContain('>> "${GITHUB_STEP_SUMMARY}"');
    expect(summary.run).toContain('docker pull ${IMAGE}:${VERSION}');
    expect(summary.run).toContain('Index digest:');
  });
});

describe('verify', () => {
  test('runs last, after the tags and the attestations exist, with read-only permissions', () => {
    expect(wf.jobs.verify.needs).toEqual(['publish', 'attest']);
    expect(wf.jobs.verify.permissions).toEqual({ contents: 'read', packages: 'read', attestations: 'read' });
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

  test.each<[string, string, string]>([
    ['pnpm-lock.yaml', 'lockfileVersion: \'9.0\'\n', 'pnpm install --frozen-lockfile --ignore-scripts'],
    ['yarn.lock', '# yarn lockfile v1\n', 'yarn install --frozen-lockfile --ignore-scripts'],
    ['yarn.lock', '__metadata:\n  version: 8\n', 'yarn install --immutable --mode=skip-build'],
  ])('outside a projen Node project, %s (%j) picks the package manager', (lockfile, content, command) => {
    const project = bareProject();
    fs.writeFileSync(path.join(project.outdir, lockfile), content);
    new ImageRelease(project, { image: 'ghcr.io/acme/demo' });
    const verify = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs.verify;
    expect(verify.steps.find((s: any) => /Install the locked/.test(s.name)).run).toBe(command);
  });

  test('outside a projen Node project, pnpm/action-setup takes pnpm\'s version from package.json', () => {
    const project = bareProject();
    fs.writeFileSync(path.join(project.outdir, 'pnpm-lock.yaml'), 'lockfileVersion: \'9.0\'\n');
    new ImageRelease(project, { image: 'ghcr.io/acme/demo' });
    const verify = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs.verify;
    expect(verify.steps.find((s: any) => s.name === 'Set up pnpm')).toEqual({ name: 'Set up pnpm', uses: usesRef(PINS.setupPnpm) });
  });

  describe('in a projen Node project, each package manager is set up as projen\'s build sets it up', () => {
    /** The verify job's steps between setup-node and the verify step, and the verify call. */
    function installOf(options: Partial<javascript.NodeProjectOptions>) {
      const project = releasedNodeProject({ release: false, ...options });
      new ImageRelease(project);
      const steps: any[] = parseYaml(Testing.synth(project)['.github/workflows/release-image.yml']).jobs.verify.steps;
      const node = steps.findIndex((s) => s.name === 'Set up Node.js');
      const verify = steps.find((s) => /^Verify the release/.test(s.name));
      return { steps: steps.slice(node + 1, steps.indexOf(verify)), call: /^(.*) verify "\$\{TAG\}"/m.exec(verify.run)?.[1] };
    }
    const install = (run: string) => ({ name: 'Install the locked image-release CLI', shell: 'bash', run });

    test.each<[string, Partial<javascript.NodeProjectOptions>, any[], string]>([
      ['npm', { packageManager: javascript.NodePackageManager.NPM }, [install('npm ci --ignore-scripts --no-audit --no-fund')], 'node_modules/.bin/image-release'],
      ['yarn classic', { packageManager: javascript.NodePackageManager.YARN_CLASSIC }, [install('yarn install --frozen-lockfile --ignore-scripts')], 'node_modules/.bin/image-release'],
      ['pnpm at projen\'s default version', { packageManager: javascript.NodePackageManager.PNPM },
        [{ name: 'Set up pnpm', uses: usesRef(PINS.setupPnpm), with: { version: '10.33.0' } }, install('pnpm install --frozen-lockfile --ignore-scripts')], 'node_modules/.bin/image-release'],
      ['pnpm at a bare major (which corepack refuses)', { packageManager: javascript.NodePackageManager.PNPM, pnpmVersion: '9' },
        [{ name: 'Set up pnpm', uses: usesRef(PINS.setupPnpm), with: { version: '9' } }, install('pnpm install --frozen-lockfile --ignore-scripts')], 'node_modules/.bin/image-release'],
      ['bun', { packageManager: javascript.NodePackageManager.BUN, bunVersion: '1.4.5' },
        [{ name: 'Set up Bun', uses: usesRef(PINS.setupBun), with: { 'bun-version': '1.4.5', 'no-cache': true } }, install('bun install --frozen-lockfile --ignore-scripts')], 'node_modules/.bin/image-release'],
      // Plug'n'Play leaves no node_modules/.bin; yarn run finds the bin under every linker.
      ['yarn berry', { packageManager: javascript.NodePackageManager.YARN_BERRY },
        [{ name: 'Enable corepack', shell: 'bash', run: 'corepack enable' }, install('yarn install --immutable --mode=skip-build')], 'yarn run image-release'],
    ])('%s', (_name, options, steps, call) => {
      expect(installOf(options)).toEqual({ steps, call });
    });

    test('a pnpmVersion that is not a version stops synthesis, naming it', () => {
      const project = releasedNodeProject({ release: false, packageManager: javascript.NodePackageManager.PNPM, pnpmVersion: '${{ github.event.x }}' });
      expect(() => new ImageRelease(project)).toThrow('verify: pnpmVersion "${{ github.event.x }}" of .projenrc is not a version or range the verify job can set up');
    });
  });

  test('verify: false leaves the job out', () => {
    const synthesized = synthBare({ image: 'ghcr.io/acme/demo', verify: false });
    expect(Object.keys(parseYaml(synthesized['.github/workflows/release-image.yml']).jobs)).not.toContain('verify');
  });
});

test('the synthesized workflow as a whole (snapshot beside the targeted assertions above)', () => {
  expect(text).toMatchSnapshot();
});

describe('the build check before release', () => {
  const check = parseYaml(files['.github/workflows/image-check.yml']);

  test('runs on pull requests and on pushes to the default branch, one job per platform on its runner', () => {
    expect(check.on).toEqual({ pull_request: {}, push: { branches: ['main'] } });
    expect(check.permissions).toEqual({});
    expect(Object.keys(check.jobs)).toEqual(['check_linux_amd64', 'check_linux_arm64']);
    expect(check.jobs.check_linux_arm64['runs-on']).toBe('ubuntu-24.04-arm');
    expect(check.jobs.check_linux_arm64.permissions).toEqual({ contents: 'read' });
  });

  test('builds without pushing; a pull request only reads the cache, a default-branch push writes it', () => {
    const [pr, push] = check.jobs.check_linux_arm64.steps.filter((s: any) => String(s.uses).startsWith('docker/build-push-action@'));
    expect(pr.if).toBe("github.event_name == 'pull_request'");
    expect(pr.with).toMatchObject({ 'push': false, 'platforms': 'linux/arm64', 'cache-from': 'type=gha,scope=demo-linux-arm64' });
    expect(pr.with['cache-to']).toBeUndefined();
    expect(push.if).toBe("github.event_name == 'push'");
    expect(push.with['cache-to']).toBe('type=gha,scope=demo-linux-arm64,mode=max');
  });

  test('buildCheck: false leaves it out', () => {
    expect(synthBare({ image: 'ghcr.io/acme/demo', buildCheck: false })['.github/workflows/image-check.yml']).toBeUndefined();
  });
});
