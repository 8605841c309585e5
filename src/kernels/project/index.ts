// SPDX-License-Identifier: MIT
/** The `project` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { projectPortable } from './portable.js';

export * from './portable.js';

/** See `projectPortable` (portable.ts) for what it computes. */
export const project = defineKernel('project', projectPortable);
