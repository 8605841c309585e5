// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { HOST_PASS_MAX_WORK, passOnHost, placedOnHost } from '../../src/algorithms/hostPasses.js';

describe('placedOnHost', () => {
  it("'host' and 'device' override the rule; 'auto' and no placement follow passOnHost", () => {
    const small = HOST_PASS_MAX_WORK;
    const large = HOST_PASS_MAX_WORK + 1;
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      for (const work of [small, large]) {
        expect(placedOnHost('host', backend, work)).toBe(true);
        expect(placedOnHost('device', backend, work)).toBe(false);
        expect(placedOnHost('auto', backend, work)).toBe(passOnHost(backend, work));
        expect(placedOnHost(undefined, backend, work)).toBe(passOnHost(backend, work));
      }
    }
    // The rule itself: small passes on a GPU backend only.
    expect(passOnHost('webgpu', small)).toBe(true);
    expect(passOnHost('webgl', small)).toBe(true);
    expect(passOnHost('webgpu', large)).toBe(false);
    expect(passOnHost('wasm', small)).toBe(false);
  });
});
