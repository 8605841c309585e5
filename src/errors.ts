// SPDX-License-Identifier: MIT
/**
 * Errors that users of the library can catch by class. Every message names the function and the
 * argument (or row and column) it is about, e.g. `kmeans: k=12 is more than the 10 rows given`.
 */

/** Base class of every error thrown by `segments`. */
export class SegmentsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option or argument is out of its allowed range or of the wrong kind. */
export class ParameterError extends SegmentsError {
  constructor(
    /** The function that was called, e.g. `kmeans`. */
    readonly fn: string,
    /** The argument or option at fault, e.g. `k`. */
    readonly argument: string,
    detail: string,
  ) {
    super(`${fn}: ${detail}`);
  }
}

/** The data cannot be used as given: NaN, infinities, wrong width, no rows. */
export class DataError extends SegmentsError {
  constructor(
    readonly fn: string,
    readonly argument: string,
    detail: string,
    /** Zero-based row of the first offending value, where known. */
    readonly row?: number,
    /** Zero-based column (or its name) of the first offending value, where known. */
    readonly column?: number | string,
  ) {
    super(`${fn}: ${detail}`);
  }
}

/**
 * `err` told again with `detail` (the file's name, its line), keeping its function, argument, row
 * and column, and the stack of where it was raised (for `--verbose`).
 */
export function withDetail(err: DataError, detail: string): DataError {
  const out = new DataError(err.fn, err.argument, detail, err.row, err.column);
  if (err.stack !== undefined) out.stack = `${out.name}: ${out.message}\n${err.stack.split('\n').slice(1).join('\n')}`;
  return out;
}

/** A method that needs a fitted model was called on one that is not fitted. */
export class NotFittedError extends SegmentsError {}

/** The requested compute backend cannot start here; the message says why and what to do. */
export class BackendUnavailableError extends SegmentsError {
  constructor(
    readonly backend: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`backend '${backend}' is unavailable: ${detail}`, options);
  }
}

/** Exhaustiveness guard for `switch` over string-literal unions. */
export function assertUnreachable(x: never): never {
  throw new SegmentsError(`unexpected value ${String(x)}`);
}

/** The caller cancelled the work through its AbortSignal; nothing partial was returned or written. */
export class CancelledError extends SegmentsError {
  constructor(
    /** The function that stopped, e.g. `segment`. */
    readonly fn: string,
    options?: { cause?: unknown },
  ) {
    super(`${fn}: cancelled`, options);
  }
}

/** Throws a CancelledError naming `fn` when `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, fn: string): void {
  if (signal?.aborted === true) throw new CancelledError(fn, { cause: signal.reason });
}
