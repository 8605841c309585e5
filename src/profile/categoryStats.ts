// SPDX-License-Identifier: MIT
/**
 * Per-segment statistics of a category or flag column: its most frequent values with their
 * share in the segment and lift over the population.
 */
import type * as arrow from 'apache-arrow';
import { readLabels } from '../data/columnReader.js';
import type { Groups } from './groups.js';
import { countLabels, topShares, type ValueCounts, type ValueShare } from './valueCounts.js';

/** The most frequent values of one category or flag column in one group. */
export interface CategoryStats {
  type: 'category';
  column: string;
  kind: 'category' | 'flag';
  /** Rows of the group with a value. */
  count: number;
  /** Rows of the group where the cell is null or blank. */
  missing: number;
  /** Distinct values in the group. */
  distinct: number;
  /** The most frequent values, most frequent first (share over `count`, lift over the population). */
  top: ValueShare[];
}

/**
 * Category statistics of one column for each group (0 … k, k = noise) and the population.
 * O(n + k·V log V) for V distinct values.
 */
export function categoryStats(
  column: string,
  kind: 'category' | 'flag',
  vector: arrow.Vector,
  groups: Groups,
  topValues: number,
): { population: CategoryStats; groups: CategoryStats[]; counts: ValueCounts } {
  const labels = readLabels(vector);
  const vc = countLabels(labels.ids, labels.values, groups);
  return { ...categoryStatsFromCounts(column, kind, vc, topValues), counts: vc };
}

/**
 * Category statistics of one column from its value counts in each group (0 … k, k = noise) and
 * the population (row k + 1): the in-memory profile counts rows, the in-database one
 * (src/db/profile.ts) gets the counts by GROUP BY. O(k·V log V).
 */
export function categoryStatsFromCounts(column: string, kind: 'category' | 'flag', vc: ValueCounts, topValues: number): { population: CategoryStats; groups: CategoryStats[] } {
  const nv = vc.values.length;
  const pop = vc.totals.length - 1;
  const one = (g: number): CategoryStats => {
    let distinct = 0;
    for (let v = 0; v < nv; v++) if (vc.counts[g * nv + v] > 0) distinct++;
    return {
      type: 'category',
      column,
      kind,
      count: vc.totals[g],
      missing: vc.missing[g],
      distinct,
      top: topShares(vc, g, topValues),
    };
  };
  const stats: CategoryStats[] = [];
  for (let g = 0; g < pop; g++) stats.push(one(g));
  return { population: one(pop), groups: stats };
}
