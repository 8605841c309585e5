// SPDX-License-Identifier: MIT
/**
 * Choosing the number of clusters: k-means for every k of a range, each scored by inertia,
 * silhouette, Calinski-Harabasz and Davies-Bouldin; the elbow of the inertia curve by Kneedle
 * (kneedle.ts: offline, first knee, sensitivity S); and one recommended k with the reason in words.
 *
 * The recommendation, in order:
 * 1. the elbow and the highest silhouette fall on the same k: that k;
 * 2. they differ, but the elbow's silhouette is within `silhouetteTolerance` (default 0.02) of
 *    the highest: the elbow (a silhouette that close is no evidence against it; sampled
 *    silhouettes differ by about that much from sample to sample);
 * 3. they differ by more: the k of the highest silhouette (the elbow is a visual heuristic, the
 *    silhouette measures separation directly);
 * 4. no elbow (Kneedle finds none: fewer than three k, or an inertia curve without a knee): the
 *    highest silhouette;
 * 5. no silhouette (only k = 1, or every clustering had a single label): the elbow, else the
 *    smallest k tried.
 * Ties in silhouette go to the smaller k.
 *
 * Silhouette is exact up to `silhouetteSampleSize` rows (default 10,000; it costs O(n²·d)) and
 * computed on that many sampled rows above it, the same rows for every k. The result keeps the
 * fitted model of every k (or of the recommended one only), so it can be used without refitting.
 *
 * References: Satopää et al. 2011 (Kneedle); Rousseeuw 1987 (silhouette); Caliński & Harabasz
 * 1974; Davies & Bouldin 1979; yellowbrick's KElbowVisualizer (the elbow as Kneedle finds it).
 */
import type { BackendName } from '../backend/backend.js';
import { DataError, ParameterError } from '../errors.js';
import { toMatrix, type MatrixLike } from '../matrix.js';
import { calinskiHarabasz } from '../metrics/calinskiHarabasz.js';
import { daviesBouldin } from '../metrics/daviesBouldin.js';
import { silhouette } from '../metrics/silhouette.js';
import { randomSeed } from '../random.js';
import { KMeans, type KMeansOptions, type KMeansResult } from './kmeans.js';
import { kneedle } from './kneedle.js';

export interface ChooseKOptions {
  /** Smallest k tried, ≥ 1. Default 2. */
  kMin?: number;
  /** Largest k tried, kMin ≤ kMax ≤ n. Default 10 (or n when n < 10 and kMax is not given). */
  kMax?: number;
  /** Options of every k-means fit (nInit, maxIter, tol, seed, refine, ...), all but k. */
  kmeans?: Omit<KMeansOptions, 'k'>;
  /** Silhouette is exact up to this many rows and sampled (this many rows) above. Default 10,000. */
  silhouetteSampleSize?: number;
  /** Kneedle's sensitivity S. Default 1. */
  sensitivity?: number;
  /** How much lower than the best the elbow's silhouette may be and still win (rule 2). Default 0.02. */
  silhouetteTolerance?: number;
  /** Keep the fitted model of 'all' k (default) or of the 'chosen' one only. */
  keepModels?: 'all' | 'chosen';
  /** Called once per k, when its fit and scores are done, in increasing k. */
  onProgress?: (progress: ChooseKProgress) => void;
}

/** Scores of one k. */
export interface KScore {
  readonly k: number;
  /** k-means' own inertia (the objective it minimised). */
  readonly inertia: number;
  /** Mean silhouette (exact or on the sample; see ChooseKResult.silhouette); null when undefined (one label). */
  readonly silhouette: number | null;
  readonly calinskiHarabasz: number | null;
  readonly daviesBouldin: number | null;
  /** Distinct labels k-means gave (fewer than k when rows repeat). */
  readonly clusters: number;
  readonly nIter: number;
  readonly converged: boolean;
  /** The fitted model; null for the k not chosen when keepModels is 'chosen'. */
  readonly model: KMeansResult | null;
}

export interface ChooseKProgress {
  k: number;
  /** 1-based position of k in the range, and the range's length. */
  done: number;
  total: number;
  score: KScore;
}

export type Recommendation = 'agree' | 'elbow-within-tolerance' | 'silhouette' | 'silhouette-no-elbow' | 'elbow-only' | 'smallest';

export interface ChooseKResult {
  /** Scores for k = kMin..kMax, in order. */
  readonly scores: readonly KScore[];
  /** The elbow of inertia over k by Kneedle (null when none is found), and its difference curve. */
  readonly elbow: { readonly k: number | null; readonly difference: Float64Array; readonly sensitivity: number };
  /** The k with the highest silhouette, or null when no k has one. */
  readonly bestSilhouette: { readonly k: number; readonly value: number } | null;
  /** How silhouette was computed: exactly on all rows, or on `sampleSize` sampled rows (with `seed`). */
  readonly silhouette: { readonly exact: boolean; readonly sampleSize: number; readonly seed: number };
  /** The recommended k, the rule that chose it, and why in words. */
  readonly recommended: { readonly k: number; readonly rule: Recommendation; readonly reason: string };
  /** The fitted model of the recommended k. */
  readonly model: KMeansResult;
  /** The seed every k-means fit (and the silhouette sample) used. */
  readonly seed: number;
  readonly backend: BackendName;
}

const FN = 'chooseK';
type Defaults = Required<Pick<ChooseKOptions, 'kMin' | 'kMax' | 'silhouetteSampleSize' | 'sensitivity' | 'silhouetteTolerance' | 'keepModels'>>;
const DEFAULTS: Defaults = { kMin: 2, kMax: 10, silhouetteSampleSize: 10_000, sensitivity: 1, silhouetteTolerance: 0.02, keepModels: 'all' };

/**
 * Fits k-means for k = kMin..kMax on `x` [n, d] and recommends one k. O(Σ_k k-means(k)) plus,
 * per k, O(min(n, s)²·d) for silhouette and O(n·d) for the other scores.
 * @example
 * const x = plantedSample({ rows: 600, seed: 1 }).x;
 * const r = await chooseK(x, { kMin: 2, kMax: 8, kmeans: { nInit: 4, seed: 1 }, onProgress: (p) => console.log(`k = ${p.k} (${p.done}/${p.total})`) });
 * r.recommended.reason; // e.g. 'k = 4: the elbow of inertia (Kneedle), and silhouette 0.62 is the highest of k = 2..8'
 * r.model.labels; // the fit of the recommended k: no refitting needed
 */
export async function chooseK(x: MatrixLike, options: ChooseKOptions = {}): Promise<ChooseKResult> {
  const m = toMatrix(x, FN);
  const n = m.rows;
  const o: Defaults & ChooseKOptions = { ...DEFAULTS, ...options, kMax: options.kMax ?? Math.min(DEFAULTS.kMax, n) };
  validate(o, n);
  const seed = o.kmeans?.seed ?? randomSeed();
  const exact = n <= o.silhouetteSampleSize;
  const total = o.kMax - o.kMin + 1;
  const scores: KScore[] = [];
  for (let k = o.kMin; k <= o.kMax; k++) {
    const model = await new KMeans({ ...o.kmeans, k, seed }).fit(m);
    const clusters = new Set(model.labels).size;
    const scorable = clusters >= 2 && clusters <= n - 1;
    const score: KScore = Object.freeze({
      k,
      inertia: model.inertia,
      silhouette: scorable ? (await silhouette(m, model.labels, exact ? {} : { sampleSize: o.silhouetteSampleSize, seed })).score : null,
      calinskiHarabasz: scorable ? await calinskiHarabasz(m, model.labels) : null,
      daviesBouldin: scorable ? await daviesBouldin(m, model.labels) : null,
      clusters,
      nIter: model.nIter,
      converged: model.converged,
      model,
    });
    scores.push(score);
    o.onProgress?.({ k, done: k - o.kMin + 1, total, score });
  }

  const ks = scores.map((s) => s.k);
  const knee = kneedle(ks, scores.map((s) => s.inertia), { curve: 'convex', direction: 'decreasing', sensitivity: o.sensitivity });
  const best = bestSilhouette(scores);
  const recommended = Object.freeze(recommendK(scores, knee.knee, o.silhouetteTolerance, `k = ${o.kMin}..${o.kMax}`));
  const chosen = scores.find((s) => s.k === recommended.k) as KScore;
  const kept = o.keepModels === 'all' ? scores : scores.map((s) => (s.k === recommended.k ? s : Object.freeze({ ...s, model: null })));
  return Object.freeze({
    scores: Object.freeze(kept),
    elbow: Object.freeze({ k: knee.knee, difference: knee.difference, sensitivity: o.sensitivity }),
    bestSilhouette: best,
    silhouette: Object.freeze({ exact, sampleSize: exact ? n : o.silhouetteSampleSize, seed }),
    recommended,
    model: chosen.model as KMeansResult,
    seed,
    backend: (chosen.model as KMeansResult).backend,
  });
}

function validate(o: Defaults & ChooseKOptions, n: number): void {
  if (!Number.isInteger(o.kMin) || o.kMin < 1) throw new ParameterError(FN, 'kMin', `kMin=${o.kMin} must be an integer >= 1`);
  if (!Number.isInteger(o.kMax) || o.kMax < 1) throw new ParameterError(FN, 'kMax', `kMax=${o.kMax} must be an integer >= 1`);
  if (o.kMin > o.kMax) throw new ParameterError(FN, 'kMin', `kMin=${o.kMin} is more than kMax=${o.kMax}`);
  if (o.kMax > n) throw new ParameterError(FN, 'kMax', `kMax=${o.kMax} is more than the ${n} rows given`);
  if (!Number.isInteger(o.silhouetteSampleSize) || o.silhouetteSampleSize < 2) {
    throw new ParameterError(FN, 'silhouetteSampleSize', `silhouetteSampleSize=${o.silhouetteSampleSize} must be an integer >= 2`);
  }
  if (!(o.silhouetteTolerance >= 0) || !Number.isFinite(o.silhouetteTolerance)) {
    throw new ParameterError(FN, 'silhouetteTolerance', `silhouetteTolerance=${o.silhouetteTolerance} must be a finite number >= 0`);
  }
  if (o.keepModels !== 'all' && o.keepModels !== 'chosen') {
    throw new ParameterError(FN, 'keepModels', `keepModels='${String(o.keepModels)}' must be 'all' or 'chosen'`);
  }
  if (o.kmeans !== undefined && 'k' in o.kmeans) {
    throw new ParameterError(FN, 'kmeans', 'kmeans options must not set k: chooseK sets it for each fit');
  }
  // kneedle validates the sensitivity; check it here so the error comes before any fit.
  if (!(o.sensitivity >= 0) || !Number.isFinite(o.sensitivity)) {
    throw new ParameterError(FN, 'sensitivity', `sensitivity=${o.sensitivity} must be a finite number >= 0`);
  }
  if (n < 1) throw new DataError(FN, 'X', 'X has no rows');
}

/**
 * The recommendation rules of this file's notes, applied to per-k silhouettes (null where a k
 * has none) and the elbow of inertia (null when Kneedle found none). `range` names the k tried
 * in the reason, e.g. "k = 2..10". Ties in silhouette go to the smaller k.
 * @example
 * recommendK([{ k: 2, silhouette: 0.3 }, { k: 3, silhouette: 0.5 }, { k: 4, silhouette: 0.4 }], 3, 0.02, 'k = 2..4');
 * // { k: 3, rule: 'agree', reason: 'k = 3: the elbow of inertia (Kneedle), and silhouette 0.50 is the highest of k = 2..4' }
 */
export function recommendK(
  scores: ReadonlyArray<{ readonly k: number; readonly silhouette: number | null }>,
  elbow: number | null,
  tolerance: number,
  range: string,
): { k: number; rule: Recommendation; reason: string } {
  const best = bestSilhouette(scores);
  const sil = (k: number): number | null => scores.find((s) => s.k === k)?.silhouette ?? null;
  const f = (v: number): string => v.toFixed(2);
  const first = scores[0].k;
  if (scores.length === 1) return { k: first, rule: 'smallest', reason: `k = ${first}: the only k tried` };
  if (best === null) {
    if (elbow !== null) return { k: elbow, rule: 'elbow-only', reason: `k = ${elbow}: the elbow of inertia (Kneedle); no k of ${range} has a silhouette` };
    return { k: first, rule: 'smallest', reason: `k = ${first}: the smallest of ${range}; inertia has no elbow and no k has a silhouette` };
  }
  const highest = `silhouette ${f(best.value)} is the highest of ${range}`;
  if (elbow === null) {
    return { k: best.k, rule: 'silhouette-no-elbow', reason: `k = ${best.k}: ${highest}; inertia has no elbow (Kneedle found none)` };
  }
  if (elbow === best.k) return { k: elbow, rule: 'agree', reason: `k = ${elbow}: the elbow of inertia (Kneedle), and ${highest}` };
  const atElbow = sil(elbow);
  if (atElbow !== null && atElbow >= best.value - tolerance) {
    return {
      k: elbow,
      rule: 'elbow-within-tolerance',
      reason: `k = ${elbow}: the elbow of inertia (Kneedle); its silhouette ${f(atElbow)} is within ${tolerance} of the highest of ${range}, ${f(best.value)} at k = ${best.k}`,
    };
  }
  const elbowPart = atElbow === null ? 'has no silhouette' : `has silhouette ${f(atElbow)}, more than ${tolerance} lower`;
  return { k: best.k, rule: 'silhouette', reason: `k = ${best.k}: ${highest}; the elbow of inertia at k = ${elbow} ${elbowPart}` };
}

function bestSilhouette(scores: ReadonlyArray<{ readonly k: number; readonly silhouette: number | null }>): { k: number; value: number } | null {
  let best: { k: number; value: number } | null = null;
  for (const s of scores) if (s.silhouette !== null && (best === null || s.silhouette > best.value)) best = { k: s.k, value: s.silhouette };
  return best;
}
