// SPDX-License-Identifier: MIT
/**
 * `segments sample --rows N --out users.csv`: writes the generated users with planted segments
 * (src/data/sampleGenerator.ts, the same table `segments fit --sample` segments) as CSV, Arrow or
 * Parquet, so that a newcomer can try the engine on data of any size. Rows stream from the
 * generator to the writer a batch at a time, into a temporary file in the output's folder that is
 * renamed at the end: a failed or cancelled run leaves no partial file under the name asked for.
 * The planted segment of each row is left out unless `--truth` asks for it, so that a fit of the
 * file does not take the answer for a feature.
 */
import { renameSync, unlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as arrow from 'apache-arrow';
import { formatFromName } from '../../data/readTable.js';
import { generateSample, SAMPLE_SEGMENT_NAMES } from '../../data/sampleGenerator.js';
import { writeTable } from '../../data/writers.js';
import { DataError } from '../../errors.js';
import { UsageError, type CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { DEFAULT_SEED, OUTPUT_FORMATS, seconds, type OutputFormat } from './common.js';

/** Rows generated when `--rows` is not given (as `fit --sample`). */
const DEFAULT_ROWS = 20_000;
/** Name of the column `--truth` adds: the planted segment of each row, by name. */
export const TRUTH_COLUMN = 'planted_segment';

export const SAMPLE_SPEC: CommandSpec = {
  name: 'sample',
  summary: 'Writes generated users with planted segments (the table fit --sample uses) to a CSV, Arrow or Parquet file.',
  positionals: [],
  flags: {
    rows: { type: 'integer', value: 'N', min: 1, help: `users to generate (default ${DEFAULT_ROWS.toLocaleString('en-US')})` },
    out: { type: 'string', value: 'FILE', help: 'where to write them: .csv, .arrow or .parquet (required)' },
    format: { type: 'string', value: OUTPUT_FORMATS.join('|'), choices: OUTPUT_FORMATS, help: 'file format (default: from the extension of --out)' },
    truth: { type: 'boolean', help: `add the planted segment of each user as a last column '${TRUTH_COLUMN}'` },
  },
  notes: [
    'The same --seed and --rows give the same users as `segments fit --sample`.',
    `Leave out --truth for a file to segment: fit would otherwise use '${TRUTH_COLUMN}' as a feature`,
    '(or pass --exclude planted_segment to fit).',
    '',
    'example: segments sample --rows 1000000 --out users.parquet && segments fit users.parquet --out out/',
  ],
};

/** What `segments sample --json` prints. */
export interface SampleSummary {
  file: string;
  format: OutputFormat;
  rows: number;
  seed: number;
  columns: string[];
  truthColumn: string | null;
  bytes: number;
  seconds: number;
}

/** Runs `segments sample`. */
export async function sampleCommand(ctx: Context): Promise<SampleSummary> {
  const t0 = performance.now();
  const rows = ctx.args.number('rows') ?? DEFAULT_ROWS;
  const seed = ctx.args.number('seed') ?? DEFAULT_SEED;
  const truth = ctx.args.bool('truth');
  const out = ctx.args.string('out');
  if (out === undefined || out === '') throw new UsageError('--out FILE is required: where to write the users (.csv, .arrow or .parquet)', 'sample');
  const format = (ctx.args.string('format') as OutputFormat | undefined) ?? formatOfName(out);
  if (format === undefined) {
    throw new UsageError(`--out: cannot tell the format of '${out}' from its extension; name it .csv, .arrow or .parquet, or pass --format`, 'sample');
  }
  const folder = dirname(out);
  const folderStat = await stat(folder).catch(() => null);
  if (folderStat === null || !folderStat.isDirectory()) throw new DataError('sample', 'out', `cannot write '${out}': the folder '${folder}' does not exist`);

  // A hidden temporary name in the same folder, so that the rename is atomic (same file system).
  const temp = join(folder, `.${basename(out)}.${process.pid}.tmp`);
  const removeTemp = (): void => {
    try {
      unlinkSync(temp);
    } catch {
      // already gone, or never created
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    removeTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let written: { bytes: number; rows: number };
  let columns: string[] = [];
  try {
    const batches = withProgress(ctx, rows, truth ? withTruth(generateSample({ rows, seed })) : plain(generateSample({ rows, seed })), (names) => (columns = names));
    written = await writeTable(batches, temp, { format, newline: '\n' });
    renameSync(temp, out);
  } catch (err) {
    removeTemp();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    ctx.progress.clear();
  }

  const summary: SampleSummary = {
    file: out,
    format,
    rows: written.rows,
    seed,
    columns,
    truthColumn: truth ? TRUTH_COLUMN : null,
    bytes: written.bytes,
    seconds: (performance.now() - t0) / 1000,
  };
  if (ctx.json) {
    ctx.io.out(JSON.stringify(summary, null, 2));
    return summary;
  }
  const size = written.bytes < 2 ** 20 ? `${(written.bytes / 1024).toFixed(1)} kB` : `${(written.bytes / 2 ** 20).toFixed(1)} MB`;
  ctx.io.out(`wrote ${written.rows} users × ${columns.length} columns (seed ${seed}${truth ? `, planted segment in '${TRUTH_COLUMN}'` : ''}) to ${out} (${format}, ${size}) in ${seconds(t0)}`);
  ctx.io.out(`segment them: segments fit ${out} --out segments-out/${truth ? ` --exclude ${TRUTH_COLUMN}` : ''}`);
  return summary;
}

/**
 * The format the output's extension names, as the readers take it (data/readTable.ts), except the
 * delimited-text ones other than .csv (.tsv, .txt, ...): the writer writes commas.
 */
function formatOfName(path: string): OutputFormat | undefined {
  const format = formatFromName(path);
  return format === 'csv' && !/\.csv$/i.test(path) ? undefined : format;
}

function* plain(chunks: Iterable<{ batch: arrow.RecordBatch }>): Generator<arrow.RecordBatch> {
  for (const chunk of chunks) yield chunk.batch;
}

/** The generator's batches with the planted segment (by name) appended as a dictionary column. */
function* withTruth(chunks: Iterable<{ batch: arrow.RecordBatch; segment: Int32Array }>): Generator<arrow.RecordBatch> {
  // One dictionary for every batch (Arrow IPC writes it once), with an id no other column uses.
  const dictionary = arrow.vectorFromArray([...SAMPLE_SEGMENT_NAMES], new arrow.Utf8());
  let schema: arrow.Schema | null = null;
  let type: arrow.Dictionary<arrow.Utf8, arrow.Int8> | null = null;
  for (const { batch, segment } of chunks) {
    if (schema === null || type === null) {
      const ids = batch.schema.fields.map((f) => (arrow.DataType.isDictionary(f.type) ? f.type.id : -1));
      type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8(), Math.max(-1, ...ids) + 1, false);
      schema = new arrow.Schema([...batch.schema.fields, new arrow.Field(TRUTH_COLUMN, type, false)]);
    }
    const n = batch.numRows;
    const truth = arrow.makeData({ type, length: n, nullCount: 0, data: Int8Array.from(segment), dictionary });
    const children = [...batch.data.children, truth];
    yield new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children }));
  }
}

/** Passes batches through, showing how many rows are written and reporting the column names. */
function* withProgress(ctx: Context, rows: number, batches: Iterable<arrow.RecordBatch>, onSchema: (names: string[]) => void): Generator<arrow.RecordBatch> {
  let done = 0;
  ctx.progress.update(`generating ${rows} users`);
  for (const batch of batches) {
    if (done === 0) onSchema(batch.schema.fields.map((f) => f.name));
    yield batch;
    done += batch.numRows;
    ctx.progress.update(`wrote ${done} of ${rows} users`);
  }
}
