// SPDX-License-Identifier: MIT
/**
 * How the Node tests let Dawn wait for SwiftShader. Dawn's Node binding (the `webgpu` package)
 * waits for the GPU by polling: while a buffer map, a queue's work or a request is pending, it
 * hands `setImmediate` a function that processes Dawn's events and, when work is still pending,
 * hands it over again. The worker's main thread then spins through the event loop. On SwiftShader
 * the GPU is threads of the same process, and on these two cores that spin takes CPU from them and
 * from the other test worker: four WebGPU files took 19.0 s and 35.6 s of CPU with it, and 13.2 s
 * and 23.3 s with the polls spaced as below.
 *
 * `spaceDawnPolls()` (a setup file of the Node projects, vitest.config.ts) makes the process's
 * `setImmediate` hand Dawn's polls to `setTimeout(poll, 0)` instead: one poll a millisecond or so.
 * Dawn's polls are told apart by how the binding makes them: native functions without a name or a
 * parameter (a promise's resolve function has one parameter). Every other callback runs as
 * before. The product does not do this: on a real GPU a wait is short and the spin costs little.
 */

const SPACED = Symbol.for('segments.test.dawnPollsSpaced');

/** Whether `callback` is one of Dawn's polls: a native function of no name and no parameters. */
export function isDawnPoll(callback: unknown): boolean {
  return typeof callback === 'function' && callback.name === '' && callback.length === 0 && /^function \(\) \{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(callback));
}

/** Installs the spacing in this process, once (setup files run again for each test file). */
export function spaceDawnPolls(): void {
  const current = globalThis.setImmediate as typeof setImmediate & { [SPACED]?: true };
  if (current[SPACED]) return;
  const spaced = function setImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]): NodeJS.Immediate {
    if (isDawnPoll(callback)) return setTimeout(callback, 0, ...args) as unknown as NodeJS.Immediate;
    return current(callback, ...args);
  } as typeof setImmediate & { [SPACED]?: true };
  spaced.__promisify__ = current.__promisify__;
  spaced[SPACED] = true;
  globalThis.setImmediate = spaced;
}

spaceDawnPolls();
