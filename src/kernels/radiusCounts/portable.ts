// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/** The two factors of a radius test, see `radiusOperands`. */
export interface RadiusOperands {
  /** [b, d + 2]: each row x, then ‖x‖² − r², then 1. */
  rows: tf.Tensor2D;
  /** [d + 2, t]: each column −2c, then 1, then ‖c‖². */
  cols: tf.Tensor2D;
}

/**
 * Factors whose product `matMul(rows, cols)` is [b, t] with entries ‖x_i − c_j‖² − r² (expanded,
 * float32), so that a radius test is one matMul followed by `tf.step` against the scalar 0
 * (1 when outside, strictly), with no broadcast op over the b×t tile: on the wasm backend a
 * broadcasting compare of a b×t tile with a [b, 1] column cost 20 times the matMul, measured
 * here. `padTo` (≥ t) appends columns that are outside every radius (their product is 1e30), so
 * the tile can be cut in whole words. Call inside a tidy.
 */
export function radiusOperands(x: tf.Tensor2D, c: tf.Tensor2D, radius: number, padTo?: number): RadiusOperands {
  const b = x.shape[0];
  const t = c.shape[0];
  const rows = tf.concat([x, tf.sub(tf.sum(tf.square(x), 1, true), radius * radius), tf.ones([b, 1])], 1) as tf.Tensor2D;
  let cols = tf.concat([tf.mul(tf.transpose(c), -2), tf.ones([1, t]), tf.reshape(tf.sum(tf.square(c), 1), [1, t])], 0) as tf.Tensor2D;
  if (padTo !== undefined && padTo > t) {
    const d = x.shape[1];
    const pad = tf.concat([tf.zeros([d + 1, padTo - t]), tf.fill([1, padTo - t], 1e30)], 0);
    cols = tf.concat([cols, pad], 1) as tf.Tensor2D;
  }
  return { rows, cols };
}

/**
 * For each row of `rows` [b, d], how many rows of the column blocks `columns` (each [t, d]) lie
 * within `radius` of it (‖x − c‖² ≤ radius², as scikit-learn's radius_neighbors includes the
 * radius; a row present in the columns counts itself). The squared distance is the float32
 * expansion ‖x‖² − 2x·c + ‖c‖²: callers center the data. Streams over the column blocks, holding
 * one b×t tile at a time. Returns [b] float32 holding whole numbers (exact below 2^24).
 * O(b·Σt·d) work.
 */
export const radiusCountsPortable = (rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], radius: number): tf.Tensor1D => {
    let acc: tf.Tensor1D = tf.zeros([rows.shape[0]]);
    try {
      for (const col of columns) {
        const next = tf.tidy(() => {
          const op = radiusOperands(rows, col, radius);
          const outside = tf.sum(tf.step(tf.matMul(op.rows, op.cols)), 1);
          return tf.add(acc, tf.sub(col.shape[0], outside)) as tf.Tensor1D;
        });
        acc.dispose();
        acc = next;
      }
    } catch (err) {
      acc.dispose();
      throw err;
    }
    return acc;
  };
