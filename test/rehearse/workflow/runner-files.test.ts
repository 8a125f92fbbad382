import { parseKeyValueFile } from '../../../src/rehearse/workflow/runner-files';

test('name=value lines keep everything after the first =', () => {
  expect(parseKeyValueFile('a=1\nb=x=y\n', 'f')).toEqual({ a: '1', b: 'x=y' });
});

test('a name<<DELIMITER block keeps its lines, without a trailing newline', () => {
  expect(parseKeyValueFile('json<<EOF\n{\n  "a": 1\n}\nEOF\nafter=2\n', 'f')).toEqual({ json: '{\n  "a": 1\n}', after: '2' });
});

test('a later line of the same name wins', () => {
  expect(parseKeyValueFile('a=1\na=2\n', 'f')).toEqual({ a: '2' });
});

test('a block without its closing delimiter is an error naming the file', () => {
  expect(() => parseKeyValueFile('x<<END\nline\n', 'GITHUB_OUTPUT of step "s"')).toThrow('GITHUB_OUTPUT of step "s": x<<END has no closing line END');
});
