// SPDX-License-Identifier: MIT
/** The `knn` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { knnPortable } from './portable.js';

export * from './portable.js';

/** See `knnPortable` (portable.ts) for what it computes. */
export const knn = defineKernel('knn', knnPortable);
