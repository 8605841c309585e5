// SPDX-License-Identifier: MIT
/**
 * How 'auto' decides between the GPU backends, as pure functions of what was found: which GPU
 * backends are worth starting (hardware only, never a CPU emulation such as SwiftShader), which
 * one to keep when a calibration timed more than one, and the reason a user reads.
 */

/** The GPU backends 'auto' considers; the host backends (wasm, then cpu) are its fallback. */
export type GpuBackendName = 'webgpu' | 'webgl';

/** What probing one GPU backend found, before any tfjs backend was started on it. */
export type GpuProbe =
  | { backend: GpuBackendName; kind: 'hardware'; /** the GPU, e.g. 'nvidia ampere' */ device: string }
  | { backend: GpuBackendName; kind: 'software'; /** the emulation, e.g. 'SwiftShader' */ software: string }
  | { backend: GpuBackendName; kind: 'unavailable'; /** why, in a user's words */ why: string };

/** One hardware candidate after 'auto' tried to start it (and, with two or more, timed it). */
export interface Calibration {
  backend: GpuBackendName;
  /**
   * Milliseconds of one nearest-center step on the fixed calibration block, after a warm-up;
   * null where it was not timed (the only hardware candidate needs no calibration).
   */
  ms: number | null;
  /** Why it failed to start or to compute; absent when it ran. */
  error?: string;
}

/** What 'auto' decided among the GPU backends. */
export interface GpuDecision {
  /** The GPU backend to keep, or null to fall back to the host backends. */
  backend: GpuBackendName | null;
  /** Why, in a user's words: "WebGPU's adapter is SwiftShader, a CPU emulation; ...". */
  why: string;
}

const LABEL: Record<GpuBackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL' };
const DEVICE_WORD: Record<GpuBackendName, string> = { webgpu: 'adapter', webgl: 'renderer' };

/** The GPU backends worth starting, in probe order: the ones on hardware. */
export function hardwareCandidates(probes: readonly GpuProbe[]): GpuBackendName[] {
  return probes.filter((p) => p.kind === 'hardware').map((p) => p.backend);
}

/** Why each probe that is not hardware was passed over, e.g. "WebGL's renderer is SwiftShader too". */
function passedOver(probes: readonly GpuProbe[]): string[] {
  const parts: string[] = [];
  const softwareSeen: string[] = [];
  for (const p of probes) {
    if (p.kind === 'software') {
      const again = softwareSeen.includes(p.software);
      parts.push(`${LABEL[p.backend]}'s ${DEVICE_WORD[p.backend]} is ${p.software}${again ? ' too' : ', a CPU emulation'}`);
      softwareSeen.push(p.software);
    } else if (p.kind === 'unavailable') {
      parts.push(`${LABEL[p.backend]}: ${p.why}`);
    }
  }
  return parts;
}

function ms(value: number): string {
  return value >= 10 ? `${Math.round(value)} ms` : `${value.toPrecision(2)} ms`;
}

/**
 * Picks the GPU backend to keep. Among hardware candidates that started, the fastest by
 * `calibrations` (ties go to the first probed); a single one that started is kept untimed.
 * When none is left, `backend` is null and `why` says why each GPU backend was passed over.
 *
 * @param probes What probing found, one entry per GPU backend considered.
 * @param calibrations One entry per hardware candidate that 'auto' tried to start.
 * @example
 * decideGpu(
 *   [{ backend: 'webgpu', kind: 'hardware', device: 'nvidia ampere' }, { backend: 'webgl', kind: 'hardware', device: 'NVIDIA RTX A4000' }],
 *   [{ backend: 'webgpu', ms: 1.2 }, { backend: 'webgl', ms: 3.4 }],
 * ); // { backend: 'webgpu', why: 'WebGPU (nvidia ampere) took 1.2 ms on the calibration block, WebGL (NVIDIA RTX A4000) 3.4 ms' }
 */
export function decideGpu(probes: readonly GpuProbe[], calibrations: readonly Calibration[]): GpuDecision {
  const devices = new Map(probes.flatMap((p) => (p.kind === 'hardware' ? [[p.backend, p.device] as const] : [])));
  const named = (b: GpuBackendName): string => `${LABEL[b]} (${devices.get(b) ?? 'hardware'})`;
  const failed = calibrations.filter((c) => c.error !== undefined);
  const failures = failed.map((c) => `${named(c.backend)} did not start: ${c.error}`);
  const started = calibrations.filter((c) => c.error === undefined && devices.has(c.backend));
  const others = [...passedOver(probes), ...failures];
  const tail = others.length > 0 ? `; ${others.join('; ')}` : '';

  if (started.length === 0) {
    return { backend: null, why: others.length > 0 ? others.join('; ') : 'no GPU backend was found' };
  }
  if (started.length === 1) {
    const only = started[0];
    const timed = only.ms !== null && Number.isFinite(only.ms) ? `, ${ms(only.ms)} on the calibration block` : '';
    return { backend: only.backend, why: `${named(only.backend)} is a hardware GPU${timed}${tail}` };
  }
  const timed = started.filter((c) => c.ms !== null && Number.isFinite(c.ms));
  if (timed.length === 0) {
    // Two started but neither could be timed: keep the first in probe order.
    return { backend: started[0].backend, why: `${named(started[0].backend)} is a hardware GPU, the first that started${tail}` };
  }
  let best = timed[0];
  for (const c of timed.slice(1)) if ((c.ms as number) < (best.ms as number)) best = c;
  const rest = timed.filter((c) => c !== best).map((c) => `${named(c.backend)} ${ms(c.ms as number)}`);
  const untimed = started.filter((c) => !timed.includes(c)).map((c) => `${named(c.backend)} could not be timed`);
  const versus = [...rest, ...untimed].join(', ');
  return {
    backend: best.backend,
    why: `${named(best.backend)} took ${ms(best.ms as number)} on the calibration block, ${versus}${tail}`,
  };
}
