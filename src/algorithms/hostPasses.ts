// SPDX-License-Identifier: MIT
/**
 * When a pass over the rows is cheaper on the host than on a GPU: a device pass costs a few
 * dispatches and a read back whatever its size, so on a GPU backend a small enough pass runs on
 * the host instead (k-means' runs, seeding and refinement: kmeans.ts; spectral clustering's RBF
 * products: spectralGraph.ts; mean shift's climb and assignment: meanShift.ts). The rule depends
 * on the backend and the size only, so a seeded fit repeats itself.
 */
import { oneOf, type Constraint } from '../constraints.js';

/**
 * Most multiply-adds one pass may take to be run on the host on a GPU backend: the refinement's
 * host distances to 8 points at n = 8192, d = 16 took 1.8-2.4 ms here (2 cores, load 3.5), about
 * what a GPU pass's dispatch and read back cost. On WebGPU (SwiftShader) a pass cost 10-45 ms
 * whatever its size: k-means on mall (200 × 3, k = 5, nInit 4) spent 5.0-5.6 s in its
 * refinement's passes after 0.9-1.0 s of Lloyd runs; spectral's RBF products on moons (300 × 2)
 * 43 ms each, against 0.5 ms on the host.
 */
export const HOST_PASS_MAX_WORK = 2 ** 20;

/** The values of an estimator's `placement` option. */
export const PLACEMENTS = ['auto', 'device', 'host'] as const;

/**
 * Where an estimator makes its passes over the rows: 'device' the backend's kernels; 'host' our
 * wasm module and float64 loops on the host copy of the rows, whatever the backend; 'auto' as
 * passOnHost decides.
 */
export type Placement = (typeof PLACEMENTS)[number];

/** The `placement` option in an estimator's constraint table. */
export const PLACEMENT: Constraint = oneOf(...PLACEMENTS);

/** Whether a pass of `work` multiply-adds runs on the host: on 'webgpu' and 'webgl', when work ≤ HOST_PASS_MAX_WORK. */
export function passOnHost(backend: string, work: number): boolean {
  return (backend === 'webgpu' || backend === 'webgl') && work <= HOST_PASS_MAX_WORK;
}

/** Whether passes of `work` multiply-adds run on the host under `placement` (undefined: 'auto'). */
export function placedOnHost(placement: Placement | undefined, backend: string, work: number): boolean {
  return placement === 'host' || (placement !== 'device' && passOnHost(backend, work));
}
