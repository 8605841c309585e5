// SPDX-License-Identifier: MIT
// `npx tsx scripts/make_sql_fixtures.ts [--refit]`: the golden SQL of test/fixtures/sql/, checked
// by test/model/sql/dialects.test.ts. The golden model (model.json) is fitted once, with --refit
// (or when it is missing), on a table this script writes (users.csv: an ordered range, a
// category, a flag, a heavy-tailed count, a currency amount, a percentage, a list, a balance in
// euros with decimal commas and parentheses for negatives); then each
// dialect's query for it is written to <dialect>.sql (with the key id) and <dialect>.all-columns.sql
// (every column of the table, where the dialect can). Rerun after a change to the SQL compiler
// and read the diff: the goldens are what ClickHouse, Spark, BigQuery, Snowflake and Trino are
// checked by, as no server of theirs runs here.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMeans } from '../src/algorithms/kmeans.js';
import { initBackend } from '../src/backend/backend.js';
import { inferKinds } from '../src/data/inferKinds.js';
import { Pipeline } from '../src/data/pipeline.js';
import { readTable } from '../src/data/readTable.js';
import { parseModel, stringifyModel } from '../src/model/file.js';
import { SegmentationModel } from '../src/model/model.js';
import { DIALECT_NAMES } from '../src/model/sql/dialects.js';
import { Random } from '../src/random.js';

const DIR = fileURLToPath(new URL('../test/fixtures/sql/', import.meta.url));
/** The table and key the golden queries read. */
export const GOLDEN_TABLE = 'analytics.users';
export const GOLDEN_KEY = 'id';

function usersCsv(): string {
  const rng = new Random(20261207);
  const bands = ['18-24', '25-34', '35-44', '45+'];
  const plans = ['basic', 'plus', 'pro', "o'brien \\ co"];
  const items = ['Travel', 'Gaming', 'Food', 'Music', 'Sports'];
  const quote = (v: string): string => `"${v.replaceAll('"', '""')}"`;
  const lines = ['id,age_band,plan,verified,visits,spend,share,interests,balance'];
  /** `1.234,50 €`, negatives in parentheses: `(1.234,50 €)`. */
  const euros = (x: number): string => {
    const [whole, cents] = Math.abs(x).toFixed(2).split('.');
    const text = `${whole.replace(/\B(?=(\d{3})+$)/g, '.')},${cents} €`;
    return x < 0 ? `(${text})` : text;
  };
  for (let i = 0; i < 240; i++) {
    const g = i % 3;
    const visits = Math.floor(Math.exp(rng.next() * (4 + 2 * g)));
    const spend = (200 + 900 * g + rng.next() * 1500).toFixed(2);
    const [whole, cents] = spend.split('.');
    const picked = items.filter(() => rng.next() < 0.3 + 0.2 * g);
    lines.push(
      [
        String(i + 1),
        bands[(g + Math.floor(rng.next() * 2)) % 4],
        plans[(g + (rng.next() < 0.2 ? 1 : 0)) % 4],
        rng.next() < 0.2 + 0.3 * g ? 'true' : 'false',
        i % 17 === 0 ? '' : String(visits),
        quote(`$${Number(whole).toLocaleString('en-US')}.${cents}`),
        `${(rng.next() * 40 + 20 * g).toFixed(1)}%`,
        quote(picked.join(', ')),
        quote(euros((((i * 7919) % 400000) - 100000) / 100 + g * 1500)),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function fitGolden(): Promise<SegmentationModel> {
  await initBackend('cpu', { strict: true, onWarning: () => {} });
  writeFileSync(join(DIR, 'users.csv'), usersCsv());
  const { table } = await readTable(join(DIR, 'users.csv'));
  const schema = inferKinds(table);
  const pipeline = Pipeline.fit(table, schema, { scaler: 'robust', log1p: 'auto', onWarning: () => {} });
  const result = await new KMeans({ k: 3, seed: 7, nInit: 2 }).fit(pipeline.transform(table).matrix);
  return SegmentationModel.fromFit({ pipeline, schema, result, createdAt: new Date('2026-12-07T00:00:00.000Z'), names: ['Casual', "Regular's", 'Power users'] });
}

/** The golden query of a dialect for the golden model: with the key, or returning every column (not on Trino). */
export function goldenSQL(model: SegmentationModel, dialect: (typeof DIALECT_NAMES)[number], allColumns = false): string {
  return model.toSQL(allColumns ? { dialect, table: GOLDEN_TABLE } : { dialect, table: GOLDEN_TABLE, key: GOLDEN_KEY });
}

/** The dialects that return every column without a key. */
export const ALL_COLUMNS_DIALECTS = DIALECT_NAMES.filter((d) => d !== 'trino');

async function mainScript(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const modelPath = join(DIR, 'model.json');
  if (process.argv.includes('--refit') || !existsSync(modelPath)) writeFileSync(modelPath, stringifyModel(await fitGolden()));
  const model = parseModel(readFileSync(modelPath, 'utf8'), modelPath);
  for (const dialect of DIALECT_NAMES) writeFileSync(join(DIR, `${dialect}.sql`), goldenSQL(model, dialect));
  for (const dialect of ALL_COLUMNS_DIALECTS) writeFileSync(join(DIR, `${dialect}.all-columns.sql`), goldenSQL(model, dialect, true));
  console.log(`wrote ${DIALECT_NAMES.map((d) => `${d}.sql`).join(', ')} and the .all-columns.sql of ${ALL_COLUMNS_DIALECTS.join(', ')} in ${DIR}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await mainScript();
