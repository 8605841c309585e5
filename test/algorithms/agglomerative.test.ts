// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Agglomerative, agglomerative, type AgglomerativeResult, type Linkage } from '../../src/algorithms/agglomerative.js';
import { DataError, ParameterError } from '../../src/errors.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

const LINKAGES: Linkage[] = ['ward', 'complete', 'average', 'single'];

interface SklearnCut {
  k: number;
  labels: number[];
  stable: boolean;
}
interface SklearnThreshold {
  threshold: number;
  n_clusters: number;
  labels: number[];
  stable: boolean;
}
interface SklearnTree {
  children: [number, number][];
  distances: number[];
  stable_tree: boolean;
  stable_order: boolean;
  cuts: SklearnCut[];
  thresholds: SklearnThreshold[];
}
interface AggloFixture {
  name: string;
  n: number;
  d: number;
  linkages: Record<Linkage, SklearnTree>;
}

function loadAgglo(name: string): AggloFixture {
  const url = new URL(`../fixtures/sklearn/agglomerative_${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as AggloFixture;
}

/** True when two labelings group the rows the same way, whatever the numbering. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

/**
 * Each merge's cluster named by (lowest leaf, size), which is unique within a tree, mapped to its
 * height: two trees with the same clusters give the same map even if tied merges are numbered
 * in another order.
 */
function clusterHeights(children: ArrayLike<number>, distances: ArrayLike<number>, n: number): Map<string, number> {
  const low = Array.from({ length: n }, (_, i) => i);
  const size: number[] = new Array(n).fill(1);
  const out = new Map<string, number>();
  for (let i = 0; i < n - 1; i++) {
    const a = children[2 * i];
    const b = children[2 * i + 1];
    low.push(Math.min(low[a], low[b]));
    size.push(size[a] + size[b]);
    out.set(`${low[n + i]}:${size[n + i]}`, distances[i]);
  }
  return out;
}

function expectClose(actual: number, expected: number, rel: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-9);
}

/** Our tree checked against scikit-learn's: same clusters, heights within `rel`; children exactly where stable. */
function checkTree(r: AgglomerativeResult, t: SklearnTree, n: number, rel: number, what: string): void {
  expect(r.children.length).toBe(2 * (n - 1));
  if (t.stable_order) expect(Array.from(r.children), `${what}: children_`).toEqual(t.children.flat());
  if (t.stable_tree) {
    const ours = clusterHeights(r.children, r.distances, n);
    const theirs = clusterHeights(t.children.flat(), t.distances, n);
    for (const [key, h] of theirs) {
      const mine = ours.get(key);
      expect(mine, `${what}: cluster ${key} formed`).toBeDefined();
      expectClose(mine as number, h, rel, `${what}: height of cluster ${key}`);
    }
  }
  // Heights as scikit-learn reports them, merge by merge in sorted order (the tree is monotone).
  if (t.stable_tree) t.distances.forEach((h, i) => expectClose(r.distances[i], h, rel, `${what}: distances_[${i}]`));
}

describeEachBackend('agglomerative', (backend) => {
  // Five points on a line with distinct gaps 2, 1, 4, 5. Each linkage's merges by hand:
  // {2,3} at 1 always. single: then 0 joins at 2, 7 at 4, 12 at 5 (the gaps).
  // complete: 0 to {2,3} is max(2,3) = 3 < 5 (7 to 12) < 5 ({2,3} to 7), then everything at 12.
  // average: 0 to {2,3} is 2.5; then {7,12} at 5 (under 16/3 from {0,2,3} to 7); then all six
  //   cross pairs (7+5+4 + 12+10+9)/6 = 47/6.
  // ward (sqrt(2|A||B|/(|A|+|B|))·|μA − μB|): 0 to {2,3}: sqrt(4/3)·2.5; then {7,12} at 5 (under
  //   sqrt(3/2)·16/3 from {0,2,3} to 7); then sqrt(12/5)·(9.5 − 5/3).
  const line = [[0], [2], [3], [7], [12]];
  const byHand: Record<Linkage, { children: number[]; distances: number[]; labels2: number[] }> = {
    // Prim's order from row 0 records edges (0,2), (2,3), (3,7), (7,12): children keep that order.
    single: { children: [1, 2, 0, 5, 6, 3, 7, 4], distances: [1, 2, 4, 5], labels2: [0, 0, 0, 0, 1] },
    complete: { children: [1, 2, 0, 5, 3, 4, 6, 7], distances: [1, 3, 5, 12], labels2: [1, 1, 1, 0, 0] },
    average: { children: [1, 2, 0, 5, 3, 4, 6, 7], distances: [1, 2.5, 5, 47 / 6], labels2: [1, 1, 1, 0, 0] },
    ward: {
      children: [1, 2, 0, 5, 3, 4, 6, 7],
      distances: [1, Math.sqrt(4 / 3) * 2.5, 5, Math.sqrt(12 / 5) * (9.5 - 5 / 3)],
      labels2: [1, 1, 1, 0, 0],
    },
  };

  for (const linkage of LINKAGES) {
    it(`${linkage} linkage merges five points on a line in the order and at the heights computed by hand`, async () => {
      const r = await new Agglomerative({ k: 2, linkage }).fit(line);
      const want = byHand[linkage];
      expect(Array.from(r.children)).toEqual(want.children);
      want.distances.forEach((h, i) => expectClose(r.distances[i], h, 1e-6, `merge ${i}`));
      expect(Array.from(r.counts)).toEqual([2, 3, linkage === 'single' ? 4 : 2, 5]);
      // Labels numbered as scikit-learn's _hc_cut numbers them (its heap order).
      expect(Array.from(r.labels)).toEqual(want.labels2);
      expect(r.k).toBe(2);
      expect(r.nIter).toBe(0); // no iterative loop: the n − 1 merges are built directly
      expect(r.converged).toBe(true);
      expect(r.backend).toBe(backend);
      expect(r.linkage).toBe(linkage);
    });
  }

  it('undoes merges at a height >= distanceThreshold, as scikit-learn does', async () => {
    // complete: heights 1, 3, 5, 12; threshold 5 undoes 5 and 12: {0,2,3}, {7}, {12}.
    const r = await new Agglomerative({ distanceThreshold: 5, linkage: 'complete' }).fit(line);
    expect(r.k).toBe(3);
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 2, 1]);
    expect(r.cutBy).toEqual({ distance: 5 });
    expect(r.cut({ distance: 5.0001 }).k).toBe(2);
    expect(r.cut({ distance: 0 }).k).toBe(5);
    expect(r.cut({ distance: 100 }).k).toBe(1);
  });

  it('breaks exact ties as scipy and scikit-learn do (hand-checked: three equally spaced points)', async () => {
    // 0, 1, 2: both pairs at 1. The chain starts at 0, finds 1; 1's neighbours 0 and 2 tie and
    // the chain's previous element (0) wins, so {0,1} merges first. Prim's from 0 adds 1, then 2.
    const x = [[0], [1], [2]];
    const want: Record<Linkage, { children: number[]; distances: number[] }> = {
      single: { children: [0, 1, 3, 2], distances: [1, 1] },
      complete: { children: [0, 1, 2, 3], distances: [1, 2] },
      average: { children: [0, 1, 2, 3], distances: [1, 1.5] },
      ward: { children: [0, 1, 2, 3], distances: [1, Math.sqrt(4 / 3) * 1.5] },
    };
    for (const linkage of LINKAGES) {
      const r = await agglomerative(x, { k: 2, linkage });
      expect(Array.from(r.children), linkage).toEqual(want[linkage].children);
      want[linkage].distances.forEach((h, i) => expectClose(r.distances[i], h, 1e-6, `${linkage} merge ${i}`));
      expect(Array.from(r.labels), linkage).toEqual([0, 0, 1]);
    }
  });

  it('runs the documented example', async () => {
    const model = await new Agglomerative({ k: 2, linkage: 'average' }).fit([[0], [1], [5], [6]]);
    expect(Array.from(model.labels)).toEqual([1, 1, 0, 0]);
    expect(Array.from(model.distances)).toEqual([1, 1, 5]);
    expect(model.cut({ distance: 1 }).k).toBe(4);
  });

  it('merges duplicate rows at height 0', async () => {
    // Two copies of (0,0), three of (3,4): three zero-height merges, then one at 5 (Ward:
    // sqrt(2·2·3/5)·5).
    const x = [[0, 0], [0, 0], [3, 4], [3, 4], [3, 4]];
    for (const linkage of LINKAGES) {
      const r = await agglomerative(x, { k: 2, linkage });
      expect(Array.from(r.distances.subarray(0, 3)), linkage).toEqual([0, 0, 0]);
      expectClose(r.distances[3], linkage === 'ward' ? Math.sqrt(12 / 5) * 5 : 5, 1e-6, linkage);
      expect(Array.from(r.labels), linkage).toEqual([1, 1, 0, 0, 0]);
      expect(r.cut({ distance: 0 }).k, linkage).toBe(5);
      expect(samePartition(r.cut({ distance: 1e-9 }).labels, [0, 0, 1, 1, 1]), linkage).toBe(true);
    }
  });

  it('clusters rows that are all identical: every merge at height 0', async () => {
    for (const linkage of LINKAGES) {
      const r = await agglomerative([[2, 5], [2, 5], [2, 5], [2, 5]], { k: 2, linkage });
      expect(Array.from(r.distances), linkage).toEqual([0, 0, 0]);
      expect(new Set(r.labels).size, linkage).toBe(2);
      expect(r.cut({ distance: 0 }).k, linkage).toBe(4);
    }
  });

  it('gives one cluster for k = 1 and one cluster per row for k = n', async () => {
    const x = [[0, 1], [4, 2], [9, 9], [1, 7]];
    for (const linkage of LINKAGES) {
      const one = await agglomerative(x, { k: 1, linkage });
      expect(Array.from(one.labels)).toEqual([0, 0, 0, 0]);
      const all = await agglomerative(x, { k: 4, linkage });
      expect(new Set(all.labels).size).toBe(4);
      expect(all.cut(1).labels).toEqual(one.labels);
    }
  });

  it('refuses k > n, and bad options, naming the argument', async () => {
    const x = [[0], [1], [2]];
    await expect(agglomerative(x, { k: 4 })).rejects.toThrow(ParameterError);
    await expect(agglomerative(x, { k: 4 })).rejects.toThrow(/k=4 is more than the 3 rows given/);
    expect(() => new Agglomerative({ k: 2, distanceThreshold: 1 })).toThrow(/not both/);
    expect(() => new Agglomerative({ k: 0 })).toThrow(/k=0 must be an integer >= 1/);
    expect(() => new Agglomerative({ distanceThreshold: -1 })).toThrow(/distanceThreshold=-1/);
    expect(() => new Agglomerative({ linkage: 'centroid' as Linkage })).toThrow(/linkage='centroid'/);
    const r = await agglomerative(x, { k: 2 });
    expect(() => r.cut(4)).toThrow(/k=4 is more than the 3 rows/);
    expect(() => r.cut({ distance: Number.NaN })).toThrow(ParameterError);
  });

  it('still accepts the deprecated nClusters and maxMatrixBytes, and refuses them next to k and memoryBudgetBytes', async () => {
    const x = [[0], [1], [5], [6], [20]];
    const old = await agglomerative(x, { nClusters: 3, linkage: 'average', maxMatrixBytes: 1e6 });
    const now = await agglomerative(x, { k: 3, linkage: 'average', memoryBudgetBytes: 1e6 });
    expect(old.k).toBe(3);
    expect(Array.from(old.labels)).toEqual(Array.from(now.labels));
    expect(() => new Agglomerative({ k: 2, nClusters: 2 })).toThrow('agglomerative: give k or its deprecated alias nClusters, not both');
    expect(() => new Agglomerative({ memoryBudgetBytes: 1, maxMatrixBytes: 1 })).toThrow(/memoryBudgetBytes or its deprecated alias maxMatrixBytes/);
    expect(() => new Agglomerative({ nClusters: 0 })).toThrow('agglomerative: k=0 must be an integer >= 1');
  });

  it('clusters a single row into one cluster with an empty tree', async () => {
    const r = await agglomerative([[3, 4]], { k: 1 });
    expect(Array.from(r.labels)).toEqual([0]);
    expect(r.children.length).toBe(0);
    expect(r.distances.length).toBe(0);
    expect((await agglomerative([[3, 4]], { distanceThreshold: 0 })).k).toBe(1);
    await expect(agglomerative([[3, 4]])).rejects.toThrow(/k=2 is more than the 1 rows given/);
  });

  it('refuses n over the limit with the limit and the memory it would need, before any work', async () => {
    const n = 30_000;
    const big = { data: new Float32Array(n), rows: n, cols: 1 };
    const err = await agglomerative(big, { linkage: 'average' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParameterError);
    expect(String((err as Error).message)).toMatch(/n=30000 rows need 1\.80 GB .*over memoryBudgetBytes=1\.20 GB \(n ≤ 24495\)/);
    await expect(agglomerative({ data: new Float32Array(20), rows: 20, cols: 1 }, { linkage: 'complete', memoryBudgetBytes: 700 })).rejects.toThrow(
      /n=20 rows need 760 bytes/,
    );
    const many = 50_001;
    await expect(agglomerative({ data: new Float32Array(many), rows: many, cols: 1 }, { linkage: 'ward' })).rejects.toThrow(
      /n=50001 rows is over maxRows=50000 for 'ward'/,
    );
  });

  it('rejects NaN with a DataError naming row and column', async () => {
    const err = await agglomerative([[0, 1], [2, Number.NaN], [3, 3]]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).row).toBe(1);
    expect((err as DataError).column).toBe(1);
  });

  it('recuts the same tree without refitting, and exports scipy linkage matrix rows', async () => {
    const x = fixtureMatrix(loadFixture('mall'));
    const r = await agglomerative(x, { k: 2, linkage: 'average' });
    const three = await agglomerative(x, { k: 3, linkage: 'average' });
    expect(Array.from(r.cut(3).labels)).toEqual(Array.from(three.labels));
    expect(r.cut(3).children).toBe(r.children);
    const z = r.toLinkageMatrix();
    expect([z.rows, z.cols]).toEqual([199, 4]);
    for (let i = 0; i < z.rows; i++) {
      expect([z.data[4 * i], z.data[4 * i + 1], z.data[4 * i + 2], z.data[4 * i + 3]]).toEqual([
        r.children[2 * i],
        r.children[2 * i + 1],
        r.distances[i],
        r.counts[i],
      ]);
    }
    expect(z.data[4 * 198 + 3]).toBe(200);
  });

  // scikit-learn 1.2.1 fixtures (scripts/make_agglomerative_fixtures.py). SwiftShader is slow: only
  // the smallest dataset there.
  // The fixture sweeps on wasm; cpu and WebGPU (SwiftShader) on mall, the smallest.
  const datasets = backend !== 'wasm' ? ['mall'] : ['mall', 'ads', 'tiktok', 'wellbeing', 'blobs_overlap', 'blobs8'];
  for (const name of datasets) {
    it(`agrees with scikit-learn on ${name}: trees, heights, labels and threshold cuts`, async () => {
      const f = loadAgglo(name);
      const x = fixtureMatrix(loadFixture(name));
      for (const linkage of LINKAGES) {
        const t = f.linkages[linkage];
        const r = await agglomerative(x, { k: 2, linkage });
        // Every linkage runs in float64 by default (scipy's sums may round differently).
        checkTree(r, t, f.n, 1e-9, `${name} ${linkage}`);
        for (const c of t.cuts) {
          if (!c.stable) continue;
          const labels = r.cut(c.k).labels;
          expect(samePartition(labels, c.labels), `${name} ${linkage} k=${c.k}: partition`).toBe(true);
          if (t.stable_order) expect(Array.from(labels), `${name} ${linkage} k=${c.k}: numbering`).toEqual(c.labels);
        }
        for (const c of t.thresholds) {
          if (!c.stable) continue;
          const byCut = r.cut({ distance: c.threshold });
          expect(byCut.k, `${name} ${linkage} threshold ${c.threshold}`).toBe(c.n_clusters);
          expect(samePartition(byCut.labels, c.labels), `${name} ${linkage} threshold ${c.threshold}`).toBe(true);
        }
      }
      const fitted = await agglomerative(x, { distanceThreshold: f.linkages.ward.thresholds[0].threshold });
      expect(fitted.k).toBe(f.linkages.ward.thresholds[0].n_clusters);
    });
  }

  // The same with the distance matrix from the device kernel (float32, close pairs redone in float64).
  const deviceSets = backend !== 'wasm' ? ['mall'] : ['mall', 'ads', 'blobs8'];
  for (const name of deviceSets) {
    it(`agrees with scikit-learn on ${name} with the distance matrix computed on the device`, async () => {
      const f = loadAgglo(name);
      const x = fixtureMatrix(loadFixture(name));
      for (const linkage of ['complete', 'average'] as const) {
        const t = f.linkages[linkage];
        const r = await agglomerative(x, { k: 2, linkage, distanceMatrix: 'device' });
        checkTree(r, t, f.n, 1e-4, `${name} ${linkage} (device)`);
        for (const c of t.cuts) {
          if (c.stable) expect(samePartition(r.cut(c.k).labels, c.labels), `${name} ${linkage} k=${c.k}`).toBe(true);
        }
      }
    });
  }

  it('gives the hand-computed heights with the device distance matrix, in tiles of 2 rows', async () => {
    for (const linkage of ['complete', 'average'] as const) {
      const r = await agglomerative(line, { k: 2, linkage, distanceMatrix: 'device', tileRows: 2 });
      expect(Array.from(r.children)).toEqual(byHand[linkage].children);
      byHand[linkage].distances.forEach((h, i) => expectClose(r.distances[i], h, 1e-5, `${linkage} merge ${i}`));
    }
  });
});
