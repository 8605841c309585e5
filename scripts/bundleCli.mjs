// SPDX-License-Identifier: MIT
// Run after scripts/nodeShims.mjs by `npm run build` and `prepare` (and by bench/install.ts on the
// bench's own build): bundles the CLI (dist/cli/main.js) and the report's worker thread
// (dist/workflow/reportWorker.js) into dist/bundle/, which bin/segments.js runs.
//
// Why: every `segments` command first loads its modules. From dist/, one ES module per source
// file, that is about 400 files for `segments fit` and 300 more (Vega, Vega-Lite) for its report
// thread, each resolved, read and compiled on its own: 0.33 s of CPU for the CLI's modules and
// 0.21 s for the worker's, both at start-up, on the two cores the job then needs. Bundled, the same
// code loads in 0.10 s and 0.07 s (measured here with one import in a fresh process, three times
// each). The library (dist/index.js) stays one module per file: a user's bundler does its own.
//
// What stays outside the bundle, loaded from node_modules as before: TensorFlow.js's packages
// (the CommonJS ones by `require` through dist/vendor, see nodeShims.mjs; the WebGL and WebGPU
// backends only when chosen), and the native or optional packages (webgpu, the DuckDB and
// PostgreSQL clients, canvas that Vega tries, tsx that only a run from the sources uses). Code
// reached only by a dynamic import (the database clients' wrappers, the report renderer in the
// CLI's own thread) goes in chunks loaded when it is imported.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The packages left to Node's resolution at run time. */
export const EXTERNAL = ['@tensorflow/*', 'webgpu', '@duckdb/*', 'pg', 'canvas', 'tsx', 'tsx/*'];

/** Bundles `dist`/cli/main.js and `dist`/workflow/reportWorker.js into `dist`/bundle/. */
export async function bundleCli(dist) {
  const out = path.join(dist, 'bundle');
  await rm(out, { recursive: true, force: true });
  const result = await build({
    // The names matter: reportThread.ts starts `new URL('./reportWorker.js', import.meta.url)`,
    // which from dist/bundle/cli.js is dist/bundle/reportWorker.js.
    entryPoints: { cli: path.join(dist, 'cli', 'main.js'), reportWorker: path.join(dist, 'workflow', 'reportWorker.js') },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // A bundled CommonJS module calls `require`, which an ES module lacks.
    banner: { js: "import { createRequire as __segmentsRequire } from 'node:module'; const require = __segmentsRequire(import.meta.url);" },
    logLevel: 'warning',
    metafile: true,
  });
  const files = Object.values(result.metafile.outputs);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  return `bundleCli: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${path.relative(root, out)}/`;
}

// node scripts/bundleCli.mjs [DIST]: dist/ unless a folder is given (the bench's own build).
if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bundleCli(path.resolve(process.argv[2] ?? path.join(root, 'dist'))));
