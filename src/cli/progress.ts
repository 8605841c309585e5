// SPDX-License-Identifier: MIT
/**
 * Progress on stderr for the steps that take more than a moment. On a terminal it is one line,
 * rewritten in place; when stderr is not a terminal nothing is written (logs stay clean), unless
 * `--verbose` asks for plain lines; `--quiet` silences it everywhere.
 */

/** How progress is shown: one updating line, plain lines, or not at all. */
export type ProgressMode = 'tty' | 'lines' | 'off';

/** The mode for a stderr that is (or is not) a terminal and the flags given. */
export function progressMode(options: { isTTY: boolean; verbose: boolean; quiet: boolean }): ProgressMode {
  if (options.quiet) return 'off';
  if (options.isTTY) return 'tty';
  return options.verbose ? 'lines' : 'off';
}

const CLEAR_LINE = '\r\x1b[2K';

/** Writes progress messages to a raw stderr writer in the chosen mode. */
export class Progress {
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly write: (text: string) => void,
    readonly mode: ProgressMode,
    /** Terminal width: a tty line is cut to it so that it never wraps (a wrapped line cannot be rewritten). */
    private readonly columns = 100,
  ) {}

  /** Shows `message` as the current step. */
  update(message: string): void {
    if (this.mode === 'off') return;
    if (this.mode === 'lines') {
      this.write(`[${this.elapsed()}] ${message}\n`);
      return;
    }
    const text = `${message}`;
    const width = Math.max(20, this.columns - 1);
    this.write(CLEAR_LINE + (text.length > width ? `${text.slice(0, width - 1)}…` : text));
    this.shown = true;
  }

  /** Removes the tty line, so that the next output starts on a clean line. */
  clear(): void {
    if (this.mode === 'tty' && this.shown) {
      this.write(CLEAR_LINE);
      this.shown = false;
    }
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }
}
