// SPDX-License-Identifier: MIT
/** The `radiusPairs` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { radiusPairsPortable } from './portable.js';

export * from './portable.js';

/** See `radiusPairsPortable` (portable.ts) for what it computes. */
export const radiusPairs = defineKernel('radiusPairs', radiusPairsPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.radiusPairsWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.radiusPairsWebgpu, checks: m.radiusPairsChecks })),
});
