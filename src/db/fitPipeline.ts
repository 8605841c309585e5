// SPDX-License-Identifier: MIT
/**
 * The preprocessing Pipeline fitted inside the database: each statistic that Pipeline.fit
 * (src/data/pipeline.ts) computes from the rows in memory is computed here by SQL over the table,
 * and the result is the same saved pipeline state (PipelineJSON), so that the model, `predict`
 * and `sql` take it as any other:
 * - numbers: the cell read as predict reads it (src/model/sql/numbers.ts), the median of the
 *   values (the middle one or two rows of `ORDER BY`, averaged as numpy does: exact), the
 *   skewness for log1p 'auto', and the scaler's statistics of the imputed (and log1p) values:
 *   sums and counts for standard, the sorted values at the percentiles' ranks for robust (exact),
 *   min and max for min-max;
 * - categories, flags and ranges: one count per label (GROUP BY), from which the mode, the
 *   categories and, for ordinal ranges, the scaler's statistics of the codes follow in float64;
 * - lists: per item, the number of rows holding it (engines.ts: itemCounts).
 * Sums differ from the in-memory fit's only in the order of additions (within 1e-12 relative);
 * medians, percentiles, counts, categories, items and modes are exact.
 *
 * The cells are read by the same SQL as a compiled model reads them (readNumber, readLabel,
 * splitItems), so a model fitted here reads new rows as it read these. The SQL is the model's
 * dialect's and the database's training primitives (engines.ts): DuckDB and PostgreSQL alike;
 * O(rows) per statistic, one query each.
 */
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import { FlagEncoder, MultiHotEncoder, OneHotEncoder, OrdinalEncoder, compareLabels, topItems } from '../data/encoders.js';
import { mostFrequentOf } from '../data/impute.js';
import { describeNumberFormat, hasNumberFormat } from '../data/numberFormat.js';
import { EXCLUDED_KINDS, PIPELINE_FORMAT, PIPELINE_VERSION, Pipeline, type ColumnStep, type PipelineOptions } from '../data/pipeline.js';
import { SCALER_METHODS, fitColumnScale, medianOfSorted, percentile, robustScale, standardScale, type ColumnScale, type ScalerMethod } from '../data/scalers.js';
import type { ColumnInfo, NumberFormat, Schema } from '../data/schema.js';
import { readNumber } from '../model/sql/numbers.js';
import { readLabel } from '../model/sql/pipeline.js';
import { checkColumnTypes, checkSourceColumns, countRows, type DbSource } from './source.js';
import { checkValue, integer } from '../constraints.js';

const FN = 'fitInDatabase';
/** The alias of the table in the queries. */
const T = '__segments_t';

/** Numbers the temporary tables of read numbers. */
let readCounter = 0;

/** A sparse stand-in for sorted values: only the ranks that were fetched. */
type Ranks = { length: number } & Record<number, number>;

interface Ctx {
  source: DbSource;
  total: number;
  scaler: ScalerMethod;
  rangeEncoding: 'ordinal' | 'onehot';
  log1pOption: 'auto' | boolean | readonly string[];
  maxListItems: number;
  warn: (message: string) => void;
}

/**
 * Fits the Pipeline on the source's table, as Pipeline.fit would on all its rows, with the
 * statistics computed by the database.
 * @throws ParameterError for a bad option; DataError for an empty table, a column the schema uses
 *   that the table lacks (named), a numeric column holding an infinity, or no column left.
 */
export async function fitPipelineInDatabase(source: DbSource, schema: Schema, options: PipelineOptions = {}): Promise<Pipeline> {
  const scaler = options.scaler ?? 'standard';
  const rangeEncoding = options.rangeEncoding ?? 'ordinal';
  const maxListItems = options.maxListItems ?? 20;
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  if (!SCALER_METHODS.includes(scaler)) throw new ParameterError(FN, 'scaler', `scaler='${String(scaler)}' must be one of ${SCALER_METHODS.join(', ')}`);
  if (rangeEncoding !== 'ordinal' && rangeEncoding !== 'onehot') throw new ParameterError(FN, 'rangeEncoding', `rangeEncoding='${String(rangeEncoding)}' must be 'ordinal' or 'onehot'`);
  checkValue(FN, 'maxListItems', maxListItems, integer({ min: 1 }));
  const used = schema.columns.filter((c) => c.use && !EXCLUDED_KINDS.has(c.kind));
  checkSourceColumns(
    source,
    used.map((c) => c.name),
    FN,
  );
  checkColumnTypes(source, used, FN);
  const total = await countRows(source);
  if (total === 0) throw new DataError(FN, 'table', `the table "${source.table}" has no rows to fit on`);
  const ctx: Ctx = { source, total, scaler, rangeEncoding, log1pOption: options.log1p ?? 'auto', maxListItems, warn };
  const steps: ColumnStep[] = [];
  const dropped: Array<{ column: string; reason: string }> = [];
  for (const info of used) {
    const step = await fitColumn(info, ctx);
    if (typeof step === 'string') {
      dropped.push({ column: info.name, reason: step });
      warn(`Pipeline.fit: column "${info.name}" dropped: ${step}`);
    } else steps.push(step);
  }
  if (steps.length === 0) throw new DataError(FN, 'schema', 'no column is left to make features from');
  return Pipeline.fromJSON({ format: PIPELINE_FORMAT, version: PIPELINE_VERSION, scaler, steps, dropped, fitRows: total });
}

async function one(source: DbSource, sql: string): Promise<Record<string, unknown>> {
  return (await source.query(sql))[0];
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/** The values of `expr` (non-null) at the 0-based ranks `ranks` of its ascending order. */
async function valuesAtRanks(source: DbSource, from: string, expr: string, n: number, ranks: readonly number[]): Promise<Ranks> {
  const out: Ranks = { length: n };
  const wanted = [...new Set(ranks)].sort((a, b) => a - b);
  for (let i = 0; i < wanted.length; ) {
    // Adjacent ranks in one query.
    const start = wanted[i];
    let end = start;
    while (i + 1 < wanted.length && wanted[i + 1] === end + 1) end = wanted[++i];
    i++;
    const rows = await source.query(`SELECT ${expr} AS v FROM ${from} WHERE ${expr} IS NOT NULL ORDER BY v LIMIT ${end - start + 1} OFFSET ${start}`);
    rows.forEach((r, j) => {
      out[start + j] = num(r.v);
    });
  }
  return out;
}

/** The ranks percentile() and medianOfSorted() read for n sorted values. */
function percentileRanks(n: number, q: number): number[] {
  const h = (q / 100) * (n - 1);
  const lo = Math.floor(h);
  return [lo, Math.min(lo + 1, n - 1)];
}
function medianRanks(n: number): number[] {
  const h = n >> 1;
  return n % 2 === 1 ? [h] : [h - 1, h];
}

async function fitColumn(info: ColumnInfo, ctx: Ctx): Promise<ColumnStep | string> {
  const { name, kind } = info;
  const d = ctx.source.dialect;
  const cell = `${T}.${d.ident(name)}`;
  const from = `${ctx.source.tableSql} AS ${T}`;
  switch (kind) {
    case 'number':
    case 'count': {
      const format = hasNumberFormat(info.numberFormat) ? { ...info.numberFormat } : undefined;
      // The column's numbers read once (the reading is text matching, the costly part) into a
      // temporary table that the statistics' queries below scan.
      const read = `__segments_read_${++readCounter}`;
      const present = `${cell} IS NOT NULL AND trim(${d.toText(cell)}) <> ''`;
      await ctx.source.exec(ctx.source.engine.createTemp(read, `SELECT ${readNumber(d, cell, format)} AS __segments_r, ${present} AS __segments_present FROM ${from}`));
      try {
        return await fitNumbers(info, ctx, format, `${T}.__segments_r`, `${d.ident(read)} AS ${T}`, async (problem) => {
          const where = problem === 'inf' ? ctx.source.engine.isInfinite('__segments_r') : `${present} AND __segments_r IS NULL`;
          return String((await one(ctx.source, `SELECT ${d.toText(cell)} AS v FROM (SELECT ${cell}, ${readNumber(d, cell, format)} AS __segments_r FROM ${from}) AS ${T} WHERE ${where} LIMIT 1`)).v);
        });
      } finally {
        await ctx.source.exec(`DROP TABLE IF EXISTS ${d.ident(read)}`);
      }
    }
    case 'range':
    case 'category':
    case 'flag': {
      const label = readLabel(d, cell, []);
      const rows = await ctx.source.query(`SELECT ${label} AS label, count(*) AS n FROM ${from} WHERE ${label} IS NOT NULL GROUP BY 1`);
      const labels = rows.map((row) => String(row.label));
      const counts = rows.map((row) => num(row.n));
      const seen = labels;
      if (seen.length === 0) return 'it has no values';
      if (seen.length === 1) return `it is constant (every value is "${seen[0]}")`;
      const mode = mostFrequentOf(labels, counts) as string;
      if (kind === 'flag' && seen.length === 2) {
        return { column: name, kind, impute: { strategy: 'most_frequent', value: mode }, log1p: false, encoder: FlagEncoder.fit(seen).toJSON(), scale: null };
      }
      if (kind === 'flag') ctx.warn(`Pipeline.fit: column "${name}" is a flag with ${seen.length} values; it is one-hot encoded instead`);
      const levels = kind === 'range' ? (info.levels ?? []).map((l) => l.text) : null;
      if (kind === 'range' && levels !== null && levels.length === 0) ctx.warn(`Pipeline.fit: column "${name}" is a range without levels in its schema; it is one-hot encoded`);
      if (kind === 'range' && levels !== null && levels.length > 0) {
        const known = new Set(levels);
        const outside = seen.filter((l) => !known.has(l));
        if (outside.length > 0) ctx.warn(`Pipeline.fit: column "${name}" has values outside its levels (${outside.slice(0, 5).join(', ')}); they are imputed`);
        const levelMode = mostFrequentOf(
          labels,
          labels.map((l, i) => (known.has(l) ? counts[i] : 0)),
        );
        if (levelMode === null) return 'none of its values is one of its levels';
        if (ctx.rangeEncoding === 'onehot') {
          return { column: name, kind, impute: { strategy: 'most_frequent', value: levelMode }, log1p: false, encoder: new OneHotEncoder(levels).toJSON(), scale: null };
        }
        const enc = new OrdinalEncoder(levels);
        // Rows per code; missing cells and labels outside the levels take the mode's code.
        const perCode = new Float64Array(levels.length);
        let inLevels = 0;
        labels.forEach((l, i) => {
          const c = enc.code(l);
          if (c >= 0) {
            perCode[c] += counts[i];
            inLevels += counts[i];
          }
        });
        perCode[enc.code(levelMode)] += ctx.total - inLevels;
        const s = scaleOfCounts(perCode, ctx.total, ctx.scaler);
        if (s.constant) return `it is constant (every value is "${levelMode}")`;
        return { column: name, kind, impute: { strategy: 'most_frequent', value: levelMode }, log1p: false, encoder: enc.toJSON(), scale: pick(s) };
      }
      return { column: name, kind, impute: { strategy: 'most_frequent', value: mode }, log1p: false, encoder: new OneHotEncoder([...seen].sort(compareLabels)).toJSON(), scale: null };
    }
    case 'list': {
      const separator = info.separator ?? ',';
      const items = d.splitItems(`COALESCE(${d.toText(cell)}, '')`, separator);
      // An item counts once per row that holds it, as in Pipeline.fit.
      const rows = await ctx.source.query(ctx.source.engine.itemCounts(items, from));
      if (rows.length === 0) return 'it has no items';
      const tally = new Map(rows.map((row) => [String(row.item), num(row.n)]));
      const enc = new MultiHotEncoder(topItems(tally, ctx.maxListItems), separator);
      return { column: name, kind, impute: null, log1p: false, encoder: enc.toJSON(), scale: null };
    }
    case 'id':
    case 'text':
    case 'url':
    case 'datetime':
    case 'empty':
      return `kind '${kind}' does not make features`;
    default:
      return assertUnreachable(kind);
  }
}

/**
 * The step of a numeric column whose values (NULL: missing or unreadable) are `r` in `from`;
 * `example` gives a cell that is infinite or not a number, for the messages.
 */
async function fitNumbers(info: ColumnInfo, ctx: Ctx, format: NumberFormat | undefined, r: string, from: string, example: (problem: 'inf' | 'invalid') => Promise<string>): Promise<ColumnStep | string> {
  const { name, kind } = info;
  const d = ctx.source.dialect;
  // A cell counts as not a number when it is neither missing nor blank and reads as NULL.
  // FILTER: DuckDB (https://duckdb.org/docs/stable/sql/query_syntax/filter) and PostgreSQL
  // (https://www.postgresql.org/docs/15/sql-expressions.html#SYNTAX-AGGREGATES).
  const counts = await one(
    ctx.source,
    `SELECT count(${r}) AS n, count(*) FILTER (WHERE ${ctx.source.engine.isInfinite(r)}) AS inf, count(*) FILTER (WHERE __segments_present AND ${r} IS NULL) AS invalid FROM ${from}`,
  );
  const n = num(counts.n);
  if (num(counts.inf) > 0) throw new DataError(FN, 'table', `column '${name}' holds ${await example('inf')}, which is not a finite number`, undefined, name);
  const invalid = num(counts.invalid);
  if (invalid > 0) {
    const how = format === undefined ? 'numbers' : describeNumberFormat(format);
    ctx.warn(`Pipeline.fit: column "${name}": ${invalid} of ${ctx.total} cells are not ${how} (e.g. '${await example('invalid')}'); they count as missing and are filled with the median`);
  }
  if (n === 0) return 'it has no numeric values';
  const median = medianOfSorted(await valuesAtRanks(ctx.source, from, r, n, medianRanks(n)));
  const w = `COALESCE(${r}, ${d.double(median)})`;
  const log1p = await wantsLog1p(info, ctx, w, from);
  const x = log1p ? d.signedLog1p(w) : w;
  const s = await scaleOf(ctx, x, from);
  if (![s.center, s.scale, s.offset].every(Number.isFinite)) {
    throw new DataError(FN, 'table', `column '${name}': its values are too large to scale (the ${ctx.scaler} scaler's statistics overflow)`, undefined, name);
  }
  if (s.constant) return `it is constant (every value is ${median})`;
  const step: ColumnStep = { column: name, kind, impute: { strategy: 'median', value: median }, log1p, encoder: null, scale: pick(s) };
  if (format !== undefined) step.numberFormat = format;
  return step;
}

function pick(s: ColumnScale): ColumnStep['scale'] {
  return { center: s.center, scale: s.scale, offset: s.offset };
}

/** Pipeline.fit's wantsLog1p, with the moments of the imputed values `w` by SQL. */
async function wantsLog1p(info: ColumnInfo, ctx: Ctx, w: string, from: string): Promise<boolean> {
  const option = ctx.log1pOption;
  if (Array.isArray(option)) return option.includes(info.name);
  if (option === true) return info.kind === 'count';
  if (option === false || info.kind !== 'count') return false;
  const first = await one(ctx.source, `SELECT sum(${w}) AS s, min(${w}) AS lo FROM ${from}`);
  if (num(first.lo) < 0) return false;
  const mean = num(first.s) / ctx.total;
  const dev = `(${w} - ${ctx.source.dialect.double(mean)})`;
  const second = await one(ctx.source, `SELECT sum(${dev} * ${dev}) AS m2, sum(${dev} * ${dev} * ${dev}) AS m3 FROM ${from}`);
  const m2 = num(second.m2) / ctx.total;
  const m3 = num(second.m3) / ctx.total;
  return m2 > 0 && m3 / m2 ** 1.5 > 1;
}

/** fitColumnScale of the values `x` (never NULL: imputed) of every row, by SQL. */
async function scaleOf(ctx: Ctx, x: string, from: string): Promise<ColumnScale> {
  const n = ctx.total;
  const d = ctx.source.dialect;
  switch (ctx.scaler) {
    case 'none':
      return fitColumnScale([], 'none');
    case 'standard': {
      const first = await one(ctx.source, `SELECT sum(${x}) AS s FROM ${from}`);
      const mean = num(first.s) / n;
      const dev = `(${x} - ${d.double(mean)})`;
      const second = await one(ctx.source, `SELECT sum(${dev} * ${dev}) AS sq, sum(${dev}) AS corr FROM ${from}`);
      return standardScale(n, mean, num(second.sq), num(second.corr));
    }
    case 'robust': {
      const ranks = await valuesAtRanks(ctx.source, from, x, n, [...medianRanks(n), ...percentileRanks(n, 25), ...percentileRanks(n, 75)]);
      return robustScale(medianOfSorted(ranks), percentile(ranks, 25), percentile(ranks, 75));
    }
    case 'minmax': {
      const row = await one(ctx.source, `SELECT min(${x}) AS lo, max(${x}) AS hi FROM ${from}`);
      return fitColumnScale([num(row.lo), num(row.hi)], 'minmax');
    }
    default:
      return assertUnreachable(ctx.scaler);
  }
}

/** fitColumnScale of n values of which perCode[c] equal c (the codes of an ordinal range). */
function scaleOfCounts(perCode: Float64Array, n: number, scaler: ScalerMethod): ColumnScale {
  switch (scaler) {
    case 'none':
      return fitColumnScale([], 'none');
    case 'standard': {
      // Integers: the sum is exact, as the in-memory fit's is.
      let sum = 0;
      perCode.forEach((k, c) => {
        sum += k * c;
      });
      const mean = sum / n;
      let sq = 0;
      let corr = 0;
      perCode.forEach((k, c) => {
        sq += k * (c - mean) * (c - mean);
        corr += k * (c - mean);
      });
      return standardScale(n, mean, sq, corr);
    }
    case 'robust': {
      const at = (rank: number): number => {
        let seen = 0;
        for (let c = 0; c < perCode.length; c++) {
          seen += perCode[c];
          if (rank < seen) return c;
        }
        return perCode.length - 1;
      };
      const ranks: Ranks = { length: n };
      for (const rank of [...medianRanks(n), ...percentileRanks(n, 25), ...percentileRanks(n, 75)]) ranks[rank] = at(rank);
      return robustScale(medianOfSorted(ranks), percentile(ranks, 25), percentile(ranks, 75));
    }
    case 'minmax': {
      const present = [...perCode.keys()].filter((c) => perCode[c] > 0);
      return fitColumnScale([Math.min(...present), Math.max(...present)], 'minmax');
    }
    default:
      return assertUnreachable(scaler);
  }
}
