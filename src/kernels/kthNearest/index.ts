// SPDX-License-Identifier: MIT
/** The `kthNearest` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { kthNearestPortable } from './portable.js';

export * from './portable.js';

/** See `kthNearestPortable` (portable.ts) for what it computes. */
export const kthNearest = defineKernel('kthNearest', kthNearestPortable);
