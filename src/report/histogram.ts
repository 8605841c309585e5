// SPDX-License-Identifier: MIT
/** Per-segment histograms and value counts on shared bins, for the report's distribution charts. */
import { DataError, ParameterError } from '../errors.js';
import { quantilesInPlace } from '../data/select.js';
import { symexp, symlog } from './heavyTail.js';
import type { ReportBox, ReportCategoricalDistribution, ReportNumericDistribution } from './types.js';
import { checkValue, integer } from '../constraints.js';

export interface HistogramOptions {
  /** Equal-width bins. Default 20. */
  bins?: number;
  /** [low, high] of the bins; values outside are not counted. Default: the finite values' min and max. */
  range?: readonly [number, number];
  /** Segment ids to count, in order. Default: the distinct labels, ascending. */
  segments?: readonly number[];
  /**
   * 'log': bins of equal width in sign(x)·log1p(|x|) (Vega's symlog scale, on which the chart draws
   * them), edges given back in the values' units; the first bin of a non-negative column starts at
   * its minimum, 0 included. Default 'linear'.
   */
  scale?: 'linear' | 'log';
}

function checkLengths(fn: string, values: ArrayLike<unknown>, labels: ArrayLike<number>): void {
  if (values.length !== labels.length) throw new DataError(fn, 'labels', `labels has ${labels.length} values for ${values.length} rows`);
}

function segmentIds(labels: ArrayLike<number>, given: readonly number[] | undefined): number[] {
  if (given !== undefined) return [...given];
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) seen.add(labels[i]);
  return [...seen].sort((a, b) => a - b);
}

/**
 * The slot of each row: the position of its label in `ids`, -1 where its label is not listed.
 * Segment labels are small integers (noise −1): read through an array, not a Map per row.
 */
function segmentSlots(labels: ArrayLike<number>, ids: readonly number[]): Int32Array {
  const n = labels.length;
  const out = new Int32Array(n);
  let min = 0;
  let max = -1;
  for (const id of ids) {
    if (!Number.isInteger(id) || id < -1 || id > 1 << 20) return slotsByMap(labels, ids);
    if (id > max) max = id;
    if (id < min) min = id;
  }
  const table = new Int32Array(max - min + 1).fill(-1);
  ids.forEach((id, s) => {
    table[id - min] = s; // a repeated id: the last, as a Map built from the list keeps
  });
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    const k = l - min;
    out[i] = k >= 0 && k < table.length && Number.isInteger(l) ? table[k] : -1;
  }
  return out;
}

function slotsByMap(labels: ArrayLike<number>, ids: readonly number[]): Int32Array {
  const slot = new Map(ids.map((id, s) => [id, s]));
  return Int32Array.from({ length: labels.length }, (_, i) => slot.get(labels[i]) ?? -1);
}

/**
 * A histogram of `values` [n] in each segment of `labels` [n], on `bins` equal-width bins shared by
 * all segments. Bins are half-open [e_b, e_b+1) except the last, which holds its upper edge, as
 * numpy.histogram does. Non-finite values are not counted. When every value is the same, one bin
 * of width 1 centred on it. O(n + bins·segments).
 * @example
 * const h = histogramBySegment('age', [1, 2, 3, 4], [0, 0, 1, 1], { bins: 3 });
 * h.counts[1].counts[2]; // 2
 */
export function histogramBySegment(feature: string, values: ArrayLike<number>, labels: ArrayLike<number>, options: HistogramOptions = {}): ReportNumericDistribution & { edges: Float64Array; counts: Array<{ segment: number; counts: Int32Array }> } {
  const fn = 'histogramBySegment';
  checkLengths(fn, values, labels);
  if (options.scale === 'log') {
    const logged = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) logged[i] = symlog(values[i]);
    const range = options.range === undefined ? undefined : ([symlog(options.range[0]), symlog(options.range[1])] as const);
    const h = histogramBySegment(feature, logged, labels, { ...options, scale: 'linear', ...(range === undefined ? {} : { range }) });
    return { ...h, edges: h.edges.map(symexp), scale: 'log' };
  }
  const bins = options.bins ?? 20;
  checkValue(fn, 'bins', bins, integer({ min: 1 }));
  let low = Infinity;
  let high = -Infinity;
  if (options.range !== undefined) {
    [low, high] = options.range;
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) throw new ParameterError(fn, 'range', `range=[${low}, ${high}] must be finite with low < high`);
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    if (low === Infinity) throw new DataError(fn, 'values', `values of '${feature}' has no finite value to bin`);
  }
  const ids = segmentIds(labels, options.segments);
  const slot = segmentSlots(labels, ids);
  const constant = low === high;
  const nBins = constant ? 1 : bins;
  const edges = new Float64Array(nBins + 1);
  if (constant) {
    edges[0] = low - 0.5;
    edges[1] = low + 0.5;
  } else {
    for (let b = 0; b <= nBins; b++) edges[b] = low + ((high - low) * b) / nBins;
    edges[nBins] = high;
  }
  const counts = ids.map(() => new Int32Array(nBins));
  const width = high - low;
  for (let i = 0; i < values.length; i++) {
    const s = slot[i];
    const v = values[i];
    if (s < 0 || !Number.isFinite(v) || v < low || v > high) continue;
    let b = constant ? 0 : Math.floor(((v - low) / width) * nBins);
    if (b >= nBins) b = nBins - 1;
    // Floating point may put a value on an edge into the neighbouring bin; the edges decide.
    while (b > 0 && v < edges[b]) b--;
    while (b < nBins - 1 && v >= edges[b + 1]) b++;
    counts[s][b]++;
  }
  return { kind: 'numeric', feature, edges, counts: ids.map((segment, s) => ({ segment, counts: counts[s] })) };
}

export interface CategoryCountOptions {
  /** Most frequent values kept; the rest are counted together as `other`. Default 8. */
  top?: number;
  /** Segment ids to count, in order. Default: the distinct labels, ascending. */
  segments?: readonly number[];
  /** The name of the bucket of the remaining values. Default `(other)`. */
  otherName?: string;
  /**
   * Show the kept values in this order (e.g. the levels of a range column: `18-24`, `25-34`, ...);
   * kept values not listed follow in frequency order. Default: most frequent first.
   */
  order?: readonly string[];
}

/**
 * Counts of each value of a categorical column `values` [n] in each segment of `labels` [n]: the
 * `top` most frequent values overall (ties in text order; or in `order`), then the rest as one `(other)`
 * category when there is any. Null and undefined cells are not counted. O(n + values·segments).
 * @example
 * const c = categoryCountsBySegment('device', ['a', 'b', 'a', null], [0, 0, 1, 1]);
 * c.categories; // ['a', 'b']
 */
export function categoryCountsBySegment(feature: string, values: ArrayLike<string | null | undefined>, labels: ArrayLike<number>, options: CategoryCountOptions = {}): ReportCategoricalDistribution & { counts: Array<{ segment: number; counts: Int32Array }> } {
  checkLengths('categoryCountsBySegment', values, labels);
  const idOf = new Map<string, number>();
  const texts: string[] = [];
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      ids[i] = -1;
      continue;
    }
    let id = idOf.get(v);
    if (id === undefined) idOf.set(v, (id = texts.push(v) - 1));
    ids[i] = id;
  }
  return categoryCountsByIds(feature, { ids, texts }, labels, options);
}

/**
 * {@link categoryCountsBySegment} of a column read as label ids: `cells.ids[i]` is the index in
 * `cells.texts` of row i's value, −1 where it is missing. Counts per id and segment in one pass
 * over typed arrays, then ranks the distinct values (the column's label reader gives this form:
 * no string per row is made or looked up). O(n + values·segments).
 */
export function categoryCountsByIds(
  feature: string,
  cells: { ids: Int32Array; texts: readonly string[] },
  labels: ArrayLike<number>,
  options: CategoryCountOptions = {},
): ReportCategoricalDistribution & { counts: Array<{ segment: number; counts: Int32Array }> } {
  const fn = 'categoryCountsBySegment';
  checkLengths(fn, cells.ids, labels);
  const segments = segmentIds(labels, options.segments);
  const slot = segmentSlots(labels, segments);
  const nValues = cells.texts.length;
  const bySegment = new Int32Array(segments.length * nValues); // [segment, value id]
  for (let i = 0; i < cells.ids.length; i++) {
    const id = cells.ids[i];
    const s = slot[i];
    if (id >= 0 && s >= 0) bySegment[s * nValues + id]++;
  }
  return categoryCountsFromTable(feature, cells.texts, segments, bySegment, options);
}

/**
 * {@link categoryCountsBySegment} from the counts already made: `bySegment[s · texts.length + id]`
 * rows of segment `segments[s]` with the value `texts[id]` (a database's GROUP BY gives them).
 * `options.segments` is not read. O(values·segments).
 */
export function categoryCountsFromTable(
  feature: string,
  texts: readonly string[],
  segments: readonly number[],
  bySegment: ArrayLike<number>,
  options: CategoryCountOptions = {},
): ReportCategoricalDistribution & { counts: Array<{ segment: number; counts: Int32Array }> } {
  const fn = 'categoryCountsBySegment';
  const top = options.top ?? 8;
  checkValue(fn, 'top', top, integer({ min: 1 }));
  const cells = { texts };
  const nValues = texts.length;
  if (bySegment.length !== segments.length * nValues) throw new DataError(fn, 'counts', `${bySegment.length} counts for ${segments.length} segments × ${nValues} values`);
  // Totals per distinct text (two ids may carry the same text).
  const overall = new Map<string, number>();
  const textIds = new Map<string, number[]>();
  for (let id = 0; id < nValues; id++) {
    let total = 0;
    for (let s = 0; s < segments.length; s++) total += bySegment[s * nValues + id];
    if (total === 0) continue;
    const t = cells.texts[id];
    overall.set(t, (overall.get(t) ?? 0) + total);
    const same = textIds.get(t);
    if (same === undefined) textIds.set(t, [id]);
    else same.push(id);
  }
  const ranked = [...overall.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0)).map(([v]) => v);
  let kept = ranked.slice(0, top);
  if (options.order !== undefined) {
    const rank = new Map(options.order.map((v, i) => [v, i]));
    const position = (v: string): number => rank.get(v) ?? options.order!.length;
    kept = kept.map((v, i) => ({ v, i })).sort((p, q) => position(p.v) - position(q.v) || p.i - q.i).map((e) => e.v);
  }
  const hasOther = ranked.length > top;
  const categories = hasOther ? [...kept, options.otherName ?? '(other)'] : kept;
  const columnOfId = new Int32Array(nValues).fill(kept.length);
  kept.forEach((v, c) => {
    for (const id of textIds.get(v) ?? []) columnOfId[id] = c;
  });
  const counts = segments.map((_, s) => {
    const row = new Int32Array(categories.length);
    for (let id = 0; id < nValues; id++) {
      const k = bySegment[s * nValues + id];
      if (k > 0) row[columnOfId[id]] += k;
    }
    return row;
  });
  return { kind: 'categorical', feature, categories, counts: segments.map((segment, s) => ({ segment, counts: counts[s] })) };
}

/** Outliers drawn per segment at most (the most extreme ones first); the rest are counted. */
export const MAX_OUTLIERS = 40;

/**
 * Tukey's box plot of `values` [n] in each segment of `labels` [n]: quartiles by linear
 * interpolation (numpy's default, as the profile tables), whiskers at the most extreme values
 * within 1.5 IQR of the box, and the values beyond them as outliers: all counted, at most
 * {@link MAX_OUTLIERS} listed (from both ends inwards, the most extreme first). Non-finite
 * values are not counted; a segment with no finite value is left out. O(n) expected (the
 * quartiles by selection), plus sorting the values beyond the fences.
 * @example
 * const [b] = boxBySegment([1, 2, 3, 4, 100], [0, 0, 0, 0, 0]);
 * b.high; // 4 (q3 = 4, IQR = 2: 100 is beyond 4 + 3)
 */
export function boxBySegment(values: ArrayLike<number>, labels: ArrayLike<number>, segments?: readonly number[]): ReportBox[] {
  checkLengths('boxBySegment', values, labels);
  const ids = segmentIds(labels, segments);
  const slot = segmentSlots(labels, ids);
  const sizes = new Int32Array(ids.length);
  for (let i = 0; i < values.length; i++) if (slot[i] >= 0 && Number.isFinite(values[i])) sizes[slot[i]]++;
  const groups = Array.from(sizes, (m) => new Float64Array(m));
  const filled = new Int32Array(ids.length);
  for (let i = 0; i < values.length; i++) {
    const s = slot[i];
    if (s >= 0 && Number.isFinite(values[i])) groups[s][filled[s]++] = values[i];
  }
  const out: ReportBox[] = [];
  ids.forEach((segment, s) => {
    const values = groups[s];
    const m = values.length;
    if (m === 0) return;
    // The quartiles by selection (O(m), as the profiles take them), not by sorting the segment.
    const [q1, median, q3] = quantilesInPlace(values, [0.25, 0.5, 0.75]);
    const lowFence = q1 - 1.5 * (q3 - q1);
    const highFence = q3 + 1.5 * (q3 - q1);
    // The whiskers: the most extreme values within the fences; the values beyond them are the
    // outliers, of which only the most extreme few are sorted.
    let low = Infinity;
    let high = -Infinity;
    const below: number[] = [];
    const above: number[] = [];
    for (let i = 0; i < m; i++) {
      const v = values[i];
      if (v < lowFence) below.push(v);
      else if (v > highFence) above.push(v);
      else {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    const lows = mostExtreme(below, MAX_OUTLIERS, 1);
    const highs = mostExtreme(above, MAX_OUTLIERS, -1);
    const outliers: number[] = [];
    // From both ends inwards, the highest first, as long as either end has some left.
    for (let a = 0, b = 0; outliers.length < MAX_OUTLIERS && (a < lows.length || b < highs.length); ) {
      if (b < highs.length) outliers.push(highs[b++]);
      if (a < lows.length && outliers.length < MAX_OUTLIERS) outliers.push(lows[a++]);
    }
    out.push({ segment, count: m, q1, median, q3, low, high, outlierCount: below.length + above.length, outliers });
  });
  return out;
}

/**
 * The `keep` most extreme of `values`, the most extreme first: the smallest ascending (`sign` 1)
 * or the largest descending (−1). Sorts only the values beyond a box's fences.
 */
function mostExtreme(values: number[], keep: number, sign: 1 | -1): number[] {
  const sorted = Float64Array.from(values).sort();
  if (sign === -1) sorted.reverse();
  return Array.from(sorted.subarray(0, Math.min(keep, sorted.length)));
}
