// SPDX-License-Identifier: MIT
/**
 * The profiles of an in-database fit from every row, by SQL: the rows segmented once into a
 * temporary table of the profiled columns and the segment, then per column one GROUP BY over it.
 * A fit segments them from what it stored (segmentStored: the profiled cells were read beside the
 * features, in the same pass, and each row takes its nearest center as Lloyd's last pass does);
 * a model alone segments them by its SQL (segmentInDatabase: src/model/sql/compile.ts, the query
 * `segments sql` prints, which gives predict's segment). The figures are those profileSegments (src/profile/) computes from
 * the same rows in memory, and go through the same assembly (distinctive features, names), so
 * profiles.json has the same shape:
 * - sizes, missing cells, category, flag and range value counts, list item counts: counts, exact;
 * - min and max: exact; q1, median, q3: exact order statistics (DuckDB's quantile_cont and
 *   PostgreSQL's percentile_cont interpolate between those at (n − 1)·p as numpy's default;
 *   DuckDB's approx_quantile would not), the interpolation rounded within an ulp of ours (DuckDB
 *   gave 0.18998665624999997 where we give 0.18998665625);
 * - mean and standard deviation: sums, which differ from the in-memory compensated sums only in
 *   the order of additions (within 1e-12 relative), and so the standardised differences.
 * Cells are read as the rows pulled into memory are (src/db/source.ts pullRows): numbers by the
 * model's number reader, labels as their text (numbers as JavaScript writes them), blank text
 * missing, list items split and trimmed of ASCII white space (JavaScript's trim also takes other
 * Unicode white space).
 */
import { hasNumberFormat } from '../data/numberFormat.js';
import type { ColumnInfo, Schema } from '../data/schema.js';
import { DataError } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import type { SegmentationModel } from '../model/model.js';
import type { Sql } from '../model/sql/dialects.js';
import { readNumber } from '../model/sql/numbers.js';
import { categoryStatsFromCounts } from '../profile/categoryStats.js';
import type { LabelledColumn } from '../profile/distinctive.js';
import { listStatsFromCounts } from '../profile/listStats.js';
import { numericSummary, setStdDiffs, type NumericStats } from '../profile/numericStats.js';
import { checkOptions, chooseColumns, profileFromColumns, type ColumnStats, type ProfileOptions, type ProfileResult } from '../profile/profile.js';
import { rangeStatsFromLabelCounts } from '../profile/rangeStats.js';
import type { ValueCounts } from '../profile/valueCounts.js';
import { featureColumns } from './engines.js';
import { SOURCE_ROW, carriedName, type CarriedColumn, type DbFeatures } from './lloyd.js';
import { checkSourceColumns, isNumericType, type DbSource } from './source.js';

const FN = 'profileInDatabase';
/** The segment column of the segmented table. */
export const SEGMENT_NAME = '__segments_seg';

let segmentedCounter = 0;

/** The rows of a source's table with their segments, stored in the database. */
export interface DbSegmented {
  source: DbSource;
  /**
   * The temporary table: the columns `columns` (their names), number and count columns as the
   * doubles a profile reads from them (the model's number reader; NULL where missing, unreadable
   * or infinite), the others as they are, and SEGMENT_NAME.
   */
  table: string;
  columns: readonly string[];
  /** The segment ids present, ascending, and the rows of each. */
  ids: number[];
  sizes: number[];
  rows: number;
  drop(): Promise<void>;
}

/**
 * Segments every row of the source's table by `model` (its SQL) into a temporary table holding
 * `columns` (numbers read once, here) and the segment: one pass over the table, O(rows · k · features).
 * (An in-database fit does not need this pass: segmentStored reuses what it stored.)
 */
export async function segmentInDatabase(source: DbSource, model: SegmentationModel, infos: readonly ColumnInfo[]): Promise<DbSegmented> {
  const d = source.dialect;
  const select = model.toSQL({ dialect: d.name, table: source.table });
  const carried = profiledCells(source, infos, '__segments_q').map((c) => `${c.then === undefined ? c.read : c.then(c.read)} AS ${d.ident(c.name)}`);
  return segmentedTable(source, infos.map((c) => c.name), `SELECT ${[...carried, `__segments_q.segment AS ${SEGMENT_NAME}`].join(', ')} FROM (${select}) AS __segments_q`);
}

/**
 * The cells a profile reads of the columns `infos`, as SQL over the source's row `alias`: number
 * and count columns as the doubles a profile reads from them (the model's number reader; NULL
 * where missing, unreadable or infinite), the others as they are. For storeFeatures' `carry`
 * (with alias SOURCE_ROW), so that segmentStored finds them beside the features.
 */
export function profiledCells(source: DbSource, infos: readonly ColumnInfo[], alias: string = SOURCE_ROW): CarriedColumn[] {
  checkSourceColumns(source, infos.map((c) => c.name), FN);
  return infos.map((c) => {
    const cell = `${alias}.${source.dialect.ident(c.name)}`;
    if (c.kind !== 'number' && c.kind !== 'count') return { name: c.name, read: cell };
    // The model's number reader (the features' read of the column where they read it), infinities missing (as readNumbers).
    const read = readNumber(source.dialect, cell, hasNumberFormat(c.numberFormat) ? c.numberFormat : undefined);
    return { name: c.name, read, then: (r) => `(CASE WHEN ${source.engine.isInfinite(r)} THEN NULL ELSE ${r} END)` };
  });
}

/**
 * The rows stored with their features (storeFeatures, with `carry` from profiledCells) labelled
 * by their nearest of `centers` as Lloyd's iterations label them (engines.ts: the last pass of
 * lloydInDatabase, whose sizes these are), into a temporary table of the carried columns and the
 * segment. One pass over the stored rows, none over the source's table: the features are not
 * computed again. O(rows · k · features).
 */
export async function segmentStored(f: DbFeatures, centers: MatrixF32): Promise<DbSegmented> {
  const d = f.source.dialect;
  const stored = f.carried.map((_, i) => d.ident(carriedName(i)));
  const labelled = f.source.engine.labelled(d.ident(f.table), featureColumns(d, f.cols), centers, stored);
  const carried = f.carried.map((name, i) => `__segments_q.${stored[i]} AS ${d.ident(name)}`);
  return segmentedTable(f.source, f.carried, `SELECT ${[...carried, `__segments_q.seg AS ${SEGMENT_NAME}`].join(', ')} FROM (${labelled}) AS __segments_q`);
}

/** Stores the rows of `select` (the columns and SEGMENT_NAME) as a temporary table and counts its rows per segment. */
async function segmentedTable(source: DbSource, columns: readonly string[], select: Sql): Promise<DbSegmented> {
  const d = source.dialect;
  const table = `__segments_segmented_${++segmentedCounter}`;
  await source.exec(source.engine.createTemp(table, select));
  const drop = async (): Promise<void> => {
    await source.exec(`DROP TABLE IF EXISTS ${d.ident(table)}`);
  };
  try {
    const counts = await source.query(`SELECT ${SEGMENT_NAME} AS seg, count(*) AS n FROM ${d.ident(table)} GROUP BY ${SEGMENT_NAME} ORDER BY ${SEGMENT_NAME}`);
    const ids = counts.map((r) => Number(r.seg));
    const sizes = counts.map((r) => Number(r.n));
    return { source, table, columns: [...columns], ids, sizes, rows: sizes.reduce((a, b) => a + b, 0), drop };
  } catch (err) {
    await drop();
    throw err;
  }
}

/** What {@link profileInDatabase} gives besides the profile: each labelled column's raw label counts, for the report. */
export interface DbProfile {
  profiles: ProfileResult;
  /** Per category, flag and range column, the counts of its labels as read (groups 0 … k − 1, noise k, population k + 1). */
  labelCounts: Map<string, ValueCounts>;
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A cell's label as the rows pulled into memory give it (readLabels): its text, numbers as JavaScript writes them; NULL where blank. */
export function labelOf(source: DbSource, cell: string, column: string): string {
  const d = source.dialect;
  const type = source.columns.find((c) => c.name === column)?.type ?? '';
  const text = isNumericType(type) ? source.engine.numberText(d.toDouble(cell)) : d.toText(cell);
  return `(CASE WHEN ${cell} IS NULL OR ${d.matches(text, '\\s*')} THEN NULL ELSE ${text} END)`;
}

/**
 * profileSegments of the segmented rows, every figure computed by SQL (see the module comment);
 * `schema` chooses the columns and gives their kinds, as it does for profileSegments.
 * O(rows) per column in the database, plus a sort per numeric column for its quantiles.
 * @throws ParameterError for a bad option; DataError for a table with no rows.
 */
export async function profileInDatabase(seg: DbSegmented, schema: Schema, options: ProfileOptions = {}): Promise<DbProfile> {
  const opts = checkOptions(options, FN);
  if (seg.rows === 0) throw new DataError(FN, 'table', `the table "${seg.source.table}" has no rows to profile`);
  const { chosen, skipped } = chooseColumns(schema, opts.columns, FN);
  const k = seg.ids.length;
  const slot = new Map(seg.ids.map((id, g) => [id, g]));
  const size = new Float64Array(k + 1);
  seg.sizes.forEach((n, g) => {
    size[g] = n;
  });
  const perGroup: ColumnStats[][] = Array.from({ length: k + 1 }, () => []);
  const numericPerGroup: NumericStats[][] = Array.from({ length: k + 1 }, () => []);
  const population: ColumnStats[] = [];
  const labelled: LabelledColumn[] = [];
  const labelCounts = new Map<string, ValueCounts>();
  const source = seg.source;
  const d = source.dialect;
  const from = `${d.ident(seg.table)} AS __segments_p`;
  const cellOf = (name: string): string => `__segments_p.${d.ident(name)}`;
  const segCol = `__segments_p.${SEGMENT_NAME}`;
  /** Missing cells per group and in all (k + 1), from (segment, rows) pairs. */
  const missingOf = (rows: ReadonlyArray<Record<string, unknown>>): Float64Array => {
    const missing = new Float64Array(k + 2);
    for (const r of rows) missing[slot.get(Number(r.seg)) as number] += num(r.n);
    for (let g = 0; g <= k; g++) missing[k + 1] += missing[g];
    return missing;
  };
  const missingCounts = async (info: ColumnInfo): Promise<Float64Array> =>
    missingOf(await source.query(`SELECT ${segCol} AS seg, count(*) AS n FROM ${from} WHERE ${labelOf(source, cellOf(info.name), info.name)} IS NULL GROUP BY ${segCol}`));

  for (const info of chosen) {
    if (!seg.columns.includes(info.name)) throw new DataError(FN, 'table', `column '${info.name}' of the schema is not in the segmented rows`, undefined, info.name);
    let result: { population: ColumnStats; groups: ColumnStats[] };
    switch (info.kind) {
      case 'number':
      case 'count': {
        const r = await numericInDatabase(seg, info, slot, size);
        r.groups.forEach((s, g) => numericPerGroup[g].push(s));
        result = r;
        break;
      }
      case 'category':
      case 'flag':
      case 'range': {
        const label = labelOf(source, cellOf(info.name), info.name);
        // One scan: the NULL label's rows are the missing cells.
        const rows = await source.query(`SELECT ${segCol} AS seg, ${label} AS label, count(*) AS n FROM ${from} GROUP BY ${segCol}, ${label}`);
        const present = rows.filter((r) => r.label !== null && r.label !== undefined);
        const missing = missingOf(rows.filter((r) => r.label === null || r.label === undefined));
        const vc = valueCounts(present.map((r) => ({ g: slot.get(Number(r.seg)) as number, value: String(r.label), n: num(r.n) })), k, missing);
        labelCounts.set(info.name, vc);
        if (info.kind === 'range') {
          const r = rangeStatsFromLabelCounts(info.name, vc, info.levels);
          labelled.push({ column: info.name, kind: 'range', counts: r.counts });
          result = r;
        } else {
          labelled.push({ column: info.name, kind: info.kind, counts: vc });
          result = categoryStatsFromCounts(info.name, info.kind, vc, opts.topValues);
        }
        break;
      }
      case 'list': {
        const cell = cellOf(info.name);
        const items = d.splitItems(`COALESCE(${d.toText(cell)}, '')`, info.separator ?? ',');
        const rows = await source.query(source.engine.itemCounts(items, from, segCol));
        const vc = valueCounts(rows.map((r) => ({ g: slot.get(Number(r.grp)) as number, value: String(r.item), n: num(r.n) })), k, await missingCounts(info));
        // Each row's distinct items summed over a group: the rows holding each item, summed.
        const itemSum = new Float64Array(k + 2);
        const nv = vc.values.length;
        for (let g = 0; g < k + 2; g++) for (let v = 0; v < nv; v++) itemSum[g] += vc.counts[g * nv + v];
        // A list's rows with a cell count whether or not it holds an item.
        for (let g = 0; g < k + 2; g++) vc.totals[g] = (g <= k ? size[g] : seg.rows) - vc.missing[g];
        labelled.push({ column: info.name, kind: 'list', counts: vc });
        result = listStatsFromCounts(info.name, vc, itemSum, opts.topItems);
        break;
      }
      default:
        throw new DataError(FN, 'schema', `column '${info.name}' has kind '${info.kind}', which cannot be profiled`, undefined, info.name);
    }
    population.push(result.population);
    result.groups.forEach((s, g) => perGroup[g].push(s));
  }
  const profiles = profileFromColumns({ rows: seg.rows, ids: seg.ids, size }, chosen, skipped, population, perGroup, numericPerGroup, labelled, opts);
  return { profiles, labelCounts };
}

/**
 * Value counts from (group, value, rows) triples: values in text order, the population (row
 * k + 1) the sum of the groups (integers: exact), totals the rows with a value.
 */
function valueCounts(cells: ReadonlyArray<{ g: number; value: string; n: number }>, k: number, missing: Float64Array): ValueCounts {
  const values = [...new Set(cells.map((c) => c.value))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(values.map((v, i) => [v, i]));
  const nv = values.length;
  const vc: ValueCounts = { values, counts: new Float64Array((k + 2) * nv), totals: new Float64Array(k + 2), missing };
  for (const c of cells) {
    const v = index.get(c.value) as number;
    for (const g of [c.g, k + 1]) {
      vc.counts[g * nv + v] += c.n;
      vc.totals[g] += c.n;
    }
  }
  return vc;
}

/** NumericStats of one column per group and for the population, by one GROUP BY GROUPING SETS query. */
async function numericInDatabase(seg: DbSegmented, info: ColumnInfo, slot: Map<number, number>, size: Float64Array): Promise<{ population: NumericStats; groups: NumericStats[] }> {
  const source = seg.source;
  const d = source.dialect;
  const e = source.engine;
  const kind = info.kind as 'number' | 'count';
  const k = seg.ids.length;
  const v = `__segments_p.${d.ident(info.name)}`;
  // GROUPING SETS: the groups and the whole table in one scan (https://duckdb.org/docs/stable/sql/query_syntax/grouping_sets,
  // https://www.postgresql.org/docs/15/queries-table-expressions.html#QUERIES-GROUPING-SETS);
  // GROUPING() tells the whole table's row from a group's.
  const inner = `SELECT GROUPING(${SEGMENT_NAME}) AS whole, ${SEGMENT_NAME} AS seg, count(*) AS nrows, count(v) AS n, ${e.mean('v')} AS mean, stddev_pop(v) AS std, min(v) AS lo, max(v) AS hi, ${e.quantiles('v', [0.25, 0.5, 0.75])} AS q FROM (SELECT ${SEGMENT_NAME}, ${v} AS v FROM ${d.ident(seg.table)} AS __segments_p) AS __segments_v GROUP BY GROUPING SETS ((${SEGMENT_NAME}), ())`;
  const rows = await source.query(`SELECT whole, seg, nrows, n, mean, std, lo, hi, q[1] AS q1, q[2] AS q2, q[3] AS q3 FROM (${inner}) AS __segments_s`);
  const stats = (r: Record<string, unknown>): NumericStats => {
    const n = num(r.n);
    const missing = num(r.nrows) - n;
    if (n === 0) return numericSummary(info.name, kind, null, missing);
    const min = num(r.lo);
    const max = num(r.hi);
    // As the in-memory profile: a constant group has its value as mean and std 0, whatever the rounding.
    const constant = min === max;
    return numericSummary(info.name, kind, { count: n, mean: constant ? min : num(r.mean), std: constant ? 0 : (nullable(r.std) ?? 0), min, q1: num(r.q1), median: num(r.q2), q3: num(r.q3), max }, missing);
  };
  const groups: NumericStats[] = Array.from({ length: k + 1 }, (_, g) => numericSummary(info.name, kind, null, size[g]));
  let population: NumericStats | null = null;
  for (const r of rows) {
    if (num(r.whole) === 1) population = stats(r);
    else groups[slot.get(Number(r.seg)) as number] = stats(r);
  }
  if (population === null) throw new DataError(FN, 'table', `the whole table's statistics of column '${info.name}' did not come back`, undefined, info.name);
  setStdDiffs(population, groups);
  return { population, groups };
}

/** The columns profileInDatabase reads for `schema` with `options.columns` (to segment them once). */
export function profiledColumns(schema: Schema, options: ProfileOptions = {}): ColumnInfo[] {
  return chooseColumns(schema, checkOptions(options, FN).columns, FN).chosen;
}
