// SPDX-License-Identifier: MIT
/**
 * Doc tests: runs every `@example` in src/ with the public API in scope. A line of the form
 * `await f(...); // <arithmetic>` must give that number (to 1e-5 relative). Runs in the folder of
 * the real data files (test/fixtures/data), so examples can read them by name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { DATA_DIR } from './helpers/data.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function examples(file: string): string[] {
  const out: string[] = [];
  const re = /@example\n((?:\s*\*(?!\/| @).*\n)+)/g;
  for (const m of readFileSync(file, 'utf8').matchAll(re)) {
    out.push(m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n'));
  }
  return out;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

describe('@example blocks in src/', () => {
  const all = sources(SRC).flatMap((f) => examples(f).map((code) => ({ file: f.slice(SRC.length + 1), code })));

  it('finds examples to run', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  for (const { file, code } of all) {
    it(`runs the example in ${file}`, async () => {
      await api.initBackend('cpu', { onWarning: () => {} });
      // Examples name the real data files by their bare names, as a user in that folder would.
      process.chdir(DATA_DIR);
      const checks: string[] = [];
      const body = code
        .split('\n')
        .map((line, i) => {
          const m = /^await (.+); \/\/ ([\d\s+\-*/().]+)$/.exec(line.trim());
          if (m === null) return line.replace(/console\.log\(/g, '(() => {})(');
          checks.push(m[2]);
          return `__check(${i}, await ${m[1]}, ${m[2]});`;
        })
        .join('\n');
      const failures: string[] = [];
      const check = (line: number, got: number, want: number): void => {
        if (!(Math.abs(got - want) <= 1e-5 * Math.abs(want) + 1e-9)) failures.push(`line ${line}: got ${got}, want ${want}`);
      };
      const names = Object.keys(api);
      const run = new AsyncFunction('tf', '__check', 'values', ...names, body);
      await run(tf, check, [1, 2, 3], ...names.map((n) => (api as Record<string, unknown>)[n]));
      expect(failures).toEqual([]);
    });
  }
});
