// SPDX-License-Identifier: MIT
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { ParameterError } from '../../errors.js';
import { PAIR_BITS } from '../radiusPairs/portable.js';
import { bindingLimitBytes, runProgram, wgslUniformWorkgroupIndex } from './run.js';

/** Rows per workgroup, one per thread. */
const ROWS = 256;
/** Features of one word's columns held in workgroup memory at once: 64 × 24 floats = 6 KiB. */
const FEATURE_BLOCK = 64;
/** Workgroups worth having in flight; a tile's words are split between workgroups to get there. */
const TARGET_WORKGROUPS = 64;
/** tfjs spreads the x dimension of a dispatch over y and z up to 65535³ workgroups. */
const MAX_WORKGROUPS = 65535 * 65535;

/** What the program writes: the packed within-radius words, or per-row counts. */
export type RadiusOutput = 'pairs' | 'counts';

/**
 * Within-radius tests of a tile, fused. Workgroup (g, s) takes rows 256g..256g+255 of `rows`
 * (one per thread) and the s-th share of the tile's words, a word being PAIR_BITS = 24 columns.
 * For each word the 24 columns go through workgroup memory 64 features at a time; each thread
 * adds x·c for its row into six vec4 registers, in feature order, and one of the first 24
 * threads adds its column's ‖c‖². The test is the portable kernels' (radiusOperands, a matMul
 * and tf.step): v = (−2·x·c + (‖x‖² − r²)) + ‖c‖² in float32, within iff v ≤ 0. The word's
 * bits are written ('pairs', [b, words] int32, bit j of word w for column 24w + j, padding bits
 * never set), or their popcounts summed in a register ('counts', [splits, b] int32 partial
 * counts, one per split). Nothing b×t is written. O(b·t·d) work.
 */
export class RadiusProgram implements WebGPUProgram {
  outputShape: number[];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['rows', 'cols'];
  workgroupSize: [number, number, number] = [ROWS, 1, 1];
  // The output kind is a uniform, not a variant: one pipeline to compile (slow on SwiftShader).
  shaderKey = 'segmentsRadius';
  uniforms = 'nRows : i32, nCols : i32, nFeatures : i32, nWords : i32, nSplits : i32, wordsPerSplit : i32, pairs : i32, r2 : f32,';

  constructor(
    private readonly b: number,
    private readonly t: number,
    private readonly d: number,
    private readonly output: RadiusOutput,
    private readonly r2: number,
  ) {
    const words = Math.ceil(t / PAIR_BITS);
    const plan = splitPlan(b, words);
    this.splits = plan.splits;
    this.wordsPerSplit = plan.wordsPerSplit;
    this.outputShape = [output === 'pairs' ? b * words : this.splits * b];
    this.dispatch = [Math.ceil(b / ROWS) * this.splits, 1, 1];
  }

  readonly splits: number;
  readonly wordsPerSplit: number;

  /** The uniforms that follow tfjs's own, in the order of `uniforms`. */
  uniformData(): Array<{ type: 'int32' | 'float32'; data: number[] }> {
    const ints = [this.b, this.t, this.d, Math.ceil(this.t / PAIR_BITS), this.splits, this.wordsPerSplit, this.output === 'pairs' ? 1 : 0];
    return [...ints.map((v) => ({ type: 'int32' as const, data: [v] })), { type: 'float32', data: [this.r2] }];
  }

  getUserCode(): string {
    const regs = PAIR_BITS / 4;
    const accs = Array.from({ length: regs }, (_, q) => q);
    return `
      const RP_ROWS : i32 = ${ROWS};
      const RP_FB : i32 = ${FEATURE_BLOCK};
      const RP_BITS : i32 = ${PAIR_BITS};
      const RP_REGS : i32 = ${regs};

      var<workgroup> rpCols : array<vec4<f32>, ${FEATURE_BLOCK * regs}>;
      var<workgroup> rpNorms : array<f32, ${PAIR_BITS}>;
      var<workgroup> rpGroup : i32;

      fn main(index : i32) {
        let b = uniforms.nRows;
        let t = uniforms.nCols;
        let d = uniforms.nFeatures;
        let lid = i32(localIndex);
        // The split decides the loop bounds around barriers: it must be uniform.
        ${wgslUniformWorkgroupIndex('group', 'rpGroup')}
        let rowGroup = group / uniforms.nSplits;
        let split = group - rowGroup * uniforms.nSplits;
        let row = rowGroup * RP_ROWS + lid;
        // tfjs may dispatch more workgroups than asked when it spreads them over y and z.
        let valid = row < b && rowGroup < (b + RP_ROWS - 1) / RP_ROWS;
        let rowBase = row * d;
        var xx = 0.0;
        if (valid) {
          for (var f = 0; f < d; f++) {
            let v = rows[rowBase + f];
            xx = xx + v * v;
          }
        }
        let xr = xx - uniforms.r2;
        let wFrom = split * uniforms.wordsPerSplit;
        let wTo = min(uniforms.nWords, wFrom + uniforms.wordsPerSplit);
        var count = 0u;
        for (var w = wFrom; w < wTo; w++) {
          let c0 = w * RP_BITS;
          let nc = min(RP_BITS, t - c0);
          ${accs.map((q) => `var a${q} = vec4<f32>(0.0);`).join('\n          ')}
          var cn = 0.0;
          for (var f0 = 0; f0 < d; f0 += RP_FB) {
            let fb = min(RP_FB, d - f0);
            workgroupBarrier();
            for (var e = lid; e < RP_BITS * fb; e += RP_ROWS) {
              let j = e / fb;
              let f = e - j * fb;
              var v = 0.0;
              if (j < nc) {
                v = cols[(c0 + j) * d + f0 + f];
              }
              rpCols[RP_REGS * f + j / 4][j % 4] = v;
            }
            workgroupBarrier();
            if (lid < RP_BITS) {
              for (var f = 0; f < fb; f++) {
                let v = rpCols[RP_REGS * f + lid / 4][lid % 4];
                cn = cn + v * v;
              }
            }
            if (valid) {
              for (var f = 0; f < fb; f++) {
                let xv = vec4<f32>(rows[rowBase + f0 + f]);
                let at = RP_REGS * f;
                ${accs.map((q) => `a${q} = a${q} + xv * rpCols[at + ${q}];`).join('\n                ')}
              }
            }
          }
          // Every thread is past its reads of the previous word's norms (the barriers above).
          if (lid < RP_BITS) {
            rpNorms[lid] = cn;
          }
          workgroupBarrier();
          if (valid) {
            var bits = 0u;
            for (var j = 0; j < nc; j++) {
              let q = j / 4;
              var acc = a0;
              ${accs.slice(1).map((q) => `if (q == ${q}) {\n                acc = a${q};\n              }`).join('\n              ')}
              let v = (-2.0 * acc[j % 4] + xr) + rpNorms[j];
              if (v <= 0.0) {
                bits = bits | (1u << u32(j));
              }
            }
            if (uniforms.pairs != 0) {
              result[row * uniforms.nWords + w] = i32(bits);
            } else {
              count = count + countOneBits(bits);
            }
          }
          workgroupBarrier();
        }
        if (valid && uniforms.pairs == 0) {
          result[split * b + row] = i32(count);
        }
      }
    `;
  }
}

/** Splits of a tile's words between workgroups: enough workgroups, none without words. */
function splitPlan(b: number, words: number): { splits: number; wordsPerSplit: number } {
  const rowGroups = Math.ceil(b / ROWS);
  const wanted = Math.max(1, Math.min(words, Math.ceil(TARGET_WORKGROUPS / rowGroups)));
  const wordsPerSplit = Math.max(1, Math.ceil(words / wanted));
  return { splits: Math.max(1, Math.ceil(words / wordsPerSplit)), wordsPerSplit };
}

/**
 * Why the program cannot take `b` rows against column blocks of `blockRows` rows with `d`
 * features under a binding limit of `limitBytes`, or null when it can.
 */
export function radiusWebgpuSupport(output: RadiusOutput, b: number, blockRows: readonly number[], d: number, limitBytes = bindingLimitBytes()): string | null {
  if (b < 1 || d < 1) return `empty input (b=${b}, d=${d})`;
  if (4 * b * d > limitBytes) return `the ${b}×${d} rows are over the ${limitBytes}-byte binding limit`;
  for (const t of blockRows) {
    if (4 * t * d > limitBytes) return `a column block of ${t}×${d} floats is over the ${limitBytes}-byte binding limit`;
    const words = Math.ceil(t / PAIR_BITS);
    const out = output === 'pairs' ? 4 * b * words : 4 * b * splitPlan(b, words).splits;
    if (out > limitBytes) return `the ${output} output of ${out} bytes is over the ${limitBytes}-byte binding limit`;
    if (Math.ceil(b / ROWS) * splitPlan(b, words).splits > MAX_WORKGROUPS) return `b=${b} rows need more than ${MAX_WORKGROUPS} workgroups`;
  }
  return null;
}

/** Checks the shapes and dtypes of a radiusCounts / radiusPairs call. */
export function checkRadiusInputs(fn: string, rows: tf.Tensor2D, cols: readonly tf.Tensor2D[], radius: number): void {
  const d = rows.shape[1];
  if (rows.dtype !== 'float32') throw new ParameterError(fn, 'rows', `rows must be float32, got ${rows.dtype}`);
  for (const c of cols) {
    if (c.shape[1] !== d) throw new ParameterError(fn, 'columns', `a column block has ${c.shape[1]} columns, rows have ${d}`);
    if (c.dtype !== 'float32') throw new ParameterError(fn, 'columns', `column blocks must be float32, got ${c.dtype}`);
  }
  if (!(radius >= 0)) throw new ParameterError(fn, 'radius', `radius=${radius} must be a number >= 0`);
}

/**
 * Runs the program on `rows` [b, d] against `cols` [t, d]: [b·⌈t/24⌉] packed words ('pairs') or
 * [splits·b] partial counts ('counts'), int32. r² is rounded to float32 as tf.sub rounds it.
 */
export function runRadiusProgram(fn: string, output: RadiusOutput, rows: tf.Tensor2D, cols: tf.Tensor2D, radius: number): { out: tf.Tensor1D; splits: number } {
  const program = new RadiusProgram(rows.shape[0], cols.shape[0], rows.shape[1], output, radius * radius);
  return { out: runProgram(fn, program, [rows, cols], 'int32', program.uniformData()) as tf.Tensor1D, splits: program.splits };
}
