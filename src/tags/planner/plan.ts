import type * as MomentTimezone from 'moment-timezone';
import * as semver from '../../semver';
import type { GitEventContext } from '../tag-planner';
import { ExprContext, ExprValue, substituteExpressions } from './expressions';
import { Flavor, LineError, parseFlavorLines, parseImageLines, parseTagLines, TagEntry } from './lines';
import { isRawStatement, renderTemplate } from './template';

/**
 * The pure core of the tag planner: what docker/metadata-action computes for `images`, `tags` and
 * `flavor` lines on one event. No clock, no environment, no network: everything comes in.
 */

/** The event the release pipeline runs on (the public {@link GitEventContext}). */
export type PlanEvent = GitEventContext;

/** The planner's input lines and event. */
export interface PlanInput {
  readonly images: readonly string[];
  readonly tags: readonly string[];
  readonly flavor?: readonly string[];
  readonly event: PlanEvent;
  /**
   * Extra roots for `${{ }}` expressions besides `github` (e.g. `steps` with the outputs the
   * synthesized workflow computes before metadata-action).
   */
  readonly expressionContext?: Record<string, ExprValue>;
}

/** What metadata-action outputs, as far as tags go. */
export interface PlanOutput {
  readonly version: string;
  readonly tags: string[];
  readonly tagNames: string[];
  readonly latest: boolean;
}

const SHORT_SHA_LENGTH = 7;

let momentTimezone: typeof MomentTimezone | undefined;

/** moment-timezone, loaded on first use: only {{date}} and {{commit_date}} need it, and its time zone data is slow to load. */
function moment(): typeof MomentTimezone {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  momentTimezone ??= require('moment-timezone') as typeof MomentTimezone;
  return momentTimezone;
}

/** Lines as `getInputList` leaves them: trimmed, without blank lines and `#` comment lines. */
function inputList(lines: readonly string[]): string[] {
  return lines.map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** The `github` context of GitHub expressions for an event. */
function githubContext(event: PlanEvent): ExprValue {
  const refName = event.ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\//, '');
  const refType = event.ref.startsWith('refs/tags/') ? 'tag' : event.ref.startsWith('refs/heads/') ? 'branch' : '';
  const payload = (event.payload ?? {}) as ExprValue;
  return {
    event_name: event.eventName,
    ref: event.ref,
    ref_name: refName,
    ref_type: refType,
    sha: event.sha,
    event: payload,
    repository: (event.payload?.repository?.full_name as string) ?? null,
    repository_owner: (event.payload?.repository?.owner?.login as string) ?? null,
  };
}

/** Evaluates GitHub expressions in every line of one input, naming the line on failure. */
function expandExpressions(input: string, lines: readonly string[], ctx: ExprContext): string[] {
  return lines.map((line) => {
    if (!line.includes('${{')) return line;
    try {
      return substituteExpressions(line, ctx);
    } catch (e: any) {
      throw new LineError(input, line, `cannot evaluate the GitHub expression: ${e.message}`);
    }
  });
}

/** Computes the tags, version and latest flag metadata-action produces. Throws {@link LineError}. */
export function planMetadata(input: PlanInput): PlanOutput {
  const ctx: ExprContext = { ...(input.expressionContext ?? {}), github: githubContext(input.event) };
  const images = parseImageLines(inputList(expandExpressions('images', input.images, ctx)));
  const entries = parseTagLines(inputList(expandExpressions('tags', input.tags, ctx)));
  const flavor = parseFlavorLines(inputList(expandExpressions('flavor', input.flavor ?? [], ctx)));
  const run = new Run(eventContext(input.event), flavor);
  for (const entry of entries) run.process(entry);

  const partial = run.partial.filter((p, i) => run.partial.indexOf(p) === i);
  const latest = run.latest ?? false;
  const names = (): string[] => {
    if (run.main === undefined) return [];
    const out = [run.main, ...partial];
    if (latest) out.push(sanitizeTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`));
    return out;
  };
  const tagNames = names();
  const enabled = images.filter((i) => i.enable).map((i) => i.name.toLowerCase());
  const tags = enabled.length > 0 ? enabled.flatMap((image) => tagNames.map((t) => `${image}:${t}`)) : [...tagNames];
  return { version: run.main ?? '', tags, tagNames, latest: run.main !== undefined && latest };
}

interface EventContext extends PlanEvent {
  readonly commitDate?: string;
}

/** The context rewrites of metadata-action's context.ts that matter for release events. */
function eventContext(event: PlanEvent): EventContext {
  let ref = event.ref;
  if (/pull_request_target/.test(event.eventName)) ref = `refs/pull/${event.payload?.number}/merge`;
  return { ...event, ref, commitDate: event.commitDate ?? commitDateFromPayload(event) };
}

function commitDateFromPayload(event: PlanEvent): string | undefined {
  const p = event.payload ?? {};
  const fromCommits = Array.isArray(p.commits) ? p.commits.find((c: any) => c?.id === event.sha)?.timestamp : undefined;
  if (fromCommits) return fromCommits;
  if (p.head_commit?.id === event.sha && p.head_commit?.timestamp) return p.head_commit.timestamp;
  // metadata-action asks the GitHub API, then falls back to "now".
  return event.now;
}

/** Replaces every run of characters a tag cannot hold with one `-`. */
function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

function shortSha(sha: string): string {
  return sha.length <= SHORT_SHA_LENGTH ? sha : sha.substring(0, SHORT_SHA_LENGTH);
}

/** One evaluation over the sorted entries; records version, partials and the latest decision. */
class Run {
  public main?: string;
  public readonly partial: string[] = [];
  public latest?: boolean;

  constructor(private readonly ctx: EventContext, private readonly flavor: Flavor) {}

  public process(entry: TagEntry): void {
    const enabled = this.expand(entry, entry.attrs.enable);
    if (!['true', 'false'].includes(enabled)) {
      throw new LineError('tags', entry.line, `invalid value for enable attribute: "${enabled}" (must be true or false)`);
    }
    if (enabled !== 'true') return;
    const value = this.valueOf(entry);
    if (value) this.record(value.tag, value.latest);
  }

  private autoLatest(auto: boolean): boolean {
    return this.flavor.latest === 'auto' ? auto : this.flavor.latest === 'true';
  }

  private record(val: string, latest: boolean): void {
    if (val.length === 0) return;
    const tag = sanitizeTag(val);
    if (this.main === undefined) this.main = tag;
    else if (tag !== this.main) this.partial.push(tag);
    if (this.latest === undefined) this.latest = latest;
  }

  private valueOf(entry: TagEntry): { tag: string; latest: boolean } | undefined {
    const { ref, sha } = this.ctx;
    const a = entry.attrs;
    const onTag = /^refs\/tags\//.test(ref);
    const tagName = ref.replace(/^refs\/tags\//g, '');
    switch (entry.type) {
      case 'schedule':
        if (!/schedule/.test(this.ctx.eventName)) return undefined;
        return { tag: this.withAffixes(entry, this.render(entry, a.pattern, this.dateHelpers(entry))), latest: this.autoLatest(false) };
      case 'semver': {
        if (!onTag && a.value.length === 0) return undefined;
        let raw = a.value.length > 0 ? this.expand(entry, a.value) : tagName;
        if (a.match.length > 0) {
          const m = raw.match(a.match);
          if (m) {
            if (m[1] === undefined) throw new LineError('tags', entry.line, `match "${a.match}" has no capture group 1`);
            raw = m[1];
          }
        }
        raw = raw.replace(/\//g, '-');
        if (!semver.valid(raw)) return undefined;
        const parsed = semver.parse(raw, { loose: true })!;
        if (semver.prerelease(raw)) {
          const pattern = isRawStatement(a.pattern) ? a.pattern : '{{version}}';
          return { tag: this.withAffixes(entry, this.render(entry, pattern, parsed)), latest: this.autoLatest(false) };
        }
        return { tag: this.withAffixes(entry, this.render(entry, a.pattern, parsed)), latest: this.autoLatest(true) };
      }
      case 'pep440':
        throw new LineError('tags', entry.line, 'type=pep440 is not supported by the planner (Python versions are outside a container release pipeline)');
      case 'match': {
        if (!onTag && a.value.length === 0) return undefined;
        const raw = a.value.length > 0 ? this.expand(entry, a.value) : tagName;
        const isRegex = a.pattern.match(/^\/(.+)\/(.*)$/);
        let m: RegExpMatchArray | null;
        try {
          m = isRegex ? raw.match(new RegExp(isRegex[1], isRegex[2])) : raw.match(a.pattern);
        } catch (e: any) {
          throw new LineError('tags', entry.line, `invalid pattern: ${e.message}`);
        }
        if (!m || m[a.group as any] === undefined) return undefined;
        return { tag: this.withAffixes(entry, m[a.group as any]), latest: this.autoLatest(true) };
      }
      case 'ref': {
        if (a.event === 'branch') {
          if (!/^refs\/heads\//.test(ref)) return undefined;
          return { tag: this.withAffixes(entry, ref.replace(/^refs\/heads\//g, '')), latest: this.autoLatest(false) };
        }
        if (a.event === 'tag') {
          if (!onTag) return undefined;
          return { tag: this.withAffixes(entry, tagName), latest: this.autoLatest(true) };
        }
        if (!/^refs\/pull\//.test(ref)) return undefined;
        return { tag: this.withAffixes(entry, ref.replace(/^refs\/pull\//g, '').replace(/\/merge$/g, '')), latest: this.autoLatest(false) };
      }
      case 'edge': {
        if (!/^refs\/heads\//.test(ref)) return undefined;
        const branch = a.branch.length > 0 ? a.branch : (this.ctx.defaultBranch ?? this.ctx.payload?.repository?.default_branch ?? '');
        if (branch !== ref.replace(/^refs\/heads\//g, '')) return undefined;
        return { tag: this.withAffixes(entry, 'edge'), latest: this.autoLatest(false) };
      }
      case 'raw':
        return { tag: this.withAffixes(entry, this.expand(entry, a.value)), latest: this.autoLatest(false) };
      case 'sha':
        if (!sha) return undefined;
        return { tag: this.withAffixes(entry, a.format === 'short' ? shortSha(sha) : sha), latest: this.autoLatest(false) };
    }
  }

  /** Tag-level prefix/suffix win even when empty; otherwise the flavor's, if set. */
  private withAffixes(entry: TagEntry, val: string): string {
    const a = entry.attrs;
    if (Object.prototype.hasOwnProperty.call(a, 'prefix')) val = `${this.expand(entry, a.prefix)}${val}`;
    else if (this.flavor.prefix.length > 0) val = `${this.expand(entry, this.flavor.prefix)}${val}`;
    if (Object.prototype.hasOwnProperty.call(a, 'suffix')) val = `${val}${this.expand(entry, a.suffix)}`;
    else if (this.flavor.suffix.length > 0) val = `${val}${this.expand(entry, this.flavor.suffix)}`;
    return val;
  }

  private render(entry: TagEntry, template: string, data: unknown): string {
    try {
      return renderTemplate(template, data);
    } catch (e: any) {
      if (e instanceof LineError) throw e;
      throw new LineError('tags', entry.line, `cannot render "${template}": ${e.message}`);
    }
  }

  private dateHelpers(entry: TagEntry) {
    const format = (iso: string | undefined, what: string) => (fmt: string, options: any) => {
      if (!iso) throw new LineError('tags', entry.line, `{{${what}}} needs event.${what === 'date' ? 'now' : 'commitDate'}; the planner never reads the clock`);
      let tz = 'UTC';
      for (const key of Object.keys(options.hash ?? {})) {
        if (key !== 'tz') throw new LineError('tags', entry.line, `unknown ${key} attribute of {{${what}}}`);
        tz = options.hash[key];
      }
      return moment().utc(iso).tz(tz).format(fmt);
    };
    return { date: format(this.ctx.now, 'date'), commit_date: format(this.ctx.commitDate, 'commit_date') };
  }

  /** metadata-action's global expressions ({{branch}}, {{tag}}, {{sha}}, {{is_default_branch}}, ...). */
  private expand(entry: TagEntry, template: string): string {
    const c = this.ctx;
    const isDefaultBranch = (): string => {
      const branch = c.ref.replace(/^refs\/heads\//g, '');
      if (branch.length === 0) return 'false';
      if (c.payload?.repository?.default_branch === branch) return 'true';
      return /create|discussion|issues|schedule/.test(c.eventName) ? 'true' : 'false';
    };
    return this.render(entry, template, {
      branch: () => (/^refs\/heads\//.test(c.ref) ? c.ref.replace(/^refs\/heads\//g, '') : ''),
      tag: () => (/^refs\/tags\//.test(c.ref) ? c.ref.replace(/^refs\/tags\//g, '') : ''),
      sha: () => shortSha(c.sha),
      base_ref: () => {
        if (/^refs\/tags\//.test(c.ref) && c.payload?.base_ref != undefined) return String(c.payload.base_ref).replace(/^refs\/heads\//g, '');
        if (/^refs\/pull\//.test(c.ref) && c.payload?.pull_request?.base?.ref != undefined) return c.payload.pull_request.base.ref;
        return '';
      },
      is_default_branch: isDefaultBranch,
      is_not_default_branch: () => (isDefaultBranch() === 'false' ? 'true' : 'false'),
      ...this.dateHelpers(entry),
    });
  }
}
