// SPDX-License-Identifier: MIT
/**
 * Reading a file on the command line (src/cli/commands/common.ts, readInput) as a user meets it:
 * formatted numbers, decimal commas (`--decimal`), encodings (`--encoding`), through `fit`,
 * `predict` and `profile`, on the files of test/fixtures/hostile (scripts/make_hostile_fixtures.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/data/readTable.js';
import { run } from './run.js';
import { tempDir as newTempDir } from '../helpers/tempDir.js';

const HOSTILE = join(__dirname, '..', 'fixtures', 'hostile');
const FAST = ['--backend', 'wasm', '--seed', '1', '--n-init', '1'];

function tempDir(): string {
  return newTempDir('segments-read-');
}

/** The column of a CSV file by a plain split (the fixtures have no quoted delimiters in the columns asked for). */
function rawColumn(path: string, name: string): string[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const split = (l: string): string[] => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, ''));
  const j = split(lines[0]).indexOf(name);
  return lines.slice(1).map((l) => split(l)[j]);
}

describe('fit on formatted numbers', () => {
  it('customers with revenue in dollars: the segments are named after revenue and discount, never the noise column visits', async () => {
    const dir = tempDir();
    const file = join(HOSTILE, 'customers_dollars.csv');
    const r = await run(['fit', file, '--backend', 'wasm', '--k', '3', '--json', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    const revenue = summary.columns.find((c: { name: string }) => c.name === 'revenue');
    expect(revenue).toMatchObject({ kind: 'number', use: true, numberFormat: { thousands: ',', currency: '$' } });
    expect(revenue.reason).toMatch(/^numbers with '\$' and ',' thousands separators/);
    expect(summary.segments).toHaveLength(3);
    for (const s of summary.segments) {
      expect(s.name).not.toMatch(/visits/i);
      expect(s.name).toMatch(/revenue|discount|items bought/i);
    }
    // profiles.json reads the dollars: the population mean is the file's mean, by a plain parse
    const dollars = rawColumn(file, 'revenue').map((t) => Number(t.replace(/[$,]/g, '')));
    const mean = dollars.reduce((a, b) => a + b, 0) / dollars.length;
    const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8'));
    const j = profiles.columns.findIndex((c: { name: string }) => c.name === 'revenue');
    expect(profiles.population.columns[j].missing).toBe(0);
    expect(profiles.population.columns[j].mean).toBeCloseTo(mean, 6);
  });
});

describe('--decimal and decimal commas', () => {
  it("fits a ';' file with decimal commas, and predict reads it back the same way", async () => {
    const dir = tempDir();
    const file = join(HOSTILE, 'decimal_comma.csv');
    const r = await run(['fit', file, ...FAST, '--k', '3', '--json', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    const cols = Object.fromEntries(summary.columns.map((c: { name: string }) => [c.name, c]));
    expect(cols.ratio.numberFormat).toEqual({ decimal: ',' });
    expect(cols.amount.numberFormat).toEqual({ decimal: ',', thousands: '.' });
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(model.schema.columns.find((c: { name: string }) => c.name === 'amount').numberFormat).toEqual({ decimal: ',', thousands: '.' });
    const out = join(dir, 'predicted.csv');
    const p = await run(['predict', join(dir, 'model.json'), file, '--backend', 'wasm', '--out', out]);
    expect(p.code).toBe(0);
    const fitted = (await readTable(join(dir, 'segments.csv'))).table.getChild('segment')!.toArray();
    const predicted = (await readTable(out)).table.getChild('segment')!.toArray();
    expect(Array.from(predicted)).toEqual(Array.from(fitted));
    // the new file has only values that read both ways: the model's decimal comma decides
    const small = join(dir, 'new.csv');
    writeFileSync(small, 'id;ratio;amount;score;city\n1;0,5;1.000,00;4;Lyon\n2;1,250;2.000,00;5;Lille\n');
    const q = await run(['predict', join(dir, 'model.json'), small, '--backend', 'wasm', '--json']);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.out).imputed).toEqual({});
    // a ',' file cannot hold decimal commas unquoted: plain numbers in a decimal-comma column are said, with the flag that reads them as they are
    const commas = join(dir, 'commas.csv');
    writeFileSync(commas, 'id,ratio,amount,score,city\n1,0.5,1000,4,Lyon\n');
    const c = await run(['predict', join(dir, 'model.json'), commas, '--backend', 'wasm']);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/decimal commas, but this file's delimiter is ',' and its column 'ratio' holds numbers with decimal points; pass --decimal \. /);
    const d = await run(['predict', join(dir, 'model.json'), commas, '--backend', 'wasm', '--decimal', '.', '--json']);
    expect(d.code).toBe(0);
  });

  it('--decimal , reads 1,234 as 1.234 where the file alone cannot tell; a bad value is a usage error', async () => {
    const dir = tempDir();
    const file = join(dir, 'ambiguous.csv');
    const rows = ['a;b'];
    for (let i = 0; i < 30; i++) rows.push(`${i % 3},${String(100 + i * 7).padStart(3, '0')};${i % 5}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const asThousands = await run(['profile', '--help']);
    expect(asThousands.out).toMatch(/--decimal/);
    const r = await run(['fit', file, ...FAST, '--k', '2', '--json', '--out', dir, '--decimal', ',']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out).columns.find((c: { name: string }) => c.name === 'a');
    // 0,100 .. 2,303: read as 0.1 .. 2.303
    expect(a.reason).toBe('real numbers 0.1–2.303, read with decimal commas');
    const bad = await run(['fit', file, '--decimal', ';']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--decimal/);
    const sample = await run(['fit', '--sample', '--decimal', ',']);
    expect(sample.code).toBe(2);
    expect(sample.err).toMatch(/--decimal applies to a file, not to --sample/);
  });
});

describe('--encoding', () => {
  it('a Windows-1252 file is refused naming the line and --encoding, and read with --encoding windows-1252', async () => {
    const dir = tempDir();
    const file = join(HOSTILE, 'cp1252.csv');
    const refused = await run(['fit', file, ...FAST, '--k', '2', '--out', dir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/line 2: invalid UTF-8 \(byte 0xeb at offset 19\).*--encoding/);
    const r = await run(['fit', file, ...FAST, '--k', '2', '--out', dir, '--encoding', 'windows-1252', '--json']);
    expect(r.code).toBe(0);
    const rows = readFileSync(join(dir, 'segments.csv'), 'utf8');
    for (const name of ['Zoë', 'José', 'Chloé', 'Œdipe', 'Zürich', 'São Paulo']) expect(rows).toContain(name);
  });

  it('UTF-16 is read by its byte-order mark without a flag', async () => {
    const dir = tempDir();
    const r = await run(['fit', join(HOSTILE, 'utf16be.csv'), ...FAST, '--k', '2', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).input.rows).toBe(4);
    expect(readFileSync(join(dir, 'segments.csv'), 'utf8')).toContain('Besançon');
  });
});
