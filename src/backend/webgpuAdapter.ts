// SPDX-License-Identifier: MIT
/**
 * Finding a WebGPU adapter: the browser's `navigator.gpu`, or in Node Dawn's binding from the
 * `webgpu` package. On Debian machines with Chromium installed, SwiftShader's Vulkan driver is
 * added to the drivers Dawn may use (VK_ADD_DRIVER_FILES adds it without hiding real GPUs), so
 * WebGPU code can be proven correct on machines with no GPU. SwiftShader is reported as a
 * software adapter and never chosen by 'auto'.
 *
 * Dawn and the drivers it loads write to the process's stderr directly, out of reach of
 * `--quiet`: libwayland's "XDG_RUNTIME_DIR is invalid or not set" (twice) when that variable is
 * unset, and Dawn's warning, with its C++ source line, that Mesa's lavapipe lacks a feature it
 * needs. `quietDawnEnvironment` removes both causes before Dawn loads.
 */
import { softwareRendererName } from './software.js';

/** Where Debian's `chromium` package puts SwiftShader's Vulkan ICD manifest. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** What a kernel needs to know about the adapter. */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  description: string;
  /** True for CPU emulations (SwiftShader, WARP, lavapipe): correct but not fast. */
  isSoftware: boolean;
  /** The emulation's name for a user ('SwiftShader', 'a fallback adapter', ...); null on hardware. */
  softwareName: string | null;
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
      const os = await import('node:os');
      quietDawnEnvironment(process.env, fs, os.tmpdir());
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
      nodeGpu = dawn.create(dawnFlags(process.env));
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

/**
 * The flags given to Dawn's `create()` in Node: SEGMENTS_DAWN_FLAGS, split on spaces (none when
 * unset). The `webgpu` package takes, for example, `backend=vulkan`, `adapter=NVIDIA` (an adapter
 * whose name contains it) and `enable-dawn-features=...` (Dawn's toggles). The test suite gives
 * `enable-dawn-features=disable_workgroup_init`: SwiftShader then compiles a program about ten
 * times faster, and a shader that read workgroup memory before writing it would no longer see
 * the zeros WebGPU otherwise guarantees (vitest.config.ts).
 * @example
 * dawnFlags({ SEGMENTS_DAWN_FLAGS: 'backend=vulkan  adapter=NVIDIA' }); // ['backend=vulkan', 'adapter=NVIDIA']
 */
export function dawnFlags(env: Record<string, string | undefined>): string[] {
  return (env.SEGMENTS_DAWN_FLAGS ?? '').split(' ').filter((f) => f !== '');
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
  const softwareName =
    softwareRendererName(`${vendor} ${architecture} ${description} ${info?.device ?? ''}`) ?? (fallbackFlag ? 'a fallback adapter' : null);
  return {
    vendor,
    architecture,
    description,
    isSoftware: softwareName !== null,
    softwareName,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
  };
}

type Fs = Pick<typeof import('node:fs'), 'statSync' | 'mkdtempSync' | 'rmSync'>;

/**
 * Sets, in `env` (the process's environment, read by native code too), what keeps Dawn and the
 * Vulkan drivers from writing to stderr; only what the user left unset:
 * - XDG_RUNTIME_DIR, when unset or not a folder: a private temporary folder (mode 0700, removed
 *   at exit). libwayland, loaded by Mesa's drivers, prints an error twice without it.
 * - VK_LOADER_DRIVERS_DISABLE, when no driver list was chosen: Mesa's lavapipe (`lvp_icd`), a
 *   software driver that Dawn refuses with a warning anyway.
 * Returns the names of the variables it set.
 */
export function quietDawnEnvironment(env: Record<string, string | undefined>, fs: Fs, tmp: string): string[] {
  const set: string[] = [];
  const xdg = env.XDG_RUNTIME_DIR;
  let isDir = false;
  try {
    isDir = xdg !== undefined && xdg !== '' && fs.statSync(xdg).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    const dir = fs.mkdtempSync(`${tmp.replace(/\/$/, '')}/segments-xdg-`);
    env.XDG_RUNTIME_DIR = dir;
    set.push('XDG_RUNTIME_DIR');
    if (typeof process !== 'undefined' && env === process.env) {
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    }
  }
  const chosen = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_LOADER_DRIVERS_SELECT', 'VK_LOADER_DRIVERS_DISABLE'];
  if (chosen.every((name) => env[name] === undefined)) {
    env.VK_LOADER_DRIVERS_DISABLE = '*lvp_icd*';
    set.push('VK_LOADER_DRIVERS_DISABLE');
  }
  return set;
}
