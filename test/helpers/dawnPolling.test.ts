// SPDX-License-Identifier: MIT
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getGpu } from '../../src/backend/webgpuAdapter.js';
import { isDawnPoll, spaceDawnPolls } from './dawnPolling.js';

const gpu = await getGpu();

describe('spacing Dawn\u2019s polls in the Node tests', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('tells nothing but a nameless native function of no parameters for a poll', () => {
    let resolver: unknown;
    void new Promise((r) => (resolver = r));
    function named(): void {}
    expect(isDawnPoll(resolver), "a promise's resolve function").toBe(false);
    expect(isDawnPoll(() => {}), 'an arrow function').toBe(false);
    expect(isDawnPoll(named), 'a named function').toBe(false);
    expect(isDawnPoll(named.bind(null)), 'a bound function').toBe(false);
    expect(isDawnPoll(Math.random), 'a named native function').toBe(false);
    expect(isDawnPoll(undefined)).toBe(false);
  });

  it('is installed once, whatever the number of setup runs', () => {
    const before = globalThis.setImmediate;
    spaceDawnPolls();
    expect(globalThis.setImmediate).toBe(before);
  });

  it.skipIf(gpu.gpu === null)('a buffer map on SwiftShader completes, Dawn handing its polls to setTimeout, and other callbacks still run at once', async () => {
    const polls: unknown[] = [];
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    const adapter = await gpu.gpu!.requestAdapter();
    const device = await adapter!.requestDevice();
    const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      device.queue.writeBuffer(buffer, 0, new Uint32Array([1, 2, 3, 4]));
      await buffer.mapAsync(GPUMapMode.READ);
      expect(Array.from(new Uint32Array(buffer.getMappedRange()))).toEqual([1, 2, 3, 4]);
      for (const [callback] of immediate.mock.calls) if (isDawnPoll(callback)) polls.push(callback);
      expect(polls.length, 'Dawn polled through setImmediate').toBeGreaterThan(0);
      for (const poll of polls) expect(timeout.mock.calls.some(([callback, ms]) => callback === poll && ms === 0)).toBe(true);
      // A promise's resolve function passed to setImmediate is not delayed to a timer.
      const calls = timeout.mock.calls.length;
      await new Promise((r) => setImmediate(r));
      expect(timeout.mock.calls.length).toBe(calls);
    } finally {
      buffer.destroy();
      device.destroy();
    }
  });
});
