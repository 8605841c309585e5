// SPDX-License-Identifier: MIT
/**
 * Help with the radius of the density algorithms before a run, on the features the run would
 * use (the same pipeline as `segment()`): DBSCAN's sorted k-distance curve and its knee, the
 * suggested eps (src/algorithms/epsHelp.ts), and the bandwidth mean shift estimates when its
 * bandwidth is left blank, computed as the run computes it (estimateBandwidth with the workflow's
 * quantile, rows and seed), so that the value shown is the value the run takes.
 */
import type * as arrow from 'apache-arrow';
import { estimateBandwidth } from '../algorithms/estimateBandwidth.js';
import { kDistanceCurve, type KDistanceCurve } from '../algorithms/epsHelp.js';
import { Pipeline } from '../data/pipeline.js';
import type { Schema } from '../data/schema.js';
import type { MatrixF32 } from '../matrix.js';
import { WORKFLOW_DEFAULTS } from './defaults.js';
import { handleInfinite } from './infinite.js';

export interface DensityHelpOptions {
  /** DBSCAN's minSamples: k of the k-distance curve. Default the workflow's (5). */
  minSamples?: number;
  /** Rows whose k-distance is computed. Default kDistanceCurve's (1,000, fewer for large files). */
  sampleRows?: number;
  /** Mean shift's quantile for the bandwidth estimate. Default the workflow's (0.3). */
  quantile?: number;
  /** Rows sampled for the bandwidth estimate. Default the workflow's (2,000). */
  bandwidthRows?: number;
  /** Seed of both samples. Default the workflow's (42). */
  seed?: number;
}

/** DBSCAN's help: the sorted k-distance curve of sampled rows, its knee and the suggested eps (null without a knee). */
export interface KDistanceHelp {
  kDistance: KDistanceCurve;
  /** [rows, features] of the matrix it was computed on. */
  rows: number;
  features: number;
}

/** Mean shift's help: the bandwidth a run with a blank bandwidth estimates, and the rows it is estimated on. */
export interface BandwidthHelp {
  bandwidth: { value: number; rows: number; quantile: number };
  /** [rows, features] of the matrix it was computed on. */
  rows: number;
  features: number;
}

/** Both helps, on one matrix. */
export type DensityHelp = KDistanceHelp & BandwidthHelp;

/** The features a run on `table` with `schema` would use; infinite cells as blanks, as the app's runs treat bad cells. */
function featuresOf(table: arrow.Table, schema: Schema): MatrixF32 {
  const finite = handleInfinite(table, schema, 'null').table;
  return Pipeline.fitTransform(finite, structuredClone(schema), { onWarning: () => {} }).output.matrix;
}

function curveOn(x: MatrixF32, options: DensityHelpOptions): Promise<KDistanceCurve> {
  const D = WORKFLOW_DEFAULTS;
  return kDistanceCurve(x, { minSamples: options.minSamples ?? D.minSamples.value, seed: options.seed ?? D.seed.value, ...(options.sampleRows === undefined ? {} : { sampleRows: options.sampleRows }) });
}

async function bandwidthOn(x: MatrixF32, options: DensityHelpOptions): Promise<BandwidthHelp['bandwidth']> {
  const D = WORKFLOW_DEFAULTS;
  const quantile = options.quantile ?? D.quantile.value;
  const rows = Math.min(x.rows, options.bandwidthRows ?? D.bandwidthRows.value);
  const value = await estimateBandwidth(x, { quantile, nSamples: rows, seed: options.seed ?? D.seed.value });
  return { value, rows, quantile };
}

/**
 * The k-distance curve (suggested eps) and the estimated bandwidth on the features of `table`
 * with the kinds of `schema`, on the current tfjs backend. Cells that are infinite are treated as
 * blanks, as the app's runs treat bad cells. Work: the pipeline O(n·columns), the curve
 * O(s·n·d) for s = sampleRows, the bandwidth O(m²·d) for m = bandwidthRows; where only one is
 * wanted, {@link kDistanceHelp} or {@link bandwidthHelp} computes only it.
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * const help = await densityHelp(table, inferKinds(table), { minSamples: 5 });
 * help.kDistance.eps; // e.g. 1.108, with which DBSCAN finds 2 segments
 * help.bandwidth.rows; // 200
 */
export async function densityHelp(table: arrow.Table, schema: Schema, options: DensityHelpOptions = {}): Promise<DensityHelp> {
  const x = featuresOf(table, schema);
  return { kDistance: await curveOn(x, options), bandwidth: await bandwidthOn(x, options), rows: x.rows, features: x.cols };
}

/** DBSCAN's part of {@link densityHelp} alone: the k-distance curve and the suggested eps. */
export async function kDistanceHelp(table: arrow.Table, schema: Schema, options: DensityHelpOptions = {}): Promise<KDistanceHelp> {
  const x = featuresOf(table, schema);
  return { kDistance: await curveOn(x, options), rows: x.rows, features: x.cols };
}

/** Mean shift's part of {@link densityHelp} alone: the bandwidth a run with a blank bandwidth estimates. */
export async function bandwidthHelp(table: arrow.Table, schema: Schema, options: DensityHelpOptions = {}): Promise<BandwidthHelp> {
  const x = featuresOf(table, schema);
  return { bandwidth: await bandwidthOn(x, options), rows: x.rows, features: x.cols };
}
