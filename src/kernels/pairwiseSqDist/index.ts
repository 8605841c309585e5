// SPDX-License-Identifier: MIT
/** The `pairwiseSqDist` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { pairwiseSqDistPortable } from './portable.js';

export * from './portable.js';

/** See `pairwiseSqDistPortable` (portable.ts) for what it computes. */
export const pairwiseSqDist = defineKernel('pairwiseSqDist', pairwiseSqDistPortable);
