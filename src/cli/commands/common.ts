// SPDX-License-Identifier: MIT
/** Steps several commands share: starting the backend, reading a table, overriding kinds, output formats. */
import * as arrow from 'apache-arrow';
import { initBackend, type BackendChoice, type BackendInfo } from '../../backend/backend.js';
import { CsvError } from '../../data/csv.js';
import { TEXT_ENCODINGS, type TextEncodingName } from '../../data/encoding.js';
import { formatFromName, readNotes, readTable, type ReadReport, type ReadTableOptions } from '../../data/readTable.js';
import type { Schema } from '../../data/schema.js';
import { writeTable, type WriteFormat } from '../../data/writers.js';
import { DataError, ParameterError, withDetail } from '../../errors.js';
import { userMessage, userWarning } from '../../workflow/userMessage.js';
import type { FlagSpec } from '../args.js';
import type { Context } from '../context.js';
import { WORKFLOW_DEFAULTS } from '../../workflow/defaults.js';

/** Default seed of every command, so that two runs give the same result: the workflow's. */
export const DEFAULT_SEED: number = WORKFLOW_DEFAULTS.seed.value;

/** The `--bad-rows` flag of commands that read a file. */
export const BAD_ROWS_FLAG: FlagSpec = {
  type: 'string',
  value: 'fail|skip|null',
  choices: ['fail', 'skip', 'null'],
  help: "rows that do not parse: stop (default), leave them out, or set their bad cells to null",
};

export { userMessage };

/** The `--decimal` flag of commands that read a file. */
export const DECIMAL_FLAG: FlagSpec = {
  type: 'string',
  value: '.|,',
  choices: ['.', ','],
  help: "decimal mark of the numbers (default '.', or ',' where a CSV whose delimiter is not ',' shows decimal commas)",
};

/** The `--encoding` flag of commands that read a file. */
export const ENCODING_FLAG: FlagSpec = {
  type: 'string',
  value: 'NAME',
  choices: TEXT_ENCODINGS,
  help: 'text encoding of a CSV (default: UTF-16 by its byte-order mark, else UTF-8)',
};

/** Seconds since `t0` (a performance.now() reading), for messages. */
export function seconds(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

/**
 * A library warning as a note (unless --quiet), in a user's words: a warning starts with the
 * function that raised it (`Pipeline.fit: `, `kmeans: `), which is left out.
 */
export function noteWarning(ctx: Context, message: string): void {
  ctx.note(`warning: ${userWarning(message)}`);
}

/** Starts the backend the `--backend` flag names (default auto); fallbacks are noted on stderr. */
export async function startBackend(ctx: Context): Promise<BackendInfo> {
  const choice = (ctx.args.string('backend') ?? 'auto') as BackendChoice;
  ctx.progress.update(`starting the ${choice} backend`);
  return initBackend(choice, { onWarning: (m) => noteWarning(ctx, m) });
}

/**
 * Reads a table file (CSV, Arrow or Parquet, by extension or first bytes) with the `--bad-rows`
 * policy, `--decimal` (else `modelDecimal`, the decimal mark a saved model read its numbers with)
 * and `--encoding`, showing progress, and notes on stderr how many rows were left out or nulled
 * (for predict, `forPredict`, every bad row is listed and predict tells them with its own).
 * @throws DataError from the reader; a CSV error with bad rows gains a hint at `--bad-rows`.
 */
export async function readInput(
  ctx: Context,
  path: string,
  options: { maxRows?: number; forPredict?: boolean; modelDecimal?: { columns: string[] } } = {},
): Promise<{ table: arrow.Table; report: ReadReport }> {
  const onBadRows = (ctx.args.string('bad-rows') ?? 'fail') as 'fail' | 'skip' | 'null';
  const t0 = performance.now();
  ctx.progress.update(`reading ${path}`);
  let result: { table: arrow.Table; report: ReadReport };
  const read: ReadTableOptions = { onBadRows };
  if (options.maxRows !== undefined) read.maxRows = options.maxRows;
  // predict refuses every row that did not parse, so it needs them all listed.
  if (options.forPredict === true) read.maxReportedRows = Infinity;
  const decimal = (ctx.args.string('decimal') as '.' | ',' | undefined) ?? (options.modelDecimal === undefined ? undefined : ',');
  if (decimal !== undefined) read.decimal = decimal;
  const encoding = ctx.args.string('encoding') as TextEncodingName | undefined;
  if (encoding !== undefined) read.encoding = encoding;
  try {
    try {
      result = await readTable(path, read);
    } catch (err) {
      // The model's decimal comma is a hint for a file whose delimiter is not ','. In a file whose
      // delimiter is ',', numbers with decimal commas can only be quoted text, which the model's
      // column formats read: the file is read without the hint. But where such a column now holds
      // plain numbers (written with decimal points), which the model would read otherwise than
      // the file means, the user says how: --decimal . reads them as they are.
      if (!(err instanceof ParameterError && err.argument === 'decimal' && ctx.args.string('decimal') === undefined && options.modelDecimal !== undefined)) throw err;
      delete read.decimal;
      result = await readTable(path, read);
      const plain = options.modelDecimal.columns.filter((c) => {
        const type = result.table.schema.fields.find((f) => f.name === c)?.type;
        return type !== undefined && (arrow.DataType.isFloat(type) || arrow.DataType.isInt(type));
      });
      if (plain.length > 0) {
        throw new DataError('readCsv', 'file', `${path}: the model reads numbers with decimal commas, but this file's delimiter is ',' and its column '${plain[0]}' holds numbers with decimal points; pass --decimal . to read its numbers with decimal points`);
      }
    }
  } catch (err) {
    throw readError(err, path, onBadRows);
  }
  const { report } = result;
  ctx.progress.update(`read ${report.rows} rows × ${report.columns} columns from ${path} in ${seconds(t0)}`);
  if (options.forPredict === true) for (const line of readNotes(report)) ctx.note(`${path}: ${line}`);
  else noteRead(ctx, path, report, onBadRows);
  return result;
}

const READERS = new Set(['readTable', 'readCsv', 'readArrow', 'readParquet']);

/**
 * A reader's error told with the file's name (its line and column are in the message), and, for
 * rows that do not parse, the flag that goes on past them. Other errors are returned as they are.
 */
export function readError(err: unknown, path: string, onBadRows: string): unknown {
  if (!(err instanceof DataError) || !READERS.has(err.fn)) return err;
  let detail = firstLine(userMessage(err));
  if (err instanceof CsvError && err.badRows.length > 0 && onBadRows === 'fail') {
    detail = `${detail.replace(/\. Pass onBadRows.*$/, '')}; use --bad-rows skip or --bad-rows null to go on`;
  }
  return withDetail(err, detail.includes(`'${path}'`) ? detail : `${path}: ${detail}`);
}

/**
 * Notes on stderr (unless --quiet) what reading `path` did that a user should know: rows that did
 * not parse and what became of them, and the reader's notes (the separator it found, repeated
 * column names renamed, columns widened).
 */
export function noteRead(ctx: Context, path: string, report: ReadReport, onBadRows: string): void {
  for (const line of readNotes(report)) ctx.note(`${path}: ${line}`);
  if (report.badRowCount > 0) {
    const what = onBadRows === 'skip' ? 'left out' : 'kept with their bad cells set to null';
    const first = report.badRows[0];
    ctx.note(`${path}: ${report.badRowCount} row(s) did not parse and were ${what}${first ? ` (first: line ${first.line}: ${first.reason})` : ''}`);
  }
}

/** The first line of a message. */
export function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}

/** The inferred columns as text lines: name, kind, used or not, and why. */
export function describeSchema(schema: Schema): string[] {
  return textTable(
    ['column', 'kind', 'used', 'why'],
    schema.columns.map((c) => [c.name, c.kind, c.use ? 'yes' : 'no', c.reason]),
  );
}

/** Rows of cells as aligned text: numbers (cells that look like numbers) right-aligned. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+ ?%?$/.test(r[j] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => (j === cells.length - 1 && !numeric[j] ? c : numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Output formats of the rows, and the file extension of each. */
export const OUTPUT_FORMATS = ['csv', 'arrow', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The format for an output path: `--format`, else the path's extension, else CSV. */
export function outputFormat(ctx: Context, path?: string): OutputFormat {
  const given = ctx.args.string('format') as OutputFormat | undefined;
  if (given !== undefined) return given;
  const byName = path === undefined ? undefined : formatFromName(path);
  return byName ?? 'csv';
}

/** Writes a table to a file in the given format. */
export async function writeRows(table: arrow.Table, path: string, format: OutputFormat): Promise<void> {
  const f: WriteFormat = format;
  await writeTable(table, path, { format: f, newline: '\n' });
}
