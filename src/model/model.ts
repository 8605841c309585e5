// SPDX-License-Identifier: MIT
/**
 * The fitted segmentation model: everything needed to segment tomorrow's users as today's were.
 * It holds the schema (column kinds and use), the fitted preprocessing Pipeline, the feature
 * names, the algorithm's state (src/model/state.ts), the segments (id, name, where the name came
 * from, training size) and the training metadata. Immutable: `rename` returns a new model.
 * Saved as JSON by `toJSON` / `fromJSON` (src/model/serialize.ts), to files by `saveModel` /
 * `loadModel` (src/model/file.ts).
 */
import type * as arrow from 'apache-arrow';
import type { KMeansResult } from '../algorithms/kmeans.js';
import type { Pipeline } from '../data/pipeline.js';
import type { Schema } from '../data/schema.js';
import { ParameterError, assertUnreachable } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import { predictTable, type ModelPrediction, type PredictOptions } from './predict.js';
import { checkParts, partsFromJSON, partsToJSON, type ModelJSON } from './serialize.js';
import { modelToSQL, type ToSQLOptions } from './sql/compile.js';
import { NOISE, clusterCount, hasNoise, type AlgorithmName, type AlgorithmState } from './state.js';
import { LIBRARY_VERSION } from './version.js';
import type { ModelParts, NameSource, SegmentInfo, TrainingInfo } from './parts.js';

export type { ModelParts, ModelView, NameSource, SegmentInfo, TrainingInfo } from './parts.js';

/** Segment names given to `fromFit` / `fromState` / `rename`: by id (a Map or record), or an array indexed by id. */
export type SegmentNames = readonly string[] | ReadonlyMap<number, string> | Readonly<Record<number, string>>;

/** What `SegmentationModel.fromState` needs. */
export interface FromStateOptions {
  pipeline: Pipeline;
  /** The schema the pipeline was fitted with. */
  schema: Schema;
  state: AlgorithmState;
  /** [rows] the fit's label of each training row (-1 for DBSCAN's noise). */
  labels: ArrayLike<number>;
  /** The tfjs backend of the fit. */
  backend: string;
  /** The fit's seed; null or absent for a deterministic algorithm. */
  seed?: number | null;
  /** Names by segment id; the others are generated: `Segment 0`, … and `Noise` for -1. */
  names?: SegmentNames;
  /** Where the given names come from. Default 'generated' (e.g. from the profiles). */
  nameSource?: NameSource;
  /** Default: now. */
  createdAt?: Date;
  /** Default: this library's version. */
  libraryVersion?: string;
}

/** What `SegmentationModel.fromFit` needs: a k-means result in place of a state and labels. */
export interface FromFitOptions extends Omit<FromStateOptions, 'state' | 'labels' | 'backend' | 'seed'> {
  result: Pick<KMeansResult, 'labels' | 'centroids' | 'inertia' | 'backend' | 'seed'>;
}

/** The generated name of segment `id` when none is given. */
export function defaultSegmentName(id: number): string {
  return id === NOISE ? 'Noise' : `Segment ${id}`;
}

/**
 * A fitted segmentation model; immutable.
 * @example
 * const { table } = await readTable('user_profiles_for_ads.csv');
 * const schema = inferKinds(table);
 * const pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
 * const result = await new KMeans({ k: 3, seed: 1, nInit: 1 }).fit(pipeline.transform(table).matrix);
 * const model = SegmentationModel.fromFit({ pipeline, schema, result }).rename({ 0: 'Night owls' });
 * // In Node, saveModel(model, path) and loadModel(path) do this through a file.
 * const again = parseModel(stringifyModel(model));
 * const prediction = await again.predict(table); // e.g. { segments, names, distances, report, … }
 * prediction.segments.length; // 1000
 * prediction.segments.every((s, i) => s === result.labels[i]); // true: the fit's rows keep their segments
 * prediction.names.includes('Night owls'); // true
 * const out = withSegments(table, prediction);
 * out.schema.fields.slice(-2).map((f) => f.name); // ['segment', 'segment_name']
 */
export class SegmentationModel {
  readonly schema: Schema;
  readonly pipeline: Pipeline;
  readonly featureNames: readonly string[];
  readonly state: AlgorithmState;
  readonly segments: readonly Readonly<SegmentInfo>[];
  readonly training: Readonly<TrainingInfo>;
  private readonly nameById: ReadonlyMap<number, string>;

  private constructor(parts: ModelParts) {
    this.schema = parts.schema;
    this.pipeline = parts.pipeline;
    this.featureNames = Object.freeze([...parts.featureNames]);
    this.state = parts.state;
    this.segments = Object.freeze(parts.segments.map((s) => Object.freeze({ ...s })));
    this.training = Object.freeze({ ...parts.training });
    this.nameById = new Map(parts.segments.map((s) => [s.id, s.name]));
  }

  /**
   * A model from a fitted pipeline and a k-means result. Centroids are copied (−0 becomes 0).
   * @throws ModelError when the parts disagree (centroids of another width than the features).
   */
  static fromFit(options: FromFitOptions): SegmentationModel {
    const { result, ...rest } = options;
    const state: AlgorithmState = { type: 'kmeans', centroids: copyPoints(result.centroids), inertia: result.inertia };
    return SegmentationModel.fromState({ ...rest, state, labels: result.labels, backend: result.backend, seed: result.seed });
  }

  /**
   * A model from a fitted pipeline and any algorithm's state (k-means, mean shift, DBSCAN) with
   * the fit's labels, from which the segment sizes are counted.
   * @throws ParameterError for a label that is not a segment of the state, ModelError when the
   *   parts disagree.
   */
  static fromState(options: FromStateOptions): SegmentationModel {
    const FN = 'SegmentationModel.fromState';
    const state = copyState(options.state);
    const k = clusterCount(state);
    const noise = hasNoise(state);
    const sizes = new Array<number>(k + 1).fill(0);
    const labels = options.labels;
    if (labels.length === 0) throw new ParameterError(FN, 'labels', 'labels is empty: a model needs the training rows');
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i];
      if (!Number.isInteger(c) || c >= k || c < (noise ? NOISE : 0)) {
        throw new ParameterError(FN, 'labels', `labels[${i}] = ${c} is not a segment: the ${state.type} state has segments 0..${k - 1}${noise ? ' and -1 (noise)' : ''}`);
      }
      sizes[c === NOISE ? k : c]++;
    }
    const ids = Array.from({ length: k }, (_, c) => c);
    if (noise) ids.push(NOISE);
    const given = namesMap(options.names, FN);
    for (const id of given.keys()) {
      if (!ids.includes(id)) throw new ParameterError(FN, 'names', `names has a name for segment ${id}, which the model does not have`);
    }
    const segments = ids.map((id): SegmentInfo => {
      const name = given.get(id);
      return {
        id,
        name: name ?? defaultSegmentName(id),
        nameSource: name === undefined ? 'generated' : (options.nameSource ?? 'generated'),
        size: sizes[id === NOISE ? k : id],
      };
    });
    const seed = options.seed ?? null;
    const parts: ModelParts = {
      schema: structuredClone(options.schema),
      pipeline: options.pipeline,
      featureNames: options.pipeline.featureNames,
      state,
      segments,
      training: {
        rows: labels.length,
        seed,
        backend: options.backend,
        createdAt: (options.createdAt ?? new Date()).toISOString(),
        libraryVersion: options.libraryVersion ?? LIBRARY_VERSION,
      },
    };
    checkParts(parts, FN);
    return new SegmentationModel(parts);
  }

  /**
   * Rebuilds a model from its saved form (after JSON.parse), checking every field.
   * @param source Where the JSON came from, for messages. Default `model.json`.
   * @throws ModelError naming the field at fault, for a broken, inconsistent or newer model.
   */
  static fromJSON(json: unknown, source = 'model.json'): SegmentationModel {
    return new SegmentationModel(partsFromJSON(json, source));
  }

  /** The saved form; `JSON.stringify` it, or use `saveModel`. */
  toJSON(): ModelJSON {
    return partsToJSON(this.parts());
  }

  /** The algorithm the model applies. */
  get algorithm(): AlgorithmName {
    return this.state.type;
  }

  /** The name of segment `id` (-1: the noise segment). */
  segmentName(id: number): string {
    const name = this.nameById.get(id);
    if (name === undefined) throw new ParameterError('SegmentationModel.segmentName', 'id', `segment ${id} is not a segment of this model`);
    return name;
  }

  /**
   * A copy of the model with some segments renamed (marked as named by the user).
   * @throws ParameterError for an unknown id, an empty name, or a name another segment has.
   */
  rename(names: SegmentNames): SegmentationModel {
    const FN = 'SegmentationModel.rename';
    const given = namesMap(names, FN);
    for (const id of given.keys()) {
      if (!this.nameById.has(id)) throw new ParameterError(FN, 'names', `segment ${id} is not a segment of this model`);
    }
    const segments = this.segments.map((s): SegmentInfo => {
      const name = given.get(s.id);
      return name === undefined ? { ...s } : { ...s, name, nameSource: 'user' };
    });
    const taken = new Map<string, number>();
    for (const s of segments) {
      const other = taken.get(s.name);
      if (other !== undefined) throw new ParameterError(FN, 'names', `segments ${other} and ${s.id} would both be named "${s.name}"`);
      taken.set(s.name, s.id);
    }
    return new SegmentationModel({ ...this.parts(), segments });
  }

  /**
   * Segments the rows of `table`: see {@link predictTable}.
   * @throws DataError naming the columns the model uses that `table` lacks.
   */
  predict(table: arrow.Table, options: PredictOptions = {}): Promise<ModelPrediction> {
    return predictTable(this, table, options);
  }

  /**
   * One SQL SELECT that segments the rows of a database table as `predict` does: the key (or
   * every column), `segment`, `segment_name` and `distance`. See {@link modelToSQL}.
   * @throws ParameterError for an unknown dialect or a model without centers (DBSCAN).
   * @example
   * const { table } = await readTable('Mall_Customers.csv');
   * const schema = inferKinds(table);
   * const pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
   * const result = await new KMeans({ k: 3, seed: 1, nInit: 1 }).fit(pipeline.transform(table).matrix);
   * // In Node, loadModel(path) reads a saved model.
   * const model = SegmentationModel.fromFit({ pipeline, schema, result });
   * const sql = model.toSQL({ dialect: 'duckdb', table: 'users', key: 'CustomerID' });
   * sql.split('\n')[0]; // '-- segments model (kmeans, 3 segments, 6 features from 4 columns) as duckdb SQL.'
   * sql.includes('SELECT'); // true
   */
  toSQL(options: ToSQLOptions): string {
    return modelToSQL(this, options);
  }

  private parts(): ModelParts {
    return {
      schema: this.schema,
      pipeline: this.pipeline,
      featureNames: [...this.featureNames],
      state: this.state,
      segments: this.segments.map((s) => ({ ...s })),
      training: { ...this.training },
    };
  }
}

function namesMap(names: SegmentNames | undefined, fn: string): Map<number, string> {
  const out = new Map<number, string>();
  if (names === undefined) return out;
  const entries: Array<[number, unknown]> = Array.isArray(names)
    ? names.map((n, i) => [i, n])
    : names instanceof Map
      ? [...(names as ReadonlyMap<number, string>).entries()]
      : Object.entries(names).map(([k, n]) => [Number(k), n]);
  for (const [id, name] of entries) {
    if (!Number.isInteger(id)) throw new ParameterError(fn, 'names', `names has a name for segment ${String(id)}, which is not an integer id`);
    if (typeof name !== 'string' || name.trim() === '') throw new ParameterError(fn, 'names', `the name of segment ${id} must be a non-empty string, got ${JSON.stringify(name)}`);
    out.set(id, name);
  }
  return out;
}

/** A float32 copy of a points matrix, −0 stored as 0 (JSON cannot keep the sign of zero). */
function copyPoints(m: { data: ArrayLike<number>; rows: number; cols: number }): MatrixF32 {
  const data = Float32Array.from(m.data, (v) => (v === 0 ? 0 : v));
  return { data, rows: m.rows, cols: m.cols };
}

function copyState(state: AlgorithmState): AlgorithmState {
  switch (state.type) {
    case 'kmeans':
      return { ...state, centroids: copyPoints(state.centroids) };
    case 'meanShift':
      return { ...state, centers: copyPoints(state.centers) };
    case 'dbscan':
      return { ...state, corePoints: copyPoints(state.corePoints), coreLabels: Int32Array.from(state.coreLabels) };
    default:
      return assertUnreachable(state);
  }
}
