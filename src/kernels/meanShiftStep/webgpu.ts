// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { meanShiftStepPortable, type MeanShiftKernel, type MeanShiftStepResult, type WeightedBlock } from './portable.js';
import { bindingLimitBytes, noteFallback, runProgram, wgslUniformWorkgroupIndex } from '../webgpu/run.js';
import { programCheckInputs, type ProgramCheck } from '../webgpu/selfCheck.js';

/** Data rows per chunk, one per thread while the kernel weights are computed. */
const ROWS = 256;
/** Seeds per workgroup: a thread holds their 8 dot products, then 8 sums, in two vec4 registers. */
const SEEDS = 8;
/** Features of the seeds held in workgroup memory at once: 128 × 8 floats = 4 KiB. */
const FEATURE_BLOCK = 128;
/** Workgroups worth having in flight; the data chunks are split between workgroups to get there. */
const TARGET_WORKGROUPS = 64;
/** tfjs spreads the x dimension of a dispatch over y and z up to 65535³ workgroups. */
const MAX_WORKGROUPS = 65535 * 65535;

/**
 * One block of a mean-shift step, fused. Workgroup (g, p) takes seeds 8g..8g+7 and the p-th
 * share of the block's chunks of 256 rows. For each chunk:
 *
 * 1. weights: thread r takes row r of the chunk and adds x·s for the 8 seeds into two vec4
 *    registers (the seeds go through workgroup memory 128 features at a time), in feature
 *    order, with ‖x‖²; the squared distance is the portable kernel's expansion
 *    v = (−2·x·s + (‖s‖² − r²)) + ‖x‖² (r = h for the flat kernel, 0 for the Gaussian), and
 *    the 8 kernel weights (flat: v ≤ 0; Gaussian: exp(v · (−1/2h²))), the 8 within-bandwidth
 *    bits and the row weight go to workgroup memory;
 * 2. sums: thread f takes feature f (f = d: the mass, f = d + 1: the count) and adds
 *    Σ_r k_r·(x_rf·w_r) over the chunk's rows in order, for the 8 seeds at once, into its own
 *    output entries (no other invocation touches them: no atomics).
 *
 * The program reads `w` [t] only when `weighted`; the flat or Gaussian profile is a uniform too.
 *
 * Output [splits, s, d + 2] float32: per split, for each seed the d weighted sums, the mass and
 * the count; the splits are added afterwards. Nothing s×t is written. O(s·t·d) work.
 */
export class MeanShiftProgram implements WebGPUProgram {
  outputShape: number[];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [ROWS, 1, 1];
  // The kernel and the weights are uniforms, not variants: one pipeline to compile (slow on SwiftShader).
  variableNames = ['seeds', 'x', 'w'];
  shaderKey = 'segmentsMeanShift';
  uniforms = 'nSeeds : i32, nRows : i32, nFeatures : i32, nSplits : i32, chunksPerSplit : i32, gaussian : i32, weighted : i32, r2 : f32, h2 : f32, negHalfInvH2 : f32,';
  readonly splits: number;
  private readonly chunksPerSplit: number;

  constructor(
    private readonly s: number,
    private readonly t: number,
    private readonly d: number,
    private readonly bandwidth: number,
    private readonly kernel: MeanShiftKernel,
    private readonly weighted: boolean,
  ) {
    ({ splits: this.splits, chunksPerSplit: this.chunksPerSplit } = splitPlan(s, t));
    this.outputShape = [this.splits * s * (d + 2)];
    this.dispatch = [Math.ceil(s / SEEDS) * this.splits, 1, 1];
  }

  /** The uniforms that follow tfjs's own, in the order of `uniforms`; float32 as tf's scalars round them. */
  uniformData(): Array<{ type: 'int32' | 'float32'; data: number[] }> {
    const h2 = this.bandwidth * this.bandwidth;
    const ints = [this.s, this.t, this.d, this.splits, this.chunksPerSplit, this.kernel === 'gaussian' ? 1 : 0, this.weighted ? 1 : 0].map((v) => ({ type: 'int32' as const, data: [v] }));
    const floats = [this.kernel === 'flat' ? h2 : 0, h2, -0.5 / h2].map((v) => ({ type: 'float32' as const, data: [v] }));
    return [...ints, ...floats];
  }

  getUserCode(): string {
    return `
      const MS_ROWS : i32 = ${ROWS};
      const MS_SEEDS : i32 = ${SEEDS};
      const MS_FB : i32 = ${FEATURE_BLOCK};

      var<workgroup> msSeeds : array<vec4<f32>, ${(FEATURE_BLOCK * SEEDS) / 4}>;
      var<workgroup> msShift : array<f32, ${SEEDS}>;
      var<workgroup> msK : array<vec4<f32>, ${(ROWS * SEEDS) / 4}>;
      var<workgroup> msInside : array<u32, ${ROWS}>;
      var<workgroup> msRowW : array<f32, ${ROWS}>;
      var<workgroup> msGroup : i32;

      fn main(index : i32) {
        let s = uniforms.nSeeds;
        let t = uniforms.nRows;
        let d = uniforms.nFeatures;
        let lid = i32(localIndex);
        // The split decides the loop bounds around barriers: it must be uniform.
        ${wgslUniformWorkgroupIndex('group', 'msGroup')}
        let seedBlock = group / uniforms.nSplits;
        let split = group - seedBlock * uniforms.nSplits;
        let seed0 = seedBlock * MS_SEEDS;
        let width = d + 2;
        // ‖s‖² − r² per seed, the constant term of the expansion.
        if (lid < MS_SEEDS) {
          var ss = 0.0;
          if (seed0 + lid < s) {
            for (var f = 0; f < d; f++) {
              let v = seeds[(seed0 + lid) * d + f];
              ss = ss + v * v;
            }
          }
          msShift[lid] = ss - uniforms.r2;
        }
        let nChunks = (t + MS_ROWS - 1) / MS_ROWS;
        let chunkFrom = split * uniforms.chunksPerSplit;
        let chunkTo = min(nChunks, chunkFrom + uniforms.chunksPerSplit);
        for (var chunk = chunkFrom; chunk < chunkTo; chunk++) {
          let rowStart = chunk * MS_ROWS;
          let nValid = min(MS_ROWS, t - rowStart);
          let row = rowStart + lid;
          let valid = lid < nValid && seed0 < s;
          var dot0 = vec4<f32>(0.0);
          var dot1 = vec4<f32>(0.0);
          var xx = 0.0;
          for (var f0 = 0; f0 < d; f0 += MS_FB) {
            let fb = min(MS_FB, d - f0);
            workgroupBarrier();
            for (var e = lid; e < MS_SEEDS * fb; e += MS_ROWS) {
              let j = e / fb;
              let f = e - j * fb;
              var v = 0.0;
              if (seed0 + j < s) {
                v = seeds[(seed0 + j) * d + f0 + f];
              }
              msSeeds[2 * f + j / 4][j % 4] = v;
            }
            workgroupBarrier();
            if (valid) {
              for (var f = 0; f < fb; f++) {
                let xs = x[row * d + f0 + f];
                xx = xx + xs * xs;
                let xv = vec4<f32>(xs);
                dot0 = dot0 + xv * msSeeds[2 * f];
                dot1 = dot1 + xv * msSeeds[2 * f + 1];
              }
            }
          }
          var k0 = vec4<f32>(0.0);
          var k1 = vec4<f32>(0.0);
          var bits = 0u;
          var rowW = 0.0;
          if (valid) {
            rowW = 1.0;
            if (uniforms.weighted != 0) {
              rowW = w[row];
            }
            for (var j = 0; j < MS_SEEDS; j++) {
              var dot = dot1[j % 4];
              if (j < 4) {
                dot = dot0[j];
              }
              let v = (-2.0 * dot + msShift[j]) + xx;
              var inside = v <= 0.0;
              var kv = select(0.0, 1.0, inside);
              if (uniforms.gaussian != 0) {
                inside = v - uniforms.h2 <= 0.0;
                kv = exp(v * uniforms.negHalfInvH2);
              }
              if (inside) {
                bits = bits | (1u << u32(j));
              }
              if (j < 4) {
                k0[j] = kv;
              } else {
                k1[j - 4] = kv;
              }
            }
          }
          msK[2 * lid] = k0;
          msK[2 * lid + 1] = k1;
          msInside[lid] = bits;
          msRowW[lid] = rowW;
          workgroupBarrier();
          if (seed0 < s) {
            for (var f = lid; f < width; f += MS_ROWS) {
              var sum0 = vec4<f32>(0.0);
              var sum1 = vec4<f32>(0.0);
              for (var r = 0; r < nValid; r++) {
                var v = vec4<f32>(msRowW[r]);
                var u = v;
                if (f < d) {
                  v = vec4<f32>(x[(rowStart + r) * d + f] * msRowW[r]);
                  u = v;
                } else if (f == d + 1) {
                  let m = msInside[r];
                  v = v * vec4<f32>(vec4<u32>(m, m >> 1u, m >> 2u, m >> 3u) & vec4<u32>(1u));
                  u = u * vec4<f32>(vec4<u32>(m >> 4u, m >> 5u, m >> 6u, m >> 7u) & vec4<u32>(1u));
                  sum0 = sum0 + v;
                  sum1 = sum1 + u;
                  continue;
                }
                sum0 = sum0 + msK[2 * r] * v;
                sum1 = sum1 + msK[2 * r + 1] * u;
              }
              for (var j = 0; j < MS_SEEDS; j++) {
                if (seed0 + j < s) {
                  let at = (split * s + seed0 + j) * width + f;
                  var add = sum1[j % 4];
                  if (j < 4) {
                    add = sum0[j];
                  }
                  if (chunk == chunkFrom) {
                    result[at] = add;
                  } else {
                    result[at] = result[at] + add;
                  }
                }
              }
            }
          }
          workgroupBarrier();
        }
      }
    `;
  }
}

/** Splits of a block's chunks between workgroups: enough workgroups, none without chunks. */
function splitPlan(s: number, t: number): { splits: number; chunksPerSplit: number } {
  const seedBlocks = Math.ceil(s / SEEDS);
  const chunks = Math.ceil(t / ROWS);
  const wanted = Math.max(1, Math.min(chunks, Math.ceil(TARGET_WORKGROUPS / seedBlocks)));
  const chunksPerSplit = Math.max(1, Math.ceil(chunks / wanted));
  return { splits: Math.max(1, Math.ceil(chunks / chunksPerSplit)), chunksPerSplit };
}

/**
 * Why the WGSL program cannot take `s` seeds against data blocks of `blockRows` rows with `d`
 * features under a binding limit of `limitBytes`, or null when it can.
 */
export function meanShiftStepWebgpuSupport(s: number, blockRows: readonly number[], d: number, limitBytes = bindingLimitBytes()): string | null {
  if (s < 1 || d < 1) return `empty input (s=${s}, d=${d})`;
  if (4 * s * d > limitBytes) return `the ${s}×${d} seeds are over the ${limitBytes}-byte binding limit`;
  for (const t of blockRows) {
    if (4 * t * d > limitBytes) return `a data block of ${t}×${d} floats is over the ${limitBytes}-byte binding limit`;
    const { splits } = splitPlan(s, t);
    const out = 4 * splits * s * (d + 2);
    if (out > limitBytes) return `the partial sums (${splits} × ${s}×${d + 2} floats) are over the ${limitBytes}-byte binding limit`;
    if (Math.ceil(s / SEEDS) * splits > MAX_WORKGROUPS) return `s=${s} seeds need more than ${MAX_WORKGROUPS} workgroups`;
  }
  return null;
}


/**
 * `meanShiftStep` for the tfjs 'webgpu' backend, fused in WGSL (MeanShiftProgram): for each of
 * the seeds `seeds` [s, d], the kernel-weighted mean of the rows of `blocks` (flat: the rows
 * within `bandwidth`; Gaussian: all rows weighted by exp(−‖x − s‖²/2h²); times the row weights),
 * the (weighted) number of rows within the bandwidth and the summed weight, as the portable
 * kernel returns them: means [s, d] (a seed with zero mass keeps its place), counts [s], mass [s].
 * Kernel weights, sums, mass and counts stay in registers and workgroup memory; per block the
 * program writes partial sums per split of the block, added with tf.sum. Nothing s×t is
 * written. O(s·n·d) work.
 *
 * The within-bandwidth test is the portable kernel's float32 expansion, summed in feature
 * order where the portable matMul may sum in another: the two can differ only for a row whose
 * squared distance is within float32 rounding of h². Shapes beyond the binding limit run the
 * portable kernel, with the reason recorded (`webgpuFallbacks`).
 *
 * Reference: Comaniciu & Meer, "Mean shift: a robust approach toward feature space analysis" (2002).
 */
export function meanShiftStepWebgpu(seeds: tf.Tensor2D, blocks: readonly WeightedBlock[], bandwidth: number, kernel: MeanShiftKernel): MeanShiftStepResult {
  const [s, d] = seeds.shape;
  const used = blocks.filter((b) => b.x.shape[0] > 0);
  const reason = meanShiftStepWebgpuSupport(s, used.map((b) => b.x.shape[0]), d);
  if (reason !== null) {
    noteFallback('meanShiftStep', reason);
    return meanShiftStepPortable(seeds, blocks, bandwidth, kernel);
  }
  return tf.tidy(() => {
    let total: tf.Tensor2D = tf.zeros([s, d + 2]);
    for (const block of used) {
      // One tidy per block, so only one block's partial sums are alive at a time.
      const next = tf.tidy(() => {
        const t = block.x.shape[0];
        const program = new MeanShiftProgram(s, t, d, bandwidth, kernel, Boolean(block.weights));
        // Without weights the program reads none: the data, flattened, stands in for the binding.
        const inputs = [seeds, block.x, block.weights ?? tf.reshape(block.x, [-1])];
        const parts = runProgram('meanShiftStep', program, inputs, 'float32', program.uniformData());
        const sums = program.splits === 1 ? tf.reshape(parts, [s, d + 2]) : tf.sum(tf.reshape(parts, [program.splits, s, d + 2]), 0);
        return tf.add(total, sums) as tf.Tensor2D;
      });
      total.dispose();
      total = next;
    }
    const sums = tf.slice(total, [0, 0], [s, d]);
    const mass = tf.reshape(tf.slice(total, [0, d], [s, 1]), [s]) as tf.Tensor1D;
    const counts = tf.reshape(tf.slice(total, [0, d + 1], [s, 1]), [s]) as tf.Tensor1D;
    const m = tf.reshape(mass, [-1, 1]);
    const positive = tf.greater(m, 0);
    // Divide by 1 where the mass is 0, so no NaN is formed even in the branch not taken.
    const means = tf.where(positive, tf.div(sums, tf.where(positive, m, tf.onesLike(m))), seeds) as tf.Tensor2D;
    return { means, counts, mass };
  });
}

/** Known-answer checks of the four variants: flat and gaussian, without and with weights (see ../webgpu/selfCheck.ts). */
export function meanShiftStepChecks(): ProgramCheck[] {
  const { x, centers, weights } = programCheckInputs;
  const step = (r: MeanShiftStepResult): tf.Tensor[] => [r.means, r.counts, r.mass];
  const checks: ProgramCheck[] = [];
  for (const kernel of ['flat', 'gaussian'] as const) {
    for (const w of [null, 'weights']) {
      const blocks = () => [{ x: x(), weights: w ? weights() : null }];
      checks.push({
        name: `meanShiftStep (${kernel}, ${w ?? 'unit weights'})`,
        wgsl: () => tf.tidy(() => step(meanShiftStepWebgpu(centers(), blocks(), 2, kernel))),
        portable: () => tf.tidy(() => step(meanShiftStepPortable(centers(), blocks(), 2, kernel))),
      });
    }
  }
  return checks;
}
