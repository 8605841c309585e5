// SPDX-License-Identifier: MIT
/** Matrices on the device as row blocks, for the kernel specs and the GPU check (no vitest here). */
import * as tf from '@tensorflow/tfjs-core';
import { disposeBlocks, uploadPerRow, uploadRows, type RowBlock } from '../../src/kernels/shared/tiling.js';
import type { Matrix, MatrixF32 } from '../../src/matrix.js';

/** The matrix with float32 data, as uploadRows takes it (copied only when it is not float32). */
export function f32(m: Matrix): MatrixF32 {
  return m.data instanceof Float32Array ? (m as MatrixF32) : { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

/** A matrix on the device as row blocks, with its per-row labels and weights split alike. */
export interface Uploaded {
  blocks: RowBlock[];
  /** One int32 tensor per block; empty when no labels were given. */
  labels: tf.Tensor1D[];
  /** One float32 tensor per block, or null per block when no weights were given. */
  weights: Array<tf.Tensor1D | null>;
  dispose(): void;
}

/**
 * Uploads `m` with uploadRows, in blocks of `rowsPerBlock` rows when given (else sized from the
 * device budget for `floatsPerRow`, default 16), and `labels` and `weights` with uploadPerRow.
 */
export function upload(
  m: Matrix,
  o: { rowsPerBlock?: number; floatsPerRow?: number; labels?: Int32Array; weights?: ArrayLike<number> | null } = {},
): Uploaded {
  const blocks = uploadRows(f32(m), o.floatsPerRow ?? 16, o.rowsPerBlock);
  const labels = o.labels ? uploadPerRow(o.labels, blocks, 'int32') : [];
  const weights = o.weights ? uploadPerRow(Float32Array.from(o.weights), blocks, 'float32') : blocks.map(() => null);
  return {
    blocks,
    labels,
    weights,
    dispose: () => {
      disposeBlocks(blocks);
      tf.dispose(labels);
      for (const w of weights) w?.dispose();
    },
  };
}
