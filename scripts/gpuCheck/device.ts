// SPDX-License-Identifier: MIT
/**
 * Starting the two backends the check compares, through the engine's own `initBackend` (the
 * same start-up code users run): wasm first (our kernels on every core), then WebGPU on the
 * adapter Dawn finds, and switching between them without starting anything again.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, webgpuDeviceInUse, type BackendInfo } from '../../src/backend/backend.js';
import type { AdapterFacts } from '../../src/backend/webgpuAdapter.js';
import { wasmThreadStats } from '../../src/kernels/wasm/threads.js';
import { BackendUnavailableError } from '../../src/errors.js';

/** What the check runs on. */
export interface Devices {
  adapter: AdapterFacts;
  /** The adapter's limits that size the workloads, as Dawn reports them. */
  limits: Record<string, number>;
  /** The raw GPUDevice the tfjs WebGPU backend runs on (the peak programs use it too). */
  device: GPUDevice;
  /** Threads our wasm kernels run on, and why. */
  wasmThreads: number;
  wasmThreadReason: string;
  /** Which Vulkan driver manifest the launcher chose (VK_DRIVER_FILES / VK_ICD_FILENAMES), if any. */
  vulkanDriver: string | null;
  warnings: string[];
}

const LIMIT_NAMES = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

/**
 * Starts wasm, then WebGPU (strict: no fallback, the check is about WebGPU), and leaves WebGPU
 * current. Rejects with a BackendUnavailableError when no WebGPU adapter starts.
 */
export async function startDevices(): Promise<Devices> {
  const warnings: string[] = [];
  const onWarning = (m: string): void => void warnings.push(m);
  await initBackend('wasm', { strict: true, onWarning });
  const stats = wasmThreadStats();
  const info: BackendInfo = await initBackend('webgpu', { strict: true, onWarning });
  const device = webgpuDeviceInUse();
  if (device === null || info.device.adapter === null) throw new BackendUnavailableError('webgpu', 'the WebGPU backend started without a device');
  const limits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) limits[name] = device.limits[name];
  const env = process.env;
  return {
    adapter: info.device.adapter,
    limits,
    device,
    wasmThreads: stats.threads,
    wasmThreadReason: stats.reason,
    vulkanDriver: env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES ?? env.VK_ADD_DRIVER_FILES ?? null,
    warnings,
  };
}

/** The backends the check switches between. */
export type Side = 'webgpu' | 'wasm';

/** Makes `side` tfjs's current backend (both were started by startDevices). */
export async function use(side: Side): Promise<void> {
  if (tf.getBackend() === side) return;
  if (!(await tf.setBackend(side))) throw new BackendUnavailableError(side, 'tfjs could not switch back to it');
  await tf.ready();
}

/** Lines that describe the adapter for a reader; the first says plainly whether it is a GPU. */
export function describeAdapter(d: Devices): string[] {
  const a = d.adapter;
  const head = a.isSoftware
    ? `SOFTWARE ADAPTER: ${a.softwareName} emulates a GPU on the CPU; results are checked, but its timings say nothing about GPU speed`
    : `hardware adapter: ${a.description || `${a.vendor} ${a.architecture}`}`;
  return [
    head,
    `vendor ${a.vendor || '?'}, architecture ${a.architecture || '?'}, description ${a.description || '?'}`,
    `Vulkan driver manifest: ${d.vulkanDriver ?? 'the loader default (system drivers)'}`,
    `limits: ${Object.entries(d.limits).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `wasm kernels on ${d.wasmThreads} thread(s): ${d.wasmThreadReason}`,
    ...d.warnings.map((w) => `warning: ${w}`),
  ];
}
