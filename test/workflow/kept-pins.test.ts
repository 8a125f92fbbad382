import * as fs from 'fs';
import * as path from 'path';
import { javascript, LogLevel, Project } from 'projen';
import { ImageRelease } from '../../src';
import { choosePin, editWorkflowText, findUses, pinsFoundIn } from '../../src/workflow/kept-pins';
import { ActionPin, PINS, usesRef } from '../../src/workflow/pins';
import { SAMPLE_DOCKERFILE, synthWithoutInstall, tempDir } from '../util';

const WORKFLOW = '.github/workflows/release-image.yml';
const CHECKOUT = PINS.checkout; // v7.0.1
const NEW_SHA = 'a'.repeat(40);

const OLDER_MAJOR = { action: CHECKOUT.action, sha: 'd23441a48e516b6c34aea4fa41551a30e30af803', version: 'v6.1.0' };
const TABLE = [CHECKOUT, OLDER_MAJOR];

describe('the pin a step gets', () => {
  test.each<[string, string, ActionPin[], string | undefined]>([
    ['a moving major tag gets the newest pin of that major', 'v6', [], OLDER_MAJOR.sha],
    ['an exact version gets the pin of that version', 'v7.0.1', [], CHECKOUT.sha],
    ['an older exact version moves forward within its major', 'v7.0.0', [], CHECKOUT.sha],
    ['the table\'s SHA stays', CHECKOUT.sha, [], CHECKOUT.sha],
    ['a newer pin of the same major found in the files wins', CHECKOUT.sha, [{ action: CHECKOUT.action, sha: NEW_SHA, version: 'v7.2.0' }], NEW_SHA],
    ['a newer major found in the files does not', CHECKOUT.sha, [{ action: CHECKOUT.action, sha: NEW_SHA, version: 'v8.0.0' }], CHECKOUT.sha],
    ['an older version found in the files does not', CHECKOUT.sha, [{ action: CHECKOUT.action, sha: NEW_SHA, version: 'v7.0.0' }], CHECKOUT.sha],
    ['a version newer than the table is left as it is (never moved back)', 'v7.5.0', [], undefined],
    ['a major the table does not have is left as it is (never a major bump)', 'v2', [], undefined],
    ['an unknown SHA is left as it is', NEW_SHA, [], undefined],
    ['a branch is left as it is', 'main', [], undefined],
  ])('%s', (_name, ref, found, sha) => {
    const choice = choosePin(CHECKOUT.action, ref, TABLE, found);
    expect(choice.pin?.sha).toBe(sha);
    if (!sha) expect(choice.unpinned).toContain(`${CHECKOUT.action}@${ref}`);
  });
});

describe('which pins of the files count', () => {
  function found(line: string) {
    return pinsFoundIn(findUses({ path: 'w.yml', text: `jobs:\n  x:\n    steps:\n      - uses: ${line}\n` }), TABLE);
  }

  test.each<[string, string, boolean]>([
    ['a SHA with a version comment', `${CHECKOUT.action}@${NEW_SHA} # v7.2.0`, true],
    ['a SHA without a version comment', `${CHECKOUT.action}@${NEW_SHA}`, false],
    ['a comment that is not a version', `${CHECKOUT.action}@${NEW_SHA} # latest`, false],
    ['a short SHA', `${CHECKOUT.action}@${'a'.repeat(39)} # v7.2.0`, false],
    ['a tag', `${CHECKOUT.action}@v7 # v7.2.0`, false],
    ['the table\'s version with another SHA', `${CHECKOUT.action}@${NEW_SHA} # v7.0.1`, false],
  ])('%s: %s', (_name, line, counted) => {
    expect(found(line).length).toBe(counted ? 1 : 0);
  });

  test('a found uses: knows its job', () => {
    expect(findUses({ path: 'w.yml', text: `jobs:\n  build:\n    steps:\n      - uses: ${CHECKOUT.action}@v7\n` })[0]).toMatchObject({ jobId: 'build', action: CHECKOUT.action, ref: 'v7' });
  });
});

describe('editing rendered text', () => {
  const text = 'jobs:\n  a:\n    steps:\n      - name: Checkout\n        uses: actions/checkout@v7\n  b:\n    steps:\n      - uses: actions/checkout@v7\n';

  test('only the edited value and the end of its line change', () => {
    const out = editWorkflowText(text, [{ path: ['jobs', 'a', 'steps', 0, 'uses'], replaceValue: usesRef(CHECKOUT), comment: CHECKOUT.version }]);
    expect(out).toBe(text.replace('        uses: actions/checkout@v7\n  b', `        uses: ${usesRef(CHECKOUT)} # v7.0.1\n  b`));
  });

  test('a comment on a map key lands on the key\'s line', () => {
    const out = editWorkflowText('on:\n  pull_request_target:\n    types: [opened]\n', [{ path: ['on', 'pull_request_target'], comment: 'zizmor: ignore[dangerous-triggers] why' }]);
    expect(out).toBe('on:\n  pull_request_target: # zizmor: ignore[dangerous-triggers] why\n    types: [opened]\n');
  });

  test('lines put before a key come right above its line, the rest unchanged', () => {
    const out = editWorkflowText(`on: push\n${text}`, [{ path: ['jobs'], linesBefore: ['permissions: {}'] }]);
    expect(out).toBe(`on: push\npermissions: {}\n${text}`);
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
    synthWithoutInstall(project);
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
