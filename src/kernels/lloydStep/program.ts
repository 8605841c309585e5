// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { REDUCTION_RUN } from '../shared/tiling.js';
import { WGSL_WORKGROUP_INDEX, bindingLimitBytes, runProgram } from '../webgpu/run.js';

/** Rows per workgroup, one per thread: a workgroup's rows are one run of the sums. */
export const ROWS = REDUCTION_RUN;
/** Centers whose distances a thread accumulates at once (two vec4 registers). */
const CENTER_BLOCK = 8;
/** Features of a center block held in workgroup memory at once: 256 × 8 floats = 8 KiB. */
const FEATURE_BLOCK = 256;
/** Labels and row numbers share one u32 sort key, label << 8 | row: labels need 24 bits. */
const MAX_K = 2 ** 24 - 1;

/**
 * The fused Lloyd program. Each workgroup takes one run of 256 rows, one row per thread.
 *
 * Assignment: centers go through workgroup memory in blocks of 8 centers × 256 features; each
 * thread adds (x − c)² for its row into two vec4 accumulators, feature by feature in order, so a
 * distance is the direct Σ(x − c)² (no cancellation, 0 on a center); centers are compared in
 * increasing index with a strict `<`, so the lowest index wins a tie.
 *
 * Sums (when `withSums`): the 256 (label, row) keys are sorted in workgroup memory (a bitonic
 * network: 36 compare-exchange steps), so each cluster's rows are a contiguous range found by
 * binary search; thread e then adds the rows of cluster e / (d + 1) for feature e mod (d + 1)
 * (0: the weight), in row order, and writes that run's partial. Work O(256·(d + 1)) per
 * workgroup plus the k·(d + 1) outputs; no atomics, no float reductions across workgroups.
 *
 * Output, one float32 buffer: labels [t] (as exact floats), distances [t], then with sums
 * counts [runs, k] and sums [runs, k, d]. Nothing t×k.
 */
export class LloydStepProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number] = [ROWS, 1, 1];
  uniforms = 'nRows : i32, nFeatures : i32, nCenters : i32, nRuns : i32,';

  constructor(
    private readonly t: number,
    private readonly k: number,
    private readonly d: number,
    private readonly withSums: boolean,
    private readonly withWeights: boolean,
  ) {
    const runs = Math.ceil(t / ROWS);
    this.outputShape = [outputLength(t, k, d, withSums)];
    this.dispatch = [runs, 1, 1];
    this.variableNames = withWeights ? ['x', 'centers', 'w'] : ['x', 'centers'];
    this.shaderKey = `segmentsLloydStep_${withSums ? 'sums' : 'assign'}_${withWeights ? 'w' : 'unit'}`;
  }

  /** The uniforms that follow tfjs's own, in the order of `uniforms`. */
  uniformData(): Array<{ type: 'int32'; data: number[] }> {
    return [this.t, this.d, this.k, Math.ceil(this.t / ROWS)].map((v) => ({ type: 'int32', data: [v] }));
  }

  getUserCode(): string {
    const assign = `
      const LS_ROWS : i32 = ${ROWS};
      const LS_CB : i32 = ${CENTER_BLOCK};
      const LS_FB : i32 = ${FEATURE_BLOCK};
      const LS_NONE : u32 = 0xffffffffu;

      var<workgroup> lsCenters : array<vec4<f32>, ${(FEATURE_BLOCK * CENTER_BLOCK) / 4}>;
      ${this.withSums ? `var<workgroup> lsKeys : array<u32, ${ROWS}>;\n      var<workgroup> lsWeights : array<f32, ${ROWS}>;` : ''}

      ${this.withSums ? LOWER_BOUND : ''}

      fn main(index : i32) {
        let t = uniforms.nRows;
        let d = uniforms.nFeatures;
        let k = uniforms.nCenters;
        let runs = uniforms.nRuns;
        let lid = i32(localIndex);
        // tfjs spreads more than 65535 workgroups over y and z.
        let run = ${WGSL_WORKGROUP_INDEX};
        let row = run * LS_ROWS + lid;
        let valid = run < runs && row < t;
        let xBase = row * d;
        var best = 0;
        var bestDist = uniforms.INFINITY;
        for (var c0 = 0; c0 < k; c0 += LS_CB) {
          var acc0 = vec4<f32>(0.0);
          var acc1 = vec4<f32>(0.0);
          for (var f0 = 0; f0 < d; f0 += LS_FB) {
            let fb = min(LS_FB, d - f0);
            workgroupBarrier();
            for (var e = lid; e < LS_CB * fb; e += LS_ROWS) {
              let j = e / fb;
              let f = e - j * fb;
              var v = 0.0;
              if (c0 + j < k) {
                v = centers[(c0 + j) * d + f0 + f];
              }
              lsCenters[2 * f + j / 4][j % 4] = v;
            }
            workgroupBarrier();
            if (valid) {
              for (var f = 0; f < fb; f++) {
                let xv = vec4<f32>(x[xBase + f0 + f]);
                let e0 = xv - lsCenters[2 * f];
                let e1 = xv - lsCenters[2 * f + 1];
                acc0 = acc0 + e0 * e0;
                acc1 = acc1 + e1 * e1;
              }
            }
          }
          if (valid) {
            let nb = min(LS_CB, k - c0);
            for (var j = 0; j < nb; j++) {
              var dist = acc1[j & 3];
              if (j < 4) {
                dist = acc0[j];
              }
              if (dist < bestDist) {
                best = c0 + j;
                bestDist = dist;
              }
            }
          }
        }
        if (valid) {
          result[row] = f32(best);
          result[t + row] = bestDist;
        }
        ${this.withSums ? this.sumsCode() : ''}
      }
    `;
    return assign;
  }

  private sumsCode(): string {
    return `
        var key = LS_NONE;
        var weight = 0.0;
        if (valid) {
          key = (u32(best) << 8u) | u32(lid);
          weight = ${this.withWeights ? 'w[row]' : '1.0'};
        }
        lsKeys[lid] = key;
        lsWeights[lid] = weight;
        workgroupBarrier();
        for (var size = 2u; size <= u32(LS_ROWS); size = size << 1u) {
          for (var stride = size >> 1u; stride > 0u; stride = stride >> 1u) {
            let i = u32(lid);
            let p = i ^ stride;
            if (p > i) {
              let a = lsKeys[i];
              let b = lsKeys[p];
              if ((a > b) == ((i & size) == 0u)) {
                lsKeys[i] = b;
                lsKeys[p] = a;
              }
            }
            workgroupBarrier();
          }
        }
        if (run < runs) {
          let width = d + 1;
          let countBase = 2 * t + run * k;
          let sumBase = 2 * t + runs * k + run * k * d;
          let rowBase = run * LS_ROWS;
          for (var e = lid; e < k * width; e += LS_ROWS) {
            let c = e / width;
            let f = e - c * width;
            let lo = lowerBound(u32(c) << 8u);
            let hi = lowerBound(u32(c + 1) << 8u);
            var s = 0.0;
            if (f == 0) {
              for (var m = lo; m < hi; m++) {
                s = s + lsWeights[lsKeys[m] & 255u];
              }
              result[countBase + c] = s;
            } else {
              for (var m = lo; m < hi; m++) {
                let r = i32(lsKeys[m] & 255u);
                s = s + lsWeights[r] * x[(rowBase + r) * d + f - 1];
              }
              result[sumBase + c * d + f - 1] = s;
            }
          }
        }
    `;
  }
}

/** First index of lsKeys (sorted) whose key is not below v. */
const LOWER_BOUND = `
      fn lowerBound(v : u32) -> i32 {
        var lo = 0;
        var hi = LS_ROWS;
        while (lo < hi) {
          let mid = (lo + hi) >> 1u;
          if (lsKeys[mid] < v) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        return lo;
      }
`;

function outputLength(t: number, k: number, d: number, withSums: boolean): number {
  const runs = Math.ceil(t / ROWS);
  return withSums ? 2 * t + runs * k * (d + 1) : 2 * t;
}

/**
 * Why the WGSL program cannot take a block of `t` rows, `d` features and `k` centers under a
 * binding limit of `limitBytes` (every buffer it binds must fit one binding), or null when it can.
 */
export function lloydStepWebgpuSupport(t: number, d: number, k: number, withSums: boolean, limitBytes = bindingLimitBytes()): string | null {
  if (t < 1 || d < 1 || k < 1) return `empty input (t=${t}, d=${d}, k=${k})`;
  if (k > MAX_K) return `k=${k} is more than the ${MAX_K} centers the program's 24-bit labels hold`;
  const out = 4 * outputLength(t, k, d, withSums);
  if (out > limitBytes) {
    return `its output (labels, distances${withSums ? ', counts and sums per run of 256 rows' : ''}) takes ${out} bytes, over the ${limitBytes}-byte binding limit`;
  }
  if (4 * t * d > limitBytes) return `the block of ${t}×${d} floats is over the ${limitBytes}-byte binding limit`;
  if (4 * k * d > limitBytes) return `the ${k}×${d} centers are over the ${limitBytes}-byte binding limit`;
  return null;
}


/**
 * Runs the fused program on a block and returns its packed float32 output [2t (+ runs·k·(d+1))]:
 * labels, distances, then counts and sums when `withSums`.
 */
export function runLloydProgram(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null, withSums: boolean): tf.Tensor1D {
  const [t, d] = x.shape;
  const k = centers.shape[0];
  const program = new LloydStepProgram(t, k, d, withSums, withSums && weights !== null);
  const inputs: tf.Tensor[] = withSums && weights !== null ? [x, centers, weights] : [x, centers];
  return runProgram('lloydStep', program, inputs, 'float32', program.uniformData()) as tf.Tensor1D;
}
