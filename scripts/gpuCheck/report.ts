// SPDX-License-Identifier: MIT
/** The check's outputs: a markdown table for a reader and a JSON record of everything measured. */
import type { CaseResult } from './correctness.js';
import { casePassed } from './correctness.js';
import type { Devices } from './device.js';
import type { Peak } from './peak.js';
import type { Row } from './workloads.js';

/** Everything one run found. */
export interface Report {
  mode: 'quick' | 'full';
  startedAt: string;
  adapter: Devices['adapter'];
  limits: Record<string, number>;
  vulkanDriver: string | null;
  wasmThreads: number;
  cpuCores: number;
  peak: Peak | null;
  correctness: CaseResult[];
  rows: Row[];
  seconds: number;
}

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtRate = (v: number, unit: string): string => (v >= 1e12 ? `${(v / 1e12).toFixed(2)} T${unit}` : `${(v / 1e9).toFixed(1)} G${unit}`);

/**
 * The physical limit of a row on this card: the time its FLOPs take at the measured FMA rate or
 * its bytes at the measured copy bandwidth, whichever is longer, and which one it is.
 */
export function limitOf(r: Row, peak: Peak): { ms: number; bound: 'compute' | 'memory' } {
  const compute = (r.flops / peak.flops) * 1000;
  const memory = (r.bytes / peak.bytesPerSecond) * 1000;
  return compute >= memory ? { ms: compute, bound: 'compute' } : { ms: memory, bound: 'memory' };
}

/** The markdown report: adapter, peak, correctness summary, then the timing table. */
export function markdown(rep: Report): string {
  const a = rep.adapter;
  const out: string[] = [];
  out.push(`# GPU check (${rep.mode}), ${rep.startedAt}`, '');
  out.push(`Adapter: ${a.isSoftware ? `**software (${a.softwareName}): timings say nothing about GPU speed**` : 'hardware'}; vendor ${a.vendor || '?'}, architecture ${a.architecture || '?'}, ${a.description || 'no description'}.`);
  out.push(`Limits: ${Object.entries(rep.limits).map(([k, v]) => `${k} ${v}`).join(', ')}. Vulkan driver: ${rep.vulkanDriver ?? 'system default'}.`);
  out.push(`Wasm: our kernels on ${rep.wasmThreads} threads (${rep.cpuCores} cores).`);
  if (rep.peak !== null) {
    out.push(`Measured peak: FMA loop ${fmtRate(rep.peak.flops, 'FLOP/s')}, copy ${fmtRate(rep.peak.bytesPerSecond, 'B/s')} (read + write, ${(rep.peak.copyBytes / 2 ** 20).toFixed(0)} MiB buffer).`);
  }
  const failed = rep.correctness.filter((c) => !casePassed(c));
  out.push('', `Correctness: ${rep.correctness.length - failed.length} of ${rep.correctness.length} cases pass (WGSL vs wasm vs Float64, the specs' bounds).`);
  for (const c of failed) {
    out.push(`- FAIL ${c.kernel} ${c.shape}: ${[...c.verdicts.filter((v) => !v.ok).map((v) => `${v.what}: ${v.detail}`), ...c.fallbacks.map((f) => `fell back: ${f}`)].join('; ')}`);
  }
  out.push('', '| | workload | size | WebGPU | wasm | wasm / WebGPU | WebGPU rate | of limit | wasm timing |', '|---|---|---|---|---|---|---|---|---|');
  for (const r of rep.rows) {
    const g = r.webgpu;
    const w = r.wasm;
    const ratio = g !== null && w !== null ? `${(w.ms / g.ms).toPrecision(2)}×` : '–';
    let rate = '–';
    let ofLimit = '–';
    if (g !== null) {
      rate = `${fmtRate(r.flops / (g.ms / 1000), 'FLOP/s')}, ${fmtRate(r.bytes / (g.ms / 1000), 'B/s')}`;
      if (rep.peak !== null) {
        const lim = limitOf(r, rep.peak);
        ofLimit = `${((100 * lim.ms) / g.ms).toFixed(0)}% (${lim.bound})`;
      }
    }
    const gpuCell = g !== null ? `${fmtMs(g.ms)} (median of ${g.reps})` : `skipped: ${r.skipped ?? '?'}`;
    out.push(`| ${r.group} | ${r.name} | ${r.size} | ${gpuCell} | ${w !== null ? fmtMs(w.ms) : '–'} | ${ratio} | ${rate} | ${ofLimit} | ${r.wasmNote} |`);
  }
  out.push('', `"of limit": the time the work would take at the measured FMA rate (3 flops per pair and feature) or copy bandwidth (inputs read once, outputs written once), whichever is longer, over the time taken. Total run ${rep.seconds.toFixed(0)} s.`);
  return out.join('\n');
}
