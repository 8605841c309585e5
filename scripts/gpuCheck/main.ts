// SPDX-License-Identifier: MIT
/**
 * The GPU check, bundled by `npm run gpu:pack` into build/gpu-check and run there by `run`:
 * prints the adapter, checks every WGSL kernel against the wasm kernel and the Float64
 * references, measures the card's FMA rate and bandwidth, times each kernel and algorithm on
 * WebGPU and wasm, writes gpu-check.json and gpu-check.md to --out (or $OUT), and prints the
 * table last. Exits 1 when a kernel is wrong, 2 on a usage error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ParameterError } from '../../src/errors.js';
import { parseArgs } from './args.js';
import { casePassed, checkAll } from './correctness.js';
import { describeAdapter, startDevices } from './device.js';
import { measurePeak } from './peak.js';
import { markdown, type Report } from './report.js';
import { FULL, QUICK, runWorkloads } from './workloads.js';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), process.env);
  const t0 = performance.now();
  const log = (line: string): void => console.log(line);
  const dev = await startDevices();
  for (const line of describeAdapter(dev)) log(line);
  log(`seed ${args.seed}; ${args.quick ? 'quick' : 'full'} run`);

  const report: Report = {
    mode: args.quick ? 'quick' : 'full',
    startedAt: new Date().toISOString(),
    adapter: dev.adapter,
    limits: dev.limits,
    vulkanDriver: dev.vulkanDriver,
    wasmThreads: dev.wasmThreads,
    cpuCores: availableParallelism(),
    peak: null,
    correctness: [],
    rows: [],
    seconds: 0,
  };
  // Written after every step, so that a run cut short by a time limit still leaves its figures.
  const save = (): string => {
    report.seconds = (performance.now() - t0) / 1000;
    const md = markdown(report);
    if (args.out !== null) {
      mkdirSync(args.out, { recursive: true });
      writeFileSync(join(args.out, 'gpu-check.json'), `${JSON.stringify(report, null, 1)}\n`);
      writeFileSync(join(args.out, 'gpu-check.md'), `${md}\n`);
    }
    return md;
  };

  log('-- correctness: WGSL vs wasm vs Float64');
  const correctness = await checkAll(args.seed, (r) => {
    report.correctness.push(r);
    log(`${casePassed(r) ? 'ok  ' : 'FAIL'} ${r.kernel} ${r.shape}`);
    for (const v of r.verdicts) if (!v.ok) log(`     ${v.what}: ${v.detail}`);
    for (const f of r.fallbacks) log(`     fell back: ${f}`);
  });

  log('-- peak: FMA loop and copy');
  const peak = await measurePeak(dev.device, { threads: args.quick ? 1 << 14 : 1 << 20, copyBytes: args.quick ? 32 << 20 : 1 << 30, minMs: args.quick ? 5 : 20 });
  report.peak = peak;
  save();
  log(`FMA ${(peak.flops / 1e9).toFixed(1)} GFLOP/s, copy ${(peak.bytesPerSecond / 1e9).toFixed(1)} GB/s`);

  log('-- timings');
  await runWorkloads(args.quick ? QUICK : FULL, args.seed, (r) => {
    report.rows.push(r);
    save();
    log(`${r.name} ${r.size}: webgpu ${r.webgpu ? `${r.webgpu.ms.toFixed(1)} ms` : r.skipped}, wasm ${r.wasm ? `${r.wasm.ms.toFixed(1)} ms` : '-'} (${r.wasmNote})`);
  });

  const md = save();
  if (args.out !== null) log(`wrote ${join(args.out, 'gpu-check.json')} and gpu-check.md`);
  log('');
  log(md);
  return correctness.every(casePassed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`gpu-check: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.GPU_CHECK_VERBOSE) console.error(err);
    process.exit(err instanceof ParameterError ? 2 : 1);
  },
);
