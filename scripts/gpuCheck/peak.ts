// SPDX-License-Identifier: MIT
/**
 * The card's own limits, measured once per run with two plain WGSL programs on the raw device:
 * an FMA loop (4 independent vec4 chains per thread, 2 flops per lane per FMA) for the float32
 * rate, and a vec4 copy between two storage buffers for the memory bandwidth (bytes read plus
 * written). Every workload is then set against them.
 */
import { timeIt } from './timing.js';

/** What the card did on the two programs. */
export interface Peak {
  /** float32 FLOP/s of the FMA loop. */
  flops: number;
  /** Bytes/s (read + written) of the copy. */
  bytesPerSecond: number;
  /** Bytes of the buffer copied. */
  copyBytes: number;
}

const WG = 256;

function fmaShader(iters: number): string {
  return `
@group(0) @binding(0) var<storage, read_write> out : array<vec4<f32>>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nw : vec3<u32>) {
  let i = gid.x + gid.y * nw.x * ${WG}u;
  var a = vec4<f32>(f32(i) * 1e-9);
  var b = a + vec4<f32>(0.5);
  var c = a + vec4<f32>(0.25);
  var e = a + vec4<f32>(0.125);
  let m = vec4<f32>(0.9999999);
  let p = vec4<f32>(1e-7);
  for (var j = 0u; j < ${iters}u; j++) {
    a = fma(a, m, p);
    b = fma(b, m, p);
    c = fma(c, m, p);
    e = fma(e, m, p);
  }
  out[i] = a + b + c + e;
}`;
}

const COPY_SHADER = `
@group(0) @binding(0) var<storage, read> src : array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst : array<vec4<f32>>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nw : vec3<u32>) {
  let stride = nw.x * nw.y * ${WG}u;
  for (var i = gid.x + gid.y * nw.x * ${WG}u; i < arrayLength(&src); i += stride) {
    dst[i] = src[i];
  }
}`;

async function runOnce(device: GPUDevice, code: string, buffers: GPUBuffer[], groups: [number, number]): Promise<() => Promise<void>> {
  const module = device.createShaderModule({ code });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  return async () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(groups[0], groups[1]);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
}

/**
 * Measures the FMA rate (iterations doubled until one call takes at least `minMs`) and the copy
 * bandwidth of a buffer of `copyBytes` (cut to the device's binding limit).
 */
export async function measurePeak(device: GPUDevice, o: { threads: number; copyBytes: number; minMs: number }): Promise<Peak> {
  const groups: [number, number] = [Math.min(o.threads / WG, 32768), Math.max(1, Math.ceil(o.threads / WG / 32768))];
  const threads = groups[0] * groups[1] * WG;
  const out = device.createBuffer({ size: threads * 16, usage: GPUBufferUsage.STORAGE });
  let flops = 0;
  try {
    for (let iters = 16; ; iters *= 2) {
      const run = await runOnce(device, fmaShader(iters), [out], groups);
      const t = await timeIt(run, { warmup: 1, reps: 5 });
      flops = (threads * iters * 4 * 4 * 2) / (t.ms / 1000);
      if (t.ms >= o.minMs || iters >= 1 << 20) break;
    }
  } finally {
    out.destroy();
  }
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const size = Math.floor(Math.min(o.copyBytes, limit) / 16) * 16;
  const src = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  try {
    const run = await runOnce(device, COPY_SHADER, [src, dst], [4096, 1]);
    const t = await timeIt(run, { warmup: 2, reps: 7 });
    return { flops, bytesPerSecond: (2 * size) / (t.ms / 1000), copyBytes: size };
  } finally {
    src.destroy();
    dst.destroy();
  }
}
