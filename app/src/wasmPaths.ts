// SPDX-License-Identifier: MIT
/**
 * tfjs-backend-wasm in the app's worker: its binaries are served with the app (Vite copies them
 * into the build and gives their URLs), so nothing is fetched from a CDN and the app works
 * offline; and its own pthread build is turned off, because its Emscripten thread workers do not
 * start from a bundled module worker (each fails with "ReferenceError: e is not defined", seen in
 * Chromium 156 with tfjs 4.22). The threads that matter are ours: the library's wasm kernels
 * (k-means steps, silhouette) run on Web Workers of their own when the page is isolated.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Sets up tfjs-backend-wasm as said above; call before the wasm backend starts. */
export function configureTfjsWasm(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': new URL(plain, import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL(simd, import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(threadedSimd, import.meta.url).href,
  });
}
