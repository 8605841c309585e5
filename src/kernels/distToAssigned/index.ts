// SPDX-License-Identifier: MIT
/** The `distToAssigned` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { distToAssignedPortable } from './portable.js';

export * from './portable.js';

/** See `distToAssignedPortable` (portable.ts) for what it computes. */
export const distToAssigned = defineKernel('distToAssigned', distToAssignedPortable);
