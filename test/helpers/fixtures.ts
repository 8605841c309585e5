// SPDX-License-Identifier: MIT
/** Loads the scikit-learn fixtures made by scripts/make_fixtures.py. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MatrixF32 } from '../../src/matrix.js';

export interface Labeling {
  name: string;
  k: number;
  labels: number[];
  silhouette: number;
  silhouette_samples: number[];
  calinski_harabasz: number;
  davies_bouldin: number;
  inertia_of_labels: number;
}

export interface SklearnKMeans {
  k: number;
  n_init: number;
  inertia: number;
  n_iter: number;
  centers: number[][];
}

export interface Fixture {
  name: string;
  n: number;
  d: number;
  X: number[][];
  mean_feature_variance: number;
  labelings: Labeling[];
  kmeans?: SklearnKMeans[];
}

export const DATASETS = ['mall', 'ads', 'tiktok', 'wellbeing', 'blobs8', 'blobs_overlap'] as const;

export function loadFixture(name: string): Fixture {
  const url = new URL(`../fixtures/sklearn/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as Fixture;
}

export function fixtureMatrix(f: Fixture): MatrixF32 {
  const data = new Float32Array(f.n * f.d);
  f.X.forEach((row, i) => data.set(row, i * f.d));
  return { data, rows: f.n, cols: f.d };
}
