// SPDX-License-Identifier: MIT
/**
 * k-means trained inside the database: the feature layer (the pipeline as SQL, the same SQL a
 * compiled model runs: src/model/sql/pipeline.ts) stored once as a temporary table, then each
 * Lloyd iteration one GROUP BY over it (the sums and counts of the rows nearest each center),
 * the rows never leaving the database. The loop around the queries is Lloyd's as KMeans runs it
 * (src/algorithms/kmeansLloyd.ts): centers held in float32, the squared center shift against
 * tol × the mean feature variance, an empty cluster taking the row farthest from its center,
 * and a last assignment for the inertia and the sizes. Seeding is k-means++ (our
 * kmeansPlusPlus) on a sample pulled from the table.
 *
 * The nearest center of a row: the least of its distances (DuckDB: float32, by array_distance;
 * PostgreSQL: float64, spelled out as a compiled model does), the lowest-numbered center on a
 * tie, as predict's rule (engines.ts).
 * Per iteration O(n·k·d) work in the database and O(k·d) rows back.
 */
import { ParameterError, throwIfCancelled } from '../errors.js';
import { kmeansPlusPlus } from '../algorithms/kmeansInit.js';
import { disposeData, nextCenters, uploadData } from '../algorithms/kmeansLloyd.js';
import type { Pipeline } from '../data/pipeline.js';
import type { MatrixF32 } from '../matrix.js';
import { featureItems, featureName, readItems } from '../model/sql/pipeline.js';
import { LEAST_NAME } from '../model/sql/nearest.js';
import { Random } from '../random.js';
import { ROW_NAME, featureColumns } from './engines.js';
import type { DbSource } from './source.js';
import type { Sql } from '../model/sql/dialects.js';
import { checkValue, integer } from '../constraints.js';

const FN = 'kmeansInDatabase';

/** The feature layer of a table, stored in the database. */
export interface DbFeatures {
  source: DbSource;
  /** The temporary table holding the features `__segments_f0` … */
  table: string;
  rows: number;
  cols: number;
  /** Population variance of each feature, averaged (KMeans's scale for tol). */
  meanVariance: number;
  /** The names of the columns stored beside the features (storeFeatures' `carry`), as `__segments_c0` …, in this order. */
  carried: readonly string[];
  /** Drops the temporary table. */
  drop(): Promise<void>;
}

/** The alias of the source table's row in storeFeatures' first layer, which a carried column's expression reads its cells from. */
export const SOURCE_ROW = '__segments_src';
/** The stored name of the i-th carried column. */
export const carriedName = (i: number): string => `__segments_c${i}`;

/**
 * A column stored beside the features: its name; `read`, SQL over the source's row (SOURCE_ROW)
 * in the layer that reads the cells (a read the features make already, the same text, is not
 * made twice); `then`, what is stored, as SQL over that read value (default: the value).
 */
export interface CarriedColumn {
  name: string;
  read: Sql;
  then?: (value: Sql) => Sql;
}

let tableCounter = 0;

/**
 * Stores the pipeline's features of every row of the source's table as a temporary table
 * (one pass over the table: the cells read and transformed once, not once per iteration), and
 * beside them the `carry` columns read in the same pass (the profiled cells, so that the
 * profiles need not read the table again).
 */
export async function storeFeatures(source: DbSource, pipeline: Pipeline, carry: readonly CarriedColumn[] = []): Promise<DbFeatures> {
  const d = source.dialect;
  const steps = pipeline.steps;
  const items = featureItems(d, steps, '__segments_l1');
  const reads = readItems(d, steps, SOURCE_ROW);
  // Each carried column's read: one the features make (a number column's, read by regular
  // expressions: in PostgreSQL, which does not share common subexpressions, three times as long
  // otherwise), or its own.
  const readAs = new Map(reads.map((i) => [i.expr, i.as]));
  const own: string[] = [];
  const carried = carry.map((c, i) => {
    let as = readAs.get(c.read);
    if (as === undefined) {
      as = carriedName(i);
      readAs.set(c.read, as);
      own.push(`${c.read} AS ${d.ident(as)}`);
    }
    const value = `__segments_l1.${d.ident(as)}`;
    return `${c.then === undefined ? value : c.then(value)} AS ${d.ident(carriedName(i))}`;
  });
  const l1 = `SELECT ${[...reads.map((i) => `${i.expr} AS ${d.ident(i.as)}`), ...own].join(', ')} FROM ${source.tableSql} AS ${SOURCE_ROW}`;
  const table = `__segments_features_${++tableCounter}`;
  const cols = items.length;
  const extras = source.engine.storedExtras(featureColumns(d, cols));
  const l2 = `SELECT ${[...items.map((i) => `${source.engine.storedFeature(i.expr)} AS ${d.ident(i.as)}`), ...carried].join(', ')} FROM (${l1}${d.fence}) AS __segments_l1`;
  await source.exec(source.engine.createTemp(table, `SELECT *${extras === '' ? '' : `, ${extras}`} FROM (${l2}${d.fence}) AS __segments_l2`));
  const stats = (await source.query(`SELECT count(*) AS n, ${items.map((_, j) => `var_pop(${d.ident(featureName(j))}) AS v${j}`).join(', ')} FROM ${d.ident(table)}`))[0];
  let total = 0;
  for (let j = 0; j < cols; j++) total += Number(stats[`v${j}`]);
  return {
    source,
    table,
    rows: Number(stats.n),
    cols,
    meanVariance: total / cols,
    carried: carry.map((c) => c.name),
    drop: async () => {
      await source.exec(`DROP TABLE IF EXISTS ${d.ident(table)}`);
    },
  };
}

/**
 * For `centers`, as SQL over the stored features: `labelled`, each row with its position
 * `__segments_row`, its features, its least squared distance and its nearest center `seg`
 * (engines.ts); `byCluster`, per nearest center `seg` the rows `n`, their least squared
 * distances' sum `inertia` and their feature sums `s0` ….
 */
export function labelledQueries(f: DbFeatures, centers: MatrixF32): { labelled: string; byCluster: string } {
  const d = f.source.dialect;
  const fs = featureColumns(d, f.cols);
  const labelled = f.source.engine.labelled(d.ident(f.table), fs, centers);
  return { labelled, byCluster: `SELECT seg, count(*) AS n, sum(${d.ident(LEAST_NAME)}) AS inertia, ${fs.map((x, j) => `sum(${x}) AS s${j}`).join(', ')} FROM (${labelled}) AS __segments_w GROUP BY seg` };
}

/** Options of {@link lloydInDatabase}. */
export interface DbLloydOptions {
  /** Default 300, as KMeans. */
  maxIter?: number;
  /** Stop when the summed squared center shift is ≤ tol × the mean feature variance. Default 1e-4, as KMeans. */
  tol?: number;
  signal?: AbortSignal;
  /** Called after each iteration with its number (1-based) and seconds. */
  onIteration?: (iteration: number, seconds: number) => void;
}

/** The outcome of Lloyd's iterations in the database. */
export interface DbLloydResult {
  centroids: MatrixF32;
  /** Rows nearest each center, for the final centers. */
  sizes: Float64Array;
  /** Per center, the feature sums of the rows nearest it, for the final centers [k, d] (their means follow). */
  sums: Float64Array;
  /** Σ squared distance of each row to its nearest final center, by SQL. */
  inertia: number;
  nIter: number;
  converged: boolean;
  /** Seconds of each iteration. */
  iterationSeconds: number[];
}

/**
 * Lloyd's iterations from `init` [k, d] over the stored features, each one GROUP BY query, until
 * the squared center shift is ≤ tol × meanVariance or maxIter; then one more query for the
 * sizes and the inertia of the final centers.
 */
export async function lloydInDatabase(f: DbFeatures, init: MatrixF32, options: DbLloydOptions = {}): Promise<DbLloydResult> {
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  checkValue(FN, 'maxIter', maxIter, integer({ min: 1 }));
  if (!Number.isFinite(tol) || tol < 0) throw new ParameterError(FN, 'tol', `tol=${tol} must be finite and >= 0`);
  if (init.cols !== f.cols) throw new ParameterError(FN, 'init', `init has ${init.cols} columns; the pipeline makes ${f.cols} features`);
  const k = init.rows;
  const dim = f.cols;
  if (!(k >= 1 && k <= f.rows)) throw new ParameterError(FN, 'k', `k=${k} must be between 1 and the table's ${f.rows} rows`);
  const tolAbs = tol * f.meanVariance;
  let centers = Float32Array.from(init.data);
  let converged = false;
  let iter = 0;
  const iterationSeconds: number[] = [];
  for (iter = 0; iter < maxIter; iter++) {
    throwIfCancelled(options.signal, FN);
    const started = performance.now();
    const { counts, sums } = await totals(f, { data: centers, rows: k, cols: dim });
    if (counts.some((c) => c === 0)) await relocateEmpty(f, { data: centers, rows: k, cols: dim }, counts, sums);
    const update = nextCenters(centers, sums, counts, k, dim);
    centers = update.centers;
    const shift = update.shift;
    const seconds = (performance.now() - started) / 1000;
    iterationSeconds.push(seconds);
    options.onIteration?.(iter + 1, seconds);
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  const last = await totals(f, { data: centers, rows: k, cols: dim });
  return { centroids: { data: centers, rows: k, cols: dim }, sizes: last.counts, sums: last.sums, inertia: last.inertia, nIter: Math.min(iter + 1, maxIter), converged, iterationSeconds };
}

/** Per center: the rows nearest it, their feature sums and their squared distances' sum. */
async function totals(f: DbFeatures, centers: MatrixF32): Promise<{ counts: Float64Array; sums: Float64Array; inertia: number }> {
  const k = centers.rows;
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * f.cols);
  let inertia = 0;
  for (const row of await f.source.query(labelledQueries(f, centers).byCluster)) {
    const c = Number(row.seg);
    counts[c] = Number(row.n);
    inertia += Number(row.inertia);
    for (let j = 0; j < f.cols; j++) sums[c * f.cols + j] = Number(row[`s${j}`]);
  }
  return { counts, sums, inertia };
}

/**
 * scikit-learn's `_relocate_empty_clusters` as kmeansLloyd.ts runs it: each empty cluster takes
 * the row farthest from its nearest center (in decreasing order of that distance, then in table
 * order, as the stored rows' rowid keeps it), which leaves its old cluster.
 */
async function relocateEmpty(f: DbFeatures, centers: MatrixF32, counts: Float64Array, sums: Float64Array): Promise<void> {
  const d = f.source.dialect;
  const empty: number[] = [];
  for (let c = 0; c < counts.length; c++) if (counts[c] === 0) empty.push(c);
  const far = await f.source.query(`SELECT * FROM (${labelledQueries(f, centers).labelled}) AS __segments_v ORDER BY ${d.ident(LEAST_NAME)} DESC, ${ROW_NAME} LIMIT ${empty.length}`);
  far.forEach((row, e) => {
    const from = Number(row.seg);
    const to = empty[e];
    for (let j = 0; j < f.cols; j++) {
      const v = Number(row[featureName(j)]);
      sums[from * f.cols + j] -= v;
      sums[to * f.cols + j] = v;
    }
    counts[to] = 1;
    counts[from] -= 1;
  });
}

/**
 * k-means++ centers (our kmeansPlusPlus, as KMeans seeds) on the feature matrix of a sample of
 * the table's rows, with the generator seeded by `seed`.
 */
export async function seedOnSample(sample: MatrixF32, k: number, seed: number): Promise<MatrixF32> {
  if (!(Number.isInteger(k) && k >= 1 && k <= sample.rows)) throw new ParameterError(FN, 'k', `k=${k} must be an integer between 1 and the sample's ${sample.rows} rows`);
  const data = uploadData(sample, null, k);
  try {
    const init = await kmeansPlusPlus(data, k, new Random(seed));
    return { data: init, rows: k, cols: sample.cols };
  } finally {
    disposeData(data);
  }
}
