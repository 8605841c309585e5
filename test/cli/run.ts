// SPDX-License-Identifier: MIT
/** Runs the CLI in this process with captured output, for the CLI tests. */
import { main } from '../../src/cli/main.js';

export interface RunResult {
  code: number;
  /** stdout lines and raw writes, joined. */
  out: string;
  /** stderr lines, joined. */
  err: string;
  /** Raw progress text written to stderr. */
  progress: string;
}

/** `segments <argv>` with stdout and stderr captured; stderr is not a terminal unless `isTTY`. */
export async function run(argv: string[], options: { isTTY?: boolean } = {}): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  let progress = '';
  const decoder = new TextDecoder();
  const code = await main(argv, {
    out: (l) => out.push(`${l}\n`),
    err: (l) => err.push(l),
    writeOut: (chunk) => out.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk)),
    writeErr: (t) => {
      progress += t;
    },
    isTTY: options.isTTY ?? false,
    columns: 80,
  });
  return { code, out: out.join(''), err: err.join('\n'), progress };
}
