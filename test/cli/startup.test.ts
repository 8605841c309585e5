// SPDX-License-Identifier: MIT
/**
 * What the CLI loads before it does anything: the modules reached from src/cli/main.ts by static
 * imports (type-only and dynamic imports left out), as esbuild resolves them: esbuild is what
 * bundles the CLI (scripts/bundleCli.mjs), and like tsc it drops an import used only as a type
 * (dependency-cruiser gave the same graph in 2.9 s instead of 0.14 s). Vega and
 * Vega-Lite (about 300 modules, 0.15-0.2 s of start-up) load on the report's worker thread or when
 * a command draws a report, never with the CLI; the database clients load with a database address.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { SHIMMED, shimName } from '../../scripts/nodeShims.mjs';

/**
 * The files reached from `entry` through static value imports, and the packages (and node:
 * modules) they import that way, from esbuild's metafile of a bundle with every package external.
 */
async function staticGraph(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', splitting: true, outdir: 'unused', packages: 'external', logLevel: 'silent', tsconfig: 'tsconfig.json' });
  const inputs = result.metafile.inputs;
  const files = new Set<string>([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    for (const i of inputs[queue.shift() as string]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue; // dynamic imports load later, when needed
      if (i.external === true) packages.add(i.path);
      else if (!files.has(i.path)) {
        files.add(i.path);
        queue.push(i.path);
      }
    }
  }
  return { files: [...files], packages: [...packages] };
}

describe('the CLI at start-up', () => {
  it('loads no chart renderer (Vega, Vega-Lite) and no database client with its own modules', async () => {
    const reached = await staticGraph('src/cli/main.ts');
    expect(reached.files.length).toBeGreaterThan(50); // the graph was followed
    expect(reached.files).toContain('src/workflow/segment.ts');
    expect(reached.packages).toContain('apache-arrow');
    const heavy = reached.packages.filter((p) => /^(vega|vega-lite|pg|@duckdb\/[^/]+)(\/|$)/.test(p));
    expect(heavy).toEqual([]);
  }, 120_000);

  it("loads TensorFlow.js's CommonJS packages by require in dist/ (scripts/nodeShims.mjs): no module of dist/ imports them, and each shim is the package with every name it exports", async () => {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.js')) files.push(p);
      }
    };
    await walk('dist');
    expect(files.length).toBeGreaterThan(100); // dist/ is built
    const direct: string[] = [];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const pkg of SHIMMED as string[]) if (text.includes(`from '${pkg}'`) || text.includes(`import('${pkg}')`)) direct.push(`${f}: ${pkg}`);
    }
    expect(direct).toEqual([]);
    const require = createRequire(path.resolve('package.json'));
    for (const pkg of SHIMMED as string[]) {
      const shim = await import(pathToFileURL(path.resolve('dist/vendor', shimName(pkg) as string)).href);
      const real = require(pkg);
      expect(shim.default).toBe(real);
      const names = Object.keys(real).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== '__esModule' && n !== 'default');
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) if (!['eval', 'arguments'].includes(n)) expect([n, shim[n]]).toEqual([n, real[n]]);
    }
  }, 120_000);
});
