/**
 * Reading the output of `buildah build` for one platform: which lines show progress, which are
 * noise, and one line saying what went wrong when it failed (with the last lines of a failed RUN
 * step's own output below it).
 */

/** What a build failure is described against. */
export interface BuildFailureContext {
  readonly platform: string;
  /** The Dockerfile's path as the project names it, e.g. `Dockerfile`. */
  readonly dockerfile: string;
  /** The Dockerfile's text, to find the line of the failed instruction. */
  readonly dockerfileText: string;
  /** The buildah storage given with `--storage`, if any (where a base image must be pre-loaded). */
  readonly storage?: string;
}

/** Most lines of a failed RUN step's output shown below the message. */
const TAIL_LINES = 8;
/** Longest instruction text quoted in a message. */
const MAX_STEP = 80;

/** Whether a line of buildah's output tells the person rehearsing nothing. */
export function isBuildNoise(line: string): boolean {
  return /^\[Warning\] one or more build args were not consumed/.test(line)
    || /^time="[^"]*" level=\w+ msg="(\+\(UNHANDLED LOGLEVEL\)|Failed, retrying)/.test(line)
    || /^(Getting image source signatures|Copying (blob|config) |Writing manifest to image destination|Storing signatures)/.test(line)
    || /^subprocess exited with status \d+$/.test(line);
}

/** Whether a line of buildah's output is worth showing while it builds: a step starting, a pull. */
function isBuildProgress(line: string): boolean {
  return /^(\[\d+\/\d+\] )?STEP \d+\/\d+: /.test(line) || /^Trying to pull /.test(line);
}

/** The line to show while building, for the steps that take time or fetch (FROM, RUN, COPY, ADD, pulls); else undefined. */
export function progressLine(line: string): string | undefined {
  if (/^Trying to pull /.test(line)) return line;
  const step = /^((?:\[\d+\/\d+\] )?STEP \d+\/\d+: )((?:FROM|RUN|COPY|ADD)\s.*)$/i.exec(line);
  return step ? `${step[1]}${shorten(step[2])}` : undefined;
}

/** A one-line description of a failed build, plus a failed RUN step's last output lines indented below. */
export function describeBuildFailure(output: readonly string[], exitCode: number | null, ctx: BuildFailureContext): string {
  const lines = output.filter((l) => !isBuildNoise(l));
  const raw = lastError(lines);
  if (raw === undefined) {
    const panic = lines.find((l) => /^panic: /.test(l));
    if (panic) return `the ${ctx.platform} build failed: buildah crashed (${panic}); check ${ctx.dockerfile}`;
    return withTail(`the ${ctx.platform} build failed (buildah ${exitCode === null ? 'was stopped' : `exited ${exitCode}`})`, lines);
  }
  const original = /Original:"(.*)"\}\s*$/.exec(raw)?.[1];
  const error = raw.replace(/ ?&imagebuilder\.Step\{.*$/, '');

  const pull = /^creating build container: .*?docker:\/\/(\S+?): (.*)$/.exec(error);
  if (pull) return describePull(pull[1], pull[2], lines, ctx);

  const step = /^building at STEP "(.*?)": (.*)$/.exec(error);
  if (step) {
    const [, text, reason] = step;
    const unknown = /Unknown instruction: "?(\w+)"?/.exec(reason);
    if (unknown) return `${at(ctx, original ?? text)}: unknown instruction ${unknown[1].toUpperCase()}`;
    const where = `the ${ctx.platform} build failed at ${at(ctx, text)} (${shorten(text)})`;
    const status = /^exit status (\d+)$/.exec(reason);
    if (status) return withTail(`${where}: exit status ${status[1]}`, stepOutput(lines));
    const missing = /copier: stat: "\/?(.*)": no such file or directory$/.exec(reason);
    if (missing) return `${where}: ${missing[1]} is not in the build context`;
    return `${where}: ${reason}`;
  }
  return `the ${ctx.platform} build failed: ${error}`;
}

/** The text of the last `Error:` line; of its first item when buildah lists several. */
function lastError(lines: readonly string[]): string | undefined {
  const i = lines.map((l) => /^Error: /.test(l)).lastIndexOf(true);
  if (i < 0) return undefined;
  const text = lines[i].replace(/^Error: /, '');
  if (/^\d+ errors occurred:$/.test(text)) return lines.slice(i + 1).find((l) => /^\s*\* /.test(l))?.replace(/^\s*\* /, '') ?? text;
  return text;
}

function describePull(image: string, reason: string, lines: readonly string[], ctx: BuildFailureContext): string {
  const tried = [...lines].reverse().map((l) => /^Trying to pull (\S+?)\.\.\.$/.exec(l)?.[1]).find((x) => x);
  const domain = (tried ?? image).split('/')[0];
  // A short name (golang:1.24) is named with what it resolved to, the name to pre-load it under.
  const named = tried && tried !== image ? `${image} (${tried})` : image;
  if (/no image found in (manifest list|image index)/.test(reason)) return `the base image ${image} has no ${ctx.platform} image`;
  if (domain === 'localhost') {
    return ctx.storage
      ? `the base image ${image} is not in ${ctx.storage} for ${ctx.platform} (a localhost/ image cannot be pulled); build or load it there`
      : `the base image ${image} cannot be pulled (a localhost/ image is only ever local); build or load it into a storage and pass that with --storage`;
  }
  const lead = ctx.storage ? `the base image ${named} is not in ${ctx.storage} for ${ctx.platform} and cannot be pulled` : `the base image ${named} cannot be pulled`;
  const hint = ctx.storage ? `pre-load it into ${ctx.storage}` : 'use --storage with a pre-loaded base';
  const proxy = /proxyconnect tcp: dial tcp (\S+?): /.exec(reason)?.[1];
  if (proxy) return `${lead}: no network to ${domain} (the proxy at ${proxy} does not answer); ${hint}`;
  if (/connection refused/.test(reason)) return `${lead}: nothing answers at ${domain} (connection refused); ${hint}`;
  if (/no such host|network is unreachable|i\/o timeout|TLS handshake timeout|dial tcp/.test(reason)) return `${lead}: no network to ${domain}; ${hint}`;
  if (/manifest unknown|name unknown|not found/.test(reason)) return `${lead}: ${domain} has no such image`;
  if (/unauthorized|denied|authentication required/.test(reason)) return `${lead}: ${domain} refuses access (buildah login ${domain}, or ${hint})`;
  return `${lead}: ${reason}`;
}

/** `Dockerfile:N` for the line the instruction starts on, or just the Dockerfile when it is not found. */
function at(ctx: BuildFailureContext, instruction: string): string {
  const line = lineOf(ctx.dockerfileText, instruction);
  return line === undefined ? ctx.dockerfile : `${ctx.dockerfile}:${line}`;
}

/** The 1-based line an instruction starts on (continuation lines joined, whitespace and case ignored). */
export function lineOf(dockerfileText: string, instruction: string): number | undefined {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const wanted = norm(instruction);
  if (wanted === '') return undefined;
  const lines = dockerfileText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let joined = '';
    for (let j = i; j < lines.length; j++) {
      const more = /\\\s*$/.test(lines[j]);
      joined += ` ${lines[j].replace(/\\\s*$/, '')}`;
      if (!more) break;
    }
    if (norm(joined) === wanted) return i + 1;
  }
  return undefined;
}

/** The output of the last step that started, without buildah's own lines. */
function stepOutput(lines: readonly string[]): string[] {
  const start = lines.map(isBuildProgress).lastIndexOf(true);
  return lines.slice(start + 1).filter((l) => !/^Error: /.test(l) && !/^\s*\* /.test(l) && !isBuildProgress(l));
}

function withTail(message: string, tail: readonly string[]): string {
  const shown = tail.slice(-TAIL_LINES);
  return shown.length === 0 ? message : [`${message}; its last output:`, ...shown.map((l) => `  ${l}`)].join('\n');
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_STEP ? one : `${one.slice(0, MAX_STEP - 1)}…`;
}
