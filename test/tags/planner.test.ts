import * as fc from 'fast-check';
import { GitEventContext, TagPlanner } from '../../src';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const NOW = '2020-01-10T00:30:00.000Z';
const SEED_TAGS = ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'];

function tagPush(tag: string, extra: Partial<GitEventContext> = {}): GitEventContext {
  return { eventName: 'push', ref: `refs/tags/${tag}`, sha: SHA, now: NOW, payload: { repository: { default_branch: 'main' } }, ...extra };
}

function names(tags: string[], event: GitEventContext, flavor: string[] = []): { version: string; tags: string[]; latest: boolean } {
  const plan = TagPlanner.plan({ images: ['ghcr.io/acme/app'], tags, flavor, event });
  return { ...plan, tags: plan.tags.map((t) => t.replace('ghcr.io/acme/app:', '')) };
}

describe('edge cases of metadata-action semantics', () => {
  test.each<[string, string[], string, string[], string, string[], boolean]>([
    // name, tags, git tag, flavor, version, tags, latest
    ['stable release: the seed set plus latest', SEED_TAGS, 'v1.2.3', [], '1.2.3', ['1.2.3', '1.2', '1', 'latest'], true],
    ['pre-release: only the full version, no latest', SEED_TAGS, 'v2.0.0-rc.1', [], '2.0.0-rc.1', ['2.0.0-rc.1'], false],
    ['v0.x gets 0.x and 0 (no special case upstream)', SEED_TAGS, 'v0.3.1', [], '0.3.1', ['0.3.1', '0.3', '0', 'latest'], true],
    ['v0.0.1', SEED_TAGS, 'v0.0.1', [], '0.0.1', ['0.0.1', '0.0', '0', 'latest'], true],
    ['build metadata counts as stable and is dropped by {{version}}', SEED_TAGS, 'v1.2.3+build.5', [], '1.2.3', ['1.2.3', '1.2', '1', 'latest'], true],
    ['{{raw}} keeps the v and sanitizes +build', ['type=semver,pattern={{raw}}'], 'v1.2.3+build.5', [], 'v1.2.3-build.5', ['v1.2.3-build.5', 'latest'], true],
    ['v{{version}} on a pre-release collapses into the plain version', ['type=semver,pattern={{version}}', 'type=semver,pattern=v{{version}}'], 'v1.0.0-beta.1', [], '1.0.0-beta.1', ['1.0.0-beta.1'], false],
    ['v{{version}} on a stable release keeps its v', ['type=semver,pattern={{version}}', 'type=semver,pattern=v{{version}}'], 'v1.0.0', [], '1.0.0', ['1.0.0', 'v1.0.0', 'latest'], true],
    ['upper-case V is not semver: no tag', SEED_TAGS, 'V1.2.3', [], '', [], false],
    ['v1.2 is not semver: no tag', SEED_TAGS, 'v1.2', [], '', [], false],
    ['major.minor before version makes the version output 1.2', ['type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{version}}'], 'v1.2.3', [], '1.2', ['1.2', '1.2.3', 'latest'], true],
    ['ref,event=tag keeps the v and proposes latest even for pre-releases', ['type=ref,event=tag'], 'v1.0.0-rc.1', [], 'v1.0.0-rc.1', ['v1.0.0-rc.1', 'latest'], true],
    ['semver (900) decides latest before ref,event=tag (600)', ['type=ref,event=tag', 'type=semver,pattern={{version}}'], 'v1.0.0-rc.1', [], '1.0.0-rc.1', ['1.0.0-rc.1', 'v1.0.0-rc.1'], false],
    ['a high-priority sha removes latest from a stable release', ['type=sha,priority=2000', ...SEED_TAGS], 'v1.2.3', [], 'sha-860c190', ['sha-860c190', '1.2.3', '1.2', '1'], false],
    ['is_default_branch is false on a tag: the seed\'s raw latest never fires', [...SEED_TAGS, 'type=raw,value=latest,enable={{is_default_branch}}'], 'v1.2.3', ['latest=false'], '1.2.3', ['1.2.3', '1.2', '1'], false],
    ['an explicit raw latest and the auto latest both appear', [...SEED_TAGS, 'type=raw,value=latest'], 'v1.2.3', [], '1.2.3', ['1.2.3', '1.2', '1', 'latest', 'latest'], true],
    ['latest=true forces latest on a pre-release', SEED_TAGS, 'v1.0.0-rc.1', ['latest=true'], '1.0.0-rc.1', ['1.0.0-rc.1', 'latest'], true],
    ['flavor prefix applies to semver, not to sha; the suffix to both', ['type=semver,pattern={{version}}', 'type=sha'], 'v1.2.3', ['prefix=app-,suffix=-alpine'], 'app-1.2.3-alpine', ['app-1.2.3-alpine', 'sha-860c190-alpine', 'latest'], true],
    ['onlatest applies prefix and suffix to latest', ['type=semver,pattern={{version}}'], 'v1.2.3', ['prefix=x-,onlatest=true'], 'x-1.2.3', ['x-1.2.3', 'x-latest'], true],
    ['a tag-level empty prefix beats the flavor prefix', ['type=semver,pattern={{version}},prefix='], 'v1.2.3', ['prefix=app-'], '1.2.3', ['1.2.3', 'latest'], true],
    ['semver value= works on a branch ref', ['type=semver,pattern={{version}},value=v3.1.0'], 'ignored', [], '3.1.0', ['3.1.0', 'latest'], true],
    ['a disabled entry has no effect', ['type=sha,priority=2000,enable=false', ...SEED_TAGS], 'v1.2.3', [], '1.2.3', ['1.2.3', '1.2', '1', 'latest'], true],
    ['a slash in the tag becomes a dash before the semver check', SEED_TAGS, 'release/v1.2.3', [], '', [], false],
    ['match with a group', ['type=match,pattern=v(\\d+\\.\\d+),group=1'], 'v1.2.3', [], '1.2', ['1.2', 'latest'], true],
    ['match always proposes latest, also for pre-releases', ['type=match,pattern=\\d.\\d.\\d-rc'], 'v1.2.3-rc.1', [], '1.2.3-rc', ['1.2.3-rc', 'latest'], true],
    ['duplicates are removed, keeping the first', ['type=semver,pattern={{major}}', 'type=raw,value=1', 'type=raw,value=x', 'type=raw,value=x'], 'v1.2.3', [], '1', ['1', 'x', 'latest'], true],
    ['GitHub expressions are evaluated against the event', ["type=semver,pattern={{major}},enable=${{ !startsWith(github.ref_name, 'v0.') }}", 'type=semver,pattern={{version}}'], 'v0.3.1', [], '0.3.1', ['0.3.1', 'latest'], true],
  ])('%s', (_name, tags, gitTag, flavor, version, expected, latest) => {
    const ref = gitTag === 'ignored' ? { ref: 'refs/heads/main' } : {};
    expect(names(tags, tagPush(gitTag, ref), flavor)).toEqual({ version, tags: expected, latest });
  });

  test('a release event uses the tag ref; GitHub\'s prerelease flag is not consulted by metadata-action', () => {
    const event = tagPush('v1.2.3', { eventName: 'release', payload: { release: { prerelease: true, tag_name: 'v1.2.3' } } });
    expect(names(SEED_TAGS, event).latest).toBe(true);
  });

  test('a release marked pre-release gets no latest through the model\'s flavor expression', () => {
    const flavor = ["latest=${{ github.event.release.prerelease && 'false' || 'auto' }}"];
    const pre = tagPush('v1.2.3', { eventName: 'release', payload: { release: { prerelease: true } } });
    const stable = tagPush('v1.2.3', { eventName: 'release', payload: { release: { prerelease: false } } });
    expect(names(SEED_TAGS, pre, flavor).tags).toEqual(['1.2.3', '1.2', '1']);
    expect(names(SEED_TAGS, stable, flavor).tags).toEqual(['1.2.3', '1.2', '1', 'latest']);
  });

  test('image names are lower-cased, tags are not; tags are grouped per image', () => {
    const plan = TagPlanner.plan({ images: ['ghcr.io/Acme/App', 'docker.io/acme/app'], tags: ['type=raw,value=Feature-ABC'], event: tagPush('v1.0.0') });
    expect(plan.tags).toEqual(['ghcr.io/acme/app:Feature-ABC', 'docker.io/acme/app:Feature-ABC']);
  });

  test('dates come from the event, never from the clock', () => {
    expect(names(["type=raw,value=nightly-{{date 'YYYYMMDD'}}"], tagPush('v1.0.0')).tags).toEqual(['nightly-20200110']);
    expect(() => names(["type=raw,value={{date 'YYYY'}}"], tagPush('v1.0.0', { now: undefined }))).toThrow(/needs event\.now; the planner never reads the clock/);
  });
});

describe('invalid lines throw with the line, as the action fails', () => {
  test.each<[string, string[], string[], RegExp]>([
    ['unknown type', ['type=semverr,pattern={{version}}'], [], /tags line "type=semverr,pattern=\{\{version\}\}": unknown tag type "semverr"/],
    ['semver without pattern', ['type=semver'], [], /tags line "type=semver": type=semver needs a pattern attribute/],
    ['raw without value', ['type=raw'], [], /tags line "type=raw": type=raw needs a value/],
    ['ref without event', ['type=ref'], [], /needs an event attribute/],
    ['bad sha format', ['type=sha,format=medium'], [], /invalid format "medium"/],
    ['non-numeric match group', ['type=match,pattern=v(.*),group=x'], [], /invalid match group "x"/],
    ['bad enable', ['type=raw,value=a,enable=yes'], [], /tags line "type=raw,value=a,enable=yes": invalid value for enable attribute: "yes"/],
    ['semver match without group 1', ['type=semver,pattern={{version}},match=v\\d'], [], /match "v\\d" has no capture group 1/],
    ['bad latest flavor', ['type=raw,value=a'], ['latest=sometimes'], /flavor line "latest=sometimes": invalid latest "sometimes"/],
    ['unknown flavor key', ['type=raw,value=a'], ['lastest=true'], /unknown flavor entry "lastest"/],
    ['an expression the planner cannot know', ['type=raw,value=${{ secrets.TOKEN }}'], [], /tags line "type=raw,value=\$\{\{ secrets.TOKEN \}\}": cannot evaluate the GitHub expression: "secrets" is not known to the planner/],
    ['an unclosed expression', ['type=raw,value=${{ github.sha'], [], /without a closing "\}\}"/],
  ])('%s', (_name, tags, flavor, message) => {
    expect(() => TagPlanner.plan({ images: ['ghcr.io/acme/app'], tags, flavor, event: tagPush('v1.2.3') })).toThrow(message);
  });
});

describe('property: the seed\'s policy', () => {
  const num = fc.integer({ min: 0, max: 999 });
  const ident = fc.oneof(fc.integer({ min: 0, max: 99 }).map(String), fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/));
  const prerelease = fc.array(ident, { minLength: 1, maxLength: 3 }).map((ids) => ids.join('.'));

  test('a stable vX.Y.Z gets exactly {X.Y.Z, X.Y, X, latest}', () => {
    fc.assert(fc.property(num, num, num, fc.boolean(), (major, minor, patch, v) => {
      const version = `${major}.${minor}.${patch}`;
      const plan = names(SEED_TAGS, tagPush(`${v ? 'v' : ''}${version}`));
      expect(new Set(plan.tags)).toEqual(new Set([version, `${major}.${minor}`, `${major}`, 'latest']));
      expect(plan.version).toBe(version);
      expect(plan.latest).toBe(true);
    }));
  });

  test('a pre-release gets exactly {its full version} and never latest', () => {
    fc.assert(fc.property(num, num, num, prerelease, (major, minor, patch, pre) => {
      const version = `${major}.${minor}.${patch}-${pre}`;
      const plan = names(SEED_TAGS, tagPush(`v${version}`));
      expect(plan.tags).toEqual([version]);
      expect(plan.latest).toBe(false);
    }));
  });
});
