// SPDX-License-Identifier: MIT
/** The `silhouetteTile` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { checkTileInputs } from './check.js';
import { silhouetteTilePortable } from './portable.js';

export * from './portable.js';

/** See `silhouetteTilePortable` (portable.ts) for what it computes. */
export const silhouetteTile = defineKernel('silhouetteTile', silhouetteTilePortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.silhouetteTileWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.silhouetteTileWebgpu, checks: m.silhouetteTileChecks })),
}, checkTileInputs);
