// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { softwareRendererName } from '../../src/backend/software.js';

describe('softwareRendererName', () => {
  it('names the software renderers from the strings browsers and Dawn report', () => {
    // Chromium's WebGL renderer on SwiftShader, and Dawn's WebGPU adapter description.
    expect(softwareRendererName('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe('SwiftShader');
    expect(softwareRendererName('google swiftshader SwiftShader driver 5.0.0')).toBe('SwiftShader');
    expect(softwareRendererName('Mesa llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRendererName('mesa lavapipe')).toBe('lavapipe');
    expect(softwareRendererName('Mesa softpipe')).toBe('softpipe');
    expect(softwareRendererName('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe('Microsoft Basic Render Driver');
    expect(softwareRendererName('microsoft WARP')).toBe('WARP');
    expect(softwareRendererName('Some Software Rasterizer')).toBe('a software renderer');
  });

  it('gives null for hardware GPUs and for nothing', () => {
    expect(softwareRendererName('ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBeNull();
    expect(softwareRendererName('Apple M2 Pro')).toBeNull();
    expect(softwareRendererName('AMD Radeon RX 7900 XTX (radeonsi, navi31, LLVM 15.0.7)')).toBeNull();
    expect(softwareRendererName('intel gen-12lp Intel(R) UHD Graphics 770')).toBeNull();
    expect(softwareRendererName('')).toBeNull();
  });
});
