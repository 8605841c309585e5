// SPDX-License-Identifier: MIT
/**
 * A model's saved form (plain JSON data) and back. Reading checks every field a model depends
 * on (types, shapes, finite numbers, ids) and that the parts agree with each other (the
 * pipeline makes the features the centroids are measured in, the segments are the algorithm's
 * clusters), and refuses a newer format: a ModelError names the first field at fault, as a path
 * into the JSON, e.g. `model.json: algorithm.centroids has 7 rows, segments lists 8`.
 *
 * Float32 values (centroids, core points) are written as the shortest decimal that reads back
 * to the same double, which is the float32 value itself: they round-trip bit for bit (−0 is
 * stored as 0 when a model is built, since JSON cannot tell them apart). Range bounds of ±∞ in
 * the schema are written as null.
 */
import { Pipeline, PIPELINE_FORMAT, type ColumnStep, type PipelineJSON } from '../data/pipeline.js';
import { SCALER_METHODS } from '../data/scalers.js';
import { COLUMN_KINDS, type ColumnInfo, type ColumnKind, type RangeLevel, type Schema } from '../data/schema.js';
import { assertUnreachable } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import type { ModelParts, NameSource, SegmentInfo, TrainingInfo } from './parts.js';
import { ModelError } from './modelError.js';
import { ALGORITHM_NAMES, NOISE, clusterCount, hasNoise, pointsField, statePoints, type AlgorithmState } from './state.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './version.js';

/** The saved form of an algorithm state: matrices as arrays of rows. */
export type AlgorithmStateJSON =
  | { type: 'kmeans'; centroids: number[][]; inertia: number }
  | { type: 'meanShift'; centers: number[][]; bandwidth: number }
  | { type: 'dbscan'; corePoints: number[][]; coreLabels: number[]; eps: number; minSamples: number };

/** A schema column as saved: range bounds of ±∞ are null. */
export type ColumnInfoJSON = Omit<ColumnInfo, 'levels'> & { levels?: Array<{ text: string; low: number | null; high: number | null }> };

/** The saved form of a SegmentationModel (`model.json`). */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  /** The version of this form; a reader refuses a higher one. */
  formatVersion: number;
  /** The columns of the training table, their kinds and whether they are used. */
  schema: { columns: ColumnInfoJSON[]; rowsSeen: number };
  /** The fitted preprocessing. */
  pipeline: PipelineJSON;
  /** [nFeatures] the names of the features the pipeline makes (and the algorithm's points are in). */
  featureNames: string[];
  algorithm: AlgorithmStateJSON;
  /** The segments in id order (0, 1, …), then the noise segment (id -1) for DBSCAN. */
  segments: SegmentInfo[];
  training: TrainingInfo;
}

const NAME_SOURCES: readonly NameSource[] = ['generated', 'user'];

/** The saved form of a model's parts. */
export function partsToJSON(parts: ModelParts): ModelJSON {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    schema: { columns: parts.schema.columns.map(columnToJSON), rowsSeen: parts.schema.rowsSeen },
    pipeline: parts.pipeline.toJSON(),
    featureNames: [...parts.featureNames],
    algorithm: stateToJSON(parts.state),
    segments: parts.segments.map((s) => ({ ...s })),
    training: { ...parts.training },
  };
}

function columnToJSON(c: ColumnInfo): ColumnInfoJSON {
  const { levels, numberFormat, ...rest } = c;
  const out: ColumnInfoJSON = { ...rest };
  if (levels !== undefined) {
    out.levels = levels.map((l) => ({ text: l.text, low: Number.isFinite(l.low) ? l.low : null, high: Number.isFinite(l.high) ? l.high : null }));
  }
  if (numberFormat !== undefined) out.numberFormat = { ...numberFormat };
  return out;
}

function rowsOf(m: MatrixF32): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

function stateToJSON(state: AlgorithmState): AlgorithmStateJSON {
  switch (state.type) {
    case 'kmeans':
      return { type: 'kmeans', centroids: rowsOf(state.centroids), inertia: state.inertia };
    case 'meanShift':
      return { type: 'meanShift', centers: rowsOf(state.centers), bandwidth: state.bandwidth };
    case 'dbscan':
      return { type: 'dbscan', corePoints: rowsOf(state.corePoints), coreLabels: Array.from(state.coreLabels), eps: state.eps, minSamples: state.minSamples };
    default:
      return assertUnreachable(state);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Type checks that name the field at fault. */
class Reader {
  constructor(readonly source: string) {}

  fail(field: string, detail: string): never {
    throw new ModelError(this.source, field, detail);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, `must be an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `must be an array, got ${describe(v)}`);
    return v;
  }

  string(v: unknown, field: string, nonEmpty = false): string {
    if (typeof v !== 'string') this.fail(field, `must be a string, got ${describe(v)}`);
    if (nonEmpty && v.trim() === '') this.fail(field, 'must not be empty');
    return v;
  }

  boolean(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got ${describe(v)}`);
    return v;
  }

  /** A finite number. */
  number(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a finite number, got ${describe(v)}`);
    return v;
  }

  positive(v: unknown, field: string): number {
    const x = this.number(v, field);
    if (!(x > 0)) this.fail(field, `must be > 0, got ${x}`);
    return x;
  }

  integer(v: unknown, field: string, min: number): number {
    const x = this.number(v, field);
    if (!Number.isInteger(x) || x < min) this.fail(field, `must be an integer >= ${min}, got ${x}`);
    return x;
  }

  oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      this.fail(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`);
    }
    return v as T;
  }

  /** A non-empty array of equally long rows of finite float32 numbers. */
  matrix(v: unknown, field: string): MatrixF32 {
    const rows = this.array(v, field);
    if (rows.length === 0) this.fail(field, 'has no rows');
    const first = this.array(rows[0], `${field}[0]`);
    const cols = first.length;
    if (cols === 0) this.fail(`${field}[0]`, 'has no values');
    const data = new Float32Array(rows.length * cols);
    rows.forEach((row, i) => {
      const r = this.array(row, `${field}[${i}]`);
      if (r.length !== cols) this.fail(`${field}[${i}]`, `has ${r.length} values, ${field}[0] has ${cols}`);
      r.forEach((x, j) => {
        const value = this.number(x, `${field}[${i}][${j}]`);
        if (!Number.isFinite(Math.fround(value))) this.fail(`${field}[${i}][${j}]`, `= ${value} is too large for float32`);
        data[i * cols + j] = value === 0 ? 0 : value; // −0 as 0, as models are built
      });
    });
    return { data, rows: rows.length, cols };
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `a ${typeof v}`;
}

/**
 * The parts of a saved model, checked field by field and for agreement between them.
 * @param source Where the JSON came from, for messages (a path, or `model.json`).
 * @throws ModelError naming the first field at fault.
 */
export function partsFromJSON(json: unknown, source = 'model.json'): ModelParts {
  const r: Reader = new Reader(source);
  const o = r.object(json, 'the model');
  if (o.format !== MODEL_FORMAT) r.fail('format', `must be '${MODEL_FORMAT}', got ${describe(o.format)}: this is not a saved segments model`);
  const version = r.integer(o.formatVersion, 'formatVersion', 1);
  if (version > MODEL_FORMAT_VERSION) {
    r.fail('formatVersion', `is ${version}, newer than the version ${MODEL_FORMAT_VERSION} this version of segments reads: upgrade segments to load this model`);
  }
  const schema = readSchema(r, o.schema);
  const pipeline = readPipeline(r, o.pipeline);
  const featureNames = r.array(o.featureNames, 'featureNames').map((f, i) => r.string(f, `featureNames[${i}]`));
  const state = readState(r, o.algorithm);
  const segments = r.array(o.segments, 'segments').map((s, i) => readSegment(r, s, `segments[${i}]`));
  const training = readTraining(r, o.training);
  const parts: ModelParts = { schema, pipeline, featureNames, state, segments, training };
  checkParts(parts, source);
  return parts;
}

function readSchema(r: Reader, v: unknown): Schema {
  const o = r.object(v, 'schema');
  const columns = r.array(o.columns, 'schema.columns').map((c, i): ColumnInfo => {
    const f = `schema.columns[${i}]`;
    const co = r.object(c, f);
    const info: ColumnInfo = {
      name: r.string(co.name, `${f}.name`),
      kind: r.oneOf<ColumnKind>(co.kind, `${f}.kind`, COLUMN_KINDS),
      reason: co.reason === undefined ? '' : r.string(co.reason, `${f}.reason`),
      use: r.boolean(co.use, `${f}.use`),
      missing: r.integer(co.missing, `${f}.missing`, 0),
      distinct: r.integer(co.distinct, `${f}.distinct`, 0),
    };
    if (co.levels !== undefined) {
      info.levels = r.array(co.levels, `${f}.levels`).map((l, j): RangeLevel => {
        const lo = r.object(l, `${f}.levels[${j}]`);
        return {
          text: r.string(lo.text, `${f}.levels[${j}].text`),
          low: lo.low === null ? -Infinity : r.number(lo.low, `${f}.levels[${j}].low`),
          high: lo.high === null ? Infinity : r.number(lo.high, `${f}.levels[${j}].high`),
        };
      });
    }
    if (co.separator !== undefined) info.separator = r.string(co.separator, `${f}.separator`);
    if (co.numberFormat !== undefined) {
      const nf = r.object(co.numberFormat, `${f}.numberFormat`);
      info.numberFormat = {};
      if (nf.thousands !== undefined) info.numberFormat.thousands = r.string(nf.thousands, `${f}.numberFormat.thousands`);
      if (nf.percent !== undefined) info.numberFormat.percent = r.boolean(nf.percent, `${f}.numberFormat.percent`);
      if (nf.currency !== undefined) info.numberFormat.currency = r.string(nf.currency, `${f}.numberFormat.currency`);
      if (nf.decimal !== undefined) {
        const d = r.string(nf.decimal, `${f}.numberFormat.decimal`);
        if (d !== '.' && d !== ',') r.fail(`${f}.numberFormat.decimal`, `must be '.' or ',', got ${JSON.stringify(d)}`);
        info.numberFormat.decimal = d;
      }
      if (nf.parentheses !== undefined) info.numberFormat.parentheses = r.boolean(nf.parentheses, `${f}.numberFormat.parentheses`);
    }
    return info;
  });
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.name)) r.fail(`schema.columns[${i}].name`, `"${c.name}" appears twice`);
    seen.add(c.name);
  });
  return { columns, rowsSeen: r.integer(o.rowsSeen, 'schema.rowsSeen', 0) };
}

function readPipeline(r: Reader, v: unknown): Pipeline {
  const o = r.object(v, 'pipeline');
  if (o.format !== PIPELINE_FORMAT) r.fail('pipeline.format', `must be '${PIPELINE_FORMAT}', got ${describe(o.format)}`);
  r.integer(o.version, 'pipeline.version', 1);
  r.oneOf(o.scaler, 'pipeline.scaler', SCALER_METHODS);
  const steps = r.array(o.steps, 'pipeline.steps');
  if (steps.length === 0) r.fail('pipeline.steps', 'is empty: a pipeline makes features from at least one column');
  steps.forEach((s, i) => readStep(r, s, `pipeline.steps[${i}]`));
  r.array(o.dropped ?? [], 'pipeline.dropped');
  r.integer(o.fitRows ?? 0, 'pipeline.fitRows', 0);
  try {
    return Pipeline.fromJSON(o as unknown as PipelineJSON);
  } catch (err) {
    return r.fail('pipeline', `cannot be read: ${(err as Error).message}`);
  }
}

/** The numbers of a step, which Pipeline.fromJSON takes on trust. */
function readStep(r: Reader, v: unknown, f: string): void {
  const o = r.object(v, f);
  r.string(o.column, `${f}.column`);
  r.oneOf<ColumnKind>(o.kind, `${f}.kind`, COLUMN_KINDS);
  r.boolean(o.log1p, `${f}.log1p`);
  if (o.impute !== null) {
    const imp = r.object(o.impute, `${f}.impute`);
    const strategy = r.oneOf(imp.strategy, `${f}.impute.strategy`, ['median', 'most_frequent'] as const);
    if (strategy === 'median') r.number(imp.value, `${f}.impute.value`);
    else r.string(imp.value, `${f}.impute.value`);
  }
  if (o.encoder !== null) r.object(o.encoder, `${f}.encoder`);
  if (o.scale !== null) {
    const sc = r.object(o.scale, `${f}.scale`);
    r.number(sc.center, `${f}.scale.center`);
    const scale = r.number(sc.scale, `${f}.scale.scale`);
    if (scale === 0) r.fail(`${f}.scale.scale`, 'is 0: features would be divided by zero');
    r.number(sc.offset, `${f}.scale.offset`);
  }
}

function readState(r: Reader, v: unknown): AlgorithmState {
  const o = r.object(v, 'algorithm');
  const type = r.oneOf(o.type, 'algorithm.type', ALGORITHM_NAMES);
  switch (type) {
    case 'kmeans': {
      const inertia = r.number(o.inertia, 'algorithm.inertia');
      if (inertia < 0) r.fail('algorithm.inertia', `must be >= 0, got ${inertia}`);
      return { type, centroids: r.matrix(o.centroids, 'algorithm.centroids'), inertia };
    }
    case 'meanShift':
      return { type, centers: r.matrix(o.centers, 'algorithm.centers'), bandwidth: r.positive(o.bandwidth, 'algorithm.bandwidth') };
    case 'dbscan': {
      const corePoints = r.matrix(o.corePoints, 'algorithm.corePoints');
      const labels = r.array(o.coreLabels, 'algorithm.coreLabels').map((c, i) => r.integer(c, `algorithm.coreLabels[${i}]`, 0));
      return {
        type,
        corePoints,
        coreLabels: Int32Array.from(labels),
        eps: r.positive(o.eps, 'algorithm.eps'),
        minSamples: r.integer(o.minSamples, 'algorithm.minSamples', 1),
      };
    }
    default:
      return assertUnreachable(type);
  }
}

function readSegment(r: Reader, v: unknown, f: string): SegmentInfo {
  const o = r.object(v, f);
  const id = r.number(o.id, `${f}.id`);
  if (!Number.isInteger(id) || id < NOISE) r.fail(`${f}.id`, `must be an integer >= ${NOISE}, got ${id}`);
  return {
    id,
    name: r.string(o.name, `${f}.name`, true),
    nameSource: r.oneOf(o.nameSource, `${f}.nameSource`, NAME_SOURCES),
    size: r.integer(o.size, `${f}.size`, 0),
  };
}

function readTraining(r: Reader, v: unknown): TrainingInfo {
  const o = r.object(v, 'training');
  const createdAt = r.string(o.createdAt, 'training.createdAt');
  if (Number.isNaN(Date.parse(createdAt))) r.fail('training.createdAt', `is not a date: ${describe(createdAt)}`);
  const seed = o.seed === null ? null : r.number(o.seed, 'training.seed');
  if (seed !== null && !Number.isInteger(seed)) r.fail('training.seed', `must be an integer or null, got ${seed}`);
  return {
    rows: r.integer(o.rows, 'training.rows', 1),
    seed,
    backend: r.string(o.backend, 'training.backend'),
    createdAt,
    libraryVersion: r.string(o.libraryVersion, 'training.libraryVersion'),
  };
}

/**
 * Checks that a model's parts agree: the pipeline uses schema columns of the same kind and makes
 * the features named, the algorithm's points have that many features, the segments are the
 * algorithm's clusters (ids 0..k-1, then -1 for DBSCAN's noise) with distinct names, and their
 * sizes add up to the training rows.
 * @throws ModelError naming the first field at fault.
 */
export function checkParts(parts: ModelParts, source: string): void {
  const r: Reader = new Reader(source);
  const { schema, pipeline, featureNames, state, segments, training } = parts;
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  pipeline.steps.forEach((step: ColumnStep, i) => {
    const info = byName.get(step.column);
    if (info === undefined) r.fail(`pipeline.steps[${i}].column`, `"${step.column}" is not a column of schema.columns`);
    if (!info.use) r.fail(`schema.columns`, `marks "${step.column}" as not used, but pipeline.steps[${i}] uses it`);
    if (info.kind !== step.kind) r.fail(`pipeline.steps[${i}].kind`, `is '${step.kind}', schema.columns says "${step.column}" is '${info.kind}'`);
  });
  const made = pipeline.featureNames;
  if (made.length !== featureNames.length) r.fail('featureNames', `lists ${featureNames.length} features, the pipeline makes ${made.length}`);
  made.forEach((name, j) => {
    if (featureNames[j] !== name) r.fail(`featureNames[${j}]`, `is ${JSON.stringify(featureNames[j])}, the pipeline makes ${JSON.stringify(name)} there`);
  });
  const points = statePoints(state);
  const field = pointsField(state);
  if (points.rows === 0) r.fail(field, 'has no rows: a model needs at least one center or core point');
  if (points.cols !== featureNames.length) r.fail(field, `has ${points.cols} columns, featureNames lists ${featureNames.length} features`);
  if (state.type === 'dbscan') {
    if (state.coreLabels.length !== points.rows) r.fail('algorithm.coreLabels', `has ${state.coreLabels.length} labels, algorithm.corePoints has ${points.rows} rows`);
    const k = clusterCount(state);
    const seen = new Uint8Array(k);
    for (const c of state.coreLabels) seen[c] = 1;
    const empty = seen.indexOf(0);
    if (empty >= 0) r.fail('algorithm.coreLabels', `has no core point in cluster ${empty} (clusters are 0..${k - 1})`);
  }
  const k = clusterCount(state);
  const expected = Array.from({ length: k }, (_, c) => c);
  if (hasNoise(state)) expected.push(NOISE);
  const clusters = segments.filter((s) => s.id !== NOISE).length;
  if (clusters !== k) {
    if (state.type === 'dbscan') r.fail('algorithm.coreLabels', `has ${k} clusters, segments lists ${clusters} besides noise`);
    r.fail(field, `has ${k} rows, segments lists ${clusters}`);
  }
  if (segments.length !== expected.length) {
    r.fail('segments', `lists ${segments.length} segments, expected ${expected.length} (${state.type === 'dbscan' ? 'the clusters, then the noise segment -1' : 'one per cluster'})`);
  }
  const names = new Map<string, number>();
  segments.forEach((s, i) => {
    if (s.id !== expected[i]) r.fail(`segments[${i}].id`, `is ${s.id}, expected ${expected[i]} (segments are listed in id order${hasNoise(state) ? ', noise last' : ''})`);
    const other = names.get(s.name);
    if (other !== undefined) r.fail(`segments[${i}].name`, `"${s.name}" is also the name of segments[${other}]`);
    names.set(s.name, i);
  });
  const total = segments.reduce((sum, s) => sum + s.size, 0);
  if (total !== training.rows) r.fail('segments', `sizes add up to ${total}, training.rows is ${training.rows}`);
}
