// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { setWasmThreads } from '../../../src/kernels/wasm/threads.js';

/**
 * Runs `run` on 1, 2 and 3 threads (setWasmThreads before each, which must give that many);
 * every result must equal the 1-thread one (the same bits). Returns the 1-thread result.
 */
export async function sameOnThreadCounts<T>(run: () => Promise<T>, what = ''): Promise<T> {
  const results: T[] = [];
  for (const threads of [1, 2, 3]) {
    const stats = await setWasmThreads(threads);
    expect(stats.threads, stats.reason).toBe(threads);
    results.push(await run());
  }
  for (const [i, got] of results.entries()) expect(got, `${what}${what ? ', ' : ''}${i + 1} threads against 1`).toEqual(results[0]);
  return results[0];
}
