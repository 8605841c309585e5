// SPDX-License-Identifier: MIT
/**
 * The whole k-means fit inside a database (`segments fit 'duckdb:users.db?table=users'`,
 * `segments fit 'postgresql://user@host:5432/db?table=users'`):
 * 1. a sample of rows pulled (engines.ts: uniform and repeatable, 10,000 rows by default) to infer the
 *    column kinds (with the column types: numeric columns arrive as numbers);
 * 2. the pipeline's statistics by SQL over every row (fitPipeline.ts);
 * 3. the features stored in the database, k chosen on the sample when not given (chooseK on the
 *    sample's features, whose best centers seed the fit), else k-means++ on the sample;
 * 4. Lloyd's iterations as GROUP BY queries (lloyd.ts), every row, none leaving the database;
 * 5. inertia, Calinski-Harabasz and Davies-Bouldin by SQL over every row; the silhouette on the
 *    sample (labelled so);
 * 6. every row labelled by its nearest final center as Lloyd's passes label it, from the stored
 *    features, beside the profiled cells stored with them in step 3 (the table is not read again),
 *    and the segments profiled and named from every row by SQL (profile.ts: counts, quantiles and
 *    extremes exact; means and deviations up to the order of additions);
 * 7. a SegmentationModel as a fit from a file makes (same model.json), whose sizes are the
 *    database's counts per segment (those of the profiles and of Lloyd's last pass).
 */
import type * as arrow from 'apache-arrow';
import { chooseK } from '../algorithms/chooseK.js';
import { inferKinds } from '../data/inferKinds.js';
import type { PipelineOptions } from '../data/pipeline.js';
import type { Schema } from '../data/schema.js';
import { ParameterError } from '../errors.js';
import { anyOf, checkValue, integer, oneOf } from '../constraints.js';
import type { MatrixF32 } from '../matrix.js';
import { silhouette } from '../metrics/silhouette.js';
import { assignRows } from '../model/assign.js';
import { SegmentationModel } from '../model/model.js';
import type { ProfileResult } from '../profile/profile.js';
import type { DuckDBOptions } from './duckdb.js';
import { openSource } from './open.js';
import { hidePassword } from './postgres.js';
import { profileInDatabase, profiledCells, profiledColumns, segmentStored } from './profile.js';
import { reportInDatabase, type DbReportParts } from './report.js';
import type { ReportInput } from '../report/types.js';
import { pullRows, type DbSource } from './source.js';
import { fitPipelineInDatabase } from './fitPipeline.js';
import { featureColumns } from './engines.js';
import { labelledQueries, lloydInDatabase, seedOnSample, storeFeatures, type DbFeatures, type DbLloydResult } from './lloyd.js';

const FN = 'fitInDatabase';

/** The rows pulled for the kinds, the seeding and the choice of k, unless told otherwise. */
export const DEFAULT_SAMPLE_ROWS = 10_000;

/** Options of {@link fitInDatabase}. */
export interface DbFitOptions extends Pick<PipelineOptions, 'scaler' | 'rangeEncoding' | 'log1p' | 'maxListItems'> {
  /** Segments; 'auto' (default): chosen on the sample by chooseK over kMin..kMax. */
  k?: number | 'auto';
  kMin?: number;
  kMax?: number;
  /** Rows pulled for the kinds, the seeding, the choice of k and the silhouette. Default 10,000. */
  sampleRows?: number;
  /** Default 42 (the workflow's). */
  seed?: number;
  maxIter?: number;
  tol?: number;
  /** Columns not to use. */
  exclude?: readonly string[];
  /** Edits the schema inferred from the sample (kinds given by the user) before the pipeline is fitted. */
  editSchema?: (schema: Schema, sample: arrow.Table) => void;
  onWarning?: (message: string) => void;
  onIteration?: (iteration: number, seconds: number) => void;
  /** Makes the report's input too (DbFit.report). Default false. */
  report?: boolean;
  /** For a DuckDB address: how DuckDB runs in this process (its memory limit). */
  duckdb?: DuckDBOptions;
}

/** Metrics of the in-database fit, each saying what it was computed on. */
export interface DbFitMetrics {
  /** Σ squared distance to the nearest center, every row, by SQL. */
  inertia: number;
  /** Every row, by SQL (null for k = 1). */
  calinskiHarabasz: number | null;
  /** Every row, by SQL (null for k = 1). */
  daviesBouldin: number | null;
  /** On the sample only (null when the sample has fewer than 2 segments). */
  silhouetteOnSample: number | null;
}

/** What {@link fitInDatabase} gives. */
export interface DbFit {
  model: SegmentationModel;
  /** The segments profiled and named from every row, by SQL (src/db/profile.ts). */
  profiles: ProfileResult;
  /** The report's input (report.ts: each chart from every row or from the sample, and saying which), with `report: true`; else null. */
  report: ReportInput | null;
  schema: Schema;
  lloyd: DbLloydResult;
  metrics: DbFitMetrics;
  /** Rows of the table, and of the sample. */
  rows: number;
  sampleRows: number;
  /** How k was chosen, in words. */
  kReason: string;
  /** Seconds: pipeline statistics, storing the features, choosing k or seeding, Lloyd, metrics, profiles. */
  timings: Record<'pipeline' | 'features' | 'seeding' | 'lloyd' | 'metrics' | 'profiles' | 'report', number>;
}

/**
 * k-means inside the database at `input` (`duckdb:file.db?table=users`, a CSV or Parquet file
 * DuckDB reads, or `postgresql://user@host:port/db?table=users`). Work in the database: O(rows · columns) for the pipeline's
 * statistics (plus an ORDER BY per median or percentile), O(rows · k · features) per Lloyd
 * iteration; in this process: the sample (O(sampleRows · features)) and O(k · features) per
 * iteration. Lloyd's algorithm as scikit-learn's `_kmeans_single_lloyd`, one aggregation per
 * iteration as Spark MLlib's KMeans.
 * @throws ParameterError for a bad address or option; DataError for a missing file, table or
 *   column (named), a column of a type its kind is not read from (named), a connection refused
 *   (naming host:port), an empty table.
 * @example
 * const fit = await fitInDatabase('duckdb:Mall_Customers.csv', { k: 4, onWarning: () => {} });
 * fit.lloyd.sizes.reduce((a, b) => a + b, 0); // 200: every row of the table
 * fit.metrics.silhouetteOnSample; // e.g. 0.4: on the sample, here every one of the 200 rows
 */
export async function fitInDatabase(input: string, options: DbFitOptions = {}): Promise<DbFit> {
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  checkValue(FN, 'sampleRows', sampleRows, integer({ min: 2 }));
  const k = options.k ?? 'auto';
  checkValue(FN, 'k', k, anyOf(integer({ min: 1 }), oneOf('auto')));
  const seed = options.seed ?? 42;
  const source = await openSource(input, { duckdb: options.duckdb });
  try {
    return await fitSource(source, { ...options, k, seed, sampleRows, address: input });
  } finally {
    await source.close();
  }
}

async function fitSource(source: DbSource, o: DbFitOptions & { k: number | 'auto'; seed: number; sampleRows: number; address: string }): Promise<DbFit> {
  const warn = o.onWarning ?? ((m: string) => console.warn(m));
  const clock = (): number => performance.now() / 1000;
  let t = clock();
  const sample = await pullRows(source, { sample: o.sampleRows, seed: o.seed });
  const schema = inferKinds(sample);
  for (const c of schema.columns) if (o.exclude?.includes(c.name)) c.use = false;
  o.editSchema?.(schema, sample);
  const pipeline = await fitPipelineInDatabase(source, schema, { scaler: o.scaler, rangeEncoding: o.rangeEncoding, log1p: o.log1p, maxListItems: o.maxListItems, onWarning: warn });
  const timings = { pipeline: clock() - t, features: 0, seeding: 0, lloyd: 0, metrics: 0, profiles: 0, report: 0 };
  t = clock();
  const features = await storeFeatures(source, pipeline, profiledCells(source, profiledColumns(schema)));
  try {
    timings.features = clock() - t;
    t = clock();
    const x = pipeline.transform(sample).matrix;
    let init: MatrixF32;
    let kReason: string;
    let chosen: DbReportParts['chooseK'] | null = null;
    if (o.k === 'auto') {
      const search = await chooseK(x, { kMin: o.kMin ?? 2, kMax: Math.min(o.kMax ?? 10, x.rows), kmeans: { seed: o.seed, onWarning: () => {} } });
      chosen = search;
      const best = search.model;
      init = { data: Float32Array.from(best.centroids.data), rows: best.centroids.rows, cols: best.centroids.cols };
      kReason = `${search.recommended.reason} (chosen on a sample of ${x.rows} of ${features.rows} rows; its centers seed the fit of every row)`;
    } else {
      if (o.k > x.rows) throw new ParameterError(FN, 'k', `k=${o.k} is more than the sample's ${x.rows} rows`);
      init = await seedOnSample(x, o.k, o.seed);
      kReason = `k = ${o.k} as given (k-means++ seeds drawn from a sample of ${x.rows} rows)`;
    }
    timings.seeding = clock() - t;
    t = clock();
    const lloyd = await lloydInDatabase(features, init, { maxIter: o.maxIter, tol: o.tol, onIteration: o.onIteration });
    if (!lloyd.converged) warn(`${FN}: did not converge in maxIter=${o.maxIter ?? 300} iterations; raise maxIter or tol`);
    timings.lloyd = clock() - t;
    t = clock();
    const indices = await clusterIndicesInDatabase(features, lloyd.centroids, lloyd);
    const state = { type: 'kmeans' as const, centroids: lloyd.centroids, inertia: lloyd.inertia };
    // The sample's rows by their nearest center, for its silhouette.
    const sampleLabels = (await assignRows(state, x, warn)).segments;
    const distinct = new Set(sampleLabels).size;
    const scored = distinct >= 2 && distinct < x.rows ? await silhouette(x, sampleLabels) : null;
    const silhouetteRows = scored === null ? null : scored.samples;
    const silhouetteOnSample = scored === null ? null : scored.score;
    timings.metrics = clock() - t;
    t = clock();
    // Every row labelled from its stored features by the final centers, then profiled and named by SQL.
    const segmented = await segmentStored(features, lloyd.centroids);
    let profiles: ProfileResult;
    let report: ReportInput | null = null;
    try {
      const profile = await profileInDatabase(segmented, schema);
      profiles = profile.profiles;
      timings.profiles = clock() - t;
      t = clock();
      if (o.report === true) {
        const metrics = { inertia: lloyd.inertia, ...indices, silhouetteOnSample };
        report = await reportInDatabase({
          address: hidePassword(o.address),
          segmented,
          profile,
          schema,
          pipeline,
          sample,
          sampleMatrix: x,
          sampleLabels,
          silhouetteRows,
          metrics,
          k: lloyd.centroids.rows,
          seed: o.seed,
          ...(chosen === null ? {} : { chooseK: chosen }),
          database: source.engine.label,
        });
      }
      timings.report = clock() - t;
    } finally {
      await segmented.drop();
    }
    // The rows of each segment as profiled: those of Lloyd's last pass (the same query over the same centers).
    const sizes = new Float64Array(lloyd.centroids.rows);
    segmented.ids.forEach((id, g) => {
      sizes[id] = segmented.sizes[g];
    });
    const model = SegmentationModel.fromState({
      pipeline,
      schema,
      state,
      labels: labelsFromSizes(sizes),
      backend: source.dialect.name,
      seed: o.seed,
      names: new Map(profiles.segments.map((s) => [s.id, s.name])),
    });
    return {
      model,
      profiles,
      report,
      schema,
      lloyd,
      metrics: { inertia: lloyd.inertia, ...indices, silhouetteOnSample },
      rows: features.rows,
      sampleRows: x.rows,
      kReason,
      timings,
    };
  } finally {
    await features.drop();
  }
}

/**
 * The training labels a model counts its segment sizes from, in segment order: the database
 * gives the rows per segment, not each row's label (the rows stay there).
 */
function labelsFromSizes(sizes: Float64Array): Int32Array {
  let n = 0;
  for (const s of sizes) n += s;
  const out = new Int32Array(n);
  let at = 0;
  sizes.forEach((s, c) => {
    out.fill(c, at, at + s);
    at += s;
  });
  return out;
}

/**
 * Calinski-Harabasz and Davies-Bouldin (as src/metrics computes them) of the rows labelled by
 * their nearest of `centers`, by SQL over the stored features: one query for the clusters' sums
 * and counts (their means), unless `totals` gives them (Lloyd's last pass over the same centers
 * computed them), and one for each cluster's Σ distance and Σ squared distance to its mean.
 */
export async function clusterIndicesInDatabase(
  f: DbFeatures,
  centers: MatrixF32,
  totals?: { sizes: Float64Array; sums: Float64Array },
): Promise<{ calinskiHarabasz: number | null; daviesBouldin: number | null }> {
  const d = f.source.dialect;
  const dim = f.cols;
  const { labelled, byCluster } = labelledQueries(f, centers);
  const groups =
    totals === undefined
      ? (await f.source.query(byCluster)).map((g) => ({ id: Number(g.seg), n: Number(g.n), sums: Array.from({ length: dim }, (_, j) => Number(g[`s${j}`])) }))
      : Array.from(totals.sizes, (n, c) => ({ id: c, n, sums: Array.from(totals.sums.subarray(c * dim, (c + 1) * dim)) })).filter((g) => g.n > 0);
  const k = groups.length;
  if (k < 2) return { calinskiHarabasz: null, daviesBouldin: null };
  const ids = groups.map((g) => g.id);
  const counts = groups.map((g) => g.n);
  const means = groups.map((g, i) => g.sums.map((s) => s / counts[i]));
  const n = counts.reduce((a, b) => a + b, 0);
  // Each row's distance to its cluster's mean, in float64, the means joined as a VALUES list by
  // cluster (https://www.postgresql.org/docs/15/queries-values.html, https://duckdb.org/docs/stable/sql/query_syntax/values).
  const fs = featureColumns(d, dim);
  const values = groups.map((_, i) => `(${ids[i]}, ${means[i].map((v) => d.double(v)).join(', ')})`).join(', ');
  const mean = Array.from({ length: dim }, (_, j) => `__segments_m${j}`);
  const squares = fs.map((x, j) => `(__segments_q.${x} - __segments_m.${mean[j]}) * (__segments_q.${x} - __segments_m.${mean[j]})`).join(' + ');
  const spread = await f.source.query(
    `SELECT seg, sum(dist) AS s1, sum(dist * dist) AS s2 FROM (SELECT __segments_q.seg, ${d.sqrt(squares)} AS dist FROM (${labelled}) AS __segments_q JOIN (VALUES ${values}) AS __segments_m(__segments_seg, ${mean.join(', ')}) ON __segments_q.seg = __segments_m.__segments_seg${d.fence}) AS __segments_r GROUP BY seg`,
  );
  const spreadOf = new Map(spread.map((r) => [Number(r.seg), { s1: Number(r.s1), s2: Number(r.s2) }]));
  const overall = new Float64Array(dim);
  for (let i = 0; i < k; i++) for (let j = 0; j < dim; j++) overall[j] += (counts[i] * means[i][j]) / n;
  let between = 0;
  let within = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < dim; j++) between += counts[i] * (means[i][j] - overall[j]) ** 2;
    within += spreadOf.get(ids[i])?.s2 ?? 0;
  }
  const calinskiHarabasz = within === 0 ? 1 : (between * (n - k)) / (within * (k - 1));
  const avg = ids.map((id, i) => (spreadOf.get(id)?.s1 ?? 0) / counts[i]);
  let total = 0;
  let allSpreadZero = true;
  let allCentroidsEqual = true;
  for (let a = 0; a < k; a++) {
    if (avg[a] !== 0) allSpreadZero = false;
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      let s = 0;
      for (let j = 0; j < dim; j++) s += (means[a][j] - means[b][j]) ** 2;
      const dist = Math.sqrt(s);
      if (dist === 0) continue;
      allCentroidsEqual = false;
      worst = Math.max(worst, (avg[a] + avg[b]) / dist);
    }
    total += worst;
  }
  return { calinskiHarabasz, daviesBouldin: allSpreadZero || allCentroidsEqual ? 0 : total / k };
}
