// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { parseArgs } from '../../scripts/gpuCheck/args.js';
import { limitOf } from '../../scripts/gpuCheck/report.js';
import type { Row } from '../../scripts/gpuCheck/workloads.js';

describe('gpu check command line', () => {
  it('parseArgs takes --quick, --out and --seed, and $OUT when --out is not given', () => {
    expect(parseArgs(['--quick', '--seed', '7'], { OUT: '/o' })).toEqual({ quick: true, out: '/o', seed: 7 });
    expect(parseArgs(['--out', 'dir', '--seed', '3'], { OUT: '/o' })).toEqual({ quick: false, out: 'dir', seed: 3 });
    expect(parseArgs(['--seed', '1'], {}).out).toBeNull();
  });

  it('parseArgs names the option it refuses', () => {
    expect(() => parseArgs(['--fast'], {})).toThrow(ParameterError);
    expect(() => parseArgs(['--fast'], {})).toThrow(/--fast/);
    expect(() => parseArgs(['--out'], {})).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--seed', 'x'], {})).toThrow(/--seed=x/);
  });

  it('limitOf takes the longer of the compute and the memory time', () => {
    const row = (flops: number, bytes: number): Row => ({ group: 'kernel', name: 'k', size: '', flops, bytes, webgpu: null, wasm: null, wasmNote: '', skipped: null });
    const peak = { flops: 1e12, bytesPerSecond: 1e11, copyBytes: 1 };
    // 2e12 flops at 1e12/s = 2 s; 1e10 bytes at 1e11/s = 0.1 s.
    expect(limitOf(row(2e12, 1e10), peak)).toEqual({ ms: 2000, bound: 'compute' });
    // 1e9 flops = 1 ms; 1e12 bytes = 10 s.
    expect(limitOf(row(1e9, 1e12), peak)).toEqual({ ms: 10000, bound: 'memory' });
  });
});
