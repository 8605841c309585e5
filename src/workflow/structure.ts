// SPDX-License-Identifier: MIT
/**
 * How far the segments can be trusted, said with the figures: the separation (a verdict from the
 * mean silhouette, Kaufman & Rousseeuw's reading: below 0.25 no substantial structure, from 0.5 a
 * reasonable one), the stability (the adjusted Rand index between the fit and a second k-means fit
 * with another seed on sampled rows), and the rows per segment. Uniform random data gets a k and
 * names like any other: these warnings are what tells the user that its segments are arbitrary.
 */
import { KMeans } from '../algorithms/kmeans.js';
import { selectRows, type MatrixF32 } from '../matrix.js';
import { adjustedRandIndex } from '../metrics/adjustedRand.js';
import { silhouetteScore } from '../metrics/silhouette.js';
import { NOISE } from '../model/state.js';
import { Random } from '../random.js';
import type { ResolvedOptions } from './options.js';

/** A warning about the segments' structure, with the figure it rests on and the threshold it crossed. */
export interface StructureWarning {
  /**
   * 'weak-separation': a low silhouette; 'unstable': another seed gives other segments; 'few-rows':
   * too few rows per segment; 'one-segment': mean shift or DBSCAN found fewer than two segments;
   * 'mostly-noise': DBSCAN left more than maxNoiseShare of the rows as noise. The last two name the
   * parameters that would find more.
   */
  code: 'weak-separation' | 'unstable' | 'few-rows' | 'one-segment' | 'mostly-noise';
  /** In a user's words, with the figure. */
  message: string;
  /** The silhouette, the adjusted Rand index, the rows per segment, the segments found, or the noise share. */
  figure: number;
  /** The threshold (from the defaults table) the figure is below. */
  threshold: number;
}

/** What the workflow says about the structure it found. */
export interface StructureCheck {
  separation: {
    /** 'strong' (silhouette ≥ strongSilhouette), 'moderate', 'weak' (< weakSilhouette), or 'unknown' (no silhouette: one segment, or as many segments as rows). */
    verdict: 'strong' | 'moderate' | 'weak' | 'unknown';
    silhouette: number | null;
    /**
     * The silhouette k-means (same k) gets on uniform random rows in the box the features span:
     * what structureless data of this shape scores (a low-dimensional box scores 0.4 at k = 4).
     * Null where it is not computed (fewer than 2 segments, too few rows).
     */
    reference: number | null;
    weakBelow: number;
    /** The silhouette must exceed the reference by this much not to be called weak. */
    minGain: number;
    strongFrom: number;
  };
  /** The adjusted Rand index of the fit against a second fit; null where it is not measured (with why). */
  stability: { ari: number; rows: number; seed: number; unstableBelow: number; seconds: number } | null;
  /** Why stability is null; null when it was measured. */
  stabilityNote: string | null;
  /** Rows per segment on average (noise rows left out), the smallest segment, and the threshold. */
  rowsPerSegment: { mean: number; smallest: number; fewBelow: number };
  warnings: StructureWarning[];
  /** Whether the segment names should read as tentative: weak separation or unstable segments. */
  tentative: boolean;
}

const fmt = (v: number, digits = 2): string => v.toFixed(digits);

/**
 * The silhouette of k-means (k segments, one run of Lloyd's iterations) on `stabilityRows` rows drawn uniformly in the
 * box the features of `x` span (each feature between its min and max): the null reference of the
 * gap statistic (Tibshirani, Walther & Hastie 2001), scored by the silhouette. Null when the box
 * holds too few rows for k segments. O(s·d) to draw, O(nIter·s·k·d) to fit, O(s²·d) to score.
 */
async function referenceSilhouette(x: MatrixF32, k: number, o: ResolvedOptions): Promise<number | null> {
  const s = Math.min(x.rows, o.stabilityRows);
  if (s <= k + 1) return null;
  const { rows: n, cols: d, data: values } = x;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < d; j++, at++) {
      const v = values[at];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const rng = new Random(o.seed + 2);
  const data = new Float32Array(s * d);
  for (let i = 0; i < s; i++) for (let j = 0; j < d; j++) data[i * d + j] = lo[j] + rng.next() * (hi[j] - lo[j]);
  const box = { data, rows: s, cols: d };
  // Lloyd's iterations only: the refinement moves few rows of uniform data and cost three times
  // the Lloyd run here (2,000 rows × 51: 35 against 10 ms); the reference is a null level, not a fit.
  const fit = await new KMeans({ k, nInit: 1, maxIter: o.maxIter, seed: o.seed + 2, refine: false, ...(o.signal === undefined ? {} : { signal: o.signal }) }).fit(box);
  const used = new Set(fit.labels).size;
  return used < 2 ? null : silhouetteScore(box, fit.labels);
}

/**
 * Checks the structure of `labels` [n] on the features `x` [n, d]. The stability fit runs k-means
 * (k the fit's number of segments, `nInit` runs, seed + 1) on `stabilityRows` sampled rows, so its
 * cost is bounded whatever n: O(nInit·nIter·s·k·d) for s sampled rows. Measured for k-means only
 * (another seed means nothing to the deterministic algorithms). The uniform reference adds one
 * k-means run and an exact silhouette on `stabilityRows` rows: O(s²·d).
 * @example
 * const r = await segment({ sample: { rows: 600 } }, { k: 3, nInit: 1, backend: 'wasm' });
 * const check = await checkStructure(r.output.matrix, r.labels, r.metrics.silhouette?.score ?? null, resolveOptions({ k: 3, nInit: 1 }));
 * check.warnings.length; // 0
 */
export async function checkStructure(
  x: MatrixF32,
  labels: Int32Array,
  silhouette: number | null,
  o: ResolvedOptions,
): Promise<StructureCheck> {
  const warnings: StructureWarning[] = [];
  const sizes = new Map<number, number>();
  for (const l of labels) if (l !== NOISE) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const k = sizes.size;
  const segmented = [...sizes.values()].reduce((a, b) => a + b, 0);
  const mean = k === 0 ? 0 : segmented / k;
  const smallest = k === 0 ? 0 : Math.min(...sizes.values());

  const reference = silhouette === null || k < 2 ? null : await referenceSilhouette(x, k, o);
  const belowReference = silhouette !== null && reference !== null && silhouette < reference + o.minSilhouetteGain;
  const verdict = silhouette === null ? 'unknown' : silhouette < o.weakSilhouette || belowReference ? 'weak' : silhouette >= o.strongSilhouette ? 'strong' : 'moderate';
  if (silhouette !== null && verdict === 'weak') {
    const low = silhouette < o.weakSilhouette;
    warnings.push({
      code: 'weak-separation',
      message: low
        ? `the segments are weakly separated (silhouette ${fmt(silhouette)}, below ${o.weakSilhouette}): the data shows no clear groups, and these segments may be arbitrary cuts of it`
        : `the segments are weakly separated: their silhouette ${fmt(silhouette)} is no better than the ${fmt(reference as number)} that ${k} segments get on uniform random data of the same shape (at least ${o.minSilhouetteGain} more is needed), so they may be arbitrary cuts of the data`,
      figure: silhouette,
      threshold: low ? o.weakSilhouette : (reference as number) + o.minSilhouetteGain,
    });
  }

  let stability: StructureCheck['stability'] = null;
  let stabilityNote: string | null = null;
  if (o.algorithm !== 'kmeans') stabilityNote = 'stability is measured for k-means only';
  else if (k < 2) stabilityNote = 'stability needs at least 2 segments';
  else {
    const t0 = performance.now();
    const rows = x.rows > o.stabilityRows ? new Random(o.seed + 1).sample(x.rows, o.stabilityRows).sort() : null;
    const sample = rows === null ? x : selectRows(x, rows);
    if (sample.rows <= k) stabilityNote = `stability needs more rows than segments (${sample.rows} rows, ${k} segments)`;
    else {
      const seed = o.seed + 1;
      const second = await new KMeans({ k, nInit: o.nInit, maxIter: o.maxIter, seed, ...(o.refine === null ? {} : { refine: o.refine }), ...(o.signal === undefined ? {} : { signal: o.signal }) }).fit(sample);
      const first = rows === null ? labels : Int32Array.from(rows, (r) => labels[r]);
      const ari = adjustedRandIndex(first, second.labels);
      stability = { ari, rows: sample.rows, seed, unstableBelow: o.minStability, seconds: (performance.now() - t0) / 1000 };
      if (ari < o.minStability) {
        warnings.push({
          code: 'unstable',
          message: `the segments are unstable: k-means from another seed on ${sample.rows} ${rows === null ? '' : 'sampled '}rows agrees with them only to an adjusted Rand index of ${fmt(ari)} (below ${o.minStability}; 1 is the same segments)`,
          figure: ari,
          threshold: o.minStability,
        });
      }
    }
  }

  if (k > 0 && mean < o.minRowsPerSegment) {
    warnings.push({
      code: 'few-rows',
      message: `too few rows for ${k} segments: ${fmt(mean, 1)} rows per segment on average (smallest ${smallest}; at least ${o.minRowsPerSegment} are needed for a segment to say something)`,
      figure: mean,
      threshold: o.minRowsPerSegment,
    });
  }
  warnings.push(...foundTooLittle(labels.length, k, labels.length - segmented, o));
  const tentative = warnings.some((w) => w.code === 'weak-separation' || w.code === 'unstable' || w.code === 'few-rows');
  return {
    separation: { verdict, silhouette, reference, weakBelow: o.weakSilhouette, minGain: o.minSilhouetteGain, strongFrom: o.strongSilhouette },
    stability,
    stabilityNote,
    rowsPerSegment: { mean, smallest, fewBelow: o.minRowsPerSegment },
    warnings,
    tentative,
  };
}

/**
 * Mean shift or DBSCAN at their parameters found (almost) nothing: one segment, no segment, or
 * mostly noise; said with the parameters that would find more. (k-means and the others make the k
 * segments they are asked for.)
 */
function foundTooLittle(n: number, k: number, noise: number, o: ResolvedOptions): StructureWarning[] {
  const out: StructureWarning[] = [];
  if (n < 2) return out;
  if (o.algorithm === 'meanshift' && k < 2) {
    out.push({
      code: 'one-segment',
      message: `mean shift found one segment: every row climbed to the same mode; a smaller bandwidth finds more (${o.bandwidth === null ? `give one, or a quantile smaller than ${o.quantile} for its estimate` : `now ${o.bandwidth}`})`,
      figure: k,
      threshold: 2,
    });
  }
  if (o.algorithm === 'dbscan') {
    if (k < 2) {
      out.push({
        code: 'one-segment',
        message: `DBSCAN found ${k === 0 ? 'no segment: every row is noise' : 'one segment'}; ${k === 0 ? `a larger eps (now ${o.eps}) or a smaller minSamples (now ${o.minSamples}) finds some` : `a smaller eps (now ${o.eps}) splits it`}`,
        figure: k,
        threshold: 2,
      });
    }
    const share = noise / n;
    if (k > 0 && share > o.maxNoiseShare) {
      out.push({
        code: 'mostly-noise',
        message: `${noise} of ${n} rows (${(100 * share).toFixed(1)} %) are noise, in no segment (more than maxNoiseShare ${o.maxNoiseShare}): a larger eps (now ${o.eps}) or a smaller minSamples (now ${o.minSamples}) keeps more of them`,
        figure: share,
        threshold: o.maxNoiseShare,
      });
    }
  }
  return out;
}

/** The sentence shown beside the names when they are tentative; null when they are not. */
export function tentativeNote(check: StructureCheck): string | null {
  if (!check.tentative) return null;
  const why = check.warnings
    .filter((w) => w.code === 'weak-separation' || w.code === 'unstable' || w.code === 'few-rows')
    .map((w) => (w.code === 'weak-separation' ? 'weakly separated' : w.code === 'unstable' ? 'unstable' : 'too small'))
    .join(' and ');
  return `these names are tentative: the segments are ${why}, so they describe cuts of the data more than groups in it`;
}

/** One line: the separation verdict with its figures, the stability, and the rows per segment. */
export function structureSummary(check: StructureCheck): string {
  const sep = check.separation;
  const figures = sep.silhouette === null ? 'no silhouette' : `silhouette ${fmt(sep.silhouette)}${sep.reference === null ? '' : `; uniform data of this shape: ${fmt(sep.reference)}`}`;
  const separation = sep.verdict === 'unknown' ? 'separation unknown' : `${sep.verdict} separation`;
  const stability = check.stability === null ? (check.stabilityNote ?? '') : `stability: adjusted Rand index ${fmt(check.stability.ari)} against k-means from another seed on ${check.stability.rows} rows`;
  return `${separation} (${figures})${stability === '' ? '' : `; ${stability}`}; ${Number.isInteger(check.rowsPerSegment.mean) ? check.rowsPerSegment.mean : fmt(check.rowsPerSegment.mean, 1)} rows per segment`;
}
