// SPDX-License-Identifier: MIT
/**
 * The report of an in-database fit, as the report of a fit from a file (src/report/: the same
 * figure types, so the same renderer), each chart from every row where SQL aggregates give it
 * and from the sample where they do not:
 * - every row, by SQL over the segmented rows (profile.ts): segment sizes; per numeric column a
 *   histogram on shared bins (the edges the in-memory report would draw for the column's min and
 *   max, each row counted by comparing it with them) and Tukey's box plot (quartiles, whiskers
 *   at the last values within 1.5 IQR, outliers counted and the most extreme listed); category,
 *   flag and range counts; the radar, top interests and profile tables from the profiles;
 * - the sample of rows pulled for the fit: the PCA scatter and the silhouette plot (their
 *   captions say "n of N rows"), the k search; the correlation matrix only where the sample is
 *   every row (its caption says "over all rows").
 * The dataset's notes say which is which.
 */
import type * as arrow from 'apache-arrow';
import type { ChooseKResult } from '../algorithms/chooseK.js';
import type { Pipeline } from '../data/pipeline.js';
import type { Schema } from '../data/schema.js';
import type { MatrixF32 } from '../matrix.js';
import type { NumericStats } from '../profile/numericStats.js';
import { profileSegments } from '../profile/profile.js';
import { distributionColumns, interestsOf, profileTables, radarOf, reportFromSegmentation, reportSegments } from '../report/fromSegmentation.js';
import { HEAVY_TAIL_SKEW } from '../report/heavyTail.js';
import { MAX_OUTLIERS, categoryCountsFromTable, histogramBySegment } from '../report/histogram.js';
import type { ReportBox, ReportDistribution, ReportInput, ReportMetric } from '../report/types.js';
import { SEGMENT_NAME, type DbProfile, type DbSegmented } from './profile.js';

/** The pieces of an in-database fit its report is made of. */
export interface DbReportParts {
  /** The address, as shown (without a password). */
  address: string;
  segmented: DbSegmented;
  profile: DbProfile;
  schema: Schema;
  pipeline: Pipeline;
  /** The rows pulled for the fit, their features [sample, features] and segments (nearest center). */
  sample: arrow.Table;
  sampleMatrix: MatrixF32;
  sampleLabels: ArrayLike<number>;
  /** Each sampled row's silhouette, or null (fewer than 2 segments in the sample). */
  silhouetteRows: Float64Array | null;
  metrics: { inertia: number; calinskiHarabasz: number | null; daviesBouldin: number | null; silhouetteOnSample: number | null };
  k: number;
  seed: number;
  /** The k search on the sample, when k was chosen. */
  chooseK?: Pick<ChooseKResult, 'scores' | 'recommended'>;
  /** The database, for people: `DuckDB` or `PostgreSQL`. */
  database: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The report input of an in-database fit. Work in the database: per numeric column shown, three
 * scans of the segmented rows (moments for the log-scale rule, bins, whiskers) and a window
 * over its outliers; here: the sample's PCA (as the report of a fit from a file).
 */
export async function reportInDatabase(parts: DbReportParts): Promise<ReportInput> {
  const { segmented, schema, pipeline } = parts;
  const profiles = parts.profile.profiles;
  const rows = segmented.rows;
  const sampled = parts.sample.numRows < rows;
  // The sample's charts as a fit from a file draws them, on the sample's rows.
  const output = pipeline.transform(parts.sample);
  const sampleProfiles = profileSegments(parts.sample, schema, parts.sampleLabels);
  const onSample = await reportFromSegmentation(
    {
      fileName: parts.address,
      table: parts.sample,
      schema,
      output: { ...output, matrix: parts.sampleMatrix },
      labels: parts.sampleLabels,
      profiles: sampleProfiles,
      algorithm: { name: 'k-means', parameters: { k: parts.k, seed: parts.seed } },
      backend: { name: parts.database, reason: 'Lloyd iterations as SQL inside the database' },
      ...(parts.silhouetteRows === null ? {} : { silhouetteRows: { values: parts.silhouetteRows, segments: parts.sampleLabels } }),
      ...(parts.chooseK === undefined ? {} : { chooseK: parts.chooseK }),
    },
    { seed: parts.seed },
  );
  const segments = reportSegments(profiles);
  const order = segments.map((s) => s.id);
  const input: ReportInput = {
    ...onSample,
    title: `Segments of ${parts.address}`,
    segments,
    metrics: metricsOf(parts, sampled),
    profiles: profileTables(profiles, 3, 200),
  };
  if (onSample.scatter !== undefined) input.scatter = { ...onSample.scatter, totalRows: rows };
  if (onSample.silhouette !== undefined) input.silhouette = { ...onSample.silhouette, totalRows: rows };
  if (onSample.elbow !== undefined && sampled) input.elbow = { ...onSample.elbow, scoredOn: `${count(parts.sample.numRows)} sampled rows of ${count(rows)}` };
  if (sampled) delete input.correlation;
  const radar = radarOf(profiles, output, parts.sampleLabels, order, 8);
  if (radar === null) delete input.radar;
  else input.radar = radar;
  const interests = interestsOf(profiles);
  if (interests === null) delete input.interests;
  else input.interests = interests;
  const distributions = await distributionsInDatabase(parts, order);
  if (distributions.length === 0) delete input.distributions;
  else input.distributions = distributions;
  const sampleCharts = ['the scatter', ...(input.silhouette === undefined ? [] : ['the silhouette plot']), ...(input.elbow === undefined ? [] : ['the k search'])];
  input.dataset = {
    ...onSample.dataset,
    rows,
    readNotes: [
      `The rows stayed in ${parts.database}: ${count(rows)} rows, fitted there.`,
      `From every row, by SQL: the segment sizes, distributions, box plots, profiles, names, inertia, Calinski-Harabasz and Davies-Bouldin.`,
      sampled
        ? `From a sample of ${count(parts.sample.numRows)} rows drawn by the database: the column kinds and blank cells below, ${sampleCharts.join(', ')}; the correlations are not drawn (they would be of the sample only).`
        : `The sample drawn for the column kinds, ${sampleCharts.join(', ')} is every row.`,
    ],
  };
  return input;
}

function metricsOf(parts: DbReportParts, sampled: boolean): ReportMetric[] {
  const m = parts.metrics;
  const out: ReportMetric[] = [{ name: 'inertia', value: m.inertia, note: 'lower is better; every row, by SQL' }];
  if (m.silhouetteOnSample !== null) {
    out.push({ name: sampled ? 'silhouette (sampled)' : 'silhouette', value: m.silhouetteOnSample, note: `higher is better, in [-1, 1]; on ${sampled ? `${count(parts.sample.numRows)} sampled rows` : 'every row'}` });
  }
  if (m.calinskiHarabasz !== null) out.push({ name: 'Calinski-Harabasz', value: m.calinskiHarabasz, note: 'higher is better; every row, by SQL' });
  if (m.daviesBouldin !== null) out.push({ name: 'Davies-Bouldin', value: m.daviesBouldin, note: 'lower is better, ≥ 0; every row, by SQL' });
  return out;
}

/** The distributions of the columns the report of a fit from a file would show, counted by SQL over every row. */
async function distributionsInDatabase(parts: DbReportParts, order: number[]): Promise<ReportDistribution[]> {
  const profiles = parts.profile.profiles;
  const { numeric, categorical } = distributionColumns(profiles, 6, 4);
  const byName = new Map(parts.schema.columns.map((c) => [c.name, c]));
  const logged = new Set(parts.pipeline.steps.filter((s) => s.log1p).map((s) => s.column));
  const out: ReportDistribution[] = [];
  const slot = new Map(parts.segmented.ids.map((id, g) => [id, g]));
  for (const { c } of numeric) {
    const j = profiles.columns.findIndex((p) => p.name === c.name);
    const population = profiles.population.columns[j] as NumericStats;
    if (population.min === null || population.max === null) continue;
    const info = byName.get(c.name);
    if (info === undefined) continue;
    // Stored as the doubles the profile read (profile.ts: profiledCells, through segmentStored or segmentInDatabase).
    const v = `__segments_p.${parts.segmented.source.dialect.ident(c.name)}`;
    const scale = logged.has(c.name) || (await heavyTailed(parts.segmented, v)) ? 'log' : 'linear';
    // The edges the in-memory histogram draws for values from min to max.
    const edges = Float64Array.from(histogramBySegment(c.name, [population.min, population.max], [0, 0], { bins: 20, scale }).edges);
    if (scale === 'log' && population.min !== population.max) {
      // symexp(symlog(x)) may miss x by an ulp: the outer edges are the values themselves, so that every value is counted.
      edges[0] = population.min;
      edges[edges.length - 1] = population.max;
    }
    const counts = await binCounts(parts.segmented, v, edges, order);
    const groups = profiles.segments.map((s) => ({ id: s.id, stats: s.columns[j] as NumericStats }));
    out.push({ kind: 'numeric', feature: c.name, edges, counts, scale, boxes: await boxesInDatabase(parts.segmented, v, groups, order) });
  }
  for (const { c } of categorical) {
    const vc = parts.profile.labelCounts.get(c.name);
    if (vc === undefined) continue;
    const nv = vc.values.length;
    const bySegment = new Float64Array(order.length * nv);
    order.forEach((id, s) => {
      const g = slot.get(id);
      if (g !== undefined) for (let v = 0; v < nv; v++) bySegment[s * nv + v] = vc.counts[g * nv + v];
    });
    const levels = byName.get(c.name)?.levels?.map((l) => l.text);
    out.push(categoryCountsFromTable(c.name, vc.values, order, bySegment, levels ? { order: levels, top: Math.max(8, levels.length) } : {}));
  }
  return out;
}

/** The heavy-tail rule (src/report/heavyTail.ts) on every row's value `v`: its minimum and sample skewness by SQL. */
async function heavyTailed(seg: DbSegmented, v: string): Promise<boolean> {
  const s = seg.source;
  const from = `(SELECT ${v} AS v FROM ${s.dialect.ident(seg.table)} AS __segments_p) AS __segments_v`;
  const first = (await s.query(`SELECT count(v) AS n, sum(v) AS s, min(v) AS lo FROM ${from}`))[0];
  const n = Number(first.n);
  if (n < 2) return false;
  const mean = Number(first.s) / n;
  const dev = `(v - ${s.dialect.double(mean)})`;
  const second = (await s.query(`SELECT sum(${dev} * ${dev}) AS m2, sum(${dev} * ${dev} * ${dev}) AS m3 FROM ${from} WHERE v IS NOT NULL`))[0];
  const m2 = Number(second.m2) / n;
  const m3 = Number(second.m3) / n;
  // isHeavyTailed's rule (the sample skewness of src/data/skewness.ts) with the moments by SQL.
  return Number(first.lo) >= 0 && m2 > 0 && m3 / m2 ** 1.5 > HEAVY_TAIL_SKEW;
}

/** Rows of each segment (in `order`) per bin [e_b, e_b+1) (the last bin closed), by one GROUP BY. */
async function binCounts(seg: DbSegmented, v: string, edges: Float64Array, order: number[]): Promise<Array<{ segment: number; counts: Int32Array }>> {
  const s = seg.source;
  const d = s.dialect;
  const nBins = edges.length - 1;
  const whens = Array.from({ length: nBins - 1 }, (_, b) => `WHEN v < ${d.double(edges[b + 1])} THEN ${b}`).join(' ');
  const bin = nBins === 1 ? '0' : `CASE ${whens} ELSE ${nBins - 1} END`;
  const rows = await s.query(
    `SELECT seg, ${bin} AS bin, count(*) AS n FROM (SELECT ${SEGMENT_NAME} AS seg, ${v} AS v FROM ${d.ident(seg.table)} AS __segments_p) AS __segments_v WHERE v >= ${d.double(edges[0])} AND v <= ${d.double(edges[nBins])} GROUP BY 1, 2`,
  );
  const counts = order.map(() => new Int32Array(nBins));
  const slot = new Map(order.map((id, i) => [id, i]));
  for (const r of rows) {
    const i = slot.get(Number(r.seg));
    if (i !== undefined) counts[i][Number(r.bin)] += Number(r.n);
  }
  return order.map((segment, i) => ({ segment, counts: counts[i] }));
}

/**
 * Tukey's box plot per segment (as boxBySegment): the quartiles from the profiles, whiskers at
 * the least and greatest values within 1.5 IQR of the box, the values beyond counted, and the
 * MAX_OUTLIERS most extreme listed (from both ends inwards), by SQL.
 */
async function boxesInDatabase(seg: DbSegmented, v: string, groups: Array<{ id: number; stats: NumericStats }>, order: number[]): Promise<ReportBox[]> {
  const s = seg.source;
  const d = s.dialect;
  const fences = new Map<number, { lo: number; hi: number; stats: NumericStats }>();
  for (const { id, stats } of groups) {
    if (stats.count === 0 || stats.q1 === null || stats.q3 === null) continue;
    const fence = 1.5 * (stats.q3 - stats.q1);
    fences.set(id, { lo: stats.q1 - fence, hi: stats.q3 + fence, stats });
  }
  if (fences.size === 0) return [];
  const ids = [...fences.keys()];
  const caseOf = (pick: 'lo' | 'hi'): string => `CASE seg ${ids.map((id) => `WHEN ${id} THEN ${d.double((fences.get(id) as { lo: number; hi: number })[pick])}`).join(' ')} END`;
  const fenced = `(SELECT seg, v, ${caseOf('lo')} AS lo, ${caseOf('hi')} AS hi FROM (SELECT ${SEGMENT_NAME} AS seg, ${v} AS v FROM ${d.ident(seg.table)} AS __segments_p) AS __segments_v WHERE v IS NOT NULL${d.fence}) AS __segments_f`;
  const whiskers = await s.query(`SELECT seg, min(v) FILTER (WHERE v >= lo) AS low, max(v) FILTER (WHERE v <= hi) AS high, count(*) FILTER (WHERE v < lo OR v > hi) AS outside FROM ${fenced} GROUP BY seg`);
  // The most extreme values beyond each end, ranked from the end inwards (https://duckdb.org/docs/stable/sql/functions/window_functions,
  // https://www.postgresql.org/docs/15/functions-window.html).
  const extremes = await s.query(
    `SELECT seg, v, above, rn FROM (SELECT seg, v, v > hi AS above, row_number() OVER (PARTITION BY seg, v > hi ORDER BY CASE WHEN v > hi THEN -v ELSE v END) AS rn FROM ${fenced} WHERE v < lo OR v > hi) AS __segments_o WHERE rn <= ${MAX_OUTLIERS} ORDER BY seg, above, rn`,
  );
  const byId = new Map(whiskers.map((r) => [Number(r.seg), r]));
  const out: ReportBox[] = [];
  for (const id of order) {
    const f = fences.get(id);
    const w = byId.get(id);
    if (f === undefined || w === undefined) continue;
    const high = extremes.filter((r) => Number(r.seg) === id && (r.above === true || Number(r.above) === 1)).map((r) => Number(r.v));
    const low = extremes.filter((r) => Number(r.seg) === id && !(r.above === true || Number(r.above) === 1)).map((r) => Number(r.v));
    // As boxBySegment: the greatest beyond, then the least beyond, in turn.
    const outliers: number[] = [];
    for (let a = 0, b = 0; outliers.length < MAX_OUTLIERS && (a < low.length || b < high.length); ) {
      if (b < high.length) outliers.push(high[b++]);
      if (a < low.length && outliers.length < MAX_OUTLIERS) outliers.push(low[a++]);
    }
    const st = f.stats;
    out.push({ segment: id, count: st.count, q1: st.q1 as number, median: st.median as number, q3: st.q3 as number, low: Number(w.low), high: Number(w.high), outlierCount: Number(w.outside), outliers });
  }
  return out;
}

