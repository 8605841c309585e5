// SPDX-License-Identifier: MIT
/** The `pointDistances` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { pointDistancesPortable } from './portable.js';

export * from './portable.js';

/** See `pointDistancesPortable` (portable.ts) for what it computes. */
export const pointDistances = defineKernel('pointDistances', pointDistancesPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.pointDistancesWasm })),
});
