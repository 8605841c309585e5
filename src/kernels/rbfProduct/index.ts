// SPDX-License-Identifier: MIT
/** The `rbfTile`, `rbfProduct` kernels: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { defineKernel } from '../shared/registry.js';
import { rbfTilePortable, rbfProductPortable } from './portable.js';

export * from './portable.js';

/** See `rbfTilePortable` (portable.ts) for what it computes. */
export const rbfTile = defineKernel('rbfTile', rbfTilePortable);
/** See `rbfProductPortable` (portable.ts) for what it computes. */
export const rbfProduct = defineKernel('rbfProduct', rbfProductPortable);
