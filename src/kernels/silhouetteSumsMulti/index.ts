// SPDX-License-Identifier: MIT
/** The `silhouetteSumsMulti` kernel: name, input checks, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import { checkValue, integer } from '../../constraints.js';
import { ParameterError } from '../../errors.js';
import { defineKernel } from '../shared/registry.js';
import { silhouetteSumsMultiPortable, type MultiLabeledBlock } from './portable.js';

export * from './portable.js';

const FN = 'silhouetteSumsMulti';

/** The checks that need no data read back: every implementation runs after them. */
function check(blocks: readonly MultiLabeledBlock[], ks: readonly number[]): void {
  if (ks.length === 0) throw new ParameterError(FN, 'ks', 'at least one labeling is needed');
  ks.forEach((k, s) => checkValue(FN, `ks[${s}]`, k, integer({ min: 1 })));
  const d = blocks[0]?.x.shape[1];
  blocks.forEach((b, i) => {
    if (b.x.rank !== 2 || b.x.shape[1] !== d) throw new ParameterError(FN, 'blocks', `block ${i} has shape [${b.x.shape.join(', ')}], the first has ${d} columns`);
    if (b.x.dtype !== 'float32') throw new ParameterError(FN, 'blocks', `block ${i}'s rows must be float32, got ${b.x.dtype}`);
    if (b.labels.rank !== 2 || b.labels.shape[0] !== b.x.shape[0] || b.labels.shape[1] !== ks.length) {
      throw new ParameterError(FN, 'blocks', `block ${i} has labels of shape [${b.labels.shape.join(', ')}] for ${b.x.shape[0]} rows and ${ks.length} labelings`);
    }
    if (b.labels.dtype !== 'int32') throw new ParameterError(FN, 'blocks', `block ${i}'s labels must be int32, got ${b.labels.dtype}`);
  });
}

/** See `silhouetteSumsMultiPortable` (portable.ts) for what it computes. */
export const silhouetteSumsMulti = defineKernel(
  FN,
  silhouetteSumsMultiPortable,
  { wasm: () => import('./wasm.js').then((m) => ({ impl: m.silhouetteSumsMultiWasm })) },
  check,
);
