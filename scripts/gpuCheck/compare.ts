// SPDX-License-Identifier: MIT
/**
 * Comparisons that record rather than throw: each gives the worst offender as a multiple of its
 * tolerance, so the check can report every kernel and shape, not stop at the first failure.
 */
import { worstOffender } from '../../test/helpers/bounds.js';

/** The outcome of one comparison of one kernel on one shape. */
export interface Verdict {
  /** What was compared, e.g. "distances vs Float64". */
  what: string;
  ok: boolean;
  /** Worst |error| / tolerance over the entries (0 when all are equal); > 1 fails. */
  worstRatio: number;
  /** The worst entry, for a reader: index, value, expected, tolerance. */
  detail: string;
}

/**
 * Holds |actual[i] − expected[i]| ≤ tolerance(i) for every i (a NaN fails). Lengths must agree.
 */
export function within(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: (i: number) => number): Verdict {
  if (actual.length !== expected.length) {
    return { what, ok: false, worstRatio: Number.POSITIVE_INFINITY, detail: `${actual.length} values where ${expected.length} were expected` };
  }
  const { index: worst, ratio: worstRatio } = worstOffender(actual, expected, tolerance);
  const detail = worst < 0 ? 'all equal' : `index ${worst}: ${actual[worst]} vs ${expected[worst]} ± ${tolerance(worst).toPrecision(3)}`;
  return { what, ok: worstRatio <= 1, worstRatio, detail };
}

/** Holds actual[i] === expected[i] for every i. */
export function equal(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): Verdict {
  return within(what, actual, expected, () => 0);
}

/** A verdict from a count of entries that broke a rule (e.g. labels that differ without a tie). */
export function countVerdict(what: string, bad: number, total: number, example: string): Verdict {
  return { what, ok: bad === 0, worstRatio: bad === 0 ? 0 : Number.POSITIVE_INFINITY, detail: bad === 0 ? `all ${total} agree` : `${bad} of ${total}, e.g. ${example}` };
}
