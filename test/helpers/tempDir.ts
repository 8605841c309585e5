// SPDX-License-Identifier: MIT
/**
 * Temporary folders for the tests: made under the system's temporary folder and removed after
 * the test file that made them (tempDirCleanup.ts, a setup file of every project, runs
 * removeTempDirs after each file), so that a run leaves nothing behind: it used to leave about 50
 * folders in /tmp, some of them megabytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new, empty folder named `prefix` and six random characters, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this process so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
