// SPDX-License-Identifier: MIT
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD, adapterFacts, getGpu, quietDawnEnvironment } from '../../src/backend/webgpuAdapter.js';

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
    expect(facts.softwareName).toBe('SwiftShader');
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
    expect(facts).toMatchObject({ vendor: 'nvidia', architecture: 'ampere', isSoftware: false, softwareName: null });
    expect(facts.maxStorageBufferBindingSize).toBe(1 << 30);
    expect(facts.maxBufferSize).toBe(1 << 31);
    expect(facts.maxComputeWorkgroupSizeX).toBe(1024);
  });

  it('llvmpipe, lavapipe and WARP are software, by any of the name fields', () => {
    expect(adapterFacts(fakeAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toMatchObject({ isSoftware: true, softwareName: 'llvmpipe' });
    expect(adapterFacts(fakeAdapter({ vendor: 'mesa', device: 'lavapipe' }))).toMatchObject({ isSoftware: true, softwareName: 'lavapipe' });
    expect(adapterFacts(fakeAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver (WARP)' }))).toMatchObject({
      isSoftware: true,
      softwareName: 'Microsoft Basic Render Driver',
    });
  });

  it('an adapter flagged isFallbackAdapter is software whatever its name', () => {
    expect(adapterFacts(fakeAdapter({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: true }))).toMatchObject({
      isSoftware: true,
      softwareName: 'a fallback adapter',
    });
  });

  it('missing adapter info gives empty strings, not undefined', () => {
    const adapter = { limits: fakeAdapter({}).limits } as unknown as GPUAdapter;
    expect(adapterFacts(adapter)).toMatchObject({ vendor: '', architecture: '', description: '', isSoftware: false });
  });
});

describe('quietDawnEnvironment', () => {
  const tmp = (): string => mkdtempSync(join(tmpdir(), 'segments-quiet-test-'));

  it('gives an unset XDG_RUNTIME_DIR a private new folder and disables lavapipe when no driver list was chosen', () => {
    const root = tmp();
    const env: Record<string, string | undefined> = {};
    expect(quietDawnEnvironment(env, fs, root)).toEqual(['XDG_RUNTIME_DIR', 'VK_LOADER_DRIVERS_DISABLE']);
    expect(env.XDG_RUNTIME_DIR?.startsWith(join(root, 'segments-xdg-'))).toBe(true);
    const st = statSync(env.XDG_RUNTIME_DIR as string);
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o700);
    expect(env.VK_LOADER_DRIVERS_DISABLE).toBe('*lvp_icd*');
    rmSync(root, { recursive: true });
  });

  it('replaces an XDG_RUNTIME_DIR that is not a folder, and keeps one that is', () => {
    const root = tmp();
    const missing = { XDG_RUNTIME_DIR: join(root, 'gone'), VK_ICD_FILENAMES: '/x.json' };
    expect(quietDawnEnvironment(missing, fs, root)).toEqual(['XDG_RUNTIME_DIR']);
    expect(missing.XDG_RUNTIME_DIR).not.toBe(join(root, 'gone'));
    const good = { XDG_RUNTIME_DIR: root, VK_LOADER_DRIVERS_DISABLE: '*radeon*' };
    expect(quietDawnEnvironment(good, fs, root)).toEqual([]);
    expect(good).toEqual({ XDG_RUNTIME_DIR: root, VK_LOADER_DRIVERS_DISABLE: '*radeon*' });
    rmSync(root, { recursive: true });
  });

  it('leaves the Vulkan drivers alone when the user chose them', () => {
    for (const name of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_LOADER_DRIVERS_SELECT']) {
      const env: Record<string, string | undefined> = { XDG_RUNTIME_DIR: tmpdir(), [name]: 'chosen' };
      expect(quietDawnEnvironment(env, fs, tmpdir())).toEqual([]);
      expect(env.VK_LOADER_DRIVERS_DISABLE).toBeUndefined();
    }
  });
});

const vulkanLoader = (() => {
  try {
    return execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
})();
const noSwiftShader = !existsSync(SWIFTSHADER_ICD) || !vulkanLoader;
if (noSwiftShader) console.warn(`skipping the quiet-probe test: needs libvulkan1 and ${SWIFTSHADER_ICD} (apt-get install -y chromium libvulkan1)`);

describe.skipIf(noSwiftShader)('probing WebGPU in a fresh process', () => {
  // Before quietDawnEnvironment, this printed "error: XDG_RUNTIME_DIR is invalid or not set in
  // the environment." twice and Dawn's lavapipe warning with a C++ source line, with XDG_RUNTIME_DIR
  // unset as under cron, systemd services and docker.
  it("initBackend('auto') and a device on SwiftShader print nothing on stderr with XDG_RUNTIME_DIR unset", async () => {
    const backend = fileURLToPath(new URL('../../src/backend/backend.ts', import.meta.url));
    const script = [
      `const { initBackend } = await import(${JSON.stringify(backend)});`,
      "const auto = await initBackend('auto');",
      "const gpu = await initBackend('webgpu', { onWarning: () => {} });",
      'console.log(JSON.stringify({ auto: auto.name, gpu: gpu.name, arch: gpu.device.adapter.architecture, xdg: process.env.XDG_RUNTIME_DIR }));',
    ].join('\n');
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of Object.keys(env)) if (name === 'XDG_RUNTIME_DIR' || name.startsWith('VK_')) delete env[name];
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, timeout: 60_000 }, (err, out, errOut) =>
        err !== null ? reject(new Error(`${String(err)}\n${errOut}`)) : resolve({ stdout: out, stderr: errOut }),
      );
    });
    expect(stderr).toBe('');
    const got = JSON.parse(stdout.trim()) as { auto: string; gpu: string; arch: string; xdg: string };
    expect(got).toMatchObject({ auto: 'wasm', gpu: 'webgpu', arch: 'swiftshader' });
    // The private folder is removed when the process exits.
    expect(got.xdg).toMatch(/segments-xdg-/);
    expect(existsSync(got.xdg)).toBe(false);
  });
});
