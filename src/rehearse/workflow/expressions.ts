import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { data as Data } from '@actions/expressions' with { 'resolution-mode': 'import' };
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index' with { 'resolution-mode': 'import' };
import { ActionsLibraries } from './libraries';

/** A plain JSON-like value of a context, an input or an expression's result. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** The contexts an expression reads (`github`, `env`, `needs`, `steps`, ...), by name. */
export type Contexts = Record<string, Value>;

/**
 * What the status functions answer where an expression is evaluated: `success()` and `failure()`
 * (`always()` is always true; nothing is ever cancelled in a rehearsal, so `cancelled()` is false).
 */
export interface Status {
  readonly success: boolean;
  readonly failure: boolean;
}

/** An expression that does not parse or fails to evaluate; the message names the expression. */
export class ExpressionError extends Error {
  constructor(public readonly expression: string, reason: string) {
    super(`expression \`\${{ ${expression} }}\`: ${reason}`);
    this.name = 'ExpressionError';
  }
}

/** The context names an expression may use. */
const CONTEXT_NAMES = ['github', 'env', 'vars', 'secrets', 'inputs', 'needs', 'steps', 'job', 'jobs', 'runner', 'matrix', 'strategy'];

/** Evaluates GitHub expressions with `@actions/expressions`, against given contexts. */
export class ExpressionEvaluator {
  /**
   * @param libraries GitHub's expression language and workflow parser
   * @param workspace where `hashFiles()` reads files
   */
  constructor(private readonly libraries: ActionsLibraries, private readonly workspace: string) {}

  /** Evaluates one expression (without `${{ }}`) to a plain value. */
  evaluate(expression: string, contexts: Contexts, status: Status): Value {
    return this.toValue(this.evaluateData(expression, contexts, status));
  }

  /** Evaluates a condition (an `if:`, already holding a status function) with GitHub's truthiness. */
  condition(expression: string, contexts: Contexts, status: Status): boolean {
    const d = this.evaluateData(expression, contexts, status);
    const { Kind } = this.libraries.expressions.data;
    switch (d.kind) {
      case Kind.Null:
        return false;
      case Kind.Boolean:
        return (d as Data.BooleanData).value;
      case Kind.Number: {
        const n = (d as Data.NumberData).value;
        return n !== 0 && !Number.isNaN(n);
      }
      case Kind.String:
        return d.coerceString() !== '';
      default:
        return true;
    }
  }

  /** Evaluates a template token of the parsed workflow (literal, expression, mapping, sequence) to a plain value. */
  token(token: TemplateToken, contexts: Contexts, status: Status): Value {
    const p = this.libraries.parser;
    if (p.isBasicExpression(token)) {
      try {
        return this.evaluate(token.expression, contexts, status);
      } catch (e) {
        // A string with several ${{ }} is one format() expression: name the part that failed.
        for (const part of token.originalExpressions ?? []) this.evaluate(part.expression, contexts, status);
        throw e;
      }
    }
    if (p.isString(token)) return token.value;
    if (p.isNumber(token)) return token.value;
    if (p.isBoolean(token)) return token.value;
    if (p.isSequence(token)) return [...token].map((t) => this.token(t, contexts, status));
    if (p.isMapping(token)) {
      const out: Record<string, Value> = {};
      for (const pair of token) out[String(this.token(pair.key, contexts, status))] = this.token(pair.value, contexts, status);
      return out;
    }
    return null;
  }

  /** Evaluates a token to a string, as env values, inputs and outputs are. */
  tokenString(token: TemplateToken, contexts: Contexts, status: Status): string {
    return asString(this.token(token, contexts, status));
  }

  private evaluateData(expression: string, contexts: Contexts, status: Status): Data.ExpressionData {
    const { Lexer, Parser, Evaluator, data } = this.libraries.expressions;
    const functions = this.functions(status);
    let ast;
    try {
      ast = new Parser(new Lexer(expression).lex().tokens, CONTEXT_NAMES, [...functions.values()]).parse();
    } catch (e) {
      throw new ExpressionError(expression, (e as Error).message);
    }
    const dictionary = new data.Dictionary();
    for (const [name, value] of Object.entries(contexts)) dictionary.add(name, this.toData(value));
    try {
      return new Evaluator(ast, dictionary, functions).evaluate();
    } catch (e) {
      const err = e as Error;
      const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new ExpressionError(expression, `${err.message}${cause}`);
    }
  }

  private functions(status: Status) {
    const { data } = this.libraries.expressions;
    const constant = (name: string, value: boolean) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) });
    const fns = [
      constant('success', status.success),
      constant('failure', status.failure),
      constant('always', true),
      constant('cancelled', false),
      {
        name: 'hashFiles',
        minArgs: 1,
        maxArgs: 255,
        call: (...args: Data.ExpressionData[]) => new data.StringData(hashFiles(this.workspace, args.map((a) => a.coerceString()))),
      },
    ];
    return new Map(fns.map((f) => [f.name.toLowerCase(), f]));
  }

  private toData(value: Value): Data.ExpressionData {
    return JSON.parse(JSON.stringify(value), this.libraries.expressions.data.reviver);
  }

  private toValue(d: Data.ExpressionData): Value {
    return JSON.parse(JSON.stringify(d, this.libraries.expressions.data.replacer) ?? 'null');
  }
}

/** A value as a string, as GitHub turns an expression's result into an env value or an output. */
export function asString(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, undefined, 2);
}

/**
 * `hashFiles(patterns...)`: the SHA-256 of the SHA-256 digests of the workspace's files matching
 * any pattern (`*`, `**`, `?`; a leading `!` excludes), in path order; empty when none match.
 */
export function hashFiles(workspace: string, patterns: readonly string[]): string {
  const include = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(full);
      } else if (entry.isFile()) {
        const rel = path.relative(workspace, full).split(path.sep).join('/');
        if (include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel))) files.push(full);
      }
    }
  };
  walk(workspace);
  if (files.length === 0) return '';
  const outer = crypto.createHash('sha256');
  for (const file of files.sort()) outer.update(crypto.createHash('sha256').update(fs.readFileSync(file)).digest());
  return outer.digest('hex');
}

/** A glob relative to the workspace as a regular expression over `/`-separated relative paths. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') {re += '[^/]*';} else if (c === '?') {re += '[^/]';} else {re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');}
  }
  return new RegExp(`^${re}$`);
}
