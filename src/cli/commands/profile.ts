// SPDX-License-Identifier: MIT
/**
 * `segments profile <model.json> <file>`: what each segment is on the rows of a file, the segments
 * being those the saved model assigns: sizes, the features that set each apart, and per-column
 * statistics. JSON (the profileSegments result, with the model's names) with --json, a readable
 * summary otherwise.
 */
import type { Schema } from '../../data/schema.js';
import { takeRows } from '../../data/takeRows.js';
import { profileSegments, type ProfileResult, type SegmentProfile } from '../../profile/profile.js';
import type { CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { BAD_ROWS_FLAG, DECIMAL_FLAG, ENCODING_FLAG, readInput, startBackend, textTable } from './common.js';
import { blanksFilled, loadModelFile, modelDecimal, predictFacts, predictRows, refusedRows } from './predict.js';

export const PROFILE_SPEC: CommandSpec = {
  name: 'profile',
  summary: 'Profiles the segments a saved model assigns to the rows of a file.',
  positionals: [
    { name: 'model.json', help: 'a model written by `segments fit`' },
    { name: 'file', help: 'the rows to profile (CSV, Arrow or Parquet)' },
  ],
  flags: {
    'bad-rows': { ...BAD_ROWS_FLAG, help: 'rows that do not parse, or hold a value that is not a finite number: stop (default), or leave them out of the profiles (skip or null)' },
    decimal: DECIMAL_FLAG,
    encoding: ENCODING_FLAG,
  },
};

/** Runs `segments profile`; returns the profiles with the model's segment names. */
export async function profileCommand(ctx: Context): Promise<ProfileResult> {
  const [modelPath, file] = ctx.args.positionals;
  await startBackend(ctx);
  const model = await loadModelFile(ctx, modelPath);
  const { table: read, report } = await readInput(ctx, file, { forPredict: true, modelDecimal: modelDecimal(model) });
  const prediction = await predictRows(ctx, model, read, file, report);
  // Rows that could not be read have no segment: they are not profiled (and said so).
  const refused = new Set(prediction.badRows.map((b) => b.row));
  const kept = refused.size === 0 ? null : Int32Array.from({ length: read.numRows }, (_, i) => i).filter((i) => !refused.has(i));
  const table = kept === null ? read : takeRows(read, kept);
  const labels = kept === null ? prediction.segments : Int32Array.from(kept, (i) => prediction.segments[i]);
  const facts = predictFacts({
    refused: refusedRows(prediction, report).map((r) => ({ ...r, action: 'skipped' as const })),
    imputed: blanksFilled(prediction.report),
    badRowsFile: null,
  });
  for (const line of facts) ctx.note(`${file}: ${line.replace('(left out of the output)', '(not profiled)')}`);
  ctx.progress.update('profiling the segments');
  // The model's schema may list columns this file lacks (unused ones): profile those it has.
  const present = new Set(table.schema.fields.map((f) => f.name));
  const schema: Schema = { ...model.schema, columns: model.schema.columns.filter((c) => present.has(c.name)) };
  const raw = profileSegments(table, schema, labels);
  const byId = new Map(model.segments.map((s) => [s.id, s]));
  const named = (s: SegmentProfile): SegmentProfile => {
    const m = byId.get(s.id);
    return m === undefined ? s : { ...s, name: m.name, nameSource: m.nameSource };
  };
  const profiles: ProfileResult = { ...raw, segments: raw.segments.map(named), noise: raw.noise === null ? null : named(raw.noise) };
  ctx.progress.clear();
  if (ctx.json) {
    ctx.io.out(JSON.stringify(profiles, null, 2));
    return profiles;
  }
  printProfiles(ctx, profiles, file);
  return profiles;
}

function fmt(v: number | null): string {
  if (v === null) return '-';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

function printProfiles(ctx: Context, p: ProfileResult, file: string): void {
  const out = ctx.io.out;
  const all = p.noise === null ? p.segments : [...p.segments, p.noise];
  out(`${file}: ${p.rows} rows in ${p.segments.length} segment(s)${p.noise === null ? '' : ` and ${p.noise.size} noise rows`}`);
  for (const line of textTable(
    ['id', 'segment', 'rows', 'share', 'what sets it apart'],
    all.map((s) => [String(s.id), s.name, String(s.size), `${(100 * s.share).toFixed(1)} %`, s.distinctive.slice(0, 3).map((f) => f.phrase).join('; ')]),
  )) out(`  ${line}`);
  const numeric = p.columns.map((c, j) => ({ c, j })).filter(({ c }) => c.kind === 'number' || c.kind === 'count');
  if (numeric.length > 0) {
    out('');
    out('means by segment (population last):');
    const header = ['column', ...all.map((s) => String(s.id)), 'all'];
    const rows = numeric.map(({ c, j }) => [
      c.name,
      ...all.map((s) => fmt(s.columns[j].type === 'numeric' ? (s.columns[j] as { mean: number | null }).mean : null)),
      fmt((p.population.columns[j] as { mean: number | null }).mean),
    ]);
    for (const line of textTable(header, rows)) out(`  ${line}`);
  }
  const labelled = p.columns.map((c, j) => ({ c, j })).filter(({ c }) => c.kind !== 'number' && c.kind !== 'count');
  for (const { c, j } of labelled) {
    out('');
    out(`${c.name} (${c.kind}): most frequent per segment, share (lift)`);
    for (const s of all) {
      const st = s.columns[j];
      const values = st.type === 'range' ? [...st.levels].sort((a, b) => b.count - a.count) : st.type === 'numeric' ? [] : st.top;
      const text = values
        .filter((v) => v.count > 0)
        .slice(0, 3)
        .map((v) => `${v.value} ${(100 * v.share).toFixed(0)} %${v.lift === null ? '' : ` (${v.lift.toFixed(2)})`}`)
        .join(', ');
      out(`  ${String(s.id).padStart(3)} ${s.name}: ${text || '-'}`);
    }
  }
}
