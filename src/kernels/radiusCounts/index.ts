// SPDX-License-Identifier: MIT
/** The `radiusCounts` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { radiusCountsPortable } from './portable.js';

export * from './portable.js';

/** See `radiusCountsPortable` (portable.ts) for what it computes. */
export const radiusCounts = defineKernel('radiusCounts', radiusCountsPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.radiusCountsWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.radiusCountsWebgpu, checks: m.radiusCountsChecks })),
});
