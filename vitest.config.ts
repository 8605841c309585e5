import { defineConfig } from 'vitest/config';

/**
 * The files that drive Debian's Chromium (playwright-core). Each launches a browser whose page
 * runs the wasm kernels on threads; the app's end to end files share one Vite build of the app
 * (test/app/buildApp.globalSetup.ts).
 */
const BROWSER = ['test/**/*.browser.test.ts', 'test/app/{accessibility,app,densityAndPairs,largeFile,profileAndRuns,selection}.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One process per file: tfjs keeps one global engine per process, so files never share a
    // backend. Nothing a file starts is fixed (ports are free ones, folders are mkdtemp's, each
    // file's PostgreSQL tables are in a database of its own), so files can run side by side.
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
          exclude: BROWSER,
          // One PostgreSQL server for the run; each file that uses it makes a database of its own.
          globalSetup: ['test/helpers/postgres.globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          globalSetup: ['test/app/buildApp.globalSetup.ts'],
        },
      },
    ],
  },
});
