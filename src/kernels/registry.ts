// SPDX-License-Identifier: MIT
/**
 * Kernel dispatch. A kernel is a named tensor operation with one portable implementation made
 * of tfjs ops (it runs on every backend and is the oracle in tests) and, optionally, faster
 * implementations registered for particular backends under the same name. Algorithms call the
 * kernel; which implementation runs is decided here, from the current tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { SegmentsError } from '../errors.js';

export interface Kernel<A extends unknown[], R> {
  (...args: A): R;
  readonly kernelName: string;
  /** The tf-op implementation: runs on any backend. */
  readonly portable: (...args: A) => R;
  /** Registers a faster implementation for one backend; replaces an earlier one. */
  register(backend: BackendName, impl: (...args: A) => R): void;
  /** Removes a backend's implementation, so the portable one runs there again. */
  unregister(backend: BackendName): void;
  /** Which implementation a call on `backend` (default: the current one) would run. */
  implementationFor(backend?: string): 'portable' | BackendName;
}

const allKernels = new Map<string, Kernel<never[], unknown>>();

/** Creates a kernel from its portable implementation. Names are unique. */
export function defineKernel<A extends unknown[], R>(name: string, portable: (...args: A) => R): Kernel<A, R> {
  if (allKernels.has(name)) throw new SegmentsError(`defineKernel: kernel '${name}' is defined twice`);
  const impls = new Map<string, (...args: A) => R>();
  const kernel = ((...args: A): R => {
    const impl = impls.get(tf.getBackend());
    return impl === undefined ? portable(...args) : impl(...args);
  }) as Kernel<A, R>;
  Object.defineProperty(kernel, 'kernelName', { value: name });
  Object.defineProperty(kernel, 'portable', { value: portable });
  kernel.register = (backend, impl) => void impls.set(backend, impl);
  kernel.unregister = (backend) => void impls.delete(backend);
  kernel.implementationFor = (backend = tf.getBackend()) => (impls.has(backend) ? (backend as BackendName) : 'portable');
  allKernels.set(name, kernel as unknown as Kernel<never[], unknown>);
  return kernel;
}

/** Every kernel defined so far, by name (for diagnostics and the bench). */
export function listKernels(): ReadonlyMap<string, Kernel<never[], unknown>> {
  return allKernels;
}
