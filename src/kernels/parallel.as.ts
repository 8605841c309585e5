// SPDX-License-Identifier: MIT
// AssemblyScript entry for the threaded kernels: one function, runChunk, that the calling thread
// and every worker call on jobs the calling thread writes into the shared memory
// (src/kernels/wasm/threads.ts). Nothing here allocates: only the calling thread does.
import { lloydBoundedChunk, lloydChunk, pointDistancesChunk } from './lloydStep/lloydStep.as';
import { silhouetteChunk } from './silhouetteTile/silhouetteTile.as';
import { multiSumsChunk, sumsChunk } from './silhouetteSums/silhouetteSums.as';
import { radiusCountsChunk, radiusPairsChunk } from './radiusCounts/radius.as';
import { meanShiftChunk } from './meanShiftStep/meanShiftStep.as';

/** Job kinds: the first i32 of a job. Keep in step with src/kernels/wasm/threads.ts. */
const LLOYD_STEP = 1;
const SILHOUETTE_TILE = 2;
const SILHOUETTE_SUMS = 3;
const RADIUS_COUNTS = 4;
const RADIUS_PAIRS = 5;
const MEAN_SHIFT_STEP = 6;
const LLOYD_BOUNDED = 7;
const POINT_DISTANCES = 8;
const SILHOUETTE_SUMS_MULTI = 9;

/** Runs chunk `chunk` of the job at `job`; an unknown kind traps (unreachable). */
export function runChunk(job: usize, chunk: i32): void {
  const kind = load<i32>(job);
  if (kind == LLOYD_STEP) lloydChunk(job, chunk);
  else if (kind == SILHOUETTE_TILE) silhouetteChunk(job, chunk);
  else if (kind == SILHOUETTE_SUMS) sumsChunk(job, chunk);
  else if (kind == RADIUS_COUNTS) radiusCountsChunk(job, chunk);
  else if (kind == RADIUS_PAIRS) radiusPairsChunk(job, chunk);
  else if (kind == MEAN_SHIFT_STEP) meanShiftChunk(job, chunk);
  else if (kind == LLOYD_BOUNDED) lloydBoundedChunk(job, chunk);
  else if (kind == POINT_DISTANCES) pointDistancesChunk(job, chunk);
  else if (kind == SILHOUETTE_SUMS_MULTI) multiSumsChunk(job, chunk);
  else unreachable();
}
