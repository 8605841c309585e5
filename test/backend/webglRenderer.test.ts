// SPDX-License-Identifier: MIT
// The browser side of probeWebGl (a real context on SwiftShader) is tested in auto.browser.test.ts.
import { describe, expect, it } from 'vitest';
import { probeWebGl } from '../../src/backend/webglRenderer.js';

describe('probeWebGl in Node', () => {
  it('says that WebGL needs a browser', () => {
    expect(probeWebGl()).toEqual({ available: false, reason: 'WebGL needs a browser' });
  });
});
