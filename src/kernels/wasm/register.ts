// SPDX-License-Identifier: MIT
/**
 * Registers our WebAssembly kernels for the tfjs 'wasm' backend. Imported for its effect, once
 * the wasm backend is started: `await import('../kernels/wasm/register.js')`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assignNearest } from '../assignNearest.js';
import { lloydStep } from '../lloydStep.js';
import { lloydSums } from '../lloydSums.js';
import { meanShiftStep } from '../meanShiftStep.js';
import { pointDistances } from '../pointDistances.js';
import { radiusCounts } from '../radiusCounts.js';
import { radiusPairs } from '../radiusPairs.js';
import { silhouetteSums } from '../silhouetteSums.js';
import { silhouetteTile } from '../silhouetteTile.js';
import { onBlocksDisposed } from '../tiling.js';
import { releaseDisposedWasmData } from './kernelModule.js';
import { lloydStepWasm, lloydSumsWasm } from './lloydStep.js';
import { meanShiftStepWasm } from './meanShiftStep.js';
import { pointDistancesWasm } from './pointDistances.js';
import { radiusCountsWasm } from './radiusCounts.js';
import { radiusPairsWasm } from './radiusPairs.js';
import { silhouetteSumsWasm } from './silhouetteSums.js';
import { silhouetteTileWasm } from './silhouetteTile.js';

lloydStep.register('wasm', lloydStepWasm);
lloydSums.register('wasm', lloydSumsWasm);
// The fused step's labels and distances are the assignment: its float64 sums cost little more.
assignNearest.register('wasm', (x, centers) => {
  const step = lloydStepWasm(x, centers, null);
  tf.dispose([step.counts, step.sums]);
  return { labels: step.labels, distances: step.distances };
});
silhouetteTile.register('wasm', silhouetteTileWasm);
silhouetteSums.register('wasm', silhouetteSumsWasm);
radiusCounts.register('wasm', radiusCountsWasm);
radiusPairs.register('wasm', radiusPairsWasm);
meanShiftStep.register('wasm', meanShiftStepWasm);
pointDistances.register('wasm', pointDistancesWasm);
onBlocksDisposed(() => void releaseDisposedWasmData());

export { lloydStepWasm, lloydSumsWasm, meanShiftStepWasm, pointDistancesWasm, radiusCountsWasm, radiusPairsWasm, silhouetteSumsWasm, silhouetteTileWasm };
export { clearWasmData, releaseDisposedWasmData, setWasmDataLimit, wasmDataStats } from './kernelModule.js';
export {
  ensureWasmThreads,
  setWasmThreads,
  stopWasmThreads,
  wasmThreadStats,
  type WasmThreadOptions,
  type WasmThreadStats,
} from './threads.js';
