// SPDX-License-Identifier: MIT
/** The `meanShiftStep` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { checkStepInputs } from './check.js';
import { meanShiftStepPortable } from './portable.js';

export * from './portable.js';

/** See `meanShiftStepPortable` (portable.ts) for what it computes. */
export const meanShiftStep = defineKernel('meanShiftStep', meanShiftStepPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.meanShiftStepWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.meanShiftStepWebgpu, checks: m.meanShiftStepChecks })),
}, checkStepInputs);
