// SPDX-License-Identifier: MIT
/**
 * Doc tests: every `@example` block in the TSDoc of src/**\/*.ts runs as a test named after its
 * file and declaration, with the file's own exports, the public API (src/index.ts), `tf` and
 * `arrow` in scope, on the cpu backend (an example may start another itself).
 *
 * A comment after a statement states its result and is checked (test/helpers/statedValue.ts):
 * `expr; // value` compares the awaited value of `expr`, `const name = expr; // value` that of
 * `name`, and a whole-line comment right under an expression statement states that statement's
 * value. A result comment that states nothing readable must begin with "e.g." (an illustration,
 * not checked), else the test fails. Whole-line comments before code are narration.
 *
 * The examples' code is rewritten with the TypeScript parser (checks inserted) and transpiled by
 * TypeScript; the modules are real imports. Examples run in test/fixtures/data, so they read the
 * real datasets by their bare names ('Mall_Customers.csv'), as a user in that folder would.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import * as tf from '@tensorflow/tfjs-core';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { DATA_DIR } from './helpers/data.js';
import { mismatches, parseStated, type Stated } from './helpers/statedValue.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

interface Example {
  file: string; // relative to src/, with '/'
  name: string; // the declaration the comment documents
  line: number; // of the @example tag, 1-based
  code: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
    });
}

/** The names of the declarations that TSDoc comments document, by the comment's start offset. */
function documentedNames(sf: ts.SourceFile): Map<number, string> {
  const names = new Map<number, string>();
  const text = sf.text;
  const nameOf = (node: ts.Node): string | null => {
    if (ts.isVariableStatement(node)) return node.declarationList.declarations[0]?.name.getText(sf) ?? null;
    const named = node as ts.Node & { name?: ts.Node };
    if (named.name === undefined) return null;
    const own = named.name.getText(sf);
    const parent = node.parent;
    return (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && parent.name !== undefined ? `${parent.name.text}.${own}` : own;
  };
  const visit = (node: ts.Node): void => {
    for (const c of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      if (!names.has(c.pos) && text.startsWith('/**', c.pos)) {
        const n = nameOf(node);
        if (n !== null) names.set(c.pos, n);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return names;
}

/** Every `@example` of one file: from the tag to the next `@tag` or the end of the comment. */
function examplesOf(path: string): Example[] {
  const text = readFileSync(path, 'utf8');
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const names = documentedNames(sf);
  const file = relative(SRC, path).split('\\').join('/');
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = m[0].slice(3, -2).split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const firstLine = text.slice(0, m.index).split('\n').length;
    let code: string[] | null = null;
    const flush = (): void => {
      if (code !== null) out.push({ file, name: names.get(m.index) ?? `comment at line ${firstLine}`, line: exampleLine, code: code.filter((l) => !/^```/.test(l)).join('\n').trim() });
      code = null;
    };
    let exampleLine = 0;
    lines.forEach((l, i) => {
      if (/^\s*@\w/.test(l)) {
        flush();
        if (/^\s*@example\b/.test(l)) {
          code = [];
          exampleLine = firstLine + i;
        }
      } else if (code !== null) code.push(l);
    });
    flush();
  }
  return out;
}

interface Prepared {
  js: string;
  /** The stated value of each check, by id. */
  stated: Array<{ line: number; text: string; value: Stated }>;
  /** Result comments that state nothing readable and are not marked "e.g.". */
  unmarked: string[];
}

function applyEdits(text: string, edits: Array<{ start: number; end: number; text: string }>): string {
  let out = text;
  let limit = Infinity;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    // A checked statement inside another checked statement: the outer edit would undo the inner.
    if (e.end > limit) throw new Error('an example states a value inside a statement whose value it also states; state one of them');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Inserts the checks and transpiles the example to a JS function body. */
function prepare(code: string): Prepared {
  const head = 'async function __example() {\n';
  const source = `${head}${code}\n}\n`;
  const sf = ts.createSourceFile('example.ts', source, ts.ScriptTarget.ES2022, true);
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line; // 1-based in the example
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const stated: Prepared['stated'] = [];
  const unmarked: string[] = [];
  const claimed = new Set<number>();

  const classify = (comment: ts.CommentRange): Stated | 'marked' | null => {
    const text = source.slice(comment.pos + 2, comment.end).trim();
    if (/^e\.g\./.test(text)) return 'marked';
    return parseStated(text);
  };
  const resultComment = (stmt: ts.Statement): ts.CommentRange | null => {
    const trailing = ts.getTrailingCommentRanges(source, stmt.end)?.find((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    if (trailing !== undefined) return trailing;
    if (!ts.isExpressionStatement(stmt)) return null;
    // A whole-line comment right under an expression statement states its value.
    const next = ts.getLeadingCommentRanges(source, stmt.end)?.[0];
    return next !== undefined && next.kind === ts.SyntaxKind.SingleLineCommentTrivia && lineOf(next.pos) === lineOf(stmt.end) + 1 ? next : null;
  };

  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) {
      const comment = resultComment(node);
      if (comment !== null) {
        claimed.add(comment.pos);
        const kind = classify(comment);
        const text = source.slice(comment.pos + 2, comment.end).trim();
        const line = lineOf(comment.pos);
        const decls = ts.isVariableStatement(node) ? node.declarationList.declarations : null;
        const single = decls !== null && decls.length === 1 && ts.isIdentifier(decls[0].name) ? decls[0].name.text : null;
        if (kind === null || (kind !== 'marked' && decls !== null && single === null)) {
          unmarked.push(`line ${line}: // ${text}`);
        } else if (kind !== 'marked') {
          const id = stated.length;
          stated.push({ line, text, value: kind });
          if (ts.isExpressionStatement(node)) {
            edits.push({ start: node.getStart(sf), end: node.end, text: `__check(${id}, await (${node.expression.getText(sf)}));` });
          } else {
            edits.push({ start: node.end, end: node.end, text: ` __check(${id}, await ${single});` });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);

  // A comment after code on its line that no statement claimed (inside a call, after a `for`).
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, source);
  let lastTokenLine = -1;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const pos = scanner.getTokenStart();
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia) {
      const text = scanner.getTokenText().slice(2).trim();
      if (lineOf(pos) === lastTokenLine && !claimed.has(pos) && !/^e\.g\./.test(text)) unmarked.push(`line ${lineOf(pos)}: // ${text} (no statement it states the value of)`);
    } else if (kind !== ts.SyntaxKind.WhitespaceTrivia && kind !== ts.SyntaxKind.NewLineTrivia && kind !== ts.SyntaxKind.MultiLineCommentTrivia) {
      lastTokenLine = lineOf(pos);
    }
  }

  const rewritten = applyEdits(source, edits);
  const { outputText, diagnostics } = ts.transpileModule(rewritten, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    reportDiagnostics: true,
  });
  if (diagnostics !== undefined && diagnostics.length > 0) {
    throw new Error(`example does not parse: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  }
  return { js: outputText.replace(/export \{\};?/, ''), stated, unmarked };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** Examples print nothing here; what they would print is not what they state. */
const quietConsole = { ...console, log: () => {}, info: () => {}, warn: () => {} };

/**
 * Runs one example with the file's exports, the public API, `tf` and `arrow` in scope, in the
 * folder of the real datasets; throws with every comment it states wrongly or cannot read.
 */
async function runExample(code: string, where: string, module: Record<string, unknown>): Promise<void> {
  const { js, stated, unmarked } = prepare(code);
  if (unmarked.length > 0) {
    throw new Error(`comments in the example at ${where} that state no readable value and are not marked "e.g.":\n${unmarked.join('\n')}`);
  }
  const scope: Record<string, unknown> = { ...api, ...module, tf, arrow, console: quietConsole };
  const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const failures: string[] = [];
  const checked = new Set<number>();
  const check = (id: number, got: unknown): void => {
    checked.add(id);
    const s = stated[id];
    for (const m of mismatches(got, s.value)) failures.push(`line ${s.line} (// ${s.text}): ${m}`);
  };
  const run = new AsyncFunction('__check', ...names, `${js}\nreturn __example();`);
  const cwd = process.cwd();
  // The real datasets by their bare names, as a user in their folder writes them.
  process.chdir(DATA_DIR);
  try {
    await run(check, ...names.map((k) => scope[k]));
  } finally {
    process.chdir(cwd);
  }
  const never = stated.filter((_, id) => !checked.has(id)).map((s) => `line ${s.line} (// ${s.text}) never ran`);
  const problems = [...failures, ...never];
  if (problems.length > 0) throw new Error(`the example at ${where} does not give what it states:\n${problems.join('\n')}`);
}

const all = sources(SRC).flatMap(examplesOf);

describe('@example blocks in src/', () => {
  afterEach(async () => {
    await api.initBackend('cpu', { onWarning: () => {} });
  });

  it('finds every example and the declaration it documents', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.filter((e) => e.name.startsWith('comment at')).map((e) => `${e.file}:${e.line}`)).toEqual([]);
    expect(all.filter((e) => e.code === '').map((e) => `${e.file}:${e.line}`)).toEqual([]);
  });

  const seen = new Map<string, number>();
  for (const ex of all) {
    const base = `${ex.file} ${ex.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    it(n === 1 ? base : `${base} (${n})`, async () => {
      await api.initBackend('cpu', { onWarning: () => {} });
      const module = (await import(/* @vite-ignore */ join(SRC, ex.file))) as Record<string, unknown>;
      await runExample(ex.code, `src/${ex.file}:${ex.line}`, module);
    });
  }
});

describe('the example checker', () => {
  it('fails on a wrong value, a comment it cannot read, a check that never ran', async () => {
    await expect(runExample('const a = 2;\na * 2; // 5', 'x', {})).rejects.toThrow('line 2 (// 5): value: got 4, want 5');
    await expect(runExample('const a = 2; // 3', 'x', {})).rejects.toThrow('got 2, want 3');
    await expect(runExample('[1, 2];\n// [1, 3]', 'x', {})).rejects.toThrow('value[1]: got 2, want 3');
    await expect(runExample('toMatrix([[1]]).rows; // one row', 'x', {})).rejects.toThrow('line 1: // one row');
    await expect(runExample('foo(1, 2 // the two\n);', 'x', { foo: () => 0 })).rejects.toThrow('no statement it states the value of');
    await expect(runExample('if (false) {\n  1; // 1\n}', 'x', {})).rejects.toThrow('line 2 (// 1) never ran');
    await expect(runExample('Promise.resolve(Int32Array.of(1)); // Float64Array [1]', 'x', {})).rejects.toThrow('got a Int32Array, want a Float64Array');
    await expect(runExample('[1].map((v) => {\n  v; // 1\n  return v;\n}); // [1]', 'x', {})).rejects.toThrow('state one of them');
  });

  it('passes stated values, awaited promises, e.g. and narration', async () => {
    await runExample('// narration\nconst a = 2; // 2\nPromise.resolve(a / 3); // 0.67: rounded\n[a, a]; // e.g. anything\n(1 + 1) / 6 ; // 1 / 6 * 2', 'x', {});
  });

  it('reads the values comments state', () => {
    const ok = (text: string, value: unknown): boolean => {
      const s = parseStated(text);
      if (s === null) throw new Error(`cannot read ${text}`);
      return mismatches(value, s).length === 0;
    };
    expect(ok('4: merges at height ≥ 1 are undone', 4)).toBe(true);
    expect(ok('4: merges at height ≥ 1 are undone', 4 + 1e-7)).toBe(false);
    expect(ok('0.62', 0.6249)).toBe(true);
    expect(ok('0.62', 0.6251)).toBe(false);
    expect(ok('Int32Array [0, 1] or [1, 0]', Int32Array.of(1, 0))).toBe(true);
    expect(ok('Int32Array [0, 1] or [1, 0]', Float64Array.of(1, 0))).toBe(false);
    expect(ok('[Math.SQRT1_2] (float32)', Float32Array.of(Math.SQRT1_2))).toBe(true);
    expect(ok('[Math.SQRT1_2]', Float64Array.of(Math.fround(Math.SQRT1_2)))).toBe(false);
    expect(ok("{ a: 1, b: 'x', … }", { a: 1, b: 'x', c: 3 })).toBe(true);
    expect(ok("{ a: 1, b: 'x' }", { a: 1, b: 'x', c: 3 })).toBe(false);
    expect(ok('[2, 0, NaN]', [2, 0, NaN])).toBe(true);
    expect(ok('true', 1)).toBe(false);
    for (const prose of ['four names, one per segment', 'value 3', 'the rows with segment added', '→ [0, 0]']) expect(parseStated(prose)).toBeNull();
  });
});
