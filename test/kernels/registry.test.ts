// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { TEST_BACKENDS, describeEachBackend, it } from '../helpers/backends.js';
import type { BackendName } from '../../src/backend/backend.js';
import { SegmentsError } from '../../src/errors.js';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { clusterSums } from '../../src/kernels/clusterSums/index.js';
import { distToAssigned } from '../../src/kernels/distToAssigned/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { nearestTwo } from '../../src/kernels/nearestTwo/index.js';
import { pairwiseSqDist } from '../../src/kernels/pairwiseSqDist/index.js';
import { defineKernel, listKernels } from '../../src/kernels/shared/registry.js';
import { silhouetteTile } from '../../src/kernels/silhouetteTile/index.js';

/** A kernel only these specs use: doubles a tensor (portable), records which implementation ran. */
const ran: string[] = [];
const double = defineKernel('registry.test.double', (x: tf.Tensor, tag: string): tf.Tensor => {
  ran.push(`portable:${tag}`);
  return tf.mul(x, 2);
});

function otherBackend(current: BackendName): BackendName {
  return (['cpu', 'wasm', 'webgpu', 'webgl', 'tensorflow'] as BackendName[]).find((b) => b !== current) as BackendName;
}

describe('defineKernel', () => {
  it("onHost gives the kernel's wasm implementation with the kernel's checks, whatever backend is current; without one it rejects", async () => {
    const calls: string[] = [];
    const hosted = defineKernel(
      'registry.test.hosted',
      (tag: string): string => `portable:${tag}`,
      { wasm: async () => ({ impl: (tag: string): string => `wasm:${tag}` }) },
      (tag: string) => {
        calls.push(tag);
        if (tag === '') throw new SegmentsError('registry.test.hosted: an empty tag');
      },
    );
    const onHost = await hosted.onHost();
    expect(onHost('a')).toBe('wasm:a');
    expect(calls).toEqual(['a']);
    expect(() => onHost('')).toThrow('registry.test.hosted: an empty tag');
    await expect(double.onHost()).rejects.toThrow('registry.test.double: no wasm implementation to run on the host');
  });

  it('defineKernel names the kernel and exposes its portable implementation', () => {
    expect(double.kernelName).toBe('registry.test.double');
    expect(typeof double.portable).toBe('function');
    expect(double.portable).not.toBe(double);
  });

  it('defineKernel refuses a name that is already defined with a SegmentsError, keeping the first kernel', () => {
    expect(() => defineKernel('registry.test.double', (x: tf.Tensor) => x)).toThrow(SegmentsError);
    expect(() => defineKernel('registry.test.double', (x: tf.Tensor) => x)).toThrow(
      "defineKernel: kernel 'registry.test.double' is defined twice",
    );
    expect(() => defineKernel('pairwiseSqDist', (x: tf.Tensor) => x)).toThrow(/defined twice/);
    expect(listKernels().get('registry.test.double')).toBe(double);
    expect(listKernels().get('pairwiseSqDist')).toBe(pairwiseSqDist);
  });

  it('listKernels holds every library kernel under its name', () => {
    const all = listKernels();
    for (const k of [pairwiseSqDist, assignNearest, nearestTwo, distToAssigned, clusterSums, lloydStep, silhouetteTile]) {
      expect(all.get(k.kernelName), k.kernelName).toBe(k);
    }
    expect(all.get('registry.test.double')).toBe(double);
  });

  it('implementationFor a backend with nothing registered is portable', () => {
    for (const b of TEST_BACKENDS) expect(double.implementationFor(b)).toBe('portable');
    expect(double.implementationFor('no-such-backend')).toBe('portable');
  });
});

describeEachBackend('kernel dispatch', (backend) => {
  it('a kernel runs its portable implementation where nothing is registered', async () => {
    ran.length = 0;
    const x = tf.tensor1d([1, 2, 3]);
    const y = double(x, 'a');
    expect(Array.from(await y.data())).toEqual([2, 4, 6]);
    expect(ran).toEqual(['portable:a']);
    expect(double.implementationFor()).toBe('portable');
    tf.dispose([x, y]);
  });

  it('the implementation registered for this backend is the one called here, with the same arguments', async () => {
    ran.length = 0;
    const seen: unknown[][] = [];
    double.register(backend, (x, tag) => {
      seen.push([x, tag]);
      ran.push(`${backend}:${tag}`);
      return tf.add(x, 100);
    });
    try {
      expect(double.implementationFor()).toBe(backend);
      expect(double.implementationFor(backend)).toBe(backend);
      const x = tf.tensor1d([1, 2, 3]);
      const y = double(x, 'b');
      expect(Array.from(await y.data())).toEqual([101, 102, 103]);
      expect(ran).toEqual([`${backend}:b`]);
      expect(seen).toHaveLength(1);
      expect(seen[0][0]).toBe(x);
      expect(seen[0][1]).toBe('b');
      tf.dispose([x, y]);
    } finally {
      double.unregister(backend);
    }
  });

  it("another backend's implementation is not called here: the portable one runs", async () => {
    ran.length = 0;
    const other = otherBackend(backend);
    double.register(other, (x) => {
      ran.push(`${other}`);
      return tf.add(x, 100);
    });
    try {
      expect(double.implementationFor()).toBe('portable');
      expect(double.implementationFor(other)).toBe(other);
      const x = tf.tensor1d([1, 2, 3]);
      const y = double(x, 'c');
      expect(Array.from(await y.data())).toEqual([2, 4, 6]);
      expect(ran).toEqual(['portable:c']);
      tf.dispose([x, y]);
    } finally {
      double.unregister(other);
    }
  });

  it('register replaces an earlier implementation for the same backend', async () => {
    ran.length = 0;
    double.register(backend, (x) => {
      ran.push('first');
      return tf.add(x, 1);
    });
    double.register(backend, (x) => {
      ran.push('second');
      return tf.add(x, 2);
    });
    try {
      const x = tf.tensor1d([1]);
      const y = double(x, 'd');
      expect(Array.from(await y.data())).toEqual([3]);
      expect(ran).toEqual(['second']);
      tf.dispose([x, y]);
    } finally {
      double.unregister(backend);
    }
  });

  it('unregister brings the portable implementation back, and unregistering twice is harmless', async () => {
    ran.length = 0;
    double.register(backend, (x) => {
      ran.push('registered');
      return tf.add(x, 1);
    });
    double.unregister(backend);
    double.unregister(backend);
    expect(double.implementationFor()).toBe('portable');
    const x = tf.tensor1d([5]);
    const y = double(x, 'e');
    expect(Array.from(await y.data())).toEqual([10]);
    expect(ran).toEqual(['portable:e']);
    tf.dispose([x, y]);
  });

  it('implementationFor defaults to the current tfjs backend', () => {
    expect(tf.getBackend()).toBe(backend);
    double.register(backend, (x) => x);
    try {
      expect(double.implementationFor()).toBe(backend);
      expect(double.implementationFor(otherBackend(backend))).toBe('portable');
    } finally {
      double.unregister(backend);
    }
  });
});
