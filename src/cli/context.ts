// SPDX-License-Identifier: MIT
/**
 * What a command runs with: where its output goes (stdout lines and bytes, stderr lines), whether
 * stderr is a terminal, progress, and the common flags. Tests pass their own `CliIo` to capture
 * output; the real CLI uses the process streams.
 */
import type { ParsedArgs } from './args.js';
import { Progress, progressMode } from './progress.js';

/** The streams a command writes to. */
export interface CliIo {
  /** One line of stdout (a newline is added). */
  out(line: string): void;
  /** One line of stderr (a newline is added). */
  err(line: string): void;
  /** Raw text or bytes to stdout (a CSV piped out). */
  writeOut(chunk: string | Uint8Array): void;
  /** Raw text to stderr (the progress line). */
  writeErr(text: string): void;
  /** Whether stderr is a terminal. */
  isTTY: boolean;
  /** Terminal width, for the progress line. */
  columns?: number;
}

/** The process's streams. */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    writeOut: (chunk) => process.stdout.write(chunk),
    writeErr: (text) => process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
  };
}

/** A command's context. */
export interface Context {
  io: CliIo;
  args: ParsedArgs;
  progress: Progress;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  /** A note on stderr (a summary, a warning), unless --quiet. Clears the progress line first. */
  note(line: string): void;
}

/** The context of a command run with `args`. */
export function makeContext(io: CliIo, args: ParsedArgs): Context {
  const verbose = args.bool('verbose');
  const quiet = args.bool('quiet');
  const progress = new Progress(io.writeErr, progressMode({ isTTY: io.isTTY, verbose, quiet }), io.columns);
  return {
    io,
    args,
    progress,
    json: args.bool('json'),
    verbose,
    quiet,
    note(line: string): void {
      if (quiet) return;
      progress.clear();
      io.err(line);
    },
  };
}
