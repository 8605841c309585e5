// SPDX-License-Identifier: MIT
/** The input checks of silhouetteTile, run once per call whatever backend runs it (index.ts). */
import type * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import type { LabeledBlock } from './portable.js';
import { checkValue, integer } from '../../constraints.js';

/** Checks k, the dtypes, and that every column block has the rows' width and one label per row. */
export function checkTileInputs(rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number): void {
  const d = rows.shape[1];
  checkValue('silhouetteTile', 'k', k, integer({ min: 1 }));
  if (rows.dtype !== 'float32') throw new ParameterError('silhouetteTile', 'rows', `rows must be float32, got ${rows.dtype}`);
  for (const col of columns) {
    if (col.x.shape[1] !== d) throw new ParameterError('silhouetteTile', 'columns', `a column block has ${col.x.shape[1]} columns, rows have ${d}`);
    if (col.labels.shape[0] !== col.x.shape[0]) {
      throw new ParameterError('silhouetteTile', 'columns', `a column block has ${col.labels.shape[0]} labels for ${col.x.shape[0]} rows`);
    }
    if (col.x.dtype !== 'float32') throw new ParameterError('silhouetteTile', 'columns', `column blocks must be float32, got ${col.x.dtype}`);
    if (col.labels.dtype !== 'int32') throw new ParameterError('silhouetteTile', 'columns', `labels must be int32, got ${col.labels.dtype}`);
  }
}
