// SPDX-License-Identifier: MIT
/**
 * segment(): the whole job equals the library's steps called one by one (read, kinds, pipeline,
 * KMeans, metrics, profiles), for a file path and a table; the model it returns segments the
 * rows as the fit did; progress is monotone and reaches 1; each step is timed; a cancelled run
 * throws a CancelledError and leaks no tensor; bad options are refused before any work.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as arrow from 'apache-arrow';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { readTable } from '../../src/data/readTable.js';
import { CancelledError, DataError, ParameterError } from '../../src/errors.js';
import { silhouette } from '../../src/metrics/silhouette.js';
import { profileSegments } from '../../src/profile/profile.js';
import { segmentationReport } from '../../src/workflow/report.js';
import { segment, type SegmentsFound, type SegmentsProfiled } from '../../src/workflow/segment.js';
import type { SegmentProgress } from '../../src/workflow/progress.js';
import { tempDir } from '../helpers/tempDir.js';

const data = (name: string): string => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));
const MALL = data('Mall_Customers.csv');
const ADS = data('user_profiles_for_ads.csv');
const quiet = { onWarning: (): void => undefined };

describe('segment', () => {
  it('with a given k equals read → inferKinds → Pipeline → KMeans → silhouette → profiles called by hand', async () => {
    const progress: SegmentProgress[] = [];
    const r = await segment(MALL, { k: 4, nInit: 3, seed: 5, backend: 'wasm', onProgress: (p) => progress.push(p), ...quiet });

    await initBackend('wasm', quiet);
    const { table } = await readTable(MALL);
    const schema = inferKinds(table);
    const { output } = Pipeline.fitTransform(table, schema, quiet);
    const km = await new KMeans({ k: 4, nInit: 3, seed: 5, ...quiet }).fit(output.matrix);
    expect(Array.from(r.labels)).toEqual(Array.from(km.labels));
    expect(r.output.featureNames).toEqual(output.featureNames);
    expect(r.schema.columns.map((c) => [c.name, c.kind, c.use])).toEqual(schema.columns.map((c) => [c.name, c.kind, c.use]));
    // 200 rows: the silhouette is exact, and equal to the metric's own.
    expect(r.metrics.silhouette?.sampledRows).toBeNull();
    expect(r.metrics.silhouette?.score).toBeCloseTo((await silhouette(output.matrix, km.labels)).score, 10);
    expect(r.profiles.segments.map((s) => [s.id, s.size, s.name])).toEqual(profileSegments(table, schema, km.labels).segments.map((s) => [s.id, s.size, s.name]));
    expect(r.algorithm).toMatchObject({ id: 'kmeans', label: 'k-means', parameters: { k: 4, nInit: 3, seed: 5 } });
    expect(r.search).toBeNull();

    // The model: its rule on the features and, read back from JSON, on sampled rows of the table.
    expect(r.modelCheck).toEqual({ rows: 200, disagreements: 0, sampledRows: 200, sampledDisagreements: 0 });
    const predicted = await r.model.predict(table);
    expect(Array.from(predicted.segments)).toEqual(Array.from(r.labels));
    for (let i = 0; i < 200; i++) expect(r.distances[i]).toBeCloseTo(predicted.distances[i], 5);

    // Every step timed, in order; progress monotone, ending at 1.
    expect(r.timings.map((t) => t.step)).toEqual(['read', 'kinds', 'features', 'backend', 'fit', 'profiles', 'metrics', 'model']);
    for (const t of r.timings) expect(t.seconds).toBeGreaterThanOrEqual(0);
    const fractions = progress.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.at(-1)).toBe(1);
    expect(progress.filter((p) => p.step === 'fit' && /run \d+ of 3/.test(p.message)).length).toBe(3);
  }, 60_000);

  it('a table given, with kinds and exclusions, gives what the same file read gives', async () => {
    const { table } = await readTable(ADS);
    const options = { k: 3, nInit: 2, seed: 1, backend: 'wasm' as const, exclude: ['Location'], kinds: { Age: 'range' as const }, ...quiet };
    const fromTable = await segment(table, options);
    const fromFile = await segment(ADS, options);
    expect(Array.from(fromTable.labels)).toEqual(Array.from(fromFile.labels));
    expect(fromTable.input).toEqual({ name: 'table', rows: 1000, columns: 16, sample: false });
    expect(fromFile.input.name).toBe(ADS);
    expect(fromFile.readReport?.rows).toBe(1000);
    const location = fromFile.schema.columns.find((c) => c.name === 'Location');
    expect(location).toMatchObject({ use: false });
    expect(location?.reason).toMatch(/^excluded by the user/);
    expect(fromFile.schema.columns.find((c) => c.name === 'Age')).toMatchObject({ kind: 'range', use: true });
  }, 60_000);

  it('chooses k when k is auto: the search, its rows and the chosen k on all rows', async () => {
    const r = await segment(MALL, { kMin: 2, kMax: 5, nInit: 2, seed: 3, backend: 'wasm', ...quiet });
    expect(r.search).not.toBeNull();
    const search = r.search!;
    expect(search.scores.map((s) => s.k)).toEqual([2, 3, 4, 5]);
    expect(r.algorithm.parameters.k).toBe(search.recommended.k);
    expect(new Set(r.labels).size).toBe(search.recommended.k);
    expect(r.timings.map((t) => t.step)).toEqual(['read', 'kinds', 'features', 'backend', 'search', 'fit', 'profiles', 'metrics', 'model']);
    // 200 rows are fewer than searchRows: the search ran on all of them.
    expect(search.search).toMatchObject({ rows: 200, sampled: false });
  }, 60_000);

  it('one account of the columns used: a column the pipeline drops is not used in the schema, the model or the profiles; reader notes are in the result', async () => {
    // 40 rows, ';'-separated, 'age' twice, 'country' constant; line 45 (the 44th row) is bad but past maxRows 40.
    const lines = ['age;income;country;age;visits'];
    for (let i = 0; i < 40; i++) lines.push(`${20 + (i % 37)};${1000 + 37 * ((i * 7) % 40)};FR;${1 + (i % 9)};${(i * 13) % 50}`);
    lines.push('30;2000;FR;3;4', '31;2100;FR;4;5', '32;2200;FR;5;6', 'x;oops;FR;6');
    const file = join(tempDir('segments-workflow-'), 'semi.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const warnings: string[] = [];
    const r = await segment(file, { k: 3, nInit: 1, seed: 1, backend: 'wasm', maxRows: 40, onWarning: (m) => warnings.push(m) });
    expect(r.input.rows).toBe(40);
    expect(r.readReport?.badRowCount).toBe(0);
    expect(r.readNotes).toEqual(['delimiter sniffed: ;', "repeated column names renamed: 'age' → 'age.1'"]);
    const country = r.schema.columns.find((c) => c.name === 'country');
    expect(country).toMatchObject({ use: false, reason: 'left out: it is constant (every value is "FR")' });
    expect(r.model.schema.columns.find((c) => c.name === 'country')?.use).toBe(false);
    expect(r.schema.columns.filter((c) => c.use).map((c) => c.name)).toEqual(r.output.columns);
    expect(r.profiles.columns.map((c) => c.name)).not.toContain('country');
    expect(warnings.some((w) => w.includes('"country" dropped'))).toBe(true);
  }, 60_000);

  it('says how many numeric cells it could not read and filled, with the first by row', async () => {
    const income = Array.from({ length: 30 }, (_, i) => (i === 4 ? 'lots' : i === 9 ? '19500 USD' : String(1000 + 50 * i)));
    const table = arrow.tableFromArrays({ income, visits: Int32Array.from({ length: 30 }, (_, i) => (i * 7) % 11) });
    const warnings: string[] = [];
    const r = await segment(table, { k: 2, nInit: 1, seed: 1, backend: 'wasm', kinds: { income: 'number' }, onWarning: (m) => warnings.push(m) });
    expect(warnings).toContain("2 cell(s) of 'income' could not be read as numbers and were filled with the column's median (first: row 5, 'lots' is not a number)");
    // The saved model refuses those rows, so the check compares the other 28 and agrees.
    expect(r.modelCheck).toMatchObject({ sampledRows: 30, sampledDisagreements: 0 });
  }, 60_000);

  it("names the file's line and the column of a value too large to scale", async () => {
    const lines = ['age,income'];
    for (let i = 0; i < 30; i++) lines.push(`${20 + i},${i === 6 ? '1e300' : 1000 + i}`);
    // A blank line before the bad row: its line is 9, not the 7th row + 1.
    lines.splice(3, 0, '');
    const file = join(tempDir('segments-workflow-'), 'big.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const err = await segment(file, { k: 2, nInit: 1, backend: 'wasm', kinds: { age: 'number', income: 'number' }, ...quiet }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe("Pipeline.fit: line 9, column 'income': its values are too large to scale (the standard scaler's statistics overflow; its largest value is 1e+300)");
    expect([err.row, err.column]).toEqual([6, 'income']);
  }, 60_000);

  it('the generated sample: rows and seed as given', async () => {
    const r = await segment({ sample: { rows: 600 } }, { k: 5, nInit: 1, seed: 9, backend: 'wasm', ...quiet });
    expect(r.input).toEqual({ name: 'generated sample (600 users, seed 9)', rows: 600, columns: r.table.numCols, sample: true });
    expect(r.readReport).toBeNull();
  }, 60_000);

  it('is cancelled by its AbortSignal: a CancelledError, no result, no tensor left', async () => {
    await initBackend('wasm', quiet);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = segment(ADS, {
      kMin: 2,
      kMax: 8,
      seed: 1,
      backend: 'wasm',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step === 'search' && p.stepFraction > 0) controller.abort();
      },
      ...quiet,
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
    // Aborted before it starts: nothing runs.
    await expect(segment(ADS, { signal: AbortSignal.abort() })).rejects.toThrow(/segment: cancelled/);
  }, 60_000);

  it('refuses unknown options and options that do not apply, naming them, before any work', async () => {
    await expect(segment(MALL, { nInt: 3 } as never)).rejects.toThrow(/unknown option 'nInt'/);
    await expect(segment(MALL, { eps: 0.5 })).rejects.toThrow(/'eps' does not apply to k-means/);
    await expect(segment(MALL, { algorithm: 'dbscan', k: 'auto' })).rejects.toThrow(/k='auto' chooses k with k-means only/);
    await expect(segment(MALL, { k: 4, kMax: 6 })).rejects.toThrow(/'kMax' apply only when k is 'auto'/);
    await expect(segment(MALL, { kMin: 6, kMax: 3 })).rejects.toThrow(/kMin=6 is more than kMax=3/);
    await expect(segment(MALL, { nInit: 0 })).rejects.toBeInstanceOf(ParameterError);
    await expect(segment(MALL, { kinds: { Nope: 'number' } })).rejects.toThrow(/kinds: no column 'Nope'/);
    await expect(segment(MALL, { k: 500, backend: 'wasm', ...quiet })).rejects.toThrow(/k=500 is more than the 200 rows/);
    await expect(segment(MALL, { algorithm: 'dbscan', eps: 1e-4, backend: 'wasm', ...quiet })).rejects.toBeInstanceOf(DataError);
  }, 60_000);
});

describe('segment: onProfiles and onSegments', () => {
  it('are told once each, in order: the profiles before the metrics, the segments before the model step; what they hold is the result\'s, and the report drawn from them is too', async () => {
    const steps: string[] = [];
    const told: string[] = [];
    let profiled: SegmentsProfiled | null = null;
    let found: SegmentsFound | null = null;
    let stepWhenProfiled = '';
    let stepWhenFound = '';
    let reportFromFound = '';
    const r = await segment(MALL, {
      k: 3,
      nInit: 1,
      seed: 2,
      backend: 'wasm',
      onProgress: (p) => {
        if (steps.at(-1) !== p.step) steps.push(p.step);
      },
      onProfiles: (p) => {
        told.push('profiles');
        profiled = p;
        stepWhenProfiled = steps.at(-1) ?? '';
      },
      onSegments: async (f) => {
        told.push('segments');
        found = f;
        stepWhenFound = steps.at(-1) ?? '';
        reportFromFound = await segmentationReport(f);
      },
      ...quiet,
    });
    expect(told).toEqual(['profiles', 'segments']);
    expect(stepWhenProfiled).toBe('profiles');
    expect(stepWhenFound).toBe('metrics');
    expect(steps.indexOf('metrics')).toBeGreaterThan(steps.indexOf('profiles'));
    expect(steps.indexOf('model')).toBeGreaterThan(steps.indexOf('metrics'));
    const p = profiled as unknown as SegmentsProfiled;
    const f = found as unknown as SegmentsFound;
    expect('metrics' in p).toBe(false);
    expect('model' in f).toBe(false);
    expect(p.labels).toBe(r.labels);
    expect(p.profiles).toBe(r.profiles);
    expect(f.profiles).toBe(r.profiles);
    expect(f.metrics).toBe(r.metrics);
    expect(f.structure).toBe(r.structure);
    expect(Object.keys(r.options)).not.toContain('onSegments');
    expect(Object.keys(r.options)).not.toContain('onProfiles');
    expect(reportFromFound).toBe(await segmentationReport(r));
  }, 60_000);

  it('a throw in either fails the run with that error, after which no model is built (nor, from onProfiles, any metric)', async () => {
    const early: string[] = [];
    const first = segment(MALL, {
      k: 3,
      nInit: 1,
      backend: 'wasm',
      onProgress: (p) => early.push(p.step),
      onProfiles: () => {
        throw new Error('the caller could not draw');
      },
      ...quiet,
    });
    await expect(first).rejects.toThrow(/the caller could not draw/);
    expect(early).not.toContain('metrics');
    expect(early).not.toContain('model');
    const steps: string[] = [];
    const run = segment(MALL, {
      k: 3,
      nInit: 1,
      backend: 'wasm',
      onProgress: (p) => steps.push(p.step),
      onSegments: () => {
        throw new Error('the caller could not start');
      },
      ...quiet,
    });
    await expect(run).rejects.toThrow(/the caller could not start/);
    expect(steps).not.toContain('model');
  }, 60_000);
});

describe('segment: a failed run', () => {
  it('leaves no backend start-up running behind it: the backend it started is in place when it throws, not later under the next run', async () => {
    await initBackend('cpu');
    // Fails at the kinds step, while the wasm backend it started may still be starting.
    await expect(segment(MALL, { backend: 'wasm', kinds: { Nope: 'number' } })).rejects.toThrow(/kinds: no column 'Nope'/);
    expect(tf.getBackend()).toBe('wasm');
    const r = await segment(MALL, { k: 3, nInit: 1, backend: 'cpu', ...quiet });
    expect(r.backend.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  }, 60_000);
});

describe('segment: categories with too many labels', () => {
  it('leaves out a category with more labels than maxCategories, saying why, unless its kind is given', async () => {
    const rows = 60;
    const table = arrow.tableFromArrays({
      city: Array.from({ length: rows }, (_, i) => `town ${i % 12}`),
      spend: Float64Array.from({ length: rows }, (_, i) => (i % 2) * 10 + (i % 5)),
    });
    const r = await segment(table, { k: 2, nInit: 1, backend: 'wasm', maxCategories: 10, ...quiet });
    const city = r.schema.columns.find((c) => c.name === 'city');
    expect(city).toMatchObject({ kind: 'id', use: false });
    expect(city?.reason).toContain('12 distinct labels, more than the 10 a category may have');
    expect(r.output.columns).toEqual(['spend']);
    const forced = await segment(table, { k: 2, nInit: 1, backend: 'wasm', maxCategories: 10, kinds: { city: 'category' }, ...quiet });
    expect(forced.output.columns).toContain('city');
    expect(forced.output.featureNames.filter((f) => /^city=town \d+$/.test(f))).toHaveLength(12);
  });
});
