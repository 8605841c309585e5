// SPDX-License-Identifier: MIT
/**
 * The SQL dialects a model compiles to, each as a small table of primitives: quoting, literals,
 * casts, a regular-expression match and replace, a literal replace, log1p, lists of items, least, and the fence
 * that keeps a query layer from being inlined. Every primitive names the vendor document it is
 * written from; nothing here is guessed from another dialect. The compiler (compile.ts,
 * pipeline.ts, nearest.ts) writes SQL only through these primitives.
 *
 * Checked live on DuckDB (@duckdb/node-api) and PostgreSQL 15 by the tests; the others are
 * checked by golden files (test/fixtures/sql/) and a parser check only.
 */
import { ParameterError } from '../../errors.js';

/** The dialects `toSQL` writes. */
export const DIALECT_NAMES = ['duckdb', 'postgres', 'clickhouse', 'spark', 'bigquery', 'snowflake', 'trino'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** A SQL expression, as text. */
export type Sql = string;

/** The primitives of one dialect. */
export interface Dialect {
  name: DialectName;
  /** An identifier (column, table part), quoted. */
  ident(name: string): Sql;
  /** A string literal holding exactly `text`. */
  text(text: string): Sql;
  /** A DOUBLE literal holding exactly `x` (finite). */
  double(x: number): Sql;
  /** `e` cast to the dialect's 64-bit float. */
  toDouble(e: Sql): Sql;
  /**
   * The text `e`, a decimal number without sign (`12`, `1.5`, `.5`, `5.`, `2.5E-3`), as a 64-bit
   * float rounded as JavaScript's Number reads it; NULL where Number gives Infinity (beyond
   * float64's range: predict reads such a cell as missing), and 0 where it underflows to 0.
   * `cell` is the text `e` was made from by removing characters (signs, separators, spaces).
   */
  finiteDouble(e: Sql, cell: Sql): Sql;
  /**
   * `e` (a double) rounded to float32 and back to double, as predict's Float32Array feature
   * matrix holds it; `e` itself where the dialect has no 32-bit float.
   */
  roundFloat32(e: Sql): Sql;
  /** Any value as text (numbers, labels): the cast predict's label reading matches. */
  toText(e: Sql): Sql;
  /** Whether the text `e` matches the regular expression `pattern` in full (RE2/Java/POSIX subset: `[0-9]`, `\s`, `(…)`, `|`, `?`, `*`, `+`, `{m,n}`). */
  matches(e: Sql, pattern: string): Sql;
  /** Every match of `pattern` in the text `e` replaced by the empty string. */
  removeAll(e: Sql, pattern: string): Sql;
  /** Every occurrence of the literal `from` in the text `e` replaced by the literal `to`. */
  replace(e: Sql, from: string, to: string): Sql;
  /** The text `e` in lower case. */
  lower(e: Sql): Sql;
  /** sign(x)·log1p(|x|) of the double `e`. */
  signedLog1p(e: Sql): Sql;
  /** The items of the text `e` split at `separator` (literally), each trimmed of ASCII whitespace; an array. */
  splitItems(e: Sql, separator: string): Sql;
  /** 1 when the array `items` holds `item`, else 0 (an integer). */
  hasItem(items: Sql, item: string): Sql;
  /** How many elements of the array `items` are neither empty nor one of `kept` (an integer). */
  countOthers(items: Sql, kept: readonly string[]): Sql;
  /** The least of the doubles `args` (none NULL). */
  least(args: readonly Sql[]): Sql;
  /** The square root of the double `e`. */
  sqrt(e: Sql): Sql;
  /** Written after a layer's FROM … so that the planner keeps it as one step (PostgreSQL: OFFSET 0). */
  fence: Sql;
  /**
   * The select list of every column of the (single) FROM source except `drop`, or null where the
   * dialect has no such form (then a whole-row carrier or a key is needed).
   */
  allBut: ((drop: readonly string[]) => Sql) | null;
  /** The whole-row carrier: a select item holding every column of the source row, and its read-back; used where allBut is null. */
  wholeRow?: { carry(tableAlias: string, as: string): Sql; expand(alias: string, column: string): Sql };
}

/** JavaScript's shortest round-trip decimal for a double; finite values only. */
function decimal(x: number): string {
  if (!Number.isFinite(x)) throw new ParameterError('toSQL', 'model', `the model holds a non-finite number (${x}) that SQL cannot write`);
  return Object.is(x, -0) ? '0' : String(x);
}

/** 2^1024 − 2^970: the least decimal that float64 parsing rounds to infinity. */
const FLOAT64_OVERFLOW = (2n ** 1024n - 2n ** 970n).toString();
/** 2^1075: 1/x is the greatest decimal that float64 parsing rounds to 0. */
const FLOAT64_UNDERFLOW_INVERSE = (2n ** 1075n).toString();

/** 'text' with quotes doubled (ISO SQL: no backslash escapes). */
function isoString(text: string): Sql {
  return `'${text.replaceAll("'", "''")}'`;
}

/** 'text' with backslashes and quotes escaped, for dialects whose string literals read backslash escapes. */
function backslashString(text: string): Sql {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function quoted(name: string, q: string): Sql {
  return `${q}${name.replaceAll(q, q + q)}${q}`;
}

const ANCHORED = (p: string): string => `^(?:${p})$`;
/** ASCII whitespace at either end, as predict trims list items. */
const EDGE_SPACE = '^[ \\t\\r\\n]+|[ \\t\\r\\n]+$';

const duckdb: Dialect = {
  name: 'duckdb',
  // https://duckdb.org/docs/stable/sql/dialect/keywords_and_identifiers : double quotes, doubled to escape.
  ident: (n) => quoted(n, '"'),
  // https://duckdb.org/docs/stable/sql/data_types/literal_types#string-literals : no backslash escapes in '…'.
  text: isoString,
  // https://duckdb.org/docs/stable/sql/data_types/numeric : a decimal literal is DECIMAL, and a
  // FLOAT column minus a decimal stays FLOAT (seen in a probe), so every literal is cast.
  double: (x) => `CAST(${decimal(x)} AS DOUBLE)`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  // A text beyond the range casts to inf (and below it to 0), seen in a probe (test/model/sql/numbers.test.ts
  // checks it); isinf: https://duckdb.org/docs/stable/sql/functions/numeric#isinfx
  finiteDouble: (e) => `(CASE WHEN isinf(CAST(${e} AS DOUBLE)) THEN NULL ELSE CAST(${e} AS DOUBLE) END)`,
  // FLOAT is float32 (IEEE single), https://duckdb.org/docs/stable/sql/data_types/numeric#floating-point-types
  roundFloat32: (e) => `CAST(CAST(${e} AS FLOAT) AS DOUBLE)`,
  toText: (e) => `CAST(${e} AS VARCHAR)`,
  // regexp_full_match / regexp_replace with 'g': https://duckdb.org/docs/stable/sql/functions/regular_expressions (RE2)
  matches: (e, p) => `regexp_full_match(${e}, ${isoString(p)})`,
  removeAll: (e, p) => `regexp_replace(${e}, ${isoString(p)}, '', 'g')`,
  // https://duckdb.org/docs/stable/sql/functions/text#replacestring-source-target
  replace: (e, from, to) => `replace(${e}, ${isoString(from)}, ${isoString(to)})`,
  // https://duckdb.org/docs/stable/sql/functions/text#lowerstring
  lower: (e) => `lower(${e})`,
  // DuckDB has no log1p (https://duckdb.org/docs/stable/sql/functions/numeric): sign(x)*ln(1+abs(x)).
  signedLog1p: (e) => `(sign(${e}) * ln(1 + abs(${e})))`,
  // string_split, list_transform, list_filter with lambdas: https://duckdb.org/docs/stable/sql/functions/list
  splitItems: (e, sep) => `list_transform(string_split(${e}, ${isoString(sep)}), __s -> ${duckdb.removeAll('__s', EDGE_SPACE)})`,
  hasItem: (items, item) => `CAST(list_contains(${items}, ${isoString(item)}) AS INTEGER)`,
  countOthers: (items, kept) => `len(list_filter(${items}, __s -> __s <> ''${kept.length > 0 ? ` AND NOT list_contains([${kept.map(isoString).join(', ')}], __s)` : ''}))`,
  // greatest/least take any number of arguments: https://duckdb.org/docs/stable/sql/functions/numeric#leastx1-x2-
  least: (args) => (args.length === 1 ? args[0] : `least(${args.join(', ')})`),
  sqrt: (e) => `sqrt(${e})`,
  fence: '',
  // SELECT * EXCLUDE: https://duckdb.org/docs/stable/sql/expressions/star#exclude-clause
  allBut: (drop) => `* EXCLUDE (${drop.map((d) => quoted(d, '"')).join(', ')})`,
};

/** PostgreSQL's test for text a double can be read from (no try-cast in PostgreSQL). */
const postgres: Dialect = {
  name: 'postgres',
  // https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
  ident: (n) => quoted(n, '"'),
  // standard_conforming_strings is on by default since 9.1: '…' has no backslash escapes
  // (https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS).
  text: isoString,
  // A literal with a point or exponent is numeric, not double
  // (https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-CONSTANTS-NUMERIC): cast.
  double: (x) => `CAST(${decimal(x)} AS DOUBLE PRECISION)`,
  toDouble: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  // float8 input rejects a text that rounds to infinity or underflows to 0 ("out of range",
  // https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-FLOAT), and PostgreSQL has no
  // try-cast: where the cell is at most 300 characters long and holds no exponent, its number is
  // within range and is cast at once; any other is first read as an exact numeric and compared with
  // the bounds, 2^1024 − 2^970 (the least value that rounds to infinity) and 2^-1075 (the greatest
  // that rounds to 0). The first test keeps the common case cheap (a plain cell read in 0.8 s against 1.5 s
  // per 10^6 cells in a probe). length, strpos: https://www.postgresql.org/docs/15/functions-string.html
  finiteDouble: (e, cell) =>
    `(CASE WHEN length(${cell}) <= 300 AND strpos(${cell}, 'e') = 0 AND strpos(${cell}, 'E') = 0 THEN CAST(${e} AS DOUBLE PRECISION) WHEN abs(CAST(${e} AS NUMERIC)) >= ${FLOAT64_OVERFLOW} THEN NULL WHEN abs(CAST(${e} AS NUMERIC)) * ${FLOAT64_UNDERFLOW_INVERSE} <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(${e} AS DOUBLE PRECISION) END)`,
  // real is IEEE single precision: https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-FLOAT
  roundFloat32: (e) => `CAST(CAST(${e} AS REAL) AS DOUBLE PRECISION)`,
  toText: (e) => `CAST(${e} AS TEXT)`,
  // POSIX regular expressions: ~ and regexp_replace(…, 'g'): https://www.postgresql.org/docs/15/functions-matching.html#FUNCTIONS-POSIX-REGEXP
  matches: (e, p) => `(${e} ~ ${isoString(ANCHORED(p))})`,
  removeAll: (e, p) => `regexp_replace(${e}, ${isoString(p)}, '', 'g')`,
  // replace(string, from, to), every occurrence: https://www.postgresql.org/docs/15/functions-string.html
  replace: (e, from, to) => `replace(${e}, ${isoString(from)}, ${isoString(to)})`,
  // https://www.postgresql.org/docs/15/functions-string.html
  lower: (e) => `lower(${e})`,
  // No log1p in PostgreSQL (https://www.postgresql.org/docs/15/functions-math.html): sign(x)*ln(1+abs(x)).
  signedLog1p: (e) => `(sign(${e}) * ln(1 + abs(${e})))`,
  // No lambdas: string_to_array and unnest in a subquery (https://www.postgresql.org/docs/15/functions-array.html).
  splitItems: (e, sep) => `ARRAY(SELECT ${postgres.removeAll('__s', EDGE_SPACE)} FROM unnest(string_to_array(${e}, ${isoString(sep)})) AS __u(__s))`,
  hasItem: (items, item) => `(CASE WHEN ${isoString(item)} = ANY(${items}) THEN 1 ELSE 0 END)`,
  countOthers: (items, kept) =>
    `(SELECT CAST(count(*) AS INTEGER) FROM unnest(${items}) AS __u(__s) WHERE __s <> ''${kept.length > 0 ? ` AND __s <> ALL (ARRAY[${kept.map(isoString).join(', ')}])` : ''})`,
  // https://www.postgresql.org/docs/15/functions-conditional.html#FUNCTIONS-GREATEST-LEAST
  least: (args) => (args.length === 1 ? args[0] : `LEAST(${args.join(', ')})`),
  sqrt: (e) => `sqrt(${e})`,
  // A subquery with OFFSET 0 is not pulled up into its parent, so each layer is computed once per
  // row: a probe took 61-72 s per pass at 10^6 rows without, 5.2 s with
  // (https://www.postgresql.org/docs/15/queries-with.html on inlining).
  fence: ' OFFSET 0',
  allBut: null,
  // A table's name used as a value is its whole row; (r).* expands it again:
  // https://www.postgresql.org/docs/15/rowtypes.html#ROWTYPES-USAGE
  wholeRow: { carry: (t, as) => `${t} AS ${quoted(as, '"')}`, expand: (alias, c) => `(${alias}.${quoted(c, '"')}).*` },
};

const clickhouse: Dialect = {
  name: 'clickhouse',
  // https://clickhouse.com/docs/sql-reference/syntax#identifiers : "…" or `…`.
  ident: (n) => quoted(n, '"'),
  // https://clickhouse.com/docs/sql-reference/syntax#string : backslash escapes are read.
  text: backslashString,
  // https://clickhouse.com/docs/sql-reference/data-types/float
  double: (x) => `CAST(${decimal(x)} AS Float64)`,
  toDouble: (e) => `CAST(${e} AS Float64)`,
  // isInfinite: https://clickhouse.com/docs/sql-reference/functions/other-functions#isinfinite (not run here:
  // that a text beyond the range parses to inf is not checked on a live server).
  finiteDouble: (e) => `if(isInfinite(CAST(${e} AS Float64)), NULL, CAST(${e} AS Float64))`,
  roundFloat32: (e) => `CAST(CAST(${e} AS Float32) AS Float64)`,
  toText: (e) => `toString(${e})`,
  // match (RE2, partial: anchored here) and replaceRegexpAll:
  // https://clickhouse.com/docs/sql-reference/functions/string-search-functions#match
  // https://clickhouse.com/docs/sql-reference/functions/string-replace-functions#replaceregexpall
  matches: (e, p) => `match(${e}, ${backslashString(ANCHORED(p))})`,
  removeAll: (e, p) => `replaceRegexpAll(${e}, ${backslashString(p)}, '')`,
  // replaceAll (every occurrence, literal): https://clickhouse.com/docs/sql-reference/functions/string-replace-functions#replaceall
  replace: (e, from, to) => `replaceAll(${e}, ${backslashString(from)}, ${backslashString(to)})`,
  // https://clickhouse.com/docs/sql-reference/functions/string-functions#lower
  lower: (e) => `lower(${e})`,
  // log1p: https://clickhouse.com/docs/sql-reference/functions/math-functions#log1p
  signedLog1p: (e) => `(sign(${e}) * log1p(abs(${e})))`,
  // splitByString, arrayMap, has, arrayCount: https://clickhouse.com/docs/sql-reference/functions/splitting-merging-functions#splitbystring
  // https://clickhouse.com/docs/sql-reference/functions/array-functions
  splitItems: (e, sep) => `arrayMap(__s -> ${clickhouse.removeAll('__s', EDGE_SPACE)}, splitByString(${backslashString(sep)}, ${e}))`,
  hasItem: (items, item) => `toInt32(has(${items}, ${backslashString(item)}))`,
  countOthers: (items, kept) => `arrayCount(__s -> __s != ''${kept.length > 0 ? ` AND NOT has([${kept.map(backslashString).join(', ')}], __s)` : ''}, ${items})`,
  // least(a, b) takes two arguments in older servers: nested pairwise.
  // https://clickhouse.com/docs/sql-reference/functions/conditional-functions#least
  least: (args) => args.reduce((acc, a) => `least(${acc}, ${a})`),
  sqrt: (e) => `sqrt(${e})`,
  fence: '',
  // SELECT * EXCEPT: https://clickhouse.com/docs/sql-reference/statements/select#except
  allBut: (drop) => `* EXCEPT (${drop.map((d) => quoted(d, '"')).join(', ')})`,
};

const spark: Dialect = {
  name: 'spark',
  // https://spark.apache.org/docs/latest/sql-ref-identifier.html : back-quotes.
  ident: (n) => quoted(n, '`'),
  // https://spark.apache.org/docs/latest/sql-ref-literals.html#string-literal : backslash escapes.
  text: backslashString,
  // https://spark.apache.org/docs/latest/sql-ref-datatypes.html : DOUBLE, FLOAT (4 bytes).
  double: (x) => `CAST(${decimal(x)} AS DOUBLE)`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  // Infinity as a value: https://spark.apache.org/docs/latest/sql-ref-datatypes.html#floating-point-special-values
  // (not run here: that a text beyond the range casts to Infinity is not checked on a live server).
  finiteDouble: (e) => `(CASE WHEN abs(CAST(${e} AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(${e} AS DOUBLE) END)`,
  roundFloat32: (e) => `CAST(CAST(${e} AS FLOAT) AS DOUBLE)`,
  toText: (e) => `CAST(${e} AS STRING)`,
  // rlike (Java regex, partial: anchored here), regexp_replace (all matches):
  // https://spark.apache.org/docs/latest/api/sql/index.html#rlike
  // https://spark.apache.org/docs/latest/api/sql/index.html#regexp_replace
  matches: (e, p) => `(${e} RLIKE ${backslashString(ANCHORED(p))})`,
  removeAll: (e, p) => `regexp_replace(${e}, ${backslashString(p)}, '')`,
  // replace(str, search, replace), every occurrence, literal: https://spark.apache.org/docs/latest/api/sql/index.html#replace
  replace: (e, from, to) => `replace(${e}, ${backslashString(from)}, ${backslashString(to)})`,
  // https://spark.apache.org/docs/latest/api/sql/index.html#lower
  lower: (e) => `lower(${e})`,
  // https://spark.apache.org/docs/latest/api/sql/index.html#log1p
  signedLog1p: (e) => `(signum(${e}) * log1p(abs(${e})))`,
  // split takes a regex: the separator is quoted with \Q…\E (java.util.regex.Pattern).
  // transform, array_contains, filter, size: https://spark.apache.org/docs/latest/api/sql/index.html#transform
  splitItems: (e, sep) => `transform(split(${e}, ${backslashString(`\\Q${sep}\\E`)}), __s -> ${spark.removeAll('__s', EDGE_SPACE)})`,
  hasItem: (items, item) => `CAST(array_contains(${items}, ${backslashString(item)}) AS INT)`,
  countOthers: (items, kept) => `size(filter(${items}, __s -> __s != ''${kept.length > 0 ? ` AND NOT array_contains(array(${kept.map(backslashString).join(', ')}), __s)` : ''}))`,
  // https://spark.apache.org/docs/latest/api/sql/index.html#least
  least: (args) => (args.length === 1 ? args[0] : `least(${args.join(', ')})`),
  sqrt: (e) => `sqrt(${e})`,
  fence: '',
  // SELECT * EXCEPT is Databricks SQL (https://docs.databricks.com/en/sql/language-manual/sql-ref-syntax-qry-select.html#star-clause);
  // open-source Spark 3 lacks it: pass a key there.
  allBut: (drop) => `* EXCEPT (${drop.map((d) => quoted(d, '`')).join(', ')})`,
};

const bigquery: Dialect = {
  name: 'bigquery',
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#quoted_identifiers
  ident: (n) => `\`${n.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``,
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#string_and_bytes_literals : backslash escapes.
  text: backslashString,
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#floating_point_types : FLOAT64 only.
  double: (x) => `CAST(${decimal(x)} AS FLOAT64)`,
  toDouble: (e) => `CAST(${e} AS FLOAT64)`,
  // SAFE_CAST is NULL where CAST fails, IS_INF: https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#safe_casting
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#is_inf (not run here).
  finiteDouble: (e) => `IF(IS_INF(SAFE_CAST(${e} AS FLOAT64)), NULL, SAFE_CAST(${e} AS FLOAT64))`,
  // No 32-bit float: features stay float64 (distances may differ from predict's in the 7th digit).
  roundFloat32: (e) => e,
  toText: (e) => `CAST(${e} AS STRING)`,
  // REGEXP_CONTAINS (RE2, partial: anchored here), REGEXP_REPLACE (all matches):
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#regexp_contains
  matches: (e, p) => `REGEXP_CONTAINS(${e}, ${backslashString(ANCHORED(p))})`,
  removeAll: (e, p) => `REGEXP_REPLACE(${e}, ${backslashString(p)}, '')`,
  // REPLACE(original_value, from_pattern, to_pattern), literal: https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#replace
  replace: (e, from, to) => `REPLACE(${e}, ${backslashString(from)}, ${backslashString(to)})`,
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#lower
  lower: (e) => `LOWER(${e})`,
  // No log1p: https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#ln
  signedLog1p: (e) => `(SIGN(${e}) * LN(1 + ABS(${e})))`,
  // SPLIT (literal delimiter), no lambdas: ARRAY(SELECT … FROM UNNEST(…)).
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#split
  splitItems: (e, sep) => `ARRAY(SELECT ${bigquery.removeAll('__s', EDGE_SPACE)} FROM UNNEST(SPLIT(${e}, ${backslashString(sep)})) AS __s)`,
  hasItem: (items, item) => `(CASE WHEN ${backslashString(item)} IN UNNEST(${items}) THEN 1 ELSE 0 END)`,
  countOthers: (items, kept) =>
    `(SELECT COUNT(*) FROM UNNEST(${items}) AS __s WHERE __s != ''${kept.length > 0 ? ` AND __s NOT IN (${kept.map(backslashString).join(', ')})` : ''})`,
  // https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#least
  least: (args) => (args.length === 1 ? args[0] : `LEAST(${args.join(', ')})`),
  sqrt: (e) => `SQRT(${e})`,
  fence: '',
  // SELECT * EXCEPT: https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#select_except
  allBut: (drop) => `* EXCEPT (${drop.map((d) => bigquery.ident(d)).join(', ')})`,
};

const snowflake: Dialect = {
  name: 'snowflake',
  // https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers
  ident: (n) => quoted(n, '"'),
  // https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants
  text: backslashString,
  // FLOAT, DOUBLE, REAL are all 64-bit: https://docs.snowflake.com/en/sql-reference/data-types-numeric#data-types-for-floating-point-numbers
  double: (x) => `CAST(${decimal(x)} AS DOUBLE)`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  // TRY_CAST is NULL where CAST fails; 'inf' is a DOUBLE value:
  // https://docs.snowflake.com/en/sql-reference/functions/try_cast
  // https://docs.snowflake.com/en/sql-reference/data-types-numeric#special-values (not run here).
  finiteDouble: (e) => `(CASE WHEN ABS(TRY_CAST(${e} AS DOUBLE)) = CAST('inf' AS DOUBLE) THEN NULL ELSE TRY_CAST(${e} AS DOUBLE) END)`,
  roundFloat32: (e) => e,
  toText: (e) => `CAST(${e} AS VARCHAR)`,
  // REGEXP_LIKE matches the whole subject (implicitly anchored); REGEXP_REPLACE replaces all:
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_like
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_replace
  matches: (e, p) => `REGEXP_LIKE(${e}, ${backslashString(p)})`,
  removeAll: (e, p) => `REGEXP_REPLACE(${e}, ${backslashString(p)}, '')`,
  // REPLACE(subject, pattern, replacement), literal: https://docs.snowflake.com/en/sql-reference/functions/replace
  replace: (e, from, to) => `REPLACE(${e}, ${backslashString(from)}, ${backslashString(to)})`,
  // https://docs.snowflake.com/en/sql-reference/functions/lower
  lower: (e) => `LOWER(${e})`,
  // No log1p: https://docs.snowflake.com/en/sql-reference/functions/ln
  signedLog1p: (e) => `(SIGN(${e}) * LN(1 + ABS(${e})))`,
  // SPLIT gives an ARRAY of VARIANT; TRANSFORM and FILTER take lambdas:
  // https://docs.snowflake.com/en/sql-reference/functions/split
  // https://docs.snowflake.com/en/sql-reference/functions/transform
  // https://docs.snowflake.com/en/sql-reference/functions/filter
  splitItems: (e, sep) => `TRANSFORM(SPLIT(${e}, ${backslashString(sep)}), __s -> ${snowflake.removeAll('CAST(__s AS VARCHAR)', EDGE_SPACE)})`,
  // ARRAY_CONTAINS takes a VARIANT: https://docs.snowflake.com/en/sql-reference/functions/array_contains ,
  // https://docs.snowflake.com/en/sql-reference/functions/to_variant
  hasItem: (items, item) => `IFF(ARRAY_CONTAINS(TO_VARIANT(${backslashString(item)}), ${items}), 1, 0)`,
  countOthers: (items, kept) =>
    `ARRAY_SIZE(FILTER(${items}, __s -> CAST(__s AS VARCHAR) != ''${kept.length > 0 ? ` AND CAST(__s AS VARCHAR) NOT IN (${kept.map(backslashString).join(', ')})` : ''}))`,
  // https://docs.snowflake.com/en/sql-reference/functions/least
  least: (args) => (args.length === 1 ? args[0] : `LEAST(${args.join(', ')})`),
  sqrt: (e) => `SQRT(${e})`,
  fence: '',
  // SELECT * EXCLUDE: https://docs.snowflake.com/en/sql-reference/sql/select#parameters
  allBut: (drop) => `* EXCLUDE (${drop.map((d) => quoted(d, '"')).join(', ')})`,
};

const trino: Dialect = {
  name: 'trino',
  // https://trino.io/docs/current/language/reserved.html (delimited identifiers in double quotes)
  ident: (n) => quoted(n, '"'),
  // https://trino.io/docs/current/language/types.html#varchar : '…', quotes doubled, no backslash escapes.
  text: isoString,
  // https://trino.io/docs/current/language/types.html#floating-point : DOUBLE, REAL (32-bit).
  double: (x) => `CAST(${decimal(x)} AS DOUBLE)`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  // is_infinite: https://trino.io/docs/current/functions/math.html#is_infinite (not run here).
  finiteDouble: (e) => `(CASE WHEN is_infinite(CAST(${e} AS DOUBLE)) THEN NULL ELSE CAST(${e} AS DOUBLE) END)`,
  roundFloat32: (e) => `CAST(CAST(${e} AS REAL) AS DOUBLE)`,
  toText: (e) => `CAST(${e} AS VARCHAR)`,
  // regexp_like (Java regex, partial: anchored here), regexp_replace (all matches):
  // https://trino.io/docs/current/functions/regexp.html
  matches: (e, p) => `regexp_like(${e}, ${isoString(ANCHORED(p))})`,
  removeAll: (e, p) => `regexp_replace(${e}, ${isoString(p)}, '')`,
  // replace(string, search, replace), every occurrence, literal: https://trino.io/docs/current/functions/string.html#replace
  replace: (e, from, to) => `replace(${e}, ${isoString(from)}, ${isoString(to)})`,
  // https://trino.io/docs/current/functions/string.html#lower
  lower: (e) => `lower(${e})`,
  // No log1p: https://trino.io/docs/current/functions/math.html#ln
  signedLog1p: (e) => `(sign(${e}) * ln(1 + abs(${e})))`,
  // split (literal), transform, contains, filter, cardinality: https://trino.io/docs/current/functions/array.html
  splitItems: (e, sep) => `transform(split(${e}, ${isoString(sep)}), __s -> ${trino.removeAll('__s', EDGE_SPACE)})`,
  hasItem: (items, item) => `(CASE WHEN contains(${items}, ${isoString(item)}) THEN 1 ELSE 0 END)`,
  countOthers: (items, kept) =>
    `cardinality(filter(${items}, __s -> __s <> ''${kept.length > 0 ? ` AND NOT contains(ARRAY[${kept.map(isoString).join(', ')}], __s)` : ''}))`,
  // https://trino.io/docs/current/functions/comparison.html#greatest-and-least
  least: (args) => (args.length === 1 ? args[0] : `least(${args.join(', ')})`),
  sqrt: (e) => `sqrt(${e})`,
  fence: '',
  // Trino has no SELECT * EXCEPT: a key is needed.
  allBut: null,
};

const DIALECTS: Readonly<Record<DialectName, Dialect>> = { duckdb, postgres, clickhouse, spark, bigquery, snowflake, trino };

/**
 * The primitives of a dialect.
 * @throws ParameterError naming the dialects there are.
 */
export function dialectOf(name: string, fn = 'toSQL'): Dialect {
  if (!(DIALECT_NAMES as readonly string[]).includes(name)) {
    throw new ParameterError(fn, 'dialect', `dialect='${name}' is not one of ${DIALECT_NAMES.join(', ')}`);
  }
  return DIALECTS[name as DialectName];
}
