/**
 * Finds the jobs of a repository's workflows that push the image this library publishes, so that
 * synthesis can insist on one publisher per image. Works on parsed workflow YAML; reads no files.
 */

/** One workflow of the repository: its path and its parsed YAML. */
export interface WorkflowSource {
  readonly path: string;
  readonly workflow: unknown;
}

/** The image to look for and what to skip. */
export interface PublisherQuery {
  /** The image without tag, lower-cased, e.g. `ghcr.io/acme/demo`. */
  readonly image: string;
  /** Resolves `github.repository`, `github.repository_owner` and `github.event.repository.name`. */
  readonly repository?: { readonly owner: string; readonly repo: string };
  /** The jobs this library writes. */
  readonly ownJobs: ReadonlyArray<{ readonly path: string; readonly jobId: string }>;
}

/** A job that pushes the image. */
export interface Publisher {
  readonly path: string;
  readonly jobId: string;
  /** The action or command that pushes, e.g. `docker/build-push-action with push: true`. */
  readonly evidence: string;
  /** The tags the job pushes, where its workflow shows them, e.g. `v-prefixed tags (type=ref,event=tag)`. */
  readonly tagFormat?: string;
}

/**
 * Every job of `sources` that pushes `query.image`, ordered by path and job id. A job pushes the
 * image when a push in it names the image, or when a push whose destination cannot be read
 * (a step output, an unknown variable) runs in a job that mentions the image elsewhere. A push
 * whose destinations are all literal and none is the image is not counted. A job that calls a
 * reusable workflow with the image as an input is counted, since its inside is not visible.
 */
export function findPublishers(sources: readonly WorkflowSource[], query: PublisherQuery): Publisher[] {
  const own = new Set(query.ownJobs.map((j) => jobKey(j.path, j.jobId)));
  const matcher = imageMatcher(query.image);
  const found: Publisher[] = [];
  for (const source of sources) {
    const workflow = asRecord(source.workflow);
    const jobs = asRecord(workflow?.jobs);
    if (!workflow || !jobs) continue;
    const base: Scope = { env: new Map(), outputs: new Map(), repository: query.repository };
    const workflowEnv = withEnv(base, workflow.env);
    for (const [jobId, value] of Object.entries(jobs)) {
      const job = asRecord(value);
      if (!job || own.has(jobKey(source.path, jobId))) continue;
      const publisher = jobPublisher(job, { ...base, env: workflowEnv }, matcher, tagTriggers(workflow));
      if (publisher) found.push({ path: source.path, jobId, ...publisher });
    }
  }
  return found.sort((a, b) => compare(a.path, b.path) || compare(a.jobId, b.jobId));
}

/**
 * One line naming the publisher, what it pushes and the way out.
 * @param optOut what else the user can do, e.g. `set publishersCheck: false`
 */
export function publisherMessage(p: Publisher, image: string, optOut: string): string {
  const tags = p.tagFormat ? `, with ${p.tagFormat}` : '';
  return `${p.path} job "${p.jobId}" also publishes ${image} (${p.evidence})${tags}: remove that job, or ${optOut}`;
}

type Json = Record<string, unknown>;

/** What expressions resolve against: env by lower-cased name, step outputs, the repository. */
interface Scope {
  readonly env: ReadonlyMap<string, string>;
  /** `steps.<id>.outputs.<name>`, lower-cased. */
  readonly outputs: ReadonlyMap<string, string>;
  readonly repository?: { readonly owner: string; readonly repo: string };
}

/** A push: what pushes, and its destinations when the workflow shows them. */
interface Push {
  readonly evidence: string;
  /** Undefined or empty when the destination cannot be read. */
  readonly targets?: readonly string[];
}

interface ImageMatcher {
  /** Whether `text` names the image as a whole reference. */
  names(text: string): boolean;
  /** The tags `text` gives the image (`<image>:<tag>`). */
  tags(text: string): string[];
}

function jobKey(path: string, jobId: string): string {
  return `${path}\n${jobId}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : undefined;
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Every scalar inside `value`, depth first. */
function scalars(value: unknown): string[] {
  const s = scalar(value);
  if (s !== undefined) return [s];
  if (Array.isArray(value)) return value.flatMap(scalars);
  const record = asRecord(value);
  return record ? Object.values(record).flatMap(scalars) : [];
}

const IMAGE_END = '(?=$|[:@\\s"\'`,;)\\]])';
const IMAGE_START = '(?:(?<=:\\/\\/)|(?<![a-z0-9._/-]))';
const TAG = '((?:\\$\\{\\{[^}]*\\}\\}|[^\\s"\'`,;@])+)';

function imageMatcher(image: string): ImageMatcher {
  const escaped = image.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const whole = new RegExp(`${IMAGE_START}${escaped}${IMAGE_END}`);
  const tagged = new RegExp(`${IMAGE_START}${escaped}:${TAG}`, 'g');
  return {
    names: (text) => whole.test(text.toLowerCase()),
    tags: (text) => [...text.toLowerCase().matchAll(tagged)].map((m) => m[1]),
  };
}

/** Replaces the `${{ }}` expressions the scope knows; leaves the others. */
function resolveExpressions(text: string, scope: Scope): string {
  return text.replace(/\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (match, name: string) => {
    const key = name.toLowerCase();
    const repo = scope.repository;
    if (repo && key === 'github.repository') return `${repo.owner}/${repo.repo}`;
    if (repo && key === 'github.repository_owner') return repo.owner;
    if (repo && key === 'github.event.repository.name') return repo.repo;
    if (key.startsWith('env.')) return scope.env.get(key.slice(4)) ?? match;
    if (key.startsWith('steps.')) return scope.outputs.get(key) ?? match;
    return match;
  });
}

/** Replaces `$NAME`, `${NAME}` and `${NAME,,}` the variables know; leaves the others. */
function resolveShell(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_]\w*)(?:,,|\^\^)?\}|\$([A-Za-z_]\w*)/g, (match, braced?: string, bare?: string) =>
    vars.get((braced ?? bare ?? '').toLowerCase()) ?? match);
}

/** `scope.env` plus the literal entries of `env`, their expressions resolved against the outer scope. */
function withEnv(scope: Scope, env: unknown): Map<string, string> {
  const merged = new Map(scope.env);
  for (const [name, value] of Object.entries(asRecord(env) ?? {})) {
    const text = scalar(value);
    if (text !== undefined) merged.set(name.toLowerCase(), resolveExpressions(text, scope));
  }
  return merged;
}

/** The `on.push.tags` patterns of a workflow. */
function tagTriggers(workflow: Json): string[] {
  const tags = asRecord(asRecord(workflow.on)?.push)?.tags;
  return (Array.isArray(tags) ? tags : [tags]).filter((t): t is string => typeof t === 'string');
}

function actionName(uses: string): string {
  const at = uses.indexOf('@');
  return (at < 0 ? uses : uses.slice(0, at)).trim().toLowerCase();
}

type Found = Omit<Publisher, 'path' | 'jobId'>;

/**
 * Walks a job's steps in order, carrying what they write to `$GITHUB_ENV` and `$GITHUB_OUTPUT`,
 * and collects the pushes and the strings that may name the image.
 */
function jobPublisher(job: Json, workflowScope: Scope, matcher: ImageMatcher, tagPatterns: readonly string[]): Found | undefined {
  const jobEnv = withEnv(workflowScope, job.env);
  if (typeof job.uses === 'string') {
    const inputs = scalars(job.with).map((s) => resolveExpressions(s, workflowScope));
    return inputs.some((s) => matcher.names(s)) ? { evidence: `calls reusable workflow ${job.uses.trim()} with the image` } : undefined;
  }
  const mentions = [
    ...Object.keys(asRecord(job.env) ?? {}).map((name) => jobEnv.get(name.toLowerCase()) ?? ''),
    ...scalars(asRecord(job.strategy)?.matrix).map((s) => resolveExpressions(s, workflowScope)),
  ];
  const pushes: Push[] = [];
  const metadataTags: Array<string | undefined> = [];
  const dynamicEnv = new Map(jobEnv);
  const outputs = new Map<string, string>();
  for (const value of Array.isArray(job.steps) ? job.steps : []) {
    const step = asRecord(value);
    if (!step) continue;
    const scope: Scope = { env: withEnv({ ...workflowScope, env: dynamicEnv, outputs }, step.env), outputs, repository: workflowScope.repository };
    mentions.push(...Object.keys(asRecord(step.env) ?? {}).map((name) => scope.env.get(name.toLowerCase()) ?? ''));
    const stepId = typeof step.id === 'string' ? step.id.toLowerCase() : undefined;
    const inputs: Record<string, string> = {};
    for (const [name, input] of Object.entries(asRecord(step.with) ?? {})) {
      const text = scalar(input);
      if (text !== undefined) inputs[name.toLowerCase()] = resolveExpressions(text, scope);
    }
    mentions.push(...Object.values(inputs));
    if (typeof step.uses === 'string') {
      const action = actionName(step.uses);
      const push = actionPush(action, inputs, asRecord(step.with) ?? {});
      if (push) pushes.push(push);
      if (action === 'docker/metadata-action') {
        metadataTags.push(inputs.tags);
        if (stepId) outputs.set(`steps.${stepId}.outputs.tags`, metadataImages(inputs.images ?? '').join('\n'));
      }
      if (/^[^/]+\/setup-ko$/.test(action) && !scope.env.has('ko_docker_repo') && scope.repository) {
        dynamicEnv.set('ko_docker_repo', `ghcr.io/${scope.repository.owner}/${scope.repository.repo}`.toLowerCase());
      }
    }
    if (typeof step.run === 'string') {
      const script = runScript(step.run, scope);
      mentions.push(...script.resolved);
      pushes.push(...script.pushes);
      for (const [name, text] of script.env) dynamicEnv.set(name, text);
      if (stepId) for (const [name, text] of script.outputs) outputs.set(`steps.${stepId}.outputs.${name}`, text);
    }
  }
  const named = pushes.find((p) => p.targets?.some((t) => matcher.names(t)));
  const unread = mentions.some((m) => matcher.names(m))
    ? pushes.find((p) => !p.targets || p.targets.length === 0 || p.targets.some((t) => t.includes('$')))
    : undefined;
  const hit = named ?? unread;
  if (!hit) return undefined;
  const tagFormat = describeTags(metadataTags, [...mentions, ...pushes.flatMap((p) => p.targets ?? [])], matcher, tagPatterns);
  return tagFormat ? { evidence: hit.evidence, tagFormat } : { evidence: hit.evidence };
}

/** `push:` of build-push-action and bake-action: pushes, may push (an expression or other text) or not. */
function pushInput(value: string | undefined): 'yes' | 'maybe' | 'no' {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'false') return 'no';
  return text === 'true' ? 'yes' : 'maybe';
}

const REGISTRY_OUTPUT = /(?:^|,)\s*(?:push=true|type=registry)\s*(?:,|$)/i;

/** The `name=` destinations of buildx outputs. */
function outputNames(outputs: readonly string[]): string[] {
  return outputs.flatMap((o) => [...o.matchAll(/(?:^|,)\s*name=([^,]+)/gi)].map((m) => m[1].trim()));
}

function actionPush(action: string, inputs: Readonly<Record<string, string>>, raw: Json): Push | undefined {
  if (action === 'docker/build-push-action' || action === 'docker/bake-action') {
    const push = pushInput(inputs.push);
    const outputs = lines(inputs.outputs ?? '');
    const pushingOutput = outputs.find((o) => REGISTRY_OUTPUT.test(o));
    const bakeSets = action === 'docker/bake-action' && lines(inputs.set ?? '').some((s) => REGISTRY_OUTPUT.test(s.replace(/^[^=]*output=/i, '')));
    let evidence: string | undefined;
    if (push !== 'no') evidence = `${action} with push: ${String(raw.push).trim()}${push === 'maybe' ? ' (may push)' : ''}`;
    else if (pushingOutput) evidence = `${action} with outputs: ${pushingOutput}`;
    else if (bakeSets) evidence = `${action} with set: an output that pushes`;
    if (!evidence) return undefined;
    const targets = action === 'docker/build-push-action' ? [...splitList(inputs.tags ?? ''), ...outputNames(outputs)] : undefined;
    return { evidence, targets };
  }
  if (action === 'redhat-actions/push-to-registry') {
    const image = inputs.image?.trim();
    const registry = inputs.registry?.trim().replace(/\/+$/, '');
    const targets = image ? [registry ? `${registry}/${image}` : image] : splitList(inputs.tags ?? '');
    return { evidence: action, targets };
  }
  return undefined;
}

/** The image names of metadata-action's `images` input (`name=` attributes read, others dropped). */
function metadataImages(images: string): string[] {
  return lines(images).flatMap((line) => {
    const fields = line.split(',').map((f) => f.trim());
    const named = fields.find((f) => /^name=/i.test(f));
    if (named) return [named.slice(5)];
    return fields[0].includes('=') ? [] : [fields[0]];
  });
}

/** Splits a list on whitespace and commas, keeping `${{ }}` expressions whole. */
function splitList(text: string): string[] {
  return tokenize(text, /[\s,]/);
}

/** The non-empty lines of a multi-line input, comments dropped. */
function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Splits `text` into words on `separator` outside quotes and `${{ }}` expressions, dropping the
 * quotes.
 */
function tokenize(text: string, separator = /\s/): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('${{', i)) {
      const end = text.indexOf('}}', i);
      const stop = end < 0 ? text.length : end + 2;
      word += text.slice(i, stop);
      started = true;
      i = stop - 1;
      continue;
    }
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === '\'') {
      quote = c;
      started = true;
    } else if (separator.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Splits a script into commands at newlines, `;`, `|` and `&`, keeping `${{ }}` whole. */
function splitCommands(script: string): string[] {
  const text = script.replace(/\\\r?\n/g, ' ');
  const commands: string[] = [];
  let command = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('${{', i)) {
      const end = text.indexOf('}}', i);
      const stop = end < 0 ? text.length : end + 2;
      command += text.slice(i, stop);
      i = stop - 1;
    } else if ('\n;|&'.includes(text[i])) {
      commands.push(command);
      command = '';
    } else {
      command += text[i];
    }
  }
  commands.push(command);
  return commands.map((c) => c.trim()).filter((c) => c !== '' && !c.startsWith('#'));
}

const ASSIGNMENT = /^([A-Za-z_]\w*)=(.*)$/s;
const EVIDENCE_LENGTH = 100;

interface ScriptResult {
  /** Each command with what is known resolved. */
  readonly resolved: string[];
  readonly pushes: Push[];
  /** Variables written to `$GITHUB_ENV`, lower-cased names. */
  readonly env: Map<string, string>;
  /** Outputs written to `$GITHUB_OUTPUT`, lower-cased names. */
  readonly outputs: Map<string, string>;
}

/**
 * Reads a `run:` script command by command: resolves expressions and variables (the step's env,
 * `GITHUB_REPOSITORY`, `GITHUB_REPOSITORY_OWNER`, the script's own assignments), and collects the
 * pushes and the writes to `$GITHUB_ENV` and `$GITHUB_OUTPUT`.
 */
function runScript(script: string, scope: Scope): ScriptResult {
  const vars = new Map<string, string>();
  if (scope.repository) {
    vars.set('github_repository', `${scope.repository.owner}/${scope.repository.repo}`);
    vars.set('github_repository_owner', scope.repository.owner);
  }
  for (const [name, value] of scope.env) vars.set(name, value);
  const result: ScriptResult = { resolved: [], pushes: [], env: new Map(), outputs: new Map() };
  for (const command of splitCommands(script)) {
    const resolved = resolveShell(resolveExpressions(command, scope), vars);
    result.resolved.push(resolved);
    const words = tokenize(resolved);
    const bare = words[0] === 'export' ? words.slice(1) : words;
    if (bare.length > 0 && bare.every((w) => ASSIGNMENT.test(w))) {
      for (const w of bare) {
        const [, name, value] = ASSIGNMENT.exec(w)!;
        vars.set(name.toLowerCase(), value);
      }
      continue;
    }
    const written = fileWrite(words);
    if (written) {
      const target = written.file === 'env' ? result.env : result.outputs;
      target.set(written.name, written.value);
      if (written.file === 'env') vars.set(written.name, written.value);
      continue;
    }
    const push = commandPush(words, vars);
    if (push) {
      const text = command.replace(/\s+/g, ' ');
      const evidence = text.length > EVIDENCE_LENGTH ? `${text.slice(0, EVIDENCE_LENGTH - 1)}…` : text;
      result.pushes.push({ evidence, targets: push.targets });
    }
  }
  return result;
}

/** `echo "NAME=value" >> $GITHUB_ENV` (or `$GITHUB_OUTPUT`). */
function fileWrite(words: readonly string[]): { file: 'env' | 'output'; name: string; value: string } | undefined {
  if (words[0] !== 'echo') return undefined;
  const redirect = words.findIndex((w) => w.startsWith('>>'));
  if (redirect < 0) return undefined;
  const file = /^\$\{?github_(env|output)\}?$/i.exec(words[redirect] === '>>' ? words[redirect + 1] ?? '' : words[redirect].slice(2));
  const assignment = words.slice(1, redirect).find((w) => ASSIGNMENT.test(w));
  if (!file || !assignment) return undefined;
  const [, name, value] = ASSIGNMENT.exec(assignment)!;
  return { file: file[1].toLowerCase() as 'env' | 'output', name: name.toLowerCase(), value };
}

/** The words that are neither options nor the value of a known option. */
function positionals(words: readonly string[], valued: readonly string[] = []): string[] {
  const found: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (valued.includes(words[i])) i++;
    else if (!words[i].startsWith('-')) found.push(words[i]);
  }
  return found;
}

/** The values of an option in its `--name value` and `--name=value` forms. */
function optionValues(words: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  words.forEach((w, i) => {
    if (names.includes(w) && i + 1 < words.length) values.push(words[i + 1]);
    const eq = names.find((n) => n.startsWith('--') && w.startsWith(`${n}=`));
    if (eq) values.push(w.slice(eq.length + 1));
  });
  return values;
}

function lastOf(words: readonly string[]): string[] {
  return words.length > 0 ? [words[words.length - 1]] : [];
}

function firstOf(words: readonly string[]): string[] {
  return words.slice(0, 1);
}

function withoutTransport(ref: string): string {
  return ref.replace(/^docker:\/\//i, '');
}

/** A command's push, read from the tool and its subcommand. */
type Tool = (args: readonly string[], lower: readonly string[], vars: ReadonlyMap<string, string>) => Push['targets'] | false;

/** oras options that take a value, so that the value is not read as the reference. */
const ORAS_VALUED = ['-u', '--username', '-p', '--password', '--artifact-type', '-a', '--annotation'];

const TOOLS: Readonly<Record<string, Tool>> = {
  docker: (args, lower) => {
    const [a, b, c] = lower;
    if (a === 'push') return positionals(args.slice(1), ['--platform']);
    if ((a === 'image' || a === 'manifest') && b === 'push') return positionals(args.slice(2), ['--platform']);
    if (a === 'compose' && b === 'push') return undefined;
    if (a === 'buildx' && b === 'imagetools' && c === 'create') {
      return lower.includes('--dry-run') ? false : optionValues(args, ['-t', '--tag']);
    }
    const bake = a === 'buildx' && b === 'bake';
    if (!bake && a !== 'build' && !(a === 'buildx' && (b === 'build' || b === 'b')) && !(a === 'image' && b === 'build')) return false;
    const sets = bake ? optionValues(args, ['--set']).map((s) => s.replace(/^[^=]*output=/i, '')) : [];
    const outputs = [...optionValues(args, ['-o', '--output']), ...sets];
    const pushes = lower.includes('--push') || lower.includes('--push=true') || outputs.some((o) => REGISTRY_OUTPUT.test(o));
    if (!pushes) return false;
    return bake ? undefined : [...optionValues(args, ['-t', '--tag']), ...outputNames(outputs)];
  },
  buildah: (args, lower) => {
    if (lower[0] === 'push') return lastOf(positionals(args.slice(1))).map(withoutTransport);
    if (lower[0] === 'manifest' && lower[1] === 'push') return lastOf(positionals(args.slice(2))).map(withoutTransport);
    return false;
  },
  podman: (args, lower, vars) => TOOLS.buildah(args, lower, vars),
  skopeo: (args, lower) => {
    if (lower[0] !== 'copy') return false;
    const destination = lastOf(positionals(args.slice(1)))[0] ?? '';
    if (/^docker:\/\//i.test(destination)) return [withoutTransport(destination)];
    return destination.includes('$') ? [destination] : false;
  },
  crane: (args, lower) => {
    if (lower[0] === 'push' || lower[0] === 'copy' || lower[0] === 'cp') return lastOf(positionals(args.slice(1)));
    if (lower[0] === 'tag') return firstOf(positionals(args.slice(1)));
    return false;
  },
  gcrane: (args, lower, vars) => TOOLS.crane(args, lower, vars),
  oras: (args, lower) => {
    if (lower[0] === 'push' || lower[0] === 'tag') return firstOf(positionals(args.slice(1), ORAS_VALUED));
    if (lower[0] === 'copy' || lower[0] === 'cp') return lastOf(positionals(args.slice(1)));
    return false;
  },
  ko: (args, lower, vars) => {
    if (!['build', 'publish', 'resolve', 'apply', 'create', 'run'].includes(lower[0])) return false;
    if (lower.includes('--push=false') || args.includes('-L') || lower.includes('--local')) return false;
    const repo = vars.get('ko_docker_repo');
    return repo === undefined ? undefined : [repo];
  },
};

/**
 * The push of one command, if it is one: found by the first word naming a known tool, with
 * `NAME=value` words before it read as variables of that command.
 */
function commandPush(words: readonly string[], vars: ReadonlyMap<string, string>): { targets?: readonly string[] } | undefined {
  const local = new Map(vars);
  for (let i = 0; i < words.length; i++) {
    const assignment = ASSIGNMENT.exec(words[i]);
    if (assignment) {
      local.set(assignment[1].toLowerCase(), assignment[2]);
      continue;
    }
    const tool = TOOLS[(words[i].split('/').pop() ?? '').toLowerCase()];
    if (!tool) continue;
    const args = words.slice(i + 1);
    const targets = tool(args, args.map((w) => w.toLowerCase()), local);
    if (targets !== false) return { targets };
  }
  return undefined;
}

type TagKind = 'v' | 'plain' | 'git';

const TAG_KINDS: Readonly<Record<TagKind, string>> = {
  v: 'v-prefixed tags',
  plain: 'tags without v',
  git: 'tags named as the git tag',
};

/**
 * What the job's tags look like, from metadata-action's `tags` rules and literal `<image>:<tag>`
 * references: v-prefixed, without v, or the git tag as is (then decided by `on.push.tags` when all
 * its patterns agree).
 */
function describeTags(
  metadataTags: ReadonlyArray<string | undefined>,
  texts: readonly string[],
  matcher: ImageMatcher,
  tagPatterns: readonly string[],
): string | undefined {
  const seen: Array<[TagKind, string]> = [];
  for (const tags of metadataTags) {
    if (tags === undefined) {
      seen.push(['git', 'metadata-action default tags']);
      continue;
    }
    for (const line of lines(tags)) {
      const rule = line.replace(/\s+/g, '');
      const kind = metadataRuleKind(rule);
      if (kind) seen.push([kind, rule]);
    }
  }
  for (const tag of texts.flatMap((t) => matcher.tags(t))) {
    const kind = literalTagKind(tag);
    if (kind) seen.push([kind, tag]);
  }
  if (seen.length === 0) return undefined;
  const gitKind: TagKind | undefined = tagPatterns.length > 0 && tagPatterns.every((p) => p.startsWith('v')) ? 'v'
    : tagPatterns.length > 0 && tagPatterns.every((p) => /^(?:\d|\[0-9\])/.test(p)) ? 'plain' : undefined;
  const kinds = [...new Set(seen.map(([kind]) => kind === 'git' ? gitKind ?? 'git' : kind))];
  const examples = [...new Set(seen.map(([, example]) => example))].slice(0, 3);
  return `${kinds.map((k) => TAG_KINDS[k]).join(' and ')} (${examples.join(' / ')})`;
}

function metadataRuleKind(rule: string): TagKind | undefined {
  const fields = new Map(rule.split(',').map((f) => {
    const eq = f.indexOf('=');
    return [f.slice(0, eq).toLowerCase(), f.slice(eq + 1)] as [string, string];
  }));
  const type = fields.get('type');
  if (type === 'ref' && fields.get('event') === 'tag') return 'git';
  if (type === 'semver' || type === 'pep440') {
    const pattern = fields.get('pattern') ?? '';
    return pattern.includes('{{raw}}') ? 'git' : pattern.startsWith('v') ? 'v' : 'plain';
  }
  if (type === 'raw') return literalTagKind(fields.get('value') ?? '');
  return undefined;
}

function literalTagKind(tag: string): TagKind | undefined {
  if (/^v\d/i.test(tag)) return 'v';
  if (/^\d+\.\d+/.test(tag)) return 'plain';
  if (/\$\{github_ref_name#v\}/i.test(tag)) return 'plain';
  if (/github\.ref_name|\$\{?github_ref_name\}?|github_ref#refs\/tags\//i.test(tag)) return 'git';
  return undefined;
}
