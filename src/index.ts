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
export { decideGpu, hardwareCandidates, type GpuProbe, type Calibration, type GpuDecision, type GpuBackendName } from './backend/autoChoice.js';
export { softwareRendererName } from './backend/software.js';
export { probeWebGl, type WebGlRenderer } from './backend/webglRenderer.js';
export { SegmentsError, ParameterError, DataError, NotFittedError, BackendUnavailableError, CancelledError, throwIfCancelled, withDetail } from './errors.js';
export { selectRows, toMatrix, type Matrix, type MatrixF32, type MatrixLike } from './matrix.js';
export { Random } from './random.js';
export { KMeans, kmeans, type KMeansOptions, type KMeansResult, type KMeansInit } from './algorithms/kmeans.js';
export type { ClusteringResult, Prediction } from './algorithms/result.js';
export { silhouette, silhouetteScore, silhouetteSamples, type SilhouetteOptions, type SilhouetteResult } from './metrics/silhouette.js';
export { calinskiHarabasz } from './metrics/calinskiHarabasz.js';
export { clusterIndices } from './metrics/clusterIndices.js';
export { daviesBouldin } from './metrics/daviesBouldin.js';
export { inertia, type InertiaOptions } from './metrics/inertia.js';
export { adjustedRandIndex } from './metrics/adjustedRand.js';
export { defineKernel, listKernels, type Kernel } from './kernels/shared/registry.js';
export { pairwiseSqDist } from './kernels/pairwiseSqDist/index.js';
export { assignNearest } from './kernels/assignNearest/index.js';
export { clusterSums, addRuns } from './kernels/clusterSums/index.js';
export { lloydStep } from './kernels/lloydStep/index.js';
export { silhouetteTile } from './kernels/silhouetteTile/index.js';
export { nearestTwo } from './kernels/nearestTwo/index.js';
export { distToAssigned } from './kernels/distToAssigned/index.js';
export { uploadRows, uploadPerRow, disposeBlocks, tileRows, type RowBlock } from './kernels/shared/tiling.js';
export { plantedSample, type PlantedSample, type PlantedSampleOptions } from './data/plantedSample.js';
export { COLUMN_KINDS, type ColumnKind, type ColumnInfo, type RangeLevel, type Schema, type NumberFormat } from './data/schema.js';
export {
  readTable,
  readNotes,
  formatFromMagic,
  formatFromName,
  type ReadReport,
  type BadRow,
  type ReadTableOptions,
  type TableSource as ReadSource,
  type TableFormat,
} from './data/readTable.js';
export { readCsv, csvBatches, CsvError, DEFAULT_NULL_VALUES, type CsvOptions, type CsvColumnType } from './data/csv.js';
export { readArrow, arrowBatches, type ArrowOptions } from './data/arrow.js';
export { readParquet, parquetBatches, type ParquetOptions, type AsyncBuffer } from './data/parquet.js';
export { inferKinds, parseFormattedNumber, type InferOptions } from './data/inferKinds.js';
export { parseNumber, detectNumberFormat, describeNumberFormat, readNumberColumn, type DetectedFormat } from './data/numberFormat.js';
export { TEXT_ENCODINGS, type TextEncodingName } from './data/encoding.js';
export { parseRange, orderLevels } from './data/ranges.js';
export { Scaler, fitColumnScale, percentile, SCALER_METHODS, type ScalerMethod, type ScalerOptions, type ScalerJSON } from './data/scalers.js';
export { OneHotEncoder, OrdinalEncoder, MultiHotEncoder, FlagEncoder, encoderFromJSON, OTHER, type EncoderJSON } from './data/encoders.js';
export { MedianImputer, MostFrequentImputer } from './data/impute.js';
export {
  Pipeline,
  outputTensor,
  PIPELINE_VERSION,
  type PipelineOptions,
  type PipelineOutput,
  type PipelineJSON,
  type TransformReport,
  type ColumnStep,
  type BadCell,
} from './data/pipeline.js';
export { takeRows } from './data/takeRows.js';
export {
  writeTable,
  writeCsv,
  writeArrow,
  writeParquet,
  type TableSource as WriteSource,
  type WriteTarget,
  type WriteFormat,
  type WriteResult,
  type ByteSink,
} from './data/writers.js';
export {
  generateSample,
  sampleBatches,
  sampleTable,
  sampleSchema,
  SAMPLE_COLUMNS,
  SAMPLE_KINDS,
  SAMPLE_SEGMENT_NAMES,
  type SampleOptions,
  type SampleChunk,
} from './data/sampleGenerator.js';
export {
  profileSegments,
  PROFILED_KINDS,
  type ProfileOptions,
  type ProfileResult,
  type SegmentProfile,
  type PopulationProfile,
  type ColumnStats,
} from './profile/profile.js';
export { renameSegments } from './profile/rename.js';
export { readableColumn } from './profile/readable.js';
export type { NumericStats } from './profile/numericStats.js';
export type { CategoryStats } from './profile/categoryStats.js';
export type { RangeStats } from './profile/rangeStats.js';
export type { ListStats } from './profile/listStats.js';
export type { ValueShare } from './profile/valueCounts.js';
export type { DistinctiveFeature, NumericFeature, ValueFeature } from './profile/distinctive.js';
export { MeanShift, meanShift, type MeanShiftOptions, type MeanShiftResult, type MeanShiftKernel } from './algorithms/meanShift.js';
export { DBSCAN, dbscan, type DBSCANOptions, type DBSCANResult, type DBSCANPrediction } from './algorithms/dbscan.js';
export { estimateBandwidth, type EstimateBandwidthOptions } from './algorithms/estimateBandwidth.js';
export { meanShiftStep, type WeightedBlock, type MeanShiftStepResult } from './kernels/meanShiftStep/index.js';
export { radiusCounts, radiusOperands } from './kernels/radiusCounts/index.js';
export { radiusPairs, forEachPair, PAIR_BITS } from './kernels/radiusPairs/index.js';
export { kthNearest } from './kernels/kthNearest/index.js';
export { setWasmThreads, wasmThreadStats, stopWasmThreads, type WasmThreadStats, type WasmThreadOptions } from './kernels/wasm/threads.js';
export { PCA, pca, type PCAOptions, type PCAResult } from './algorithms/pca.js';
export {
  chooseK,
  recommendK,
  type ChooseKOptions,
  type ChooseKResult,
  type ChooseKProgress,
  type KScore,
  type Recommendation,
} from './algorithms/chooseK.js';
export { kneedle, type KneedleOptions, type KneedleResult, type KneeCurve, type KneeDirection } from './algorithms/kneedle.js';
export { kDistanceCurve, kneeOf, type KDistanceCurve, type KDistanceOptions } from './algorithms/epsHelp.js';
export { symmetricEigen, type SymmetricEigen } from './linalg/symmetricEigen.js';
export { gram, gramFloatsPerRow } from './kernels/gram/index.js';
export { project } from './kernels/project/index.js';
export { Agglomerative, agglomerative } from './algorithms/agglomerative.js';
export type { AgglomerativeOptions, AgglomerativeResult, Cut, Linkage, MergeTree } from './algorithms/agglomerative.js';
export { renderReport, REPORT_CHARTS, type ReportChart } from './report/renderReport.js';
export type {
  ReportInput,
  ReportSegment,
  ReportDataset,
  ReportAlgorithm,
  ReportBackend,
  ReportMetric,
  ReportElbow,
  ReportScatter,
  ReportRadar,
  ReportDistribution,
  ReportNumericDistribution,
  ReportCategoricalDistribution,
  ReportCorrelation,
  ReportInterests,
  ReportProfile,
  ReportNumericProfile,
  ReportCategoricalProfile,
  RenderReportOptions,
} from './report/types.js';
export { correlationMatrix } from './report/correlation.js';
export { histogramBySegment, categoryCountsBySegment, type HistogramOptions, type CategoryCountOptions } from './report/histogram.js';
export { sampleScatter, type SampleScatterOptions } from './report/sampleScatter.js';
export { radarValues, type RadarValuesOptions } from './report/radarValues.js';
export { escapeHtml } from './report/escape.js';
export {
  SegmentationModel,
  defaultSegmentName,
  type SegmentInfo,
  type TrainingInfo,
  type NameSource,
  type SegmentNames,
  type ModelParts,
  type FromFitOptions,
  type FromStateOptions,
} from './model/model.js';
export { ModelError } from './model/modelError.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, LIBRARY_VERSION } from './model/version.js';
export {
  ALGORITHM_NAMES,
  NOISE,
  meanShiftState,
  dbscanState,
  type AlgorithmName,
  type AlgorithmState,
  type KMeansState,
  type MeanShiftState,
  type DBSCANState,
} from './model/state.js';
export type { ModelJSON, AlgorithmStateJSON, ColumnInfoJSON } from './model/serialize.js';
export { predictTable, UNASSIGNED, type ModelPrediction, type PredictOptions, type PredictBadRows, type PredictBadRow } from './model/predict.js';
export { withSegments, SEGMENT_COLUMNS, type WithSegmentsOptions } from './model/withSegments.js';
export { saveModel, loadModel, parseModel, stringifyModel } from './model/file.js';
export { modelToSQL, DEFAULT_TABLE, SQL_OUTPUT_COLUMNS, type ToSQLOptions } from './model/sql/compile.js';
export { DIALECT_NAMES, type DialectName } from './model/sql/dialects.js';
export { columnsSQL, checkColumns } from './model/sql/columns.js';
// k-means inside DuckDB or PostgreSQL (Node only: @duckdb/node-api and pg are loaded when a source is opened).
export { fitInDatabase, clusterIndicesInDatabase, DEFAULT_SAMPLE_ROWS, type DbFit, type DbFitOptions, type DbFitMetrics } from './db/fit.js';
export { openDuckDB, parseDuckDBAddress, isDuckDBAddress, DEFAULT_DUCKDB_MEMORY_LIMIT, type DuckDBAddress, type DuckDBOptions } from './db/duckdb.js';
export { openPostgres, parsePostgresAddress, isPostgresAddress, type PostgresAddress } from './db/postgres.js';
export { openSource, isDatabaseAddress, describeAddress } from './db/open.js';
export { pullRows, countRows, type DbSource, type DbColumn } from './db/source.js';
export { fitPipelineInDatabase } from './db/fitPipeline.js';
export { lloydInDatabase, storeFeatures, seedOnSample, type DbFeatures, type DbLloydOptions, type DbLloydResult } from './db/lloyd.js';
export {
  SpectralClustering,
  spectralClustering,
  type SpectralClusteringOptions,
  type SpectralClusteringResult,
  type SpectralAffinity,
} from './algorithms/spectral.js';
export { lanczosLargest, type SymmetricOperator, type LanczosOptions, type LanczosResult } from './linalg/lanczos.js';
export { knn, type Knn } from './kernels/knn/index.js';
export { rbfTile, rbfProduct } from './kernels/rbfProduct/index.js';
export { reportFromSegmentation, type SegmentationParts, type FromSegmentationOptions } from './report/fromSegmentation.js';
export {
  modelFromResult,
  segmentMeans,
  PREDICT_NOTES,
  type AlgorithmFit,
  type FittedAlgorithm,
  type ModelFromResultOptions,
  type ModelFromResult,
} from './model/fromResult.js';
export { segmentationMetrics, type SegmentationMetrics, type SegmentationMetricsOptions } from './report/segmentationMetrics.js';
export { silhouetteSums } from './kernels/silhouetteSums/index.js';
export { lloydSums, type LloydSumsResult } from './kernels/lloydSums/index.js';
export { segment, type Segmentation, type SegmentInput, type SegmentHooks, type SegmentsFound, type SegmentsProfiled } from './workflow/segment.js';
export { resolveOptions, type SegmentOptions, type ResolvedOptions } from './workflow/options.js';
export { WORKFLOW_DEFAULTS, WORKFLOW_ALGORITHMS, ALGORITHM_LABELS, DEFAULT_FIXED_K, defaultsTable, optionsFor, type WorkflowAlgorithm } from './workflow/defaults.js';
export { SEGMENT_STEPS, type SegmentProgress, type SegmentStep, type StepTiming } from './workflow/progress.js';
export { segmentationReport, type SegmentationReportOptions } from './workflow/report.js';
export { checkStructure, structureSummary, tentativeNote, type StructureCheck, type StructureWarning } from './workflow/structure.js';
export { densityHelp, type DensityHelp, type DensityHelpOptions } from './workflow/densityHelp.js';
