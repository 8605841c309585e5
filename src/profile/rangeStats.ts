// SPDX-License-Identifier: MIT
/**
 * Per-segment statistics of an ordered-range column (`18-24`, `25-34`, `65+`): the distribution
 * over its levels in their order and the median level.
 */
import type * as arrow from 'apache-arrow';
import type { RangeLevel } from '../data/schema.js';
import { readLabels } from '../data/columnReader.js';
import type { Groups } from './groups.js';
import { countLabels, shareOf, type ValueCounts, type ValueShare } from './valueCounts.js';

/** The distribution of one range column over its levels in one group. */
export interface RangeStats {
  type: 'range';
  column: string;
  kind: 'range';
  /** Rows of the group with a value that is one of the levels. */
  count: number;
  /** Rows of the group where the cell is null or blank. */
  missing: number;
  /** Rows with a value that is none of the schema's levels (left out of shares and median). */
  unmatched: number;
  /** Every level in order, with its count, share over `count` and lift over the population. */
  levels: ValueShare[];
  /**
   * The lowest level at which the cumulative share reaches 1/2, i.e. the level of the
   * ⌈count/2⌉-th smallest value (the lower median); null when the group has no value.
   */
  medianLevel: string | null;
}

const SCALE: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9 };

/** A sort key for a level's text when the schema gives no levels: its first number, scaled by a k/M/B suffix. */
function levelKey(text: string): number {
  const m = /(-?\d+(?:\.\d+)?)\s*([kKmMbB])?/.exec(text.replace(/,/g, ''));
  if (m === null) return Infinity;
  const x = Number(m[1]) * (m[2] === undefined ? 1 : SCALE[m[2]]);
  // "<18" or "under 18" comes before "18-24".
  return /^\s*(<|under\b|below\b)/i.test(text) ? x - 0.5 : x;
}

/** The level texts in order: the schema's levels, or the distinct values sorted by their numbers. */
export function orderedLevels(levels: RangeLevel[] | undefined, values: string[]): string[] {
  if (levels !== undefined && levels.length > 0) return levels.map((l) => l.text.trim());
  const distinct = [...new Set(values.map((v) => v.trim()))];
  return distinct.sort((a, b) => levelKey(a) - levelKey(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Range statistics of one column for each group (0 … k, k = noise) and the population. O(n + k·L).
 */
export function rangeStats(
  column: string,
  vector: arrow.Vector,
  levels: RangeLevel[] | undefined,
  groups: Groups,
): { population: RangeStats; groups: RangeStats[]; counts: ValueCounts } {
  const labels = readLabels(vector);
  return rangeStatsFromLabelCounts(column, countLabels(labels.ids, labels.values, groups), levels);
}

/**
 * Range statistics of one column from the counts of its cells' labels (as read, untrimmed) in
 * each group (0 … k, k = noise) and the population (row k + 1): the in-memory profile counts
 * rows, the in-database one (src/db/profile.ts) gets the counts by GROUP BY. `counts` of the
 * result are over the levels. O(k·L + V).
 */
export function rangeStatsFromLabelCounts(
  column: string,
  labelCounts: ValueCounts,
  levels: RangeLevel[] | undefined,
): { population: RangeStats; groups: RangeStats[]; counts: ValueCounts } {
  const texts = orderedLevels(levels, labelCounts.values);
  const levelIndex = new Map(texts.map((t, i) => [t, i]));
  const rows = labelCounts.totals.length;
  const nv = labelCounts.values.length;
  const nl = texts.length;
  // Over the levels; a label that is none of them counts as missing there, as in the counting of rows.
  const vc: ValueCounts = { values: texts, counts: new Float64Array(rows * nl), totals: new Float64Array(rows), missing: Float64Array.from(labelCounts.missing) };
  const unmatched = new Float64Array(rows);
  labelCounts.values.forEach((value, v) => {
    const level = levelIndex.get(value.trim());
    for (let g = 0; g < rows; g++) {
      const c = labelCounts.counts[g * nv + v];
      if (c === 0) continue;
      if (level === undefined) {
        unmatched[g] += c;
        vc.missing[g] += c;
      } else {
        vc.counts[g * nl + level] += c;
        vc.totals[g] += c;
      }
    }
  });
  const one = (g: number): RangeStats => {
    const dist = texts.map((_, l) => shareOf(vc, g, l));
    let medianLevel: string | null = null;
    const total = vc.totals[g];
    let cumulative = 0;
    for (let l = 0; l < nl && total > 0; l++) {
      cumulative += vc.counts[g * nl + l];
      if (2 * cumulative >= total) {
        medianLevel = texts[l];
        break;
      }
    }
    return {
      type: 'range',
      column,
      kind: 'range',
      count: total,
      // Unmatched cells were coded as missing for the counting: they are not missing.
      missing: vc.missing[g] - unmatched[g],
      unmatched: unmatched[g],
      levels: dist,
      medianLevel,
    };
  };
  const stats: RangeStats[] = [];
  for (let g = 0; g < rows - 1; g++) stats.push(one(g));
  return { population: one(rows - 1), groups: stats, counts: vc };
}
