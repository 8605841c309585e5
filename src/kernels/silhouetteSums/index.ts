// SPDX-License-Identifier: MIT
/** The `silhouetteSums` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { silhouetteSumsPortable } from './portable.js';

export * from './portable.js';

/** See `silhouetteSumsPortable` (portable.ts) for what it computes. */
export const silhouetteSums = defineKernel('silhouetteSums', silhouetteSumsPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.silhouetteSumsWasm })),
});
