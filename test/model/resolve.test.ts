import { BuildCache, DependabotEcosystem, ImageReleaseOptions, Platform, ReleaseTrigger, Severity, ZeroMajorPolicy } from '../../src';
import { ModelError, parseGitHubRepository, resolveModel } from '../../src/model/resolve';
import { ProjectFacts } from '../../src/model/resolved';

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

  test('the build cache is the GitHub Actions cache with its own scope', () => {
    expect(model.cacheFrom).toBe('type=gha,scope=release-image');
    expect(model.cacheTo).toBe('type=gha,scope=release-image,mode=max');
  });

  test('a registry cache lives next to the image', () => {
    const m = resolveModel({ cache: BuildCache.registry() }, FACTS);
    expect(m.cacheFrom).toBe('type=registry,ref=ghcr.io/acme/demo:buildcache');
    expect(m.cacheTo).toContain('type=registry,ref=ghcr.io/acme/demo:buildcache,mode=max');
  });

  test('no cache gives neither cache-from nor cache-to', () => {
    const m = resolveModel({ cache: BuildCache.none() }, FACTS);
    expect([m.cacheFrom, m.cacheTo]).toEqual([undefined, undefined]);
  });

  test('dependabot watches three ecosystems with the default ignores', () => {
    expect(model.dependabot.ecosystems).toEqual(['npm', 'docker', 'github-actions']);
    expect(model.dependabot.ignores).toEqual([
      { ecosystem: 'npm', dependencyName: 'projen' },
      { ecosystem: 'docker', dependencyName: 'node', updateTypes: ['version-update:semver-major'] },
    ]);
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

describe('invalid options name the option, the value and what is allowed', () => {
  test.each<[string, ImageReleaseOptions, ProjectFacts | undefined, string]>([
    ['platform', { platforms: ['linux/arm' as Platform] }, undefined,
      'platforms[0]: "linux/arm" is not supported; use one of linux/amd64, linux/arm64, linux/arm/v7, linux/ppc64le, linux/s390x'],
    ['duplicate platform', { platforms: [Platform.LINUX_AMD64, Platform.LINUX_AMD64] }, undefined, 'platforms[1]: "linux/amd64" is listed twice'],
    ['no platforms', { platforms: [] }, undefined, 'platforms: [] must list at least one of'],
    ['image with tag', { image: 'ghcr.io/acme/app:1.0' }, undefined, 'image: "ghcr.io/acme/app:1.0" must not contain a tag, digest or whitespace'],
    ['image with digest', { image: 'ghcr.io/acme/app@sha256:abc' }, undefined, 'must not contain a tag, digest'],
    ['image without registry', { image: 'acme/app' }, undefined, 'image: "acme/app" must be "<registry>/<owner>/<name>"'],
    ['image with bad characters', { image: 'ghcr.io/acme/my_-app' }, undefined, 'image: "ghcr.io/acme/my_-app" is not a valid image reference'],
    ['other registry', { image: 'docker.io/acme/app' }, undefined, 'registry "docker.io", which the workflow\'s GITHUB_TOKEN cannot log in to; use one of ghcr.io'],
    ['no repository to derive the image from', {}, { name: 'x', hasProjenRelease: false }, 'image: undefined cannot be derived'],
    ['unknown trigger', { trigger: 'nightly' as ReleaseTrigger }, undefined, 'trigger: "nightly" is not supported; use one of projen-release, tag-push, release-published'],
    ['projen-release without projen release', { trigger: ReleaseTrigger.PROJEN_RELEASE }, undefined, 'trigger: "projen-release" needs projen\'s release component'],
    ['tag push beside projen release', { trigger: ReleaseTrigger.TAG_PUSH }, { ...FACTS, hasProjenRelease: true }, 'trigger: "tag-push" would never run'],
    ['empty tag pattern', { tagPattern: '' }, undefined, 'tagPattern: "" must be a non-empty git tag glob'],
    ['no version tag', { tags: { version: false } }, undefined, 'tags.version: false must stay true'],
    ['zero-major policy', { tags: { zeroMajor: 'drop' as ZeroMajorPolicy } }, undefined, 'tags.zeroMajor: "drop" is not supported; use one of all-tags, no-major-tag'],
    ['multi-line label', { labels: { description: 'a\nb' } }, undefined, 'labels.description: "a\\nb" must be a non-empty single-line string'],
    ['label URL', { labels: { source: 'github.com/acme/app' } }, undefined, 'labels.source: "github.com/acme/app" must be an http(s) URL'],
    ['unknown severity', { scan: { severities: ['SEVERE' as Severity] } }, undefined, 'scan.severities[0]: "SEVERE" is not supported'],
    ['failOn not reported', { scan: { severities: [Severity.CRITICAL], failOn: Severity.HIGH } }, undefined, 'scan.failOn: "HIGH" must be one of scan.severities (CRITICAL)'],
    ['trivy latest', { scan: { trivyVersion: 'latest' } }, undefined, 'scan.trivyVersion: "latest" must be an exact Trivy release'],
    ['absolute dockerfile', { dockerfile: '/etc/Dockerfile' }, undefined, 'dockerfile: "/etc/Dockerfile" must be a path inside the project'],
    ['dockerfile outside', { dockerfile: '../Dockerfile' }, undefined, 'dockerfile: "../Dockerfile" must be a path inside the project'],
    ['cooldown', { dependabot: { cooldownDays: 120 } }, undefined, 'dependabot.cooldownDays: 120 must be a whole number of days from 0 to 90'],
    ['ignore for an unwatched ecosystem', { dependabot: { ecosystems: [DependabotEcosystem.NPM], ignores: [{ ecosystem: DependabotEcosystem.DOCKER, dependencyName: 'node' }] } }, undefined,
      'dependabot.ignores[0].ecosystem: "docker" is not one of dependabot.ecosystems (npm)'],
    ['empty ignore name', { dependabot: { ignores: [{ ecosystem: DependabotEcosystem.NPM, dependencyName: ' ' }] } }, undefined, 'dependabot.ignores[0].dependencyName: " " must be a non-empty dependency name'],
    ['raw object as cache', { cache: { type: 'gha' } as any }, undefined, 'cache: {"type":"gha"} must be made with BuildCache.githubActions()'],
  ])('%s', (_name, options, facts, expected) => {
    const found = problems(options, facts);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  test('all problems are reported at once, in one error', () => {
    expect(() => resolveModel({ platforms: ['x' as Platform], scan: { trivyVersion: 'main' } }, FACTS))
      .toThrow(/invalid options:\n {2}- platforms\[0\]: "x" is not supported.*\n {2}- scan\.trivyVersion: "main"/);
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
