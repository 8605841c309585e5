// SPDX-License-Identifier: MIT
/**
 * Running a computation so that losing the WebGPU device in the middle of it moves the work to
 * the next backend (with a warning) instead of failing, hanging or returning garbage.
 *
 * What tfjs-backend-webgpu 4.22 does after its device is lost, seen with Dawn (the `webgpu`
 * package) on SwiftShader after `GPUDevice.destroy()`:
 * - ops do not throw: they are recorded and submitted to the dead device, which drops them;
 * - `data()` of a tensor that lives on the GPU rejects with a DOMException named AbortError
 *   (its mapAsync is aborted), also when the read was already in flight at the loss;
 * - some ops (binary ones such as mul) whose inputs are small and still on the host (under 1000
 *   elements) run on tfjs's CPU forward path and keep giving right answers, so a loss can go
 *   unnoticed by `work`;
 * - `device.lost` resolves a moment after `destroy()`, not synchronously.
 * No read hung there, but the WebGPU spec leaves a browser free to resolve a read with zeros,
 * and a driver may never answer: so a run that ends after a loss is rerun even if it succeeded,
 * and a run that has not settled `LOST_GRACE_MS` after the loss is abandoned and rerun.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors.js';
import { fallbackChain, initBackend, webgpuDeviceLost, whenWebgpuDeviceLost, type BackendInfo } from './backend.js';

/** How long `work` may still take to settle once the device it runs on is lost. */
export const LOST_GRACE_MS = 2000;
/** How long a failure on WebGPU waits for `device.lost`, which Dawn reports asynchronously. */
const LOST_REPORT_MS = 250;

type Outcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'abandoned' };

/**
 * Runs `work` on the current backend. If the WebGPU device was lost while it ran (tfjs then
 * throws, or may read back zeros, or may never answer), starts the next backend of the chain
 * (wasm, then cpu, in Node) and runs `work` again from the start, with a warning naming the lost
 * device. `work` must create its tensors itself, from host data; an error that is not due to a
 * device loss is rethrown as it is. `tf.getBackend()` afterwards says which backend computed
 * the result.
 *
 * @param fn Name of the calling function, for the warning.
 * @param onWarning Receives the warning. Default: console.warn.
 * @example
 * const values = [1, 2, 3];
 * const total = await withBackendFallback('sum', async () => {
 *   const t = tf.tensor1d(values);
 *   try { return (await tf.sum(t).data())[0]; } finally { t.dispose(); }
 * });
 * total; // 6
 */
export async function withBackendFallback<T>(fn: string, work: () => Promise<T>, onWarning?: (m: string) => void): Promise<T> {
  const warn = onWarning ?? ((m: string) => console.warn(`segments: ${m}`));
  const lostSignal = tf.getBackend() === 'webgpu' ? whenWebgpuDeviceLost() : null;
  if (lostSignal === null) return work();

  const outcome = await runGuarded(work, lostSignal);
  let lost = webgpuDeviceLost();
  if (lost === null && outcome.kind === 'failed') {
    // The read that failed may be the first sign of the loss; give device.lost a moment.
    lost = await Promise.race([lostSignal, delay(LOST_REPORT_MS).then(() => null)]);
  }
  if (lost === null) {
    if (outcome.kind === 'failed') throw outcome.error;
    if (outcome.kind === 'done') return outcome.value;
  }
  const device = `the WebGPU device was lost (${lost ?? 'unknown reason'})`;
  const what = outcome.kind === 'abandoned' ? `${fn} did not finish ${LOST_GRACE_MS} ms after ${device}` : `${fn}: ${device}`;

  const chain = fallbackChain('webgpu');
  const reasons: string[] = [];
  for (const name of chain.slice(chain.indexOf('webgpu') + 1)) {
    let info: BackendInfo;
    try {
      info = await initBackend(name, { strict: true, onWarning: warn });
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      reasons.push(err.message);
      continue;
    }
    warn(`${what}; running it again on ${info.name}`);
    return work();
  }
  throw new BackendUnavailableError('webgpu', `${device} and no other backend could start: ${reasons.join('; ')}`);
}

/**
 * Settles with the outcome of `work`, or gives up on it `LOST_GRACE_MS` after the device is lost.
 * An abandoned run keeps its promise; its late rejection is swallowed here. (It may still wake up
 * and issue ops on the next backend; they only make garbage tensors, never the returned result.)
 */
async function runGuarded<T>(work: () => Promise<T>, lostSignal: Promise<string>): Promise<Outcome<T>> {
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (async () => work())().then(
    (value): Outcome<T> => ({ kind: 'done', value }),
    (error: unknown): Outcome<T> => ({ kind: 'failed', error }),
  );
  const giveUp = lostSignal.then(
    () =>
      new Promise<Outcome<T>>((resolve) => {
        if (!settled) timer = setTimeout(() => resolve({ kind: 'abandoned' }), LOST_GRACE_MS);
      }),
  );
  try {
    return await Promise.race([run, giveUp]);
  } finally {
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
