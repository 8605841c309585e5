// SPDX-License-Identifier: MIT
/**
 * The report's input built from the pieces of a segmentation: the table and what reading it did,
 * the schema, the pipeline's feature matrix, the labels, the k search when there was one, and the
 * profiles. The CLI (`segments fit`) and the browser app both use it, so it imports nothing that
 * only runs in Node.
 *
 * What each chart is made of:
 * - sizes, segment names: the profiles (noise, label −1, last when there is any);
 * - elbow: the chooseK scores and its recommendation;
 * - scatter: a PCA (src/algorithms/pca.ts) fitted on a seeded sample of the feature matrix's rows,
 *   its first two scores;
 * - featureScatter: two original numeric columns of a sample stratified by segment
 *   (featureSample.ts), any pair of which the app can draw;
 * - kDistance: given by the caller for a DBSCAN run (the workflow computes it);
 * - radar: the profiles' standardised differences of the numeric columns (original units), or,
 *   with fewer than three numeric columns, those of the features;
 * - distributions: histograms and Tukey box plots of the numeric columns (on a log scale where the
 *   rule of heavyTail.ts says so) and counts of the category, flag and range columns that differ
 *   most between segments;
 * - correlation: Pearson correlations of the numeric features of the matrix;
 * - interests: the top items of the first list column, from the profiles;
 * - profile tables: the profiles' numeric, category, range and list statistics.
 */
import type * as arrow from 'apache-arrow';
import { PCA } from '../algorithms/pca.js';
import type { ChooseKResult } from '../algorithms/chooseK.js';
import type { PipelineOutput } from '../data/pipeline.js';
import { readNotes, type ReadReport } from '../data/readTable.js';
import type { ColumnInfo, Schema } from '../data/schema.js';
import { DataError } from '../errors.js';
import { selectRows, type MatrixF32 } from '../matrix.js';
import type { CategoryStats } from '../profile/categoryStats.js';
import { readLabels, readNumbers } from '../data/columnReader.js';
import type { ListStats } from '../profile/listStats.js';
import type { NumericStats } from '../profile/numericStats.js';
import type { ProfileResult, SegmentProfile } from '../profile/profile.js';
import type { RangeStats } from '../profile/rangeStats.js';
import { Random } from '../random.js';
import { correlationMatrix } from './correlation.js';
import { featureScatterOf, numericSpread } from './featureSample.js';
import { formatNumber } from './format.js';
import { isHeavyTailed } from './heavyTail.js';
import { boxBySegment, categoryCountsByIds, histogramBySegment } from './histogram.js';
import { radarValues } from './radarValues.js';
import type {
  ReportAlgorithm,
  ReportBackend,
  ReportCategoricalProfile,
  ReportDistribution,
  ReportElbow,
  ReportInput,
  ReportInterests,
  ReportKDistance,
  ReportMetric,
  ReportNumericProfile,
  ReportProfile,
  ReportRadar,
  ReportScatter,
  ReportSegment,
  ReportSilhouettePlot,
  ReportStructure,
} from './types.js';

/** The pieces of a segmentation the report is built from. */
export interface SegmentationParts {
  /** The report's title. Default `Segments of <fileName>`. */
  title?: string;
  /** The file's name, or a description such as `generated sample (20000 users)`. */
  fileName: string;
  /** The rows that were segmented, with their original columns. */
  table: arrow.Table;
  /** What reading the file did (rows left out); absent for generated data. */
  readReport?: ReadReport;
  /** The column kinds the pipeline was fitted with. */
  schema: Schema;
  /** The pipeline's transform of `table`: the feature matrix [rows, features] the algorithm saw. */
  output: Pick<PipelineOutput, 'matrix' | 'featureNames' | 'featureColumn' | 'columns' | 'report'>;
  /** [rows] the segment of each row; −1 for noise. */
  labels: ArrayLike<number>;
  /** `profileSegments(table, schema, labels)`, possibly renamed. */
  profiles: ProfileResult;
  algorithm: ReportAlgorithm;
  backend: ReportBackend;
  metrics?: readonly ReportMetric[];
  /** The silhouette of each scored row and its segment (`segmentationMetrics`' silhouetteRows), for the silhouette plot. */
  silhouetteRows?: { values: ArrayLike<number>; segments: ArrayLike<number> } | null;
  /** How far the segments can be trusted (weak separation, instability, too few rows), shown at the top. */
  structure?: ReportStructure;
  /** The k search, when k was chosen by `chooseK`. */
  chooseK?: Pick<ChooseKResult, 'scores' | 'recommended'>;
  /** DBSCAN's sorted k-distance curve (src/algorithms/epsHelp.ts), for a DBSCAN run. */
  kDistance?: ReportKDistance;
  /** Shown as given, e.g. an ISO date. */
  generatedAt?: string;
}

/** Options of {@link reportFromSegmentation}. */
export interface FromSegmentationOptions {
  /** Rows sampled for the PCA scatter. Default 2,000. */
  scatterSize?: number;
  /** Seed of the scatter sample. Default 0. */
  seed?: number;
  /**
   * Rows sampled for the scatter of two original columns, stratified by segment. Default 2,000.
   * Its pair shown first: the two numeric columns whose segment means lie furthest from the mean
   * of all rows in standard deviations (src/report/featureSample.ts).
   */
  featureScatterSize?: number;
  /** Numeric columns shown as histograms at most. Default 6. */
  numericDistributions?: number;
  /** Category, flag and range columns shown as counts at most. Default 4. */
  categoricalDistributions?: number;
  /** Features on the radar at most. Default 8. */
  radarFeatures?: number;
  /** Features in the correlation matrix at most (those whose variance lies most between the segments). Default 20. */
  correlationFeatures?: number;
  /** Values or items listed per column in a profile table. Default 3. */
  profileValues?: number;
  /**
   * Features the wide parts of the report work on at most: the PCA scatter (whose
   * eigendecomposition is O(d³): 1,500 features took 58 s) and the profile tables keep the ones
   * that differ most between the segments, and say how many were left out. Default 200.
   */
  maxFeatures?: number;
}

const FN = 'reportFromSegmentation';

/**
 * The {@link ReportInput} of a segmentation, for `renderReport`. Work: O(n·d) for the
 * distributions, radar and correlation (O(n·d²) for correlation with d ≤ `correlationFeatures`),
 * plus a PCA of at most `scatterSize` rows on the current tfjs backend.
 * @throws DataError when labels, table and matrix disagree in length.
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * const schema = inferKinds(table);
 * const { output } = Pipeline.fitTransform(table, schema);
 * const { labels } = await new KMeans({ k: 4, seed: 1, nInit: 2 }).fit(output.matrix);
 * const profiles = profileSegments(table, schema, labels);
 * const input = await reportFromSegmentation({ fileName: 'Mall_Customers.csv', table, schema, output, labels, profiles,
 *   algorithm: { name: 'k-means', parameters: { k: 4 } }, backend: { name: 'wasm' } });
 * input.segments.length; // 4
 * const html = await renderReport(input);
 * html.includes('Mall_Customers.csv'); // true
 */
export async function reportFromSegmentation(parts: SegmentationParts, options: FromSegmentationOptions = {}): Promise<ReportInput> {
  return withMetrics(await reportFigures(parts, options), parts);
}

/** What a segmentation's figures need: everything but its metrics and structure check. */
export type FigureParts = Omit<SegmentationParts, 'metrics' | 'silhouetteRows' | 'structure'>;

/** What {@link withMetrics} adds. */
export type MetricParts = Pick<SegmentationParts, 'metrics' | 'silhouetteRows' | 'structure'>;

/**
 * The {@link ReportInput} of a segmentation without its metrics, silhouette plot and structure
 * check, which {@link withMetrics} adds: everything the segments and their profiles give, so that
 * the charts can be drawn while the metrics are computed (`reportFromSegmentation` is the two).
 * @throws DataError when labels, table and matrix disagree in length.
 */
export async function reportFigures(parts: FigureParts, options: FromSegmentationOptions = {}): Promise<ReportInput> {
  const { table, output, labels, profiles } = parts;
  const n = table.numRows;
  if (labels.length !== n || output.matrix.rows !== n || profiles.rows !== n) {
    throw new DataError(FN, 'labels', `the table has ${n} rows, the labels ${labels.length}, the matrix ${output.matrix.rows}, the profiles ${profiles.rows}`);
  }
  const segments = reportSegments(profiles);
  const order = segments.map((s) => s.id);
  const input: ReportInput = {
    title: parts.title ?? `Segments of ${parts.fileName}`,
    dataset: dataset(parts),
    algorithm: parts.algorithm,
    backend: parts.backend,
    segments,
  };
  if (parts.generatedAt !== undefined) input.generatedAt = parts.generatedAt;
  if (parts.chooseK !== undefined) input.elbow = elbow(parts.chooseK, parts.table.numRows);
  const maxFeatures = options.maxFeatures ?? 200;
  const scatter = await pcaScatter(output, labels, options.scatterSize ?? 2000, options.seed ?? 0, maxFeatures);
  if (scatter !== null) input.scatter = scatter;
  const featureScatter = featureScatterOf({ ...parts, log1p: output.report.log1p }, order, options.featureScatterSize ?? 2000, options.seed ?? 0);
  if (featureScatter !== null) input.featureScatter = featureScatter;
  if (parts.kDistance !== undefined) input.kDistance = parts.kDistance;
  const radar = radarOf(profiles, output, labels, order, options.radarFeatures ?? 8);
  if (radar !== null) input.radar = radar;
  const distributions = distributionsOf(parts, order, options.numericDistributions ?? 6, options.categoricalDistributions ?? 4);
  if (distributions.length > 0) input.distributions = distributions;
  const correlation = correlationOf(parts, options.correlationFeatures ?? 20);
  if (correlation !== null) input.correlation = correlation;
  const interests = interestsOf(profiles);
  if (interests !== null) input.interests = interests;
  input.profiles = profileTables(profiles, options.profileValues ?? 3, maxFeatures);
  return input;
}

/**
 * `input` (from {@link reportFigures}) with the metrics, the silhouette plot and the structure
 * check: a new object, `input` is left as it was.
 */
export function withMetrics(input: ReportInput, parts: MetricParts): ReportInput {
  const out: ReportInput = { ...input };
  if (parts.metrics !== undefined && parts.metrics.length > 0) out.metrics = parts.metrics;
  if (parts.structure !== undefined) out.structure = parts.structure;
  if (parts.silhouetteRows != null && parts.silhouetteRows.values.length > 0) {
    out.silhouette = silhouettePlot(
      parts.silhouetteRows,
      input.segments.map((s) => s.id),
      input.dataset.rows,
    );
  }
  return out;
}

function allSegments(profiles: ProfileResult): SegmentProfile[] {
  return profiles.noise === null ? profiles.segments : [...profiles.segments, profiles.noise];
}

/** The report's segments from the profiles (noise last). */
export function reportSegments(profiles: ProfileResult): ReportSegment[] {
  return allSegments(profiles).map((s) => ({ id: s.id, name: s.name, size: s.size, share: s.share, generatedName: s.nameSource === 'generated' }));
}

function dataset(parts: FigureParts): ReportInput['dataset'] {
  const used = new Set(parts.output.columns);
  const ignored: Array<{ column: string; reason: string }> = [];
  const dropped = new Map(parts.output.report.dropped.map((d) => [d.column, d.reason]));
  for (const c of parts.schema.columns) {
    if (used.has(c.name)) continue;
    ignored.push({ column: c.name, reason: dropped.get(c.name) ?? (c.use ? c.reason : `${c.kind}: ${c.reason}`) });
  }
  const imputed = parts.output.report.imputed;
  const out: ReportInput['dataset'] = {
    fileName: parts.fileName,
    rows: parts.table.numRows,
    columnsUsed: [...parts.output.columns],
    features: parts.output.featureNames.length,
    columns: parts.schema.columns.map((c) => ({
      name: c.name,
      kind: c.kind,
      reason: c.reason,
      blank: c.missing,
      used: used.has(c.name),
      filled: imputed[c.name] ?? 0,
      ...(imputed[c.name] > 0 ? { filledWith: c.kind === 'number' || c.kind === 'count' ? 'the median' : 'the most frequent value' } : {}),
    })),
  };
  if (ignored.length > 0) out.columnsIgnored = ignored;
  const r = parts.readReport;
  const notes = r === undefined ? [] : readNotes(r);
  if (notes.length > 0) out.readNotes = notes;
  if (r !== undefined && r.badRowCount > 0) {
    const rows = r.skippedRows > 0 ? r.skippedRows : r.badRowCount;
    const verb = r.skippedRows > 0 ? '' : ' (bad cells set to null)';
    out.skipped = { rows, reasons: r.badRows.slice(0, 5).map((b) => `line ${b.line}: ${b.reason}${verb}`) };
  }
  return out;
}

function elbow(result: Pick<ChooseKResult, 'scores' | 'recommended'> & Partial<Pick<ChooseKResult, 'search' | 'silhouette'>>, rows: number): ReportElbow {
  const out: ReportElbow = {
    points: result.scores.map((s) => ({ k: s.k, inertia: s.inertia, silhouette: s.silhouette })),
    chosenK: result.recommended.k,
    reason: result.recommended.reason,
  };
  // The search's inertias are sums over its rows: on a sample they are not the fit's inertia.
  const searched = result.search?.sampled === true ? result.search.rows : null;
  const silhouetteRows = result.silhouette !== undefined && !result.silhouette.exact ? result.silhouette.sampleSize : null;
  if (searched !== null || silhouetteRows !== null) {
    const where = searched !== null ? `${formatCount(searched)} sampled rows of ${formatCount(rows)}` : `all ${formatCount(rows)} rows`;
    out.scoredOn = `${where}${silhouetteRows !== null ? ` (silhouette on ${formatCount(silhouetteRows)} of them)` : ''}`;
  }
  return out;
}

/** Order statistics drawn per segment in the silhouette plot at most. */
export const SILHOUETTE_POINTS = 60;

/**
 * The silhouette plot of the scored rows: per segment (in `order`; segments without a scored row
 * left out) the rows' silhouettes from highest to lowest, thinned to at most SILHOUETTE_POINTS
 * evenly spaced order statistics (the highest and the lowest kept), and their mean. O(m log m).
 */
export function silhouettePlot(rows: { values: ArrayLike<number>; segments: ArrayLike<number> }, order: readonly number[], totalRows: number): ReportSilhouettePlot {
  const bySegment = new Map<number, number[]>(order.map((id) => [id, []]));
  let total = 0;
  for (let i = 0; i < rows.values.length; i++) {
    bySegment.get(rows.segments[i])?.push(rows.values[i]);
    total += rows.values[i];
  }
  const segments = order
    .map((segment) => {
      const values = Float64Array.from(bySegment.get(segment) ?? []).sort().reverse();
      const m = values.length;
      let sum = 0;
      for (const v of values) sum += v;
      const points = Math.min(m, SILHOUETTE_POINTS);
      const thinned = points <= 1 ? values.slice(0, points) : Float64Array.from({ length: points }, (_, j) => values[Math.round((j * (m - 1)) / (points - 1))]);
      return { segment, rows: m, mean: m > 0 ? sum / m : NaN, values: thinned };
    })
    .filter((s) => s.rows > 0);
  return { segments, mean: total / rows.values.length, scoredRows: rows.values.length, totalRows };
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The rows [s] of a seeded uniform sample of `size` of `n` rows (all rows when n ≤ size), in row order. */
function sampleRows(n: number, size: number, seed: number): Int32Array {
  if (n <= size) return Int32Array.from({ length: n }, (_, i) => i);
  return new Random(seed).sample(n, size).sort();
}

/**
 * The share of each column's variance that lies between the groups of `labels` (η², the
 * correlation ratio): Σ_g n_g (mean_g − mean)² / Σ_i (x_i − mean)²; 0 for a constant column.
 * `x` [n, d] row-major. O(n·d) in float64.
 */
export function betweenGroupShare(x: MatrixF32, labels: ArrayLike<number>): Float64Array {
  const { rows: n, cols: d, data } = x;
  const groups = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!groups.has(labels[i])) groups.set(labels[i], groups.size);
  const g = groups.size;
  const count = new Float64Array(g);
  const sums = new Float64Array(g * d);
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const gi = groups.get(labels[i]) as number;
    count[gi]++;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      sums[gi * d + j] += v;
      total[j] += v;
    }
  }
  const mean = total.map((t) => t / n);
  const within = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) within[j] += (data[i * d + j] - mean[j]) ** 2;
  const between = new Float64Array(d);
  for (let k = 0; k < g; k++) for (let j = 0; j < d; j++) between[j] += count[k] * (sums[k * d + j] / count[k] - mean[j]) ** 2;
  return Float64Array.from(within, (w, j) => (w > 0 ? between[j] / w : 0));
}

/** The indices of the `keep` largest `scores` (ties: the lower index), in ascending index order. */
function topIndices(scores: ArrayLike<number>, keep: number): number[] {
  return Array.from({ length: scores.length }, (_, j) => j)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
}

/** A few names and a count, e.g. `a, b, c and 1,497 more`. */
function someNames(names: readonly string[], shown = 5): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${formatNumber(names.length - shown)} more`;
}

async function pcaScatter(output: SegmentationParts['output'], labels: ArrayLike<number>, size: number, seed: number, maxFeatures: number): Promise<ReportScatter | null> {
  const matrix = output.matrix;
  const { rows: n, cols: d } = matrix;
  if (n < 3 || d < 2) return null;
  const rows = sampleRows(n, size, seed);
  const all = selectRows(matrix, rows);
  const sampleLabels = Int32Array.from(rows, (r) => labels[r]);
  let sample: MatrixF32 = all;
  let note: string | undefined;
  if (d > maxFeatures) {
    // The eigendecomposition behind PCA is O(d³): keep the features whose variance lies most between the segments.
    const keep = topIndices(betweenGroupShare(all, sampleLabels), maxFeatures);
    const kept = new Set(keep);
    const left = output.featureNames.filter((_, j) => !kept.has(j));
    const data = new Float32Array(rows.length * keep.length);
    for (let i = 0; i < rows.length; i++) for (let c = 0; c < keep.length; c++) data[i * keep.length + c] = all.data[i * d + keep[c]];
    sample = { data, rows: rows.length, cols: keep.length };
    note = `Principal components of the ${formatNumber(keep.length)} of ${formatNumber(d)} features whose variance lies most between the segments; ${formatNumber(left.length)} left out (${someNames(left)}).`;
  }
  const model = await new PCA({ nComponents: 2, onWarning: () => {} }).fit(sample);
  if (model.nComponents < 2) return null;
  const scores = await model.transform(sample);
  const pct = (j: number): string => `${(100 * model.explainedVarianceRatio[j]).toFixed(1)} % of variance`;
  return {
    x: Float64Array.from(rows, (_, i) => scores.data[i * 2]),
    y: Float64Array.from(rows, (_, i) => scores.data[i * 2 + 1]),
    segment: sampleLabels,
    totalRows: n,
    ...(note === undefined ? {} : { note }),
    xLabel: `PC1 (${pct(0)})`,
    yLabel: `PC2 (${pct(1)})`,
  };
}

/** Index in each segment's column stats of each profiled column, by name. */
function columnIndex(profiles: ProfileResult): Map<string, number> {
  return new Map(profiles.columns.map((c, j) => [c.name, j]));
}

/** The radar: the profiles' standardised differences of the numeric columns, or with fewer than three, those of the features of `output` labelled by `labels`. */
export function radarOf(profiles: ProfileResult, output: SegmentationParts['output'], labels: ArrayLike<number>, order: number[], maxFeatures: number): ReportRadar | null {
  const numeric = profiles.columns.map((c, j) => ({ c, j })).filter(({ c }) => c.kind === 'number' || c.kind === 'count');
  const segments = allSegments(profiles);
  if (numeric.length >= 3) {
    const diff = (s: SegmentProfile, j: number): number => (s.columns[j] as NumericStats).stdDiff ?? 0;
    const spread = numeric.map(({ j }) => Math.max(...segments.map((s) => Math.abs(diff(s, j)))));
    const keep = numeric
      .map((e, i) => ({ ...e, spread: spread[i] }))
      .sort((a, b) => b.spread - a.spread || a.j - b.j)
      .slice(0, maxFeatures)
      .sort((a, b) => a.j - b.j);
    return {
      features: keep.map(({ c }) => c.name),
      series: segments.map((s) => ({ segment: s.id, values: Float64Array.from(keep, ({ j }) => diff(s, j)) })),
    };
  }
  if (output.matrix.cols >= 3) {
    return radarValues(output.matrix, labels, { features: output.featureNames, segments: order, maxFeatures });
  }
  return null;
}

/** How much a column's values differ between segments: the largest |log lift| of any listed value. */
function valueSpread(segments: SegmentProfile[], j: number): number {
  let max = 0;
  for (const s of segments) {
    const stats = s.columns[j] as CategoryStats | RangeStats;
    const values = stats.type === 'range' ? stats.levels : stats.top;
    for (const v of values) if (v.lift !== null && v.lift > 0 && v.count >= 5) max = Math.max(max, Math.abs(Math.log(v.lift)));
  }
  return max;
}

/**
 * The columns the distributions show: the `maxNumeric` numeric columns whose segments' means
 * differ most (largest |standardised difference|) and the `maxCategorical` category, flag and
 * range columns whose values' lifts differ most, each in profile order.
 */
export function distributionColumns(profiles: ProfileResult, maxNumeric: number, maxCategorical: number): { numeric: Array<{ c: ProfileResult['columns'][number] }>; categorical: Array<{ c: ProfileResult['columns'][number] }> } {
  const segments = allSegments(profiles);
  const numeric = profiles.columns
    .map((c, j) => ({ c, j, spread: numericSpread(segments, j) }))
    .filter(({ c }) => c.kind === 'number' || c.kind === 'count')
    .sort((a, b) => b.spread - a.spread || a.j - b.j)
    .slice(0, maxNumeric)
    .sort((a, b) => a.j - b.j);
  const categorical = profiles.columns
    .map((c, j) => ({ c, j }))
    .filter(({ c }) => c.kind === 'category' || c.kind === 'flag' || c.kind === 'range')
    .map((e) => ({ ...e, spread: valueSpread(segments, e.j) }))
    .sort((a, b) => b.spread - a.spread || a.j - b.j)
    .slice(0, maxCategorical)
    .sort((a, b) => a.j - b.j);
  return { numeric, categorical };
}

function distributionsOf(parts: FigureParts, order: number[], maxNumeric: number, maxCategorical: number): ReportDistribution[] {
  const { profiles, table, labels } = parts;
  const byName = new Map<string, ColumnInfo>(parts.schema.columns.map((c) => [c.name, c]));
  const logged = new Set(parts.output.report.log1p);
  const { numeric, categorical } = distributionColumns(profiles, maxNumeric, maxCategorical);
  const out: ReportDistribution[] = [];
  for (const { c } of numeric) {
    const vector = table.getChild(c.name);
    if (vector === null) continue;
    const values = readNumbers(vector, byName.get(c.name)?.numberFormat);
    if (!values.some((v) => Number.isFinite(v))) continue;
    const scale = isHeavyTailed(values, logged.has(c.name)) ? 'log' : 'linear';
    const histogram = histogramBySegment(c.name, values, labels, { bins: 20, segments: order, scale });
    out.push({ ...histogram, scale, boxes: boxBySegment(values, labels, order) });
  }
  for (const { c } of categorical) {
    const vector = table.getChild(c.name);
    if (vector === null) continue;
    const levels = byName.get(c.name)?.levels?.map((l) => l.text);
    const { ids, values } = readLabels(vector);
    out.push(categoryCountsByIds(c.name, { ids, texts: values }, labels, levels ? { segments: order, order: levels, top: Math.max(8, levels.length) } : { segments: order }));
  }
  return out;
}

function correlationOf(parts: FigureParts, maxFeatures: number): ReportInput['correlation'] | null {
  const { output, schema } = parts;
  const kinds = new Map(schema.columns.map((c) => [c.name, c.kind]));
  const keep: number[] = [];
  output.featureNames.forEach((name, j) => {
    const column = output.columns[output.featureColumn[j]];
    const kind = kinds.get(column);
    // A numeric or ordinal feature carries its column's own name; one-hot and multi-hot features do not.
    if (name === column && (kind === 'number' || kind === 'count' || kind === 'range')) keep.push(j);
  });
  let cols = keep;
  let note: string | undefined;
  if (keep.length > maxFeatures) {
    // The ones whose variance lies most between the segments (on at most 2,000 sampled rows), in matrix order.
    const rows = sampleRows(output.matrix.rows, 2000, 0);
    const share = betweenGroupShare(selectRows(output.matrix, rows), Int32Array.from(rows, (r) => parts.labels[r]));
    cols = topIndices(Float64Array.from(keep, (j) => share[j]), maxFeatures).map((i) => keep[i]);
    const kept = new Set(cols);
    const left = keep.filter((j) => !kept.has(j)).map((j) => output.featureNames[j]);
    note = `The ${formatNumber(cols.length)} of ${formatNumber(keep.length)} numeric features whose variance lies most between the segments; ${formatNumber(left.length)} left out (${someNames(left)}).`;
  }
  if (cols.length < 2 || output.matrix.rows < 2) return null;
  const { data, rows, cols: d } = output.matrix;
  const sub = new Float32Array(rows * cols.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols.length; j++) sub[i * cols.length + j] = data[i * d + cols[j]];
  const names = cols.map((j) => output.featureNames[j]);
  const logged = names.filter((name) => output.report.log1p.includes(name));
  if (logged.length > 0) note = `${note === undefined ? '' : `${note} `}Taken on a log scale, as the segments saw them: ${someNames(logged)}.`;
  const matrix = correlationMatrix({ data: sub, rows, cols: cols.length }, names);
  return note === undefined ? matrix : { ...matrix, note };
}

/** The top items of the first list column, from the profiles. */
export function interestsOf(profiles: ProfileResult): ReportInterests | null {
  const j = profiles.columns.findIndex((c) => c.kind === 'list');
  if (j < 0) return null;
  return {
    column: profiles.columns[j].name,
    segments: allSegments(profiles).map((s) => ({
      segment: s.id,
      items: (s.columns[j] as ListStats).top.map((v) => (v.lift === null ? { item: v.value, share: v.share } : { item: v.value, share: v.share, lift: v.lift })),
    })),
  };
}

/** The profile tables of the segments, from the profiles. */
export function profileTables(profiles: ProfileResult, topValues: number, maxFeatures: number): ReportProfile[] {
  const segments = allSegments(profiles);
  // A wide table shows, of its numeric and of its other columns, the maxFeatures each that differ most between the segments.
  const numericCols = profiles.columns.map((_, j) => j).filter((j) => segments.length > 0 && segments[0].columns[j].type === 'numeric');
  const otherCols = profiles.columns.map((_, j) => j).filter((j) => segments.length > 0 && segments[0].columns[j].type !== 'numeric' && segments[0].columns[j].type !== 'list');
  const numericSpreads = numericCols.map((j) => numericSpread(segments, j));
  const otherSpread = otherCols.map((j) => valueSpread(segments, j));
  const shown = new Set([...topIndices(numericSpreads, maxFeatures).map((i) => numericCols[i]), ...topIndices(otherSpread, maxFeatures).map((i) => otherCols[i])]);
  const hidden = numericCols.length + otherCols.length - shown.size;
  return segments.map((s) => {
    const numeric: ReportNumericProfile[] = [];
    const categorical: ReportCategoricalProfile[] = [];
    for (const [j, stats] of s.columns.entries()) {
      if (stats.type !== 'list' && !shown.has(j)) continue;
      if (stats.type === 'numeric') {
        if (stats.mean === null || stats.median === null || stats.q1 === null || stats.q3 === null) continue;
        const row: ReportNumericProfile = { feature: stats.column, mean: stats.mean, median: stats.median, q1: stats.q1, q3: stats.q3 };
        if (stats.stdDiff !== null) row.standardisedDifference = stats.stdDiff;
        numeric.push(row);
      } else {
        const values = stats.type === 'range' ? [...stats.levels].sort((a, b) => b.count - a.count) : stats.top;
        categorical.push({
          feature: stats.column,
          values: values
            .filter((v) => v.count > 0)
            .slice(0, topValues)
            .map((v) => ({ value: v.value, share: v.share, lift: v.lift ?? 0 })),
        });
      }
    }
    const profile: ReportProfile = { segment: s.id, numeric, categorical };
    if (hidden > 0) profile.omitted = { columns: hidden, rule: `the tables show the ${formatNumber(maxFeatures)} numeric and the ${formatNumber(maxFeatures)} other columns whose values differ most between the segments` };
    if (s.distinctive.length > 0) profile.summary = s.distinctive.map((f) => f.phrase).join('; ');
    return profile;
  });
}
