// SPDX-License-Identifier: MIT
/**
 * Builds the browser app into static files (app/dist): `npm run app:build`, or serves it with
 * hot reload (`npm run app:dev`). Both send the cross-origin isolation headers, so that the wasm
 * kernels can run on Web Workers sharing one memory, as `segments serve` does.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const appRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Loaded by the library in Node only, behind a runtime check: never bundled for the browser. */
const NODE_ONLY = ['webgpu', 'node:fs', 'node:fs/promises'];

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Writes dist/sw.js (the service worker of ./sw.js) with the list of every built file and a
 * version made from their names (which carry content hashes), so a new build replaces the copy.
 */
function offlineCopy(): Plugin {
  return {
    name: 'segments-offline-copy',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.startsWith('.vite/') && !f.endsWith('.map'))
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const body = readFileSync(new URL('./sw.js', import.meta.url), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: `const VERSION = '${version}';\nconst FILES = ${JSON.stringify(files)};\n${body}` });
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [offlineCopy()],
  // The built app registers its service worker; the dev server has none (see registerOffline.ts).
  define: { __OFFLINE_COPY__: JSON.stringify(command === 'build') },
  root: appRoot,
  // Relative asset URLs: the built files work under any path they are served from.
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs and the library make large chunks; they load once and are cached.
    chunkSizeWarningLimit: 8000,
    // The .wasm binaries stay files (served as application/wasm), never inlined as data: URLs.
    assetsInlineLimit: 0,
    rolldownOptions: { external: NODE_ONLY },
  },
  worker: {
    format: 'es',
    rolldownOptions: { external: NODE_ONLY },
  },
  server: {
    headers: ISOLATION_HEADERS,
    fs: { allow: [repoRoot] },
  },
  preview: { headers: ISOLATION_HEADERS },
}));
