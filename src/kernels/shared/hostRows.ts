// SPDX-License-Identifier: MIT
/**
 * The host rows each row block was uploaded from (tiling.ts, uploadRows), so that backends that
 * keep their own copy of a block (our wasm kernels) make it from them instead of reading the
 * block back from the device. Its own module, with no imports, so that the wasm kernels can use
 * it without pulling in the backends (which a browser bundle of the kernels cannot take).
 *
 * The rows are let go when the block is disposed (disposeBlocks calls forgetHostRows), not when
 * the tensor object is collected: V8 keeps every WeakRef target it has handed out alive until
 * the program returns to the event loop, and a chain of awaits that never does (a script fitting
 * several models in a row) kept one 64 MB matrix per fit at 10^6 × 16 that way, measured.
 */
import type * as tf from '@tensorflow/tfjs-core';

const sources = new WeakMap<tf.Tensor, Float32Array>();

/** Records that `block` holds the values of `rows` (which must not change while it lives). */
export function setHostRows(block: tf.Tensor, rows: Float32Array): void {
  sources.set(block, rows);
}

/** The host rows `block` (a tensor made by uploadRows and not disposed) was uploaded from, the same values; else undefined. */
export function hostRows(block: tf.Tensor): Float32Array | undefined {
  return block.isDisposed ? undefined : sources.get(block);
}

/** Lets go of the rows of `block`. */
export function forgetHostRows(block: tf.Tensor): void {
  sources.delete(block);
}
