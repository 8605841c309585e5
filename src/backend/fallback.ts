// SPDX-License-Identifier: MIT
/**
 * Running a computation so that losing the WebGPU device in the middle of it moves the work to
 * the next backend (with a warning) instead of failing or returning garbage.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors.js';
import { fallbackChain, initBackend, webgpuDeviceLost, type BackendName } from './backend.js';

/**
 * Runs `work` on the current backend. If the WebGPU device was lost while it ran (tfjs then
 * throws, or reads back zeros), starts the next backend of the chain and runs `work` again
 * from the start. `work` must create its tensors itself, from host data.
 */
export async function withBackendFallback<T>(fn: string, work: () => Promise<T>, onWarning?: (m: string) => void): Promise<T> {
  const warn = onWarning ?? ((m: string) => console.warn(`segments: ${m}`));
  let failure: unknown = null;
  let result: T | undefined;
  try {
    result = await work();
  } catch (err) {
    failure = err;
  }
  const lost = tf.getBackend() === 'webgpu' ? webgpuDeviceLost() : null;
  if (lost === null) {
    if (failure !== null) throw failure;
    return result as T;
  }
  const chain = fallbackChain('webgpu');
  const next = chain.slice(chain.indexOf('webgpu') + 1) as BackendName[];
  for (const name of next) {
    try {
      const info = await initBackend(name, { strict: true });
      warn(`${fn}: the WebGPU device was lost (${lost}); running again on ${info.name}`);
      return await work();
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
    }
  }
  throw new BackendUnavailableError('webgpu', `the device was lost (${lost}) and no other backend could start`);
}
