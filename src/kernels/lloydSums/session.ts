// SPDX-License-Identifier: MIT
/**
 * A Lloyd session: the state Lloyd's iterations keep on the device between kernel calls, in an
 * object the algorithm opens on its row blocks and disposes when its loop ends. On the 'wasm'
 * backend it holds each block's rows in our module's layout and Hamerly's bounds per row
 * (lloydSums/wasm.ts), so that the steps after the first skip the rows whose nearest center
 * provably stayed the same; elsewhere it holds nothing and each step runs the lloydSums kernel
 * on every block. Either way a step gives the same bits as lloydSums over the blocks, its runs
 * added in float64 in block order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import { assignNearest } from '../assignNearest/index.js';
import { addRuns } from '../clusterSums/index.js';
import type { LloydSessionOptions } from '../lloydStep/options.js';
import { lloydSums } from './index.js';
import type { LloydAssignment, LloydSession, LloydSessionBlock, LloydSessionStep } from './sessionTypes.js';
import { checkValue, integer } from '../../constraints.js';

export type { LloydAssignment, LloydSession, LloydSessionBlock, LloydSessionStep } from './sessionTypes.js';

/**
 * Opens a Lloyd session on `blocks` (each [t, d] float32, with weights [t] or null) for `k`
 * centers. The blocks must stay alive and unchanged until the session is disposed; dispose it in
 * a `finally`. On wasm the session copies the rows into our module's memory (O(n·d) at open,
 * 12 bytes per row more with `bounds`); elsewhere it keeps nothing. Options and their defaults:
 * LloydSessionOptions (lloydStep/options.ts).
 */
export async function openLloydSession(blocks: LloydSessionBlock[], k: number, options: LloydSessionOptions = {}): Promise<LloydSession> {
  const d = checkBlocks(blocks, k);
  if (lloydSums.implementationFor() === 'wasm') {
    const { openLloydSessionWasm } = await import('./wasm.js');
    return checked(openLloydSessionWasm(blocks, k, d, options), d);
  }
  return checked(portableSession(blocks, k), d);
}

/**
 * A Lloyd session on our wasm module whatever the backend (as openLloydSession opens on 'wasm'),
 * for passes that are cheaper on the host than on a device with a fixed cost per pass (the
 * k-means refinement on small data on a GPU: kmeansRefine.ts). Every block must carry its
 * `hostRows` (and `hostWeights` where it has weights): nothing is read back from the device.
 */
export async function openHostLloydSession(blocks: LloydSessionBlock[], k: number, options: LloydSessionOptions = {}): Promise<LloydSession> {
  const d = checkBlocks(blocks, k);
  for (const [i, b] of blocks.entries()) {
    if (b.hostRows === undefined || (b.weights !== null && b.hostWeights === undefined)) throw new ParameterError('openHostLloydSession', 'blocks', `block ${i} has no host copy of its rows or weights`);
  }
  const { openLloydSessionWasm } = await import('./wasm.js');
  return checked(openLloydSessionWasm(blocks, k, d, options), d);
}

function checkBlocks(blocks: LloydSessionBlock[], k: number): number {
  const fn = 'openLloydSession';
  checkValue(fn, 'k', k, integer({ min: 1 }));
  if (blocks.length === 0) throw new ParameterError(fn, 'blocks', 'needs at least one block');
  const d = blocks[0].x.shape[1];
  for (const [i, b] of blocks.entries()) {
    const [t, cols] = b.x.shape;
    if (cols !== d) throw new ParameterError(fn, 'blocks', `block ${i} has ${cols} columns, block 0 has ${d}`);
    if (b.x.dtype !== 'float32') throw new ParameterError(fn, 'blocks', `block ${i} must be float32, got ${b.x.dtype}`);
    if (b.weights !== null && (b.weights.shape[0] !== t || b.weights.dtype !== 'float32')) {
      throw new ParameterError(fn, 'blocks', `block ${i}'s weights must be ${t} float32 values, got ${b.weights.shape[0]} ${b.weights.dtype}`);
    }
    if (b.hostRows !== undefined && b.hostRows.length !== t * d) throw new ParameterError(fn, 'blocks', `block ${i}'s hostRows have ${b.hostRows.length} values for ${t}×${d}`);
  }
  return d;
}

/** `session` with the centers checked on every call, refusing calls once disposed, and disposed once. */
function checked(session: LloydSession, d: number): LloydSession {
  let open = true;
  const check = (what: 'step' | 'assign', centers: Float32Array): void => {
    if (centers.length !== session.k * d) throw new ParameterError(`lloydSession.${what}`, 'centers', `centers have ${centers.length} values, expected k·d = ${session.k}·${d}`);
    if (!open) throw new ParameterError('lloydSession', what, 'the session is disposed');
  };
  return {
    k: session.k,
    async step(centers) {
      check('step', centers);
      return session.step(centers);
    },
    async assign(centers, n) {
      check('assign', centers);
      return session.assign(centers, n);
    },
    dispose() {
      if (!open) return;
      open = false;
      session.dispose();
    },
  };
}

/** A session that keeps nothing: lloydSums and assignNearest on every block, whatever implementation the backend has. */
function portableSession(blocks: LloydSessionBlock[], k: number): LloydSession {
  const d = blocks[0].x.shape[1];
  const groups = blocks.reduce((g, b) => g + Math.ceil(b.x.shape[0] / 4), 0);
  return {
    k,
    async step(centers) {
      const ct = tf.tensor2d(centers, [k, d]);
      const counts = new Float64Array(k);
      const sums = new Float64Array(k * d);
      // Every block's step is queued before the first is read back, so a GPU runs them back to back.
      const steps = blocks.map((b) => lloydSums(b.x, ct, b.weights));
      ct.dispose();
      try {
        for (const s of steps) {
          addRuns(await s.counts.data(), s.counts.shape[0], counts);
          addRuns(await s.sums.data(), s.sums.shape[0], sums);
        }
      } finally {
        tf.dispose(steps.flatMap((s) => [s.counts, s.sums]));
      }
      return { counts, sums, groups, scanned: groups, tightened: 0 };
    },
    async assign(centers, n) {
      return assignBlocks(blocks, centers, k, n);
    },
    dispose() {},
  };
}

/** assignNearest of every row of `blocks` to `centers` [k, d], read back into one [n] array each. */
export async function assignBlocks(blocks: Array<{ start: number; x: tf.Tensor2D }>, centers: Float32Array, k: number, n: number): Promise<LloydAssignment> {
  const ct = tf.tensor2d(centers, [k, centers.length / k]);
  const labels = new Int32Array(n);
  const distances = new Float32Array(n);
  try {
    for (const b of blocks) {
      const a = assignNearest(b.x, ct);
      labels.set(await a.labels.data(), b.start);
      distances.set(await a.distances.data(), b.start);
      tf.dispose([a.labels, a.distances]);
    }
  } finally {
    ct.dispose();
  }
  return { labels, distances };
}
