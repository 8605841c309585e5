// SPDX-License-Identifier: MIT
/**
 * What each segment is: its size and share, per-column statistics in the original units, the
 * features that set it apart, and a generated name. The result is plain data (no typed arrays,
 * no NaN or Infinity), so `JSON.stringify` writes it whole and `JSON.parse` gives it back.
 */
import type * as arrow from 'apache-arrow';
import type { ColumnInfo, ColumnKind, Schema } from '../data/schema.js';
import { DataError, ParameterError } from '../errors.js';
import { categoryStats, type CategoryStats } from './categoryStats.js';
import { readNumbers } from '../data/columnReader.js';
import { distinctiveFeatures, type DistinctiveFeature, type LabelledColumn } from './distinctive.js';
import { groupRows } from './groups.js';
import { listStats, type ListStats } from './listStats.js';
import { generateNames, NOISE_NAME } from './names.js';
import { numericStats, type NumericStats } from './numericStats.js';
import { rangeStats, type RangeStats } from './rangeStats.js';

/** The statistics of one column in one group, by the column's kind. */
export type ColumnStats = NumericStats | CategoryStats | RangeStats | ListStats;

/** The kinds of column a profile describes; ids, text, urls, dates and empty columns are skipped. */
export const PROFILED_KINDS: readonly ColumnKind[] = ['number', 'count', 'flag', 'category', 'range', 'list'];

/** The whole population's statistics, the baseline every segment is compared with. */
export interface PopulationProfile {
  size: number;
  /** Per profiled column, in the order of `ProfileResult.columns`. */
  columns: ColumnStats[];
}

/** One segment (or the noise group). */
export interface SegmentProfile {
  /** The segment's label; −1 for noise. */
  id: number;
  name: string;
  /** `generated` by `profileSegments`, `user` once set by `renameSegments`. */
  nameSource: 'generated' | 'user';
  /** Rows in the segment. */
  size: number;
  /** size / all rows of the table (noise included). */
  share: number;
  /** Per profiled column, in the order of `ProfileResult.columns`. */
  columns: ColumnStats[];
  /** The features that most set it apart, most distinctive first (see `distinctiveFeatures`). */
  distinctive: DistinctiveFeature[];
}

/** Options of `profileSegments`; every field has a default. */
export interface ProfileOptions {
  /**
   * Which columns to describe: `'used'` (default) the schema's columns with `use: true` of a
   * profiled kind (number, count, category, range, list) plus every flag column, used or not;
   * `'all'` every column of a profiled kind; or a list of column names.
   */
  columns?: 'used' | 'all' | readonly string[];
  /** Most frequent values listed per category and flag column. Default 5. */
  topValues?: number;
  /** Most frequent items listed per list column. Default 10. */
  topItems?: number;
  /** Distinctive features kept per segment. Default 5. */
  distinctive?: number;
  /** Least rows with a value for it to be distinctive. Default 5. */
  minCount?: number;
  /** Least share of the segment with a value for it to be distinctive. Default 0.05. */
  minShare?: number;
  /** Distinctive features named in a generated name. Default 2. */
  nameFeatures?: number;
  /** Least score for a feature after the first to join a generated name. Default 0.2. */
  nameMinScore?: number;
}

const DEFAULTS: Required<Omit<ProfileOptions, 'columns'>> & { columns: 'used' } = {
  columns: 'used',
  topValues: 5,
  topItems: 10,
  distinctive: 5,
  minCount: 5,
  minShare: 0.05,
  nameFeatures: 2,
  nameMinScore: 0.2,
};

/** The result of `profileSegments`. */
export interface ProfileResult {
  /** Rows of the table. */
  rows: number;
  /** The profiled columns, in schema order. */
  columns: { name: string; kind: ColumnKind; use: boolean }[];
  /** Columns of the schema that were not profiled, and why. */
  skipped: { name: string; kind: ColumnKind; reason: string }[];
  population: PopulationProfile;
  /** The segments (labels ≥ 0) in increasing order of id. */
  segments: SegmentProfile[];
  /** The rows labelled −1, profiled like a segment with id −1 and name `Noise`; null when none. */
  noise: SegmentProfile | null;
  /** The options in effect, defaults filled in. */
  options: Required<Omit<ProfileOptions, 'columns'>> & { columns: 'used' | 'all' | string[] };
}

/** The options with their defaults, checked. @throws ParameterError naming a bad one. */
export function checkOptions(options: ProfileOptions, fn: string): ProfileResult['options'] {
  // An option given as undefined keeps its default.
  const o: typeof DEFAULTS & { columns: ProfileOptions['columns'] } = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  for (const key of ['topValues', 'topItems', 'distinctive', 'nameFeatures'] as const) {
    const least = key === 'nameFeatures' ? 1 : 0;
    if (!Number.isInteger(o[key]) || o[key] < least) throw new ParameterError(fn, key, `${key}=${String(o[key])} must be an integer ≥ ${least}`);
  }
  if (!Number.isFinite(o.minCount) || o.minCount < 1) throw new ParameterError(fn, 'minCount', `minCount=${String(o.minCount)} must be ≥ 1`);
  if (!Number.isFinite(o.nameMinScore) || o.nameMinScore < 0) {
    throw new ParameterError(fn, 'nameMinScore', `nameMinScore=${String(o.nameMinScore)} must be a number ≥ 0`);
  }
  if (!Number.isFinite(o.minShare) || o.minShare < 0 || o.minShare > 1) {
    throw new ParameterError(fn, 'minShare', `minShare=${String(o.minShare)} must be in [0, 1]`);
  }
  const columns = o.columns;
  if (columns !== 'used' && columns !== 'all' && !Array.isArray(columns)) {
    throw new ParameterError(fn, 'columns', `columns must be 'used', 'all' or a list of column names`);
  }
  return { ...o, columns: Array.isArray(columns) ? [...(columns as string[])] : (columns as 'used' | 'all') };
}

/** The columns to profile and those skipped, with reasons. @throws ParameterError for a column named that is not in the schema or not profiled. */
export function chooseColumns(schema: Schema, choice: 'used' | 'all' | string[], fn: string): { chosen: ColumnInfo[]; skipped: ProfileResult['skipped'] } {
  const profiled = (c: ColumnInfo): boolean => PROFILED_KINDS.includes(c.kind);
  const skipped: ProfileResult['skipped'] = [];
  if (Array.isArray(choice)) {
    const byName = new Map(schema.columns.map((c) => [c.name, c]));
    for (const name of choice) {
      const c = byName.get(name);
      if (c === undefined) throw new ParameterError(fn, 'columns', `column '${name}' is not in the schema`);
      if (!profiled(c)) throw new ParameterError(fn, 'columns', `column '${name}' is of kind '${c.kind}', which is not profiled (${PROFILED_KINDS.join(', ')} are)`);
    }
    const wanted = new Set(choice);
    for (const c of schema.columns) if (!wanted.has(c.name)) skipped.push({ name: c.name, kind: c.kind, reason: 'not in options.columns' });
    return { chosen: schema.columns.filter((c) => wanted.has(c.name)), skipped };
  }
  const chosen: ColumnInfo[] = [];
  for (const c of schema.columns) {
    if (!profiled(c)) skipped.push({ name: c.name, kind: c.kind, reason: `kind '${c.kind}' is not profiled` });
    else if (choice === 'used' && !c.use && c.kind !== 'flag') skipped.push({ name: c.name, kind: c.kind, reason: "not used as a feature (columns: 'used')" });
    else chosen.push(c);
  }
  return { chosen, skipped };
}

/**
 * Profiles the segments of a table: for each segment (and the noise rows, labelled −1, as a
 * group of their own) its size and share and, per profiled column:
 * - number and count columns: `NumericStats` (missing counted, mean, std, min, quartiles by
 *   linear interpolation as numpy's default, max, standardised difference from the population);
 * - category and flag columns: `CategoryStats` (most frequent values, share, lift);
 * - range columns: `RangeStats` (distribution over the ordered levels, median level);
 * - list columns: `ListStats` (items most often present, share of rows, lift).
 * Then its distinctive features (`distinctiveFeatures`) and a generated, unique name
 * (`generateNames`); `renameSegments` replaces names.
 *
 * The population is every row, noise included. Shares of values are taken over the rows where
 * the column is not missing. Time O(n·c) plus an O(m log m) sort per segment and numeric column
 * for the quantiles; memory O(n) per column at a time, so 10^6 rows take seconds.
 *
 * @param table - the rows, [nRows] with the schema's columns (numbers as any Arrow numeric
 *   type or as text; labels as text, dictionary, numbers or booleans)
 * @param schema - the column kinds (range levels and list separators are taken from it)
 * @param labels - segment per row, [nRows], integers ≥ 0, or −1 for noise
 *
 * Example (run in test/profile/profile.test.ts; `@example` blocks cannot build an Arrow table):
 * const table = tableFromArrays({ spend: Float64Array.of(1, 2, 10, 12) });
 * const schema = { rowsSeen: 4, columns: [{ name: 'spend', kind: 'number', reason: '', use: true, missing: 0, distinct: 4 }] };
 * const p = profileSegments(table, schema, Int32Array.of(0, 0, 1, 1));
 * p.segments[1].name; // 'High spend' (standardised difference 0.99)
 */
export function profileSegments(table: arrow.Table, schema: Schema, labels: ArrayLike<number>, options: ProfileOptions = {}): ProfileResult {
  const fn = 'profileSegments';
  const opts = checkOptions(options, fn);
  const rows = table.numRows;
  if (rows === 0) throw new DataError(fn, 'table', 'the table has no rows');
  const groups = groupRows(labels, rows, fn);
  const { chosen, skipped } = chooseColumns(schema, opts.columns, fn);
  const nGroups = groups.k + 1;
  const perGroup: ColumnStats[][] = Array.from({ length: nGroups }, () => []);
  const numericPerGroup: NumericStats[][] = Array.from({ length: nGroups }, () => []);
  const population: ColumnStats[] = [];
  const labelled: LabelledColumn[] = [];

  for (const info of chosen) {
    const vector = table.getChild(info.name) as arrow.Vector | null;
    if (vector === null) throw new DataError(fn, 'table', `column '${info.name}' of the schema is not in the table`, undefined, info.name);
    let result: { population: ColumnStats; groups: ColumnStats[] };
    switch (info.kind) {
      case 'number':
      case 'count': {
        const r = numericStats(info.name, info.kind, readNumbers(vector, info.numberFormat), groups);
        r.groups.forEach((s, g) => numericPerGroup[g].push(s));
        result = r;
        break;
      }
      case 'category':
      case 'flag': {
        const r = categoryStats(info.name, info.kind, vector, groups, opts.topValues);
        labelled.push({ column: info.name, kind: info.kind, counts: r.counts });
        result = r;
        break;
      }
      case 'range': {
        const r = rangeStats(info.name, vector, info.levels, groups);
        labelled.push({ column: info.name, kind: 'range', counts: r.counts });
        result = r;
        break;
      }
      case 'list': {
        const r = listStats(info.name, vector, info.separator ?? ',', groups, opts.topItems);
        labelled.push({ column: info.name, kind: 'list', counts: r.counts });
        result = r;
        break;
      }
      default:
        throw new ParameterError(fn, 'schema', `column '${info.name}' has kind '${info.kind}', which cannot be profiled`);
    }
    population.push(result.population);
    result.groups.forEach((s, g) => perGroup[g].push(s));
  }

  return profileFromColumns({ rows, ids: groups.ids, size: groups.size }, chosen, skipped, population, perGroup, numericPerGroup, labelled, opts);
}

/**
 * The profile from each column's statistics: the segments (sizes, shares, statistics in the
 * order of `chosen`), their distinctive features and generated names. `profileSegments` computes
 * the statistics from rows in memory, src/db/profile.ts by SQL inside a database.
 * @param groups - `ids` of the k segments in increasing order, `size` rows of each and of the
 *   noise group (k + 1 entries), `rows` of the whole table
 * @param perGroup - `perGroup[g]` the statistics of group g (g = k: noise), in the order of `chosen`
 * @param numericPerGroup - `perGroup[g]`'s numeric ones
 * @param labelled - the value counts of the category, flag, range and list columns
 */
export function profileFromColumns(
  groups: { rows: number; ids: readonly number[]; size: ArrayLike<number> },
  chosen: readonly ColumnInfo[],
  skipped: ProfileResult['skipped'],
  population: ColumnStats[],
  perGroup: ColumnStats[][],
  numericPerGroup: NumericStats[][],
  labelled: LabelledColumn[],
  opts: ProfileResult['options'],
): ProfileResult {
  const { rows } = groups;
  const k = groups.ids.length;
  const order = new Map(chosen.map((c, i) => [c.name, i]));
  const distinctive = { count: opts.distinctive, minCount: opts.minCount, minShare: opts.minShare };
  const profileOf = (g: number): SegmentProfile => ({
    id: g < k ? groups.ids[g] : -1,
    name: '',
    nameSource: 'generated',
    size: groups.size[g],
    share: groups.size[g] / rows,
    columns: perGroup[g],
    distinctive: distinctiveFeatures(g, numericPerGroup[g], labelled, order, distinctive),
  });
  const segments = groups.ids.map((_, g) => profileOf(g));
  const noise = groups.size[k] > 0 ? { ...profileOf(k), name: NOISE_NAME } : null;
  const names = generateNames(segments, opts.nameFeatures, opts.nameMinScore, noise === null ? [] : [NOISE_NAME]);
  for (const s of segments) s.name = names.get(s.id) as string;
  return {
    rows,
    columns: chosen.map((c) => ({ name: c.name, kind: c.kind, use: c.use })),
    skipped,
    population: { size: rows, columns: population },
    segments,
    noise,
    options: opts,
  };
}
