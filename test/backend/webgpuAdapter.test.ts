// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD, adapterFacts, getGpu } from '../../src/backend/webgpuAdapter.js';

/** An adapter-shaped object, for the vendors this machine has no hardware of. */
function fakeAdapter(info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }): GPUAdapter {
  const limits = { maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 1 << 31, maxComputeWorkgroupSizeX: 1024 };
  return { info: { vendor: '', architecture: '', description: '', device: '', ...info }, limits } as unknown as GPUAdapter;
}

describe('getGpu in Node', () => {
  let gpu: GPU | null = null;
  let reason = '';
  beforeAll(async () => {
    ({ gpu, reason } = await getGpu());
    if (gpu === null) console.warn(`skipping Dawn adapter tests: ${reason}`);
  });

  it("loads Dawn from the 'webgpu' package and installs navigator.gpu and the GPU* globals", async () => {
    expect(gpu, reason).not.toBeNull();
    expect(reason).toBe('Dawn (webgpu package)');
    const g = globalThis as { navigator?: { gpu?: GPU }; GPUBufferUsage?: { STORAGE: number }; GPUMapMode?: object };
    expect(g.navigator?.gpu).toBe(gpu);
    expect(g.GPUBufferUsage?.STORAGE).toBeGreaterThan(0);
    expect(g.GPUMapMode).toBeDefined();
    // Once navigator.gpu is there, later calls find it.
    const again = await getGpu();
    expect(again.gpu).toBe(gpu);
    expect(again.reason).toBe('navigator.gpu');
  });

  it('adds the SwiftShader Vulkan driver when the environment names no driver', (ctx) => {
    if (!existsSync(SWIFTSHADER_ICD)) ctx.skip(`${SWIFTSHADER_ICD} is not installed`);
    // Either the user chose the drivers, or getGpu added SwiftShader without hiding others.
    if (process.env.VK_ICD_FILENAMES === undefined) {
      expect(process.env.VK_ADD_DRIVER_FILES).toBeDefined();
      if (process.env.VK_ADD_DRIVER_FILES === SWIFTSHADER_ICD) expect(process.env.VK_ICD_FILENAMES).toBeUndefined();
    }
  });

  it('adapterFacts reads the SwiftShader adapter as software, with its limits', async (ctx) => {
    if (gpu === null) ctx.skip(`no GPU object: ${reason}`);
    const adapter = await gpu!.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) ctx.skip('Dawn found no adapter');
    const facts = adapterFacts(adapter!);
    expect(facts.vendor).toBe('google');
    expect(facts.architecture).toBe('swiftshader');
    expect(facts.description).toMatch(/SwiftShader/i);
    expect(facts.isSoftware).toBe(true);
    expect(facts.maxStorageBufferBindingSize).toBe(adapter!.limits.maxStorageBufferBindingSize);
    expect(facts.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    expect(facts.maxBufferSize).toBeGreaterThanOrEqual(facts.maxStorageBufferBindingSize);
    expect(facts.maxComputeWorkgroupSizeX).toBeGreaterThanOrEqual(256);
  });
});

// This machine has only SwiftShader, so the other vendors are adapter-shaped objects.
describe('adapterFacts classification', () => {
  it('a hardware adapter is not software', () => {
    const facts = adapterFacts(fakeAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA RTX A4000' }));
    expect(facts).toMatchObject({ vendor: 'nvidia', architecture: 'ampere', isSoftware: false });
    expect(facts.maxStorageBufferBindingSize).toBe(1 << 30);
    expect(facts.maxBufferSize).toBe(1 << 31);
    expect(facts.maxComputeWorkgroupSizeX).toBe(1024);
  });

  it('llvmpipe, lavapipe and WARP are software, by any of the name fields', () => {
    expect(adapterFacts(fakeAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).isSoftware).toBe(true);
    expect(adapterFacts(fakeAdapter({ vendor: 'mesa', device: 'lavapipe' })).isSoftware).toBe(true);
    expect(adapterFacts(fakeAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver (WARP)' })).isSoftware).toBe(true);
  });

  it('an adapter flagged isFallbackAdapter is software whatever its name', () => {
    expect(adapterFacts(fakeAdapter({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: true })).isSoftware).toBe(true);
  });

  it('missing adapter info gives empty strings, not undefined', () => {
    const adapter = { limits: fakeAdapter({}).limits } as unknown as GPUAdapter;
    expect(adapterFacts(adapter)).toMatchObject({ vendor: '', architecture: '', description: '', isSoftware: false });
  });
});
