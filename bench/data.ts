// SPDX-License-Identifier: MIT
/**
 * The bench's data: Gaussian blobs generated deterministically from a seed (src/random.ts,
 * Box-Muller), written once per size as raw little-endian files that both workers read, so ours
 * and scikit-learn cluster the very same bytes.
 *
 *   <name>.x.f32       [n, d] float32, row-major
 *   <name>.labels.i32  [n] int32, the blob each row was drawn from (the silhouette's labels)
 *   <name>.init.f32    [k, d] float32, k distinct rows of X (the shared k-means init)
 *   <name>.json        what generated them
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/random.js';

/** Bump when the generator changes, so stale cache files are not reused. */
const GENERATOR_VERSION = 1;

export const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '.cache');

export interface BlobSpec {
  n: number;
  d: number;
  /** Number of blobs, and of k-means clusters. */
  k: number;
  seed: number;
  /** Blob centers are uniform in [-centerBox, centerBox]^d (scikit-learn make_blobs: 10). */
  centerBox: number;
  /** Standard deviation of every blob. */
  std: number;
}

export interface Dataset {
  spec: BlobSpec;
  name: string;
  xPath: string;
  labelsPath: string;
  initPath: string;
  metaPath: string;
}

export function datasetName(s: BlobSpec): string {
  return `blobs-v${GENERATOR_VERSION}-n${s.n}-d${s.d}-k${s.k}-std${s.std}-box${s.centerBox}-seed${s.seed}`;
}

/** Paths of the dataset for `spec`, generating and writing it first when it is not cached. */
export function ensureDataset(spec: BlobSpec, dir = CACHE_DIR): Dataset {
  const name = datasetName(spec);
  const base = join(dir, name);
  const ds: Dataset = {
    spec,
    name,
    xPath: `${base}.x.f32`,
    labelsPath: `${base}.labels.i32`,
    initPath: `${base}.init.f32`,
    metaPath: `${base}.json`,
  };
  // The meta file is written last, so its presence means the other three are complete.
  if (existsSync(ds.metaPath)) return ds;
  mkdirSync(dir, { recursive: true });
  const { x, labels, init, centers } = generateBlobs(spec);
  writeAtomic(ds.xPath, x);
  writeAtomic(ds.labelsPath, labels);
  writeAtomic(ds.initPath, init);
  const meta = { ...spec, generatorVersion: GENERATOR_VERSION, centers: Array.from(centers), files: { x: ds.xPath, labels: ds.labelsPath, init: ds.initPath } };
  writeFileSync(ds.metaPath, `${JSON.stringify(meta, null, 1)}\n`);
  return ds;
}

function writeAtomic(path: string, a: Float32Array | Int32Array): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('bench data: this host is big-endian; the files are little-endian');
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  renameSync(tmp, path);
}

/**
 * n rows from k isotropic Gaussian blobs (each row's blob uniform at random), k distinct rows as
 * the initial centers. One Random stream, so a spec always gives the same bytes.
 */
export function generateBlobs(spec: BlobSpec): { x: Float32Array; labels: Int32Array; init: Float32Array; centers: Float64Array } {
  const { n, d, k, seed, centerBox, std } = spec;
  const rng = new Random(seed);
  const centers = new Float64Array(k * d);
  for (let i = 0; i < centers.length; i++) centers[i] = (2 * rng.next() - 1) * centerBox;
  const labels = new Int32Array(n);
  const x = new Float32Array(n * d);
  let spare: number | null = null;
  const gauss = (): number => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const u1 = 1 - rng.next(); // (0, 1]: log is finite
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centers[c * d + j] + std * gauss();
  }
  const picks = rng.sample(n, k);
  const init = new Float32Array(k * d);
  for (let c = 0; c < k; c++) init.set(x.subarray(picks[c] * d, (picks[c] + 1) * d), c * d);
  return { x, labels, init, centers };
}

/** Reads a dataset's files back (the worker's side). */
export function readDataset(ds: Pick<Dataset, 'xPath' | 'labelsPath' | 'initPath'>, n: number, d: number, k: number): { x: Float32Array; labels: Int32Array; init: Float32Array } {
  const x = readTyped(ds.xPath, Float32Array, n * d);
  const labels = readTyped(ds.labelsPath, Int32Array, n);
  const init = readTyped(ds.initPath, Float32Array, k * d);
  return { x, labels, init };
}

function readTyped<T extends Float32Array | Int32Array>(path: string, Ctor: { new (b: ArrayBuffer): T }, length: number): T {
  const buf = readFileSync(path);
  if (buf.byteLength !== length * 4) throw new Error(`bench data: ${path} has ${buf.byteLength} bytes, expected ${length * 4}`);
  // Copy into a fresh, aligned ArrayBuffer (a Buffer may sit at any offset of a shared pool).
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  return new Ctor(ab);
}
