// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('segments CLI', () => {
  it('sample: segments the planted sample and prints sizes and metrics', async () => {
    const r = await run(['sample', '--rows', '3000', '--k', '4', '--backend', 'wasm', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/backend: wasm \(asked for wasm\)/);
    expect(r.out).toMatch(/silhouette\s+0\.\d{4} \(exact\)/);
    expect(r.out).toMatch(/Calinski-Harabasz/);
    expect(r.out).toMatch(/Davies-Bouldin/);
  });

  it('sample --json: sizes add up to the rows and metrics are finite', async () => {
    const r = await run(['sample', '--rows', '2000', '--k', '5', '--backend', 'cpu', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.backend).toBe('cpu');
    expect(report.segments.reduce((a: number, s: { size: number }) => a + s.size, 0)).toBe(2000);
    for (const key of ['inertia', 'silhouette', 'calinskiHarabasz', 'daviesBouldin']) expect(Number.isFinite(report[key])).toBe(true);
  });

  it('exits 2 with the usage on a usage error, and on a bad option value', async () => {
    expect((await run([])).code).toBe(2);
    const bad = await run(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown command 'frobnicate'[\s\S]*usage: segments sample/);
    expect((await run(['sample', '--rows'])).err).toMatch(/--rows needs a value/);
    const k0 = await run(['sample', '--k', '0', '--backend', 'cpu']);
    expect(k0.code).toBe(2);
    expect(k0.err).toBe('segments: kmeans: k=0 must be an integer >= 1');
  });

  it("exits 1 with one line for a library error ('tensorflow' backend absent)", async () => {
    const r = await run(['sample', '--backend', 'tensorflow']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/@tensorflow\/tfjs-node is not installed/);
  });
});
