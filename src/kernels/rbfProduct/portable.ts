// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';

/**
 * One tile of the RBF affinity matrix, exp(−gamma·‖x_i − y_j‖²), between the rows of `rows`
 * [b, d] and `cols` [t, d]. With `zeroDiagonal` (a tile of a block against itself, b = t) the
 * diagonal is 0 instead of 1: the graph Laplacian ignores self-loops (scipy's csgraph.laplacian).
 * Returns [b, t] float32. O(b·t·d).
 */
export const rbfTilePortable = (rows: tf.Tensor2D, cols: tf.Tensor2D, gamma: number, zeroDiagonal: boolean): tf.Tensor2D =>
  tf.tidy(() => {
    const k = tf.exp(tf.mul(pairwiseSqDist(rows, cols), -gamma)) as tf.Tensor2D;
    return zeroDiagonal ? (tf.sub(k, tf.eye(rows.shape[0], cols.shape[0])) as tf.Tensor2D) : k;
  });

/**
 * Partial products of one row block of an RBF affinity matrix with a block of vectors: for
 * each column block j, K_j·V_j where K_j is the [b, t_j] affinity tile of `rows` [b, d] against
 * `cols[j]` [t_j, d] (taken from `tiles[j]` when given, else computed by rbfTile) and V_j is
 * `vectors[j]` [t_j, p]. The tile of index `diagonal` (the block against itself) has its
 * diagonal zeroed. Returns [J, b, p] float32: the partials are added over j in float64 on the
 * host, so no float32 sum runs over more than one column block. O(b·n·(d + p)) work, one tile
 * alive at a time when the tiles are not cached.
 */
export const rbfProductPortable = (
    rows: tf.Tensor2D,
    cols: readonly tf.Tensor2D[],
    vectors: readonly tf.Tensor2D[],
    gamma: number,
    diagonal: number,
    tiles?: readonly tf.Tensor2D[],
  ): tf.Tensor3D => {
    const partials = cols.map((c, j) =>
      tf.tidy(() => {
        const k = tiles?.[j] ?? rbfTilePortable(rows, c, gamma, j === diagonal);
        return tf.matMul(k, vectors[j]);
      }),
    );
    const out = tf.stack(partials) as tf.Tensor3D;
    tf.dispose(partials);
    return out;
  };
