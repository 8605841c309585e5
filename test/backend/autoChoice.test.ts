// SPDX-License-Identifier: MIT
// This machine has no GPU: the decision is tested here with given probes and timings; the probing
// itself is tested for real on SwiftShader (backend.test.ts in Node, auto.browser.test.ts in Chromium).
import { describe, expect, it } from 'vitest';
import { decideGpu, hardwareCandidates, type GpuProbe } from '../../src/backend/autoChoice.js';

const swiftWebgpu: GpuProbe = { backend: 'webgpu', kind: 'software', software: 'SwiftShader' };
const swiftWebgl: GpuProbe = { backend: 'webgl', kind: 'software', software: 'SwiftShader' };
const nvWebgpu: GpuProbe = { backend: 'webgpu', kind: 'hardware', device: 'NVIDIA GeForce RTX 4090' };
const nvWebgl: GpuProbe = { backend: 'webgl', kind: 'hardware', device: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)' };

describe('hardwareCandidates', () => {
  it('keeps only the hardware probes, in probe order', () => {
    expect(hardwareCandidates([swiftWebgpu, nvWebgl])).toEqual(['webgl']);
    expect(hardwareCandidates([nvWebgpu, nvWebgl])).toEqual(['webgpu', 'webgl']);
    expect(hardwareCandidates([swiftWebgpu, swiftWebgl])).toEqual([]);
    expect(hardwareCandidates([{ backend: 'webgpu', kind: 'unavailable', why: 'no adapter was found' }])).toEqual([]);
  });
});

describe('decideGpu', () => {
  it('falls back to the host when both are SwiftShader, naming it once as a CPU emulation', () => {
    expect(decideGpu([swiftWebgpu, swiftWebgl], [])).toEqual({
      backend: null,
      why: "WebGPU's adapter is SwiftShader, a CPU emulation; WebGL's renderer is SwiftShader too",
    });
  });

  it('names two different software renderers each as a CPU emulation', () => {
    const llvm: GpuProbe = { backend: 'webgl', kind: 'software', software: 'llvmpipe' };
    expect(decideGpu([swiftWebgpu, llvm], []).why).toBe(
      "WebGPU's adapter is SwiftShader, a CPU emulation; WebGL's renderer is llvmpipe, a CPU emulation",
    );
  });

  it('says why an unavailable backend was passed over', () => {
    const d = decideGpu([{ backend: 'webgpu', kind: 'unavailable', why: 'this browser has no WebGPU' }, swiftWebgl], []);
    expect(d).toEqual({ backend: null, why: "WebGPU: this browser has no WebGPU; WebGL's renderer is SwiftShader, a CPU emulation" });
  });

  it('keeps the only hardware backend untimed, and says why the other was passed over', () => {
    expect(decideGpu([swiftWebgpu, nvWebgl], [{ backend: 'webgl', ms: null }])).toEqual({
      backend: 'webgl',
      why: "WebGL (ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)) is a hardware GPU; WebGPU's adapter is SwiftShader, a CPU emulation",
    });
  });

  it('keeps the faster of two hardware backends by their calibration times', () => {
    const probes = [nvWebgpu, nvWebgl];
    const webglFaster = decideGpu(probes, [
      { backend: 'webgpu', ms: 3.4 },
      { backend: 'webgl', ms: 1.25 },
    ]);
    expect(webglFaster.backend).toBe('webgl');
    expect(webglFaster.why).toBe(
      'WebGL (ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)) took 1.3 ms on the calibration block, WebGPU (NVIDIA GeForce RTX 4090) 3.4 ms',
    );
    const webgpuFaster = decideGpu(probes, [
      { backend: 'webgpu', ms: 12.4 },
      { backend: 'webgl', ms: 40 },
    ]);
    expect(webgpuFaster.backend).toBe('webgpu');
    expect(webgpuFaster.why).toMatch(/^WebGPU \(NVIDIA GeForce RTX 4090\) took 12 ms on the calibration block, WebGL .* 40 ms$/);
  });

  it('on a tie keeps the first probed', () => {
    expect(decideGpu([nvWebgpu, nvWebgl], [{ backend: 'webgpu', ms: 2 }, { backend: 'webgl', ms: 2 }]).backend).toBe('webgpu');
    expect(decideGpu([nvWebgl, nvWebgpu], [{ backend: 'webgl', ms: 2 }, { backend: 'webgpu', ms: 2 }]).backend).toBe('webgl');
  });

  it('keeps the one that started when the other failed, and says so', () => {
    const d = decideGpu([nvWebgpu, nvWebgl], [
      { backend: 'webgpu', ms: null, error: 'requestDevice failed' },
      { backend: 'webgl', ms: 5 },
    ]);
    expect(d.backend).toBe('webgl');
    expect(d.why).toBe(
      'WebGL (ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)) is a hardware GPU, 5.0 ms on the calibration block; WebGPU (NVIDIA GeForce RTX 4090) did not start: requestDevice failed',
    );
  });

  it('falls back to the host when every hardware backend failed to start', () => {
    const d = decideGpu([nvWebgpu], [{ backend: 'webgpu', ms: null, error: 'device lost at start' }]);
    expect(d).toEqual({ backend: null, why: 'WebGPU (NVIDIA GeForce RTX 4090) did not start: device lost at start' });
  });

  it('a non-finite time counts as untimed, and the timed one wins', () => {
    const d = decideGpu([nvWebgpu, nvWebgl], [{ backend: 'webgpu', ms: Number.POSITIVE_INFINITY }, { backend: 'webgl', ms: 9 }]);
    expect(d.backend).toBe('webgl');
    expect(d.why).toMatch(/took 9\.0 ms on the calibration block, WebGPU \(NVIDIA GeForce RTX 4090\) could not be timed$/);
  });

  it('with nothing probed says that no GPU backend was found', () => {
    expect(decideGpu([], [])).toEqual({ backend: null, why: 'no GPU backend was found' });
  });
});
