// SPDX-License-Identifier: MIT
/**
 * The SQL that training inside a database writes beyond a model's (whose primitives are in
 * src/model/sql/dialects.ts): temporary tables, a test for infinity, the count of rows holding
 * each list item (per group for the profiles), exact quantiles, a mean, a number's text as
 * JavaScript writes it, a repeatable uniform sample, a column that keeps the stored rows' order,
 * and Lloyd's nearest center of each stored feature row. One small table per database, each
 * primitive naming the vendor document it is written from, as dialects.ts does; fitPipeline.ts,
 * lloyd.ts, fit.ts, profile.ts and report.ts write SQL only through these, the dialect's primitives
 * and the aggregates both databases share (count, sum, min, max, stddev_pop, FILTER, GROUPING SETS,
 * row_number).
 */
import type { MatrixF32 } from '../matrix.js';
import { dialectOf, type Dialect, type Sql } from '../model/sql/dialects.js';
import { LEAST_NAME, distanceItems, leastItem, segmentItems } from '../model/sql/nearest.js';
import { featureName } from '../model/sql/pipeline.js';

/** The column of the stored features that orders them as the table's rows were stored. */
export const ROW_NAME = '__segments_row';

/** The training primitives of one database. */
export interface Engine {
  /** Its name for people. */
  label: 'DuckDB' | 'PostgreSQL';
  /** The function name its errors carry. */
  fn: 'duckdb' | 'postgres';
  dialect: Dialect;
  /** Creates the temporary table `name` (unquoted; unique in the session) holding the rows of `select`. */
  createTemp(name: string, select: Sql): Sql;
  /** Whether the double `e` is +∞ or −∞. */
  isInfinite(e: Sql): Sql;
  /**
   * A query giving, per item of the arrays `items` (an expression over `from`), the rows holding
   * it (columns `item`, `n`), an item counting once per row, empty items left out; with `group`
   * (an expression over `from`), per group and item (columns `grp`, `item`, `n`).
   */
  itemCounts(items: Sql, from: Sql, group?: Sql): Sql;
  /**
   * The aggregate giving the quantiles `ps` (in [0, 1]) of the double `e`, by linear interpolation
   * between the order statistics at (n − 1)·p (numpy's default, Hyndman and Fan's 7), as an array
   * whose 1-based elements `[i]` a query outside the aggregation reads; exact, not approximate.
   */
  quantiles(e: Sql, ps: readonly number[]): Sql;
  /** The aggregate mean of the double `e` (NULLs left out). */
  mean(e: Sql): Sql;
  /**
   * A double `e` as JavaScript's String(e) writes it for the values a column holds in practice:
   * an integer below 10^15 in magnitude without a decimal point, any other value as the
   * database's shortest text (which JavaScript's matches outside exponent forms).
   */
  numberText(e: Sql): Sql;
  /** A FROM item of `n` rows drawn uniformly from `table` (all of them where it has fewer), repeatable with `seed`. */
  sample(table: Sql, n: number, seed: number): Sql;
  /** A feature (a double holding a float32 value, as predict's matrix holds it) as the features table stores it. */
  storedFeature(e: Sql): Sql;
  /** What the nearest-center query reads besides the features `fs` (quoted columns), stored after them: a select list, or ''. */
  storedExtras(fs: readonly Sql[]): Sql;
  /**
   * Each stored row of `table` with its position ROW_NAME (the order rows were stored in), its features, its least squared distance to
   * `centers` (LEAST_NAME) and its nearest center `seg` (the lowest-numbered on a tie); with `carry`, those stored columns (quoted) too.
   */
  labelled(table: Sql, fs: readonly Sql[], centers: MatrixF32, carry?: readonly Sql[]): Sql;
}

/** DuckDB's stored features as one FLOAT[d] array, for array_distance. */
const VECTOR = '__segments_v';

const duckdbDialect = dialectOf('duckdb');
const duckdb: Engine = {
  label: 'DuckDB',
  fn: 'duckdb',
  dialect: duckdbDialect,
  // Temporary tables: https://duckdb.org/docs/stable/sql/statements/create_table#temporary-tables
  createTemp: (name, select) => `CREATE OR REPLACE TEMP TABLE ${duckdbDialect.ident(name)} AS ${select}`,
  // isinf: https://duckdb.org/docs/stable/sql/functions/numeric#isinfx
  isInfinite: (e) => `isinf(${e})`,
  // list_distinct and unnest: https://duckdb.org/docs/stable/sql/functions/list
  itemCounts: (items, from, group) =>
    group === undefined
      ? `SELECT item, count(*) AS n FROM (SELECT unnest(list_distinct(${items})) AS item FROM ${from}) AS __segments_items WHERE item <> '' GROUP BY item`
      : `SELECT grp, item, count(*) AS n FROM (SELECT ${group} AS grp, unnest(list_distinct(${items})) AS item FROM ${from}) AS __segments_items WHERE item <> '' GROUP BY grp, item`,
  // quantile_cont: interpolated, exact (approx_quantile is the approximate one):
  // https://duckdb.org/docs/stable/sql/functions/aggregates#quantile_contx-pos ; list indexing is 1-based:
  // https://duckdb.org/docs/stable/sql/functions/list#list_extractlist-index
  quantiles: (e, ps) => `quantile_cont(${e}, [${ps.map((p) => duckdbDialect.double(p)).join(', ')}])`,
  // favg: the mean by Kahan summation, as the in-memory profile's compensated sum:
  // https://duckdb.org/docs/stable/sql/functions/aggregates#favgarg
  mean: (e) => `favg(${e})`,
  // trunc and BIGINT: https://duckdb.org/docs/stable/sql/functions/numeric#truncx ; a DOUBLE cast to
  // VARCHAR is its shortest round-trip text (seen in a probe: 0.1 gives '0.1').
  numberText: (e) => `(CASE WHEN ${e} = trunc(${e}) AND abs(${e}) < 1e15 THEN CAST(CAST(${e} AS BIGINT) AS VARCHAR) ELSE CAST(${e} AS VARCHAR) END)`,
  // Reservoir sampling: exactly n rows (all where the table has fewer), uniform; REPEATABLE seeds it.
  // https://duckdb.org/docs/stable/sql/samples
  sample: (table, n, seed) => `(SELECT * FROM ${table} USING SAMPLE reservoir(${n} ROWS) REPEATABLE (${seed})) AS __segments_sample`,
  // FLOAT (4 bytes, https://duckdb.org/docs/stable/sql/data_types/numeric#floating-point-types) holds a
  // float32 value exactly; the table is a third smaller than in DOUBLE (less to spill under the
  // memory limit), and sum() and var_pop() of FLOAT are DOUBLE, accumulated in double (seen in a probe).
  storedFeature: (e) => `CAST(${e} AS FLOAT)`,
  // The features also as one FLOAT[d] array, for array_distance.
  storedExtras: (fs) => `[${fs.join(', ')}]::FLOAT[${fs.length}] AS ${VECTOR}`,
  labelled: (table, fs, centers, carry = []) => {
    const d = duckdbDialect;
    const k = centers.rows;
    const dim = fs.length;
    // array_distance (https://duckdb.org/docs/stable/sql/functions/array#array_distancearray1-array2),
    // one call per center instead of the k·d spelled-out terms of src/model/sql/nearest.ts, which
    // DuckDB took ~0.2 s to plan per query at k = 6, d = 49. In float32, as our KMeans measures
    // distances (0.66 s per iteration at 10^6 rows × 51 features, k = 5, against 0.87 s in
    // float64). The nearest is the first least (list_position), predict's tie rule; its square is
    // the squared distance.
    const ds = Array.from({ length: k }, (_, c) => `array_distance(${VECTOR}, [${Array.from(centers.data.subarray(c * dim, (c + 1) * dim), (x) => d.double(x)).join(', ')}]::FLOAT[${dim}])`);
    // rowid: the row's position in the stored table (https://duckdb.org/docs/stable/sql/statements/select#row-ids).
    const inner = `SELECT rowid AS ${ROW_NAME}, ${[...fs, ...carry].join(', ')}, [${ds.join(', ')}] AS __segments_ds FROM ${table}`;
    return `SELECT ${ROW_NAME}, ${[...fs, ...carry].join(', ')}, list_min(__segments_ds) * list_min(__segments_ds) AS ${d.ident(LEAST_NAME)}, list_position(__segments_ds, list_min(__segments_ds)) - 1 AS seg FROM (${inner}) AS __segments_z`;
  },
};

const postgresDialect = dialectOf('postgres');
const postgres: Engine = {
  label: 'PostgreSQL',
  fn: 'postgres',
  dialect: postgresDialect,
  // A temporary table lives in the session only and is not written to the WAL (it cannot also be
  // UNLOGGED: that is for permanent tables). https://www.postgresql.org/docs/15/sql-createtable.html
  createTemp: (name, select) => `CREATE TEMP TABLE ${postgresDialect.ident(name)} AS ${select}`,
  // 'Infinity' and '-Infinity' are double precision values: https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-FLOAT
  isInfinite: (e) => `(${e} IN (CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION)))`,
  // A row's distinct items by a LATERAL subquery over unnest: https://www.postgresql.org/docs/15/queries-table-expressions.html#QUERIES-LATERAL
  itemCounts: (items, from, group) =>
    `SELECT ${group === undefined ? '' : `${group} AS grp, `}item, count(*) AS n FROM ${from} CROSS JOIN LATERAL (SELECT DISTINCT __segments_i FROM unnest(${items}) AS __segments_u(__segments_i)) AS __segments_items(item) WHERE item <> '' GROUP BY ${group === undefined ? '' : '1, '}item`,
  // percentile_cont with an array of fractions: interpolated, exact, an array of the same shape
  // (https://www.postgresql.org/docs/15/functions-aggregate.html#FUNCTIONS-ORDEREDSET-TABLE);
  // array subscripts are 1-based (https://www.postgresql.org/docs/15/arrays.html#ARRAYS-ACCESSING).
  quantiles: (e, ps) => `percentile_cont(CAST(ARRAY[${ps.map((p) => postgresDialect.double(p)).join(', ')}] AS DOUBLE PRECISION[])) WITHIN GROUP (ORDER BY ${e})`,
  // avg of double precision is double precision: https://www.postgresql.org/docs/15/functions-aggregate.html
  mean: (e) => `avg(${e})`,
  // trunc: https://www.postgresql.org/docs/15/functions-math.html ; float8 output is the shortest
  // round-trip text by default since PostgreSQL 12 (extra_float_digits = 1):
  // https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-FLOAT
  numberText: (e) => `(CASE WHEN ${e} = trunc(${e}) AND abs(${e}) < 1e15 THEN CAST(CAST(${e} AS BIGINT) AS TEXT) ELSE CAST(${e} AS TEXT) END)`,
  // The n rows of least md5(row's text, seed): exactly n rows, uniform over the distinct rows as a
  // hash is, and repeatable whatever order the rows are read in (a parallel plan, a rewritten
  // table: the same contents give the same sample), where random() after setseed depends on that
  // order; TABLESAMPLE BERNOULLI draws a random number of rows and SYSTEM whole pages, which
  // clusters them. The whole row as text works for views too (no ctid). One scan and a top-n
  // sort: O(rows · log n), n rows held; 1.4 s at 10^6 rows × 18 columns against 0.25 s for
  // ORDER BY random() (measured here, load 2-4).
  // https://www.postgresql.org/docs/15/functions-binarystring.html (md5), https://www.postgresql.org/docs/15/rowtypes.html#ROWTYPES-USAGE
  sample: (table, n, seed) =>
    `(SELECT __segments_s.* FROM ${table} AS __segments_s ORDER BY md5(CAST(__segments_s AS TEXT) || ${postgresDialect.text(`:${seed}`)}) LIMIT ${n}) AS __segments_sample`,
  // double precision: sum(real) is real in PostgreSQL (https://www.postgresql.org/docs/15/functions-aggregate.html).
  storedFeature: (e) => e,
  storedExtras: () => '',
  labelled: (table, fs, centers, carry = []) => {
    const d = postgresDialect;
    const k = centers.rows;
    // PostgreSQL has no distance of arrays (without extensions): the squared distances spelled out
    // in float64 in feature order, their least and the first center at it, as a compiled model
    // (src/model/sql/nearest.ts); the OFFSET 0 fences keep each layer computed once per row.
    const dist = distanceItems(d, centers, '__segments_a');
    const least = leastItem(d, k, '__segments_b');
    const seg = segmentItems(d, Array.from({ length: k }, (_, c) => String(c)), '__segments_c', { segment: 'seg', name: '__segments_name', distance: '__segments_dist' })[0];
    const kept = [...fs, ...carry];
    const plain = kept.map((f) => `__segments_a.${f}`);
    // ctid: the row's place in the stored table, which orders a new table's rows as they were
    // inserted (https://www.postgresql.org/docs/15/ddl-system-columns.html).
    const a = `SELECT ctid AS ${ROW_NAME}, ${kept.join(', ')} FROM ${table}`;
    const b = `SELECT __segments_a.${ROW_NAME}, ${plain.join(', ')}, ${dist.map((i) => `${i.expr} AS ${d.ident(i.as)}`).join(', ')} FROM (${a}${d.fence}) AS __segments_a`;
    const c = `SELECT __segments_b.*, ${least.expr} AS ${d.ident(LEAST_NAME)} FROM (${b}${d.fence}) AS __segments_b`;
    return `SELECT ${ROW_NAME}, ${kept.join(', ')}, ${d.ident(LEAST_NAME)}, ${seg.expr} AS seg FROM (${c}${d.fence}) AS __segments_c`;
  },
};

const ENGINES = { duckdb, postgres } as const;

/** The training primitives of DuckDB or PostgreSQL. */
export function engineOf(name: keyof typeof ENGINES): Engine {
  return ENGINES[name];
}

/** The quoted names of the stored feature columns. */
export function featureColumns(d: Dialect, cols: number): Sql[] {
  return Array.from({ length: cols }, (_, j) => d.ident(featureName(j)));
}
