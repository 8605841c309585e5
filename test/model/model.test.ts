// SPDX-License-Identifier: MIT
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMeans, type KMeansResult } from '../../src/algorithms/kmeans.js';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { readTable } from '../../src/data/readTable.js';
import type { Schema } from '../../src/data/schema.js';
import { ParameterError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { loadModel, parseModel, saveModel, stringifyModel } from '../../src/model/file.js';
import { SegmentationModel } from '../../src/model/model.js';
import { ModelError } from '../../src/model/modelError.js';
import { LIBRARY_VERSION, MODEL_FORMAT_VERSION } from '../../src/model/version.js';
import { describeEachBackend } from '../helpers/backends.js';
import { dataPath } from '../helpers/data.js';
import { distRef, nearestRef, sampleFit } from './support.js';

/** A real file, its inferred schema and pipeline, and a seeded k-means fit (on cpu, once). */
let table: arrow.Table;
let schema: Schema;
let pipeline: Pipeline;
let features: MatrixF32;
let result: KMeansResult;
let model: SegmentationModel;
let dir: string;
const CREATED = new Date('2024-06-01T08:30:00.000Z');

beforeAll(async () => {
  await initBackend('cpu', { strict: true, onWarning: () => {} });
  ({ table } = await readTable(dataPath('user_profiles_for_ads.csv')));
  schema = inferKinds(table);
  pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
  features = pipeline.transform(table).matrix;
  result = await new KMeans({ k: 4, seed: 3, nInit: 2 }).fit(features);
  model = SegmentationModel.fromFit({ pipeline, schema, result, createdAt: CREATED });
  dir = mkdtempSync(join(tmpdir(), 'segments-model-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEachBackend('SegmentationModel round trip', () => {
  it('save → load → predict on the training rows gives the fit labels and float64 distances to the centroids', async () => {
    const path = join(dir, 'model.json');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    const p = await loaded.predict(table, { batchRows: 300 });
    expect(Array.from(p.segments)).toEqual(Array.from(result.labels));
    // Independent reference: the original pipeline's features against the fit's centroids, in float64.
    const ref = nearestRef(features, result.centroids);
    expect(Array.from(p.segments)).toEqual(Array.from(ref.index));
    let inertia = 0;
    for (let i = 0; i < table.numRows; i++) {
      const d = distRef(features, i, result.centroids, result.labels[i]);
      expect(Math.abs(p.distances[i] - d)).toBeLessThanOrEqual(1e-12 * Math.max(1, d));
      inertia += d * d;
    }
    // The fit computed its inertia in float32 on the device: agreement to float32 digits.
    expect(Math.abs(inertia - result.inertia) / result.inertia).toBeLessThan(1e-4);
    expect(p.names.slice(0, 20)).toEqual(Array.from(result.labels.subarray(0, 20), (l) => `Segment ${l}`));
    expect(p.report.rows).toBe(1000);
    expect(p.report.ignored).toEqual(['User ID']);
    expect(p.extraColumns).toEqual([]);
  });
});

describe('SegmentationModel.fromFit', () => {
  it('keeps the float32 centroids bit for bit through JSON text', () => {
    const again = parseModel(stringifyModel(model));
    const state = again.state;
    expect(state.type).toBe('kmeans');
    if (state.type !== 'kmeans') return;
    const before = model.state.type === 'kmeans' ? model.state.centroids : null;
    expect(state.centroids.data).toBeInstanceOf(Float32Array);
    expect(Array.from(new Uint32Array(state.centroids.data.buffer))).toEqual(Array.from(new Uint32Array((before as MatrixF32).data.buffer)));
    // And they are the fit's centroids.
    for (let i = 0; i < result.centroids.data.length; i++) expect(state.centroids.data[i] === result.centroids.data[i]).toBe(true);
    expect([state.centroids.rows, state.centroids.cols]).toEqual([4, features.cols]);
  });

  it('records the schema, feature names, segment sizes and training metadata', () => {
    const json = model.toJSON();
    expect(json.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(json.featureNames).toEqual(pipeline.featureNames);
    expect(json.featureNames).toHaveLength(features.cols);
    expect(json.schema.columns.map((c) => [c.name, c.kind, c.use])).toEqual(schema.columns.map((c) => [c.name, c.kind, c.use]));
    const counts = [0, 0, 0, 0];
    for (const l of result.labels) counts[l]++;
    expect(json.segments).toEqual(counts.map((size, id) => ({ id, name: `Segment ${id}`, nameSource: 'generated', size })));
    expect(json.training).toEqual({ rows: 1000, seed: 3, backend: result.backend, createdAt: CREATED.toISOString(), libraryVersion: LIBRARY_VERSION });
    expect(json.algorithm.type).toBe('kmeans');
    if (json.algorithm.type === 'kmeans') expect(json.algorithm.inertia).toBe(result.inertia);
    // The saved range levels include 65+ and 100k+, whose upper bound ∞ is written as null and read back.
    const age = parseModel(JSON.stringify(json)).schema.columns.find((c) => c.name === 'Age');
    expect(age?.levels?.at(-1)).toEqual(schema.columns.find((c) => c.name === 'Age')?.levels?.at(-1));
    expect(age?.levels?.at(-1)?.high).toBe(Infinity);
  });

  it('takes names, marked as generated unless said otherwise', () => {
    const named = SegmentationModel.fromFit({ pipeline, schema, result, names: ['Young mobile', 'Heavy likers'] });
    expect(named.segments.map((s) => [s.name, s.nameSource])).toEqual([
      ['Young mobile', 'generated'],
      ['Heavy likers', 'generated'],
      ['Segment 2', 'generated'],
      ['Segment 3', 'generated'],
    ]);
    const byUser = SegmentationModel.fromFit({ pipeline, schema, result, names: new Map([[3, 'Mine']]), nameSource: 'user' });
    expect(byUser.segments.map((s) => s.nameSource)).toEqual(['generated', 'generated', 'generated', 'user']);
    expect(byUser.segmentName(3)).toBe('Mine');
    expect(() => SegmentationModel.fromFit({ pipeline, schema, result, names: new Map([[4, 'None such']]) })).toThrow(/segment 4/);
  });

  it('refuses centroids of another width than the features, naming the field', () => {
    const narrow = { ...result, centroids: { data: new Float32Array(4 * 3), rows: 4, cols: 3 } };
    expect(() => SegmentationModel.fromFit({ pipeline, schema, result: narrow })).toThrow(ModelError);
    expect(() => SegmentationModel.fromFit({ pipeline, schema, result: narrow })).toThrow(
      `algorithm.centroids has 3 columns, featureNames lists ${features.cols} features`,
    );
  });
});

describe('SegmentationModel.rename', () => {
  it('renames segments, marks them as the user’s, and the names survive save and load', async () => {
    const renamed = model.rename({ 1: 'Weekend scrollers', 2: 'Bargain hunters' });
    expect(renamed.segments.map((s) => [s.id, s.name, s.nameSource])).toEqual([
      [0, 'Segment 0', 'generated'],
      [1, 'Weekend scrollers', 'user'],
      [2, 'Bargain hunters', 'user'],
      [3, 'Segment 3', 'generated'],
    ]);
    expect(model.segmentName(1)).toBe('Segment 1'); // the original is unchanged
    const path = join(dir, 'renamed.json');
    await saveModel(renamed, path);
    const loaded = await loadModel(path);
    expect(loaded.segments).toEqual(renamed.segments);
    const p = await loaded.predict(table.slice(0, 50));
    for (let i = 0; i < 50; i++) expect(p.names[i]).toBe(['Segment 0', 'Weekend scrollers', 'Bargain hunters', 'Segment 3'][result.labels[i]]);
  });

  it('refuses an unknown segment, an empty name and a name two segments would share', () => {
    expect(() => model.rename({ 9: 'x' })).toThrow(ParameterError);
    expect(() => model.rename({ 9: 'x' })).toThrow('segment 9 is not a segment of this model');
    expect(() => model.rename({ 0: '  ' })).toThrow('the name of segment 0 must be a non-empty string');
    expect(() => model.rename({ 0: 'Segment 1' })).toThrow('segments 0 and 1 would both be named "Segment 1"');
    expect(() => model.rename(new Map([[0, 'Same'], [2, 'Same']]))).toThrow('both be named "Same"');
    expect(model.rename({ 0: 'Segment 1', 1: 'Segment 0' }).segmentName(0)).toBe('Segment 1'); // a swap is fine
  });
});

describe('SegmentationModel.fromState', () => {
  it('refuses labels that are not segments of the state', () => {
    const fit = sampleFit(300);
    const centroids = { data: fit.features.data.slice(0, 2 * fit.features.cols), rows: 2, cols: fit.features.cols };
    const make = (labels: number[]) => () =>
      SegmentationModel.fromState({ pipeline: fit.pipeline, schema: fit.schema, state: { type: 'kmeans', centroids, inertia: 0 }, labels, backend: 'cpu' });
    expect(make([0, 1, 2])).toThrow('labels[2] = 2 is not a segment: the kmeans state has segments 0..1');
    expect(make([0, -1])).toThrow('labels[1] = -1 is not a segment');
    expect(make([])).toThrow('labels is empty');
    expect(make([0, 1, 1])().training.seed).toBe(null);
    const noCore = () =>
      SegmentationModel.fromState({
        pipeline: fit.pipeline,
        schema: fit.schema,
        state: { type: 'dbscan', corePoints: { data: new Float32Array(0), rows: 0, cols: fit.features.cols }, coreLabels: new Int32Array(0), eps: 1, minSamples: 5 },
        labels: [-1, -1],
        backend: 'cpu',
      });
    expect(noCore).toThrow('SegmentationModel.fromState: algorithm.corePoints has no rows: a model needs at least one center or core point');
  });
});
