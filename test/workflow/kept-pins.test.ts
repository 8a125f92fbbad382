import * as fs from 'fs';
import * as path from 'path';
import { javascript, LogLevel, Project } from 'projen';
import { ImageRelease } from '../../src';
import { keptPins } from '../../src/workflow/kept-pins';
import { PINS } from '../../src/workflow/pins';
import { SAMPLE_DOCKERFILE, tempDir } from '../util';

const WORKFLOW = '.github/workflows/release-image.yml';
const CHECKOUT = PINS.checkout; // v7.0.1
const NEW_SHA = 'a'.repeat(40);

function usesLine(ref: string, comment?: string): string {
  return `      - uses: ${CHECKOUT.action}@${ref}${comment ? ` # ${comment}` : ''}\n`;
}

describe('which pins of the existing file are kept', () => {
  test.each<[string, string, string | undefined, boolean, RegExp | undefined]>([
    ['a newer patch of the same major', NEW_SHA, 'v7.0.2', true, undefined],
    ['a newer minor of the same major', NEW_SHA, 'v7.3.0', true, undefined],
    ['a newer major', NEW_SHA, 'v8.0.0', false, /major 8 differs from the library's 7/],
    ['an older version', NEW_SHA, 'v7.0.0', false, /older than the library's v7.0.1/],
    ['the same version with another SHA', NEW_SHA, 'v7.0.1', false, /the library pins v7.0.1 to another SHA/],
    ['a SHA without a version comment', NEW_SHA, undefined, false, /a SHA without a "# vX.Y.Z" version comment/],
    ['a comment that is not a version', NEW_SHA, 'latest', false, /the comment "latest" is not a version/],
    ['a short SHA', 'a'.repeat(39), 'v7.0.2', false, /not pinned to a full commit SHA/],
    ['a tag instead of a SHA', 'v7', 'v7.0.2', false, /not pinned to a full commit SHA/],
  ])('%s', (_name, ref, comment, kept, note) => {
    const result = keptPins(`jobs:\n  x:\n    steps:\n${usesLine(ref, comment)}`, [CHECKOUT]);
    expect(result.pins.has(CHECKOUT.action)).toBe(kept);
    if (kept) expect(result.pins.get(CHECKOUT.action)).toEqual({ action: CHECKOUT.action, sha: ref, version: comment });
    if (note) expect(result.notes).toEqual([expect.stringMatching(note)]);
    else expect(result.notes).toEqual([]);
  });

  test('the library\'s own pin and unknown actions are left alone', () => {
    const text = `steps:\n${usesLine(CHECKOUT.sha, CHECKOUT.version)}      - uses: other/action@${NEW_SHA} # v1.0.0\n`;
    expect(keptPins(text, [CHECKOUT])).toEqual({ pins: new Map(), notes: [] });
  });

  test('no file, no kept pins', () => {
    expect(keptPins(undefined, [CHECKOUT]).pins.size).toBe(0);
  });
});

describe('end to end: a Dependabot update survives npx projen', () => {
  /** Synthesizes the same model into a directory, as `npx projen` does on every run. */
  function synth(outdir: string): string {
    const project = new Project({ name: 'demo', outdir, logging: { level: LogLevel.WARN } });
    new ImageRelease(project, { image: 'ghcr.io/acme/demo' });
    project.synth();
    return fs.readFileSync(path.join(outdir, WORKFLOW), 'utf-8');
  }

  /** Edits the file as Dependabot does: new SHA and version comment on every use of the action. */
  function dependabotBump(outdir: string, sha: string, comment: string): string {
    const file = path.join(outdir, WORKFLOW);
    fs.chmodSync(file, 0o644);
    const text = fs.readFileSync(file, 'utf-8').split(`${CHECKOUT.action}@${CHECKOUT.sha} # ${CHECKOUT.version}`).join(`${CHECKOUT.action}@${sha} # ${comment}`);
    fs.writeFileSync(file, text);
    return text;
  }

  function repo(): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), SAMPLE_DOCKERFILE);
    return dir;
  }

  test('a newer pin of the same major: re-synthesis changes nothing', () => {
    const dir = repo();
    synth(dir);
    const bumped = dependabotBump(dir, NEW_SHA, 'v7.1.0');
    expect(bumped).toContain(`${CHECKOUT.action}@${NEW_SHA} # v7.1.0`);
    expect(synth(dir)).toBe(bumped);
  });

  test.each<[string, string, string]>([
    ['a new major', NEW_SHA, 'v8.0.0'],
    ['a malformed SHA', 'not-a-sha', 'v7.1.0'],
    ['an older version', NEW_SHA, 'v6.9.0'],
  ])('%s is replaced by the library\'s pin, with the reason printed', (_name, sha, comment) => {
    const dir = repo();
    const original = synth(dir);
    dependabotBump(dir, sha, comment);
    const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warnings = () => [...warn.mock.calls, ...log.mock.calls].map((c) => c.join(' ')).join('\n');
    try {
      expect(synth(dir)).toBe(original);
      expect(warnings()).toContain(`${WORKFLOW}: ${CHECKOUT.action}@${sha}`);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  test('a SHA without a version comment is replaced', () => {
    const dir = repo();
    const original = synth(dir);
    const file = path.join(dir, WORKFLOW);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, original.split(`${CHECKOUT.sha} # ${CHECKOUT.version}`).join(NEW_SHA));
    expect(synth(dir)).toBe(original);
  });
});

describe('projen\'s own workflows and the image jobs inside release.yml', () => {
  /** Synthesizes a projen-released Node project into `outdir` (no npm install), as `npx projen` does. */
  function synthReleased(outdir: string): Record<string, string> {
    const previous = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      const project = new javascript.NodeProject({
        name: 'demo',
        outdir,
        defaultReleaseBranch: 'main',
        release: true,
        repository: 'https://github.com/acme/demo.git',
        packageManager: javascript.NodePackageManager.NPM,
        logging: { level: LogLevel.WARN },
      });
      new ImageRelease(project);
      project.synth();
    } finally {
      if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = previous;
    }
    const dir = path.join(outdir, '.github/workflows');
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
  }

  function repo(): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), SAMPLE_DOCKERFILE);
    return dir;
  }

  test('every uses: line of every workflow is a SHA with its version comment', () => {
    const files = synthReleased(repo());
    const uses = Object.values(files).flatMap((t) => t.split('\n').filter((l) => /^\s*(- )?uses:/.test(l)));
    expect(uses.length).toBeGreaterThan(15);
    for (const line of uses) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('a Dependabot bump across release.yml and build.yml survives re-synthesis', () => {
    const dir = repo();
    synthReleased(dir);
    const bumped: Record<string, string> = {};
    for (const f of ['release.yml', 'build.yml']) {
      const file = path.join(dir, '.github/workflows', f);
      fs.chmodSync(file, 0o644);
      bumped[f] = fs.readFileSync(file, 'utf-8')
        .split(`${PINS.checkout.action}@${PINS.checkout.sha} # ${PINS.checkout.version}`).join(`${PINS.checkout.action}@${NEW_SHA} # v7.2.0`)
        .split(`${PINS.login.action}@${PINS.login.sha} # ${PINS.login.version}`).join(`${PINS.login.action}@${'b'.repeat(40)} # v4.2.0`);
      fs.writeFileSync(file, bumped[f]);
    }
    expect(bumped['release.yml']).toContain(`${PINS.login.action}@${'b'.repeat(40)} # v4.2.0`);
    const again = synthReleased(dir);
    expect(again['release.yml']).toBe(bumped['release.yml']);
    expect(again['build.yml']).toBe(bumped['build.yml']);
    // The checkout bump in two files also reaches the third, which Dependabot did not touch.
    expect(again['upgrade-main.yml']).toContain(`${PINS.checkout.action}@${NEW_SHA} # v7.2.0`);
  });
});
