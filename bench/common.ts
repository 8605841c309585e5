// SPDX-License-Identifier: MIT
/** What every bench script shares: a time stamp, the commit, the load, writing its results, running its main. */
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './flags.js';

/** The repository's root folder. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** A local time stamp for result file names: 2026-12-07T0329. */
export function stamp(d: Date): string {
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}`;
}

/** `git args...` in the repository, its output without the last newline; null where git fails. */
export function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
  } catch {
    return null;
  }
}

/** `uptime`'s line (the load averages), or the load averages alone where it is missing. */
export function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`;
  }
}

/** Writes `text` to `path` through a temporary file, so that an interrupted run leaves no half file. */
export function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** A bench's results as `<outDir>/<name>.json` and `.md`. */
export function writeResults(outDir: string, name: string, results: unknown, md: string): void {
  writeAtomic(join(outDir, `${name}.json`), `${JSON.stringify(results, null, 1)}\n`);
  writeAtomic(join(outDir, `${name}.md`), md);
}

/** Runs a bench's main: a usage error prints the message and the help (exit 2), any other error its stack (exit 1). */
export function runMain(label: string, help: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${label}: ${err.message}\n\n${help}`);
      process.exit(2);
    }
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
}
