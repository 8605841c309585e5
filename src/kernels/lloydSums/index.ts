// SPDX-License-Identifier: MIT
/** The `lloydSums` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { checkStepInputs } from '../lloydStep/check.js';
import { defineKernel } from '../shared/registry.js';
import { lloydSumsPortable } from './portable.js';

export * from './portable.js';

// The wasm pass of lloydSums shares lloydStep's fused kernel (lloydStep.as.ts, lloydBounded), so it lives
// in ../lloydStep/wasm.ts.
/** See `lloydSumsPortable` (portable.ts) for what it computes. */
export const lloydSums = defineKernel('lloydSums', lloydSumsPortable, {
  wasm: () => import('../lloydStep/wasm.js').then((m) => ({ impl: m.lloydSumsWasm })),
}, (x, centers, weights) => checkStepInputs('lloydSums', x, centers, weights));
