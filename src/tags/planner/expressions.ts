/**
 * A small evaluator for GitHub Actions expressions (`${{ ... }}`), enough for the lines of a
 * metadata-action step: literals, context paths, `!`, `&&`, `||`, comparisons, parentheses and
 * the functions startsWith, endsWith, contains, format, join, toJSON and fromJSON, with GitHub's
 * coercion rules (case-insensitive string comparison, `&&`/`||` returning operands).
 * @see https://docs.github.com/en/actions/learn-github-actions/expressions
 */

/** A value an expression can produce. */
export type ExprValue = string | number | boolean | null | ExprValue[] | { [key: string]: ExprValue };

/** Thrown for an expression that cannot be parsed or evaluated here. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token = { kind: 'num' | 'str' | 'ident' | 'op' | 'punct'; text: string; value?: ExprValue };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= src.length) throw new ExpressionError(`unterminated string in "${src}"`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") { s += "'"; j += 2; continue; }
          break;
        }
        s += src[j++];
      }
      tokens.push({ kind: 'str', text: s, value: s });
      i = j + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num && (/\d/.test(c) || ((c === '-' || c === '+' || c === '.') && /[\d.]/.test(src[i + 1] ?? '')))) {
      tokens.push({ kind: 'num', text: num[0], value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = /^(?:&&|\|\||==|!=|<=|>=|<|>|!)/.exec(src.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    if ('()[].,*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected character "${c}" in "${src}"`);
  }
  return tokens;
}

type Node =
  | { t: 'lit'; v: ExprValue }
  | { t: 'ctx'; name: string }
  | { t: 'prop'; obj: Node; key: Node | '*' }
  | { t: 'not'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'call'; fn: string; args: Node[] };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly src: string) {}

  public parse(): Node {
    const node = this.or();
    if (this.pos < this.tokens.length) this.fail(`unexpected "${this.tokens[this.pos].text}"`);
    return node;
  }

  private fail(msg: string): never {
    throw new ExpressionError(`${msg} in "${this.src}"`);
  }

  private peek(text?: string): Token | undefined {
    const t = this.tokens[this.pos];
    return t && (text === undefined || t.text === text) ? t : undefined;
  }

  private take(text: string): void {
    if (!this.peek(text)) this.fail(`expected "${text}"`);
    this.pos++;
  }

  private binary(next: () => Node, ops: string[]): Node {
    let l = next();
    while (this.peek() && this.peek()!.kind === 'op' && ops.includes(this.peek()!.text)) {
      const op = this.tokens[this.pos++].text;
      l = { t: 'bin', op, l, r: next() };
    }
    return l;
  }

  private or = (): Node => this.binary(this.and, ['||']);
  private and = (): Node => this.binary(this.eq, ['&&']);
  private eq = (): Node => this.binary(this.cmp, ['==', '!=']);
  private cmp = (): Node => this.binary(this.unary, ['<', '<=', '>', '>=']);

  private unary = (): Node => {
    if (this.peek('!')) {
      this.pos++;
      return { t: 'not', e: this.unary() };
    }
    return this.postfix(this.primary());
  };

  private primary(): Node {
    const tok = this.tokens[this.pos++];
    if (!tok) this.fail('unexpected end');
    if (tok.kind === 'num' || tok.kind === 'str') return { t: 'lit', v: tok.value! };
    if (tok.text === '(') {
      const e = this.or();
      this.take(')');
      return e;
    }
    if (tok.kind === 'ident') {
      const lower = tok.text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { t: 'lit', v: lower === 'true' };
      if (lower === 'null') return { t: 'lit', v: null };
      if (this.peek('(')) {
        this.pos++;
        const args: Node[] = [];
        if (!this.peek(')')) {
          do { args.push(this.or()); } while (this.peek(',') && ++this.pos);
        }
        this.take(')');
        return { t: 'call', fn: lower, args };
      }
      return { t: 'ctx', name: tok.text };
    }
    return this.fail(`unexpected "${tok.text}"`);
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.peek('.')) {
        this.pos++;
        const t = this.tokens[this.pos++];
        if (!t || (t.kind !== 'ident' && t.text !== '*')) this.fail('expected a property name after "."');
        node = { t: 'prop', obj: node, key: t.text === '*' ? '*' : { t: 'lit', v: t.text } };
      } else if (this.peek('[')) {
        this.pos++;
        const key: Node | '*' = this.peek('*') ? (this.pos++, '*') : this.or();
        this.take(']');
        node = { t: 'prop', obj: node, key };
      } else {
        return node;
      }
    }
  }
}

function truthy(v: ExprValue): boolean {
  return !(v === false || v === null || v === '' || v === 0 || (typeof v === 'number' && Number.isNaN(v)));
}

function toNumber(v: ExprValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

/** GitHub's conversion of a value to a string (what `${{ }}` leaves in the text). */
function exprToString(v: ExprValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? 'Array' : 'Object';
}

function compare(op: string, l: ExprValue, r: ExprValue): boolean {
  if ((typeof l === 'object' && l !== null) || (typeof r === 'object' && r !== null)) {
    return op === '==' ? l === r : op === '!=' ? l !== r : false;
  }
  // Two strings compare case-insensitively; anything else compares as numbers.
  const [a, b]: Array<string | number> = typeof l === 'string' && typeof r === 'string'
    ? [l.toUpperCase(), r.toUpperCase()]
    : [toNumber(l), toNumber(r)];
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

function lowerStr(v: ExprValue): string {
  return exprToString(v).toLowerCase();
}

const FUNCTIONS: Record<string, (args: ExprValue[]) => ExprValue> = {
  startswith: ([a, b]) => lowerStr(a).startsWith(lowerStr(b)),
  endswith: ([a, b]) => lowerStr(a).endsWith(lowerStr(b)),
  contains: ([a, b]) => (Array.isArray(a) ? a.some((x) => compare('==', x, b)) : lowerStr(a).includes(lowerStr(b))),
  format: ([f, ...rest]) => exprToString(f).replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i) => (m === '{{' ? '{' : m === '}}' ? '}' : exprToString(rest[Number(i)] ?? null))),
  join: ([a, sep]) => (Array.isArray(a) ? a.map(exprToString).join(sep === undefined ? ',' : exprToString(sep)) : exprToString(a)),
  tojson: ([a]) => JSON.stringify(a ?? null, null, 2),
  fromjson: ([a]) => JSON.parse(exprToString(a)),
};

/** Context roots the planner knows; any other root is reported, never guessed. */
export type ExprContext = Record<string, ExprValue>;

function evaluate(node: Node, ctx: ExprContext, src: string): ExprValue {
  switch (node.t) {
    case 'lit': return node.v;
    case 'ctx': {
      const key = Object.keys(ctx).find((k) => k.toLowerCase() === node.name.toLowerCase());
      if (key === undefined) {
        throw new ExpressionError(`"${node.name}" is not known to the planner (known: ${Object.keys(ctx).join(', ')}) in "${src}"`);
      }
      return ctx[key];
    }
    case 'prop': {
      const obj = evaluate(node.obj, ctx, src);
      if (node.key === '*') return Array.isArray(obj) ? obj : obj && typeof obj === 'object' ? Object.values(obj) : [];
      const key = exprToString(evaluate(node.key, ctx, src));
      if (Array.isArray(obj)) return obj[Number(key)] ?? null;
      if (obj && typeof obj === 'object') {
        const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
        return k === undefined ? null : obj[k];
      }
      return null;
    }
    case 'not': return !truthy(evaluate(node.e, ctx, src));
    case 'bin': {
      const l = evaluate(node.l, ctx, src);
      if (node.op === '&&') return truthy(l) ? evaluate(node.r, ctx, src) : l;
      if (node.op === '||') return truthy(l) ? l : evaluate(node.r, ctx, src);
      return compare(node.op, l, evaluate(node.r, ctx, src));
    }
    case 'call': {
      const fn = FUNCTIONS[node.fn];
      if (!fn) throw new ExpressionError(`function "${node.fn}" is not supported by the planner in "${src}"`);
      return fn(node.args.map((a) => evaluate(a, ctx, src)));
    }
  }
}

/** Evaluates one expression (the text between `${{` and `}}`). */
function evaluateExpression(src: string, ctx: ExprContext): ExprValue {
  return evaluate(new Parser(tokenize(src), src).parse(), ctx, src);
}

/** Replaces every `${{ ... }}` in a line by its value as a string. */
export function substituteExpressions(line: string, ctx: ExprContext): string {
  let out = '';
  let i = 0;
  for (;;) {
    const start = line.indexOf('${{', i);
    if (start < 0) return out + line.slice(i);
    const end = findClose(line, start + 3);
    if (end < 0) throw new ExpressionError('"${{" without a closing "}}"');
    out += line.slice(i, start) + exprToString(evaluateExpression(line.slice(start + 3, end), ctx));
    i = end + 2;
  }
}

/** The index of the `}}` closing an expression, skipping string literals. */
function findClose(line: string, from: number): number {
  let inString = false;
  for (let j = from; j < line.length - 1; j++) {
    if (line[j] === "'") inString = !inString;
    else if (!inString && line[j] === '}' && line[j + 1] === '}') return j;
  }
  return -1;
}
