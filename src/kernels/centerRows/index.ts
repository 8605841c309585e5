// SPDX-License-Identifier: MIT
/**
 * The `centerRows` kernel: name, input checks, portable form (portable.ts) and the backends with
 * an implementation of their own, loaded when a backend starts. The fits center their rows with
 * it before uploading them (centering changes no distance but keeps ‖x‖² − 2x·c + ‖c‖² from
 * cancelling in float32, as scikit-learn centers dense data).
 */
import { ParameterError } from '../../errors.js';
import type { MatrixF32 } from '../../matrix.js';
import { defineKernel } from '../shared/registry.js';
import { centerRowsPortable } from './portable.js';

export * from './portable.js';

const FN = 'centerRows';

/** Checks a centerRows call: rows*cols values, at least one row when the means are to be computed, and a finite row of cols values. */
export function checkCenterInputs(x: MatrixF32, mean?: Float64Array): void {
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 1) {
    throw new ParameterError(FN, 'x', `x must have rows >= 0 and cols >= 1, got rows=${x.rows}, cols=${x.cols}`);
  }
  if (x.data.length !== x.rows * x.cols) throw new ParameterError(FN, 'x', `x.data has ${x.data.length} values, not rows*cols = ${x.rows}*${x.cols}`);
  if (mean === undefined) {
    if (x.rows < 1) throw new ParameterError(FN, 'x', 'x has no rows: its column means are undefined');
    return;
  }
  if (mean.length !== x.cols) throw new ParameterError(FN, 'mean', `mean has ${mean.length} values, x has ${x.cols} columns`);
  for (let j = 0; j < mean.length; j++) {
    if (!Number.isFinite(mean[j])) throw new ParameterError(FN, 'mean', `mean[${j}] = ${mean[j]}: the row to subtract must be finite`);
  }
}

/** Our WebAssembly form: a host pass, so it serves whatever tfjs backend runs the fit's kernels. */
const inOurModule = (): Promise<{ impl: typeof import('./wasm.js').centerRowsWasm }> => import('./wasm.js').then((m) => ({ impl: m.centerRowsWasm }));

/**
 * See `centerRowsPortable` (portable.ts) for what it computes. Every implementation gives the
 * same bits. The wasm form is declared for the backends whose engines all run WebAssembly SIMD
 * (tfjs-wasm itself; WebGPU: Chrome 113+, Node's Dawn; tfjs-node); where our module still cannot
 * be instantiated, the call throws and says why. cpu and webgl, the backends left to engines that
 * may lack SIMD (Safari before 16.4 has WebGL), run the portable form.
 * @example
 * centerRows({ data: Float32Array.from([1, 10, 3, 30]), rows: 2, cols: 2 }).centered.data; // Float32Array [-1, -10, 1, 10]
 */
export const centerRows = defineKernel(
  FN,
  centerRowsPortable,
  { wasm: inOurModule, webgpu: inOurModule, tensorflow: inOurModule },
  checkCenterInputs,
);
