// SPDX-License-Identifier: MIT
/**
 * Registers our WebAssembly kernels for the tfjs 'wasm' backend. Imported for its effect, once
 * the wasm backend is started: `await import('../kernels/wasm/register.js')`.
 */
import { lloydStep } from '../lloydStep.js';
import { onBlocksDisposed } from '../tiling.js';
import { releaseDisposedWasmData } from './kernelModule.js';
import { lloydStepWasm } from './lloydStep.js';

lloydStep.register('wasm', lloydStepWasm);
onBlocksDisposed(() => void releaseDisposedWasmData());

export { lloydStepWasm };
export { clearWasmData, releaseDisposedWasmData, setWasmDataLimit, wasmDataStats } from './kernelModule.js';
