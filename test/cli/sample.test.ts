// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/data/readTable.js';
import { SAMPLE_COLUMNS, SAMPLE_SEGMENT_NAMES, sampleTable } from '../../src/data/sampleGenerator.js';
import { run } from './run.js';
import { tempDir } from '../helpers/tempDir.js';

const folder = (): string => tempDir('segments-sample-');

/** Every cell of `read` equals the generated cell (as text: CSV gives numbers and labels back as they were written). */
function expectSameCells(read: arrow.Table, generated: arrow.Table): void {
  expect(read.numRows).toBe(generated.numRows);
  for (const name of SAMPLE_COLUMNS) {
    const a = read.getChild(name)!;
    const b = generated.getChild(name)!;
    const differ: number[] = [];
    for (let i = 0; i < generated.numRows && differ.length < 3; i++) {
      if (String(a.get(i)) !== String(b.get(i))) differ.push(i);
    }
    expect(differ, `column ${name}, first rows that differ`).toEqual([]);
  }
}

describe('segments sample', () => {
  it('writes the generated users as CSV: read back, the same rows and columns as sampleTable with the seed', async () => {
    const dir = folder();
    const out = join(dir, 'users.csv');
    const r = await run(['sample', '--rows', '3000', '--seed', '7', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote 3000 users × 18 columns \(seed 7\) to .*users\.csv \(csv, /);
    expect(readdirSync(dir)).toEqual(['users.csv']);
    const { table } = await readTable(out);
    expect(table.schema.fields.map((f) => f.name)).toEqual([...SAMPLE_COLUMNS]);
    const { table: generated } = sampleTable({ rows: 3000, seed: 7 });
    expectSameCells(table, generated);
    // A few cells spelled out: user ids count from 1, the interests list keeps its ", " separator.
    expect(table.getChild('User ID')!.get(0)).toBe(1);
    expect(table.getChild('User ID')!.get(2999)).toBe(3000);
    expect(String(table.getChild('Top Interests')!.get(1))).toBe(String(generated.getChild('Top Interests')!.get(1)));
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(SAMPLE_COLUMNS.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','));
  });

  it('writes Arrow by the extension, over more than one generator chunk (one shared dictionary per column)', async () => {
    const dir = folder();
    const out = join(dir, 'users.arrow');
    const r = await run(['sample', '--rows', '70000', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const { table } = await readTable(out);
    expectSameCells(table, sampleTable({ rows: 70_000, seed: 42 }).table);
  });

  it('writes Parquet by --format whatever the extension; --truth adds planted_segment, the planted segment by name', async () => {
    const dir = folder();
    const out = join(dir, 'users.data');
    const r = await run(['sample', '--rows', '2500', '--seed', '3', '--format', 'parquet', '--truth', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ file: out, format: 'parquet', rows: 2500, seed: 3, truthColumn: 'planted_segment' });
    expect(summary.columns).toEqual([...SAMPLE_COLUMNS, 'planted_segment']);
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('PAR1');
    const { table } = await readTable(out);
    const { table: generated, segment } = sampleTable({ rows: 2500, seed: 3 });
    expectSameCells(table, generated);
    const truth = table.getChild('planted_segment')!;
    const names = Array.from({ length: 2500 }, (_, i) => String(truth.get(i)));
    expect(names).toEqual(Array.from(segment, (s) => SAMPLE_SEGMENT_NAMES[s]));
    expect(new Set(names).size).toBe(5);
  });

  it('leaves the planted segment out by default', async () => {
    const out = join(folder(), 'users.csv');
    expect((await run(['sample', '--rows', '10', '--out', out])).code).toBe(0);
    const { table } = await readTable(out);
    expect(table.schema.fields.map((f) => f.name)).not.toContain('planted_segment');
    expect(table.numCols).toBe(SAMPLE_COLUMNS.length);
  });

  it('replaces an existing file whole', async () => {
    const out = join(folder(), 'users.csv');
    writeFileSync(out, 'old,contents\n1,2\n3,4\n'.repeat(1000));
    expect((await run(['sample', '--rows', '5', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('bad --rows, --format or --out: exit 2 with one line naming the flag, and no file', async () => {
    const dir = folder();
    const cases: Array<[string[], RegExp]> = [
      [['--rows', '0', '--out', join(dir, 'a.csv')], /^segments: --rows: 0 must be >= 1 \(see 'segments sample --help'\)$/],
      [['--rows', 'many', '--out', join(dir, 'a.csv')], /^segments: --rows: 'many' is not an integer/],
      [['--rows', '1.5', '--out', join(dir, 'a.csv')], /^segments: --rows: '1\.5' is not an integer/],
      [['--format', 'xlsx', '--out', join(dir, 'a.csv')], /^segments: --format: 'xlsx' is not one of csv, arrow, parquet/],
      [['--rows', '10'], /^segments: --out FILE is required/],
      [['--out', join(dir, 'a.tsv')], /^segments: --out: cannot tell the format of '.*a\.tsv' from its extension; name it \.csv, \.arrow or \.parquet, or pass --format/],
      [['--out', join(dir, 'a.toString')], /^segments: --out: cannot tell the format/],
      [['--k', '5', '--out', join(dir, 'a.csv')], /^segments: unknown flag --k for 'sample'/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['sample', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(1);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a run that fails while writing leaves neither the file nor its temporary', async () => {
    const dir = folder();
    // More rows than the Int32 User ID holds: the generator refuses on its first chunk, after the temporary was opened.
    const r = await run(['sample', '--rows', '3000000000', '--out', join(dir, 'users.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('segments: rows=3000000000 is more than the Int32 User ID holds');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('interrupted (SIGINT) while writing: exit 130, and neither the file nor its temporary is left', async () => {
    const dir = folder();
    const cli = join(folder(), 'cli.mts');
    writeFileSync(cli, `import { main } from ${JSON.stringify(join(__dirname, '..', '..', 'src', 'cli', 'main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'sample', '--rows', '20000000', '--out', join(dir, 'users.csv'), '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the temporary file is there and growing, then interrupt.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !readdirSync(dir).some((f) => f.endsWith('.tmp'))) await new Promise((r) => setTimeout(r, 50));
    const seen = readdirSync(dir);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^\.users\.csv\.\d+\.tmp$/);
    expect(readdirSync(dir)).toEqual([]);
  }, 90_000);

  it('a folder that does not exist: exit 1 naming it', async () => {
    const r = await run(['sample', '--out', '/nonexistent-segments/users.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toBe("segments: cannot write '/nonexistent-segments/users.csv': the folder '/nonexistent-segments' does not exist");
    expect(existsSync('/nonexistent-segments')).toBe(false);
  });

  it('--help describes the file it writes', async () => {
    const r = await run(['sample', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['--rows N', '--out FILE', '--format csv|arrow|parquet', '--truth', 'planted_segment']) expect(r.out).toContain(s);
  });
});
