// SPDX-License-Identifier: MIT
/**
 * The sample skewness behind the log1p 'auto' rule of the pipeline, the count rule of kind
 * inference and the report's log-scale rule (src/report/heavyTail.ts): one definition for all.
 */

/** The sample skewness m3 / m2^1.5 of the finite values (NaN when fewer than 2 or all equal), and their minimum. O(n). */
export function skewness(values: ArrayLike<number>): { skew: number; min: number } {
  let n = 0;
  let mean = 0;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    mean += v;
    if (v < min) min = v;
  }
  if (n < 2) return { skew: NaN, min };
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return { skew: m2 > 0 ? m3 / m2 ** 1.5 : NaN, min };
}
