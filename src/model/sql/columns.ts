// SPDX-License-Identifier: MIT
/**
 * Before a compiled query runs: does the table exist, and does it hold every column the model
 * reads? A database names a missing table or column in its own words (or, for a column, may
 * not at all: PostgreSQL reads an unknown name that is also a table's name as the whole row);
 * `columnsSQL` asks the database's catalogue for the table's columns and `checkColumns` turns
 * the answer into a DataError that names the table or the columns at fault.
 */
import { DataError, ParameterError } from '../../errors.js';
import type { ModelView } from '../parts.js';
import { dialectOf, type DialectName } from './dialects.js';

const FN = 'toSQL';

/**
 * A query returning one row per column of `table`, its name in `column_name`, from the
 * catalogue: `information_schema.columns` (ISO SQL; DuckDB, PostgreSQL, Trino, Snowflake,
 * ClickHouse), in the session's current schema unless `table` names one (`schema.table`).
 * @throws ParameterError for BigQuery without a dataset (`dataset.table`) and for Spark, whose
 *   catalogue is read with `DESCRIBE TABLE` instead.
 */
export function columnsSQL(dialect: DialectName, table: string): string {
  const d = dialectOf(dialect, FN);
  const parts = table.split('.');
  const name = d.text(parts[parts.length - 1]);
  const schema = parts.length > 1 ? d.text(parts[parts.length - 2]) : null;
  switch (d.name) {
    case 'duckdb':
    case 'postgres':
      // https://duckdb.org/docs/stable/sql/meta/information_schema ; https://www.postgresql.org/docs/15/infoschema-columns.html
      return `SELECT column_name FROM information_schema.columns WHERE table_name = ${name} AND table_schema = ${schema ?? 'current_schema()'} ORDER BY ordinal_position`;
    case 'trino':
      // https://trino.io/docs/current/connector/system.html (information_schema per catalog)
      return `SELECT column_name FROM information_schema.columns WHERE table_name = ${name} AND table_schema = ${schema ?? 'current_schema'} ORDER BY ordinal_position`;
    case 'snowflake':
      // https://docs.snowflake.com/en/sql-reference/info-schema/columns
      return `SELECT column_name FROM information_schema.columns WHERE table_name = ${name} AND table_schema = ${schema ?? 'CURRENT_SCHEMA()'} ORDER BY ordinal_position`;
    case 'clickhouse':
      // https://clickhouse.com/docs/operations/system-tables/information_schema
      return `SELECT column_name FROM information_schema.columns WHERE table_name = ${name} AND table_schema = ${schema ?? 'currentDatabase()'} ORDER BY ordinal_position`;
    case 'bigquery':
      // https://cloud.google.com/bigquery/docs/information-schema-columns : per dataset.
      if (parts.length < 2) throw new ParameterError(FN, 'table', `bigquery: table='${table}' must name its dataset (dataset.table) to read the dataset's INFORMATION_SCHEMA`);
      return `SELECT column_name FROM ${parts.slice(0, -1).map((p) => d.ident(p)).join('.')}.INFORMATION_SCHEMA.COLUMNS WHERE table_name = ${name} ORDER BY ordinal_position`;
    case 'spark':
      throw new ParameterError(FN, 'dialect', 'spark: the table\'s columns are listed by DESCRIBE TABLE, not by a query; check them with it');
    default:
      return d.name satisfies never;
  }
}

/**
 * Checks the columns a database reports for `table` (the rows of {@link columnsSQL}) against
 * those the model reads.
 * @throws DataError naming the table when it has no columns (it does not exist), or every
 *   column the model reads that it lacks.
 */
export function checkColumns(model: ModelView, table: string, columns: readonly string[]): void {
  if (columns.length === 0) throw new DataError(FN, 'table', `the table "${table}" does not exist (the database lists no columns for it)`);
  const present = new Set(columns);
  const absent = model.pipeline.columns.filter((c) => !present.has(c));
  if (absent.length > 0) {
    throw new DataError(FN, 'table', `the table "${table}" lacks column(s) the model reads: ${absent.map((c) => JSON.stringify(c)).join(', ')}`, undefined, absent[0]);
  }
}
