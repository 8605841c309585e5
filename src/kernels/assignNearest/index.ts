// SPDX-License-Identifier: MIT
/** The `assignNearest` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { checkStepInputs } from '../lloydStep/check.js';
import { defineKernel } from '../shared/registry.js';
import { assignNearestPortable } from './portable.js';

export * from './portable.js';

/** See `assignNearestPortable` (portable.ts) for what it computes. */
export const assignNearest = defineKernel('assignNearest', assignNearestPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.assignNearestWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.assignNearestWebgpu, checks: m.assignNearestChecks })),
}, (x, centers) => checkStepInputs('assignNearest', x, centers, null));
