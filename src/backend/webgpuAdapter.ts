// SPDX-License-Identifier: MIT
/**
 * Finding a WebGPU adapter: the browser's `navigator.gpu`, or in Node Dawn's binding from the
 * `webgpu` package. On Debian machines with Chromium installed, SwiftShader's Vulkan driver is
 * added to the drivers Dawn may use (VK_ADD_DRIVER_FILES adds it without hiding real GPUs), so
 * WebGPU code can be proven correct on machines with no GPU. SwiftShader is reported as a
 * software adapter and never chosen by 'auto'.
 */

/** Where Debian's `chromium` package puts SwiftShader's Vulkan ICD manifest. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** What a kernel needs to know about the adapter. */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  description: string;
  /** True for CPU emulations (SwiftShader, WARP, lavapipe): correct but not fast. */
  isSoftware: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupSizeX: number;
}

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

let nodeGpu: GPU | null | undefined;

/**
 * The `GPU` object of this environment, installing Dawn's globals into Node on first use.
 * Returns null (with the reason) where there is none.
 */
export async function getGpu(): Promise<{ gpu: GPU | null; reason: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, reason: 'navigator.gpu' };
  if (!isNode) return { gpu: null, reason: 'this browser has no navigator.gpu' };
  if (nodeGpu === undefined) {
    try {
      const fs = await import('node:fs');
      if (
        process.env.VK_ICD_FILENAMES === undefined &&
        process.env.VK_ADD_DRIVER_FILES === undefined &&
        fs.existsSync(SWIFTSHADER_ICD)
      ) {
        process.env.VK_ADD_DRIVER_FILES = SWIFTSHADER_ICD;
      }
      const dawn = (await import('webgpu')) as unknown as {
        create: (flags: string[]) => GPU;
        globals: Record<string, unknown>;
      };
      Object.assign(globalThis, dawn.globals);
      nodeGpu = dawn.create([]);
    } catch (err) {
      nodeGpu = null;
      return { gpu: null, reason: `the 'webgpu' package (Dawn) did not load: ${String(err)}` };
    }
  }
  if (nodeGpu === null) return { gpu: null, reason: "the 'webgpu' package (Dawn) did not load" };
  // tfjs-backend-webgpu reads navigator.gpu when it is imported and when it starts.
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: nodeGpu }, configurable: true, writable: true });
  } else if (g.navigator.gpu === undefined) {
    Object.defineProperty(g.navigator, 'gpu', { value: nodeGpu, configurable: true });
  }
  return { gpu: nodeGpu, reason: 'Dawn (webgpu package)' };
}

/** Reads the facts kernels need from an adapter. */
export function adapterFacts(adapter: GPUAdapter): AdapterFacts {
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const description = info?.description ?? '';
  const fallbackFlag =
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    false;
  const softwareName = /swiftshader|llvmpipe|lavapipe|warp|software/i.test(
    `${vendor} ${architecture} ${description} ${info?.device ?? ''}`,
  );
  return {
    vendor,
    architecture,
    description,
    isSoftware: fallbackFlag || softwareName,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
  };
}
