// SPDX-License-Identifier: MIT
/** The `clusterSums` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { clusterSumsPortable } from './portable.js';

export * from './portable.js';

/** See `clusterSumsPortable` (portable.ts) for what it computes. */
export const clusterSums = defineKernel('clusterSums', clusterSumsPortable);
