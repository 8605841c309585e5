// SPDX-License-Identifier: MIT
/**
 * The pipelines of test/fixtures/data/TABLES.md, built from the library's pieces, and the runs of
 * each algorithm on their feature matrices. bench/tables.ts prints them beside scikit-learn's and
 * the published figures; test/bench/tables.test.ts runs the k-means part of A to C through this
 * same code.
 *
 * Where the Pipeline cannot express a step of a source exactly, the step is composed here from
 * the lower-level pieces (Scaler, OneHotEncoder), and the table's `notes` say so:
 * - B: the Pipeline's one-hot always adds an `<other>` slot (for categories unseen when fitting);
 *   on the table it was fitted on that column is all zero, and it is removed so that the matrix
 *   has scikit-learn's 18 columns (an all-zero column changes no distance anyway).
 * - C: the engine infers `User ID` as an id and never makes it a feature; to reproduce the
 *   source's mistake of scaling it, its kind is overridden to 'number'.
 * - D: the source fills the bad Age with the mean (the Pipeline imputes the median), one-hot
 *   drops the first level (the Pipeline keeps every level) and the dummies are standardized too
 *   (the Pipeline leaves 0/1 indicators as they are): composed from Scaler and OneHotEncoder.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as arrow from 'apache-arrow';
import { Agglomerative } from '../src/algorithms/agglomerative.js';
import { DBSCAN } from '../src/algorithms/dbscan.js';
import { KMeans, type KMeansResult } from '../src/algorithms/kmeans.js';
import { kneedle } from '../src/algorithms/kneedle.js';
import { MeanShift } from '../src/algorithms/meanShift.js';
import { SpectralClustering } from '../src/algorithms/spectral.js';
import { OneHotEncoder } from '../src/data/encoders.js';
import { inferKinds } from '../src/data/inferKinds.js';
import { Pipeline, type PipelineOutput } from '../src/data/pipeline.js';
import { readTable, type ReadReport } from '../src/data/readTable.js';
import { Scaler } from '../src/data/scalers.js';
import type { Schema } from '../src/data/schema.js';
import type { Matrix } from '../src/matrix.js';
import { silhouetteScore } from '../src/metrics/silhouette.js';

/** test/fixtures/data: byte-for-byte copies of the shared datasets. */
export const DATA_DIR = join(dirname(dirname(fileURLToPath(import.meta.url))), 'test', 'fixtures', 'data');

export type TableId = 'A' | 'B' | 'C' | 'D';

/** A table's feature matrix as its pipeline makes it. */
export interface Features {
  table: TableId;
  file: string;
  /** [rows, features] row-major. */
  matrix: Matrix;
  featureNames: string[];
  /** One line per step, as the source describes it. */
  pipeline: string[];
  /** Where the bench departs from the library's defaults or composes a step itself, and why. */
  notes: string[];
}

/** What one clustering gives, in the figures TABLES.md compares. */
export interface PartitionFigures {
  /** Cluster sizes, largest first (noise not counted). */
  sizes: number[];
  /** Rows labelled -1 (DBSCAN's noise). */
  noise: number;
  nClusters: number;
  /** k-means' own inertia; absent for other algorithms. */
  inertia?: number;
  /** Exact silhouette; null when there are fewer than two labels (all noise, one cluster). */
  silhouette: number | null;
  nIter?: number;
  /** Mean shift: the bandwidth used. */
  bandwidth?: number;
  /** k-means: how the refinement ended ('off' with refine: false). */
  refineStopped?: string;
  /** Wall time of the fit, s. */
  seconds: number;
}

export interface KMeansRun {
  k: number;
  nInit: number;
  refine: boolean;
  seed: number;
}

// ---------------------------------------------------------------------------------------------
// Reading

async function read(file: string, dataDir: string, onBadRows: 'fail' | 'null' = 'fail'): Promise<{ table: arrow.Table; report: ReadReport }> {
  return readTable(join(dataDir, file), { onBadRows });
}

/** The schema inferred for `table` with only `columns` used, each forced to `kind` where given. */
function schemaUsing(table: arrow.Table, columns: Record<string, 'number' | null>): Schema {
  const schema = inferKinds(table);
  for (const name of Object.keys(columns)) {
    if (!schema.columns.some((c) => c.name === name)) throw new Error(`tables bench: column '${name}' is not in the file`);
  }
  for (const c of schema.columns) {
    c.use = Object.hasOwn(columns, c.name);
    const kind = columns[c.name];
    if (c.use && kind !== null && kind !== undefined) c.kind = kind;
  }
  return schema;
}

/** Keeps the features `keep` says yes to, in order. */
function selectFeatures(out: PipelineOutput, keep: (name: string) => boolean): { matrix: Matrix; featureNames: string[] } {
  const idx = out.featureNames.flatMap((name, j) => (keep(name) ? [j] : []));
  const { rows, cols, data } = out.matrix;
  const picked = new Float32Array(rows * idx.length);
  for (let i = 0; i < rows; i++) idx.forEach((j, c) => (picked[i * idx.length + c] = data[i * cols + j]));
  return { matrix: { data: picked, rows, cols: idx.length }, featureNames: idx.map((j) => out.featureNames[j]) };
}

/** A numeric column as float64, null cells as NaN. */
function numbers(table: arrow.Table, name: string): Float64Array {
  const v = table.getChild(name);
  if (v === null) throw new Error(`tables bench: column '${name}' is not in the file`);
  return Float64Array.from({ length: table.numRows }, (_, i) => {
    const x = v.get(i) as number | bigint | null;
    return x === null ? NaN : Number(x);
  });
}

/** A text column's labels (null stays null). */
function labels(table: arrow.Table, name: string): Array<string | null> {
  const v = table.getChild(name);
  if (v === null) throw new Error(`tables bench: column '${name}' is not in the file`);
  return Array.from({ length: table.numRows }, (_, i) => {
    const x = v.get(i) as unknown;
    return x === null ? null : String(x);
  });
}

// ---------------------------------------------------------------------------------------------
// The four pipelines

/** Table A's features, as the source names them (`likes_receieved` is misspelled in the file). */
export const TIKTOK_COLUMNS = ['followers', 'comment_engagement_rate', 'like_engagement_rate', 'likes_receieved', 'videos_count'];

/** A: RobustScaler (median, IQR) on five TikTok columns, through the Pipeline. */
export async function featuresA(dataDir = DATA_DIR): Promise<Features> {
  const file = 'tiktok_profilesData.csv';
  const { table } = await read(file, dataDir);
  const schema = schemaUsing(table, Object.fromEntries(TIKTOK_COLUMNS.map((c) => [c, null])));
  const warnings: string[] = [];
  const { output } = Pipeline.fitTransform(table, schema, { scaler: 'robust', log1p: false, onWarning: (m) => warnings.push(m) });
  return {
    table: 'A',
    file,
    matrix: output.matrix,
    featureNames: output.featureNames,
    pipeline: [`read ${file} (${table.numRows} rows)`, `RobustScaler (median, IQR 25–75) on ${TIKTOK_COLUMNS.join(', ')}`],
    notes: [
      "Pipeline with the five columns used, log1p off (the engine's default would log-transform the heavy-tailed counts; the source does not)",
      ...warnings,
    ],
  };
}

/** Table B's scaled numeric columns. */
export const ADS_B_NUMERIC = ['Time Spent Online (hrs/weekday)', 'Time Spent Online (hrs/weekend)', 'Likes and Reactions', 'Click-Through Rates (CTR)'];
/** Table B's one-hot columns (all levels kept). */
export const ADS_B_CATEGORIES = ['Age', 'Gender', 'Income Level'];

/** B: StandardScaler on four numbers + one-hot (all levels) of Age, Gender, Income Level: 18 columns. */
export async function featuresB(dataDir = DATA_DIR): Promise<Features> {
  const file = 'user_profiles_for_ads.csv';
  const { table } = await read(file, dataDir);
  const schema = schemaUsing(table, Object.fromEntries([...ADS_B_NUMERIC, ...ADS_B_CATEGORIES].map((c) => [c, null])));
  const warnings: string[] = [];
  const { output } = Pipeline.fitTransform(table, schema, { scaler: 'standard', rangeEncoding: 'onehot', log1p: false, onWarning: (m) => warnings.push(m) });
  const others = output.featureNames.filter((n) => n.endsWith('=<other>'));
  for (const name of others) {
    const j = output.featureNames.indexOf(name);
    for (let i = 0; i < output.matrix.rows; i++) {
      if (output.matrix.data[i * output.matrix.cols + j] !== 0) throw new Error(`tables bench B: ${name} is not all zero on the table the pipeline was fitted on`);
    }
  }
  const { matrix, featureNames } = selectFeatures(output, (n) => !others.includes(n));
  return {
    table: 'B',
    file,
    matrix,
    featureNames,
    pipeline: [
      `read ${file} (${table.numRows} rows)`,
      `StandardScaler on ${ADS_B_NUMERIC.join(', ')}`,
      `one-hot of ${ADS_B_CATEGORIES.join(', ')}, all levels kept (${featureNames.length} columns in all)`,
    ],
    notes: [
      "Pipeline with log1p off and ranges (Age, Income Level) one-hot instead of the engine's default ordinal",
      `the Pipeline's one-hot adds an '<other>' slot per column for unseen categories; the ${others.length} of them (${others.join(', ')}) are all zero on this table and are removed, leaving scikit-learn's 18 columns`,
      ...warnings,
    ],
  };
}

/** Table C's scaled columns, the row number `User ID` first, as the source has it. */
export const ADS_C_COLUMNS = [
  'User ID',
  'Likes and Reactions',
  'Followed Accounts',
  'Time Spent Online (hrs/weekday)',
  'Time Spent Online (hrs/weekend)',
  'Click-Through Rates (CTR)',
  'Conversion Rates',
  'Ad Interaction Time (sec)',
];

/** C: StandardScaler on User ID and seven numbers: the source's mistake of scaling an id, reproduced. */
export async function featuresC(dataDir = DATA_DIR): Promise<Features> {
  const file = 'user_profiles_for_ads.csv';
  const { table } = await read(file, dataDir);
  const inferred = inferKinds(table).columns.find((c) => c.name === 'User ID');
  const schema = schemaUsing(table, Object.fromEntries(ADS_C_COLUMNS.map((c) => [c, c === 'User ID' ? 'number' : null])));
  const warnings: string[] = [];
  const { output } = Pipeline.fitTransform(table, schema, { scaler: 'standard', log1p: false, onWarning: (m) => warnings.push(m) });
  return {
    table: 'C',
    file,
    matrix: output.matrix,
    featureNames: output.featureNames,
    pipeline: [`read ${file} (${table.numRows} rows)`, `StandardScaler on ${ADS_C_COLUMNS.join(', ')}`],
    notes: [
      `MISTAKE REPRODUCED: the source scales 'User ID' (a row number) as a feature. The engine infers it as kind '${inferred?.kind ?? '?'}' and never uses ids; the bench overrides its kind to 'number' to reproduce the published pipeline`,
      'Pipeline with log1p off',
      ...warnings,
    ],
  };
}

/** Table D's one-hot columns (first level dropped). */
export const WELLBEING_CATEGORIES = ['Gender', 'Platform', 'Dominant_Emotion'];
const WELLBEING_ID = 'User_ID';

/**
 * D: the wellbeing test file (blank lines skipped: 103 rows), Age coerced to a number (the bad
 * cell read as null) and filled with the mean, one-hot dropping the first level of Gender,
 * Platform and Dominant_Emotion, User_ID dropped, StandardScaler on all 21 columns. Composed
 * from Scaler and OneHotEncoder (see the file's comment); columns in pandas' get_dummies order.
 */
export async function featuresD(dataDir = DATA_DIR): Promise<Features> {
  const file = 'social_media_wellbeing_test.csv';
  const { table, report } = await read(file, dataDir, 'null');
  const rows = table.numRows;
  const names = table.schema.fields.map((f) => f.name);
  const numeric = names.filter((n) => n !== WELLBEING_ID && !WELLBEING_CATEGORIES.includes(n));
  const columns: Float64Array[] = [];
  const featureNames: string[] = [];
  let filled = 0;
  let ageMean = NaN;
  for (const name of numeric) {
    const v = numbers(table, name);
    if (name === 'Age') {
      const known = v.filter((x) => !Number.isNaN(x));
      ageMean = known.reduce((a, b) => a + b, 0) / known.length;
      for (let i = 0; i < rows; i++) {
        if (Number.isNaN(v[i])) {
          v[i] = ageMean;
          filled++;
        }
      }
    }
    if (v.some((x) => Number.isNaN(x))) throw new Error(`tables bench D: column '${name}' has missing values the source does not fill`);
    columns.push(v);
    featureNames.push(name);
  }
  for (const name of WELLBEING_CATEGORIES) {
    const values = labels(table, name);
    const enc = OneHotEncoder.fit(values);
    const onehot = enc.transform(values);
    // Drop the first (sorted) level, as get_dummies(drop_first=True), and the '<other>' slot, all zero here.
    for (let c = 1; c < enc.categories.length; c++) {
      columns.push(Float64Array.from({ length: rows }, (_, i) => onehot.data[i * onehot.cols + c]));
      featureNames.push(`${name}=${enc.categories[c]}`);
    }
  }
  const d = columns.length;
  const raw = new Float64Array(rows * d);
  columns.forEach((col, j) => col.forEach((x, i) => (raw[i * d + j] = x)));
  const scaler = Scaler.fit({ data: raw, rows, cols: d }, 'standard');
  const matrix = scaler.transform({ data: raw, rows, cols: d });
  const bad = report.badRows.map((b) => `line ${b.line}: ${b.reason} (${b.action})`).join('; ');
  return {
    table: 'D',
    file,
    matrix,
    featureNames,
    pipeline: [
      `read ${file}: ${rows} rows (${report.blankLines ?? 0} blank lines skipped, as pandas does)`,
      `Age coerced to a number (${bad || 'no bad cell'}) and ${filled} missing value(s) filled with the mean ${ageMean.toFixed(4)}`,
      `one-hot of ${WELLBEING_CATEGORIES.join(', ')} dropping the first level; ${WELLBEING_ID} dropped (${d} features)`,
      'StandardScaler on every feature (dummies included)',
    ],
    notes: [
      "composed from readTable (onBadRows: 'null'), OneHotEncoder and Scaler: the Pipeline imputes the median (the source the mean), keeps every one-hot level (the source drops the first) and does not scale 0/1 indicators (the source does)",
    ],
  };
}

/** Each table's pipeline. */
export const FEATURES: Record<TableId, (dataDir?: string) => Promise<Features>> = { A: featuresA, B: featuresB, C: featuresC, D: featuresD };

// ---------------------------------------------------------------------------------------------
// Runs

const quiet = { onWarning: (): void => {} };

/** Sizes (largest first), noise and cluster count of a labelling. */
export function partition(labels: ArrayLike<number>): Pick<PartitionFigures, 'sizes' | 'noise' | 'nClusters'> {
  const counts = new Map<number, number>();
  let noise = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) noise++;
    else counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  }
  return { sizes: [...counts.values()].sort((a, b) => b - a), noise, nClusters: counts.size };
}

/** Silhouette as scikit-learn scores it (noise is a label of its own); null for fewer than 2 labels or as many labels as rows. */
async function silhouetteOf(x: Matrix, labels: Int32Array): Promise<number | null> {
  const distinct = new Set(labels).size;
  return distinct >= 2 && distinct < x.rows ? silhouetteScore(x, labels) : null;
}

/** One k-means fit: the fitted model and its figures. */
export async function fitKMeans(features: Features, run: KMeansRun): Promise<{ model: KMeansResult; figures: PartitionFigures }> {
  const t0 = performance.now();
  const model = await new KMeans({ k: run.k, nInit: run.nInit, refine: run.refine, seed: run.seed, ...quiet }).fit(features.matrix);
  const seconds = (performance.now() - t0) / 1000;
  const figures = {
    ...partition(model.labels),
    inertia: model.inertia,
    silhouette: await silhouetteOf(features.matrix, model.labels),
    nIter: model.nIter,
    refineStopped: model.refineStopped,
    seconds,
  };
  return { model, figures };
}

/** One k-means fit's figures. */
export async function runKMeans(features: Features, run: KMeansRun): Promise<PartitionFigures> {
  return (await fitKMeans(features, run)).figures;
}

/** The k-means run of each table (TABLES.md): k, and nInit = 10 as the bench's main figure. */
export const KMEANS_K: Record<TableId, number> = { A: 5, B: 5, C: 3, D: 2 };

export interface Elbow {
  k: number[];
  inertia: number[];
  /** Kneedle's knee of the curve (offline, first knee, S = 1), or null. */
  knee: number | null;
}

/** Kneedle's knee of an inertia curve. */
export function kneeOf(k: number[], inertia: number[]): number | null {
  return kneedle(k, inertia, { curve: 'convex', direction: 'decreasing' }).knee;
}

/** A's elbow: k-means inertia for each k (nInit 10), and the knee of the curve. */
export async function elbow(features: Features, ks: number[], seed: number, refine = true): Promise<Elbow> {
  const inertia: number[] = [];
  for (const k of ks) {
    const model = await new KMeans({ k, nInit: 10, refine, seed, ...quiet }).fit(features.matrix);
    inertia.push(model.inertia);
  }
  return { k: ks, inertia, knee: kneeOf(ks, inertia) };
}

// ---------------------------------------------------------------------------------------------
// Table D's algorithms, one entry each

export type AlgorithmKey = 'kmeans' | 'meanShift' | 'agglomerative' | 'spectral' | 'dbscan';

/** Ours, with the library default and, for k-means, scikit-learn's algorithm (refine: false). */
export interface OursFigures {
  main: PartitionFigures;
  lloydOnly?: PartitionFigures;
}

export interface AlgorithmEntry {
  key: AlgorithmKey;
  name: string;
  /** Parameters, as the source set them. */
  params: string;
  /** Ours, or null where the algorithm is not in this build yet. */
  run: ((features: Features, seed: number) => Promise<OursFigures>) | null;
}

/** Table D's algorithms, one entry each, in the source's order; `run: null` = not in this build yet. */
export const D_ALGORITHMS: AlgorithmEntry[] = [
  {
    key: 'kmeans',
    name: 'K-Means',
    params: 'k = 2, nInit = 10',
    run: async (f, seed) => ({
      main: await runKMeans(f, { k: 2, nInit: 10, refine: true, seed }),
      lloydOnly: await runKMeans(f, { k: 2, nInit: 10, refine: false, seed }),
    }),
  },
  {
    key: 'meanShift',
    name: 'Mean Shift',
    params: 'bandwidth estimated at quantile 0.3, flat kernel, every row a seed',
    run: async (f) => {
      const t0 = performance.now();
      const model = await new MeanShift({ quantile: 0.3, ...quiet }).fit(f.matrix);
      const seconds = (performance.now() - t0) / 1000;
      return {
        main: { ...partition(model.labels), silhouette: await silhouetteOf(f.matrix, model.labels), nIter: model.nIter, bandwidth: model.bandwidth, seconds },
      };
    },
  },
  {
    key: 'agglomerative',
    name: 'Agglomerative',
    params: 'Ward, k = 2',
    run: async (f) => {
      const t0 = performance.now();
      const model = await new Agglomerative({ k: 2, linkage: 'ward' }).fit(f.matrix);
      const seconds = (performance.now() - t0) / 1000;
      return { main: { ...partition(model.labels), silhouette: await silhouetteOf(f.matrix, model.labels), nIter: model.nIter, seconds } };
    },
  },
  {
    key: 'spectral',
    name: 'Spectral',
    params: 'RBF affinity, k = 2',
    run: async (f, seed) => {
      const t0 = performance.now();
      const model = await new SpectralClustering({ k: 2, affinity: 'rbf', seed, ...quiet }).fit(f.matrix);
      const seconds = (performance.now() - t0) / 1000;
      return { main: { ...partition(model.labels), silhouette: await silhouetteOf(f.matrix, model.labels), nIter: model.nIter, seconds } };
    },
  },
  {
    key: 'dbscan',
    name: 'DBSCAN',
    params: 'eps = 0.5, minSamples = 5',
    run: async (f) => {
      const t0 = performance.now();
      const model = await new DBSCAN({ eps: 0.5, minSamples: 5, ...quiet }).fit(f.matrix);
      const seconds = (performance.now() - t0) / 1000;
      return { main: { ...partition(model.labels), silhouette: await silhouetteOf(f.matrix, model.labels), nIter: model.nIter, seconds } };
    },
  },
];
