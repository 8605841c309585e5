// SPDX-License-Identifier: MIT
/** The `gram` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { gramPortable } from './portable.js';

export * from './portable.js';

/** See `gramPortable` (portable.ts) for what it computes. */
export const gram = defineKernel('gram', gramPortable);
