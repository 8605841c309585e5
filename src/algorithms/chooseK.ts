// SPDX-License-Identifier: MIT
/**
 * Choosing the number of clusters: k-means for every k of a range, each scored by inertia,
 * silhouette, Calinski-Harabasz and Davies-Bouldin; the elbow of the inertia curve by Kneedle
 * (kneedle.ts: offline, first knee, sensitivity S); and one recommended k with the reason in words.
 *
 * The search does not fit the whole table for every k:
 * - it runs on a uniform sample of `sampleSize` rows (default 20,000; all rows when there are
 *   no more than that), the same rows for every k; `search` in the result says which;
 * - each of the `nInit` runs draws one greedy k-means++ sequence of kMax centers on those rows
 *   (seedSequence.ts), and every k starts that run from the sequence's first k centers: k-means++
 *   draws centers one after another, so a prefix of the sequence is a k-means++ seeding of its
 *   own length, and the seeding is done once per run, not once per run and k;
 * - the search's runs are Lloyd's algorithm only (`searchRefine`, default false): the refinement
 *   after Lloyd (the swap search, Hartigan's moves; KMeansOptions.refine) is the costly part of a
 *   run from given centers and changes the inertia little (bench/chooseK.ts at 10^5 × 51 with
 *   the k-means of commit 6fcebe4: a refined search run on 20,000 rows took 0.4-17 s, a Lloyd
 *   run 0.02-0.1 s; the refinement moved 0 to 10 rows of 10^5), so it is spent once, on the fit
 *   that is kept;
 * - the recommended k is then fitted once on all rows, starting from the search's best centers
 *   for that k (Lloyd's iterations, then the refinement unless `kmeans.refine` is false): that
 *   fit is `model`.
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
 * Scores are computed on the search rows. Silhouette is exact up to `silhouetteSampleSize` of
 * them (default 10,000; it costs O(s²·d)) and computed on that many sampled rows above it, the
 * same rows for every k.
 *
 * References: Satopää et al. 2011 (Kneedle); Rousseeuw 1987 (silhouette); Caliński & Harabasz
 * 1974; Davies & Bouldin 1979; yellowbrick's KElbowVisualizer (the elbow as Kneedle finds it);
 * Arthur & Vassilvitskii 2007 (k-means++).
 */
import type { BackendName } from '../backend/backend.js';
import { abortSignal, boolean, checkAtMostRows, func, integer, number, oneOf, optional, options, partial, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError, ParameterError, throwIfCancelled } from '../errors.js';
import { selectRows, toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { clusterIndices } from '../metrics/clusterIndices.js';
import { silhouettes } from '../metrics/silhouette.js';
import { Random, randomSeed } from '../random.js';
import { KMEANS_CONSTRAINTS, KMeans, defaultNInit, kmeansFromInits, type KMeansOptions, type KMeansResult } from './kmeans.js';
import { randomInit } from './kmeansInit.js';
import { kneedle } from './kneedle.js';
import { kmeansPlusPlusSequence } from './seedSequence.js';

export interface ChooseKOptions {
  /** Smallest k tried, ≥ 1. Default 2. */
  kMin?: number;
  /** Largest k tried, kMin ≤ kMax ≤ n. Default 10 (or n when n < 10 and kMax is not given). */
  kMax?: number;
  /**
   * Options of every k-means fit (nInit, maxIter, tol, seed, refine, ...), all but k. `nInit`
   * is the number of runs per k in the search (default KMeans's for the search rows: 10 below
   * 10^4 rows, else 3); `init` may be
   * 'k-means++' (default) or 'random' (each run's k centers are then the first k of one random
   * order of the rows), not given centers: the search seeds every k itself.
   */
  kmeans?: Omit<KMeansOptions, 'k'>;
  /**
   * Rows the search runs on, drawn uniformly without replacement (the same rows for every k).
   * Default 20,000: twice the rows that silhouette is scored on by default, so each k's centers
   * come from more rows than its score; measured (bench/chooseK.ts, 10^5 generated users × 51
   * features, k = 2..8, nInit 4, wasm on 2 shared cores), samples of 5,000 to 40,000 rows chose
   * the k that all rows chose for every seed tried, and the whole chooseK took 2.0-2.5 s against
   * 5.5-6.6 s for fitting all rows for every k. With n ≤ sampleSize the search uses all rows
   * (`search.sampled` is false). At least kMax and 2.
   */
  sampleSize?: number;
  /**
   * Refine every run of the search as `kmeans.refine` says (true) or run Lloyd's algorithm only
   * (false, the default: the refinement costs most of a run and changes its inertia by little;
   * the final fit is refined either way, unless `kmeans.refine` is false).
   */
  searchRefine?: boolean;
  /** Silhouette is exact up to this many search rows and sampled (this many rows) above. Default 10,000. */
  silhouetteSampleSize?: number;
  /** Kneedle's sensitivity S. Default 1. */
  sensitivity?: number;
  /** How much lower than the best the elbow's silhouette may be and still win (rule 2). Default 0.02. */
  silhouetteTolerance?: number;
  /** Keep the search's fitted model of 'all' k (default) or of the 'chosen' one only. */
  keepModels?: 'all' | 'chosen';
  /**
   * Checked between k-means runs and scores, and passed to every k-means fit (which checks it
   * between Lloyd iterations): when aborted, chooseK throws a CancelledError naming chooseK.
   * Default: `kmeans.signal`, if given.
   */
  signal?: AbortSignal;
  /**
   * Called after every k-means run of every k (score null); once every k is fitted, when each k
   * is scored (its KScore, in the order of k: silhouette scores all k together), and twice in phase 'final': as the fit of the chosen k on all rows starts (run 0 of
   * 1) and once it is done (run 1 of 1, fraction 1), in that order.
   */
  onProgress?: (progress: ChooseKProgress) => void;
}

/** Scores of one k, on the search rows. */
export interface KScore {
  readonly k: number;
  /** k-means' own inertia (the objective it minimised) on the search rows. */
  readonly inertia: number;
  /** Mean silhouette (exact or on the sample; see ChooseKResult.silhouette); null when undefined (one label). */
  readonly silhouette: number | null;
  readonly calinskiHarabasz: number | null;
  readonly daviesBouldin: number | null;
  /** Distinct labels k-means gave (fewer than k when rows repeat). */
  readonly clusters: number;
  readonly nIter: number;
  readonly converged: boolean;
  /**
   * The best of the k's runs, fitted on the search rows (its labels are those rows', in the
   * order of `search.indices`); null for the k not chosen when keepModels is 'chosen'.
   */
  readonly model: KMeansResult | null;
}

export interface ChooseKProgress {
  /** 'search' while k is being chosen, 'final' for the fit of the chosen k on all rows (as it starts and once done). */
  phase: 'search' | 'final';
  /** The k being fitted or scored; in the final phase, the recommended k. */
  k: number;
  /** While a k is fitted, the k fitted before it; when a k is scored, its 1-based position in the range; of the range's length. */
  done: number;
  total: number;
  /** k-means runs of this k done so far, of `runs` (nInit); in the final phase 0 of 1 as it starts, 1 of 1 once done. */
  run: number;
  runs: number;
  /** The k's scores when it has just been scored, and in the final phase; else null. */
  score: KScore | null;
  /** Share of all of chooseK's work done, 0..1, non-decreasing from call to call; 1 once the final fit is done. */
  fraction: number;
  /** Estimated seconds left, from the time spent so far and the work left; null when unknown. */
  secondsLeft: number | null;
}

export type Recommendation = 'agree' | 'elbow-within-tolerance' | 'silhouette' | 'silhouette-no-elbow' | 'elbow-only' | 'smallest';

export interface ChooseKResult {
  /** Scores for k = kMin..kMax, in order, on the search rows. */
  readonly scores: readonly KScore[];
  /** The elbow of inertia over k by Kneedle (null when none is found), and its difference curve. */
  readonly elbow: { readonly k: number | null; readonly difference: Float64Array; readonly sensitivity: number };
  /** The k with the highest silhouette, or null when no k has one. */
  readonly bestSilhouette: { readonly k: number; readonly value: number } | null;
  /**
   * What the search ran on: `rows` rows, a uniform sample (`sampled`, drawn with `seed`) or all;
   * `indices` are the sampled rows in increasing order (null when all rows were used).
   */
  readonly search: { readonly rows: number; readonly sampled: boolean; readonly seed: number; readonly indices: Int32Array | null };
  /** How silhouette was computed: exactly on the search rows, or on `sampleSize` of them (with `seed`). */
  readonly silhouette: { readonly exact: boolean; readonly sampleSize: number; readonly seed: number };
  /** The recommended k, the rule that chose it, and why in words. */
  readonly recommended: { readonly k: number; readonly rule: Recommendation; readonly reason: string };
  /**
   * The fitted model of the recommended k on all rows: a fit of all rows started from the
   * search's centers for that k, or the search's own fit when that would be the same (all rows
   * searched, and the search refined as the final fit would).
   */
  readonly model: KMeansResult;
  /** The seed of the search (the sample, the seeding, the silhouette sample) and the final fit. */
  readonly seed: number;
  readonly backend: BackendName;
}

const FN = 'chooseK';
type Defaults = Required<Pick<ChooseKOptions, 'kMin' | 'kMax' | 'sampleSize' | 'searchRefine' | 'silhouetteSampleSize' | 'sensitivity' | 'silhouetteTolerance' | 'keepModels'>>;
const DEFAULTS: Defaults = { kMin: 2, kMax: 10, sampleSize: 20_000, searchRefine: false, silhouetteSampleSize: 10_000, sensitivity: 1, silhouetteTolerance: 0.02, keepModels: 'all' };

/**
 * Fits k-means for k = kMin..kMax on a sample of `x` [n, d] (see the notes of this file),
 * recommends one k and fits it on all rows. With s = min(n, sampleSize) search rows, r runs and
 * t = min(s, silhouetteSampleSize): O(r·kMax·(2 + ln kMax)·s·d) seeding, Σ_k r·k-means(s, k),
 * O(t²·(d + kMax − kMin)) for the silhouettes of all k together (each pair's distance once), per
 * k O(s·d) for the other scores, then one k-means(n, k) from
 * given centers. Reproducible with `kmeans.seed`: `new Random(seed)` draws the sample (when
 * there is one), then one seed per run, which draws that run's k-means++ sequence and seeds its
 * fits; silhouette's sample and the final fit use `seed` itself.
 * @example
 * const x = plantedSample({ rows: 600, segments: 4, seed: 1 }).x;
 * const r = await chooseK(x, { kMin: 2, kMax: 8, kmeans: { nInit: 4, seed: 1 }, onProgress: (p) => console.log(`${p.phase} k = ${p.k}: ${Math.round(100 * p.fraction)}%`) });
 * r.recommended; // { k: 2, rule: 'silhouette', … }: the elbow is at the 4 planted segments, but k = 2 separates better
 * r.recommended.reason; // 'k = 2: silhouette 0.58 is the highest of k = 2..8; the elbow of inertia at k = 4 has silhouette 0.49, more than 0.02 lower'
 * r.search; // { rows: 600, sampled: false, … }: at most sampleSize (20,000) rows, the search uses them all
 * r.model.labels.length; // 600: the fit of the recommended k on all rows
 */
export async function chooseK(x: MatrixLike, options: ChooseKOptions = {}): Promise<ChooseKResult> {
  const m = toMatrix(x, FN, 'X', { copy: false });
  const n = m.rows;
  const o: Defaults & ChooseKOptions = { ...DEFAULTS, ...options, kMax: options.kMax ?? Math.min(DEFAULTS.kMax, n) };
  validate(o, n);
  // chooseK's signal, else one given to k-means: either stops the search.
  const signal = o.signal ?? o.kmeans?.signal;
  /** A k-means fit that, when cancelled, stops as chooseK. */
  const cancellable = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throwIfCancelled(signal, FN);
      throw e;
    }
  };
  const fitKMeans = (options: KMeansOptions, rows: MatrixF32): Promise<KMeansResult> => cancellable(() => new KMeans({ ...options, signal }).fit(rows));
  throwIfCancelled(signal, FN);
  const seed = o.kmeans?.seed ?? randomSeed();
  const total = o.kMax - o.kMin + 1;
  const rng = new Random(seed);

  // The search rows: the same for every k.
  const sampled = n > o.sampleSize;
  const indices = sampled ? Int32Array.from(rng.sample(n, o.sampleSize)).sort() : null;
  const s = indices === null ? m : selectRows(m, indices);
  const exact = s.rows <= o.silhouetteSampleSize;
  const runs = o.kmeans?.nInit ?? defaultNInit(s.rows);

  // One seeding per run for all k.
  const runSeeds = Array.from({ length: runs }, () => rng.fork());
  const sequences = runSeeds.map((runSeed) => {
    const runRng = new Random(runSeed);
    return o.kmeans?.init === 'random' ? randomInit(s, null, o.kMax, runRng) : kmeansPlusPlusSequence(s, o.kMax, runRng).centers;
  });

  // The final fit refines as kmeans.refine says; without sampling, and when the search refined
  // the same way, it could only repeat the search's fit of that k, which is kept instead.
  const finalRefine = o.kmeans?.refine ?? true;
  const searchRefines = o.searchRefine && finalRefine;
  const refit = sampled || finalRefine !== searchRefines;
  const work = new Work(o, s.rows, refit ? n : 0, runs);
  const report = (p: Omit<ChooseKProgress, 'fraction' | 'secondsLeft'>, units: number): void => {
    work.add(units);
    const finished = p.phase === 'final' && p.run === p.runs;
    o.onProgress?.({ ...p, fraction: finished ? 1 : work.fraction(), secondsLeft: finished ? 0 : work.secondsLeft() });
  };

  const searchKMeans: Omit<KMeansOptions, 'k'> = { ...o.kmeans, refine: searchRefines };
  /** Each k's best fit and its other scores, kept until every k is fitted and silhouette scores them together. */
  const fitted: Array<{ k: number; best: KMeansResult; clusters: number; scorable: boolean; separation: Awaited<ReturnType<typeof clusterIndices>> | null }> = [];
  for (let k = o.kMin; k <= o.kMax; k++) {
    const done = k - o.kMin;
    let model: KMeansResult | null = null;
    const inits = sequences.map((seq) => ({ data: seq.subarray(0, k * s.cols), rows: k, cols: s.cols }));
    if (!searchRefines) {
      // The runs of one k share the rows' centering, upload and Lloyd session: the same fits.
      const userOnRun = searchKMeans.onRun;
      model = await cancellable(() =>
        kmeansFromInits(s, inits, runSeeds, {
          ...searchKMeans,
          k,
          signal,
          onRun: (p) => {
            userOnRun?.(p);
            report({ phase: 'search', k, done, total, run: p.run, runs, score: null }, work.run(k));
          },
        }),
      );
    } else {
      for (let r = 0; r < runs; r++) {
        throwIfCancelled(signal, FN);
        const fit = await fitKMeans({ ...searchKMeans, k, init: inits[r], seed: runSeeds[r] }, s);
        if (model === null || fit.inertia < model.inertia) model = fit;
        report({ phase: 'search', k, done, total, run: r + 1, runs, score: null }, work.run(k));
      }
    }
    throwIfCancelled(signal, FN);
    const best = model as KMeansResult;
    const clusters = new Set(best.labels).size;
    const scorable = clusters >= 2 && clusters <= s.rows - 1;
    fitted.push({ k, best, clusters, scorable, separation: scorable ? await clusterIndices(s, best.labels, FN) : null });
  }

  // Silhouette of every k at once: the same rows (all search rows, or the same sample) for every
  // k, so each pair's distance is computed once for all k, not once per k (silhouettes()).
  throwIfCancelled(signal, FN);
  const scorable = fitted.filter((f) => f.scorable);
  const sil = await silhouettes(
    s,
    scorable.map((f) => f.best.labels),
    exact ? {} : { sampleSize: o.silhouetteSampleSize, seed },
  );
  const silhouetteOf = new Map(scorable.map((f, i) => [f.k, sil[i].score]));
  const scores: KScore[] = [];
  for (const [i, { k, best, clusters, separation }] of fitted.entries()) {
    const score: KScore = Object.freeze({
      k,
      inertia: best.inertia,
      silhouette: silhouetteOf.get(k) ?? null,
      calinskiHarabasz: separation?.calinskiHarabasz ?? null,
      daviesBouldin: separation?.daviesBouldin ?? null,
      clusters,
      nIter: best.nIter,
      converged: best.converged,
      model: best,
    });
    scores.push(score);
    report({ phase: 'search', k, done: i + 1, total, run: runs, runs, score }, work.score(k));
  }

  const ks = scores.map((sc) => sc.k);
  const knee = kneedle(ks, scores.map((sc) => sc.inertia), { curve: 'convex', direction: 'decreasing', sensitivity: o.sensitivity });
  const best = bestSilhouette(scores);
  const recommended = Object.freeze(recommendK(scores, knee.knee, o.silhouetteTolerance, `k = ${o.kMin}..${o.kMax}`));
  const chosen = scores.find((sc) => sc.k === recommended.k) as KScore;
  const searchModel = chosen.model as KMeansResult;

  throwIfCancelled(signal, FN);
  // The final fit starts: said before it runs, so that a caller can time it apart from the search.
  report({ phase: 'final', k: recommended.k, done: total, total, run: 0, runs: 1, score: chosen }, 0);
  // One fit of all rows from the search's centers (nInit is 1 with given centers).
  const model = refit ? await fitKMeans({ ...o.kmeans, k: recommended.k, init: searchModel.centroids, seed }, m) : searchModel;
  report({ phase: 'final', k: recommended.k, done: total, total, run: 1, runs: 1, score: chosen }, work.final(recommended.k));

  const kept = o.keepModels === 'all' ? scores : scores.map((sc) => (sc.k === recommended.k ? sc : Object.freeze({ ...sc, model: null })));
  return Object.freeze({
    scores: Object.freeze(kept),
    elbow: Object.freeze({ k: knee.knee, difference: knee.difference, sensitivity: o.sensitivity }),
    bestSilhouette: best,
    search: Object.freeze({ rows: s.rows, sampled, seed, indices }),
    silhouette: Object.freeze({ exact, sampleSize: exact ? s.rows : o.silhouetteSampleSize, seed }),
    recommended,
    model,
    seed,
    backend: model.backend,
  });
}

/**
 * chooseK's work in units of one row-to-center distance (d, common to all, left out), for the
 * progress fraction and the time left. A run of k on s rows costs RUN_PASSES·s·k (Lloyd's
 * iterations and the refinement together, measured: see bench/chooseK.ts), scoring a k costs
 * a share of the t² silhouette pairs (all k together) plus two passes over the rows, and the final fit FINAL_PASSES·n·k (it
 * starts from good centers). Before k is chosen, the final fit is costed at kMax, an upper bound,
 * so the fraction never goes back.
 */
class Work {
  private doneUnits = 0;
  private readonly totalUnits: number;
  private readonly start = performance.now();

  constructor(
    private readonly o: Defaults,
    private readonly searchRows: number,
    private readonly finalRows: number,
    runs: number,
  ) {
    let t = 0;
    for (let k = o.kMin; k <= o.kMax; k++) t += runs * this.run(k) + this.score(k);
    this.totalUnits = t + this.final(o.kMax);
  }

  run(k: number): number {
    return RUN_PASSES * this.searchRows * k;
  }

  score(k: number): number {
    // The silhouettes of all k are one pass over the t² pairs (about twice one k's former cost),
    // shared out over the k.
    const t = Math.min(this.searchRows, this.o.silhouetteSampleSize);
    return k >= 2 ? (2 * t * t) / (this.o.kMax - this.o.kMin + 1) + 2 * this.searchRows * k : 0;
  }

  final(k: number): number {
    return FINAL_PASSES * this.finalRows * k;
  }

  add(units: number): void {
    this.doneUnits += units;
  }

  fraction(): number {
    return Math.min(1, this.doneUnits / this.totalUnits);
  }

  secondsLeft(): number | null {
    const f = this.fraction();
    if (!(f > 0)) return null;
    return ((performance.now() - this.start) / 1000) * ((1 - f) / f);
  }
}

// Calibrated on bench/chooseK.ts (10^5 × 51, k = 2..8, 20,000 search rows, silhouette on 4,000,
// wasm, 2 shared cores): a Lloyd-only run of k = 5 took about 0.015 s, scoring a k 0.1-0.2 s,
// the final fit of k = 5 0.2 s.
const RUN_PASSES = 20;
const FINAL_PASSES = 50;

const { k: _k, ...KMEANS_BUT_K } = KMEANS_CONSTRAINTS;

/** What each option may be. kMin ≤ kMax ≤ n, sampleSize ≥ kMax and the k-means options chooseK sets itself are checked by validate(). */
const CONSTRAINTS: ConstraintTable<ChooseKOptions> = {
  kMin: integer({ min: 1 }),
  kMax: integer({ min: 1 }),
  sampleSize: integer({ min: 2 }),
  silhouetteSampleSize: integer({ min: 2 }),
  silhouetteTolerance: number({ min: 0 }),
  keepModels: oneOf('all', 'chosen'),
  kmeans: optional(options(partial(KMEANS_BUT_K))),
  // kneedle validates the sensitivity; check it here so the error comes before any fit.
  sensitivity: number({ min: 0 }),
  searchRefine: optional(boolean()),
  signal: optional(abortSignal()),
  onProgress: optional(func()),
};

function validate(o: Defaults & ChooseKOptions, n: number): void {
  validateOptions(FN, o, CONSTRAINTS);
  if (o.kMin > o.kMax) throw new ParameterError(FN, 'kMin', `kMin=${o.kMin} is more than kMax=${o.kMax}`);
  checkAtMostRows(FN, 'kMax', o.kMax, n);
  if (o.sampleSize < o.kMax) {
    throw new ParameterError(FN, 'sampleSize', `sampleSize=${o.sampleSize} must be an integer >= 2 and >= kMax=${o.kMax}`);
  }
  if (o.kmeans !== undefined && 'k' in o.kmeans) {
    throw new ParameterError(FN, 'kmeans', 'kmeans options must not set k: chooseK sets it for each fit');
  }
  const init = o.kmeans?.init;
  if (init !== undefined && init !== 'k-means++' && init !== 'random') {
    throw new ParameterError(FN, 'kmeans', "kmeans.init must be 'k-means++' or 'random': chooseK seeds every k itself, so it takes no given centers");
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
