// SPDX-License-Identifier: MIT
/**
 * Reads the value a doc example states in a comment (`model.labels; // Int32Array [0, 0, 1, 1]`)
 * and compares it with what the expression gave. The comment is parsed with the TypeScript parser
 * and evaluated by a small interpreter of literals only: numbers, strings, `true`/`false`/`null`,
 * `NaN`, arrays, objects, arithmetic and `Math.*` (never `eval`). Also understood:
 * - a typed-array prefix, `Int32Array [0, 1]`: the value must be that typed array;
 * - `A or B`: either value (for label permutations);
 * - `{ a: 1, … }` (or `...`): an object with at least these keys; without it, exactly these keys;
 * - prose after the value, after `: `, ` (` or ` — `: `// 4: merges at height ≥ 1 are undone`.
 * A number written as a decimal is compared to its written precision (half a unit in its last
 * digit) or to 1e-9 relative, whichever is looser; integers and arithmetic to 1e-9 relative.
 */
import ts from 'typescript';

export type Stated =
  | { kind: 'number'; value: number; tol: number }
  | { kind: 'exact'; value: string | boolean | null | undefined }
  | { kind: 'array'; ctor: string | null; items: Stated[] }
  | { kind: 'object'; entries: Array<[string, Stated]>; partial: boolean }
  | { kind: 'any'; options: Stated[] };

const TYPED = /^((?:Int8|Uint8|Uint8Clamped|Int16|Uint16|Int32|Uint32|Float32|Float64|BigInt64|BigUint64)Array)\s+(?=\[)/;
const PARTIAL = '\u2026partial';

function relTol(v: number): number {
  return Math.max(1e-9 * Math.abs(v), 1e-12);
}

/** Tolerance of a number literal as written: `0.62` to ±0.005, `4` and `1e-3` to 1e-9 relative. */
function literalTol(text: string, v: number): number {
  const m = /^\d*\.(\d+)$/.exec(text);
  return m === null ? relTol(v) : Math.max(relTol(v), 0.5 * 10 ** -m[1].length);
}

class NotLiteral extends Error {}

function evaluate(node: ts.Expression, sf: ts.SourceFile): Stated {
  if (ts.isParenthesizedExpression(node)) return evaluate(node.expression, sf);
  if (ts.isNumericLiteral(node)) {
    const v = Number(node.text);
    return { kind: 'number', value: v, tol: literalTol(node.getText(sf), v) };
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'exact', value: node.text };
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'exact', value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'exact', value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { kind: 'exact', value: null };
  if (ts.isIdentifier(node)) {
    if (node.text === 'NaN') return { kind: 'number', value: NaN, tol: 0 };
    if (node.text === 'Infinity') return { kind: 'number', value: Infinity, tol: 0 };
    if (node.text === 'undefined') return { kind: 'exact', value: undefined };
    throw new NotLiteral(node.text);
  }
  if (ts.isPrefixUnaryExpression(node)) {
    const v = number(evaluate(node.operand, sf));
    if (node.operator === ts.SyntaxKind.MinusToken) return { kind: 'number', value: -v.value, tol: v.tol };
    if (node.operator === ts.SyntaxKind.PlusToken) return v;
    throw new NotLiteral('unary');
  }
  if (ts.isBinaryExpression(node)) {
    const a = number(evaluate(node.left, sf)).value;
    const b = number(evaluate(node.right, sf)).value;
    const ops: Partial<Record<ts.SyntaxKind, number>> = {
      [ts.SyntaxKind.PlusToken]: a + b,
      [ts.SyntaxKind.MinusToken]: a - b,
      [ts.SyntaxKind.AsteriskToken]: a * b,
      [ts.SyntaxKind.SlashToken]: a / b,
      [ts.SyntaxKind.AsteriskAsteriskToken]: a ** b,
    };
    const v = ops[node.operatorToken.kind];
    if (v === undefined) throw new NotLiteral('operator');
    return { kind: 'number', value: v, tol: relTol(v) };
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Math') {
    const v = (Math as unknown as Record<string, unknown>)[node.name.text];
    if (typeof v !== 'number') throw new NotLiteral('Math');
    return { kind: 'number', value: v, tol: relTol(v) };
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const callee = node.expression;
    const fn = ts.isIdentifier(callee.expression) && callee.expression.text === 'Math' ? (Math as unknown as Record<string, unknown>)[callee.name.text] : undefined;
    if (typeof fn !== 'function') throw new NotLiteral('call');
    const v = (fn as (...a: number[]) => number)(...node.arguments.map((a) => number(evaluate(a, sf)).value));
    return { kind: 'number', value: v, tol: relTol(v) };
  }
  if (ts.isArrayLiteralExpression(node)) return { kind: 'array', ctor: null, items: node.elements.map((e) => evaluate(e, sf)) };
  if (ts.isObjectLiteralExpression(node)) {
    const entries: Array<[string, Stated]> = [];
    let partial = false;
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) throw new NotLiteral('property');
      if (p.name.text === PARTIAL) partial = true;
      else entries.push([p.name.text, evaluate(p.initializer, sf)]);
    }
    return { kind: 'object', entries, partial };
  }
  throw new NotLiteral(ts.SyntaxKind[node.kind]);
}

function number(s: Stated): Extract<Stated, { kind: 'number' }> {
  if (s.kind !== 'number') throw new NotLiteral('not a number');
  return s;
}

/** One value, or null when `text` is not a literal as a whole. */
function parseWhole(text: string): Stated | null {
  const typed = TYPED.exec(text);
  const body = (typed === null ? text : text.slice(typed[0].length)).replace(/,?\s*(?:\.\.\.|\u2026)\s*\}/g, `, '${PARTIAL}': 0 }`);
  const sf = ts.createSourceFile('stated.ts', `(${body}\n)`, ts.ScriptTarget.ES2022, true);
  const diagnostics = (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics;
  const stmt = sf.statements[0];
  if (diagnostics.length > 0 || sf.statements.length !== 1 || !ts.isExpressionStatement(stmt)) return null;
  try {
    const value = evaluate(stmt.expression, sf);
    if (typed === null) return value;
    return value.kind === 'array' ? { ...value, ctor: typed[1] } : null;
  } catch (err) {
    if (err instanceof NotLiteral) return null;
    throw err;
  }
}

/** `A or B or C`, each a value; alternatives without a typed-array prefix take the first one's. */
function parseAlternatives(text: string): Stated | null {
  const parts = text.split(' or ');
  const options: Stated[] = [];
  let ctor: string | null = null;
  for (const part of parts) {
    const s = parseWhole(part.trim());
    if (s === null) return null;
    if (s.kind === 'array') {
      if (s.ctor !== null) ctor = s.ctor;
      options.push(s.ctor === null && ctor !== null ? { ...s, ctor } : s);
    } else options.push(s);
  }
  return options.length === 1 ? options[0] : { kind: 'any', options };
}

/**
 * The value a comment states, or null where it states none that can be read. The longest prefix
 * that is a value wins, where the rest is prose introduced by `: `, ` (`, ` — ` or `; `.
 */
export function parseStated(comment: string): Stated | null {
  const text = comment.trim();
  const cuts = [text.length];
  for (const m of text.matchAll(/: | \(| \u2014 |; /g)) cuts.push(m.index);
  cuts.sort((a, b) => b - a);
  for (const cut of cuts) {
    const s = parseAlternatives(text.slice(0, cut).trim());
    if (s !== null) return s;
  }
  return null;
}

function show(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  try {
    return JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

function atFloat32(s: Stated): Stated {
  return s.kind === 'number' ? { ...s, tol: Math.max(s.tol, 2 ** -21 * Math.abs(s.value)) } : s;
}

/** Where `actual` differs from what was stated: an empty list when it matches. */
export function mismatches(actual: unknown, want: Stated, path = 'value'): string[] {
  switch (want.kind) {
    case 'any': {
      const each = want.options.map((o) => mismatches(actual, o, path));
      return each.some((m) => m.length === 0) ? [] : [`${path}: ${show(actual)} is none of the alternatives (${each.map((m) => m[0]).join('; ')})`];
    }
    case 'number': {
      const a = typeof actual === 'bigint' ? Number(actual) : actual;
      if (typeof a !== 'number') return [`${path}: got ${show(actual)}, want the number ${want.value}`];
      if (Number.isNaN(want.value) ? Number.isNaN(a) : a === want.value || Math.abs(a - want.value) <= want.tol) return [];
      return [`${path}: got ${a}, want ${want.value} (±${want.tol})`];
    }
    case 'exact':
      return actual === want.value ? [] : [`${path}: got ${show(actual)}, want ${show(want.value)}`];
    case 'array': {
      const isArray = Array.isArray(actual) || (ArrayBuffer.isView(actual) && !(actual instanceof DataView));
      if (!isArray) return [`${path}: got ${show(actual)}, want an array`];
      const arr = actual as ArrayLike<unknown>;
      if (want.ctor !== null && (actual as object).constructor.name !== want.ctor) return [`${path}: got a ${(actual as object).constructor.name}, want a ${want.ctor}`];
      if (arr.length !== want.items.length) return [`${path}: got ${show(actual)} (length ${arr.length}), want length ${want.items.length}`];
      // A Float32Array holds 24 bits: its numbers are compared to a few float32 ulps at least.
      const items = actual instanceof Float32Array ? want.items.map(atFloat32) : want.items;
      return items.flatMap((w, i) => mismatches(arr[i], w, `${path}[${i}]`));
    }
    case 'object': {
      if (typeof actual !== 'object' || actual === null) return [`${path}: got ${show(actual)}, want an object`];
      const rec = actual as Record<string, unknown>;
      const out = want.entries.flatMap(([k, w]) => mismatches(rec[k], w, `${path}.${k}`));
      if (!want.partial) {
        const wanted = new Set(want.entries.map(([k]) => k));
        const extra = Object.keys(rec).filter((k) => !wanted.has(k) && rec[k] !== undefined);
        if (extra.length > 0) out.push(`${path}: has keys not stated (${extra.join(', ')}); end the object with '…' if it shows only some`);
      }
      return out;
    }
  }
}
