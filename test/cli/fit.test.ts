// SPDX-License-Identifier: MIT
/**
 * `segments fit`, `predict` and `profile` end to end, in this process, on every shared data file
 * and on the generated sample: the files are written, model.json reloads, predict on the same
 * rows gives the segments fit wrote, and profiles.json matches a hand check on a small table.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as arrow from 'apache-arrow';
import { readTable } from '../../src/data/readTable.js';
import { writeTable } from '../../src/data/writers.js';
import { loadModel } from '../../src/model/file.js';
import { REPORT_CHARTS } from '../../src/report/renderReport.js';
import { run } from './run.js';
import { tempDir as newTempDir } from '../helpers/tempDir.js';

const DATA = join(__dirname, '..', 'fixtures', 'data');
const BASE = ['--backend', 'wasm', '--seed', '1'];
const FAST = [...BASE, '--n-init', '1'];

function tempDir(): string {
  return newTempDir('segments-fit-');
}

async function segmentColumn(path: string): Promise<number[]> {
  const { table } = await readTable(path);
  const v = table.getChild('segment');
  if (v === null) throw new Error(`${path} has no segment column`);
  return Array.from({ length: table.numRows }, (_, i) => Number(v.get(i)));
}

/** Fits `file` with `flags`, then checks the files, the model, and predict on the same rows. */
async function fitAndCheck(file: string, flags: string[], expected: { rows: number; charts?: readonly string[] }, base = FAST): Promise<{ dir: string; summary: Record<string, any> }> {
  const dir = tempDir();
  const r = await run(['fit', join(DATA, file), ...base, '--json', '--out', dir, ...flags]);
  expect(r.err.split('\n').filter((l) => l.startsWith('segments:'))).toEqual([]);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out);
  expect(summary.input.rows).toBe(expected.rows);
  for (const f of ['segments.csv', 'model.json', 'profiles.json', 'report.html']) expect(existsSync(join(dir, f))).toBe(true);
  const model = await loadModel(join(dir, 'model.json'));
  expect(model.training.rows).toBe(expected.rows);
  const written = await segmentColumn(join(dir, 'segments.csv'));
  expect(written).toHaveLength(expected.rows);
  const sizes = new Map<number, number>();
  for (const s of written) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  for (const s of summary.segments) expect(sizes.get(s.id)).toBe(s.size);
  const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8'));
  expect(profiles.rows).toBe(expected.rows);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  for (const chart of expected.charts ?? ['sizes', 'scatter', 'radar', 'distributions', 'correlation']) expect(html).toContain(`data-chart="${chart}"`);
  expect(html).toContain('<section id="profiles"');
  return { dir, summary };
}

/** predict on `file` with the model in `dir` gives, row by row, the segments fit wrote. */
async function predictAgrees(dir: string, file: string, extra: string[] = []): Promise<Record<string, any>> {
  const out = join(dir, 'predicted.csv');
  const r = await run(['predict', join(dir, 'model.json'), file, '--backend', 'wasm', '--out', out, '--json', ...extra]);
  expect(r.code).toBe(0);
  const fitted = await segmentColumn(join(dir, 'segments.csv'));
  const predicted = await segmentColumn(out);
  expect(predicted).toEqual(fitted);
  const { table } = await readTable(out);
  expect(table.getChild('segment_name')).not.toBeNull();
  expect(table.getChild('segment_distance')).not.toBeNull();
  return JSON.parse(r.out);
}

describe('segments fit, end to end on the shared data', () => {
  it('Mall_Customers.csv: k = 4; predict on the same rows agrees; profile gives the same sizes', async () => {
    const { dir, summary } = await fitAndCheck('Mall_Customers.csv', ['--k', '4'], { rows: 200 });
    expect(summary.columns.find((c: { name: string }) => c.name === 'CustomerID')).toMatchObject({ kind: 'id', use: false });
    expect(summary.segments).toHaveLength(4);
    expect(summary.predictDisagreements).toBe(0);
    await predictAgrees(dir, join(DATA, 'Mall_Customers.csv'));
    const p = await run(['profile', join(dir, 'model.json'), join(DATA, 'Mall_Customers.csv'), '--backend', 'wasm', '--json']);
    expect(p.code).toBe(0);
    const profiles = JSON.parse(p.out);
    expect(profiles.segments.map((s: { size: number }) => s.size)).toEqual(summary.segments.map((s: { size: number }) => s.size));
    expect(profiles.segments.map((s: { name: string }) => s.name)).toEqual(summary.segments.map((s: { name: string }) => s.name));
    const text = await run(['profile', join(dir, 'model.json'), join(DATA, 'Mall_Customers.csv'), '--backend', 'wasm']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/200 rows in 4 segment\(s\)/);
    expect(text.out).toMatch(/means by segment/);
  });

  it('Mall_Customers.csv: --k auto runs the k search and the report has the elbow', async () => {
    const { summary } = await fitAndCheck('Mall_Customers.csv', ['--k', 'auto', '--k-max', '5'], { rows: 200, charts: ['sizes', 'elbow', 'scatter', 'radar'] });
    expect(summary.kSearch.scores.map((s: { k: number }) => s.k)).toEqual([2, 3, 4, 5]);
    expect(summary.segments).toHaveLength(summary.kSearch.chosen);
  });

  it('social_media_wellbeing_test.csv with --bad-rows skip: the skipped row is listed (stderr and bad-rows.csv)', async () => {
    const dir = tempDir();
    const r = await run(['fit', join(DATA, 'social_media_wellbeing_test.csv'), ...FAST, '--k', '3', '--bad-rows', 'skip', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 row\(s\) did not parse and were left out \(first: line 95: column 'Age': 'Male' is not a number\)/);
    expect(r.err).toMatch(/listed in .*bad-rows\.csv/);
    const { table } = await readTable(join(dir, 'bad-rows.csv'));
    expect(table.numRows).toBe(1);
    expect(Number(table.getChild('line')?.get(0))).toBe(95);
    expect(table.getChild('action')?.get(0)).toBe('skipped');
    expect(await segmentColumn(join(dir, 'segments.csv'))).toHaveLength(102);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('line 95');
  });

  it('social_media_wellbeing_train.csv with --bad-rows null keeps the bad rows; with skip leaves the 77 out and lists them', async () => {
    const nulled = await fitAndCheck('social_media_wellbeing_train.csv', ['--k', '3', '--bad-rows', 'null'], { rows: 1000 });
    expect(nulled.summary.input).toMatchObject({ badRows: 77, skippedRows: 1 });
    expect(nulled.summary.input.nulledCells).toBeGreaterThan(0);
    const skipped = await fitAndCheck('social_media_wellbeing_train.csv', ['--k', '3', '--bad-rows', 'skip'], { rows: 924 });
    expect(skipped.summary.input).toMatchObject({ badRows: 77, skippedRows: 77 });
    const { table } = await readTable(join(skipped.dir, 'bad-rows.csv'));
    expect(table.numRows).toBe(77);
    expect(Number(table.getChild('line')?.get(0))).toBe(503);
  });

  it('tiktok_profilesData.csv: text, url and date columns are not used; the heavy-tailed counts get log1p', async () => {
    const { dir, summary } = await fitAndCheck('tiktok_profilesData.csv', ['--k', '3'], { rows: 1000 });
    const used = (name: string): boolean => summary.columns.find((c: { name: string }) => c.name === name).use;
    for (const c of ['biography', 'url', 'timestamp', 'create_time']) expect(used(c)).toBe(false);
    expect(used('followers')).toBe(true);
    await predictAgrees(dir, join(DATA, 'tiktok_profilesData.csv'));
  });

  it('user_profiles_for_ads.csv: every chart, interests from the list column; --exclude and --kind apply', async () => {
    const { dir, summary } = await fitAndCheck('user_profiles_for_ads.csv', ['--k', 'auto', '--k-max', '4', '--exclude', 'Language', '--kind', 'Ad Interaction Time (sec)=count'], {
      rows: 1000,
      charts: REPORT_CHARTS,
    });
    const col = (name: string): { kind: string; use: boolean; reason: string } => summary.columns.find((c: { name: string }) => c.name === name);
    expect(col('Language')).toMatchObject({ use: false });
    expect(col('Language').reason).toMatch(/^excluded by the user/);
    expect(col('Ad Interaction Time (sec)')).toMatchObject({ kind: 'count', use: true });
    const model = await loadModel(join(dir, 'model.json'));
    expect(model.pipeline.columns).not.toContain('Language');
    const predicted = await predictAgrees(dir, join(DATA, 'user_profiles_for_ads.csv'));
    expect(predicted.extraColumns).toEqual([]);
  });

  it('--exclude and --kind name the flag for an unknown column or kind (exit 2)', async () => {
    const a = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...FAST, '--exclude', 'Nope', '--out', tempDir()]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^segments: --exclude: no column 'Nope'/);
    const b = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...FAST, '--kind', 'Age=weird', '--out', tempDir()]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^segments: --kind: 'weird' \(column '[^']+'\) is not one of number, count/);
  });
});

describe('segments fit: the other algorithms', () => {
  it('meanshift, dbscan and agglomerative fit, save a model that reloads, and report', async () => {
    const ms = await fitAndCheck('Mall_Customers.csv', ['--algorithm', 'meanshift'], { rows: 200 }, BASE);
    expect((await loadModel(join(ms.dir, 'model.json'))).algorithm).toBe('meanShift');
    expect(ms.summary.predictDisagreements).toBe(0);
    const db = await fitAndCheck('Mall_Customers.csv', ['--algorithm', 'dbscan', '--eps', '0.9', '--min-samples', '4'], { rows: 200 }, BASE);
    expect((await loadModel(join(db.dir, 'model.json'))).algorithm).toBe('dbscan');
    expect(db.summary.algorithm.parameters).toMatchObject({ eps: 0.9, minSamples: 4 });
    const ag = await fitAndCheck('Mall_Customers.csv', ['--algorithm', 'agglomerative', '--k', '4', '--linkage', 'average'], { rows: 200 }, BASE);
    expect(ag.summary.segments).toHaveLength(4);
    expect(ag.summary.algorithm.parameters).toEqual({ k: 4, linkage: 'average' });
  });

  it('dbscan with a radius too small for any cluster is a data error (exit 1) that says what to do', async () => {
    const r = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...BASE, '--algorithm', 'dbscan', '--eps', '0.0001', '--out', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^segments: DBSCAN found no segment with eps=0.0001.*every row is noise; try a larger eps/);
  });
});

describe('segments fit --sample', () => {
  it('fits the generated users, writes Parquet rows, and predict on those rows agrees (segment columns reported as extra)', async () => {
    const dir = tempDir();
    const r = await run(['fit', '--sample', '--rows', '1500', '--k', '4', ...FAST, '--format', 'parquet', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.input).toMatchObject({ sample: true, rows: 1500 });
    for (const f of ['segments.parquet', 'model.json', 'profiles.json', 'report.html']) expect(existsSync(join(dir, f))).toBe(true);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const chart of REPORT_CHARTS.filter((c) => c !== 'elbow')) expect(html).toContain(`data-chart="${chart}"`);
    const out = join(dir, 'predicted.arrow');
    const p = await run(['predict', join(dir, 'model.json'), join(dir, 'segments.parquet'), '--backend', 'wasm', '--out', out, '--json']);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out).extraColumns).toEqual(['segment', 'segment_name']);
    expect(await segmentColumn(out)).toEqual(await segmentColumn(join(dir, 'segments.parquet')));
  });

  it('prints the inferred columns and the segments as text, progress lines only with --verbose', async () => {
    const dir = tempDir();
    const quiet = await run(['fit', '--sample', '--rows', '800', '--k', '3', ...FAST, '--out', dir]);
    expect(quiet.code).toBe(0);
    expect(quiet.out).toMatch(/User ID\s+id\s+no\s+the name says 'id'/);
    expect(quiet.out).toMatch(/Top Interests\s+list\s+yes/);
    expect(quiet.out).toMatch(/silhouette\s+0\.\d{4}/);
    expect(quiet.progress).toBe('');
    const verbose = await run(['fit', '--sample', '--rows', '800', '--k', '3', ...FAST, '--out', dir, '--verbose']);
    expect(verbose.progress).toMatch(/\] \[\d+ %[^\]]*\] reading generated sample \(800 users, seed 1\)\n/);
    expect(verbose.progress).toMatch(/\] \[\d+ %, (~\d+ s|<1 s) left\] k-means, k = 3: run 1 of 1 done/);
    expect(verbose.progress).toMatch(/\] building report.html\n/);
    const tty = await run(['fit', '--sample', '--rows', '800', '--k', '3', ...FAST, '--out', dir], { isTTY: true });
    expect(tty.progress).toContain('\r\x1b[2K');
    expect(tty.progress).not.toContain('\n');
  });
});

describe('profiles.json by hand', () => {
  it('matches sizes, means, medians and category shares computed by hand on a 10-row table', async () => {
    const dir = tempDir();
    const csv = join(dir, 'small.csv');
    // Rows 1-5: low spend, mostly basic; rows 6-10: high spend, all pro.
    writeFileSync(
      csv,
      'customer_id,spend,plan\n1,1.0,basic\n2,2.0,basic\n3,3.0,basic\n4,2.5,pro\n5,1.5,basic\n6,100.5,pro\n7,110.0,pro\n8,90.0,pro\n9,99.5,pro\n10,100.0,pro\n',
    );
    const r = await run(['fit', csv, '--k', '2', ...FAST, '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8'));
    const written = await segmentColumn(join(dir, 'segments.csv'));
    const low = written[0];
    const high = written[5];
    expect(new Set(written.slice(0, 5))).toEqual(new Set([low]));
    expect(new Set(written.slice(5))).toEqual(new Set([high]));
    expect(low).not.toBe(high);
    const seg = (id: number): any => p.segments.find((s: { id: number }) => s.id === id);
    const col = (s: any, name: string): any => s.columns[p.columns.findIndex((c: { name: string }) => c.name === name)];
    expect(seg(low)).toMatchObject({ size: 5, share: 0.5 });
    expect(seg(high)).toMatchObject({ size: 5, share: 0.5 });
    // spend: (1 + 2 + 3 + 2.5 + 1.5) / 5 = 2, median 2; (100.5 + 110 + 90 + 99.5 + 100) / 5 = 100, median 100.
    expect(col(seg(low), 'spend').mean).toBeCloseTo(2, 12);
    expect(col(seg(low), 'spend').median).toBeCloseTo(2, 12);
    expect(col(seg(high), 'spend').mean).toBeCloseTo(100, 12);
    expect(col(seg(high), 'spend').median).toBeCloseTo(100, 12);
    // Population mean 51, population sd sqrt(mean of squared deviations); standardised difference of the low segment.
    const spend = [1, 2, 3, 2.5, 1.5, 100.5, 110, 90, 99.5, 100];
    const sd = Math.sqrt(spend.reduce((a, v) => a + (v - 51) ** 2, 0) / 10);
    expect(col(seg(low), 'spend').stdDiff).toBeCloseTo((2 - 51) / sd, 10);
    // plan in the low segment: basic 4 of 5 (share 0.8), overall 4 of 10: lift 2.
    const basic = col(seg(low), 'plan').top.find((v: { value: string }) => v.value === 'basic');
    expect(basic).toMatchObject({ count: 4 });
    expect(basic.share).toBeCloseTo(0.8, 12);
    expect(basic.lift).toBeCloseTo(2, 12);
    // plan in the high segment: pro 5 of 5, overall 6 of 10: lift 5/3.
    const pro = col(seg(high), 'plan').top[0];
    expect(pro).toMatchObject({ value: 'pro', count: 5, share: 1 });
    expect(pro.lift).toBeCloseTo(5 / 3, 12);
    // customer_id is an id: not profiled.
    expect(p.columns.map((c: { name: string }) => c.name)).toEqual(['spend', 'plan']);
  });
});

describe('segments fit: the output folder', () => {
  it('an --out that is a file is a usage error before any work (exit 2, nothing written)', async () => {
    const dir = tempDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'not a folder');
    const r = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...FAST, '--k', '3', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^segments: --out .*taken: exists and is not a folder/);
    expect(r.progress).not.toMatch(/reading/);
  });

  it('a second fit into a used folder removes what the first left that it does not write, and says so', async () => {
    const dir = tempDir();
    const first = await run(['fit', join(DATA, 'social_media_wellbeing_test.csv'), ...FAST, '--k', '3', '--bad-rows', 'skip', '--out', dir]);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'bad-rows.csv'))).toBe(true);
    const second = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...FAST, '--k', '3', '--format', 'parquet', '--out', dir]);
    expect(second.code).toBe(0);
    expect(existsSync(join(dir, 'bad-rows.csv'))).toBe(false);
    expect(existsSync(join(dir, 'segments.csv'))).toBe(false);
    expect(existsSync(join(dir, 'segments.parquet'))).toBe(true);
    expect(second.err).toMatch(/removed (bad-rows\.csv, segments\.csv|segments\.csv, bad-rows\.csv) left in .* by an earlier run/);
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('interrupted (SIGINT) during the k search: exit 130, "nothing was written", and the folder is left empty', async () => {
    const dir = tempDir();
    const cli = join(tempDir(), 'cli.mts');
    writeFileSync(cli, `import { main } from ${JSON.stringify(join(__dirname, '..', '..', 'src', 'cli', 'main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'fit', '--sample', '--rows', '60000', '--backend', 'wasm', '--out', dir, '--verbose'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const searching = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('choosing k in 2..8: k = 3')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await searching;
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toMatch(/segments: cancelled; nothing was written\n$/);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('options that do not apply or are unknown to the algorithm name their flag (exit 2)', async () => {
    const dir = tempDir();
    const r = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...FAST, '--eps', '0.5', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^segments: --eps does not apply to k-means/);
    const s = await run(['fit', join(DATA, 'Mall_Customers.csv'), ...FAST, '--k', '4', '--k-max', '6', '--out', dir]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/^segments: --k-max apply only when k is 'auto'/);
  });

  it('says plainly that segments of uniform random data are weak: figures in --json, a warning and tentative names in the text', async () => {
    const dir = tempDir();
    const file = join(dir, 'uniform.csv');
    // 400 rows of 2 uniform columns (a fixed LCG, so the file is the same every run).
    let state = 12345;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const lines = ['a,b'];
    for (let i = 0; i < 400; i++) lines.push(`${next().toFixed(5)},${next().toFixed(5)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const json = await run(['fit', file, ...FAST, '--json', '--out', join(dir, 'out-json')]);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.out);
    const silhouette = summary.metrics.find((m: { name: string }) => m.name === 'silhouette').value;
    expect(summary.structure.separation.verdict).toBe('weak');
    expect(summary.structure.separation.silhouette).toBe(silhouette);
    expect(summary.structure.warnings.map((w: { code: string }) => w.code)).toContain('weak-separation');
    expect(summary.structure.tentative).toBe(true);
    expect(summary.structure.namesNote).toContain('these names are tentative');
    const text = await run(['fit', file, ...FAST, '--out', join(dir, 'out-text')]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`structure: weak separation (silhouette ${silhouette.toFixed(2)}`);
    expect(text.out).toContain('warning: the segments are weakly separated');
    expect(text.out).toContain('segment (tentative)');
  });

  it('warns on a 3-row file that there are too few rows per segment', async () => {
    const dir = tempDir();
    const file = join(dir, 'three.csv');
    writeFileSync(file, 'a,b\n1,2\n3,4\n5,7\n');
    const r = await run(['fit', file, ...FAST, '--json', '--out', join(dir, 'out')]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    const few = summary.structure.warnings.find((w: { code: string }) => w.code === 'few-rows');
    expect(few.figure).toBeCloseTo(3 / summary.segments.length, 12);
    expect(few.message).toContain('too few rows');
  });

  it('gives the planted segments of the generated users no structure warning', async () => {
    const dir = tempDir();
    const r = await run(['fit', '--sample', '--rows', '3000', ...FAST, '--json', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.structure.warnings).toEqual([]);
    expect(summary.structure.tentative).toBe(false);
    expect(['moderate', 'strong']).toContain(summary.structure.separation.verdict);
  });
});

describe('segments fit: values it cannot use are named by line and column; the facts it prints agree', () => {
  /** A CSV written in a new folder: `age,income,country,visits` rows by formula, with `edit` applied to the lines. */
  function csv(name: string, rows: number, edit: (lines: string[]) => void = () => {}): string {
    const lines = ['age,income,country,visits'];
    for (let i = 0; i < rows; i++) lines.push(`${18 + ((i * 7) % 50)},${10000 + ((i * 7919) % 80000)},FR,${(i * 13) % 50}`);
    edit(lines);
    const path = join(tempDir(), name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }
  const CPU = ['--backend', 'cpu', '--seed', '1', '--n-init', '1', '--k', '3'];

  it('inf and 1e999 fail the fit naming the file, the lines and the column (exit 1), or follow --bad-rows', async () => {
    const file = csv('inf.csv', 40, (l) => {
      l[5] = '30,inf,FR,4';
      l[9] = '31,1e999,FR,5';
    });
    const r = await run(['fit', file, ...CPU, '--out', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `segments: ${file}: 2 rows do not parse (line 6: column 'income': 'inf' is not a finite number; line 10: column 'income': '1e999' is not a finite number); use --bad-rows skip or --bad-rows null to go on`,
    );
    const dir = tempDir();
    const skip = await run(['fit', file, ...CPU, '--out', dir, '--bad-rows', 'skip', '--json']);
    expect(skip.code).toBe(0);
    expect(JSON.parse(skip.out).input).toMatchObject({ rows: 38, badRows: 2, skippedRows: 2 });
    const { table } = await readTable(join(dir, 'bad-rows.csv'));
    expect(Array.from(table.getChild('line') ?? [], Number)).toEqual([6, 10]);
    expect(Array.from(table.getChild('column') ?? [])).toEqual(['income', 'income']);
  });

  it('a value too large to scale fails naming the line and the column, no function name; --verbose adds the stack', async () => {
    const file = csv('huge.csv', 40, (l) => {
      l[8] = '30,1e300,FR,4';
    });
    const r = await run(['fit', file, ...CPU, '--out', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`segments: ${file}: line 9, column 'income': its values are too large to scale (the standard scaler's statistics overflow; its largest value is 1e+300)`);
    const v = await run(['fit', file, ...CPU, '--out', tempDir(), '--verbose']);
    expect(v.code).toBe(1);
    expect(v.err.split('\n')[0]).toBe(r.err);
    expect(v.err).toMatch(/\n\s+at fitColumn /);
  });

  it('a constant column is not used in the column table, --json, model.json and profiles.json alike', async () => {
    const file = csv('constant.csv', 40);
    const dir = tempDir();
    const r = await run(['fit', file, ...CPU, '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const country = JSON.parse(r.out).columns.find((c: { name: string }) => c.name === 'country');
    expect(country).toMatchObject({ use: false, reason: 'left out: it is constant (every value is "FR")' });
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(model.schema.columns.find((c: { name: string }) => c.name === 'country').use).toBe(false);
    const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8'));
    expect(profiles.columns.map((c: { name: string }) => c.name)).not.toContain('country');
    const text = await run(['fit', file, ...CPU, '--out', tempDir()]);
    expect(text.out).toMatch(/\n {2}country +category +no +left out: it is constant \(every value is "FR"\)\n/);
  });

  it("the reader's notes (separator, renamed columns) are on stderr, and not with --quiet", async () => {
    const lines = ['a;a;b'];
    for (let i = 0; i < 30; i++) lines.push(`${(i * 7) % 11};${(i * 5) % 13};${(i * 3) % 17}`);
    const file = join(tempDir(), 'semi.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await run(['fit', file, ...CPU, '--out', tempDir()]);
    expect(r.code).toBe(0);
    expect(r.err.split('\n')).toEqual(expect.arrayContaining([`${file}: delimiter sniffed: ;`, `${file}: repeated column names renamed: 'a' → 'a.1'`]));
    const quiet = await run(['fit', file, ...CPU, '--out', tempDir(), '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
  });

  it('--rows 20 reads 20 rows: a bad row further on is neither reported nor fatal', async () => {
    const file = csv('rows.csv', 40, (l) => {
      l[30] = 'thirty,oops,FR,1';
      l[35] = '1,2';
    });
    const r = await run(['fit', file, ...CPU, '--out', tempDir(), '--rows', '20', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).input).toMatchObject({ rows: 20, badRows: 0, skippedRows: 0, nulledCells: 0 });
    // The one note is the constant column, in a user's words (no function name).
    expect(r.err).toBe('warning: column "country" dropped: it is constant (every value is "FR")');
  });

  it('infinities in a Parquet file fail the fit naming the row and column, or follow --bad-rows', async () => {
    const n = 40;
    const income = Float64Array.from({ length: n }, (_, i) => (i === 6 ? Infinity : i === 11 ? -Infinity : 10000 + ((i * 7919) % 80000)));
    const table = arrow.tableFromArrays({ age: Float64Array.from({ length: n }, (_, i) => 18 + ((i * 7) % 50) + 0.5), income, visits: Int32Array.from({ length: n }, (_, i) => (i * 13) % 50) });
    const file = join(tempDir(), 'inf.parquet');
    await writeTable(table, file, { format: 'parquet' });
    const kinds = ['--kind', 'age=number,income=number'];
    const r = await run(['fit', file, ...CPU, ...kinds, '--out', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`segments: ${file}: row 7, column 'income': Infinity is not a finite number (2 row(s) hold such a value); use --bad-rows skip or --bad-rows null to go on`);
    const skip = await run(['fit', file, ...CPU, ...kinds, '--out', tempDir(), '--bad-rows', 'skip', '--json']);
    expect(skip.code).toBe(0);
    const summary = JSON.parse(skip.out);
    expect(summary.input.rows).toBe(38);
    expect(summary.notes).toContain("2 row(s) holding a value that is not a finite number were left out (first: row 7, column 'income': Infinity is not a finite number)");
    const nulled = await run(['fit', file, ...CPU, ...kinds, '--out', tempDir(), '--bad-rows', 'null', '--json']);
    expect(nulled.code).toBe(0);
    expect(JSON.parse(nulled.out).input.rows).toBe(40);
  });

  it('a folder given as the file is named (exit 1), not a bare EISDIR', async () => {
    const folder = tempDir();
    const r = await run(['fit', folder, ...CPU, '--out', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`segments: '${folder}' is a folder, not a table file: give a CSV, Arrow or Parquet file`);
  });
});
