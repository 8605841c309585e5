// SPDX-License-Identifier: MIT
/**
 * The features that most set a segment apart from the whole population, ranked by one score
 * that puts numeric columns and labelled values on a common scale:
 *
 * - numeric column: |standardised difference| = |segment mean − population mean| / population std;
 * - category, flag or range value, list item: share · log2(lift), where share is the value's
 *   share in the segment and lift = share / population share. This is the value's term in the
 *   Kullback-Leibler divergence of the segment's distribution from the population's, in bits:
 *   a value counts only as much as it is both over-represented and common in the segment.
 *   Only values with lift > 1, at least `minCount` rows and at least `minShare` of the segment
 *   compete, so that a coincidence of two rows does not win.
 *
 * A numeric column competes when the segment has at least one value of it (its score already
 * measures how far the mean is). One value per category, flag or range column competes (its
 * best); list items compete each on their own, since a row can have several. Under-represented
 * values (lift < 1) are not listed: a segment is named for what it has, not for what it lacks.
 */
import type { NumericStats } from './numericStats.js';
import { featurePhrase } from './readable.js';
import type { ValueCounts } from './valueCounts.js';

export type { DistinctiveFeature, NumericFeature, ValueFeature } from './feature.js';
import type { DistinctiveFeature, NumericFeature, ValueFeature } from './feature.js';

/** Thresholds for labelled values; see the module comment. */
export interface DistinctiveOptions {
  /** How many features to keep. */
  count: number;
  /** Least rows of the segment that must have a value for it to compete. */
  minCount: number;
  /** Least share of the segment that must have a value for it to compete. */
  minShare: number;
}

/** A labelled column's counts, as the stats modules return them. */
export interface LabelledColumn {
  column: string;
  kind: 'category' | 'flag' | 'range' | 'list';
  counts: ValueCounts;
}

/** Orders by score, highest first; ties by column order, then value text, so results are stable. */
function byScore(a: { score: number; order: number; value: string }, b: { score: number; order: number; value: string }): number {
  return b.score - a.score || a.order - b.order || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/**
 * The `options.count` most distinctive features of group `g` (features with score 0 are never
 * listed). `numeric[c]` is the stats of group `g` for numeric column c; `order` gives each
 * column's position in the profile for breaking ties. O(Σ values).
 */
export function distinctiveFeatures(
  g: number,
  numeric: NumericStats[],
  labelled: LabelledColumn[],
  order: Map<string, number>,
  options: DistinctiveOptions,
): DistinctiveFeature[] {
  const found: { feature: DistinctiveFeature; score: number; order: number; value: string }[] = [];
  for (const s of numeric) {
    if (s.stdDiff === null || s.mean === null || s.stdDiff === 0) continue;
    const feature: NumericFeature = {
      type: 'numeric',
      column: s.column,
      kind: s.kind,
      stdDiff: s.stdDiff,
      direction: s.stdDiff > 0 ? 'high' : 'low',
      mean: s.mean,
      score: Math.abs(s.stdDiff),
      phrase: '',
    };
    found.push({ feature, score: feature.score, order: order.get(s.column) ?? 0, value: '' });
  }
  for (const col of labelled) {
    const { values, counts, totals } = col.counts;
    const nv = values.length;
    const pop = totals.length - 1;
    if (totals[g] === 0 || totals[pop] === 0) continue;
    let best: ValueFeature | null = null;
    for (let v = 0; v < nv; v++) {
      const count = counts[g * nv + v];
      const share = count / totals[g];
      if (count < options.minCount || share < options.minShare) continue;
      const lift = share / (counts[pop * nv + v] / totals[pop]);
      if (!(lift > 1)) continue;
      const score = share * Math.log2(lift);
      const feature: ValueFeature = {
        type: col.kind === 'list' ? 'item' : 'value',
        column: col.column,
        kind: col.kind,
        value: values[v],
        count,
        share,
        lift,
        score,
        phrase: '',
      };
      if (col.kind === 'list') {
        found.push({ feature, score, order: order.get(col.column) ?? 0, value: values[v] });
      } else if (best === null || score > best.score || (score === best.score && values[v] < best.value)) {
        best = feature;
      }
    }
    if (best !== null) found.push({ feature: best, score: best.score, order: order.get(col.column) ?? 0, value: best.value });
  }
  found.sort(byScore);
  return found.slice(0, options.count).map(({ feature }) => ({ ...feature, phrase: featurePhrase(feature) }));
}
