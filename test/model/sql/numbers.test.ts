// SPDX-License-Identifier: MIT
/**
 * The number-reading rule against predict's own reading, on DuckDB and PostgreSQL (RE2 and POSIX
 * regular expressions): for every string of two grids (signs, currency signs before and after,
 * digit groups, decimal points and commas, percent signs, parentheses, ASCII and Unicode spaces),
 * the SQL reads the number parseNumber (src/data/numberFormat.ts) reads in each format, NULL where
 * it gives NaN; without a format, as parseNumber reads with none. A few cells are also checked
 * against numbers worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNumber } from '../../../src/data/numberFormat.js';
import type { NumberFormat } from '../../../src/data/schema.js';
import { dialectOf } from '../../../src/model/sql/dialects.js';
import { numberRule, readNumber, regexLiteral } from '../../../src/model/sql/numbers.js';
import { loadText, openDuckDB, postgresDb, type TestDb } from '../../helpers/databases.js';
import { openTestDatabase, runPostgres, type PostgresDatabase } from '../../helpers/postgres.js';

const PG = runPostgres();
if ('missing' in PG) console.warn(`skipping the PostgreSQL tests: ${PG.missing}`);
let duck: TestDb;
let server: PostgresDatabase | null = null;

beforeAll(async () => {
  duck = await openDuckDB();
  if ('port' in PG) server = await openTestDatabase(PG.port);
}, 60_000);

afterAll(async () => {
  await duck?.close();
  await server?.close();
});

/** Every combination of the parts, with and without spaces around (decimal points). */
function grid(): string[] {
  const out = new Set<string>();
  for (const sign of ['', '-', '+', '--'])
    for (const currency of ['', '$', '$ ', '€'])
      for (const digits of ['0', '7', '12', '1,234', '1234', '1,23', '12,345,678', '1.234.567', '1 234', '.5', '5.', '3.25', '1,234.5', '1e5', '2.5E-3'])
        for (const suffix of ['', '%', ' %', '%%'])
          for (const pad of ['', ' ', '\t'])
            out.add(`${pad}${sign}${currency}${digits}${suffix}${pad}`);
  for (const odd of ['abc', '', ' ', '$', '%', '-', '1-2', '0x1A', 'Infinity', 'NaN', '1,,234', '$-5', '+$-5', '++5', '+-5', '-+5', '1.e5', '1e+5', '1E5%', '5%$', '5$%', '$5$', '5 R$', 'R$5', '007', '0,438', '\u00a05\u3000', '\ufeff5', '5\v', '\n-5\r\n', '٣', '1e400', '-1e400', '1e-400', '-2e-324', '2.4703282292062328e-324', '4e-324', '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '-$1e309%', '9'.repeat(400), `0.${'0'.repeat(400)}1`])
    out.add(odd);
  return [...out];
}

/** Decimal commas, parentheses, currency signs after the number, the other minus sign and Unicode spaces. */
function commaGrid(): string[] {
  const out = new Set<string>();
  for (const [open, close] of [['', ''], ['(', ')'], ['( ', ' )']])
    for (const sign of ['', '-', '−', '+', '+-', '- '])
      for (const currency of ['', '€', '€ ', 'CHF '])
        for (const digits of ['0', '1.234,5', '1 234,5', '1\u00a0234,5', "1'234,5", '1,234', '1.234', '0,5', ',5', '5,', '12,5', '1.234.567,89', '12.34,5', '1e5'])
          for (const suffix of ['', '%', ' %', ' €', '€ %', '%€', ' CHF'])
            out.add(`${open}${sign}${currency}${digits}${suffix}${close}`);
  for (const odd of ['(1,234)', '€ 1.200,50', '-0,5', '12,5 %', '(-5)', '-(5)', '()', '(5', '5)', ' ( 5 ) ', '(€5)', '€(5)', '(5)%', '1.200,50 €', '- € 1.200,50', '€-1.200,50'])
    out.add(odd);
  return [...out];
}

/** Texts of 1 to 9 characters drawn (seeded, so the same each run) from the characters a number format gives meaning to, and a few others. */
function randomTexts(count: number): string[] {
  const alphabet = ['0', '1', '2', '5', '9', '0', '1', ',', '.', ',', '.', ' ', '-', '−', '+', '(', ')', '%', '$', '€', 'e', 'E', '\u00a0', "'", 'CHF', 'kr', 'R$', '\t', 'x'];
  let seed = 0x2545f491;
  const next = (): number => {
    // xorshift32
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const out = new Set<string>();
  while (out.size < count) {
    const n = 1 + Math.floor(next() * 9);
    let t = '';
    for (let i = 0; i < n; i++) t += alphabet[Math.floor(next() * alphabet.length)];
    out.add(t);
  }
  return [...out];
}

const FORMATS: Array<NumberFormat | undefined> = [
  undefined,
  { thousands: ',' },
  { thousands: ',', currency: '$' },
  { percent: true },
  { thousands: ',', currency: '$', percent: true },
  { thousands: '.' },
  { currency: '€' },
  { thousands: ',', parentheses: true },
];

const COMMA_FORMATS: NumberFormat[] = [
  { decimal: ',' },
  { decimal: ',', thousands: '.' },
  { decimal: ',', thousands: ' ' },
  { decimal: ',', thousands: '\u00a0', currency: '€' },
  { decimal: ',', thousands: '.', currency: '€', percent: true, parentheses: true },
  { decimal: ',', thousands: "'", percent: true },
  { thousands: ',', currency: '€', percent: true, parentheses: true },
  { thousands: "'", currency: 'CHF', parentheses: true },
  { decimal: '.', thousands: ' ', currency: 'R$' },
];

const databases = [
  { name: 'DuckDB', db: () => duck, skip: null as string | null },
  { name: 'PostgreSQL', db: () => postgresDb((server as PostgresDatabase).client), skip: 'missing' in PG ? PG.missing : null },
];

/** The texts read by the SQL of each format, against parseNumber; the disagreements, and how many texts read as numbers. */
async function compare(db: TestDb, table: string, texts: string[], formats: ReadonlyArray<NumberFormat | undefined>): Promise<{ wrong: string[]; numbers: number }> {
  await loadText(db, table, ['t'], texts.map((t) => [t]));
  const d = dialectOf(db.dialect);
  const wrong: string[] = [];
  let numbers = 0;
  // One query per format, as a model's columns share a few formats (PostgreSQL keeps 32 regular expressions compiled).
  for (const f of formats) {
    const rows = await db.query(`SELECT s."__row", ${readNumber(d, 's."t"', f)} AS "v" FROM ${table} AS s ORDER BY 1`);
    expect(rows).toHaveLength(texts.length);
    for (const r of rows) {
      const text = texts[Number(r.__row)];
      const got = r.v === null ? NaN : Number(r.v);
      const read = parseNumber(text, f);
      // predict reads a number beyond float64's range (Infinity) as missing (findBadNumbers in src/data/pipeline.ts)
      const want = Number.isFinite(read) ? read : NaN;
      if (!Number.isNaN(want)) numbers++;
      if (!Object.is(got, want) && !(got === 0 && want === 0)) wrong.push(`${JSON.stringify(text)} ${JSON.stringify(f)}: sql ${got}, predict ${want}`);
    }
  }
  return { wrong, numbers };
}

describe.each(databases)('readNumber on $name', ({ db, skip }) => {
  it.skipIf(skip !== null)('reads what predict reads, for every format and a grid of texts', async () => {
    const { wrong, numbers } = await compare(db(), 'numbers', grid(), FORMATS);
    expect(wrong).toEqual([]);
    expect(numbers).toBeGreaterThan(500);
  });

  it.skipIf(skip !== null)('reads decimal commas, parentheses and currency signs after the number as predict does', async () => {
    const { wrong, numbers } = await compare(db(), 'comma_numbers', commaGrid(), COMMA_FORMATS);
    expect(wrong).toEqual([]);
    expect(numbers).toBeGreaterThan(2000);
  });

  it.skipIf(skip !== null)('reads random strings of signs, digits and marks as predict does, in every format', async () => {
    const { wrong, numbers } = await compare(db(), 'random_numbers', randomTexts(20_000), [...FORMATS, ...COMMA_FORMATS]);
    expect(wrong).toEqual([]);
    expect(numbers).toBeGreaterThan(1000);
  });

  it.skipIf(skip !== null)('reads the usual European and accounting cells as the numbers they show', async () => {
    // Worked out by hand: the format of a column of euros with decimal commas, another of dollars in parentheses.
    const euro: NumberFormat = { decimal: ',', thousands: '.', currency: '€', percent: true, parentheses: true };
    const dollar: NumberFormat = { thousands: ',', currency: '$', parentheses: true };
    const cells: Array<[string, NumberFormat, number | null]> = [
      ['1.234,5', euro, 1234.5],
      ['€ 1.200,50', euro, 1200.5],
      ['1.200,50 €', euro, 1200.5],
      ['-0,5', euro, -0.5],
      ['−€ 0,25', euro, -0.25],
      ['12,5 %', euro, 12.5],
      ['(1.234)', euro, -1234],
      ['1.234.567,891', euro, 1234567.891],
      ['1,234.5', euro, null],
      ['$5', euro, null],
      ['(1,234)', dollar, -1234],
      ['($1,234.50)', dollar, -1234.5],
      ['(-1,234)', dollar, null],
      ['1.234,5', dollar, null],
    ];
    const texts = cells.map(([t]) => t);
    await loadText(db(), 'hand_numbers', ['t'], texts.map((t) => [t]));
    const d = dialectOf(db().dialect);
    const rows = await db().query(`SELECT s."__row", ${cells.map(([, f], k) => `(CASE WHEN s."__row" = ${k} THEN ${readNumber(d, 's."t"', f)} END) AS "v${k}"`).join(', ')} FROM hand_numbers AS s ORDER BY 1`);
    const got = rows.map((r, k) => (r[`v${k}`] === null ? null : Number(r[`v${k}`])));
    expect(got).toEqual(cells.map(([, , want]) => want));
  });
});

describe('numberRule', () => {
  it('reads every field a number format records, the decimal comma turned into a point before the cast', () => {
    const rule = numberRule({ decimal: ',', thousands: '.', currency: '€', percent: true, parentheses: true });
    expect(rule.decimal).toBe(',');
    expect(rule.remove.split('|')).toEqual(expect.arrayContaining(['€', '%', '\\)', '\\.']));
    expect(numberRule(undefined)).toEqual(numberRule({}));
    expect(regexLiteral('a.b$(c)')).toBe('a\\.b\\$\\(c\\)');
  });

  it('refuses a format field it does not read, naming it, rather than reading numbers otherwise than predict', () => {
    const newer = { thousands: '.', decimal: ',', exponent: false } as NumberFormat;
    expect(() => numberRule(newer)).toThrow('toSQL: numberFormat.exponent is not compiled to SQL yet (src/model/sql/numbers.ts reads thousands, percent, currency, decimal, parentheses)');
  });

  it('refuses a thousands separator that predict would remove from inside digits or signs', () => {
    expect(() => numberRule({ thousands: '. ' })).toThrow(`toSQL: numberFormat.thousands ". " is not a separator SQL reads as predict does`);
    expect(() => numberRule({ thousands: '1' })).toThrow('numberFormat.thousands "1"');
    // a separator no cell can hold groups nothing and removes nothing, in predict as here
    expect(numberRule({ thousands: '_' })).toEqual(numberRule({}));
  });
});
