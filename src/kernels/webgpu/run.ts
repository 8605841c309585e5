// SPDX-License-Identifier: MIT
/**
 * What our WGSL kernels share: running a program on the tfjs WebGPU backend's own device and
 * buffers (`runWebGPUProgram`, so inputs are the tensors as they are and the output is an
 * ordinary tensor), the binding limit programs are sized against, and the record of calls that
 * fell back to the portable kernel, with the reason.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { deviceFacts } from '../../backend/backend.js';
import { BackendUnavailableError } from '../../errors.js';

/** Threads per workgroup that every program here stays within (WebGPU's guaranteed minimum is 256). */
export const MAX_WORKGROUP_THREADS = 256;
/** Bytes of var<workgroup> memory a program may declare (WebGPU guarantees 16 KiB). */
export const WORKGROUP_STORAGE_BYTES = 16 * 1024;

/** WGSL: the index of this workgroup in a dispatch of up to three dimensions, as an i32. */
export const WGSL_WORKGROUP_INDEX = 'i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)';

/**
 * WGSL statements that set `name` (an i32) to the workgroup's index, made uniform for the
 * analysis (it decides loop bounds around barriers): the workgroup variable `slot`, declared by
 * the program, is written by thread 0 and read with workgroupUniformLoad.
 */
export function wgslUniformWorkgroupIndex(name: string, slot: string): string {
  return `if (i32(localIndex) == 0) {
          ${slot} = ${WGSL_WORKGROUP_INDEX};
        }
        let ${name} = workgroupUniformLoad(&${slot});`;
}

/** A uniform value passed after the ones tfjs adds itself (NaN, Infinity, shapes, strides). */
export interface ProgramUniform {
  type: 'int32' | 'float32';
  data: number[];
}

/** The tfjs WebGPU backend that is current; throws when another backend is. */
export function webgpuBackend(fn: string): WebGPUBackend {
  if (tf.getBackend() !== 'webgpu') {
    throw new BackendUnavailableError('webgpu', `${fn}: the WebGPU kernel was called while '${tf.getBackend()}' is the current backend`);
  }
  return tf.backend() as unknown as WebGPUBackend;
}

/**
 * Runs `program` on the current WebGPU backend with `inputs` bound in the order of
 * `program.variableNames`, and returns its output as a tensor (tracked by tf.tidy like any other).
 */
export function runProgram(
  fn: string,
  program: WebGPUProgram,
  inputs: tf.Tensor[],
  dtype: 'float32' | 'int32',
  uniforms: ProgramUniform[],
): tf.Tensor {
  const info = webgpuBackend(fn).runWebGPUProgram(program, inputs, dtype, uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

let bindingLimitOverride: number | null = null;

/**
 * Caps the bytes one buffer binding of our WGSL programs may take, below the device's own
 * maxStorageBufferBindingSize (null: the device limit). Shapes beyond the cap run the portable
 * kernel instead; tests use a small cap to reach that boundary without gigabytes of data.
 */
export function setWebgpuBindingLimit(bytes: number | null): void {
  bindingLimitOverride = bytes;
}

/** Bytes one binding may take: the device limit, or the cap set by setWebgpuBindingLimit. */
export function bindingLimitBytes(): number {
  const device = deviceFacts().maxStorageBufferBindingSize;
  return bindingLimitOverride === null ? device : Math.min(device, bindingLimitOverride);
}

/** One call that ran the portable kernel because the WGSL program does not take its shapes. */
export interface WebgpuFallback {
  kernel: string;
  reason: string;
}

const fallbacks: WebgpuFallback[] = [];
const MAX_KEPT = 100;

/** Records a fallback (the latest MAX_KEPT are kept). */
export function noteFallback(kernel: string, reason: string): void {
  fallbacks.push({ kernel, reason });
  if (fallbacks.length > MAX_KEPT) fallbacks.shift();
}

/** The calls that fell back to the portable kernel, oldest first; `clear` empties the record. */
export function webgpuFallbacks(clear = false): WebgpuFallback[] {
  const out = fallbacks.slice();
  if (clear) fallbacks.length = 0;
  return out;
}
