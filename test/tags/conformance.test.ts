import * as fs from 'fs';
import * as path from 'path';
import { TagPlanner } from '../../src';

/**
 * Every case of fixtures/metadata-action-cases.json (recorded from docker/metadata-action itself,
 * see fixtures/README.md) through TagPlanner.plan.
 */
const CASES_FILE = path.join(__dirname, 'fixtures', 'metadata-action-cases.json');
const cases: any[] = JSON.parse(fs.readFileSync(CASES_FILE, 'utf-8'));

test('the recorded cases are there', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
});

describe.each(cases.map((c) => [c.id, c]))('%s', (_id, c) => {
  const event = {
    eventName: c.event.eventName,
    ref: c.event.effectiveRef ?? c.event.ref,
    sha: c.event.effectiveSha ?? c.event.sha,
    defaultBranch: c.event.defaultBranch ?? c.repo?.defaultBranch,
    payload: c.event.payload,
    commitDate: c.event.commitDate,
    now: c.event.now,
  };
  const options = { images: c.inputs.images, tags: c.inputs.tags, flavor: c.inputs.flavor, event };

  if (c.expected.error) {
    test('fails like the action', () => {
      expect(() => TagPlanner.plan(options)).toThrow();
    });
    return;
  }

  test('version, tags and latest match metadata-action', () => {
    const plan = TagPlanner.plan(options);
    expect(plan).toEqual({ version: c.expected.version, tags: c.expected.tags, latest: c.expected.latest });
  });
});
