import { Project } from 'projen';
import { assertNoDroppedListValues, droppedListValues } from '../../src/projects/command-line';

const LISTS = ['platforms', 'deps'];
const POSITIONALS = ['new', 'node-operator'];

describe('list-valued flags of projen new', () => {
  test.each([
    ['a repeated flag keeps every value', 'new --from x node-operator --platforms linux/amd64 --platforms linux/arm64', []],
    ['one value drops nothing', 'new --from x node-operator --platforms linux/arm64 --no-git', []],
    ['a space-separated list drops all values after the first', 'new --from x node-operator --platforms linux/amd64 linux/arm64 linux/s390x --no-git',
      [{ flag: 'platforms', kept: ['linux/amd64'], dropped: ['linux/arm64', 'linux/s390x'] }]],
    ['--flag=value is one value too', 'new --from x node-operator --platforms=linux/amd64 linux/arm64',
      [{ flag: 'platforms', kept: ['linux/amd64'], dropped: ['linux/arm64'] }]],
    ['the project type after the flags is projen\'s positional, not a value', 'new --from x --platforms linux/amd64 node-operator', []],
    ['every list flag is read, projen\'s own among them', 'new --from x node-operator --deps a b --platforms linux/amd64',
      [{ flag: 'deps', kept: ['a'], dropped: ['b'] }]],
    ['words after a flag that is not a list are not read', 'new --from x node-operator --image ghcr.io/a/b extra', []],
  ])('%s', (_name, line, expected) => {
    expect(droppedListValues(line.split(' '), LISTS, POSITIONALS)).toEqual(expected);
  });

  /** A project as projen new creates it: its initProject names the type and its options. */
  function created(): Project {
    const options = [
      { switch: 'platforms', jsonLike: true, type: { collection: { kind: 'array', elementtype: { primitive: 'string' } } } },
      { switch: 'image', jsonLike: true, type: { primitive: 'string' } },
    ];
    return { initProject: { type: { pjid: 'node-operator', options } } } as unknown as Project;
  }

  test('projen new fails with one line naming the flag, the dropped values and the form that keeps them', () => {
    expect(() => assertNoDroppedListValues(created(), ['new', '--from', 'x', 'node-operator', '--platforms', 'linux/amd64', 'linux/arm64']))
      .toThrow('--platforms: projen new keeps only "linux/amd64" of "linux/amd64" "linux/arm64" (values separated by spaces are dropped); '
        + 'repeat the flag for each value: --platforms linux/amd64 --platforms linux/arm64');
  });

  test('a synthesis that is not projen new does not read the command line', () => {
    expect(() => assertNoDroppedListValues({ initProject: undefined } as unknown as Project, ['--platforms', 'a', 'b'])).not.toThrow();
  });
});
