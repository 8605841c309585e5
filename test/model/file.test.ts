// SPDX-License-Identifier: MIT
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { readTable } from '../../src/data/readTable.js';
import { DataError } from '../../src/errors.js';
import { loadModel, parseModel, saveModel, stringifyModel } from '../../src/model/file.js';
import { ModelError } from '../../src/model/modelError.js';
import { UNASSIGNED } from '../../src/model/predict.js';
import { handKMeansModel, nearestRef, sampleFit } from './support.js';

const fit = sampleFit(300);
const model = handKMeansModel(fit, [5, 6]);
const dir = mkdtempSync(join(tmpdir(), 'segments-file-'));
beforeAll(() => initBackend('cpu', { strict: true, onWarning: () => {} }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveModel / loadModel', () => {
  it('write JSON that loads back to the same model, leaving no temporary file', async () => {
    const path = join(dir, 'model.json');
    await saveModel(model, path);
    expect(readdirSync(dir)).toEqual(['model.json']);
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(model.toJSON())));
    const loaded = await loadModel(path);
    expect(loaded.toJSON()).toEqual(model.toJSON());
    const p = await loaded.predict(fit.table.slice(5, 7));
    expect(Array.from(p.segments)).toEqual([0, 1]);
    expect(Array.from(p.distances)).toEqual([0, 0]); // the centroids are these two rows
  });

  it('refuse a truncated file, naming it', async () => {
    const path = join(dir, 'cut.json');
    const text = stringifyModel(model);
    writeFileSync(path, text.slice(0, text.length - 40));
    await expect(loadModel(path)).rejects.toThrow(ModelError);
    await expect(loadModel(path)).rejects.toThrow(`${path}: the JSON cannot be parsed`);
  });

  it('say which file cannot be read', async () => {
    const path = join(dir, 'nothing-here.json');
    await expect(loadModel(path)).rejects.toThrow(DataError);
    await expect(loadModel(path)).rejects.toThrow(`loadModel: cannot read '${path}': no such file`);
    await expect(loadModel(dir)).rejects.toThrow(`loadModel: cannot read '${dir}': it is a folder, not a model file`);
    await expect(saveModel(model, join(dir, 'no-such-dir', 'model.json'))).rejects.toThrow("saveModel: cannot write '");
  });
});

describe('stringifyModel', () => {
  it('writes each row of numbers on one line and reads back the same', () => {
    const text = stringifyModel(model);
    const json = model.toJSON();
    if (json.algorithm.type !== 'kmeans') throw new Error('expected k-means');
    const row = json.algorithm.centroids[1];
    expect(text).toContain(`[${row.join(', ')}]`);
    expect(parseModel(text).toJSON()).toEqual(json);
  });
});

describe('a model saved by an earlier version', () => {
  it('still loads, and predicts Euclidean float64 distances to its centroids (test/fixtures/sql/model.json)', async () => {
    // Saved before the estimators took one shape (k, ClusteringResult, one predict distance): the
    // saved form did not change, so it loads as it is and writes back the same JSON.
    const path = fileURLToPath(new URL('../fixtures/sql/model.json', import.meta.url));
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    const loaded = await loadModel(path);
    expect(loaded.algorithm).toBe('kmeans');
    expect(loaded.segments.length).toBe(3);
    expect(loaded.toJSON()).toEqual(saved);
    const { table } = await readTable(fileURLToPath(new URL('../fixtures/sql/users.csv', import.meta.url)), { onBadRows: 'null' });
    const p = await loaded.predict(table, { onBadRows: 'null' });
    const x = loaded.pipeline.transform(table).matrix;
    if (loaded.state.type !== 'kmeans') throw new Error('expected k-means');
    const ref = nearestRef(x, loaded.state.centroids);
    let compared = 0;
    for (let i = 0; i < table.numRows; i++) {
      if (p.segments[i] === UNASSIGNED) continue;
      expect(p.segments[i]).toBe(ref.index[i]);
      expect(p.distances[i]).toBe(ref.distance[i]);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });
});
