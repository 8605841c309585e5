// SPDX-License-Identifier: MIT
/**
 * A table in a database as a source for the workflow, whatever the database: its columns and
 * types from the catalogue, queries returning rows as objects, the SQL it speaks (the model's
 * dialect, src/model/sql/dialects.ts, and the training primitives, engines.ts), and rows pulled
 * into an Arrow table (a sample, or every row for `--pull`). DuckDB (duckdb.ts) and PostgreSQL
 * (postgres.ts) open one; open.ts chooses by the address.
 */
import * as arrow from 'apache-arrow';
import type { ColumnInfo } from '../data/schema.js';
import { DataError, ParameterError } from '../errors.js';
import { checkValue, integer, optional } from '../constraints.js';
import type { Dialect } from '../model/sql/dialects.js';
import type { Engine } from './engines.js';

/** One column of a table, as the catalogue describes it. */
export interface DbColumn {
  name: string;
  /** The database's type name, e.g. `DOUBLE`, `VARCHAR`, `BOOLEAN`, `DECIMAL(10,2)`, `double precision`, `text`. */
  type: string;
}

/** A connection to a database. */
export interface DbConnection {
  /** Runs a query; each row as an object by column name (numbers as JS numbers, 64-bit integers as bigint or text). */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs a query; its columns, each an array of values (faster than rows for many rows). */
  queryColumns(sql: string): Promise<unknown[][]>;
  /** Runs a statement that returns no rows. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A table in a database, and a way to query it. */
export interface DbSource extends DbConnection {
  /** The SQL a model compiles to for this database. */
  dialect: Dialect;
  /** The SQL the fit inside the database writes beyond the model's (temporary tables, samples, Lloyd's distances). */
  engine: Engine;
  /** The table's name as given (`schema.table` allowed). */
  table: string;
  /** The table quoted for SQL. */
  tableSql: string;
  /** Its columns, in order. */
  columns: DbColumn[];
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The source of `table` (`table` or `schema.table`) over `connection`, its columns read from
 * information_schema (DuckDB and PostgreSQL both keep it: https://duckdb.org/docs/stable/sql/meta/information_schema,
 * https://www.postgresql.org/docs/15/infoschema-columns.html). `where` names the database in messages.
 * The connection is closed when this fails.
 * @throws DataError naming the table, and the tables there are, when it does not exist.
 */
export async function openTable(connection: DbConnection, engine: Engine, table: string, where: string): Promise<DbSource> {
  try {
    const parts = table.split('.');
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? literal(parts[parts.length - 2]) : 'current_schema()';
    const rows = await connection.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${literal(name)} AND table_schema = ${schema} ORDER BY ordinal_position`);
    if (rows.length === 0) {
      const tables = await connection.query(`SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = ${schema} ORDER BY table_name`);
      const list = tables.map((r) => String(r.table_name));
      throw new DataError(engine.fn, 'table', `the table "${table}" does not exist in ${where} (${list.length === 0 ? 'it has no tables' : `its tables: ${list.slice(0, 20).join(', ')}`})`);
    }
    return {
      ...connection,
      dialect: engine.dialect,
      engine,
      table,
      tableSql: parts.map((p) => engine.dialect.ident(p)).join('.'),
      columns: rows.map((r) => ({ name: String(r.column_name), type: String(r.data_type) })),
    };
  } catch (err) {
    await connection.close();
    throw err;
  }
}

/** Numeric types (DuckDB's and PostgreSQL's names), read as float64 when rows are pulled. */
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DOUBLE PRECISION|REAL|DECIMAL.*|NUMERIC.*|INT\d*|FLOAT\d*)$/i;
/** Text types (DuckDB: VARCHAR and its aliases; PostgreSQL: text, character varying, character). */
const TEXT = /^(VARCHAR.*|TEXT|STRING|CHAR.*|BPCHAR.*|CHARACTER.*|NAME|CITEXT)$/i;
const BOOL = /^BOOL(EAN)?$/i;
/** Types whose text is not one value: arrays, structs, maps, JSON, binary. */
const COMPOSITE = /(\[\]|^ARRAY$|^STRUCT|^MAP|^UNION|^LIST|^JSONB?$|^BLOB|^BYTEA$|^BIT)/i;

/** Whether a column of this database type is pulled as numbers (Float64) rather than text. */
export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

/**
 * Checks that the source's table has every column of `names`.
 * @throws DataError naming the table and the columns it lacks.
 */
export function checkSourceColumns(source: DbSource, names: readonly string[], fn: string): void {
  const present = new Set(source.columns.map((c) => c.name));
  const absent = names.filter((n) => !present.has(n));
  if (absent.length > 0) {
    throw new DataError(fn, 'table', `the table "${source.table}" lacks column(s): ${absent.map((c) => JSON.stringify(c)).join(', ')}`, undefined, absent[0]);
  }
}

/**
 * Checks that each column the fit reads has a type its kind is read from in SQL: numbers and
 * counts from a numeric or text column, lists from text (split at the separator), categories,
 * flags and ranges from any single value (its text); never an array, struct, map, JSON or binary
 * column, whose text is not one value.
 * @throws DataError naming the column, its type and what its kind needs.
 */
export function checkColumnTypes(source: DbSource, columns: readonly ColumnInfo[], fn: string): void {
  const typeOf = new Map(source.columns.map((c) => [c.name, c.type.trim()]));
  for (const info of columns) {
    const type = typeOf.get(info.name);
    if (type === undefined) continue;
    const numeric = NUMERIC.test(type);
    const text = TEXT.test(type);
    let needs: string | null = null;
    if (COMPOSITE.test(type)) needs = 'a single value (a number, text or a boolean)';
    else if ((info.kind === 'number' || info.kind === 'count') && !numeric && !text) needs = 'a numeric or text column';
    else if (info.kind === 'list' && !text) needs = `a text column (items separated by '${info.separator ?? ','}')`;
    if (needs !== null) {
      throw new DataError(fn, 'table', `column "${info.name}" of the table "${source.table}" has type ${type}; as a ${info.kind} column it must be ${needs}`, undefined, info.name);
    }
  }
}

/**
 * Rows of the source as an Arrow table: numeric columns as Float64, BOOLEAN as Bool, every other
 * column as its text (Utf8); NULL stays null. `sample` rows drawn by the database (engines.ts:
 * uniform, exactly that many where the table has them, repeatable with `seed`), or every row
 * (the first `limit` rows) when `sample` is undefined.
 */
export async function pullRows(source: DbSource, options: { sample?: number; seed?: number; limit?: number; columns?: readonly string[] } = {}): Promise<arrow.Table> {
  const fn = source.engine.fn;
  const d = source.dialect;
  const wanted = options.columns ?? source.columns.map((c) => c.name);
  checkSourceColumns(source, wanted, fn);
  const byName = new Map(source.columns.map((c) => [c.name, c]));
  const cols = wanted.map((n) => byName.get(n) as DbColumn);
  const kind = (c: DbColumn): 'number' | 'bool' | 'text' => (isNumericType(c.type) ? 'number' : BOOL.test(c.type.trim()) ? 'bool' : 'text');
  const select = cols.map((c, j) => {
    const k = kind(c);
    const cell = d.ident(c.name);
    const value = k === 'number' ? d.toDouble(cell) : k === 'bool' ? `CAST(${cell} AS BOOLEAN)` : d.toText(cell);
    return `${value} AS ${d.ident(`c${j}`)}`;
  });
  const sample = options.sample;
  checkValue(fn, 'sample', sample, optional(integer({ min: 1 })));
  const from = sample === undefined ? source.tableSql : source.engine.sample(source.tableSql, sample, options.seed ?? 0);
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  const columns = await source.queryColumns(`SELECT ${select.join(', ')} FROM ${from}${limit}`);
  const vectors: Record<string, arrow.Vector> = {};
  cols.forEach((c, j) => {
    const values = columns[j] ?? [];
    const k = kind(c);
    if (k === 'number') vectors[c.name] = arrow.vectorFromArray(values.map((v) => (v === null ? null : Number(v))), new arrow.Float64());
    else if (k === 'bool') vectors[c.name] = arrow.vectorFromArray(values as Array<boolean | null>, new arrow.Bool());
    else vectors[c.name] = arrow.vectorFromArray(values.map((v) => (v === null ? null : String(v))), new arrow.Utf8());
  });
  return new arrow.Table(vectors);
}

/** The number of rows of the source's table. */
export async function countRows(source: DbSource): Promise<number> {
  const rows = await source.query(`SELECT count(*) AS n FROM ${source.tableSql}`);
  return Number(rows[0].n);
}
