// SPDX-License-Identifier: MIT
/** The `nearestTwo` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { nearestTwoPortable } from './portable.js';

export * from './portable.js';

/** See `nearestTwoPortable` (portable.ts) for what it computes. */
export const nearestTwo = defineKernel('nearestTwo', nearestTwoPortable);
