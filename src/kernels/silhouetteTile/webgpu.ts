// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { silhouetteTilePortable, type LabeledBlock } from './portable.js';
import { WGSL_WORKGROUP_INDEX, bindingLimitBytes, noteFallback, runProgram } from '../webgpu/run.js';
import { programCheckInputs, type ProgramCheck } from '../webgpu/selfCheck.js';

/** Rows per workgroup, one per thread. */
const ROWS = 64;
/** Columns sorted by label together in workgroup memory. */
const TILE = 256;
/** Columns whose distances a thread accumulates at once (four vec4 registers). */
const SUB = 16;
/** Features of those columns held in workgroup memory at once: 128 × 16 floats = 8 KiB. */
const FEATURE_BLOCK = 128;
/** Labels and column numbers share one u32 sort key, label << 8 | column: labels need 24 bits. */
const MAX_K = 2 ** 24 - 1;
/** Workgroups worth having in flight; column tiles are split between workgroups to get there. */
const TARGET_WORKGROUPS = 256;
/** tfjs spreads only the x dimension of a dispatch over y and z; the split count is y. */
const MAX_SPLITS = 65535;

/** Knuth's TwoSum of hi and v into hi (the rounded sum) and err (its exact rounding error). */
const TWO_SUM = `
      fn twoSumErr(a : f32, b : f32, s : f32) -> f32 {
        let bp = s - a;
        return (a - (s - bp)) + (b - bp);
      }
`;

/**
 * Partial silhouette sums of one column block. Workgroup (g, s) takes rows 64g..64g+63 (one per
 * thread) and the s-th share of the block's column tiles. For each tile of 256 columns the
 * (label, column) keys are sorted in workgroup memory (bitonic network), so a cluster's columns
 * are consecutive; the sorted columns then go through workgroup memory 16 at a time, 128
 * features at a time, each thread adding (row − column)² into four vec4 registers; the square
 * roots are added into a running sum that is flushed whenever the label changes and at the end
 * of the tile (so a float32 run is at most 256 terms). A flush adds the run into the thread's
 * own output entries (hi, lo) by TwoSum: no other invocation touches them, so no atomics, and
 * the sum keeps about float64-like accuracy over any number of columns.
 *
 * Output [splits, 2, b, k]: per split, the hi and lo parts of the sums. Nothing b×t is written.
 */
export class SilhouettePartsProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey = 'segmentsSilhouetteParts';
  dispatchLayout: { x: number[] } = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  variableNames = ['rows', 'x', 'labels'];
  workgroupSize: [number, number, number] = [ROWS, 1, 1];
  uniforms = 'nRows : i32, nCols : i32, nFeatures : i32, nClusters : i32, tilesPerSplit : i32,';

  constructor(
    private readonly b: number,
    private readonly t: number,
    private readonly d: number,
    private readonly k: number,
    private readonly splits: number,
    private readonly tilesPerSplit: number,
  ) {
    this.outputShape = [splits, 2, b, k];
    this.dispatch = [Math.ceil(b / ROWS), splits, 1];
  }

  uniformData(): Array<{ type: 'int32'; data: number[] }> {
    return [this.b, this.t, this.d, this.k, this.tilesPerSplit].map((v) => ({ type: 'int32', data: [v] }));
  }

  getUserCode(): string {
    return `
      const SP_ROWS : i32 = ${ROWS};
      const SP_TILE : i32 = ${TILE};
      const SP_SUB : i32 = ${SUB};
      const SP_FB : i32 = ${FEATURE_BLOCK};
      const SP_NONE : u32 = 0xffffffffu;

      var<workgroup> spCols : array<vec4<f32>, ${(FEATURE_BLOCK * SUB) / 4}>;
      var<workgroup> spKeys : array<u32, ${TILE}>;
      var<workgroup> spSplit : i32;

      ${TWO_SUM}

      // Adds v into the entry at hiIdx (hi plane) and its error into loIdx (lo plane).
      fn flush(hiIdx : i32, loIdx : i32, v : f32) {
        let a = result[hiIdx];
        let s = a + v;
        result[hiIdx] = s;
        result[loIdx] = result[loIdx] + twoSumErr(a, v, s);
      }

      fn main(index : i32) {
        let b = uniforms.nRows;
        let t = uniforms.nCols;
        let d = uniforms.nFeatures;
        let k = uniforms.nClusters;
        let lid = i32(localIndex);
        // The split decides the loop bounds around barriers: it must be uniform.
        if (lid == 0) {
          spSplit = i32(workgroupId.y);
        }
        let split = workgroupUniformLoad(&spSplit);
        let i = i32(workgroupId.x) * SP_ROWS + lid;
        let valid = i < b;
        let bk = b * k;
        let hiBase = split * 2 * bk + i * k;
        let loBase = hiBase + bk;
        if (valid) {
          for (var c = 0; c < k; c++) {
            result[hiBase + c] = 0.0;
            result[loBase + c] = 0.0;
          }
        }
        let rowBase = i * d;
        let nTiles = (t + SP_TILE - 1) / SP_TILE;
        let tileFrom = split * uniforms.tilesPerSplit;
        let tileTo = min(nTiles, tileFrom + uniforms.tilesPerSplit);
        for (var tile = tileFrom; tile < tileTo; tile++) {
          let start = tile * SP_TILE;
          let count = min(SP_TILE, t - start);
          workgroupBarrier();
          for (var m = 0; m < SP_TILE / SP_ROWS; m++) {
            let j = lid + m * SP_ROWS;
            var key = SP_NONE;
            if (j < count) {
              let lab = labels[start + j];
              if (lab >= 0 && lab < k) {
                key = (u32(lab) << 8u) | u32(j);
              }
            }
            spKeys[j] = key;
          }
          workgroupBarrier();
          for (var size = 2u; size <= u32(SP_TILE); size = size << 1u) {
            for (var stride = size >> 1u; stride > 0u; stride = stride >> 1u) {
              for (var q = u32(lid); q < u32(SP_TILE / 2); q += u32(SP_ROWS)) {
                let lo = 2u * stride * (q / stride) + q % stride;
                let hi = lo + stride;
                let a = spKeys[lo];
                let c = spKeys[hi];
                if ((a > c) == ((lo & size) == 0u)) {
                  spKeys[lo] = c;
                  spKeys[hi] = a;
                }
              }
              workgroupBarrier();
            }
          }
          var cur = SP_NONE;
          var run = 0.0;
          for (var s0 = 0; s0 < count; s0 += SP_SUB) {
            var acc = array<vec4<f32>, 4>(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
            for (var f0 = 0; f0 < d; f0 += SP_FB) {
              let fb = min(SP_FB, d - f0);
              workgroupBarrier();
              for (var e = lid; e < SP_SUB * fb; e += SP_ROWS) {
                let jj = e / fb;
                let f = e - jj * fb;
                let key = spKeys[s0 + jj];
                var v = 0.0;
                if (key != SP_NONE) {
                  v = x[(start + i32(key & 255u)) * d + f0 + f];
                }
                spCols[4 * f + jj / 4][jj % 4] = v;
              }
              workgroupBarrier();
              if (valid) {
                for (var f = 0; f < fb; f++) {
                  let rv = vec4<f32>(rows[rowBase + f0 + f]);
                  let e0 = rv - spCols[4 * f];
                  let e1 = rv - spCols[4 * f + 1];
                  let e2 = rv - spCols[4 * f + 2];
                  let e3 = rv - spCols[4 * f + 3];
                  acc[0] = acc[0] + e0 * e0;
                  acc[1] = acc[1] + e1 * e1;
                  acc[2] = acc[2] + e2 * e2;
                  acc[3] = acc[3] + e3 * e3;
                }
              }
            }
            if (valid) {
              for (var jj = 0; jj < SP_SUB; jj++) {
                let key = spKeys[s0 + jj];
                if (key == SP_NONE) {
                  break;
                }
                let lab = key >> 8u;
                if (lab != cur) {
                  if (cur != SP_NONE) {
                    flush(hiBase + i32(cur), loBase + i32(cur), run);
                  }
                  cur = lab;
                  run = 0.0;
                }
                run = run + sqrt(acc[jj / 4][jj % 4]);
              }
            }
          }
          if (valid && cur != SP_NONE) {
            flush(hiBase + i32(cur), loBase + i32(cur), run);
          }
        }
      }
    `;
  }
}

/**
 * Adds the splits' (hi, lo) parts [splits, 2, b, k] and the running total `prev` [2, b, k] (when
 * given) by TwoSum, into a new running total [2, b, k], or, for the last column block, into the
 * final sums [b, k] = hi + lo.
 */
export class SilhouetteMergeProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'nEntries : i32, nSplits : i32,';

  constructor(
    private readonly bk: number,
    private readonly splits: number,
    private readonly withPrev: boolean,
    private readonly final: boolean,
  ) {
    this.outputShape = [final ? bk : 2 * bk];
    this.dispatch = [Math.ceil(bk / 64), 1, 1];
    this.variableNames = withPrev ? ['parts', 'prev'] : ['parts'];
    this.shaderKey = `segmentsSilhouetteMerge_${withPrev ? 'prev' : 'first'}_${final ? 'final' : 'partial'}`;
  }

  uniformData(): Array<{ type: 'int32'; data: number[] }> {
    return [this.bk, this.splits].map((v) => ({ type: 'int32', data: [v] }));
  }

  getUserCode(): string {
    return `
      ${TWO_SUM}

      fn main(index : i32) {
        let bk = uniforms.nEntries;
        let e = ${WGSL_WORKGROUP_INDEX} * 64 + i32(localIndex);
        if (e < bk) {
          var hi = 0.0;
          var lo = 0.0;
          ${this.withPrev ? 'hi = prev[e];\n          lo = prev[bk + e];' : ''}
          for (var s = 0; s < uniforms.nSplits; s++) {
            let v = parts[2 * s * bk + e];
            let sum = hi + v;
            lo = lo + twoSumErr(hi, v, sum) + parts[(2 * s + 1) * bk + e];
            hi = sum;
          }
          ${this.final ? 'result[e] = hi + lo;' : 'result[e] = hi;\n          result[bk + e] = lo;'}
        }
      }
    `;
  }
}

/** How a column block of t columns is split between workgroups for b rows and k clusters. */
function splitPlan(b: number, t: number, k: number, limitBytes: number): { splits: number; tilesPerSplit: number } {
  const tiles = Math.ceil(t / TILE);
  const rowGroups = Math.ceil(b / ROWS);
  const byMemory = Math.max(1, Math.floor(limitBytes / (8 * b * k)));
  const wanted = Math.max(1, Math.min(tiles, Math.ceil(TARGET_WORKGROUPS / rowGroups), byMemory, MAX_SPLITS));
  const tilesPerSplit = Math.ceil(tiles / wanted);
  return { splits: Math.ceil(tiles / tilesPerSplit), tilesPerSplit };
}

/**
 * Why the WGSL programs cannot take `b` rows, column blocks of `blockRows` rows, `d` features and
 * `k` clusters under a binding limit of `limitBytes`, or null when they can.
 */
export function silhouetteTileWebgpuSupport(b: number, blockRows: readonly number[], d: number, k: number, limitBytes = bindingLimitBytes()): string | null {
  if (k > MAX_K) return `k=${k} is more than the ${MAX_K} clusters the program's 24-bit labels hold`;
  if (Math.ceil(b / ROWS) > MAX_SPLITS) return `b=${b} rows need more than ${MAX_SPLITS} workgroups`;
  if (8 * b * k > limitBytes) return `the running sums (2 × ${b}×${k} floats) are over the ${limitBytes}-byte binding limit`;
  if (4 * b * d > limitBytes) return `the ${b}×${d} rows are over the ${limitBytes}-byte binding limit`;
  const widest = Math.max(0, ...blockRows);
  if (4 * widest * d > limitBytes) return `a column block of ${widest}×${d} floats is over the ${limitBytes}-byte binding limit`;
  return null;
}

/**
 * `silhouetteTile` for the tfjs 'webgpu' backend, fused in WGSL (SilhouettePartsProgram): for the
 * rows `rows` [b, d] and the column blocks `columns`, out[i, c] = Σ_{j : labels[j] = c}
 * ‖rows_i − x_j‖, with distances by direct differences (exactly 0 for a duplicate row), square
 * roots and per-cluster sums in registers and workgroup memory; per column block one program
 * makes the partial sums and a second adds them into the running total, kept as float32
 * (hi, lo) pairs so no digits are lost over long sums. Returns [b, k] float32. O(b·n·d) work,
 * O(b·k) memory besides the inputs. Labels outside 0..k-1 count in no cluster.
 *
 * Shapes beyond the binding limit run the portable kernel, with the reason recorded.
 */
export function silhouetteTileWebgpu(rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number): tf.Tensor2D {
  const [b, d] = rows.shape;
  const blocks = columns.filter((c) => c.x.shape[0] > 0);
  if (b === 0 || d === 0 || blocks.length === 0) return tf.zeros([b, k]);
  const limit = bindingLimitBytes();
  const reason = silhouetteTileWebgpuSupport(b, blocks.map((c) => c.x.shape[0]), d, k, limit);
  if (reason !== null) {
    noteFallback('silhouetteTile', reason);
    return silhouetteTilePortable(rows, columns, k);
  }
  let total: tf.Tensor | null = null;
  try {
    for (let index = 0; index < blocks.length; index++) {
      const col = blocks[index];
      const t = col.x.shape[0];
      const { splits, tilesPerSplit } = splitPlan(b, t, k, limit);
      const partsProgram = new SilhouettePartsProgram(b, t, d, k, splits, tilesPerSplit);
      const parts = runProgram('silhouetteTile', partsProgram, [rows, col.x, col.labels], 'float32', partsProgram.uniformData());
      try {
        const merge = new SilhouetteMergeProgram(b * k, splits, total !== null, index === blocks.length - 1);
        const next = runProgram('silhouetteTile', merge, total === null ? [parts] : [parts, total], 'float32', merge.uniformData());
        total?.dispose();
        total = next;
      } finally {
        parts.dispose();
      }
    }
  } catch (err) {
    total?.dispose();
    throw err;
  }
  // The last merge wrote the final sums [b·k]; a reshape shares its buffer.
  const shaped = tf.reshape(total as tf.Tensor, [b, k]) as tf.Tensor2D;
  (total as tf.Tensor).dispose();
  return shaped;
}

/** Known-answer checks: one column block runs the merge that starts and ends; three run the other three variants. */
export function silhouetteTileChecks(): ProgramCheck[] {
  const { x, labelled } = programCheckInputs;
  return [1, 3].map((blocks) => ({
    name: `silhouetteTile (${blocks} column blocks)`,
    wgsl: () => tf.tidy(() => [silhouetteTileWebgpu(x(), labelled(blocks), 3)]),
    portable: () => tf.tidy(() => [silhouetteTilePortable(x(), labelled(blocks), 3)]),
  }));
}
