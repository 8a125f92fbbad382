import { didYouMean, EnumInfo, enumMembers, keyPath, kindOf, Problems } from './problems';

/**
 * A description of what an option may hold, checked before any value rule runs: plain
 * JavaScript callers (a `.projenrc.js`) pass anything, and a wrong type must be named, not crash a
 * later check or be taken as truthy.
 */
export type Shape =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'enum'; readonly info: EnumInfo }
  | { readonly kind: 'array'; readonly of: Shape }
  | { readonly kind: 'map'; readonly of: Shape }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: Readonly<Record<string, Shape>>; readonly whenBoolean?: string; readonly unknownKeyHint?: (key: string) => string | undefined }
  | { readonly kind: 'instance'; readonly name: string; readonly test: (v: unknown) => boolean; readonly make: string };

/** Shape constructors. */
export const S = {
  string: { kind: 'string' } as Shape,
  boolean: { kind: 'boolean' } as Shape,
  number: { kind: 'number' } as Shape,
  enum: (info: EnumInfo): Shape => ({ kind: 'enum', info }),
  array: (of: Shape): Shape => ({ kind: 'array', of }),
  map: (of: Shape): Shape => ({ kind: 'map', of }),
};

/** What opens a GitHub Actions expression; no model string may contain it. */
const EXPRESSION_OPENER = '${{';

/**
 * The rule for every string of the model that ends up in a generated file: GitHub Actions
 * evaluates `${{ }}` in workflow inputs, so such a string could run an expression on the runner.
 * Returns the reason to report, or undefined when the string is safe.
 */
export function expressionProblem(value: string): string | undefined {
  return value.includes(EXPRESSION_OPENER)
    ? `must not contain "${EXPRESSION_OPENER}": GitHub Actions would evaluate it as an expression in the workflow`
    : undefined;
}

/**
 * Checks a value against its shape and returns it with every wrongly typed part left out (so the
 * default applies and no later rule reports the same value again), or undefined when the value
 * itself is wrong. Unknown keys, wrong types, unknown enum values and strings holding an expression
 * are reported with their option path.
 */
export function checkShape(field: string, value: unknown, shape: Shape, p: Problems): unknown {
  if (value === undefined) return undefined;
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') return typeError(field, value, 'a string', p);
      const reason = expressionProblem(value);
      if (reason) {
        p.add(field, value, reason);
        return undefined;
      }
      return value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : typeError(field, value, 'true or false', p);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : typeError(field, value, 'a finite number', p);
    case 'enum':
      if (Object.values(shape.info.members).includes(value as string)) return value;
      p.add(field, value, `is not a ${shape.info.name}; use one of ${enumMembers(shape.info)}`, shape.info);
      return undefined;
    case 'array': {
      if (!Array.isArray(value)) return typeError(field, value, 'an array', p);
      const before = p.list.length;
      const items = value.map((v, i) => (v === undefined ? typeError(`${field}[${i}]`, v, 'a value', p) : checkShape(`${field}[${i}]`, v, shape.of, p)));
      return p.list.length === before ? items : undefined;
    }
    case 'map': {
      if (!isPlainObject(value)) return typeError(field, value, 'an object of names to values', p);
      // Every entry is checked, and what is valid of it kept, so the rules on the keys still run.
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const checked = checkShape(keyPath(field, k), v, shape.of, p);
        if (checked !== undefined) out[k] = checked;
      }
      return out;
    }
    case 'struct': {
      if (!isPlainObject(value)) {
        const hint = typeof value === 'boolean' && shape.whenBoolean ? shape.whenBoolean : undefined;
        return typeError(field, value, `an object (${shape.name})`, p, hint);
      }
      const out: Record<string, unknown> = {};
      const known = Object.keys(shape.fields);
      for (const [k, v] of Object.entries(value)) {
        const path = keyPath(field, k);
        const fieldShape = shape.fields[k];
        if (fieldShape === undefined) {
          const guess = didYouMean(k, known);
          const extra = shape.unknownKeyHint?.(k);
          p.addLine(`${path}: unknown option of ${shape.name}${guess ? `; did you mean "${guess}"?` : ''}${extra ? `; ${extra}` : ''} (known: ${known.join(', ')})`);
          continue;
        }
        const checked = checkShape(path, v, fieldShape, p);
        if (checked !== undefined) out[k] = checked;
      }
      return out;
    }
    case 'instance':
      if (shape.test(value)) return value;
      p.add(field, value, `must be made with ${shape.make}, got ${kindOf(value)}`);
      return undefined;
  }
}

function typeError(field: string, value: unknown, expected: string, p: Problems, hint?: string): undefined {
  p.add(field, value, `must be ${expected}, got ${kindOf(value)}${hint ? `; ${hint}` : ''}`);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
