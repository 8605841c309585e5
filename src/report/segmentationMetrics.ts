// SPDX-License-Identifier: MIT
/**
 * The quality metrics a report shows for a segmentation: silhouette, Calinski-Harabasz and
 * Davies-Bouldin of the rows that are in a segment (noise, label −1, left out, and said so). The
 * CLI and the browser app both compute them here, so that their reports agree. Imports nothing
 * that only runs in Node.
 */
import { selectRows, type MatrixF32 } from '../matrix.js';
import { clusterIndices } from '../metrics/clusterIndices.js';
import { silhouette } from '../metrics/silhouette.js';
import type { ReportMetric } from './types.js';

/** Options of {@link segmentationMetrics}. */
export interface SegmentationMetricsOptions {
  /** Silhouette is O(n²): above this many (non-noise) rows it is computed on a sample of this size. Default 10,000. */
  silhouetteSample?: number;
  /** Seed of the silhouette sample. Default 0. */
  seed?: number;
  /** Told what is being computed, before each metric. */
  onProgress?: (stage: string) => void;
}

/** The metrics, as numbers and as the report's rows. */
export interface SegmentationMetrics {
  /** The mean silhouette, and the rows it was computed on when sampled (null: exact); null with fewer than 2 segments. */
  silhouette: { score: number; sampledRows: number | null } | null;
  calinskiHarabasz: number | null;
  daviesBouldin: number | null;
  /** Noise rows (−1) left out of every metric. */
  noiseRows: number;
  /** The silhouette of each scored row and its segment (the per-segment silhouette plot); null with the silhouette. */
  silhouetteRows: { values: Float64Array; segments: Int32Array } | null;
  /** The report's metric rows, with what each means; empty with fewer than 2 segments or no more rows than segments. */
  metrics: ReportMetric[];
}

/**
 * Silhouette (exact, or on a seeded sample above `silhouetteSample` rows), Calinski-Harabasz and
 * Davies-Bouldin of `x` [nSamples, nFeatures] segmented by `labels` [nSamples], noise rows (−1)
 * left out. Work: O(m²·d) for the silhouette of m rows, O(n·d) for the others.
 * @example
 * const x = { data: Float32Array.from([0, 0, 0, 1, 5, 5, 5, 6]), rows: 4, cols: 2 };
 * const m = await segmentationMetrics(x, [0, 0, 1, 1]);
 * m.silhouette; // { score: 0.8585857, sampledRows: null }: on all 4 rows, in float32 (scikit-learn's float64: 0.8585856960)
 * m.calinskiHarabasz; // 100
 * m.daviesBouldin; // 1 / Math.sqrt(50)
 * m.metrics.length; // 3: the report's rows, as reportFromSegmentation takes them
 */
export async function segmentationMetrics(x: MatrixF32, labels: ArrayLike<number>, options: SegmentationMetricsOptions = {}): Promise<SegmentationMetrics> {
  const sampleSize = options.silhouetteSample ?? 10_000;
  const progress = options.onProgress ?? (() => {});
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) rows.push(i);
  const noiseRows = labels.length - rows.length;
  const keep = noiseRows > 0 ? selectRows(x, rows) : x;
  const kept: ArrayLike<number> = noiseRows > 0 ? Int32Array.from(rows, (r) => labels[r]) : labels;
  const clusters = new Set(Array.from(kept)).size;
  if (clusters < 2 || clusters >= keep.rows) return { silhouette: null, calinskiHarabasz: null, daviesBouldin: null, noiseRows, silhouetteRows: null, metrics: [] };
  const sampled = keep.rows > sampleSize;
  progress(`metrics: silhouette${sampled ? ` on ${sampleSize} sampled rows` : ''}`);
  const sil = await silhouette(keep, kept, sampled ? { sampleSize, seed: options.seed ?? 0 } : {});
  progress('metrics: Calinski-Harabasz and Davies-Bouldin');
  const { calinskiHarabasz: ch, daviesBouldin: db } = await clusterIndices(keep, kept, 'segmentationMetrics');
  const noise = noiseRows > 0 ? `; the ${noiseRows} noise rows left out` : '';
  return {
    silhouette: { score: sil.score, sampledRows: sampled ? sil.rows.length : null },
    calinskiHarabasz: ch,
    daviesBouldin: db,
    noiseRows,
    silhouetteRows: { values: sil.samples, segments: Int32Array.from(sil.rows, (r) => kept[r]) },
    metrics: [
      { name: sampled ? 'silhouette (sampled)' : 'silhouette', value: sil.score, note: `higher is better, in [-1, 1]${sampled ? `; on ${sil.rows.length} sampled rows` : ''}${noise}` },
      { name: 'Calinski-Harabasz', value: ch, note: `higher is better${noise}` },
      { name: 'Davies-Bouldin', value: db, note: `lower is better, ≥ 0${noise}` },
    ],
  };
}
