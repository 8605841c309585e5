// SPDX-License-Identifier: MIT
/**
 * The Kneedle knee/elbow detector (Satopää, Albrecht, Irwin & Raghavan, "Finding a 'Kneedle' in
 * a Haystack: Detecting Knee Points in System Behavior", ICDCS Workshops 2011), in the variant
 * the `kneed` package uses by default and yellowbrick's KElbowVisualizer relies on:
 *
 * 1. normalise x and y to [0, 1] (min–max; no smoothing: kneed's default `interp1d` evaluates at
 *    the given x, which leaves the points as they are);
 * 2. turn the curve into a concave increasing one: a convex decreasing curve (inertia over k)
 *    becomes 1 − y; a concave decreasing or convex increasing one is mirrored in x (for evenly
 *    spaced x exactly what kneed's flip does);
 * 3. the difference curve D = y − x, and its local maxima and minima (a point at least / at most
 *    as large as each neighbour it has);
 * 4. offline detection, first knee: scanning from the first local maximum, each local maximum
 *    sets the threshold T = D_max − S·(mean spacing of the normalised x), a local minimum resets
 *    it to 0; the first time the next D falls below T, the last local maximum is the knee.
 *    So the knee is the first one found, not necessarily the largest D (kneed's `online=False`).
 *    No knee is found when D never falls below its threshold (too few points, a straight line,
 *    or S too large).
 */
import { number, oneOf, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError } from '../errors.js';

export type KneeCurve = 'convex' | 'concave';
export type KneeDirection = 'decreasing' | 'increasing';

export interface KneedleOptions {
  /** Shape of the curve. Default 'convex' (an elbow, as inertia over k). */
  curve?: KneeCurve;
  /** Default 'decreasing'. */
  direction?: KneeDirection;
  /** Sensitivity S ≥ 0: larger needs a more pronounced knee. Default 1 (the paper's). */
  sensitivity?: number;
}

export interface KneedleResult {
  /** x at the knee, or null when none is found. */
  knee: number | null;
  /** Index of the knee in the input, or null. */
  kneeIndex: number | null;
  /** y at the knee, or null. */
  kneeY: number | null;
  /** [n] the difference curve, in the input's order (each point's D). */
  difference: Float64Array;
  /** Indices (in the input) of the local maxima of the difference curve: the candidate knees. */
  candidates: number[];
}

const FN = 'kneedle';
const CONSTRAINTS: ConstraintTable<KneedleOptions> = {
  curve: oneOf('convex', 'concave'),
  direction: oneOf('decreasing', 'increasing'),
  sensitivity: number({ min: 0 }),
};

/**
 * Finds the knee (elbow) of the curve y(x). x must be strictly increasing; O(n).
 * @example
 * kneedle([1, 2, 3, 4, 5, 6, 7], [100, 50, 10, 9, 8, 7, 6]).knee; // 3
 */
export function kneedle(x: ArrayLike<number>, y: ArrayLike<number>, options: KneedleOptions = {}): KneedleResult {
  const { curve = 'convex', direction = 'decreasing', sensitivity = 1 } = options;
  validateOptions(FN, { curve, direction, sensitivity }, CONSTRAINTS);
  const n = x.length;
  if (y.length !== n) throw new DataError(FN, 'y', `y has ${y.length} values for ${n} x values`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new DataError(FN, 'x', `x[${i}] = ${x[i]} is not finite`, i);
    if (!Number.isFinite(y[i])) throw new DataError(FN, 'y', `y[${i}] = ${y[i]} is not finite`, i);
    if (i > 0 && !(x[i] > x[i - 1])) throw new DataError(FN, 'x', `x must be strictly increasing: x[${i}] = ${x[i]} after ${x[i - 1]}`, i);
  }
  const none: KneedleResult = { knee: null, kneeIndex: null, kneeY: null, difference: new Float64Array(n), candidates: [] };
  if (n < 3) return none;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    yMin = Math.min(yMin, y[i]);
    yMax = Math.max(yMax, y[i]);
  }
  if (yMax === yMin) return none; // flat: no knee
  const xSpan = x[n - 1] - x[0];
  // The concave increasing form: point j of it is input point at(j).
  const mirrored = (curve === 'concave') !== (direction === 'increasing');
  const at = (j: number): number => (mirrored ? n - 1 - j : j);
  const flipY = curve === 'convex';
  const t = new Float64Array(n);
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const i = at(j);
    const xn = (x[i] - x[0]) / xSpan;
    const yn = (y[i] - yMin) / (yMax - yMin);
    t[j] = mirrored ? 1 - xn : xn;
    d[j] = (flipY ? 1 - yn : yn) - t[j];
  }
  const isMax = (j: number): boolean => (j === 0 || d[j] >= d[j - 1]) && (j === n - 1 || d[j] >= d[j + 1]);
  const isMin = (j: number): boolean => (j === 0 || d[j] <= d[j - 1]) && (j === n - 1 || d[j] <= d[j + 1]);
  // Mean spacing of the normalised x: they span [0, 1] in n − 1 steps.
  const step = 1 / (n - 1);
  const difference = new Float64Array(n);
  for (let j = 0; j < n; j++) difference[at(j)] = d[j];
  const candidates: number[] = [];
  for (let j = 0; j < n; j++) if (isMax(j)) candidates.push(at(j));
  candidates.sort((a, b) => a - b);

  let knee = -1;
  let threshold = Number.NEGATIVE_INFINITY;
  let last = -1; // the last local maximum seen
  for (let j = 0; j + 1 < n && knee < 0; j++) {
    if (isMax(j)) {
      last = j;
      threshold = d[j] - sensitivity * step;
    }
    if (last < 0) continue; // before the first local maximum
    if (isMin(j)) threshold = 0;
    if (d[j + 1] < threshold) knee = last;
  }
  if (knee < 0) return { ...none, difference, candidates };
  const i = at(knee);
  return { knee: x[i], kneeIndex: i, kneeY: y[i], difference, candidates };
}
