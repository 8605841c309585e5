// SPDX-License-Identifier: MIT
/** The `lloydStep` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { checkStepInputs } from './check.js';
import { defineKernel } from '../shared/registry.js';
import { lloydStepPortable } from './portable.js';

export * from './portable.js';

/** See `lloydStepPortable` (portable.ts) for what it computes. */
export const lloydStep = defineKernel('lloydStep', lloydStepPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.lloydStepWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.lloydStepWebgpu, checks: m.lloydStepChecks })),
}, (x, centers, weights) => checkStepInputs('lloydStep', x, centers, weights));
