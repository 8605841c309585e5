// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { CsvError, csvBatches, parseNumberBytes, readCsv, sniffDelimiter, Utf8Check } from '../../src/data/csv.js';
import { DataError, ParameterError } from '../../src/errors.js';
import { DATA_DIR } from '../helpers/data.js';

const DATA = DATA_DIR.slice(0, -1);
const file = (name: string) => new Uint8Array(readFileSync(`${DATA}/${name}`));
const enc = (s: string) => new TextEncoder().encode(s);

/** Column name → values (Arrow's own getters), to compare tables. */
function contents(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  table.schema.fields.forEach((f, j) => {
    out[`${f.name}:${f.type}`] = Array.from(table.getChildAt(j)!, (v) => v);
  });
  return out;
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const column = (t: Table, name: string) => Array.from(t.getChild(name)!, (v) => v) as unknown[];
const sum = (xs: unknown[]) => xs.reduce<number>((a, v) => a + (v == null ? 0 : Number(v)), 0);
const nulls = (xs: unknown[]) => xs.filter((v) => v == null).length;

describe('readCsv on the shared data files (values checked against pandas 1.5 read_csv)', () => {
  it('Mall_Customers.csv: CRLF, zero-padded ids, 200 × 5', async () => {
    const { table, report } = await readCsv(file('Mall_Customers.csv'));
    expect([table.numRows, table.numCols]).toEqual([200, 5]);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Int32', 'Utf8', 'Int32', 'Int32', 'Int32']);
    expect(column(table, 'CustomerID').slice(0, 3)).toEqual([1, 2, 3]);
    expect([sum(column(table, 'Age')), sum(column(table, 'Annual Income (k$)')), sum(column(table, 'Spending Score (1-100)'))]).toEqual([7770, 12112, 10040]);
    expect(column(table, 'Genre').filter((g) => g === 'Female').length).toBe(112);
    expect(report).toMatchObject({ delimiter: ',', lineEnding: 'CRLF', bom: false, badRowCount: 0, lines: 201 });
  });

  it('social_media_wellbeing_test.csv fails by default, quoting line 95 (Age and Gender swapped)', async () => {
    const err = await readCsv(file('social_media_wellbeing_test.csv')).catch((e) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/line 95: column 'Age': 'Male' is not a number/);
    expect(err.line).toBe(95);
    expect(err.column).toBe('Age');
    expect(err.badRows).toHaveLength(1);
  });

  it("social_media_wellbeing_test.csv with 'skip' and 'null': 102 or 103 rows, blank lines skipped", async () => {
    const skip = await readCsv(file('social_media_wellbeing_test.csv'), { onBadRows: 'skip' });
    expect(skip.table.numRows).toBe(102);
    expect(skip.report.badRows).toEqual([
      { line: 95, reason: "column 'Age': 'Male' is not a number", column: 'Age', text: '651,Male,27,Instagram,165,6,85,30,28,Happiness', action: 'skipped' },
    ]);
    expect(skip.report.skippedRows).toBe(1);
    expect(skip.report.blankLines).toBe(103);
    // pandas: 103 rows; to_numeric(Age, errors='coerce') has one NaN and sums to 2792
    const kept = await readCsv(file('social_media_wellbeing_test.csv'), { onBadRows: 'null' });
    expect(kept.table.numRows).toBe(103);
    const age = column(kept.table, 'Age');
    expect([sum(age), nulls(age)]).toEqual([2792, 1]);
    expect(sum(column(kept.table, 'Daily_Usage_Time (minutes)'))).toBe(9065);
    expect(column(kept.table, 'Gender')[age.indexOf(null)]).toBe('27');
    expect(kept.report).toMatchObject({ nulledCells: 1, skippedRows: 0, badRowCount: 1 });
  });

  it('social_media_wellbeing_train.csv reports the 76 swapped rows and the stray Turkish line 1285', async () => {
    const { table, report } = await readCsv(file('social_media_wellbeing_train.csv'), { onBadRows: 'skip' });
    expect(report.badRowCount).toBe(77);
    expect(table.numRows).toBe(1001 - 77);
    const stray = report.badRows.find((b) => b.line === 1285)!;
    expect(stray.reason).toBe('expected 10 fields, got 2');
    expect(stray.text).toBe('Tabii, işte mevcut veri kümesini 1000 satıra tamamlıyorum:');
    const swapped = report.badRows.filter((b) => b.column === 'Age');
    expect(swapped).toHaveLength(76);
    expect(swapped[0]).toMatchObject({ line: 503, text: '251,Male,27,Instagram,165,6,85,30,28,Happiness' });
    expect(swapped.every((b) => /^'(Male|Female|Non-binary)' is not a number$/.test(b.reason.split(': ')[1]))).toBe(true);
    // 'null' keeps the swapped rows (Age null) and leaves out the line with 2 fields;
    // pandas' to_numeric(Age, errors='coerce') sums to 25410 with 77 NaN (76 + the junk row)
    const kept = await readCsv(file('social_media_wellbeing_train.csv'), { onBadRows: 'null' });
    expect(kept.table.numRows).toBe(1000);
    expect([sum(column(kept.table, 'Age')), nulls(column(kept.table, 'Age'))]).toEqual([25410, 76]);
    expect(sum(column(kept.table, 'Daily_Usage_Time (minutes)'))).toBe(95950);
  });

  it('tiktok_profilesData.csv: quoted fields with newlines give 1000 rows over 1912 lines', async () => {
    const { table, report } = await readCsv(file('tiktok_profilesData.csv'));
    expect([table.numRows, table.numCols]).toEqual([1000, 18]);
    expect(report).toMatchObject({ lines: 1912, lineEnding: 'LF', badRowCount: 0 });
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'timestamp:Utf8', 'account_id:Utf8', 'nickname:Utf8', 'biography:Utf8', 'awg_engagement_rate:Float64',
      'comment_engagement_rate:Float64', 'like_engagement_rate:Float64', 'bio_link:Utf8', 'is_verified:Bool',
      'followers:Int32', 'following:Int32', 'likes_receieved:Int32', 'videos_count:Int32', 'create_time:Utf8',
      'id:Float64', 'top_videos:Utf8', 'url:Utf8', 'profile_pic_url:Utf8',
    ]);
    expect(sum(column(table, 'followers'))).toBe(113086883);
    expect(sum(column(table, 'likes_receieved'))).toBe(3371785884);
    expect(sum(column(table, 'awg_engagement_rate'))).toBeCloseTo(562.9322983131001, 9);
    expect(column(table, 'is_verified').filter(Boolean).length).toBe(19);
    expect([nulls(column(table, 'biography')), nulls(column(table, 'bio_link')), nulls(column(table, 'create_time'))]).toEqual([3, 809, 1000]);
    const bio = column(table, 'biography') as (string | null)[];
    expect(bio[2]).toBe('Активный пользователь ТикТока 🌝\nМеня зовут BDR-€X😏( скоро узнаете ) \n21 year🥰');
    expect(bio[61]).toBe('clothing brand. 👗 👜\nviber/9840069710 “call 9823628219"\n@skd_ladies_fashion_wea');
    expect(bio.filter((b) => b?.includes('\n')).length).toBe(500);
    // pandas str.len() counts code points
    expect(bio.reduce((a, b) => a + (b ? [...b].length : 0), 0)).toBe(39580);
    expect(column(table, 'nickname')[0]).toBe('❤️❤️❤️');
    expect(column(table, 'account_id')[999]).toBe('cleanwithriaa');
  });

  it('user_profiles_for_ads.csv: CRLF with quoted comma lists, 1000 × 16', async () => {
    const { table, report } = await readCsv(file('user_profiles_for_ads.csv'));
    expect([table.numRows, table.numCols]).toEqual([1000, 16]);
    expect(report.lineEnding).toBe('CRLF');
    expect(sum(column(table, 'Click-Through Rates (CTR)'))).toBeCloseTo(125.333, 9);
    expect(sum(column(table, 'Likes and Reactions'))).toBe(4997084);
    expect(column(table, 'Top Interests')[4]).toBe('Fitness and Wellness, Investing and Finance, Gardening, Music Production');
    expect(column(table, 'Age')[1]).toBe('65+');
  });
});

describe('readCsv gives the same table whatever the chunk sizes', () => {
  const cases: [string, Uint8Array][] = [
    ['tiktok (multi-byte UTF-8, quotes, embedded newlines)', file('tiktok_profilesData.csv')],
    ['social media test (CRLF, blank lines)', file('social_media_wellbeing_test.csv')],
    ['ads (CRLF, quoted lists)', file('user_profiles_for_ads.csv')],
    ['BOM, CR-only and CRLF, doubled quotes', enc('\uFEFFname,note,x\r"a ""q"" b","é\r\nü",1\r"€",,2\r\n\r\nz,"x,y",3\n')],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const whole = await readCsv(bytes, { onBadRows: 'null' });
      for (const size of [1, 7, 65536]) {
        const split = await readCsv(pieces(bytes, size), { onBadRows: 'null' });
        expect(contents(split.table)).toEqual(contents(whole.table));
        expect(split.report.badRows).toEqual(whole.report.badRows);
        expect(split.report.lines).toBe(whole.report.lines);
      }
    });
  }

  it('reads the hand-made dialect right', async () => {
    const { table, report } = await readCsv(enc('\uFEFFname,note,x\r"a ""q"" b","é\r\nü",1\r"€",,2\r\n\r\nz,"x,y",3\n'));
    expect(column(table, 'name')).toEqual(['a "q" b', '€', 'z']);
    expect(column(table, 'note')).toEqual(['é\r\nü', null, 'x,y']);
    expect(column(table, 'x')).toEqual([1, 2, 3]);
    expect(report).toMatchObject({ bom: true, lineEnding: 'mixed', blankLines: 1 });
  });
});

describe('readCsv on bad input: a clear error or a report, no crash, no hang', () => {
  it('an empty input is an error', async () => {
    await expect(readCsv(new Uint8Array(0))).rejects.toThrow(/empty/);
    await expect(readCsv(enc('\uFEFF\r\n\n'))).rejects.toThrow(/empty/);
  });

  it('a header only gives an empty table and says so', async () => {
    const { table, report } = await readCsv(enc('a,b,c\r\n'));
    expect([table.numRows, table.numCols]).toEqual([0, 3]);
    expect(report.notes).toContain('a header but no data rows: the table is empty');
  });

  it('one column: no delimiter found, one column read', async () => {
    const { table, report } = await readCsv(enc('score\n1\n2\n\n3\n'));
    expect(column(table, 'score')).toEqual([1, 2, 3]);
    expect(report.notes[0]).toMatch(/no delimiter/);
  });

  it('binary garbage: NUL bytes and invalid UTF-8 are named with their offset', async () => {
    const bin = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bin.length; i++) bin[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    await expect(readCsv(bin)).rejects.toThrow(/NUL byte|invalid UTF-8/);
    await expect(readCsv(enc('a,b\n1,2\n3,\0\n'))).rejects.toThrow(/line 3: a NUL byte at offset 10/);
    await expect(readCsv(new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a]))).rejects.toThrow(/line 2: invalid UTF-8 \(byte 0xff at offset 6\)/);
    await expect(readCsv(new Uint8Array([0xff, 0xfe, 0x61, 0x00]), { encoding: 'utf-8' })).rejects.toThrow(/UTF-16 byte-order mark but encoding 'utf-8'/);
    await expect(readCsv(new Uint8Array([0x61, 0x0a, 0xe2, 0x82]))).rejects.toThrow(/line 2: the input ends inside a UTF-8 character/);
    // the line of the cut, not line 1 (the parser had not scanned a small input before the end)
    await expect(readCsv(enc('a,b\n1,2\n3,4\n5,\u00e9').subarray(0, 15))).rejects.toThrow(/line 4: the input ends inside a UTF-8 character/);
  });

  it('a line over the limit fails fast, without reading the rest of an endless stream', async () => {
    const mib = new Uint8Array(1 << 20).fill(0x61);
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield enc('a,b\n1,');
      for (;;) {
        pulled++;
        yield mib;
      }
    }
    const err = await readCsv(endless()).catch((e) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect(err.message).toMatch(/line 2: a field longer than 16777216 bytes \(maxFieldBytes\)/);
    expect(pulled).toBeLessThanOrEqual(18);
    const open = await readCsv(endless(), { maxFieldBytes: 1 << 20 }).catch((e) => e);
    expect(open.message).toMatch(/a field longer than 1048576 bytes/);
  });

  it('an unclosed quote is named by its line', async () => {
    await expect(readCsv(enc('a,b\n1,2\n3,"oops\n4,5\n'))).rejects.toThrow(/quoted field starting on line 3 is never closed/);
  });

  it('ragged rows are bad rows with their line numbers', async () => {
    const text = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n';
    await expect(readCsv(enc(text))).rejects.toThrow(/2 rows do not parse \(line 3: expected 3 fields, got 2; line 4: expected 3 fields, got 4\)/);
    const { table, report } = await readCsv(enc(text), { onBadRows: 'skip' });
    expect(column(table, 'a')).toEqual([1, 10]);
    expect(report.badRows.map((b) => [b.line, b.text])).toEqual([
      [3, '4,5'],
      [4, '6,7,8,9'],
    ]);
  });

  it('a numeric column with one stray text: reported, never a silent NaN', async () => {
    const rows = ['id,v'];
    for (let i = 0; i < 50; i++) rows.push(`${i},${i * 1.5}`);
    rows.splice(20, 0, 'x,oops');
    const text = enc(rows.join('\n'));
    const err = await readCsv(text).catch((e) => e);
    expect(err.message).toMatch(/line 21: column 'id': 'x' is not a number/);
    const { table, report } = await readCsv(text, { onBadRows: 'null' });
    expect(table.numRows).toBe(51);
    expect(column(table, 'v')[19]).toBeNull();
    expect(report.badRows[0]).toMatchObject({ line: 21, column: 'id', action: 'nulled' });
    // read as text when asked
    const asText = await readCsv(text, { columnTypes: { id: 'string', v: 'string' } });
    expect(column(asText.table, 'v')[19]).toBe('oops');
  });

  it('rejects bad options', async () => {
    await expect(readCsv(enc('a\n1\n'), { delimiter: ';;' })).rejects.toThrow(ParameterError);
    await expect(readCsv(enc('a\n1\n'), { onBadRows: 'ignore' as never })).rejects.toThrow(/onBadRows/);
    await expect(readCsv(enc('a\n1\n'), { columnTypes: { b: 'string' } })).rejects.toThrow(/not a column/);
  });
});

describe('readCsv dialects and options', () => {
  it('sniffs ; tab and | and reads a decimal comma', async () => {
    const semi = await readCsv(enc('a;b\n"1,5";x\n2,25;y\n'), { decimal: ',' });
    expect(semi.report.delimiter).toBe(';');
    expect(column(semi.table, 'a')).toEqual([1.5, 2.25]);
    const tab = await readCsv(enc('a\tb, c\n1\tx, y\n2\tz\n'));
    expect(tab.report.delimiter).toBe('\t');
    expect(column(tab.table, 'b, c')).toEqual(['x, y', 'z']);
    const pipe = await readCsv(enc('a|b\n1|2\n'));
    expect(column(pipe.table, 'b')).toEqual([2]);
    const given = sniffDelimiter(enc('a,b;c\n1,2;3\n4,5;6\n'), 0, 18);
    expect(given.delimiter).toBe(44);
  });

  it('stops at maxRows, names repeated and empty headers like pandas, reads without a header', async () => {
    const { table, report } = await readCsv(enc('a,a,\n1,2,3\n4,5,6\n7,8,9\n'), { maxRows: 2 });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'a.1', 'Unnamed: 2']);
    expect(table.numRows).toBe(2);
    expect(report.truncated).toBe(true);
    const noHeader = await readCsv(enc('1,x\n2,y\n'), { header: false });
    expect(noHeader.table.schema.fields.map((f) => f.name)).toEqual(['column_1', 'column_2']);
    expect(column(noHeader.table, 'column_1')).toEqual([1, 2]);
  });

  it('missing-value markers and booleans are read; infinities and overflow are bad cells named by line and column', async () => {
    const text = enc('a,b,c\nNA,TRUE,inf\n1.5,false,-Infinity\nnull,,2\n3,true,1e999\n');
    const err = await readCsv(text).catch((e) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect(err.message).toMatch(/3 rows do not parse \(line 2: column 'c': 'inf' is not a finite number; line 3: column 'c': '-Infinity' is not a finite number; line 5: column 'c': '1e999' is not a finite number\)/);
    expect([err.line, err.column]).toEqual([2, 'c']);
    const { table, report } = await readCsv(text, { onBadRows: 'null' });
    expect(column(table, 'a')).toEqual([null, 1.5, null, 3]);
    expect(column(table, 'b')).toEqual([true, false, null, true]);
    expect(column(table, 'c')).toEqual([null, null, 2, null]);
    expect(report.nulledCells).toBe(3);
    expect(report.badRows.map((b) => [b.line, b.column, b.action])).toEqual([
      [2, 'c', 'nulled'],
      [3, 'c', 'nulled'],
      [5, 'c', 'nulled'],
    ]);
    const skipped = await readCsv(text, { onBadRows: 'skip' });
    expect(column(skipped.table, 'c')).toEqual([2]);
  });

  it('maxRows limits what is read: bad rows past it are neither reported nor fatal', async () => {
    // Line 4 is the 3rd data row (a bad cell), line 5 has a wrong field count; neither is read with maxRows 2.
    const text = enc('a,b\n1,x\n2,y\noops,z\n4\n5,w\n');
    const { table, report } = await readCsv(text, { maxRows: 2, columnTypes: { a: 'int32' } });
    expect(column(table, 'a')).toEqual([1, 2]);
    expect([report.badRowCount, report.badRows.length, report.nulledCells, report.truncated]).toEqual([0, 0, 0, true]);
    // With 'null' and a bad cell inside the limit, only that one is counted.
    const inside = await readCsv(enc('a,b\n1,x\noops,y\n3,z\nbad,w\n'), { maxRows: 2, onBadRows: 'null', columnTypes: { a: 'int32' } });
    expect(column(inside.table, 'a')).toEqual([1, null]);
    expect([inside.report.badRowCount, inside.report.nulledCells]).toEqual([1, 1]);
    expect(inside.report.badRows.map((b) => b.line)).toEqual([3]);
    // With 'skip', the rows past a skipped one fill the limit: still two rows, one bad row reported.
    const skip = await readCsv(enc('a,b\n1,x\noops,y\n3,z\nbad,w\n'), { maxRows: 2, onBadRows: 'skip', columnTypes: { a: 'int32' } });
    expect(column(skip.table, 'a')).toEqual([1, 3]);
    expect(skip.report.badRows.map((b) => b.line)).toEqual([3]);
  });

  it('gives the line where each row starts (rowLines), past blank lines, quoted newlines and skipped rows', async () => {
    const text = enc('a,b\n1,"x\ny"\n\n2,z\nbad,w\n3,v\n');
    const { report } = await readCsv(text, { onBadRows: 'skip', columnTypes: { a: 'int32' } });
    expect(Array.from(report.rowLines ?? [])).toEqual([2, 5, 7]);
    // Many batches: the lines carry on from batch to batch.
    const rows = ['n'];
    for (let i = 0; i < 250; i++) rows.push(String(i), '');
    const many = await readCsv(enc(rows.join('\n')), { batchRows: 100 });
    expect(Array.from(many.report.rowLines ?? [])).toEqual(Array.from({ length: 250 }, (_, i) => 2 + 2 * i));
  });

  it('widens int32 to float64 when a later batch needs it, and says where', async () => {
    const rows = ['n'];
    for (let i = 0; i < 300; i++) rows.push(String(i));
    rows.push('3000000000', '2.5');
    const stream = csvBatches(enc(rows.join('\n')), { batchRows: 100 });
    const types: string[] = [];
    for await (const b of stream) types.push(String(b.schema.fields[0].type));
    expect(types).toEqual(['Int32', 'Int32', 'Int32', 'Float64']);
    expect(stream.report.notes).toContain("column 'n' widened from int32 to float64 at line 302");
    const { table } = await readCsv(enc(rows.join('\n')), { batchRows: 100 });
    expect(String(table.schema.fields[0].type)).toBe('Float64');
    expect(column(table, 'n').slice(-3)).toEqual([299, 3e9, 2.5]);
  });
});

const HOSTILE = join(__dirname, '..', 'fixtures', 'hostile');

describe('readCsv finds decimal commas where the file leaves no other reading', () => {
  it("a ';' file with 0,438 and 4,5 is read with decimal commas, and the note says where it saw them", async () => {
    const { table, report } = await readCsv(readFileSync(join(HOSTILE, 'decimal_comma.csv')));
    expect(report.delimiter).toBe(';');
    expect(report.decimal).toBe(',');
    expect(report.notes).toContain("decimal commas found (e.g. '0,233' in column 'ratio' on line 2): numbers are read with ',' as the decimal mark (pass decimal '.', CLI --decimal ., to read them otherwise)");
    expect(String(table.schema.fields[1].type)).toBe('Float64');
    // the last row, written by scripts/make_hostile_fixtures.ts: 0,438 and 4,5
    expect(column(table, 'ratio').at(-1)).toBe(0.438);
    expect(column(table, 'score').at(-1)).toBe(4.5);
    // '.' thousands groups before the comma stay text, for kind inference to read with the format
    expect(column(table, 'amount').at(-1)).toBe('2.245,71');
  });

  it("reads 4,5 among integers as 4.5, not as a bad row in a numeric column", async () => {
    const rows = ['n;x'];
    for (let i = 0; i < 30; i++) rows.push(`${i};${i}`);
    rows.push('30;4,5');
    const { table, report } = await readCsv(enc(rows.join('\n')));
    expect(report.badRowCount).toBe(0);
    expect(column(table, 'x').at(-1)).toBe(4.5);
  });

  it("decides nothing from 1,234 alone, nor in a ',' file, nor when decimal is given", async () => {
    const ambiguous = await readCsv(enc('a;b\n1,234;x\n5,678;y\n'));
    expect(ambiguous.report.decimal).toBe('.');
    expect(column(ambiguous.table, 'a')).toEqual(['1,234', '5,678']);
    const commaFile = await readCsv(enc('a,b\n"0,5",1\n"4,5",2\n'));
    expect(commaFile.report.decimal).toBe('.');
    const given = await readCsv(enc('a;b\n0,5;1.5\n4,5;2.5\n'), { decimal: '.' });
    expect(given.report.decimal).toBe('.');
    expect(column(given.table, 'b')).toEqual([1.5, 2.5]);
    // points that only a decimal point reads outvote the commas
    const points = await readCsv(enc('a;b;c\n0,5;1.5;2.5\n1;3.25;4.75\n'));
    expect(points.report.decimal).toBe('.');
  });
});

describe('readCsv keeps formatted numbers as text for kind inference', () => {
  it('a column of plain numbers with some 1,234 is text, not a numeric column with bad rows', async () => {
    const rows = ['id,amount'];
    for (let i = 0; i < 95; i++) rows.push(`${i},${100 + i}`);
    for (let i = 95; i < 100; i++) rows.push(`${i},"${1 + (i % 9)},${String(100 + i).padStart(3, '0')}"`);
    const { table, report } = await readCsv(enc(rows.join('\n')));
    expect(report.badRowCount).toBe(0);
    expect(String(table.schema.fields[1].type)).toBe('Utf8');
    expect(column(table, 'amount').at(-1)).toBe('1,199');
    // a text that is no number still makes its row bad in a numeric column
    const junk = ['id,amount', ...Array.from({ length: 95 }, (_, i) => `${i},${i}`), '95,lots'];
    await expect(readCsv(enc(junk.join('\n')))).rejects.toThrow(/line 97: column 'amount': 'lots' is not a number/);
  });
});

describe('readCsv encodings', () => {
  const expected = { name: ['Zoë', 'José', 'Chloé', 'Œdipe'], city: ['Zürich', 'São Paulo', 'Besançon', 'Málaga'], spend: [12.5, 7, 3.25, 4] };

  it('reads UTF-16 LE and BE by the byte-order mark, in chunks of any size', async () => {
    for (const f of ['utf16le.csv', 'utf16be.csv']) {
      const bytes = readFileSync(join(HOSTILE, f));
      for (const chunks of [[bytes], Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(3 * i, 3 * i + 3))]) {
        const { table, report } = await readCsv(chunks);
        expect(report.encoding).toBe(f === 'utf16le.csv' ? 'utf-16le' : 'utf-16be');
        expect(report.notes).toContain(`read as ${f === 'utf16le.csv' ? 'UTF-16LE' : 'UTF-16BE'} (the file starts with its byte-order mark)`);
        expect(report.bytesRead).toBe(bytes.length);
        for (const [k, v] of Object.entries(expected)) expect(column(table, k)).toEqual(v);
      }
    }
  });

  it('reads Windows-1252 and Latin-1 when told, and refuses them otherwise naming the line, the byte and the option', async () => {
    const cp = readFileSync(join(HOSTILE, 'cp1252.csv'));
    const { table, report } = await readCsv(cp, { encoding: 'windows-1252' });
    expect(report.encoding).toBe('windows-1252');
    for (const [k, v] of Object.entries(expected)) expect(column(table, k)).toEqual(v);
    const latin = await readCsv(readFileSync(join(HOSTILE, 'latin1.csv')), { encoding: 'latin1' });
    expect(column(latin.table, 'city')).toEqual(expected.city.slice(0, 3));
    const err = await readCsv(cp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(2);
    // 'Zoë': 'Zo' is 2 bytes after the header's 17 bytes (with CRLF), so ë (0xeb) is at offset 17 + 2
    expect((err as Error).message).toMatch(/^readCsv: line 2: invalid UTF-8 \(byte 0xeb at offset 19\).*encoding.*'windows-1252'.*CLI --encoding/);
  });

  it('refuses an unknown encoding, and UTF-16 text that is cut', async () => {
    await expect(readCsv(enc('a\n1\n'), { encoding: 'ebcdic' })).rejects.toThrow(ParameterError);
    await expect(readCsv(Uint8Array.of(0xff, 0xfe, 0x61, 0x00, 0x0a))).rejects.toThrow(/line 1: the input is not valid UTF-16LE text/);
  });
});

describe('parseNumberBytes and Utf8Check', () => {
  it('parses like Number() on decimal texts, including long and tiny ones', () => {
    let x = 7;
    const rnd = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
    // negatives with an exponent beyond 10^±22 were read with their sign flipped (-1e-30 as 1e-30)
    const texts = ['0', '-0.5', '+3', '.25', '5.', '1e3', '2.5E-3', '123456789012345678', '0.1234567890123456789', '1e-30', '9007199254740993', '-1e-30', '-5e-324', '-1.7976931348623157e308', '-2.5e23'];
    for (let i = 0; i < 2000; i++) texts.push((rnd() * 10 ** Math.floor(rnd() * 12 - 4)).toPrecision(1 + Math.floor(rnd() * 17)));
    for (const t of texts) {
      const b = enc(` ${t} `);
      expect(parseNumberBytes(b, 0, b.length)).toBe(Number(t));
    }
    for (const t of ['', '-', '1.2.3', '1e', 'abc', '0x10', '1,000']) expect(parseNumberBytes(enc(t), 0, t.length)).toBeNaN();
  });

  it('finds invalid UTF-8 and NUL, also split between chunks', () => {
    const c = new Utf8Check();
    const euro = enc('x€y');
    expect(c.check(euro.subarray(0, 2))).toBe(-1);
    expect(c.incomplete).toBe(true);
    expect(c.check(euro.subarray(2))).toBe(-1);
    expect(c.incomplete).toBe(false);
    expect(new Utf8Check().check(new Uint8Array([0x41, 0xc0, 0x80]))).toBe(1);
    expect(new Utf8Check().check(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(2);
    const long = new Uint8Array(1000).fill(0x41);
    long[777] = 0;
    expect(new Utf8Check().check(long.subarray(3))).toBe(774);
  });
});

describe('recordRanges', () => {
  /** The text of each range of the report, decoded from the input's bytes. */
  const texts = (bytes: Uint8Array, report: { recordRanges?: { header: { start: number; end: number } | null; starts: Float64Array; ends: Float64Array } }) => {
    const r = report.recordRanges!;
    const dec = new TextDecoder();
    return {
      header: r.header === null ? null : dec.decode(bytes.subarray(r.header.start, r.header.end)),
      rows: Array.from(r.starts, (s, i) => dec.decode(bytes.subarray(s, r.ends[i]))),
    };
  };

  it('are left out unless asked for', async () => {
    const { report } = await readCsv(enc('a,b\n1,2\n'));
    expect(report.recordRanges).toBeUndefined();
  });

  it('give each row its record without the line terminator, with LF, CRLF, CR and no final newline', async () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const bytes = enc(['a,b', '1,x', '2,y', '3,z'].join(nl));
      const { report } = await readCsv(bytes, { recordRanges: true });
      expect(texts(bytes, report)).toEqual({ header: 'a,b', rows: ['1,x', '2,y', '3,z'] });
      expect(report.recordRanges!.namesChanged).toBe(false);
    }
  });

  it('are file offsets past a UTF-8 byte-order mark', async () => {
    const bytes = enc('\ufeffa,b\r\n1,é\r\n');
    const { report } = await readCsv(bytes, { recordRanges: true });
    expect(report.bom).toBe(true);
    expect(report.recordRanges!.header).toEqual({ start: 3, end: 6 });
    expect(report.recordRanges!.starts[0]).toBe(8);
    expect(report.recordRanges!.ends[0]).toBe(12); // '1,é' is 4 bytes
  });

  it('hold quoted fields with delimiters and line breaks whole, and skip blank lines, bad rows and rows past maxRows', async () => {
    const lines = ['id;name;x', '1;"a;b";1,5', '', '2;"two\r\nlines ""q""";2,5', '3;only two', '4;bad;zz', '', '5;"x\ny";3,5', '6;last;4,5'];
    const bytes = enc(lines.join('\r\n'));
    // numericShare 0.5: 'zz' is then a bad cell of the numeric column x, not a reason to read x as text
    const skip = await readCsv(bytes, { recordRanges: true, onBadRows: 'skip', numericShare: 0.5 });
    expect(skip.table.numRows).toBe(4);
    expect(texts(bytes, skip.report)).toEqual({ header: 'id;name;x', rows: ['1;"a;b";1,5', '2;"two\r\nlines ""q""";2,5', '5;"x\ny";3,5', '6;last;4,5'] });
    const first = await readCsv(bytes, { recordRanges: true, onBadRows: 'skip', numericShare: 0.5, maxRows: 3 });
    expect(texts(bytes, first.report).rows).toEqual(['1;"a;b";1,5', '2;"two\r\nlines ""q""";2,5', '5;"x\ny";3,5']);
    // 'null' keeps the row with a bad cell (the reader nulls it), not the one with a wrong field count
    const nulled = await readCsv(bytes, { recordRanges: true, onBadRows: 'null', numericShare: 0.5 });
    expect(texts(bytes, nulled.report).rows).toEqual(['1;"a;b";1,5', '2;"two\r\nlines ""q""";2,5', '4;bad;zz', '5;"x\ny";3,5', '6;last;4,5']);
  });

  it('stay right across chunks of any size, batches and buffer shifts', async () => {
    // records of known offsets, some quoted over lines, with blank lines between: ~300 KB
    const records: string[] = [];
    let text = 'k,note,v\r\n';
    const offsets: Array<[number, number]> = [];
    const byteLength = (s: string) => enc(s).length;
    for (let i = 0; i < 4000; i++) {
      const note = i % 7 === 0 ? `"line ${i}\nnext, ""quoted"" é"` : `plain${'x'.repeat(i % 50)}`;
      const rec = `${i},${note},${(i * 0.25).toFixed(2)}`;
      const start = byteLength(text);
      text += rec + (i % 5 === 0 ? '\r\n\r\n' : '\r\n');
      records.push(rec);
      offsets.push([start, start + byteLength(rec)]);
    }
    const bytes = enc(text);
    for (const size of [1 << 20, 4093, 977]) {
      const { report } = await readCsv(pieces(bytes, size), { recordRanges: true, batchRows: 300 });
      expect(report.rows).toBe(4000);
      expect(Array.from(report.recordRanges!.starts)).toEqual(offsets.map((o) => o[0]));
      expect(Array.from(report.recordRanges!.ends)).toEqual(offsets.map((o) => o[1]));
    }
    // byte by byte, ending without a line terminator
    const small = await readCsv(pieces(bytes.subarray(0, offsets[9][1]), 1), { recordRanges: true });
    expect(texts(bytes, small.report).rows).toEqual(records.slice(0, 10));
  });

  it('say when the names are not the header texts, and are left out for a transcoded input', async () => {
    const dup = await readCsv(enc('a,a,\n1,2,3\n'), { recordRanges: true });
    expect(dup.report.recordRanges!.namesChanged).toBe(true);
    const quoted = await readCsv(enc('"a","b c"\n1,2\n'), { recordRanges: true });
    expect(quoted.report.recordRanges!.namesChanged).toBe(false);
    const given = await readCsv(enc('a,b\n1,2\n'), { recordRanges: true, columnNames: ['x', 'y'] });
    expect(given.report.recordRanges!.namesChanged).toBe(true);
    const none = await readCsv(enc('1,2\n3,4\n'), { recordRanges: true, header: false });
    expect(none.report.recordRanges!.header).toBeNull();
    expect(none.report.recordRanges!.namesChanged).toBe(true);
    const latin = await readCsv(new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xe9, 0x0a]), { recordRanges: true, encoding: 'latin1' });
    expect(latin.table.numRows).toBe(1);
    expect(latin.report.recordRanges).toBeUndefined();
  });
});
