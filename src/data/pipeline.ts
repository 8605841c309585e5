// SPDX-License-Identifier: MIT
/**
 * The preprocessing Pipeline: from an Arrow table and its Schema to a float32 feature matrix.
 * For each used column, in order: impute (median or most frequent) → log1p for heavy-tailed
 * counts → encode (numbers as they are, ranges ordinal or one-hot, categories one-hot with an
 * "other" slot, flags 0/1, lists multi-hot) → scale (numbers and ordinals only; 0/1 indicators
 * stay 0/1). Constant columns are dropped with a warning instead of being divided by zero.
 * Numbers stored as text in a format (`1,234`, `12.5%`, `$1,200`: {@link ColumnInfo.numberFormat})
 * are read with src/data/numberFormat.ts (the one number reader), and the format is kept in the
 * column's step; cells that do not fit it are counted (`invalid`) and imputed, with a warning.
 *
 * Fit on one table, transform others: columns are matched by name, missing ones are a DataError
 * naming them, extra ones are ignored and reported. `toJSON` / `fromJSON` carry a format version
 * so that a saved model applies the same transform to new data.
 *
 * Work is column-wise on the typed arrays of Arrow's vectors: labels are interned from their UTF-8
 * bytes (one string per distinct label, not per cell), so a transform makes no per-cell objects.
 * O(n·d) time for a transform; a fit adds an O(n log n) sort per numeric column (medians).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as arrow from 'apache-arrow';
import { Interner, validityOf } from './interner.js';
import { medianInPlace } from './select.js';
import { readLabelIds, type LabelIds } from './columnReader.js';
import { skewness } from './skewness.js';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import { FlagEncoder, MultiHotEncoder, OTHER, OneHotEncoder, OrdinalEncoder, compareLabels, topItems, type EncoderJSON } from './encoders.js';
import { MedianImputer, mostFrequentOf } from './impute.js';
import { describeNumberFormat, hasNumberFormat, numberFormatProblem, readNumberColumn } from './numberFormat.js';
import { SCALER_METHODS, fitColumnScale, type ColumnScale, type ScalerMethod } from './scalers.js';
import type { ColumnInfo, ColumnKind, NumberFormat, Schema } from './schema.js';
import { checkValue, integer } from '../constraints.js';

/** The `format` field of a saved pipeline. */
export const PIPELINE_FORMAT = 'segments.pipeline';
/**
 * The version of the saved form this code writes and reads. Version 1 gained the optional
 * `numberFormat` of a step; a saved step without it reads as before, so the version stayed 1.
 */
export const PIPELINE_VERSION = 1;

/** Kinds that never become features. */
export const EXCLUDED_KINDS: ReadonlySet<ColumnKind> = new Set(['id', 'text', 'url', 'datetime', 'empty']);

export interface PipelineOptions {
  /** Scaler for numeric and ordinal features. Default 'standard'. */
  scaler?: ScalerMethod;
  /** Ranges as one ordinal feature (levels in order of their numbers) or one-hot. Default 'ordinal'. */
  rangeEncoding?: 'ordinal' | 'onehot';
  /**
   * log1p before scaling: 'auto' (count columns with skewness > 1 and no negative values), true
   * (every count column), false, or the names of the numeric columns to transform. Default 'auto'.
   * Applied as sign(x)·log1p(|x|), which is log1p for the non-negative values counts have.
   */
  log1p?: 'auto' | boolean | readonly string[];
  /** List columns keep their most frequent this many items. Default 20. */
  maxListItems?: number;
  /** Receives warnings (constant columns dropped, columns ignored). Default console.warn. */
  onWarning?: (message: string) => void;
}

/** One used column's fitted steps, as saved. */
export interface ColumnStep {
  column: string;
  kind: ColumnKind;
  /** Median of numbers (after nothing else), or the most frequent label; null: none needed. */
  impute: { strategy: 'median'; value: number } | { strategy: 'most_frequent'; value: string } | null;
  log1p: boolean;
  /** Null for a numeric column. */
  encoder: EncoderJSON | null;
  /**
   * For a numeric column stored as text: how its numbers are written (`1,234`, `12.5%`,
   * `$1,200`), from {@link ColumnInfo.numberFormat}; its cells are read with
   * `parseNumber` (src/data/numberFormat.ts). Absent: text cells are read as plain numbers.
   */
  numberFormat?: NumberFormat;
  /** For numeric and ordinal features. */
  scale: Pick<ColumnScale, 'center' | 'scale' | 'offset'> | null;
}

/** The saved form of a fitted Pipeline. */
export interface PipelineJSON {
  format: typeof PIPELINE_FORMAT;
  version: number;
  scaler: ScalerMethod;
  steps: ColumnStep[];
  /** Columns dropped when fitting, and why. */
  dropped: Array<{ column: string; reason: string }>;
  /** Rows of the table it was fitted on. */
  fitRows: number;
}

/** What a transform did, column by column. */
export interface TransformReport {
  rows: number;
  /** Cells filled by imputation, per used column (missing cells, text in a numeric column, flags or levels not known). */
  imputed: Record<string, number>;
  /** Of those, cells that held a value that could not be used (text in a numeric column, an unknown level or flag). */
  invalid: Record<string, number>;
  /** Categories not seen when fitting, per column: how many cells, and up to 10 of the values. */
  unseen: Record<string, { count: number; values: string[] }>;
  /** Columns dropped when fitting (constant, no values), with the reason. */
  dropped: Array<{ column: string; reason: string }>;
  /** Columns of the table that the pipeline does not use. */
  ignored: string[];
  /** log1p was applied to these columns. */
  log1p: string[];
}

/**
 * A cell a transform cannot read: text that is not a number, or an infinite number (`inf`,
 * `1e999`), in a numeric column. The matrix holds the column's imputed value there, so that the
 * caller decides: predict refuses the row (or follows its `onBadRows`), a fit is told.
 * Missing cells (null, blank) are not bad: the imputer fills them, as it did when fitting.
 */
export interface BadCell {
  /** Zero-based row of the table. */
  row: number;
  column: string;
  /** The cell as text (at most 60 characters). */
  value: string;
  /** Why it cannot be read, e.g. `is not a number`. */
  reason: string;
}

/** The output of a transform. */
export interface PipelineOutput {
  /** [rows, features] row-major float32. */
  matrix: MatrixF32;
  /** One per feature: `Age`, `Gender=Female`, `Top Interests:Travel`, `Gender=<other>`. */
  featureNames: string[];
  /** [features] index into `columns` of the column each feature comes from. */
  featureColumn: Int32Array;
  /** The source columns, in the order of the steps. */
  columns: string[];
  report: TransformReport;
  /** Cells that cannot be read, column by column, rows in order within a column. */
  badCells: BadCell[];
}

/** The matrix of a transform as a tf.Tensor2D [rows, features]; the caller disposes it. */
export function outputTensor(output: PipelineOutput): tf.Tensor2D {
  return tf.tensor2d(output.matrix.data, [output.matrix.rows, output.matrix.cols], 'float32');
}

const FIT = 'Pipeline.fit';
const TRANSFORM = 'Pipeline.transform';

/**
 * A fitted preprocessing pipeline; immutable.
 * @example
 * const { table } = await readTable('user_profiles_for_ads.csv');
 * const pipeline = Pipeline.fit(table, inferKinds(table), { scaler: 'robust' });
 * const { matrix, featureNames, report } = pipeline.transform(table);
 * [matrix.rows, featureNames.length === matrix.cols]; // [1000, true]
 * const again = Pipeline.fromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
 * again.transform(table).matrix.data.every((v, i) => v === matrix.data[i]); // true: saved and read back, it gives the same matrix
 */
export class Pipeline {
  private constructor(
    readonly scaler: ScalerMethod,
    readonly steps: readonly ColumnStep[],
    readonly dropped: ReadonlyArray<{ column: string; reason: string }>,
    readonly fitRows: number,
  ) {}

  /** The source columns used, in order. */
  get columns(): string[] {
    return this.steps.map((s) => s.column);
  }

  /** The feature names a transform produces. */
  get featureNames(): string[] {
    return this.steps.flatMap((s) => stepFeatureNames(s));
  }

  /**
   * Fits each used column of `table` as `schema` describes it. Columns that are not used
   * (`use: false`, or kind id/text/url/datetime/empty) are skipped; constant columns are dropped
   * with a warning.
   */
  static fit(table: arrow.Table, schema: Schema, options: PipelineOptions = {}): Pipeline {
    return Pipeline.fitWith(table, schema, options, null);
  }

  private static fitWith(table: arrow.Table, schema: Schema, options: PipelineOptions, reads: ColumnReads | null): Pipeline {
    const scaler = options.scaler ?? 'standard';
    const rangeEncoding = options.rangeEncoding ?? 'ordinal';
    const log1pOption = options.log1p ?? 'auto';
    const maxListItems = options.maxListItems ?? 20;
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    if (!SCALER_METHODS.includes(scaler)) throw new ParameterError(FIT, 'scaler', `scaler='${String(scaler)}' must be one of ${SCALER_METHODS.join(', ')}`);
    if (rangeEncoding !== 'ordinal' && rangeEncoding !== 'onehot') {
      throw new ParameterError(FIT, 'rangeEncoding', `rangeEncoding='${String(rangeEncoding)}' must be 'ordinal' or 'onehot'`);
    }
    checkValue(FIT, 'maxListItems', maxListItems, integer({ min: 1 }));
    if (table.numRows === 0) throw new DataError(FIT, 'table', 'the table has no rows to fit on');
    const used = schema.columns.filter((c) => c.use && !EXCLUDED_KINDS.has(c.kind));
    const absent = used.filter((c) => table.getChild(c.name) === null).map((c) => c.name);
    if (absent.length > 0) {
      throw new DataError(FIT, 'table', `the schema uses column(s) the table does not have: ${absent.map((n) => JSON.stringify(n)).join(', ')}`, undefined, absent[0]);
    }
    const steps: ColumnStep[] = [];
    const dropped: Array<{ column: string; reason: string }> = [];
    const drop = (column: string, reason: string): void => {
      dropped.push({ column, reason });
      warn(`${FIT}: column "${column}" dropped: ${reason}`);
    };
    for (const info of used) {
      const vector = table.getChild(info.name) as arrow.Vector;
      const step = fitColumn(info, vector, { scaler, rangeEncoding, log1pOption, maxListItems, warn, reads });
      if (typeof step === 'string') drop(info.name, step);
      else steps.push(step);
    }
    if (steps.length === 0) throw new DataError(FIT, 'schema', 'no column is left to make features from');
    return new Pipeline(scaler, steps, dropped, table.numRows);
  }

  /**
   * Fits on `table` and transforms it. The labels and list items of each text column are read
   * once for both (reading them is most of the pipeline's time on text columns).
   */
  static fitTransform(table: arrow.Table, schema: Schema, options: PipelineOptions = {}): { pipeline: Pipeline; output: PipelineOutput } {
    const reads = new ColumnReads();
    const pipeline = Pipeline.fitWith(table, schema, options, reads);
    return { pipeline, output: pipeline.transformWith(table, reads) };
  }

  /**
   * The feature matrix of `table`, whose columns are matched by name. O(rows · features).
   * @throws DataError naming every fitted column the table lacks.
   */
  transform(table: arrow.Table): PipelineOutput {
    return this.transformWith(table, null);
  }

  private transformWith(table: arrow.Table, reads: ColumnReads | null): PipelineOutput {
    const absent = this.steps.filter((s) => table.getChild(s.column) === null).map((s) => s.column);
    if (absent.length > 0) {
      throw new DataError(TRANSFORM, 'table', `the table lacks column(s) the pipeline was fitted on: ${absent.map((n) => JSON.stringify(n)).join(', ')}`, undefined, absent[0]);
    }
    const names = new Set(this.columns);
    const featureNames = this.featureNames;
    const rows = table.numRows;
    const cols = featureNames.length;
    const data = new Float32Array(rows * cols);
    const featureColumn = new Int32Array(cols);
    const report: TransformReport = {
      rows,
      imputed: {},
      invalid: {},
      unseen: {},
      dropped: this.dropped.map((d) => ({ ...d })),
      ignored: table.schema.fields.map((f) => f.name).filter((n) => !names.has(n)),
      log1p: this.steps.filter((s) => s.log1p).map((s) => s.column),
    };
    const badCells: BadCell[] = [];
    let base = 0;
    this.steps.forEach((step, index) => {
      const width = stepFeatureNames(step).length;
      featureColumn.fill(index, base, base + width);
      const counts = transformColumn(step, table.getChild(step.column) as arrow.Vector, data, base, cols, badCells, reads);
      report.imputed[step.column] = counts.imputed;
      if (counts.invalid > 0) report.invalid[step.column] = counts.invalid;
      if (counts.unseen > 0) report.unseen[step.column] = { count: counts.unseen, values: counts.unseenValues };
      base += width;
    });
    return { matrix: { data, rows, cols }, featureNames, featureColumn, columns: this.columns, report, badCells };
  }

  toJSON(): PipelineJSON {
    return {
      format: PIPELINE_FORMAT,
      version: PIPELINE_VERSION,
      scaler: this.scaler,
      steps: this.steps.map((s) => structuredClone(s)),
      dropped: this.dropped.map((d) => ({ ...d })),
      fitRows: this.fitRows,
    };
  }

  /** Rebuilds a pipeline saved by `toJSON` (after JSON.stringify / JSON.parse). */
  static fromJSON(json: PipelineJSON): Pipeline {
    if (json === null || typeof json !== 'object' || json.format !== PIPELINE_FORMAT) {
      throw new DataError('Pipeline.fromJSON', 'json', `not a saved pipeline: format is not '${PIPELINE_FORMAT}'`);
    }
    if (json.version !== PIPELINE_VERSION) {
      throw new DataError('Pipeline.fromJSON', 'json', `saved pipeline version ${json.version} is not the version ${PIPELINE_VERSION} this code reads`);
    }
    if (!Array.isArray(json.steps) || json.steps.length === 0) throw new DataError('Pipeline.fromJSON', 'json', 'a saved pipeline needs at least one step');
    for (const s of json.steps) {
      // Fails early, with the column named, on a step this code cannot apply.
      try {
        stepFeatureNames(s);
        const problem = s.numberFormat === undefined ? null : numberFormatProblem(s.numberFormat);
        if (problem !== null) throw new Error(`numberFormat${problem}`);
      } catch (err) {
        throw new DataError('Pipeline.fromJSON', 'json', `step for column "${s.column}" cannot be read: ${(err as Error).message}`, undefined, s.column);
      }
    }
    return new Pipeline(json.scaler, json.steps.map((s) => structuredClone(s)), json.dropped ?? [], json.fitRows ?? 0);
  }
}

function stepFeatureNames(step: ColumnStep): string[] {
  const enc = step.encoder;
  if (enc === null) return [step.column];
  switch (enc.type) {
    case 'ordinal':
      return [step.column];
    case 'onehot':
      return OneHotEncoder.fromJSON(enc).featureNames(step.column);
    case 'flag':
      return [FlagEncoder.fromJSON(enc).featureName(step.column)];
    case 'multihot':
      return MultiHotEncoder.fromJSON(enc).featureNames(step.column);
    default:
      return assertUnreachable(enc);
  }
}

// ---------------------------------------------------------------------------------------------
// Fitting one column

interface FitContext {
  scaler: ScalerMethod;
  rangeEncoding: 'ordinal' | 'onehot';
  log1pOption: 'auto' | boolean | readonly string[];
  maxListItems: number;
  warn: (message: string) => void;
  reads: ColumnReads | null;
}

/** A fitted step, or the reason the column is dropped. */
function fitColumn(info: ColumnInfo, vector: arrow.Vector, ctx: FitContext): ColumnStep | string {
  const { name, kind } = info;
  switch (kind) {
    case 'number':
    case 'count': {
      const format = hasNumberFormat(info.numberFormat) ? { ...info.numberFormat } : undefined;
      const read = readNumberColumn(vector, format);
      const values = read.values;
      const infinite = values.findIndex((v) => !Number.isNaN(v) && !Number.isFinite(v));
      if (infinite >= 0) {
        throw new DataError(FIT, 'table', `column '${name}' holds ${String(vector.get(infinite)).trim()} at row ${infinite + 1} (the first data row is 1), which is not a finite number`, infinite, name);
      }
      if (read.invalid > 0) {
        const how = format === undefined ? 'numbers' : describeNumberFormat(format);
        ctx.warn(`${FIT}: column "${name}": ${read.invalid} of ${values.length} cells are not ${how} (e.g. '${read.firstInvalid}'); they count as missing and are filled with the median`);
      }
      const imputer = new MedianImputer(medianOf(values));
      if (Number.isNaN(imputer.value)) return 'it has no numeric values';
      imputer.apply(values);
      const log1p = wantsLog1p(info, values, ctx.log1pOption);
      if (log1p) applyLog1p(values);
      const s = fitColumnScale(values, ctx.scaler);
      // A sum of squares beyond float64 makes the variance infinite, which the scaler would take
      // for a constant column; a range beyond float64 makes the other scalers' statistics infinite.
      let largest = 0;
      for (const v of values) if (Math.abs(v) > Math.abs(largest)) largest = v;
      const squaresOverflow = ctx.scaler === 'standard' && Math.abs(largest) >= Math.sqrt(Number.MAX_VALUE / values.length);
      if (squaresOverflow || ![s.center, s.scale, s.offset].every(Number.isFinite)) {
        throw new DataError(FIT, 'table', `column '${name}': its values are too large to scale (the ${ctx.scaler} scaler's statistics overflow; its largest value is ${largest})`, values.indexOf(largest), name);
      }
      if (s.constant) return `it is constant (every value is ${imputer.value})`;
      const step: ColumnStep = { column: name, kind, impute: { strategy: 'median', value: imputer.value }, log1p, encoder: null, scale: pickScale(s) };
      if (format !== undefined) step.numberFormat = format;
      return step;
    }
    case 'range':
    case 'category':
    case 'flag': {
      const { ids, labels } = readLabels(vector, ctx.reads, name);
      const counts = countIds(ids, labels.length);
      const seen = labels.filter((_, id) => counts[id] > 0);
      if (seen.length === 0) return 'it has no values';
      if (seen.length === 1) return `it is constant (every value is "${seen[0]}")`;
      const mode = mostFrequentOf(labels, counts) as string;
      if (kind === 'flag' && seen.length === 2) {
        const enc = FlagEncoder.fit(seen);
        return { column: name, kind, impute: { strategy: 'most_frequent', value: mode }, log1p: false, encoder: enc.toJSON(), scale: null };
      }
      if (kind === 'flag') ctx.warn(`${FIT}: column "${name}" is a flag with ${seen.length} values; it is one-hot encoded instead`);
      const levels = kind === 'range' ? (info.levels ?? []).map((l) => l.text) : null;
      if (kind === 'range' && levels !== null && levels.length === 0) {
        ctx.warn(`${FIT}: column "${name}" is a range without levels in its schema; it is one-hot encoded`);
      }
      if (kind === 'range' && levels !== null && levels.length > 0) {
        const known = new Set(levels);
        const outside = seen.filter((l) => !known.has(l));
        if (outside.length > 0) ctx.warn(`${FIT}: column "${name}" has values outside its levels (${outside.slice(0, 5).join(', ')}); they are imputed`);
        const inLevels = labels.map((l, id) => (known.has(l) ? counts[id] : 0));
        const levelMode = mostFrequentOf(labels, inLevels);
        if (levelMode === null) return 'none of its values is one of its levels';
        if (ctx.rangeEncoding === 'onehot') {
          return { column: name, kind, impute: { strategy: 'most_frequent', value: levelMode }, log1p: false, encoder: new OneHotEncoder(levels).toJSON(), scale: null };
        }
        const enc = new OrdinalEncoder(levels);
        const codes = new Float64Array(ids.length);
        const modeCode = enc.code(levelMode);
        const codeOfId = labels.map((l) => enc.code(l));
        for (let i = 0; i < ids.length; i++) {
          const c = ids[i] < 0 ? -1 : codeOfId[ids[i]];
          codes[i] = c < 0 ? modeCode : c;
        }
        const s = fitColumnScale(codes, ctx.scaler);
        if (s.constant) return `it is constant (every value is "${levelMode}")`;
        return { column: name, kind, impute: { strategy: 'most_frequent', value: levelMode }, log1p: false, encoder: enc.toJSON(), scale: pickScale(s) };
      }
      const enc = new OneHotEncoder([...seen].sort(compareLabels));
      return { column: name, kind, impute: { strategy: 'most_frequent', value: mode }, log1p: false, encoder: enc.toJSON(), scale: null };
    }
    case 'list': {
      const separator = info.separator ?? ',';
      const { itemIds, itemRow, labels } = readListItems(vector, separator, ctx.reads, name);
      // An item's frequency is the number of rows that hold it (a repeat in a cell counts once).
      const counts = new Float64Array(labels.length);
      const lastRow = new Int32Array(labels.length).fill(-1);
      for (let k = 0; k < itemIds.length; k++) {
        const id = itemIds[k];
        if (lastRow[id] !== itemRow[k]) {
          lastRow[id] = itemRow[k];
          counts[id]++;
        }
      }
      const tally = new Map<string, number>();
      labels.forEach((l, id) => {
        if (counts[id] > 0) tally.set(l, counts[id]);
      });
      if (tally.size === 0) return 'it has no items';
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

function pickScale(s: ColumnScale): ColumnStep['scale'] {
  return { center: s.center, scale: s.scale, offset: s.offset };
}

function wantsLog1p(info: ColumnInfo, values: Float64Array, option: FitContext['log1pOption']): boolean {
  if (Array.isArray(option)) return option.includes(info.name);
  if (option === true) return info.kind === 'count';
  if (option === false || info.kind !== 'count') return false;
  // 'auto': a non-negative count whose sample skewness is above 1.
  const { skew, min } = skewness(values);
  return min >= 0 && skew > 1;
}

function applyLog1p(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    values[i] = v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
  }
}

/** The median of the non-NaN values, as MedianImputer.fit computes it (numpy's), by selection on a copy (select.ts). */
function medianOf(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const a = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) a[k++] = values[i];
  return medianInPlace(a);
}

function countIds(ids: Int32Array, nLabels: number): Float64Array {
  const counts = new Float64Array(nLabels);
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) counts[ids[i]]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Transforming one column into its features

interface ColumnCounts {
  imputed: number;
  invalid: number;
  unseen: number;
  unseenValues: string[];
}

/** Writes the step's features into columns [base, base + width) of the row-major `out` [n, cols]. */
function transformColumn(step: ColumnStep, vector: arrow.Vector, out: Float32Array, base: number, cols: number, badCells: BadCell[], reads: ColumnReads | null): ColumnCounts {
  const counts: ColumnCounts = { imputed: 0, invalid: 0, unseen: 0, unseenValues: [] };
  const n = vector.length;
  const enc = step.encoder;
  if (enc === null || enc.type === 'ordinal') {
    let values: Float64Array;
    let fill: number;
    if (enc === null) {
      const read = readNumberColumn(vector, step.numberFormat);
      values = read.values;
      counts.invalid = read.invalid + findBadNumbers(step.column, vector, values, read.invalid > 0, badCells);
      fill = step.impute !== null && step.impute.strategy === 'median' ? step.impute.value : NaN;
    } else {
      const ordinal = OrdinalEncoder.fromJSON(enc);
      const { ids, labels } = readLabels(vector, reads, step.column);
      const codeOfId = labels.map((l) => ordinal.code(l));
      const idCounts = countIds(ids, labels.length);
      labels.forEach((l, id) => {
        if (codeOfId[id] < 0 && idCounts[id] > 0) {
          counts.unseen += idCounts[id];
          if (counts.unseenValues.length < 10) counts.unseenValues.push(l);
        }
      });
      values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        const c = id < 0 ? -1 : codeOfId[id];
        if (c < 0 && id >= 0) counts.invalid++;
        values[i] = c < 0 ? NaN : c;
      }
      fill = step.impute !== null ? ordinal.code(step.impute.value as string) : NaN;
    }
    const s = step.scale ?? { center: 0, scale: 1, offset: 0 };
    const fillOut = scaleOne(fill, step.log1p, s);
    const inv = 1 / s.scale;
    for (let i = 0, p = base; i < n; i++, p += cols) {
      let v = values[i];
      if (Number.isNaN(v)) {
        out[p] = fillOut;
        counts.imputed++;
        continue;
      }
      if (step.log1p) v = v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
      out[p] = (v - s.center) * inv + s.offset;
    }
    return counts;
  }
  switch (enc.type) {
    case 'onehot':
    case 'flag': {
      const { ids, labels } = readLabels(vector, reads, step.column);
      const encoder = enc.type === 'onehot' ? OneHotEncoder.fromJSON(enc) : FlagEncoder.fromJSON(enc);
      const unseenCode = enc.type === 'onehot' ? enc.categories.length : -1;
      const fillLabel = step.impute !== null && step.impute.strategy === 'most_frequent' ? step.impute.value : null;
      const fillCode = encoder.code(fillLabel);
      const codeOfId = Int32Array.from(labels, (l) => encoder.code(l));
      const idCounts = countIds(ids, labels.length);
      labels.forEach((l, id) => {
        const isUnseen = enc.type === 'onehot' ? codeOfId[id] === unseenCode : codeOfId[id] < 0;
        if (isUnseen && idCounts[id] > 0) {
          counts.unseen += idCounts[id];
          if (counts.unseenValues.length < 10) counts.unseenValues.push(l);
        }
      });
      for (let i = 0, p = base; i < n; i++, p += cols) {
        const id = ids[i];
        let c = id < 0 ? -2 : codeOfId[id];
        if (c === -2 || (enc.type === 'flag' && c < 0)) {
          // Missing cell (or a value a flag cannot hold): the most frequent label.
          c = fillCode;
          counts.imputed++;
          if (id >= 0) counts.invalid++;
        }
        if (enc.type === 'onehot') out[p + c] = 1;
        else out[p] = c;
      }
      return counts;
    }
    case 'multihot': {
      const encoder = MultiHotEncoder.fromJSON(enc);
      const { itemIds, itemRow, labels, missing } = readListItems(vector, enc.separator, reads, step.column);
      const codeOfId = Int32Array.from(labels, (l) => encoder.code(l));
      const other = encoder.items.length;
      for (let k = 0; k < itemIds.length; k++) {
        const c = codeOfId[itemIds[k]];
        const p = itemRow[k] * cols + base;
        if (c >= 0) out[p + c] = 1;
        else out[p + other] += 1;
      }
      counts.imputed = missing;
      return counts;
    }
    default:
      return assertUnreachable(enc);
  }
}

/**
 * Lists the cells of a numeric column that cannot be read: infinities (set to NaN here, so that
 * they are imputed like the others) and, when `unparsed` (the reader counted text that is not a
 * number), the non-blank cells read as NaN. Returns the infinities found.
 */
function findBadNumbers(column: string, vector: arrow.Vector, values: Float64Array, unparsed: boolean, badCells: BadCell[]): number {
  let infinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      if (!unparsed) continue;
      const raw: unknown = vector.get(i);
      if (raw === null || raw === undefined || typeof raw === 'number') continue;
      const text = String(raw).trim();
      if (text !== '') badCells.push({ row: i, column, value: text.slice(0, 60), reason: /^[+-]?(inf|infinity)$/i.test(text) ? 'is not a finite number' : 'is not a number' });
    } else if (!Number.isFinite(v)) {
      const raw: unknown = vector.get(i);
      badCells.push({ row: i, column, value: String(raw).trim().slice(0, 60), reason: 'is not a finite number' });
      values[i] = NaN;
      infinite++;
    }
  }
  return infinite;
}

function scaleOne(v: number, log1p: boolean, s: NonNullable<ColumnStep['scale']>): number {
  const w = log1p ? (v >= 0 ? Math.log1p(v) : -Math.log1p(-v)) : v;
  return (w - s.center) / s.scale + s.offset;
}

// ---------------------------------------------------------------------------------------------
// Reading Arrow vectors column-wise

/**
 * What fitTransform reads of a text column, kept between its fit and its transform: the labels
 * (readLabels) and the list items per separator (readListItems), by column name (one table).
 * Read only.
 */
class ColumnReads {
  readonly labels = new Map<string, LabelIds>();
  readonly items = new Map<string, Map<string, ListItems>>();
}

interface ListItems {
  itemIds: Int32Array;
  itemRow: Int32Array;
  labels: string[];
  missing: number;
}

/** The label id of each row (-1 where missing) and the labels, one string per distinct value. */
function readLabels(vector: arrow.Vector, reads: ColumnReads | null, column: string): LabelIds {
  const known = reads?.labels.get(column);
  if (known !== undefined) return known;
  const read = readLabelIds(vector);
  reads?.labels.set(column, read);
  return read;
}

/**
 * The items of a list column: item `k` has label id `itemIds[k]` and is in row `itemRow[k]`.
 * Items are split at `separator` and trimmed of ASCII whitespace; empty items are skipped.
 * `missing` counts the rows that are null.
 */
function readListItems(vector: arrow.Vector, separator: string, reads: ColumnReads | null, column: string): ListItems {
  let bySeparator = reads?.items.get(separator);
  const known = bySeparator?.get(column);
  if (known !== undefined) return known;
  const read = readListItemsOf(vector, separator);
  if (reads !== null) {
    if (bySeparator === undefined) reads.items.set(separator, (bySeparator = new Map()));
    bySeparator.set(column, read);
  }
  return read;
}

function readListItemsOf(vector: arrow.Vector, separator: string): ListItems {
  const interner = new Interner();
  let itemIds = new Int32Array(Math.max(16, vector.length * 2));
  let itemRow = new Int32Array(itemIds.length);
  let count = 0;
  let missing = 0;
  const push = (id: number, row: number): void => {
    if (count === itemIds.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      itemIds = grow(itemIds);
      itemRow = grow(itemRow);
    }
    itemIds[count] = id;
    itemRow[count] = row;
    count++;
  };
  const sep = new TextEncoder().encode(separator);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    const n = data.length;
    if (arrow.DataType.isUtf8(data.type) && sep.length > 0) {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const valid = validityOf(data);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          missing++;
          continue;
        }
        const end = offsets[i + 1];
        let from = offsets[i];
        for (let p = from; p <= end; p++) {
          if (p === end || matchesAt(bytes, p, sep)) {
            let a = from;
            let b = p;
            while (a < b && isSpace(bytes[a])) a++;
            while (b > a && isSpace(bytes[b - 1])) b--;
            if (b > a) push(interner.bytes(bytes, a, b), start + i);
            from = p + sep.length;
            p = from - 1;
          }
        }
      }
    } else {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < n; i++) {
        const v: unknown = chunk.get(i);
        if (v === null || v === undefined) {
          missing++;
          continue;
        }
        // An Arrow List cell is a vector of items; a text cell is split.
        const items: string[] =
          typeof v === 'object' && v !== null && Symbol.iterator in v
            ? Array.from(v as Iterable<unknown>, (x) => String(x).trim())
            : String(v)
                .split(separator)
                .map((s) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
        for (const item of items) if (item.length > 0) push(interner.string(item), start + i);
      }
    }
    start += n;
  }
  return { itemIds: itemIds.subarray(0, count), itemRow: itemRow.subarray(0, count), labels: interner.labels, missing };
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function matchesAt(bytes: Uint8Array, p: number, sep: Uint8Array): boolean {
  for (let k = 0; k < sep.length; k++) if (bytes[p + k] !== sep[k]) return false;
  return true;
}

/** Used by the report and the tests: the name of the "other" slot. */
export { OTHER };
