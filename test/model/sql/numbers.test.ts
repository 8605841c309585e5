// SPDX-License-Identifier: MIT
/**
 * The number-reading rule against predict's own reading, on DuckDB and PostgreSQL (RE2 and POSIX
 * regular expressions): for every string of a grid of signs, currency signs, digit groups,
 * decimals, percent signs and spaces, the SQL reads the number parseFormattedNumber reads (NULL
 * where it gives NaN), and without a format the finite decimal Number() reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormattedNumber } from '../../../src/data/inferKinds.js';
import type { NumberFormat } from '../../../src/data/schema.js';
import { dialectOf } from '../../../src/model/sql/dialects.js';
import { numberRule, readNumber, regexLiteral } from '../../../src/model/sql/numbers.js';
import { loadText, openDuckDB, postgresDb, type TestDb } from '../../helpers/databases.js';
import { findPostgres, startPostgres, type PostgresServer } from '../../helpers/postgres.js';

const PG = findPostgres();
if ('missing' in PG) console.warn(`skipping the PostgreSQL tests: ${PG.missing}`);
let duck: TestDb;
let server: PostgresServer | null = null;

beforeAll(async () => {
  duck = await openDuckDB();
  if ('bin' in PG) server = await startPostgres(PG.bin);
}, 60_000);

afterAll(async () => {
  await duck?.close();
  await server?.stop();
});

/** Every combination of the parts, with and without spaces around. */
function grid(): string[] {
  const out = new Set<string>();
  for (const sign of ['', '-', '+', '--'])
    for (const currency of ['', '$', '$ ', '€'])
      for (const digits of ['0', '7', '12', '1,234', '1234', '1,23', '12,345,678', '1.234.567', '1 234', '.5', '5.', '3.25', '1,234.5', '1e5', '2.5E-3'])
        for (const suffix of ['', '%', ' %', '%%'])
          for (const pad of ['', ' ', '\t'])
            out.add(`${pad}${sign}${currency}${digits}${suffix}${pad}`);
  for (const odd of ['abc', '', ' ', '$', '%', '-', '1-2', '0x1A', 'Infinity', 'NaN', '1,,234', '$-5']) out.add(odd);
  return [...out];
}

const FORMATS: Array<NumberFormat | undefined> = [undefined, { thousands: ',' }, { thousands: ',', currency: '$' }, { percent: true }, { thousands: ',', currency: '$', percent: true }, { thousands: '.' }, { currency: '€' }];

/** predict's reading: parseFormattedNumber with a format; without, Number() of the trimmed text, empty text missing. */
function reference(text: string, format: NumberFormat | undefined): number {
  const t = text.trim();
  if (t === '') return NaN;
  return format !== undefined ? parseFormattedNumber(t, format) : Number(t);
}

/** Texts Number() reads that are not decimals: SQL reads them as NULL (documented). */
const NOT_DECIMAL = /^(0x|Infinity|[-+]Infinity)/i;

const databases = [
  { name: 'DuckDB', db: () => duck, skip: null as string | null },
  { name: 'PostgreSQL', db: () => postgresDb((server as PostgresServer).client), skip: 'missing' in PG ? PG.missing : null },
];

describe.each(databases)('readNumber on $name', ({ db, skip }) => {
  it.skipIf(skip !== null)('reads what predict reads, for every format and a grid of texts', async () => {
    const texts = grid();
    await loadText(db(), 'numbers', ['t'], texts.map((t) => [t]));
    const d = dialectOf(db().dialect);
    const columns = FORMATS.map((f, k) => `${readNumber(d, 's."t"', f)} AS "v${k}"`);
    const rows = await db().query(`SELECT s."__row", ${columns.join(', ')} FROM numbers AS s ORDER BY 1`);
    expect(rows).toHaveLength(texts.length);
    const wrong: string[] = [];
    let numbers = 0;
    for (const r of rows) {
      const text = texts[Number(r.__row)];
      FORMATS.forEach((f, k) => {
        const got = r[`v${k}`] === null ? NaN : Number(r[`v${k}`]);
        let want = reference(text, f);
        if (f === undefined && NOT_DECIMAL.test(text.trim())) want = NaN;
        if (!Number.isNaN(want)) numbers++;
        if (!Object.is(got, want) && !(got === 0 && want === 0)) wrong.push(`${JSON.stringify(text)} ${JSON.stringify(f)}: sql ${got}, predict ${want}`);
      });
    }
    expect(wrong).toEqual([]);
    expect(numbers).toBeGreaterThan(500);
  });
});

describe('numberRule', () => {
  it('is one pattern and one list of characters removed per format', () => {
    expect(numberRule({ thousands: ',', currency: '$', percent: true })).toEqual({
      pattern: '\\s*[-+]?(\\$\\s*)?([0-9]{1,3}(,[0-9]{3})*(\\.[0-9]+)?|[0-9]+(\\.[0-9]+)?)(\\s*%)?\\s*',
      remove: '\\s|\\$|,|%',
    });
    expect(numberRule({ thousands: '.' }).pattern).toBe('\\s*[-+]?([0-9]{1,3}(\\.[0-9]{3})*|[0-9]+)\\s*');
    expect(regexLiteral('a.b$(c)')).toBe('a\\.b\\$\\(c\\)');
  });

  it('refuses a format field it does not read, naming it, rather than reading numbers otherwise than predict', () => {
    const newer = { thousands: '.', decimal: ',' } as NumberFormat;
    expect(() => numberRule(newer)).toThrow('toSQL: numberFormat.decimal is not compiled to SQL yet (src/model/sql/numbers.ts reads thousands, percent, currency)');
  });
});
