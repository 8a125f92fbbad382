import * as fs from 'fs';

/**
 * The `name=value` lines and `name<<DELIMITER` ... `DELIMITER` blocks of a runner file
 * (`GITHUB_OUTPUT`, `GITHUB_ENV`), in order; a later name wins. Throws on a block without its
 * closing delimiter or a line that is neither form, as the runner fails the step.
 */
export function parseKeyValueFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    const eq = line.indexOf('=');
    if (heredoc && (eq < 0 || eq > line.indexOf('<<'))) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]);
      if (i >= lines.length) throw new Error(`${file}: ${name}<<${delimiter} has no closing line ${delimiter}`);
      out[name] = body.join('\n');
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`${file}: line ${i + 1} is neither name=value nor name<<DELIMITER: ${line}`);
    }
  }
  return out;
}

/** The parsed key-value runner file at `file` (empty when the step did not write it). */
export function readKeyValueFile(file: string, name: string): Record<string, string> {
  return fs.existsSync(file) ? parseKeyValueFile(fs.readFileSync(file, 'utf-8'), name) : {};
}

/** The directories a step appended to `GITHUB_PATH`, one a line, in the order written. */
export function readPathFile(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf-8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}
