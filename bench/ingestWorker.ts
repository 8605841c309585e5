// SPDX-License-Identifier: MIT
/**
 * One measurement of the ingest bench, in its own process so that its peak RSS is its own.
 * Started by bench/ingest.ts as `node --import tsx bench/ingestWorker.ts <task> ...`; prints one
 * line `BENCH_RESULT {json}` on stdout.
 *
 * Tasks:
 *   ours      --path F           readTable → inferKinds → Pipeline.fit → transform, each stage timed;
 *                                reports the shape, the feature names, the schema it inferred, the
 *                                log1p columns and each feature's mean (the cross-check with pandas).
 *   generate  --rows --seed --missing          the generator alone (no writing): rows/s.
 *   write     --rows --seed --missing --format csv|arrow|parquet --out F   generator → writeTable.
 *   read      --path F --format arrow|parquet  readTable of a written file.
 */
import { statSync } from 'node:fs';
import { inferKinds } from '../src/data/inferKinds.js';
import { Pipeline, type PipelineOptions } from '../src/data/pipeline.js';
import { readTable } from '../src/data/readTable.js';
import { sampleBatches } from '../src/data/sampleGenerator.js';
import { writeTable } from '../src/data/writers.js';
import { parseFlags } from './flags.js';

const RESULT_PREFIX = 'BENCH_RESULT ';

/** The pipeline options of the bench: ranges one-hot, as the scikit-learn side encodes them. */
export const INGEST_PIPELINE_OPTIONS: PipelineOptions = { rangeEncoding: 'onehot', scaler: 'standard', log1p: 'auto', maxListItems: 20 };

function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Wall and CPU time of `f`, ms. */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

async function ours(path: string): Promise<Record<string, unknown>> {
  const warnings: string[] = [];
  const c0 = process.cpuUsage();
  const read = await timed(() => readTable(path));
  const { table, report } = read.value;
  const infer = await timed(() => inferKinds(table));
  const schema = infer.value;
  const fit = await timed(() => Pipeline.fit(table, schema, { ...INGEST_PIPELINE_OPTIONS, onWarning: (m) => warnings.push(m) }));
  const transform = await timed(() => fit.value.transform(table));
  const c = process.cpuUsage(c0);
  const out = transform.value;
  const { rows, cols, data } = out.matrix;
  // Each feature's mean in float64: compared with the scikit-learn matrix's.
  const sums = new Float64Array(cols);
  for (let i = 0, p = 0; i < rows; i++) for (let j = 0; j < cols; j++, p++) sums[j] += data[p];
  const timeMs = read.ms + infer.ms + fit.ms + transform.ms;
  return {
    status: 'ok',
    side: 'ours',
    timeMs,
    cpuMs: (c.user + c.system) / 1000,
    stages: {
      readTable: { ms: read.ms, cpuMs: read.cpuMs },
      inferKinds: { ms: infer.ms, cpuMs: infer.cpuMs },
      fit: { ms: fit.ms, cpuMs: fit.cpuMs },
      transform: { ms: transform.ms, cpuMs: transform.cpuMs },
    },
    rows,
    cols,
    dtype: data.constructor.name,
    featureNames: out.featureNames,
    featureMeans: Array.from(sums, (s) => s / rows),
    log1p: out.report.log1p,
    imputed: out.report.imputed,
    ignored: out.report.ignored,
    dropped: out.report.dropped,
    warnings,
    schema: schema.columns.map((col) => ({
      name: col.name,
      kind: col.kind,
      use: col.use,
      levels: col.levels?.map((l) => l.text),
      separator: col.separator,
      numberFormat: col.numberFormat,
    })),
    inferRowsSeen: schema.rowsSeen,
    readReport: { rows: report.rows, columns: report.columns, badRowCount: report.badRowCount, bytesRead: report.bytesRead, notes: report.notes },
    peakRssBytes: peakRssBytes(),
  };
}

async function generate(rows: number, seed: number, missing: number): Promise<Record<string, unknown>> {
  const t = await timed(() => {
    let n = 0;
    for (const b of sampleBatches({ rows, seed, missing })) n += b.numRows;
    return n;
  });
  return { status: 'ok', side: 'ours', timeMs: t.ms, cpuMs: t.cpuMs, rows: t.value, rowsPerSecond: (t.value / t.ms) * 1000, peakRssBytes: peakRssBytes() };
}

async function write(rows: number, seed: number, missing: number, format: 'csv' | 'arrow' | 'parquet', out: string): Promise<Record<string, unknown>> {
  const t = await timed(() => writeTable(sampleBatches({ rows, seed, missing }), out, { format }));
  return {
    status: 'ok',
    side: 'ours',
    format,
    timeMs: t.ms,
    cpuMs: t.cpuMs,
    rows: t.value.rows,
    bytes: statSync(out).size,
    rowsPerSecond: (t.value.rows / t.ms) * 1000,
    peakRssBytes: peakRssBytes(),
  };
}

async function read(path: string, format: 'arrow' | 'parquet'): Promise<Record<string, unknown>> {
  const t = await timed(() => readTable(path, { format }));
  const { table } = t.value;
  return {
    status: 'ok',
    side: 'ours',
    format,
    timeMs: t.ms,
    cpuMs: t.cpuMs,
    rows: table.numRows,
    columns: table.numCols,
    bytes: statSync(path).size,
    rowsPerSecond: (table.numRows / t.ms) * 1000,
    peakRssBytes: peakRssBytes(),
  };
}

async function main(): Promise<void> {
  const [task, ...rest] = process.argv.slice(2);
  const f = parseFlags(rest);
  const format = (): 'csv' | 'arrow' | 'parquet' => {
    const v = f.req('format');
    if (v !== 'csv' && v !== 'arrow' && v !== 'parquet') throw new Error(`--format ${v}: expected csv, arrow or parquet`);
    return v;
  };
  switch (task) {
    case 'ours':
      emit(await ours(f.req('path')));
      return;
    case 'generate':
      emit(await generate(f.int('rows'), f.int('seed'), f.num('missing')));
      return;
    case 'write':
      emit(await write(f.int('rows'), f.int('seed'), f.num('missing'), format(), f.req('out')));
      return;
    case 'read': {
      const fm = format();
      if (fm === 'csv') throw new Error('read: --format must be arrow or parquet (CSV is the ours task)');
      emit(await read(f.req('path'), fm));
      return;
    }
    default:
      throw new Error(`unknown task '${task}': ours, generate, write or read`);
  }
}

main().catch((err: unknown) => {
  emit({ status: 'error', reason: String((err as Error)?.stack ?? err) });
  process.exitCode = 1;
});
