// SPDX-License-Identifier: MIT
/**
 * `segments predict` and `profile` on rows they cannot read (issue 13, item 3): a row with a cell
 * that is not a finite number is never given a segment silently. By default the command fails
 * naming the file's line and the column; with --bad-rows skip or null the rows get no segment,
 * are listed (stdout, <out>.bad-rows.csv) and counted; blank cells are filled as at fit and counted.
 * The files are written by the test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/data/readTable.js';
import { run } from './run.js';
import { tempDir } from '../helpers/tempDir.js';

const BASE = ['--backend', 'cpu', '--seed', '1'];
const dir = tempDir('segments-predict-');
const train = join(dir, 'train.csv');
const fresh = join(dir, 'new.csv');
const model = join(dir, 'out', 'model.json');

// 60 training rows made by a formula; 'income' has no blank, 'plan' three values.
const trainLines = ['age,income,visits,plan'];
for (let i = 0; i < 60; i++) trainLines.push(`${18 + ((i * 7) % 50)},${10000 + ((i * 7919) % 80000)},${(i * 13) % 50},${'abc'[i % 3]}`);
// Line 2 is fine, lines 3-6 cannot be read (inf, overflow, text, a unit), line 7 has a blank income, line 8 is fine.
const NEW = ['age,income,visits,plan', '25,30000,3,a', '40,inf,4,b', '33,1e999,2,c', '50,lots,7,a', '29,19500 USD,1,b', '45,,9,c', '38,52000,5,a'];
const REFUSED = [
  "line 3: column 'income': 'inf' is not a finite number",
  "line 4: column 'income': '1e999' is not a finite number",
  "line 5: column 'income': 'lots' is not a number",
];

beforeAll(async () => {
  writeFileSync(train, `${trainLines.join('\n')}\n`);
  writeFileSync(fresh, `${NEW.join('\n')}\n`);
  const r = await run(['fit', train, ...BASE, '--k', '3', '--n-init', '1', '--out', join(dir, 'out'), '--quiet', '--json']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out).columns.find((c: { name: string }) => c.name === 'income')).toMatchObject({ kind: 'number', use: true });
}, 60_000);

describe('segments predict on rows it cannot read', () => {
  it('fails by default (exit 1), naming the file, the lines and the column, and the flag that goes on', async () => {
    const r = await run(['predict', model, fresh, ...BASE, '--out', join(dir, 'fail.csv')]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => l.startsWith('segments:'))).toEqual([
      `segments: ${fresh}: 4 row(s) cannot be read, so no segment can be given to them (${REFUSED.join('; ')}; ...); use --bad-rows skip or --bad-rows null to go on without them`,
    ]);
    expect(r.err).not.toMatch(/predict:|Pipeline|transform/);
  });

  it('--bad-rows skip: the rows are left out and listed with line, column and reason; the output says how many, and the blanks filled', async () => {
    const out = join(dir, 'skip.csv');
    const r = await run(['predict', model, fresh, ...BASE, '--out', out, '--bad-rows', 'skip']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`${fresh}: 3 of 7 rows segmented with ${model} (kmeans), written to ${out}`);
    expect(lines[1]).toBe(`4 row(s) could not be read and got no segment (left out of the output): ${REFUSED.join('; ')}; ...; all listed in ${join(dir, 'skip.bad-rows.csv')}`);
    expect(lines[2]).toBe('1 blank cell(s) filled as at fit, with the training median or most frequent value (income: 1)');
    const { table } = await readTable(out);
    expect(Array.from(table.getChild('age') ?? [])).toEqual([25, 45, 38]);
    expect(Array.from(table.getChild('segment') ?? []).every((s) => typeof s === 'number' && s >= 0)).toBe(true);
    expect(readFileSync(join(dir, 'skip.bad-rows.csv'), 'utf8').trim().split('\n')).toEqual([
      'line,row,action,column,reason',
      "3,2,skipped,income,column 'income': 'inf' is not a finite number",
      "4,3,skipped,income,column 'income': '1e999' is not a finite number",
      "5,4,skipped,income,column 'income': 'lots' is not a number",
      "6,5,skipped,income,column 'income': '19500 USD' is not a number",
    ]);
  });

  it('--bad-rows null: the rows are kept with an empty segment; --json lists them and the blanks filled', async () => {
    const out = join(dir, 'null.csv');
    const r = await run(['predict', model, fresh, ...BASE, '--out', out, '--bad-rows', 'null', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.refused.map((x: { line: number; action: string }) => [x.line, x.action])).toEqual([
      [3, 'nulled'],
      [4, 'nulled'],
      [5, 'nulled'],
      [6, 'nulled'],
    ]);
    expect(summary.imputed).toEqual({ income: 1 });
    expect(summary.badRowsFile).toBe(join(dir, 'null.bad-rows.csv'));
    // The shares are of the 3 rows that got a segment.
    expect(summary.segments.reduce((a: number, s: { rows: number }) => a + s.rows, 0)).toBe(3);
    expect(summary.segments.reduce((a: number, s: { share: number }) => a + s.share, 0)).toBeCloseTo(1, 12);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv.slice(2, 6)).toEqual(['40,inf,4,b,,,', '33,1e999,2,c,,,', '50,lots,7,a,,,', '29,19500 USD,1,b,,,']);
    expect(csv[6]).toMatch(/^45,,9,c,\d,/);
  });

  it('on stdout (no --out) the rows go out as CSV and the refusals to stderr', async () => {
    const r = await run(['predict', model, fresh, ...BASE, '--bad-rows', 'skip']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(4);
    expect(r.err).toContain(`${fresh}: 4 row(s) could not be read and got no segment (left out of the output): ${REFUSED[0]}`);
    const quiet = await run(['predict', model, fresh, ...BASE, '--bad-rows', 'skip', '--quiet']);
    expect(quiet.err).toBe('');
  });

  it('profile: the refused rows are not profiled, and it says so', async () => {
    const r = await run(['profile', model, fresh, ...BASE, '--bad-rows', 'skip']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/new\.csv: 3 rows in \d segment\(s\)$/);
    expect(r.err).toContain(`${fresh}: 4 row(s) could not be read and got no segment (not profiled): ${REFUSED[0]}`);
    const fail = await run(['profile', model, fresh, ...BASE]);
    expect(fail.code).toBe(1);
    expect(fail.err).toMatch(/^segments: .*new\.csv: 4 row\(s\) cannot be read/);
  });

  it('a row the reader could not parse (a number column holding inf) is refused too: not filled like a blank', async () => {
    const numeric = join(dir, 'numeric.csv');
    writeFileSync(numeric, 'age,income,visits,plan\n25,30000,3,a\n40,inf,4,b\n33,41000,2,c\n50,,7,a\n38,52000,5,a\n');
    const fail = await run(['predict', model, numeric, ...BASE]);
    expect(fail.code).toBe(1);
    expect(fail.err).toBe(`segments: ${numeric}: a row does not parse (line 3: column 'income': 'inf' is not a finite number); use --bad-rows skip or --bad-rows null to go on`);
    for (const mode of ['skip', 'null'] as const) {
      const out = join(dir, `numeric-${mode}.csv`);
      const r = await run(['predict', model, numeric, ...BASE, '--bad-rows', mode, '--out', out, '--json']);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.out);
      expect(summary.rows).toBe(5);
      expect(summary.refused).toEqual([
        { line: 3, row: mode === 'skip' ? null : 2, column: 'income', reason: "column 'income': 'inf' is not a finite number", action: mode === 'skip' ? 'skipped' : 'nulled' },
      ]);
      // The blank on line 5 is filled; the nulled 'inf' is not counted as a blank.
      expect(summary.imputed).toEqual({ income: 1 });
      const { table } = await readTable(out);
      expect(Array.from(table.getChild('segment') ?? [])).toHaveLength(mode === 'skip' ? 4 : 5);
      if (mode === 'null') expect(table.getChild('segment')?.get(1)).toBeNull();
      expect(readFileSync(join(dir, `numeric-${mode}.bad-rows.csv`), 'utf8').trim().split('\n')).toHaveLength(2);
    }
  });

  it('names the file for a table without a column the model uses (no function name)', async () => {
    const lacking = join(dir, 'lacking.csv');
    writeFileSync(lacking, 'age,visits,plan\n30,2,a\n');
    const r = await run(['predict', model, lacking, ...BASE]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`segments: ${lacking}: the table lacks column(s) the model uses: "income"`);
  });
});

describe('segments predict on a comma-delimited file whose numbers have decimal commas (quoted)', () => {
  it("gives every row the segment fit gave it: the model's decimal comma reads the column, not the whole file", async () => {
    const users = new URL('../fixtures/sql/users.csv', import.meta.url).pathname;
    const out = join(dir, 'euros');
    const fit = await run(['fit', users, ...BASE, '--k', '3', '--n-init', '1', '--out', out, '--quiet', '--json']);
    expect(fit.code, fit.err).toBe(0);
    expect(JSON.parse(fit.out).columns.find((c: { name: string }) => c.name === 'balance')).toMatchObject({ kind: 'number', numberFormat: { decimal: ',' } });
    const predicted = join(dir, 'euros-predicted.csv');
    const r = await run(['predict', join(out, 'model.json'), users, ...BASE, '--out', predicted, '--quiet']);
    expect(r.code, r.err).toBe(0);
    const segmentsOf = async (path: string): Promise<number[]> => Array.from((await readTable(path)).table.getChild('segment')!.toArray() as ArrayLike<number>, Number);
    const fitted = await segmentsOf(join(out, 'segments.csv'));
    expect(fitted.length).toBe(240);
    expect(await segmentsOf(predicted)).toEqual(fitted);
  }, 60_000);
});
