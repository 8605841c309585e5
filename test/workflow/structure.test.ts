// SPDX-License-Identifier: MIT
/**
 * checkStructure through segment(): uniform random data is called weakly separated (and, in 8
 * dimensions, unstable) with its figures; planted, well separated segments get no warning; three
 * rows get the too-few-rows warning. The figures are checked against the metric, a k-means fit
 * and the adjusted Rand index computed here.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { adjustedRandIndex } from '../../src/metrics/adjustedRand.js';
import { Random } from '../../src/random.js';
import { segment } from '../../src/workflow/segment.js';
import { tentativeNote } from '../../src/workflow/structure.js';

const quiet = { onWarning: (): void => undefined, backend: 'wasm' as const };

function uniformTable(rows: number, cols: number, seed: number): arrow.Table {
  const rng = new Random(seed);
  const columns: Record<string, Float64Array> = {};
  for (let j = 0; j < cols; j++) columns[`x${j}`] = Float64Array.from({ length: rows }, () => rng.next());
  return arrow.tableFromArrays(columns);
}

/** `perSegment` rows around each of 4 centres 20 apart in 3 features, spread ±0.5 uniformly. */
function plantedTable(perSegment: number, seed: number): arrow.Table {
  const rng = new Random(seed);
  const centres = [
    [0, 0, 0],
    [20, 0, 0],
    [0, 20, 0],
    [0, 0, 20],
  ];
  const cols = [[], [], []] as number[][];
  for (const c of centres) for (let i = 0; i < perSegment; i++) for (let j = 0; j < 3; j++) cols[j].push(c[j] + rng.next() - 0.5);
  return arrow.tableFromArrays({ a: Float64Array.from(cols[0]), b: Float64Array.from(cols[1]), c: Float64Array.from(cols[2]) });
}

describe('checkStructure (through segment)', () => {
  it('calls uniform random data weakly separated, with the silhouette and its uniform reference, and the names tentative', async () => {
    const r = await segment(uniformTable(600, 2, 3), { ...quiet, nInit: 2 });
    const s = r.structure;
    expect(s.separation.silhouette).toBe(r.metrics.silhouette?.score);
    expect(s.separation.reference).not.toBeNull();
    // Uniform data scores about what the uniform reference scores: no structure beyond its shape.
    expect(Math.abs((s.separation.silhouette as number) - (s.separation.reference as number))).toBeLessThan(0.05);
    expect(s.separation.verdict).toBe('weak');
    const weak = s.warnings.find((w) => w.code === 'weak-separation');
    expect(weak?.figure).toBe(s.separation.silhouette);
    expect(weak?.message).toContain(`silhouette ${(s.separation.silhouette as number).toFixed(2)}`);
    expect(s.tentative).toBe(true);
    expect(tentativeNote(s)).toContain('these names are tentative: the segments are weakly separated');
  });

  it('calls k-means on 8-dimensional uniform data unstable: the adjusted Rand index against another seed, computed here', async () => {
    const r = await segment(uniformTable(800, 8, 13), { ...quiet, k: 2, nInit: 2 });
    const s = r.structure;
    expect(s.stability).not.toBeNull();
    const stability = s.stability as NonNullable<typeof s.stability>;
    expect(stability.rows).toBe(800);
    expect(stability.seed).toBe(43);
    // The second fit by hand: all 800 rows (fewer than stabilityRows), seed 42 + 1, the same runs.
    const second = await new KMeans({ k: 2, nInit: 2, seed: 43, onWarning: () => undefined }).fit(r.output.matrix);
    expect(stability.ari).toBeCloseTo(adjustedRandIndex(r.labels, second.labels), 12);
    expect(stability.ari).toBeLessThan(0.8);
    const unstable = s.warnings.find((w) => w.code === 'unstable');
    expect(unstable?.figure).toBe(stability.ari);
    expect(unstable?.threshold).toBe(0.8);
    expect(unstable?.message).toContain(`adjusted Rand index of ${stability.ari.toFixed(2)}`);
    expect(s.separation.verdict).toBe('weak');
    expect(s.tentative).toBe(true);
  });

  it('gives planted, well separated segments a strong verdict, full stability and no warning', async () => {
    const r = await segment(plantedTable(50, 5), quiet);
    const s = r.structure;
    expect(r.profiles.segments.length).toBe(4);
    expect(s.separation.verdict).toBe('strong');
    expect(s.separation.silhouette as number).toBeGreaterThan(0.9);
    expect(s.stability?.ari).toBe(1);
    expect(s.rowsPerSegment).toEqual({ mean: 50, smallest: 50, fewBelow: 10 });
    expect(s.warnings).toEqual([]);
    expect(s.tentative).toBe(false);
    expect(tentativeNote(s)).toBeNull();
  });

  it('warns on three rows: too few rows per segment, with the figure', async () => {
    const table = arrow.tableFromArrays({ a: Float64Array.of(1, 3, 5), b: Float64Array.of(2, 4, 7) });
    const r = await segment(table, quiet);
    const k = r.profiles.segments.length;
    const few = r.structure.warnings.find((w) => w.code === 'few-rows');
    expect(few).toBeDefined();
    expect(few?.figure).toBeCloseTo(3 / k, 12);
    expect(few?.threshold).toBe(10);
    expect(few?.message).toContain(`too few rows for ${k} segments: ${(3 / k).toFixed(1)} rows per segment`);
    expect(r.structure.tentative).toBe(true);
  });

  it('measures stability for k-means only, and says so for the others', async () => {
    const r = await segment(plantedTable(20, 7), { ...quiet, algorithm: 'agglomerative', k: 4 });
    expect(r.structure.stability).toBeNull();
    expect(r.structure.stabilityNote).toBe('stability is measured for k-means only');
    expect(r.structure.separation.verdict).toBe('strong');
  });

  it('says when DBSCAN finds one segment or leaves most rows as noise, naming eps and minSamples', async () => {
    // 4 groups of 20 rows, 20 apart before scaling: an eps of 100 scaled units joins them all.
    const one = await segment(plantedTable(20, 3), { ...quiet, algorithm: 'dbscan', eps: 100, minSamples: 5 });
    expect(new Set(one.labels).size).toBe(1);
    expect(one.structure.warnings.find((w) => w.code === 'one-segment')?.message).toBe('DBSCAN found one segment; a smaller eps (now 100) splits it');
    // An eps near the rows' spacing in a group (about 0.04 scaled units): few core rows, most rows noise (counted here from the labels).
    const noisy = await segment(plantedTable(20, 3), { ...quiet, algorithm: 'dbscan', eps: 0.04, minSamples: 5 });
    const noise = noisy.labels.filter((l) => l === -1).length;
    expect(noise).toBeGreaterThan(40);
    const warning = noisy.structure.warnings.find((w) => w.code === 'mostly-noise');
    expect(warning?.figure).toBeCloseTo(noise / 80, 12);
    expect(warning?.message).toBe(`${noise} of 80 rows (${((100 * noise) / 80).toFixed(1)} %) are noise, in no segment (more than maxNoiseShare 0.5): a larger eps (now 0.04) or a smaller minSamples (now 5) keeps more of them`);
    const clean = await segment(plantedTable(20, 3), { ...quiet, algorithm: 'dbscan', eps: 1, minSamples: 5 });
    expect(new Set(clean.labels).size).toBe(4);
    expect(clean.structure.warnings.map((w) => w.code)).toEqual([]);
  });

  it('says when mean shift finds one segment, naming the bandwidth', async () => {
    const one = await segment(plantedTable(20, 3), { ...quiet, algorithm: 'meanshift', bandwidth: 100 });
    expect(new Set(one.labels).size).toBe(1);
    expect(one.structure.warnings.find((w) => w.code === 'one-segment')?.message).toBe('mean shift found one segment: every row climbed to the same mode; a smaller bandwidth finds more (now 100)');
    expect(one.structure.tentative).toBe(false);
    const four = await segment(plantedTable(20, 3), { ...quiet, algorithm: 'meanshift', bandwidth: 1 });
    expect(new Set(four.labels).size).toBe(4);
    expect(four.structure.warnings.map((w) => w.code)).not.toContain('one-segment');
  });
});
