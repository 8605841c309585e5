// SPDX-License-Identifier: MIT
/** Helpers for the model tests: a small fitted pipeline, hand-made models, float64 references. */
import * as arrow from 'apache-arrow';
import { Pipeline } from '../../src/data/pipeline.js';
import { sampleSchema, sampleTable } from '../../src/data/sampleGenerator.js';
import type { Schema } from '../../src/data/schema.js';
import type { Matrix, MatrixF32 } from '../../src/matrix.js';
import { SegmentationModel } from '../../src/model/model.js';

/** A generated table (several record batches), its schema, a pipeline fitted on it and its features. */
export function sampleFit(rows = 600, options: { missing?: number; chunkSize?: number } = {}): {
  table: arrow.Table;
  schema: Schema;
  pipeline: Pipeline;
  features: MatrixF32;
} {
  const { table } = sampleTable({ rows, seed: 11, chunkSize: options.chunkSize ?? 256, missing: options.missing ?? 0.05 });
  const schema = sampleSchema(table);
  const pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
  return { table, schema, pipeline, features: pipeline.transform(table).matrix };
}

/** Rows `rows` of `m` as a new matrix. */
export function pickRows(m: MatrixF32, rows: readonly number[]): MatrixF32 {
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data, rows: rows.length, cols: m.cols };
}

/** Float64 Euclidean distance between row i of a and row j of b, written out plainly. */
export function distRef(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  for (let t = 0; t < a.cols; t++) s += (a.data[i * a.cols + t] - b.data[j * b.cols + t]) ** 2;
  return Math.sqrt(s);
}

/** Float64 nearest row of `points` to each row of `x` (first index on a tie) and its distance. */
export function nearestRef(x: Matrix, points: Matrix): { index: Int32Array; distance: Float64Array } {
  const index = new Int32Array(x.rows);
  const distance = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = Infinity;
    for (let j = 0; j < points.rows; j++) {
      const d = distRef(x, i, points, j);
      if (d < best) {
        best = d;
        index[i] = j;
      }
    }
    distance[i] = best;
  }
  return { index, distance };
}

/**
 * A k-means model on the sample whose centroids are training rows `centerRows` (a valid state
 * without a fit), with the labels the float64 rule gives the training rows.
 */
export function handKMeansModel(fit: ReturnType<typeof sampleFit>, centerRows: readonly number[]): SegmentationModel {
  const centroids = pickRows(fit.features, centerRows);
  const { index } = nearestRef(fit.features, centroids);
  return SegmentationModel.fromState({
    pipeline: fit.pipeline,
    schema: fit.schema,
    state: { type: 'kmeans', centroids, inertia: 0 },
    labels: index,
    backend: 'cpu',
    seed: 1,
    createdAt: new Date('2024-05-01T12:00:00Z'),
  });
}
