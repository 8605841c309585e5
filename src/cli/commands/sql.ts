// SPDX-License-Identifier: MIT
/**
 * `segments sql <model.json> --dialect D [--table NAME] [--key COL]`: prints one SQL SELECT that
 * segments the rows of a database table as `segments predict` segments a file: the key (or every
 * column), segment, segment_name and distance (with --json: the query and what it reads, as JSON).
 * A thin layer over `model.toSQL`.
 */
import { loadModel } from '../../model/file.js';
import { DEFAULT_TABLE } from '../../model/sql/compile.js';
import { DIALECT_NAMES, type DialectName } from '../../model/sql/dialects.js';
import { UsageError, type CommandSpec } from '../args.js';
import type { Context } from '../context.js';

export const SQL_SPEC: CommandSpec = {
  name: 'sql',
  summary: 'Prints a saved model as one SQL SELECT that segments the rows of a database table.',
  positionals: [{ name: 'model.json', help: 'a model written by `segments fit` (k-means or mean shift)' }],
  flags: {
    dialect: { type: 'string', value: 'NAME', choices: DIALECT_NAMES, help: 'the SQL dialect to write (required)' },
    table: { type: 'string', value: 'NAME', help: `the table to read, e.g. users or schema.users (default ${DEFAULT_TABLE})` },
    key: { type: 'string', value: 'COL', help: 'return this column with the segment (default: every column; trino needs a key)' },
  },
  notes: [
    'the query returns segment, segment_name and distance as `segments predict` computes them;',
    'checked against predict on DuckDB and PostgreSQL; the other dialects are checked by golden files only.',
  ],
};

/** What `segments sql --json` prints. */
export interface SqlSummary {
  model: string;
  dialect: DialectName;
  table: string;
  key: string | null;
  /** The columns of the table the query reads. */
  columns: string[];
  sql: string;
}

/** Runs `segments sql`; returns the query it printed. */
export async function sqlCommand(ctx: Context): Promise<string> {
  const [modelPath] = ctx.args.positionals;
  const dialect = ctx.args.string('dialect') as DialectName | undefined;
  if (dialect === undefined) throw new UsageError(`--dialect is required (one of ${DIALECT_NAMES.join(', ')})`, 'sql');
  ctx.progress.update(`loading ${modelPath}`);
  const model = await loadModel(modelPath);
  const table = ctx.args.string('table');
  const key = ctx.args.string('key');
  const sql = model.toSQL({ dialect, ...(table !== undefined ? { table } : {}), ...(key !== undefined ? { key } : {}) });
  ctx.progress.clear();
  if (ctx.json) {
    const summary: SqlSummary = { model: modelPath, dialect, table: table ?? DEFAULT_TABLE, key: key ?? null, columns: model.pipeline.columns, sql };
    ctx.io.out(JSON.stringify(summary, null, 2));
  } else {
    ctx.io.writeOut(sql);
  }
  return sql;
}
