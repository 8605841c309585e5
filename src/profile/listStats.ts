// SPDX-License-Identifier: MIT
/**
 * Per-segment statistics of a list column (interests such as `Travel, Gaming`): the items most
 * often present, with the share of the segment's rows that have them and their lift.
 */
import type * as arrow from 'apache-arrow';
import { readLabels } from '../data/columnReader.js';
import type { Groups } from './groups.js';
import { emptyCounts, topShares, type ValueCounts, type ValueShare } from './valueCounts.js';

/** The most frequent items of one list column in one group. */
export interface ListStats {
  type: 'list';
  column: string;
  kind: 'list';
  /** Rows of the group whose cell is not missing (an empty list counts here). */
  count: number;
  /** Rows of the group where the cell is null or blank. */
  missing: number;
  /** Distinct items in the group. */
  distinct: number;
  /** Mean number of distinct items per non-missing row. */
  meanItems: number | null;
  /** The most frequent items: count = rows having the item, share = count / `count`. */
  top: ValueShare[];
}

/**
 * Splits a cell at `separator`, trims each item of white space, drops empty items and repeats.
 */
export function splitList(cell: string, separator: string): string[] {
  const items = separator === '' ? [cell] : cell.split(separator);
  return [...new Set(items.map((s) => s.trim()).filter((s) => s.length > 0))];
}

/**
 * List statistics of one column for each group (0 … k, k = noise) and the population. Each
 * distinct cell is split once. O(n·items per row + k·I log I) for I distinct items.
 */
export function listStats(
  column: string,
  vector: arrow.Vector,
  separator: string,
  groups: Groups,
  topItems: number,
): { population: ListStats; groups: ListStats[]; counts: ValueCounts } {
  const labels = readLabels(vector);
  const itemIndex = new Map<string, number>();
  const items: string[] = [];
  const cellItems = labels.values.map((cell) =>
    Int32Array.from(splitList(cell, separator), (item) => {
      let id = itemIndex.get(item);
      if (id === undefined) {
        id = items.length;
        items.push(item);
        itemIndex.set(item, id);
      }
      return id;
    }),
  );
  const vc = emptyCounts(items, groups);
  const ni = items.length;
  const pop = groups.k + 1;
  const itemSum = new Float64Array(groups.k + 2);
  for (let i = 0; i < labels.ids.length; i++) {
    const g = groups.code[i];
    const cell = labels.ids[i];
    if (cell < 0) {
      vc.missing[g]++;
      vc.missing[pop]++;
      continue;
    }
    vc.totals[g]++;
    vc.totals[pop]++;
    const its = cellItems[cell];
    itemSum[g] += its.length;
    itemSum[pop] += its.length;
    for (let j = 0; j < its.length; j++) {
      vc.counts[g * ni + its[j]]++;
      vc.counts[pop * ni + its[j]]++;
    }
  }
  return { ...listStatsFromCounts(column, vc, itemSum, topItems), counts: vc };
}

/**
 * List statistics of one column from its item counts (rows holding each item) in each group
 * (0 … k, k = noise) and the population (row k + 1), and `itemSum`, the distinct items summed
 * over each group's rows: the in-memory profile counts rows, the in-database one
 * (src/db/profile.ts) gets the counts by GROUP BY. O(k·I log I).
 */
export function listStatsFromCounts(column: string, vc: ValueCounts, itemSum: ArrayLike<number>, topItems: number): { population: ListStats; groups: ListStats[] } {
  const ni = vc.values.length;
  const pop = vc.totals.length - 1;
  const one = (g: number): ListStats => {
    let distinct = 0;
    for (let v = 0; v < ni; v++) if (vc.counts[g * ni + v] > 0) distinct++;
    return {
      type: 'list',
      column,
      kind: 'list',
      count: vc.totals[g],
      missing: vc.missing[g],
      distinct,
      meanItems: vc.totals[g] > 0 ? itemSum[g] / vc.totals[g] : null,
      top: topShares(vc, g, topItems),
    };
  };
  const stats: ListStats[] = [];
  for (let g = 0; g < pop; g++) stats.push(one(g));
  return { population: one(pop), groups: stats };
}
