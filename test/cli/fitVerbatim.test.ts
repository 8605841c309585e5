// SPDX-License-Identifier: MIT
/**
 * `segments fit FILE.csv`: segments.csv is the file's own records with segment and segment_name
 * appended, holding the same cells as the table writer's output; and every case where the
 * records are not the table segment() returned gets the table writer's output, byte for byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { writeRows } from '../../src/cli/commands/common.js';
import { dictionaryEncode } from '../../src/data/dictionaryEncode.js';
import { readTable, type ReadTableOptions } from '../../src/data/readTable.js';
import { writeTable } from '../../src/data/writers.js';
import { withSegments } from '../../src/model/withSegments.js';
import { run } from './run.js';
import { tempDir as newTempDir } from '../helpers/tempDir.js';

const DATA = join(__dirname, '..', 'fixtures', 'data');
const HOSTILE = join(__dirname, '..', 'fixtures', 'hostile');
const FAST = ['--backend', 'wasm', '--seed', '1', '--n-init', '1', '--k', '2'];

const tempDir = (): string => newTempDir('segments-verbatim-');

/** Runs `segments fit` on `file`; the output folder and the summary. */
async function fit(file: string, flags: string[] = []): Promise<{ dir: string; summary: Record<string, any> }> {
  const dir = tempDir();
  const r = await run(['fit', file, ...FAST, '--json', '--out', dir, ...flags]);
  expect(r.err.split('\n').filter((l) => l.startsWith('segments:'))).toEqual([]);
  expect(r.code).toBe(0);
  return { dir, summary: JSON.parse(r.out) };
}

/** The segment and segment_name of each row of a written segments file. */
async function segmentsOf(path: string): Promise<{ segments: Int32Array; names: string[] }> {
  const { table } = await readTable(path);
  const seg = table.getChild('segment')!;
  const name = table.getChild('segment_name')!;
  return { segments: Int32Array.from(seg.toArray() as ArrayLike<number>), names: Array.from({ length: table.numRows }, (_, i) => String(name.get(i))) };
}

/**
 * What the table writer writes for `file` read with `options` (as segment() reads it) and the
 * segments of `written`: the CLI's output before the verbatim copy.
 */
async function tableWriterOutput(file: string, options: ReadTableOptions, written: string): Promise<Buffer> {
  const { table } = await readTable(file, options);
  const { segments, names } = await segmentsOf(written);
  const path = join(tempDir(), 'table-writer.csv');
  await writeRows(withSegments(dictionaryEncode(table), { segments, names, distances: new Float64Array(segments.length) }), path, 'csv');
  return readFileSync(path);
}

/** Each cell as a plain value (numbers of any width as numbers), column by column, with the names. */
async function cells(path: string): Promise<Record<string, unknown[]>> {
  const { table } = await readTable(path);
  const out: Record<string, unknown[]> = {};
  table.schema.fields.forEach((f, j) => {
    const v = table.getChildAt(j)!;
    out[f.name] = Array.from({ length: table.numRows }, (_, i) => {
      const x: unknown = v.get(i);
      return typeof x === 'bigint' ? Number(x) : x;
    });
  });
  return out;
}

/** A cell as RFC 4180 writes it (the reference for the appended names). */
const field = (s: string, delimiter: string): string => (s === '' || /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s);

/** The expected verbatim file: the header and the records given, each with its segment and name appended. */
async function verbatim(header: string, records: string[], written: string, delimiter = ','): Promise<string> {
  const { segments, names } = await segmentsOf(written);
  expect(segments.length).toBe(records.length);
  const rows = records.map((r, i) => `${r}${delimiter}${segments[i]}${delimiter}${field(names[i], delimiter)}\n`);
  return `${header}${delimiter}segment${delimiter}segment_name\n${rows.join('')}`;
}

/** The records of a file without quoted line breaks: its non-blank lines, without a byte-order mark or terminators. */
function lines(path: string, skipLines: ReadonlySet<number> = new Set()): { header: string; records: string[] } {
  const all = readFileSync(path, 'utf8').replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  const kept = all.filter((l, i) => l !== '' && !skipLines.has(i + 1));
  return { header: kept[0], records: kept.slice(1) };
}

/** Two groups of rows, so that any fit finds them. */
function groupRows(n: number, decimal: '.' | ','): Array<[number, string, string]> {
  return Array.from({ length: n }, (_, i) => {
    const g = i % 2;
    const x = (g * 10 + (i % 5) * 0.25).toFixed(2);
    const y = (g * -8 + (i % 3) * 0.5).toFixed(2);
    return [i + 1, decimal === ',' ? x.replace('.', ',') : x, decimal === ',' ? y.replace('.', ',') : y];
  });
}

describe('segments.csv copies the records of a UTF-8 CSV', () => {
  it.each([
    ['Mall_Customers.csv'],
    ['user_profiles_for_ads.csv'],
  ])('%s: byte for byte, and the same cells as the table writer writes', async (name) => {
    const file = join(DATA, name);
    const { dir } = await fit(file);
    const out = join(dir, 'segments.csv');
    const { header, records } = lines(file);
    expect(readFileSync(out, 'utf8')).toBe(await verbatim(header, records, out));
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, await tableWriterOutput(file, {}, out));
    expect(await cells(out)).toEqual(await cells(reference));
  });

  it.each([['social_media_wellbeing_test.csv'], ['social_media_wellbeing_train.csv']])('%s with --bad-rows skip: the skipped rows are left out', async (name) => {
    const file = join(DATA, name);
    const { dir, summary } = await fit(file, ['--bad-rows', 'skip']);
    expect(summary.input.skippedRows).toBeGreaterThan(0);
    const bad = (await readTable(join(dir, 'bad-rows.csv'))).table.getChild('line')!;
    const { header, records } = lines(file, new Set(Array.from(bad.toArray() as Int32Array)));
    const out = join(dir, 'segments.csv');
    expect(readFileSync(out, 'utf8')).toBe(await verbatim(header, records, out));
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, await tableWriterOutput(file, { onBadRows: 'skip' }, out));
    expect(await cells(out)).toEqual(await cells(reference));
  });

  it('tiktok_profilesData.csv (quoted line breaks, multi-byte text): the same cells as the table writer writes', async () => {
    const file = join(DATA, 'tiktok_profilesData.csv');
    const { dir } = await fit(file);
    const out = join(dir, 'segments.csv');
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, await tableWriterOutput(file, {}, out));
    expect(await cells(out)).toEqual(await cells(reference));
    // LF only and no blank line: the file is the input with the two cells before each record's end
    const { segments, names } = await segmentsOf(out);
    const input = readFileSync(file, 'utf8');
    expect(readFileSync(out, 'utf8').startsWith(`${input.slice(0, input.indexOf('\n'))},segment,segment_name\n`)).toBe(true);
    expect(new Set(segments).size).toBe(2);
    expect(names.length).toBe(1000);
  });

  it('a BOM, CRLF, quoted delimiters and line breaks, blank lines, skipped bad rows and --rows', async () => {
    const dir = tempDir();
    const records = groupRows(40, '.').map(([id, x, y]) => `${id},${id % 6 === 0 ? `"note, ""${id}""\r\nsecond line"` : id % 6 === 1 ? '"plain"' : `n${id}`},${x},${y}`);
    const bad = new Set([7, 21]); // a wrong field count and a text in a numeric column
    const written = records.map((r, i) => (bad.has(i) ? (i === 7 ? '8,short' : `22,n22,oops,1.00`) : r));
    const file = join(dir, 'edge.csv');
    writeFileSync(file, `\ufeffid,note,x,y\r\n${written.map((r, i) => (i % 9 === 4 ? `${r}\r\n\r\n` : `${r}\r\n`)).join('')}`);
    const kept = records.filter((_, i) => !bad.has(i));
    const skip = await fit(file, ['--bad-rows', 'skip']);
    const out = join(skip.dir, 'segments.csv');
    expect(readFileSync(out, 'utf8')).toBe(await verbatim('id,note,x,y', kept, out));
    const reference = join(skip.dir, 'reference.csv');
    writeFileSync(reference, await tableWriterOutput(file, { onBadRows: 'skip' }, out));
    expect(await cells(out)).toEqual(await cells(reference));
    // --rows 25: the first 25 rows read (the bad ones before them skipped)
    const first = await fit(file, ['--bad-rows', 'skip', '--rows', '25']);
    const out25 = join(first.dir, 'segments.csv');
    expect(first.summary.input.rows).toBe(25);
    expect(readFileSync(out25, 'utf8')).toBe(await verbatim('id,note,x,y', kept.slice(0, 25), out25));
  });

  it("';' with decimal commas keeps the user's numbers and delimiter", async () => {
    const dir = tempDir();
    const records = groupRows(30, ',').map(([id, x, y]) => `${id};"city ${id % 3}";${x};${y}`);
    const file = join(dir, 'semicolon.csv');
    writeFileSync(file, `id;city;x;y\n${records.join('\n')}\n`);
    const { dir: outDir } = await fit(file);
    const out = join(outDir, 'segments.csv');
    expect(readFileSync(out, 'utf8')).toBe(await verbatim('id;city;x;y', records, out, ';'));
    const reference = join(outDir, 'reference.csv');
    writeFileSync(reference, await tableWriterOutput(file, {}, out));
    expect(await cells(out)).toEqual(await cells(reference));
  });
});

describe('segments.csv is written from the table where the records are not that table', () => {
  /** Fits `file` and expects the table writer's bytes. */
  async function expectTableWriter(file: string, flags: string[], options: ReadTableOptions): Promise<string> {
    const { dir } = await fit(file, flags);
    const out = join(dir, 'segments.csv');
    expect(readFileSync(out)).toEqual(await tableWriterOutput(file, options, out));
    return readFileSync(out, 'utf8');
  }

  it('cells the reader set to null (--bad-rows null)', async () => {
    const file = join(DATA, 'social_media_wellbeing_test.csv');
    await expectTableWriter(file, ['--bad-rows', 'null'], { onBadRows: 'null' });
  });

  it('a transcoded input: Windows-1252 and UTF-16', async () => {
    await expectTableWriter(join(HOSTILE, 'cp1252.csv'), ['--encoding', 'windows-1252'], { encoding: 'windows-1252' });
    await expectTableWriter(join(HOSTILE, 'utf16be.csv'), [], {});
  });

  it('columns of an earlier run (segment, segment_name, segment_distance) and renamed repeated names', async () => {
    const dir = tempDir();
    const rows = groupRows(30, '.').map(([id, x, y]) => `${id},${x},${y}`);
    const again = join(dir, 'again.csv');
    writeFileSync(again, `id,x,y,segment\n${rows.map((r, i) => `${r},${i % 3}`).join('\n')}\n`);
    const text = await expectTableWriter(again, [], {});
    expect(text.split('\n')[0]).toBe('id,x,y,segment,segment_name');
    const repeated = join(dir, 'repeated.csv');
    writeFileSync(repeated, `id,x,x\n${rows.join('\n')}\n`);
    expect((await expectTableWriter(repeated, [], {})).split('\n')[0]).toBe('id,x,x.1,segment,segment_name');
  });

  it('an Arrow input, and --format parquet', async () => {
    const dir = tempDir();
    const csv = join(dir, 'users.csv');
    writeFileSync(csv, `id,x,y\n${groupRows(30, '.').map(([id, x, y]) => `${id},${x},${y}`).join('\n')}\n`);
    const arrowFile = join(dir, 'users.arrow');
    await writeTable((await readTable(csv)).table, arrowFile, { format: 'arrow' });
    await expectTableWriter(arrowFile, [], {});
    const { dir: outDir } = await fit(csv, ['--format', 'parquet']);
    const written = (await readTable(join(outDir, 'segments.parquet'))).table;
    const { table } = await readTable(csv);
    const seg = written.getChild('segment')!;
    const expected = withSegments(table, { segments: Int32Array.from(seg.toArray() as ArrayLike<number>), names: Array.from({ length: seg.length }, (_, i) => String(written.getChild('segment_name')!.get(i))), distances: new Float64Array(seg.length) });
    expect(written.schema.fields.map((f) => f.name)).toEqual(expected.schema.fields.map((f) => f.name));
    expect(written.getChild('x')!.toArray()).toEqual(expected.getChild('x')!.toArray());
    expect(written.getChild('id')!.toArray()).toEqual(expected.getChild('id')!.toArray());
    expect(arrow.DataType.isInt(written.getChild('segment')!.type)).toBe(true);
  });
});
