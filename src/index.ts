// SPDX-License-Identifier: MIT
/** The public API of `segments`: re-exports only. */
export {
  initBackend,
  currentBackend,
  deviceFacts,
  fallbackChain,
  BACKEND_NAMES,
  type BackendName,
  type BackendChoice,
  type BackendInfo,
  type DeviceFacts,
  type InitBackendOptions,
} from './backend/backend.js';
export { withBackendFallback } from './backend/fallback.js';
export { SegmentsError, ParameterError, DataError, NotFittedError, BackendUnavailableError } from './errors.js';
export { toMatrix, type Matrix, type MatrixF32, type MatrixLike } from './matrix.js';
export { Random } from './random.js';
export { KMeans, kmeans, type KMeansOptions, type KMeansResult, type KMeansInit, type Prediction } from './algorithms/kmeans.js';
export { silhouette, silhouetteScore, silhouetteSamples, type SilhouetteOptions, type SilhouetteResult } from './metrics/silhouette.js';
export { calinskiHarabasz } from './metrics/calinskiHarabasz.js';
export { daviesBouldin } from './metrics/daviesBouldin.js';
export { inertia, type InertiaOptions } from './metrics/inertia.js';
export { defineKernel, listKernels, type Kernel } from './kernels/registry.js';
export { pairwiseSqDist } from './kernels/pairwiseSqDist.js';
export { assignNearest } from './kernels/assignNearest.js';
export { clusterSums, addRuns } from './kernels/clusterSums.js';
export { lloydStep } from './kernels/lloydStep.js';
export { silhouetteTile } from './kernels/silhouetteTile.js';
export { nearestTwo } from './kernels/nearestTwo.js';
export { distToAssigned } from './kernels/distToAssigned.js';
export { uploadRows, uploadPerRow, disposeBlocks, tileRows, type RowBlock } from './kernels/tiling.js';
export { plantedSample, type PlantedSample, type PlantedSampleOptions } from './data/plantedSample.js';
