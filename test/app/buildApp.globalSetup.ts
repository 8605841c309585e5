// SPDX-License-Identifier: MIT
/**
 * Vitest global setup of the browser tests: builds the app with Vite once per run, into a
 * temporary folder, and hands its path to every browser test file (`inject('appDist')`, read by
 * startApp in openApp.ts). Each file used to build the same app into a folder of its own. The
 * folder is removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the app was built into for this run. */
    appDist: string;
  }
}

export default async function buildApp(project: TestProject): Promise<() => void> {
  const dist = mkdtempSync(join(tmpdir(), 'segments-app-dist-'));
  await build({ configFile: fileURLToPath(new URL('../../app/vite.config.ts', import.meta.url)), build: { outDir: dist, emptyOutDir: true }, logLevel: 'error' });
  project.provide('appDist', dist);
  return () => rmSync(dist, { recursive: true, force: true });
}
