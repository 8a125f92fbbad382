import { spawnSync } from 'child_process';
import * as path from 'path';
import { BuildCache, ImageRelease, ImageReleaseOptions, Platform, ReleaseTrigger, Severity, ZeroMajorPolicy } from '../src';
import { bareProject } from './util';

const ROOT = path.join(__dirname, '..');

/**
 * The field's own tools (actionlint + shellcheck, zizmor, hadolint, JSON schemas) on model variants
 * that the committed files do not cover. `scripts/lint-generated` exits non-zero on any finding.
 */
function lint(outdir: string) {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/lint-generated'), outdir], { encoding: 'utf-8' });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
}

const VARIANTS: Array<[string, ImageReleaseOptions]> = [
  ['release-published, v-prefixed, no 0 major', { trigger: ReleaseTrigger.RELEASE_PUBLISHED, tags: { vPrefixedVersion: true, zeroMajor: ZeroMajorPolicy.NO_MAJOR_TAG } }],
  ['registry cache, one platform, report-only scan', { cache: BuildCache.registry(), platforms: [Platform.LINUX_AMD64], scan: { failBuild: false, sarifUpload: false } }],
  ['no scan, no cache, three platforms', { scan: { enabled: false }, cache: BuildCache.none(), platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7] }],
  ['gate on CRITICAL only, no SARIF', { scan: { severities: [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM], failOn: Severity.CRITICAL, sarifUpload: false } }],
];

test.each(VARIANTS)('standalone variant: %s passes every linter', (_name, options) => {
  const project = bareProject();
  new ImageRelease(project, { image: 'ghcr.io/acme/demo', ...options });
  project.synth();
  const r = lint(project.outdir);
  expect(r.output).toContain('1 workflows, 1 Dockerfiles, 1 dependabot.yml checked');
  expect(r.code).toBe(0);
});

// A projen-released project is checked through this repository itself: its release.yml holds the
// image jobs beside projen's own, and `npx projen test` lints it (scripts/lint-generated).

test('a finding fails the lint (the check can fail)', () => {
  const project = bareProject('FROM node:latest\nRUN cd /tmp && echo hi\n');
  new ImageRelease(project, { image: 'ghcr.io/acme/demo' });
  project.synth();
  const r = lint(project.outdir);
  expect(r.code).toBe(1);
  expect(r.output).toContain('DL3007');
});
