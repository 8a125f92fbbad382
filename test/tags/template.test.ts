import { parse as csvParse } from 'csv-parse/sync';
import * as fc from 'fast-check';
import * as Handlebars from 'handlebars';
import parseSemver from 'semver/functions/parse';
import { fields } from '../../src/tags/planner/lines';
import { isRawStatement, renderTemplate } from '../../src/tags/planner/template';

/** What Handlebars itself renders, or its error message. */
function byHandlebars(template: string, data: unknown): string {
  try {
    return Handlebars.create().compile(template)(data);
  } catch (e: any) {
    return `error: ${e.message}`;
  }
}

function byPlanner(template: string, data: unknown): string {
  try {
    return renderTemplate(template, data);
  } catch (e: any) {
    return `error: ${e.message}`;
  }
}

const version = parseSemver('1.2.3-rc.1+build.5')!;
const helpers = {
  tag: () => 'v1.2.3',
  branch: () => '',
  empty: () => undefined,
  amp: () => 'a&b=c',
  date: (fmt: string) => `date:${typeof fmt}`,
  text: 'x<y>"z"\'`=&',
  n: 0,
  yes: true,
  nothing: null,
  list: ['a', 'b'],
  constructor: 'own constructor',
};

describe('renderTemplate renders as Handlebars does', () => {
  // {{log}} and refused prototype lookups write to the console; both sides write the same.
  beforeEach(() => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    jest.spyOn(console, 'info').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());

  test.each([
    '', 'latest', 'v', 'nightly', '{{version}}', 'v{{version}}', '{{major}}.{{minor}}', '{{major}}', '{{raw}}',
    '{{prerelease}}', '{{build}}', '{{loose}}', '{{options}}', '{{format}}', '{{missing}}', '{{ version }}', '{{{version}}}',
    '{{~version~}}', '\\{{version}}', '{version}', '}}', '{{version', '{{1}}', '{{true}}', '{{null}}', '{{log}}', '{{lookup}}',
    '{{this.major}}', '{{[major]}}', '{{#if major}}x{{/if}}', 'a\0b', '{{toString}}', '{{constructor}}', 'pre{{major}}-{{minor}}post',
  ])('%j of a semver', (template) => {
    expect(byPlanner(template, version)).toBe(byHandlebars(template, version));
  });

  test.each([
    '{{tag}}', '{{branch}}', '{{empty}}', '{{amp}}', '{{date}}', '{{text}}', '{{n}}', '{{yes}}', '{{nothing}}', '{{list}}',
    '{{constructor}}', 'sha-{{tag}}-{{text}}', '{{tag}}{{missing}}',
  ])('%j of helpers and values', (template) => {
    expect(byPlanner(template, helpers)).toBe(byHandlebars(template, helpers));
  });

  test('random templates of text and mustaches', () => {
    const piece = fc.oneof(
      fc.constantFrom('{{', '}}', '{', '}', '\\', '~', ' ', '.', '-', '&', '=', '"', '#', '/', '\0'),
      fc.constantFrom('version', 'major', 'minor', 'raw', 'tag', 'amp', 'text', 'n', 'missing', 'if', 'each'),
      fc.constantFrom('{{version}}', '{{major}}', '{{text}}', '{{tag}}', '{{amp}}', '{{n}}', '{{nothing}}'),
      fc.string({ maxLength: 3 }),
    );
    const data = { ...helpers, version: '1.2.3', major: 1, minor: 2, raw: 'v1.2.3' };
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
      const template = pieces.join('');
      expect(byPlanner(template, data)).toBe(byHandlebars(template, data));
    }), { numRuns: 500 });
  });
});

describe('isRawStatement', () => {
  test.each<[string, boolean]>([
    ['{{raw}}', true], ['{{ raw }}', true], ['{{{raw}}}', true], ['{{this.raw}}', true], ['{{[raw]}}', true], ['{{~raw~}}', true],
    ['v{{raw}}', false], ['{{raw}}{{raw}}', false], ['{{version}}', false], ['raw', false], ['{{raw', false], ['', false], ['{{draw}}', false],
  ])('%j: %s', (pattern, expected) => {
    expect(isRawStatement(pattern)).toBe(expected);
  });
});

describe('fields reads a line as csv-parse does', () => {
  const byCsvParse = (line: string): string[] | string => {
    try {
      return (csvParse(line, { relaxColumnCount: true, skipEmptyLines: true }) as string[][])[0] ?? [];
    } catch {
      return 'error';
    }
  };
  const byFields = (line: string): readonly string[] | string => {
    try {
      return fields('tags', line);
    } catch {
      return 'error';
    }
  };

  test.each(['', ',', 'type=raw,value=latest', ' a , b ', 'a,,b', '\ufeffa,b', 'a\tb', '#x,y', "a='b,c'", 'a="b,c"', 'a\nb', 'a\r\nb'])('%j', (line) => {
    expect(byFields(line)).toEqual(byCsvParse(line));
  });

  test('random lines', () => {
    const char = fc.constantFrom('a', '=', ',', ' ', '\t', '#', "'", '"', '\\', '\n', '\r', '\ufeff', '\0', '{', '}');
    fc.assert(fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
      const line = chars.join('');
      expect(byFields(line)).toEqual(byCsvParse(line));
    }), { numRuns: 1000 });
  });
});
