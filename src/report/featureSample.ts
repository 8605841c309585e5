// SPDX-License-Identifier: MIT
/**
 * The data of the scatter of two original features: a sample of the rows stratified by segment
 * (each segment drawn in proportion to its size, so that a small segment keeps its share of the
 * points and a sample of 10^6 rows stays a few thousand), with the values of the numeric columns
 * in their own units, and the pair shown first.
 */
import type * as arrow from 'apache-arrow';
import type { Schema } from '../data/schema.js';
import { readNumbers } from '../data/columnReader.js';
import type { NumericStats } from '../profile/numericStats.js';
import type { ProfileResult, SegmentProfile } from '../profile/profile.js';
import { Random } from '../random.js';
import { formatNumber } from './format.js';
import { isHeavyTailed } from './heavyTail.js';
import type { ReportFeatureScatter } from './types.js';
import { checkValue, integer } from '../constraints.js';

/** A stratified sample: the rows drawn, in row order, and the count drawn from each segment. */
export interface StratifiedRows {
  rows: Int32Array;
  strata: Array<{ segment: number; drawn: number; rows: number }>;
}

/**
 * A seeded sample of at most `size` rows stratified by `labels` [n]: segment s, with n_s rows,
 * gets its quota size·n_s/n rounded down, the rows left over go to the largest remainders (ties:
 * the earlier segment in `order`), and a segment whose quota rounds to 0 still gets one row,
 * taken from the segment with most drawn; its rows are then a uniform sample of the segment's.
 * Rows of a label not in `order` are not drawn. All rows when n ≤ size. O(n + size).
 * @example
 * const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 600 ? 0 : i < 900 ? 1 : 2));
 * stratifiedRows(labels, [0, 1, 2], 100, 1).strata.map((s) => s.drawn); // [60, 30, 10]
 */
export function stratifiedRows(labels: ArrayLike<number>, order: readonly number[], size: number, seed: number): StratifiedRows {
  checkValue('stratifiedRows', 'size', size, integer({ min: 1 }));
  const position = new Map(order.map((id, p) => [id, p]));
  const members: number[][] = order.map(() => []);
  for (let i = 0; i < labels.length; i++) {
    const p = position.get(labels[i]);
    if (p !== undefined) members[p].push(i);
  }
  const n = members.reduce((t, m) => t + m.length, 0);
  if (n <= size) {
    const rows = Int32Array.from(members.flat()).sort();
    return { rows, strata: order.map((segment, p) => ({ segment, drawn: members[p].length, rows: members[p].length })) };
  }
  const quota = members.map((m) => (size * m.length) / n);
  const drawn = quota.map(Math.floor);
  let left = size - drawn.reduce((a, b) => a + b, 0);
  const byRemainder = quota.map((q, p) => ({ p, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.p - b.p);
  for (const { p } of byRemainder) {
    if (left === 0) break;
    drawn[p]++;
    left--;
  }
  for (let p = 0; p < drawn.length; p++) {
    if (drawn[p] > 0 || members[p].length === 0) continue;
    const richest = drawn.reduce((best, v, q) => (v > drawn[best] ? q : best), 0);
    if (drawn[richest] <= 1) break;
    drawn[richest]--;
    drawn[p] = 1;
  }
  const random = new Random(seed);
  const rows: number[] = [];
  members.forEach((m, p) => {
    for (const j of random.sample(m.length, drawn[p])) rows.push(m[j]);
  });
  return { rows: Int32Array.from(rows).sort(), strata: order.map((segment, p) => ({ segment, drawn: drawn[p], rows: members[p].length })) };
}

/**
 * How much a numeric column's segment means differ: the largest |standardised difference|
 * (segment mean − mean of all rows, over the sd of all rows) of any of `segments`, 0 without one.
 * The scatter, the distributions and the profile tables rank numeric columns by it.
 */
export function numericSpread(segments: readonly SegmentProfile[], j: number): number {
  return Math.max(0, ...segments.map((s) => Math.abs((s.columns[j] as NumericStats).stdDiff ?? 0)));
}

/** What {@link featureScatterOf} reads. */
export interface FeatureScatterParts {
  table: arrow.Table;
  schema: Schema;
  labels: ArrayLike<number>;
  profiles: ProfileResult;
  /** Columns the pipeline took log1p of (drawn on a log scale). */
  log1p: readonly string[];
}

/** The rule for the pair drawn first, as the caption and the TSDoc say it. */
export const DEFAULT_PAIR_RULE = 'the two numeric columns whose segment means lie furthest from the mean of all rows (in standard deviations)';

/**
 * The feature scatter's data: a stratified sample ({@link stratifiedRows}) of at most `size`
 * rows, with the values of the numeric (number and count) columns, at most `maxColumns` of them
 * (those whose segment means differ most; the rest named in `note`), each with its scale by the
 * heavy-tail rule; and the default pair: the two columns with the largest spread, where a
 * column's spread is the largest |standardised difference| (segment mean − mean of all rows,
 * over the sd of all rows) of any segment, as the radar and the distributions rank columns
 * (ties: the earlier column). Null with fewer than two numeric columns. O(n·columns).
 */
export function featureScatterOf(parts: FeatureScatterParts, order: readonly number[], size: number, seed: number, maxColumns = 30): ReportFeatureScatter | null {
  const { profiles, table } = parts;
  const groups = profiles.noise === null ? profiles.segments : [...profiles.segments, profiles.noise];
  const byName = new Map(parts.schema.columns.map((c) => [c.name, c]));
  const numeric = profiles.columns
    .map((c, j) => ({ name: c.name, j, spread: numericSpread(groups, j) }))
    .filter((e) => (profiles.columns[e.j].kind === 'number' || profiles.columns[e.j].kind === 'count') && table.getChild(e.name) !== null);
  if (numeric.length < 2) return null;
  const ranked = [...numeric].sort((a, b) => b.spread - a.spread || a.j - b.j);
  const kept = ranked.slice(0, maxColumns).sort((a, b) => a.j - b.j);
  const { rows, strata } = stratifiedRows(parts.labels, order, size, seed);
  const logged = new Set(parts.log1p);
  const values: Float64Array[] = [];
  const scales: Array<'linear' | 'log'> = [];
  for (const c of kept) {
    const all = readNumbers(table.getChild(c.name) as arrow.Vector, byName.get(c.name)?.numberFormat);
    values.push(Float64Array.from(rows, (r) => all[r]));
    scales.push(isHeavyTailed(all, logged.has(c.name)) ? 'log' : 'linear');
  }
  const names = kept.map((c) => c.name);
  const out: ReportFeatureScatter = {
    columns: names,
    values,
    scales,
    segment: Int32Array.from(rows, (r) => parts.labels[r]),
    strata,
    totalRows: table.numRows,
    x: names.indexOf(ranked[0].name),
    y: names.indexOf(ranked[1].name),
    rule: DEFAULT_PAIR_RULE,
  };
  if (numeric.length > kept.length) {
    out.note = `The ${formatNumber(kept.length)} of ${formatNumber(numeric.length)} numeric columns whose segment means differ most can be chosen; ${formatNumber(numeric.length - kept.length)} are left out.`;
  }
  return out;
}
