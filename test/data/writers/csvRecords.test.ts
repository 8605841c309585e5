// SPDX-License-Identifier: MIT
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/data/readTable.js';
import { writeCsvRecords } from '../../../src/data/writers/csvRecords.js';
import { DataError, ParameterError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/tempDir.js';

const dir = tempDir('segments-csvrecords-');
let files = 0;
function fileOf(text: string | Uint8Array): string {
  const path = join(dir, `in-${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** Reads `path` noting its record ranges, then writes its rows with the cells `cellsOf(key)` keyed by row index % keys. */
async function rewrite(path: string, names: string[], cells: Map<number, string[]>, options: Record<string, unknown> = {}): Promise<string> {
  const { report } = await readTable(path, { recordRanges: true, ...options });
  const keys = Int32Array.from(report.recordRanges!.starts, (_, i) => i % cells.size);
  const out = join(dir, `out-${files++}.csv`);
  const result = await writeCsvRecords(path, report.recordRanges!, { names, keys, cells }, out, { delimiter: report.delimiter! });
  expect(result.rows).toBe(report.rows);
  expect(result.bytes).toBe(readFileSync(out).length);
  return readFileSync(out, 'utf8');
}

describe('writeCsvRecords', () => {
  it('copies each record as it is in the file and appends the cells, quoted where RFC 4180 needs', async () => {
    const path = fileOf('\ufeffid,"na,me",x\r\n0001,"a ""b""",1.50\r\n\r\n0002,"two\r\nlines",NA\r\n0003,c,2e3');
    const cells = new Map([
      [0, ['0', 'Low x, few rows']],
      [1, ['-1', 'say "hi"']],
      [2, ['2', '']],
    ]);
    const out = await rewrite(path, ['segment', 'segment_name'], cells);
    expect(out).toBe(
      'id,"na,me",x,segment,segment_name\n' +
        '0001,"a ""b""",1.50,0,"Low x, few rows"\n' +
        '0002,"two\r\nlines",NA,-1,"say ""hi"""\n' +
        '0003,c,2e3,2,""\n',
    );
  });

  it("uses the input's delimiter, and leaves out blank lines and the rows the reader skipped", async () => {
    const path = fileOf('a;b\n1,5;x\n\n2,5;y;extra\n3,5;z\n');
    const out = await rewrite(path, ['segment', 'segment_name'], new Map([[0, ['4', 'a;b']]]), { onBadRows: 'skip', delimiter: ';' });
    expect(out).toBe('a;b;segment;segment_name\n1,5;x;4;"a;b"\n3,5;z;4;"a;b"\n');
  });

  it('copies records longer than its 1 MiB chunks and outputs of many chunks', async () => {
    const long = 'é'.repeat(700_000); // 1.4 MB in UTF-8
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},r${i}`);
    rows.splice(30_000, 0, `-1,"${long}"`);
    const text = `n,t\n${rows.join('\n')}\n`;
    const path = fileOf(text);
    const out = await rewrite(path, ['s'], new Map([[0, ['7']]]), { maxFieldBytes: 4 << 20 });
    expect(out).toBe(`n,t,s\n${rows.map((r) => `${r},7`).join('\n')}\n`);
  });

  it('refuses ranges out of order, keys without cells, and a file shorter than its ranges', async () => {
    const path = fileOf('a,b\n1,2\n3,4\n');
    const { report } = await readTable(path, { recordRanges: true });
    const ranges = report.recordRanges!;
    const cells = new Map([[0, ['0']]]);
    const out = join(dir, 'refused.csv');
    const swapped = { ...ranges, starts: Float64Array.from([ranges.starts[1], ranges.starts[0]]), ends: Float64Array.from([ranges.ends[1], ranges.ends[0]]) };
    await expect(writeCsvRecords(path, swapped, { names: ['s'], keys: [0, 0], cells }, out, { delimiter: ',' })).rejects.toThrow(/row 2: .*not in file order/);
    await expect(writeCsvRecords(path, ranges, { names: ['s'], keys: [0, 1], cells }, out, { delimiter: ',' })).rejects.toThrow(ParameterError);
    await expect(writeCsvRecords(path, ranges, { names: ['s'], keys: [0], cells }, out, { delimiter: ',' })).rejects.toThrow(/1 keys for 2 rows/);
    writeFileSync(path, 'a,b\n1,2\n');
    await expect(writeCsvRecords(path, ranges, { names: ['s'], keys: [0, 0], cells }, out, { delimiter: ',' })).rejects.toThrow(DataError);
    await expect(writeCsvRecords(path, ranges, { names: ['s'], keys: [0, 0], cells }, out, { delimiter: ',' })).rejects.toThrow(/changed since it was read/);
    const noHeader = await readTable(fileOf('1,2\n'), { recordRanges: true, header: false });
    await expect(writeCsvRecords(path, noHeader.report.recordRanges!, { names: ['s'], keys: [0], cells }, out, { delimiter: ',' })).rejects.toThrow(/no header record/);
  });
});
