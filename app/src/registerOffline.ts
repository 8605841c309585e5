// SPDX-License-Identifier: MIT
/**
 * Offline use: in the built app, a service worker (app/sw.js, written to dist/sw.js by the build) keeps a copy of every built
 * file (its list is written by the build), so that the page, its worker and the
 * .wasm files load again without a network once the page has been opened. Not in the dev
 * server (`__OFFLINE_COPY__` is false there: it writes no sw.js). Not `import.meta.env.PROD`,
 * which is false in a build run where NODE_ENV is not 'production' (e.g. from vitest).
 */
export {};
if (__OFFLINE_COPY__ && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((err: unknown) => {
    // Offline use is a convenience: the app works without it, so this is not an error.
    console.info(`segments: offline copy not available: ${String(err)}`);
  });
}
