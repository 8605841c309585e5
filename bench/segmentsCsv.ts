// SPDX-License-Identifier: MIT
/**
 * The write of `segments fit`'s segments.csv alone, two ways, runs alternating: from the table
 * (withSegments + the CSV writer, as before) and the file's records copied verbatim
 * (writeCsvRecords). Main-thread CPU (process.cpuUsage) and wall time of the write only; the file
 * is read once, before. Segments are made up: row i gets i % 6, each with a name holding a comma.
 *
 *   npx tsx bench/segmentsCsv.ts --file bench/.cache/job-v1-n100000-seed42-missing0.05.csv --runs 5
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRows } from '../src/cli/commands/common.js';
import { dictionaryEncode } from '../src/data/dictionaryEncode.js';
import { readTable } from '../src/data/readTable.js';
import { writeCsvRecords } from '../src/data/writers/csvRecords.js';
import { withSegments } from '../src/model/withSegments.js';
import { parseFlags } from './flags.js';

const flags = parseFlags(process.argv.slice(2));
const file = flags.req('file');
const runs = flags.int('runs', 5);
const { table: read, report } = await readTable(file, { recordRanges: true });
const table = dictionaryEncode(read);
const n = table.numRows;
const labels = Int32Array.from({ length: n }, (_, i) => i % 6);
const nameOf = (id: number): string => `Segment ${id}, high spend`;
const dir = mkdtempSync(join(tmpdir(), 'bench-segments-csv-'));

async function timed(write: (path: string) => Promise<void>): Promise<{ cpu: number; wall: number; bytes: number }> {
  const path = join(dir, 'segments.csv');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await write(path);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const bytes = statSync(path).size;
  rmSync(path);
  return { cpu: (c.user + c.system) / 1e6, wall, bytes };
}

const fromTable = (path: string): Promise<void> => writeRows(withSegments(table, { segments: labels, names: Array.from(labels, nameOf), distances: new Float64Array(n) }), path, 'csv');
const verbatim = async (path: string): Promise<void> => {
  const cells = new Map<number, string[]>();
  for (const id of new Set(labels)) cells.set(id, [String(id), nameOf(id)]);
  await writeCsvRecords(file, report.recordRanges!, { names: ['segment', 'segment_name'], keys: labels, cells }, path, { delimiter: report.delimiter! });
};

const results: Record<string, Array<{ cpu: number; wall: number; bytes: number }>> = { table: [], verbatim: [] };
await timed(fromTable); // warm-up of both paths
await timed(verbatim);
for (let r = 0; r < runs; r++) {
  results.table.push(await timed(fromTable));
  results.verbatim.push(await timed(verbatim));
}
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${file}: ${n} rows, ${statSync(file).size} bytes; ${runs} runs each, alternating`);
for (const [name, rs] of Object.entries(results)) {
  console.log(`${name.padEnd(9)} cpu ${median(rs.map((x) => x.cpu)).toFixed(3)} s  wall ${median(rs.map((x) => x.wall)).toFixed(3)} s  (medians; walls ${rs.map((x) => x.wall.toFixed(3)).join(' ')})  ${rs[0].bytes} bytes`);
}
const t = results.table;
const v = results.verbatim;
console.log(`ratio table/verbatim: cpu ${(median(t.map((x) => x.cpu)) / median(v.map((x) => x.cpu))).toFixed(1)}x, wall ${(median(t.map((x) => x.wall)) / median(v.map((x) => x.wall))).toFixed(1)}x`);
