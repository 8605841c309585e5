// SPDX-License-Identifier: MIT
/**
 * Measures k-means inside DuckDB against the in-memory fit on the same rows and the same initial
 * centers: seconds for the pipeline's statistics (SQL vs Pipeline.fit), for storing the features,
 * per Lloyd iteration (a GROUP BY query vs our KMeans on the backend), and the largest center
 * difference after the same iterations; this process's peak RSS after each part.
 *
 *   npx tsx scripts/measure_db_lloyd.ts 'duckdb:users.db?table=users' [k=5] [iterations=10] [backend=wasm]
 *
 * A table of generated users: `segments sample --rows 1000000 --out u.parquet`, then in DuckDB
 * `CREATE TABLE users AS SELECT * FROM read_parquet('u.parquet')`.
 */
import { initBackend } from '../src/backend/backend.js';
import { kmeans } from '../src/algorithms/kmeans.js';
import { inferKinds } from '../src/data/inferKinds.js';
import { Pipeline } from '../src/data/pipeline.js';
import { openDuckDB } from '../src/db/duckdb.js';
import { pullRows } from '../src/db/source.js';
import { fitPipelineInDatabase } from '../src/db/fitPipeline.js';
import { lloydInDatabase, seedOnSample, storeFeatures } from '../src/db/lloyd.js';

const [address, kArg = '5', itArg = '10', backend = 'wasm'] = process.argv.slice(2);
if (address === undefined) throw new Error('usage: measure_db_lloyd.ts <duckdb address> [k] [iterations] [backend]');
const k = Number(kArg);
const iterations = Number(itArg);
const rss = (): string => `${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS`;
const seconds = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const out = await f();
  console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(2)} s (${rss()})`);
  return out;
};

await initBackend(backend as never, { onWarning: () => {} });
const source = await openDuckDB(address);
const sample = await seconds('pull a 10,000-row sample', () => pullRows(source, { sample: 10_000, seed: 42 }));
const schema = inferKinds(sample);
const pipeline = await seconds('pipeline statistics by SQL', () => fitPipelineInDatabase(source, schema, { onWarning: () => {} }));
const features = await seconds('store the features (one pass)', () => storeFeatures(source, pipeline));
console.log(`${features.rows} rows x ${features.cols} features, k = ${k}`);
const init = await seedOnSample(pipeline.transform(sample).matrix, k, 42);
const db = await seconds(`Lloyd in DuckDB, ${iterations} iterations`, () => lloydInDatabase(features, init, { maxIter: iterations, tol: 0 }));
const each = db.iterationSeconds;
console.log(`  per iteration: ${(each.reduce((a, b) => a + b, 0) / each.length).toFixed(3)} s (min ${Math.min(...each).toFixed(3)}, max ${Math.max(...each).toFixed(3)})`);
await features.drop();
const rows = await seconds('pull every row into memory (--pull)', () => pullRows(source));
await source.close();
const memoryPipeline = await seconds('Pipeline.fit in memory', async () => Pipeline.fit(rows, schema, { onWarning: () => {} }));
const x = await seconds('transform in memory', async () => memoryPipeline.transform(rows).matrix);
const memory = await seconds(`KMeans in memory (${backend}), ${iterations} iterations`, () => kmeans(x, { k, init, nInit: 1, refine: false, maxIter: iterations, tol: 0, onWarning: () => {} }));
let worst = 0;
for (let i = 0; i < db.centroids.data.length; i++) worst = Math.max(worst, Math.abs(db.centroids.data[i] - memory.centroids.data[i]));
console.log(`iterations: ${db.nIter} in DuckDB, ${memory.nIter} in memory; largest center difference ${worst.toExponential(2)}; inertia ${db.inertia.toPrecision(8)} vs ${memory.inertia.toPrecision(8)}`);
