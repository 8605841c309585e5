// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { HOST_PASS_MAX_WORK, passOnHost } from '../../src/algorithms/hostPasses.js';
import { devicePasses, hostPasses, kmeansPassWork } from '../../src/algorithms/kmeansRefine.js';
import { disposeData, openLloyd, uploadData } from '../../src/algorithms/kmeansLloyd.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { assignNearestRef } from '../helpers/reference.js';

describeEachBackend('kmeansRefine passes', () => {
  it('run on the host only on a GPU backend and while a pass is at most HOST_PASS_MAX_WORK multiply-adds', () => {
    // 2^20 = 4096 rows · 16 columns · 16 centers.
    expect(passOnHost('webgpu', kmeansPassWork(4096, 16, 16))).toBe(true);
    expect(passOnHost('webgpu', kmeansPassWork(4097, 16, 16))).toBe(false);
    expect(passOnHost('webgl', kmeansPassWork(4096, 16, 16))).toBe(true);
    // k = 2 still pays a swap trial's 2 + ⌊ln 2⌋ = 2 candidates; k = 1 has no refinement but the rule holds.
    expect(passOnHost('webgpu', kmeansPassWork(HOST_PASS_MAX_WORK / 2, 2, 1))).toBe(true);
    expect(passOnHost('webgpu', kmeansPassWork(HOST_PASS_MAX_WORK / 2 + 1, 2, 1))).toBe(false);
    for (const b of ['cpu', 'wasm', 'tensorflow']) expect(passOnHost(b, kmeansPassWork(4, 2, 1))).toBe(false);
  });

  it('give on the host what they give on the device: distances to points (hand computed) and the nearest center', async () => {
    // Rows (0, 0), (3, 4), (6, 8), (1, 1), (10, 0); points (0, 0) and (3, 4): squared distances by hand.
    const m = { data: Float32Array.from([0, 0, 3, 4, 6, 8, 1, 1, 10, 0]), rows: 5, cols: 2 };
    const points = Float32Array.from([0, 0, 3, 4]);
    const want = [0, 25, 25, 0, 100, 25, 2, 13, 100, 65];
    const data = uploadData(m, null, 2, 2); // blocks of 2 rows: 3 blocks, the last short
    const session = await openLloyd(data, 2, {}, 'host');
    try {
      const host = hostPasses(m, null, session);
      const device = devicePasses(data, 2);
      expect(Array.from(await host.distancesTo(points, 2))).toEqual(want);
      const onDevice = await device.distancesTo(points, 2);
      onDevice.forEach((v, i) => expect(Math.abs(v - want[i]), `value ${i}`).toBeLessThanOrEqual(1e-5 * (1 + want[i])));
      const ref = assignNearestRef(m, { data: points, rows: 2, cols: 2 });
      for (const passes of [host, device]) {
        const a = await passes.assign(points);
        expect(Array.from(a.labels)).toEqual(Array.from(ref.labels));
        a.distances.forEach((v, i) => expect(Math.abs(v - ref.distances[i]), `row ${i}`).toBeLessThanOrEqual(1e-5 * (1 + ref.distances[i])));
      }
    } finally {
      session.dispose();
      disposeData(data);
    }
  });
});
