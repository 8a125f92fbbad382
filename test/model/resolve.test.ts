import {
  BuildArgValue, BuildCache, BuildStrategy, DependabotEcosystem, ImageReleaseOptions, LatestPolicy, Platform, ReleaseTrigger,
  RunnerArchitecture, Severity, ZeroMajorPolicy,
} from '../../src';
import { ModelError } from '../../src/model/problems';
import { parseGitHubRepository, resolveModel } from '../../src/model/resolve';
import { ProjectFacts } from '../../src/model/resolved';
import { PINNED_ACTION_REPOSITORIES } from '../../src/workflow/pins';

const FACTS: ProjectFacts = {
  name: 'demo',
  repositoryUrl: 'https://github.com/Acme/Demo.git',
  description: 'A demo',
  license: 'Apache-2.0',
  author: 'Acme Inc.',
  hasProjenRelease: false,
};

function problems(options: ImageReleaseOptions, facts: ProjectFacts = FACTS): string[] {
  try {
    resolveModel(options, facts);
  } catch (e) {
    if (e instanceof ModelError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('defaults', () => {
  const model = resolveModel({}, FACTS);

  test('image comes from the repository URL, lower-cased', () => {
    expect(model.image).toBe('ghcr.io/acme/demo');
    expect(model.registry).toBe('ghcr.io');
  });

  test('platforms are linux/amd64 and linux/arm64', () => {
    expect(model.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test('a repo without projen release tags by hand on v*', () => {
    expect(model.trigger).toBe(ReleaseTrigger.TAG_PUSH);
    expect(model.tagPattern).toBe('v*');
  });

  test('a repo with projen release attaches to it', () => {
    expect(resolveModel({}, { ...FACTS, hasProjenRelease: true }).trigger).toBe(ReleaseTrigger.PROJEN_RELEASE);
  });

  test('labels come from the project metadata, in a fixed order', () => {
    expect(model.labels).toEqual([
      ['org.opencontainers.image.title', 'demo'],
      ['org.opencontainers.image.description', 'A demo'],
      ['org.opencontainers.image.vendor', 'Acme Inc.'],
      ['org.opencontainers.image.licenses', 'Apache-2.0'],
      ['org.opencontainers.image.documentation', 'https://github.com/Acme/Demo/blob/HEAD/README.md'],
      ['org.opencontainers.image.source', 'https://github.com/Acme/Demo'],
      ['org.opencontainers.image.url', 'https://github.com/Acme/Demo'],
    ]);
  });

  test('labels without a known value are left out', () => {
    const m = resolveModel({ image: 'ghcr.io/acme/x' }, { name: 'x', hasProjenRelease: false });
    expect(m.labels.map(([k]) => k)).toEqual([
      'org.opencontainers.image.title',
      'org.opencontainers.image.vendor',
      'org.opencontainers.image.documentation',
      'org.opencontainers.image.source',
      'org.opencontainers.image.url',
    ]);
  });

  test('the scan reports CRITICAL,HIGH and fails on them, with a pinned Trivy', () => {
    expect(model.scan).toMatchObject({ enabled: true, severities: ['CRITICAL', 'HIGH'], gateSeverities: ['CRITICAL', 'HIGH'], sarifUpload: true, trivyVersion: 'v0.70.0' });
  });

  test('failOn CRITICAL gates only CRITICAL while reporting more', () => {
    const m = resolveModel({ scan: { severities: [Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM], failOn: Severity.CRITICAL } }, FACTS);
    expect(m.scan.severities).toEqual(['CRITICAL', 'HIGH', 'MEDIUM']);
    expect(m.scan.gateSeverities).toEqual(['CRITICAL']);
  });

  test('failBuild false leaves no gate', () => {
    expect(resolveModel({ scan: { failBuild: false } }, FACTS).scan.gateSeverities).toEqual([]);
  });

  test('the build cache is the GitHub Actions cache, one scope per platform named after the image', () => {
    expect(model.legs.map((l) => [l.cacheFrom, l.cacheTo])).toEqual([
      ['type=gha,scope=demo-linux-amd64', 'type=gha,scope=demo-linux-amd64,mode=max'],
      ['type=gha,scope=demo-linux-arm64', 'type=gha,scope=demo-linux-arm64,mode=max'],
    ]);
  });

  test('a registry cache lives next to the image, one tag per platform', () => {
    const m = resolveModel({ cache: BuildCache.registry() }, FACTS);
    expect(m.legs[1].cacheFrom).toBe('type=registry,ref=ghcr.io/acme/demo:buildcache-linux-arm64');
    expect(m.legs[1].cacheTo).toContain('type=registry,ref=ghcr.io/acme/demo:buildcache-linux-arm64,mode=max');
  });

  test('no cache gives neither cache-from nor cache-to', () => {
    const m = resolveModel({ cache: BuildCache.none() }, FACTS);
    expect(m.legs.map((l) => [l.cacheFrom, l.cacheTo])).toEqual([[undefined, undefined], [undefined, undefined]]);
  });

  test('each platform builds natively by default: amd64 on ubuntu-24.04, arm64 on ubuntu-24.04-arm, the rest emulated on x64', () => {
    const m = resolveModel({ platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7, Platform.LINUX_S390X] }, FACTS);
    expect(m.legs.map((l) => [l.platform, l.runsOn, l.emulated])).toEqual([
      ['linux/amd64', ['ubuntu-24.04'], false],
      ['linux/arm64', ['ubuntu-24.04-arm'], false],
      ['linux/arm/v7', ['ubuntu-24.04'], true],
      ['linux/s390x', ['ubuntu-24.04'], true],
    ]);
  });

  test('a self-hosted runner per platform: its architecture decides what is emulated', () => {
    const m = resolveModel({ runners: { 'linux/amd64': { labels: ['self-hosted', 'arm64'], architecture: RunnerArchitecture.ARM64 } } }, FACTS);
    expect(m.legs[0]).toMatchObject({ platform: 'linux/amd64', runsOn: ['self-hosted', 'arm64'], emulated: true });
    expect(m.legs[1]).toMatchObject({ platform: 'linux/arm64', runsOn: ['ubuntu-24.04-arm'], emulated: false });
  });

  test('the emulated strategy builds every platform on runsOn', () => {
    const m = resolveModel({ buildStrategy: BuildStrategy.EMULATED, runsOn: 'big-runner' }, FACTS);
    expect(m.legs.map((l) => [l.runsOn, l.emulated])).toEqual([[['big-runner'], false], [['big-runner'], true]]);
  });

  test('a prefixed tag pattern strips its prefix; v* and * strip nothing', () => {
    expect(resolveModel({ tagPattern: 'operator-v*' }, FACTS).tagPrefix).toBe('operator-v');
    expect(resolveModel({ tagPattern: 'v*' }, FACTS).tagPrefix).toBe('');
    expect(resolveModel({ tagPattern: '*' }, FACTS).tagPrefix).toBe('');
  });

  test('custom labels follow the OCI labels, sorted by key', () => {
    const m = resolveModel({ customLabels: { 'com.acme.team': 'platform', 'com.acme.app-tier': 'backend' } }, FACTS);
    expect(m.labels.slice(-2)).toEqual([['com.acme.app-tier', 'backend'], ['com.acme.team', 'platform']]);
  });

  test('build args are literals or per-build facts, sorted by name', () => {
    const m = resolveModel({ buildArgs: { NODE_ENV: BuildArgValue.literal('production'), APP_VERSION: BuildArgValue.version() } }, FACTS);
    expect(m.buildArgs).toEqual([{ name: 'APP_VERSION', fact: 'version' }, { name: 'NODE_ENV', literal: 'production' }]);
  });

  test('npm is left to projen\'s upgrade workflow when the project has one', () => {
    expect(resolveModel({}, { ...FACTS, hasProjenUpgrade: true }).dependabot.ecosystems).toEqual(['docker', 'github-actions']);
  });

  test('dependabot watches three ecosystems with the default ignores', () => {
    expect(model.dependabot.ecosystems).toEqual(['npm', 'docker', 'github-actions']);
    expect(model.dependabot.ignores).toEqual([
      { ecosystem: 'npm', dependencyName: 'projen' },
      { ecosystem: 'docker', dependencyName: 'node', updateTypes: ['version-update:semver-major'] },
      ...PINNED_ACTION_REPOSITORIES.map((name) => ({ ecosystem: 'github-actions', dependencyName: name, updateTypes: ['version-update:semver-major'] })),
    ]);
    expect(PINNED_ACTION_REPOSITORIES).toEqual(expect.arrayContaining(['actions/checkout', 'docker/build-push-action', 'github/codeql-action']));
    expect(model.dependabot.cooldownDays).toBe(7);
  });

  test('an explicit image is lower-cased', () => {
    expect(resolveModel({ image: 'ghcr.io/Alto9/Kube9-Operator' }, FACTS).image).toBe('ghcr.io/alto9/kube9-operator');
  });

  test('a source label is derived from a ghcr.io image when the project has no repository', () => {
    const m = resolveModel({ image: 'ghcr.io/alto9/kube9-operator' }, { name: 'k', hasProjenRelease: false });
    expect(Object.fromEntries(m.labels)['org.opencontainers.image.source']).toBe('https://github.com/alto9/kube9-operator');
  });
});

/** One invalid model per row: exactly one problem, naming the option path, the value and what is allowed. */
type Row = [string, unknown, ProjectFacts | undefined, string];

function expectOneProblem(options: unknown, facts: ProjectFacts | undefined, expected: string) {
  const found = problems(options as ImageReleaseOptions, facts);
  expect(found).toEqual([expect.stringContaining(expected)]);
}

describe('invalid options name the option, the value and what is allowed', () => {
  describe('image and platforms', () => {
    test.each<Row>([
      ['platform', { platforms: ['linux/arm'] }, undefined,
        'platforms[0]: "linux/arm" is not a Platform; use one of Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7, Platform.LINUX_PPC64LE, Platform.LINUX_S390X'],
      ['duplicate platform', { platforms: [Platform.LINUX_AMD64, Platform.LINUX_AMD64] }, undefined, 'platforms[1]: Platform.LINUX_AMD64 is listed twice'],
      ['no platforms', { platforms: [] }, undefined, 'platforms: [] must list at least one platform'],
      ['platforms as a string', { platforms: 'linux/amd64' }, undefined, 'platforms: "linux/amd64" must be an array, got a string'],
      ['image with tag', { image: 'ghcr.io/acme/app:1.0' }, undefined, 'image: "ghcr.io/acme/app:1.0" must not contain a tag, digest or whitespace'],
      ['image with digest', { image: 'ghcr.io/acme/app@sha256:abc' }, undefined, 'must not contain a tag, digest'],
      ['image without registry', { image: 'acme/app' }, undefined, 'image: "acme/app" must be "<registry>/<owner>/<name>"'],
      ['image with bad characters', { image: 'ghcr.io/acme/my_-app' }, undefined, 'image: "ghcr.io/acme/my_-app" is not a valid image reference'],
      ['other registry', { image: 'docker.io/acme/app' }, undefined, 'registry "docker.io", which the workflow\'s GITHUB_TOKEN cannot log in to; use one of ghcr.io'],
      ['image as a number', { image: 42 }, undefined, 'image: 42 must be a string, got a number'],
      ['no repository to derive the image from', {}, { name: 'x', hasProjenRelease: false }, 'image: not set, and it cannot be derived'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('trigger and release tags', () => {
    test.each<Row>([
      ['unknown trigger', { trigger: 'nightly' }, undefined, 'trigger: "nightly" is not a ReleaseTrigger; use one of ReleaseTrigger.PROJEN_RELEASE, ReleaseTrigger.TAG_PUSH, ReleaseTrigger.RELEASE_PUBLISHED'],
      ['projen-release without projen release', { trigger: ReleaseTrigger.PROJEN_RELEASE }, undefined, 'trigger: ReleaseTrigger.PROJEN_RELEASE needs projen\'s release component'],
      ['tag push beside projen release', { trigger: ReleaseTrigger.TAG_PUSH }, { ...FACTS, hasProjenRelease: true }, 'trigger: ReleaseTrigger.TAG_PUSH would never run'],
      ['empty tag pattern', { tagPattern: '' }, undefined, 'tagPattern: "" must be a literal tag prefix followed by one "*"'],
      ['a glob that is not a prefix', { tagPattern: 'v[0-9]*' }, undefined, 'tagPattern: "v[0-9]*" must be a literal tag prefix followed by one "*"'],
      ['a pattern without a star', { tagPattern: 'v1.2.3' }, undefined, 'tagPattern: "v1.2.3" must be a literal tag prefix'],
      ['tagPattern under release-published', { trigger: ReleaseTrigger.RELEASE_PUBLISHED, tagPattern: 'v*' }, undefined,
        'tagPattern: "v*" is only used with trigger ReleaseTrigger.TAG_PUSH, but trigger is ReleaseTrigger.RELEASE_PUBLISHED'],
      ['tagPattern under projen release', { tagPattern: 'v*' }, { ...FACTS, hasProjenRelease: true },
        'tagPattern: "v*" is only used with trigger ReleaseTrigger.TAG_PUSH, but trigger is ReleaseTrigger.PROJEN_RELEASE'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('tags', () => {
    test.each<Row>([
      ['no version tag', { tags: { version: false } }, undefined, 'tags.version: false must stay true'],
      ['zero-major policy', { tags: { zeroMajor: 'drop' } }, undefined, 'tags.zeroMajor: "drop" is not a ZeroMajorPolicy; use one of ZeroMajorPolicy.ALL_TAGS'],
      ['latest policy', { tags: { latest: true } }, undefined, 'tags.latest: true is not a LatestPolicy; use one of LatestPolicy.HIGHEST_VERSION'],
      ['tags as a string', { tags: 'semver' }, undefined, 'tags: "semver" must be an object (TagPolicyOptions), got a string'],
      ['a typo in tags', { tags: { vPrefixVersion: true } }, undefined, 'tags.vPrefixVersion: unknown option of TagPolicyOptions; did you mean "vPrefixedVersion"?'],
      ['a truthy string for a boolean', { tags: { major: 'false' } }, undefined, 'tags.major: "false" must be true or false, got a string'],
      ['zeroMajor without major or minor tags', { tags: { major: false, majorMinor: false, zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG } }, undefined,
        'tags.zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG has no effect because tags.major and tags.majorMinor are both false'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('labels', () => {
    test.each<Row>([
      ['multi-line label', { labels: { description: 'a\nb' } }, undefined, 'labels.description: "a\\nb" must be a non-empty single-line string'],
      ['label URL', { labels: { source: 'github.com/acme/app' } }, undefined, 'labels.source: "github.com/acme/app" must be an http(s) URL'],
      ['a typo in labels', { labels: { titel: 'x' } }, undefined, 'labels.titel: unknown option of OciLabelOptions; did you mean "title"?'],
      ['a custom key in labels', { labels: { 'com.acme.team': 'x' } }, undefined, 'labels beyond the OCI set go in customLabels'],
      ['a label as a number', { labels: { vendor: 7 } }, undefined, 'labels.vendor: 7 must be a string, got a number'],
      ['a description from package.json with an expression', {}, { ...FACTS, description: 'x ${{ github.token }}' },
        'labels.description: "x ${{ github.token }}" must not contain "${{"'],
      ['custom key not reverse-DNS', { customLabels: { team: 'x' } }, undefined, 'customLabels.team: the key "team" must be a lower-case reverse-DNS name'],
      ['custom key upper case', { customLabels: { 'com.Acme.team': 'x' } }, undefined, 'the key "com.Acme.team" must be a lower-case reverse-DNS name'],
      ['custom key in the OCI namespace', { customLabels: { 'org.opencontainers.image.title': 'x' } }, undefined, 'is an OCI label; set it with labels.title'],
      ['custom key in Docker\'s namespace', { customLabels: { 'com.docker.extension': 'x' } }, undefined, 'uses the "com.docker." namespace, which Docker reserves'],
      ['custom value with a newline', { customLabels: { 'com.acme.team': 'a\nb' } }, undefined, 'customLabels["com.acme.team"]: "a\\nb" must be a non-empty single-line string'],
      ['custom labels as an array', { customLabels: ['com.acme.team=x'] }, undefined, 'customLabels: ["com.acme.team=x"] must be an object of names to values, got an array'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('build cache', () => {
    test.each<Row>([
      ['registry cache tags a pre-release would get', { cache: BuildCache.registry('1.0.0') }, undefined, 'cache: "1.0.0-linux-amd64" is a tag the tag policy produces'],
      ['registry cache with a colon', { cache: BuildCache.registry('build:cache') }, undefined, 'cache: "build:cache" is not a registry cache tag'],
      ['empty gha scope', { cache: BuildCache.githubActions('') }, undefined, 'cache: "" is not a GitHub Actions cache scope'],
      ['gha scope with a comma', { cache: BuildCache.githubActions('a,mode=min') }, undefined, 'cache: "a,mode=min" is not a GitHub Actions cache scope'],
      ['raw object as cache', { cache: { type: 'gha' } }, undefined, 'cache: {"type":"gha"} must be made with BuildCache.githubActions(), BuildCache.registry() or BuildCache.none(), got an object'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));

    test('a registry cache tag the policy cannot produce is fine: each platform\'s cache has its own suffix', () => {
      expect(problems({ cache: BuildCache.registry('buildcache') })).toEqual([]);
      expect(problems({ cache: BuildCache.registry('latest') })).toEqual([]);
      expect(problems({ cache: BuildCache.registry('1'), tags: { latest: LatestPolicy.NEVER } })).toEqual([]);
    });
  });

  describe('scan', () => {
    test.each<Row>([
      ['unknown severity', { scan: { severities: ['SEVERE'] } }, undefined, 'scan.severities[0]: "SEVERE" is not a Severity'],
      ['failOn not reported', { scan: { severities: [Severity.CRITICAL], failOn: Severity.HIGH } }, undefined, 'scan.failOn: Severity.HIGH must be one of scan.severities (Severity.CRITICAL)'],
      ['failOn without failBuild', { scan: { failBuild: false, failOn: Severity.CRITICAL } }, undefined, 'scan.failOn: Severity.CRITICAL has no effect because scan.failBuild is false'],
      ['unknown failOn without failBuild', { scan: { failBuild: false, failOn: 'SEVERE' } }, undefined, 'scan.failOn: "SEVERE" is not a Severity'],
      ['options of a disabled scan', { scan: { enabled: false, sarifUpload: false } }, undefined, 'scan.sarifUpload: false has no effect because scan.enabled is false'],
      ['trivy latest', { scan: { trivyVersion: 'latest' } }, undefined, 'scan.trivyVersion: "latest" must be an exact Trivy release'],
      ['scan: false', { scan: false }, undefined, 'scan: false must be an object (ScanOptions), got a boolean; to turn the scan off, write scan: { enabled: false }'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('paths', () => {
    test.each<Row>([
      ['absolute dockerfile', { dockerfile: '/etc/Dockerfile' }, undefined, 'dockerfile: "/etc/Dockerfile" must be a path inside the project'],
      ['dockerfile outside', { dockerfile: '../Dockerfile' }, undefined, 'dockerfile: "../Dockerfile" must be a path inside the project'],
      ['a git URL as context', { context: 'https://github.com/acme/app.git' }, undefined, 'context: "https://github.com/acme/app.git" must be a path inside the repository; remote (URL or git) locations are not supported'],
      ['a context that does not exist', { context: 'services/app' }, { ...FACTS, isDirectory: () => false }, 'context: "services/app" is not a directory of the project'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('dependabot', () => {
    test.each<Row>([
      ['cooldown', { dependabot: { cooldownDays: 120 } }, undefined, 'dependabot.cooldownDays: 120 must be a whole number of days from 0 to 90'],
      ['NaN cooldown', { dependabot: { cooldownDays: NaN } }, undefined, 'dependabot.cooldownDays: NaN must be a finite number, got NaN'],
      ['ignore for an unwatched ecosystem', { dependabot: { ecosystems: [DependabotEcosystem.NPM], ignores: [{ ecosystem: DependabotEcosystem.DOCKER, dependencyName: 'node' }] } }, undefined,
        'dependabot.ignores[0].ecosystem: DependabotEcosystem.DOCKER is not one of dependabot.ecosystems (DependabotEcosystem.NPM)'],
      ['empty ignore name', { dependabot: { ignores: [{ ecosystem: DependabotEcosystem.NPM, dependencyName: ' ' }] } }, undefined, 'dependabot.ignores[0].dependencyName: " " must be a non-empty dependency name'],
      ['labels as a string', { dependabot: { labels: 'deps' } }, undefined, 'dependabot.labels: "deps" must be an array, got a string'],
      ['dependabot: false', { dependabot: false }, undefined, 'dependabot: false must be an object (DependabotOptions), got a boolean; to write no dependabot.yml, write dependabot: { enabled: false }'],
      ['options of a disabled dependabot', { dependabot: { enabled: false, interval: 'daily' } }, undefined, 'dependabot.interval: "daily" has no effect because dependabot.enabled is false'],
      ['unknown interval', { dependabot: { interval: 'hourly' } }, undefined, 'dependabot.interval: "hourly" is not a DependabotInterval'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('build args', () => {
    test.each<Row>([
      ['a name with a dash', { buildArgs: { 'NODE-ENV': BuildArgValue.literal('x') } }, undefined, 'buildArgs["NODE-ENV"]: the name "NODE-ENV" is not a build arg name'],
      ['a name the label block sets', { buildArgs: { VERSION: BuildArgValue.version() } }, undefined, 'buildArgs.VERSION: VERSION is set by the label block on every build'],
      ['a secret', { buildArgs: { NPM_TOKEN: BuildArgValue.literal('x') } }, undefined, 'buildArgs.NPM_TOKEN: NPM_TOKEN looks like a secret'],
      ['a multi-line value', { buildArgs: { MODE: BuildArgValue.literal('a\nb') } }, undefined, 'buildArgs.MODE: "a\\nb" must be a single-line string'],
      ['an expression', { buildArgs: { MODE: BuildArgValue.literal('${{ secrets.X }}') } }, undefined, 'buildArgs.MODE: "${{ secrets.X }}" must not contain "${{"'],
      ['a plain string value', { buildArgs: { MODE: 'production' } }, undefined, 'buildArgs.MODE: "production" must be made with BuildArgValue.literal()'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  describe('everything else', () => {
    test.each<Row>([
      ['a typo at the top', { platfroms: [] }, undefined, 'platfroms: unknown option of ImageReleaseOptions; did you mean "platforms"?'],
      ['hardenProjenWorkflows as a string', { hardenProjenWorkflows: 'false' }, undefined, 'hardenProjenWorkflows: "false" must be true or false, got a string'],
      ['verify as a string', { verify: 'no' }, undefined, 'verify: "no" must be true or false, got a string'],
      ['size budget', { maxImageSizeMb: -1 }, undefined, 'maxImageSizeMb: -1 must be a positive number of MB'],
      ['size budget NaN', { maxImageSizeMb: NaN }, undefined, 'maxImageSizeMb: NaN must be a finite number, got NaN'],
      ['empty runner', { runsOn: ' ' }, undefined, 'runsOn: " " must be a non-empty string'],
      ['allowed publisher without a job', { allowedPublishers: ['.github/workflows/docker.yml'] }, undefined, 'allowedPublishers[0]: ".github/workflows/docker.yml" must be "<workflow file>:<job id>"'],
      ['options that are not an object', 'ghcr.io/acme/app', undefined, 'options: "ghcr.io/acme/app" must be an object (ImageReleaseOptions)'],
      ['a runner for a platform not built', { runners: { 'linux/s390x': { labels: ['x'], architecture: RunnerArchitecture.X64 } } }, undefined, 'runners["linux/s390x"]: the key "linux/s390x" is not one of platforms'],
      ['a runner for an unknown platform', { runners: { 'linux/arm': { labels: ['x'], architecture: RunnerArchitecture.ARM64 } } }, undefined, 'runners["linux/arm"]: the key "linux/arm" is not a Platform'],
      ['a runner without labels', { runners: { 'linux/arm64': { labels: [], architecture: RunnerArchitecture.ARM64 } } }, undefined, 'runners["linux/arm64"].labels: [] must list at least one non-empty runner label'],
      ['a runner without an architecture', { runners: { 'linux/arm64': { labels: ['arm'] } } }, undefined, 'must give both labels and architecture'],
      ['an unknown architecture', { runners: { 'linux/arm64': { labels: ['arm'], architecture: 'aarch64' } } }, undefined, 'runners["linux/arm64"].architecture: "aarch64" is not a RunnerArchitecture'],
      ['retention keeping nothing', { retention: { keep: 0 } }, undefined, 'retention.keep: 0 must be a whole number of at least 1'],
      ['retention keeping a fraction', { retention: { keep: 2.5 } }, undefined, 'retention.keep: 2.5 must be a whole number of at least 1'],
      ['retention of untagged manifests at once', { retention: { olderThanDays: 0 } }, undefined,
        'retention.olderThanDays: 0 must be a whole number of days of at least 1 (a younger untagged manifest may be a release being merged)'],
      ['retention schedule with four fields', { retention: { schedule: '0 3 * *' } }, undefined,
        'retention.schedule: "0 3 * *" is not a five-field cron expression such as "0 3 * * *" (minute hour day month weekday, UTC)'],
      ['retention schedule with names', { retention: { schedule: '@daily' } }, undefined, 'retention.schedule: "@daily" is not a five-field cron expression'],
      ['retention schedule holding an expression', { retention: { schedule: '${{ github.event.x }}' } }, undefined, 'retention.schedule: "${{ github.event.x }}" must not contain "${{"'],
      ['retention as true', { retention: true }, undefined, 'retention: true must be an object (RetentionOptions)'],
      ['a retention typo', { retention: { olderThanDay: 3 } }, undefined, 'retention.olderThanDay: unknown option of RetentionOptions; did you mean "olderThanDays"?'],
      ['runners with the emulated strategy', { buildStrategy: BuildStrategy.EMULATED, runners: { 'linux/arm64': { labels: ['arm'], architecture: RunnerArchitecture.ARM64 } } }, undefined,
        'has no effect because buildStrategy is BuildStrategy.EMULATED'],
    ])('%s', (_name, options, facts, expected) => expectOneProblem(options, facts, expected));
  });

  test('all problems are reported at once, in one error', () => {
    expect(() => resolveModel({ platforms: ['x' as Platform], scan: { trivyVersion: 'main' } }, FACTS))
      .toThrow(/invalid options:\n {2}- platforms\[0\]: "x" is not a Platform.*\n {2}- scan\.trivyVersion: "main"/);
  });

  test('the error prints its problems once, without a stack into the library', () => {
    let error: any;
    try {
      resolveModel({ runsOn: '' }, FACTS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect(error.stack.startsWith(`ModelError: ${error.message}`)).toBe(true);
    const frames = error.stack.split('\n').filter((l: string) => /^\s+at /.test(l));
    expect(frames.length).toBeLessThanOrEqual(1);
    for (const frame of frames) expect(frame).not.toMatch(/[/\\]src[/\\]/);
    expect(Object.keys(error)).toEqual([]);
    expect(error.problems).toEqual(['runsOn: "" must be a non-empty string']);
  });

  test('a wrong runner entry is reported whole: its key, its labels and its architecture, each once', () => {
    expect(problems({ runners: { 'linux/arm': { labels: [], architecture: 'x' } } } as any)).toEqual([
      expect.stringContaining('runners["linux/arm"].architecture: "x" is not a RunnerArchitecture'),
      expect.stringContaining('runners["linux/arm"]: the key "linux/arm" is not a Platform'),
      expect.stringContaining('runners["linux/arm"].labels: [] must list at least one non-empty runner label'),
    ]);
  });

  test('controls still resolve: upper-case image, one platform, quotes and unicode in labels', () => {
    expect(problems({ image: 'ghcr.io/Acme/App', platforms: [Platform.LINUX_ARM64], labels: { description: 'Der "Operator" für Kubernetes — ✓' }, customLabels: { 'com.acme.team': 'platform ünïcode' } })).toEqual([]);
  });
});

describe('no model string reaches a workflow as an expression', () => {
  const EXPR = '${{ github.event.release.body }}';
  test.each<[string, ImageReleaseOptions, string]>([
    ['labels.title', { labels: { title: EXPR } }, 'labels.title'],
    ['labels.description', { labels: { description: EXPR } }, 'labels.description'],
    ['labels.vendor', { labels: { vendor: EXPR } }, 'labels.vendor'],
    ['labels.licenses', { labels: { licenses: EXPR } }, 'labels.licenses'],
    ['labels.documentation', { labels: { documentation: `https://x/${EXPR}` } }, 'labels.documentation'],
    ['labels.source', { labels: { source: `https://x/${EXPR}` } }, 'labels.source'],
    ['labels.url', { labels: { url: `https://x/${EXPR}` } }, 'labels.url'],
    ['customLabels', { customLabels: { 'com.acme.x': EXPR } }, 'customLabels["com.acme.x"]'],
    ['image', { image: EXPR }, 'image'],
    ['tagPattern', { tagPattern: `${EXPR}*` }, 'tagPattern'],
    ['runsOn', { runsOn: EXPR }, 'runsOn'],
    ['dockerfile', { dockerfile: EXPR }, 'dockerfile'],
    ['context', { context: EXPR }, 'context'],
    ['scan.trivyVersion', { scan: { trivyVersion: EXPR } }, 'scan.trivyVersion'],
    ['dependabot.labels', { dependabot: { labels: [EXPR] } }, 'dependabot.labels[0]'],
    ['dependabot.ignores', { dependabot: { ignores: [{ ecosystem: DependabotEcosystem.NPM, dependencyName: EXPR }] } }, 'dependabot.ignores[0].dependencyName'],
    ['buildArgs', { buildArgs: { MODE: BuildArgValue.literal(EXPR) } }, 'buildArgs.MODE'],
    ['cache scope', { cache: BuildCache.githubActions(EXPR) }, 'cache'],
    ['allowedPublishers', { allowedPublishers: [EXPR] }, 'allowedPublishers[0]'],
  ])('%s', (_name, options, field) => {
    const found = problems(options);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].startsWith(`${field}: `)).toBe(true);
    // Refused for the expression itself; a cache scope is refused by its narrower character set.
    expect(found[0]).toMatch(field === 'cache' ? /is not a GitHub Actions cache scope/ : /must not contain "\$\{\{": GitHub Actions would evaluate it/);
  });
});

describe('retention', () => {
  test('is off unless configured', () => {
    expect(resolveModel({}, FACTS).retention).toBeUndefined();
  });

  test('an empty retention takes every default', () => {
    expect(resolveModel({ retention: {} }, FACTS).retention).toEqual({ keep: 10, olderThanDays: 14, keepPrereleases: false, schedule: '23 4 * * 1' });
  });

  test.each(['0 3 * * *', '*/15 0-6 1,15 * 1-5', '5 4 * * 0'])('schedule %s is a cron expression', (schedule) => {
    expect(resolveModel({ retention: { schedule } }, FACTS).retention?.schedule).toBe(schedule);
  });
});

describe('parseGitHubRepository', () => {
  test.each([
    ['https://github.com/acme/app.git', 'acme', 'app'],
    ['git+https://github.com/acme/app.git', 'acme', 'app'],
    ['git@github.com:Acme/My.App.git', 'Acme', 'My.App'],
    ['github:acme/app', 'acme', 'app'],
    ['https://github.com/acme/app', 'acme', 'app'],
  ])('%s', (url, owner, repo) => {
    expect(parseGitHubRepository(url)).toEqual({ owner, repo });
  });

  test.each(['https://gitlab.com/acme/app.git', 'not a url', ''])('%s is not a GitHub repository', (url) => {
    expect(parseGitHubRepository(url)).toBeUndefined();
  });
});
