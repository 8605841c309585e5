// SPDX-License-Identifier: MIT
/** Timing with warm-up and medians; each timed call ends by reading a result back, so the GPU work is done. */

/** One measurement. */
export interface Timing {
  /** Median wall time of the timed repetitions, ms. */
  ms: number;
  /** Repetitions timed (after the warm-up). */
  reps: number;
}

/**
 * Times `f` (which must await its results): `warmup` untimed calls, then repetitions until `reps`
 * are done or `budgetMs` has passed (at least one), and returns the median.
 */
export async function timeIt(f: () => Promise<void>, o: { warmup?: number; reps?: number; budgetMs?: number } = {}): Promise<Timing> {
  for (let i = 0; i < (o.warmup ?? 1); i++) await f();
  const reps = o.reps ?? 5;
  const budget = o.budgetMs ?? Number.POSITIVE_INFINITY;
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < reps && (samples.length === 0 || performance.now() - start < budget)) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const ms = samples.length % 2 === 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
  return { ms, reps: samples.length };
}
