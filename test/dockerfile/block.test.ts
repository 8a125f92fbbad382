import { BEGIN_MARKER, blockLines, DockerfileError, END_MARKER, escapeLabelValue, spliceBlock } from '../../src/dockerfile/block';

const LABELS: Array<[string, string]> = [['org.opencontainers.image.title', 'demo']];
const BLOCK = blockLines(LABELS);

function splice(content: string, block: readonly string[] = BLOCK): string {
  return spliceBlock('Dockerfile', content, block);
}

describe('the block', () => {
  test('declares the three build args and one LABEL with per-build and static labels', () => {
    expect(BLOCK[0].startsWith(BEGIN_MARKER)).toBe(true);
    expect(BLOCK.slice(1, 4)).toEqual(['ARG BUILD_DATE', 'ARG VCS_REF', 'ARG VERSION']);
    expect(BLOCK.slice(4, -1)).toEqual([
      'LABEL org.opencontainers.image.created="${BUILD_DATE}" \\',
      '      org.opencontainers.image.revision="${VCS_REF}" \\',
      '      org.opencontainers.image.version="${VERSION}" \\',
      '      org.opencontainers.image.title="demo"',
    ]);
    expect(BLOCK[BLOCK.length - 1]).toBe(END_MARKER);
  });

  test.each([
    ['plain', 'plain'],
    ['say "hi"', 'say \\"hi\\"'],
    ['$HOME', '\\$HOME'],
    ['back\\slash', 'back\\\\slash'],
  ])('label value %j is escaped as %j', (value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });
});

describe('splicing', () => {
  const user = 'FROM a AS build\nRUN make\n\nFROM b\nCOPY --from=build /x /x\nCMD ["x"]\n';

  test('a file without a block gets it at its end, in the final stage', () => {
    const out = splice(user);
    expect(out.startsWith(user)).toBe(true);
    expect(out.slice(user.length)).toBe(BLOCK.join('\n') + '\n');
  });

  test('splicing is idempotent', () => {
    const once = splice(user);
    expect(splice(once)).toBe(once);
  });

  test('only the lines between the markers change; user edits around the block are kept', () => {
    const edited = splice(user).replace('CMD ["x"]', 'CMD ["y"]') + 'EXPOSE 8080\n';
    const resynth = splice(edited, blockLines([['org.opencontainers.image.title', 'renamed']]));
    expect(resynth).toContain('CMD ["y"]');
    expect(resynth.endsWith(`${END_MARKER}\nEXPOSE 8080\n`)).toBe(true);
    expect(resynth).toContain('org.opencontainers.image.title="renamed"');
    expect(resynth).not.toContain('"demo"');
  });

  test('a block the user moved up inside the final stage stays where it is', () => {
    const moved = `FROM b\n${BLOCK.join('\n')}\nRUN late\n`;
    expect(splice(moved)).toBe(moved);
  });

  test('CRLF files keep CRLF, also inside the block', () => {
    const crlf = user.replace(/\n/g, '\r\n');
    const out = splice(crlf);
    expect(out.startsWith(crlf)).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(splice(out)).toBe(out);
  });

  test('a file without a final newline gets one before the block', () => {
    const out = splice('FROM b\nCMD ["x"]');
    expect(out).toBe(`FROM b\nCMD ["x"]\n${BLOCK.join('\n')}\n`);
  });

  test('a block at the very end without a newline is replaced without adding one', () => {
    const noEol = `FROM b\n${BLOCK.join('\n')}`;
    expect(splice(noEol)).toBe(noEol);
  });

  test('lowercase from counts as FROM', () => {
    expect(splice('from b\n')).toContain(END_MARKER);
  });

  test.each<[string, string, RegExp]>([
    ['no FROM', 'RUN x\n', /^Dockerfile: has no FROM instruction/],
    ['BEGIN without END', `FROM b\n${BEGIN_MARKER}\nARG X\n`, /has "# BEGIN projen-image-release" at line 2 but no "# END projen-image-release"/],
    ['END without BEGIN', `FROM b\n${END_MARKER}\n`, /has "# END projen-image-release" at line 2 but no "# BEGIN projen-image-release"/],
    ['two blocks', `FROM b\n${BLOCK.join('\n')}\n${BLOCK.join('\n')}\n`, /has 2 "# BEGIN projen-image-release" and 2 "# END projen-image-release" markers .*keep exactly one block/],
    ['END before BEGIN', `FROM b\n${END_MARKER}\n${BEGIN_MARKER}\n`, /"# END projen-image-release" \(line 2\) comes before "# BEGIN projen-image-release" \(line 3\)/],
    ['block not in the final stage', `FROM a\n${BLOCK.join('\n')}\nFROM b\n`, /the label block \(line 2\) is not in the final stage: FROM at line 11 comes after it/],
  ])('%s fails naming the file and the problem', (_name, content, message) => {
    expect(() => splice(content)).toThrow(DockerfileError);
    expect(() => splice(content)).toThrow(message);
  });
});
