// SPDX-License-Identifier: MIT
/**
 * The one rule that decides whether a numeric column is drawn on a log scale, in the report and
 * in the app alike (both draw the charts from the same report input): a column the pipeline took
 * log1p of, or one whose finite values are all ≥ 0 with a sample skewness above
 * {@link HEAVY_TAIL_SKEW} (amounts and counts with a long right tail). It is the pipeline's own
 * test for log1p 'auto' (src/data/pipeline.ts) and inferKinds' for counts, applied to amounts too.
 */
import { skewness } from '../data/skewness.js';

/** Sample skewness above which a non-negative column counts as heavy-tailed. */
export const HEAVY_TAIL_SKEW = 1;

export { skewness } from '../data/skewness.js';

/**
 * Whether a column of `values` is drawn on a log scale: `log1pApplied` (the pipeline took log1p
 * of it), or all finite values ≥ 0 and skewness > {@link HEAVY_TAIL_SKEW}.
 * @example
 * isHeavyTailed([0, 0, 0, 1, 1, 2, 50]); // true
 */
export function isHeavyTailed(values: ArrayLike<number>, log1pApplied = false): boolean {
  if (log1pApplied) return true;
  const { skew, min } = skewness(values);
  return min >= 0 && skew > HEAVY_TAIL_SKEW;
}

/** sign(x)·log1p(|x|): Vega's symlog scale with constant 1, the axis the log-scale charts use. */
export function symlog(x: number): number {
  return x >= 0 ? Math.log1p(x) : -Math.log1p(-x);
}

/** The inverse of {@link symlog}. */
export function symexp(y: number): number {
  return y >= 0 ? Math.expm1(y) : -Math.expm1(-y);
}
