// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { expect } from 'vitest';
import { runProgram } from '../../../src/kernels/webgpu/run.js';
// The kernels with WGSL programs, defined here so that the registry lists their checks.
import '../../../src/kernels/assignNearest/index.js';
import '../../../src/kernels/lloydStep/index.js';
import '../../../src/kernels/meanShiftStep/index.js';
import '../../../src/kernels/radiusCounts/index.js';
import '../../../src/kernels/radiusPairs/index.js';
import '../../../src/kernels/silhouetteTile/index.js';
import { checkWebgpuPrograms, webgpuProgramChecks } from '../../../src/kernels/shared/registry.js';
import { runProgramCheck } from '../../../src/kernels/webgpu/selfCheck.js';
import { describeEachBackend, it } from '../../helpers/backends.js';

/** Doubles its input; `body` is the WGSL line that writes result[i]. */
class TwiceProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['a'];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(
    n: number,
    private readonly body: string,
  ) {
    this.outputShape = [n];
    this.dispatch = [Math.ceil(n / 64), 1, 1];
    this.shaderKey = `segmentsTestTwice_${body}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body}
        }
      }
    `;
  }
}

function twiceCheck(body: string) {
  const input = (): tf.Tensor1D => tf.tensor1d([1, 2, 3, 4, 5], 'float32');
  return {
    name: `twice (${body})`,
    wgsl: () => tf.tidy(() => [runProgram('twice', new TwiceProgram(5, body), [input()], 'float32', [])]),
    portable: () => tf.tidy(() => [tf.mul(input(), 2)]),
  };
}

describeEachBackend(
  'the WGSL programs check',
  () => {
    it('passes for every WGSL program of the kernels (src/kernels/*/webgpu.ts)', async () => {
      expect((await webgpuProgramChecks()).map((c) => c.name).sort()).toEqual([
        'assignNearest',
        'lloydStep (unit weights)',
        'lloydStep (weights)',
        'meanShiftStep (flat, unit weights)',
        'meanShiftStep (flat, weights)',
        'meanShiftStep (gaussian, unit weights)',
        'meanShiftStep (gaussian, weights)',
        'radiusCounts',
        'radiusPairs',
        'silhouetteTile (1 column blocks)',
        'silhouetteTile (3 column blocks)',
      ]);
      await checkWebgpuPrograms();
    });

    it('passes for a correct program', async () => {
      await runProgramCheck(twiceCheck('result[index] = 2.0 * a[index];'));
    });

    it("rejects a program that does not compile, with Dawn's message, where tfjs itself would return zeros", async () => {
      // An i32 stored into an f32 array: a WGSL type error.
      await expect(runProgramCheck(twiceCheck('result[index] = 2 * i32(a[index]);'))).rejects.toThrow(
        /the WGSL program of twice \(.*\) failed WebGPU validation: .+/s,
      );
    });

    it('rejects a program that compiles but computes something else, naming the first wrong value', async () => {
      await expect(runProgramCheck(twiceCheck('result[index] = 3.0 * a[index];'))).rejects.toThrow(
        'the WGSL program of twice (result[index] = 3.0 * a[index];) gave 3 at index 0 of output 0, where the portable kernel gives 2',
      );
    });
  },
  ['webgpu'],
);
