// SPDX-License-Identifier: MIT
/**
 * What the CLI loads before it does anything: the modules reached from src/cli/main.ts by static
 * imports (type-only and dynamic imports left out), as dependency-cruiser resolves them. Vega and
 * Vega-Lite (about 300 modules, 0.15-0.2 s of start-up) load on the report's worker thread or when
 * a command draws a report, never with the CLI; the database clients load with a database address.
 */
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/** The modules reached from `entry` through static value imports. */
async function staticGraph(entry: string): Promise<string[]> {
  const result = await cruise([entry], {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.as\\.ts$|\\.gen\\.ts$' },
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser gave text, not a graph');
  const modules = new Map(result.output.modules.map((m) => [m.source, m]));
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const m = modules.get(queue.shift() as string);
    for (const d of m?.dependencies ?? []) {
      if (d.dynamic || d.dependencyTypes.includes('type-only') || seen.has(d.resolved)) continue;
      seen.add(d.resolved);
      queue.push(d.resolved);
    }
  }
  return [...seen];
}

describe('the CLI at start-up', () => {
  it('loads no chart renderer (Vega, Vega-Lite) and no database client with its own modules', async () => {
    const reached = await staticGraph('src/cli/main.ts');
    expect(reached.length).toBeGreaterThan(50); // the graph was followed
    expect(reached).toContain('src/workflow/segment.ts');
    const heavy = reached.filter((p) => /node_modules\/(vega|vega-lite|pg|@duckdb)(\/|$)/.test(p));
    expect(heavy).toEqual([]);
  }, 120_000);
});
