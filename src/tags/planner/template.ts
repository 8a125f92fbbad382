import type * as HandlebarsModule from 'handlebars';

/**
 * Rendering of metadata-action's Handlebars patterns (`{{version}}`, `{{major}}.{{minor}}`,
 * `{{date 'YYYYMMDD'}}`, ...). The patterns of most lines are text, or text with plain `{{name}}`
 * mustaches over the data's own values: those are rendered here as Handlebars renders them
 * (HTML-escaped values), and Handlebars itself, slow to load, is loaded only for the others.
 */

let handlebarsEnv: typeof HandlebarsModule | undefined;

/** The planner's own Handlebars environment, apart from the global one; loaded on first use. */
function handlebars(): typeof HandlebarsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handlebarsEnv ??= (require('handlebars') as typeof HandlebarsModule).create();
  return handlebarsEnv;
}

/** Compiled templates by source: the same few patterns are rendered on every plan. */
const templates = new Map<string, HandlebarsModule.TemplateDelegate>();

function compiled(template: string): HandlebarsModule.TemplateDelegate {
  let t = templates.get(template);
  if (t === undefined) {
    t = handlebars().compile(template);
    templates.set(template, t);
  }
  return t;
}

/**
 * A template of text and `{{name}}` mustaches only: no other brace, no backslash (which escapes a
 * mustache), no NUL (which Handlebars' lexer refuses); names are plain identifiers.
 */
const SIMPLE_TEMPLATE = /^[^{}\\\0]*(?:\{\{[A-Za-z_][A-Za-z0-9_]*\}\}[^{}\\\0]*)*$/;
const MUSTACHE = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/**
 * Names a `{{name}}` mustache does not look up in the data alone: Handlebars' literals and
 * keywords, and its built-in helpers, which it looks up first.
 */
const NOT_DATA = new Set(['true', 'false', 'null', 'undefined', 'else', 'as',
  'helperMissing', 'blockHelperMissing', 'each', 'if', 'unless', 'with', 'log', 'lookup']);

/** The characters Handlebars escapes in `{{ }}` output, and their entities. */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;',
};

/**
 * What `{{name}}` renders for the data's own value, as Handlebars renders it: a string escaped, a
 * number or boolean as text, a function without parameters called (as a helper) and its string
 * result escaped; undefined for anything else (Handlebars decides).
 */
function mustacheValue(data: object, name: string): string | undefined {
  // A name of Object.prototype is also looked up (and refused, with a warning) among the helpers.
  if (NOT_DATA.has(name) || name in Object.prototype || !Object.prototype.hasOwnProperty.call(data, name)) return undefined;
  let value: unknown = (data as Record<string, unknown>)[name];
  if (typeof value === 'function') {
    if (value.length !== 0) return undefined;
    value = value.call(data);
    if (typeof value !== 'string') return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  return value.replace(/[&<>"'`=]/g, (c) => ENTITIES[c]);
}

/** The template rendered without Handlebars, or undefined when only Handlebars knows how. */
function renderSimple(template: string, data: unknown): string | undefined {
  if (!template.includes('{{')) return template.includes('\0') ? undefined : template;
  if (typeof data !== 'object' || data === null || !SIMPLE_TEMPLATE.test(template)) return undefined;
  let failed = false;
  const out = template.replace(MUSTACHE, (_, name: string) => {
    const value = failed ? undefined : mustacheValue(data, name);
    if (value === undefined) failed = true;
    return value ?? '';
  });
  return failed ? undefined : out;
}

/** Renders a Handlebars template with the data, as `Handlebars.create().compile(template)(data)` does. */
export function renderTemplate(template: string, data: unknown): string {
  return renderSimple(template, data) ?? compiled(template)(data);
}

/** Whether a pattern is exactly one `{{raw}}` mustache (in any of Handlebars' spellings). */
export function isRawStatement(pattern: string): boolean {
  // Every spelling names raw: `{{raw}}`, `{{ raw }}`, `{{{raw}}}`, `{{this.raw}}`, `{{[raw]}}`, ...
  if (!pattern.includes('raw')) return false;
  try {
    const body = handlebars().parseWithoutProcessing(pattern).body;
    const only = body.length === 1 ? (body[0] as any) : undefined;
    return only?.type === 'MustacheStatement' && only.path.parts.length === 1 && only.path.parts[0] === 'raw';
  } catch {
    return false;
  }
}
