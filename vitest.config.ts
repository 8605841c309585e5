import { defineConfig } from 'vitest/config';
import { TEST_DAWN_FEATURES } from './test/helpers/dawn.js';

/**
 * The files that drive Debian's Chromium (playwright-core). Each launches a browser whose page
 * runs the wasm kernels on threads; the app's end to end files share one Vite build of the app
 * (test/app/buildApp.globalSetup.ts).
 */
const BROWSER = ['test/**/*.browser.test.ts', 'test/app/{accessibility,app,densityAndPairs,largeFile,profileAndRuns,selection}.test.ts'];

/**
 * Node files that check what a process does on its first call (getGpu installing navigator.gpu):
 * each runs in a process of its own.
 */
const FRESH_PROCESS = ['test/backend/webgpuAdapter.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    // Dawn skips zeroing workgroup memory before each dispatch: test/helpers/dawn.ts says why.
    env: { SEGMENTS_DAWN_FLAGS: `enable-dawn-features=${TEST_DAWN_FEATURES}` },
    hookTimeout: 120_000,
    // Child processes, two at a time. Nothing a file starts is fixed (ports are free ones, folders
    // are mkdtemp's, each file's PostgreSQL tables are in a database of its own), so files can run
    // side by side.
    pool: 'forks',
    // Both projects in one group (the same groupOrder and maxWorkers): two files at a time on the
    // two cores, Node and Chromium files mixed, so that no core waits while the other finishes a
    // long file. The Chromium files used to run one at a time after the rest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          // Dawn's polls for the GPU spaced a millisecond apart instead of a busy loop: why in the file.
          setupFiles: ['test/helpers/dawnPolling.ts', 'test/helpers/tempDirCleanup.ts'],
          exclude: [...BROWSER, ...FRESH_PROCESS],
          // The Node files share their processes (one after another in each): tfjs, the wasm
          // module and src/ are loaded once per process instead of once per file, which was about
          // 40 % of these files' time (an import of 1 s a file). Each test still sets its backend
          // (describeEachBackend) and checks it left no tensor behind.
          isolate: false,
          // One PostgreSQL server for the run; each file that uses it makes a database of its own.
          globalSetup: ['test/helpers/postgres.globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'node-fresh',
          include: FRESH_PROCESS,
          setupFiles: ['test/helpers/dawnPolling.ts', 'test/helpers/tempDirCleanup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          // The folders test/helpers/tempDir.ts made are removed after each file.
          setupFiles: ['test/helpers/tempDirCleanup.ts'],
          // Each file launches its own Chromium; the Node side that drives it (playwright-core,
          // the app's build, the reference runs) is loaded once per process.
          isolate: false,
          globalSetup: ['test/app/buildApp.globalSetup.ts'],
        },
      },
    ],
  },
});
