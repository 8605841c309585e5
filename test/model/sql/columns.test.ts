// SPDX-License-Identifier: MIT
/** The catalogue query per dialect and the check of its answer (run live in compile.test.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError } from '../../../src/errors.js';
import { parseModel } from '../../../src/model/file.js';
import { checkColumns, columnsSQL } from '../../../src/model/sql/columns.js';

const model = parseModel(readFileSync(new URL('../../fixtures/sql/model.json', import.meta.url), 'utf8'));
const READ = ['age_band', 'plan', 'verified', 'visits', 'spend', 'share', 'interests', 'balance'];

describe('columnsSQL', () => {
  it('asks information_schema for the table in the current schema, or in the one named', () => {
    expect(columnsSQL('duckdb', 'users')).toBe("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND table_schema = current_schema() ORDER BY ordinal_position");
    expect(columnsSQL('postgres', 'analytics.users')).toBe("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND table_schema = 'analytics' ORDER BY ordinal_position");
    expect(columnsSQL('trino', 'users')).toContain('table_schema = current_schema ');
    expect(columnsSQL('snowflake', 'users')).toContain('table_schema = CURRENT_SCHEMA()');
    expect(columnsSQL('clickhouse', "o'neil")).toContain("table_name = 'o\\'neil' AND table_schema = currentDatabase()");
    expect(columnsSQL('bigquery', 'shop.users')).toBe("SELECT column_name FROM `shop`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'users' ORDER BY ordinal_position");
  });

  it('refuses what it cannot ask: BigQuery without a dataset, Spark', () => {
    expect(() => columnsSQL('bigquery', 'users')).toThrow(new ParameterError('toSQL', 'table', "bigquery: table='users' must name its dataset (dataset.table) to read the dataset's INFORMATION_SCHEMA"));
    expect(() => columnsSQL('spark', 'users')).toThrow(/DESCRIBE TABLE/);
  });
});

describe('checkColumns', () => {
  it('passes when every column the model reads is there, extra columns or not', () => {
    expect(() => checkColumns(model, 'users', [...READ, 'id', 'other'])).not.toThrow();
  });

  it('names every column the model reads that the table lacks, the first as the error column', () => {
    let error: unknown;
    try {
      checkColumns(model, 'users', ['id', 'age_band', 'plan', 'visits', 'spend', 'share']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).column).toBe('verified');
    expect((error as Error).message).toBe('toSQL: the table "users" lacks column(s) the model reads: "verified", "interests", "balance"');
  });

  it('says the table does not exist when the catalogue lists no column', () => {
    expect(() => checkColumns(model, 'nope', [])).toThrow('toSQL: the table "nope" does not exist (the database lists no columns for it)');
  });
});
