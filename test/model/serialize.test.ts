// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { parseModel, stringifyModel } from '../../src/model/file.js';
import { SegmentationModel } from '../../src/model/model.js';
import { ModelError } from '../../src/model/modelError.js';
import type { ModelJSON } from '../../src/model/serialize.js';
import { handKMeansModel, pickRows, sampleFit } from './support.js';

const fit = sampleFit(300);
const d = fit.features.cols;
/** Training rows 0, 1, 2 as centroids: a valid k = 3 model built without a fit. */
const model = handKMeansModel(fit, [0, 1, 2]);

/** A DBSCAN model: 4 core points (training rows) in clusters 0, 0, 1, 1, and a noise segment. */
function dbscanModel(): SegmentationModel {
  const corePoints = pickRows(fit.features, [0, 1, 2, 3]);
  const labels = new Int32Array(fit.table.numRows).fill(-1);
  labels.set([0, 0, 1, 1]);
  return SegmentationModel.fromState({
    pipeline: fit.pipeline,
    schema: fit.schema,
    state: { type: 'dbscan', corePoints, coreLabels: Int32Array.from([0, 0, 1, 1]), eps: 0.75, minSamples: 3 },
    labels,
    backend: 'cpu',
  });
}

/** A fresh, mutable copy of the saved form. */
function saved(m: SegmentationModel = model): ModelJSON {
  return JSON.parse(stringifyModel(m)) as ModelJSON;
}

/** What loading `json` throws; fails the test when it loads. */
function refusal(json: unknown): ModelError {
  try {
    SegmentationModel.fromJSON(json);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('the model loaded');
}

describe('SegmentationModel.fromJSON', () => {
  it('reads back what toJSON wrote, for k-means and DBSCAN', () => {
    expect(SegmentationModel.fromJSON(saved()).toJSON()).toEqual(model.toJSON());
    const db = dbscanModel();
    const again = SegmentationModel.fromJSON(saved(db));
    expect(again.toJSON()).toEqual(db.toJSON());
    expect(again.segments.map((s) => [s.id, s.name, s.size])).toEqual([
      [0, 'Segment 0', 2],
      [1, 'Segment 1', 2],
      [-1, 'Noise', 296],
    ]);
  });

  it('refuses text that is not JSON, such as a truncated file', () => {
    const text = stringifyModel(model);
    const cut = (): SegmentationModel => parseModel(text.slice(0, Math.floor(text.length / 2)), 'out/model.json');
    expect(cut).toThrow(ModelError);
    expect(cut).toThrow(/^out\/model\.json: the JSON cannot be parsed \(.*\): the file is truncated or is not a saved model$/);
    expect(() => parseModel('')).toThrow('model.json: the JSON cannot be parsed');
    expect(() => parseModel('')).toThrow('the file is empty');
  });

  it('refuses a file that is not a model', () => {
    expect(refusal([1, 2]).message).toBe('model.json: the model must be an object, got an array');
    expect(refusal(fit.pipeline.toJSON()).message).toBe(
      "model.json: format must be 'segments.model', got \"segments.pipeline\": this is not a saved segments model",
    );
    expect(refusal({}).message).toBe("model.json: format must be 'segments.model', got nothing (the field is missing): this is not a saved segments model");
  });

  it('refuses a newer formatVersion, saying to upgrade', () => {
    const json = saved();
    json.formatVersion = 2;
    const err = refusal(json);
    expect(err.message).toBe('model.json: formatVersion is 2, newer than the version 1 this version of segments reads: upgrade segments to load this model');
    expect(err.field).toBe('formatVersion');
    expect(err).toBeInstanceOf(DataError); // the CLI's exit 1
  });

  it('refuses fields of the wrong type, naming them', () => {
    const cases: Array<[(j: ModelJSON) => void, string]> = [
      [(j) => ((j as unknown as Record<string, unknown>).formatVersion = '1'), 'formatVersion must be a finite number, got "1"'],
      [(j) => ((j.algorithm as unknown as Record<string, unknown>).centroids = 'abc'), 'algorithm.centroids must be an array, got "abc"'],
      [(j) => ((j.algorithm as unknown as Record<string, unknown>).type = 'spectral'), "algorithm.type must be one of 'kmeans', 'meanShift', 'dbscan', got \"spectral\""],
      [(j) => ((j.segments[1] as unknown as Record<string, unknown>).name = 5), 'segments[1].name must be a string, got 5'],
      [(j) => ((j.segments[0] as unknown as Record<string, unknown>).nameSource = 'ai'), "segments[0].nameSource must be one of 'generated', 'user', got \"ai\""],
      [(j) => ((j.schema.columns[2] as unknown as Record<string, unknown>).use = 'yes'), 'schema.columns[2].use must be true or false, got "yes"'],
      [(j) => ((j.training as unknown as Record<string, unknown>).rows = 2.5), 'training.rows must be an integer >= 1, got 2.5'],
      [(j) => ((j.training as unknown as Record<string, unknown>).createdAt = 'yesterday'), 'training.createdAt is not a date: "yesterday"'],
      [(j) => delete (j as unknown as Record<string, unknown>).featureNames, 'featureNames must be an array, got nothing (the field is missing)'],
      [(j) => ((j.pipeline.steps[0].scale as unknown as Record<string, unknown>) = { center: 0, scale: 0, offset: 0 }), 'pipeline.steps[0].scale.scale is 0: features would be divided by zero'],
    ];
    for (const [spoil, message] of cases) {
      const json = saved();
      spoil(json);
      expect(refusal(json).message).toBe(`model.json: ${message}`);
    }
  });

  it('refuses NaN, infinities and null in the centroids', () => {
    const withNaN = saved();
    if (withNaN.algorithm.type !== 'kmeans') throw new Error('expected k-means');
    withNaN.algorithm.centroids[1][4] = NaN;
    const err = refusal(withNaN);
    expect(err.message).toBe('model.json: algorithm.centroids[1][4] must be a finite number, got NaN');
    expect(err.field).toBe('algorithm.centroids[1][4]');
    // JSON.stringify writes NaN as null: the file then says null.
    expect(() => parseModel(JSON.stringify(withNaN))).toThrow('model.json: algorithm.centroids[1][4] must be a finite number, got null');
    const huge = saved();
    if (huge.algorithm.type !== 'kmeans') throw new Error('expected k-means');
    huge.algorithm.centroids[0][0] = 1e39;
    expect(refusal(huge).message).toBe('model.json: algorithm.centroids[0][0] = 1e+39 is too large for float32');
  });

  it('refuses shapes that disagree, naming the field and both counts', () => {
    const lessRows = saved();
    if (lessRows.algorithm.type !== 'kmeans') throw new Error('expected k-means');
    lessRows.algorithm.centroids.pop();
    expect(refusal(lessRows).message).toBe('model.json: algorithm.centroids has 2 rows, segments lists 3');

    const ragged = saved();
    if (ragged.algorithm.type !== 'kmeans') throw new Error('expected k-means');
    ragged.algorithm.centroids[2].pop();
    expect(refusal(ragged).message).toBe(`model.json: algorithm.centroids[2] has ${d - 1} values, algorithm.centroids[0] has ${d}`);

    const narrow = saved();
    if (narrow.algorithm.type !== 'kmeans') throw new Error('expected k-means');
    for (const row of narrow.algorithm.centroids) row.pop();
    expect(refusal(narrow).message).toBe(`model.json: algorithm.centroids has ${d - 1} columns, featureNames lists ${d} features`);

    const features = saved();
    features.featureNames.pop();
    expect(refusal(features).message).toBe(`model.json: featureNames lists ${d - 1} features, the pipeline makes ${d}`);

    const renamedFeature = saved();
    renamedFeature.featureNames[0] = 'Shoe size';
    expect(refusal(renamedFeature).message).toBe(`model.json: featureNames[0] is "Shoe size", the pipeline makes ${JSON.stringify(fit.pipeline.featureNames[0])} there`);

    const step = saved();
    step.pipeline.steps[0].kind = 'id';
    expect(refusal(step).message).toMatch(/^model\.json: pipeline\.steps\[0\]\.kind is 'id', schema\.columns says ".*" is '.*'$/);
  });

  it('refuses segments that are not the algorithm’s clusters', () => {
    const ids = saved();
    ids.segments[1].id = 5;
    expect(refusal(ids).message).toBe('model.json: segments[1].id is 5, expected 1 (segments are listed in id order)');

    const sizes = saved();
    sizes.segments[0].size += 1;
    expect(refusal(sizes).message).toBe('model.json: segments sizes add up to 301, training.rows is 300');

    const twice = saved();
    twice.segments[2].name = twice.segments[0].name;
    expect(refusal(twice).message).toBe('model.json: segments[2].name "Segment 0" is also the name of segments[0]');

    const noNoise = saved(dbscanModel());
    noNoise.segments.pop();
    expect(refusal(noNoise).message).toBe('model.json: segments lists 2 segments, expected 3 (the clusters, then the noise segment -1)');

    const lostCluster = saved(dbscanModel());
    if (lostCluster.algorithm.type !== 'dbscan') throw new Error('expected dbscan');
    lostCluster.algorithm.coreLabels = [0, 0, 2, 2];
    expect(refusal(lostCluster).message).toBe('model.json: algorithm.coreLabels has no core point in cluster 1 (clusters are 0..2)');

    const shortLabels = saved(dbscanModel());
    if (shortLabels.algorithm.type !== 'dbscan') throw new Error('expected dbscan');
    shortLabels.algorithm.coreLabels.pop();
    expect(refusal(shortLabels).message).toBe('model.json: algorithm.coreLabels has 3 labels, algorithm.corePoints has 4 rows');

    const eps = saved(dbscanModel());
    if (eps.algorithm.type !== 'dbscan') throw new Error('expected dbscan');
    eps.algorithm.eps = -1;
    expect(refusal(eps).message).toBe('model.json: algorithm.eps must be > 0, got -1');
  });

  it('refuses a pipeline it cannot apply, and a schema missing a used column', () => {
    const pipelineVersion = saved();
    pipelineVersion.pipeline.version = 7;
    expect(refusal(pipelineVersion).message).toMatch(/^model\.json: pipeline cannot be read: .*version 7/);

    const column = saved();
    const used = column.pipeline.steps[1].column;
    column.schema.columns = column.schema.columns.filter((c) => c.name !== used);
    expect(refusal(column).message).toBe(`model.json: pipeline.steps[1].column "${used}" is not a column of schema.columns`);
  });
});

describe('a saved model remembers how its columns write numbers', () => {
  it('keeps decimal commas, separators, currency, percent and parentheses; an old file without them loads as before', () => {
    const json = saved();
    const col = json.schema.columns.find((c) => c.kind === 'number' || c.kind === 'count')!;
    col.numberFormat = { decimal: ',', thousands: '.', currency: '€', percent: false, parentheses: true };
    const again = SegmentationModel.fromJSON(json);
    expect(again.schema.columns.find((c) => c.name === col.name)!.numberFormat).toEqual({ decimal: ',', thousands: '.', currency: '€', percent: false, parentheses: true });
    expect(again.toJSON().schema.columns.find((c) => c.name === col.name)!.numberFormat).toEqual(col.numberFormat);
    const old = saved();
    for (const c of old.schema.columns) delete c.numberFormat;
    expect(SegmentationModel.fromJSON(old).schema.columns.every((c) => c.numberFormat === undefined)).toBe(true);
  });

  it('refuses a decimal mark other than . or , naming the field', () => {
    const json = saved();
    const col = json.schema.columns[0];
    col.numberFormat = { decimal: ';' as ',' };
    expect(refusal(json).message).toMatch(/schema\.columns\[0\]\.numberFormat\.decimal.*must be '\.' or ','/);
  });
});
