// SPDX-License-Identifier: MIT
/**
 * What the HTML report of a segmentation shows, as plain data (no chart drawn yet): the segments,
 * metrics, k search, scatter, distributions and profiles that `renderReport` turns into HTML.
 * Kept apart from the rendering so that the data can be gathered where the table lives and the
 * charts drawn elsewhere (`segments fit` draws them on a worker thread, see reportThread.ts).
 */
import { kDistanceCurve } from '../algorithms/epsHelp.js';
import type { ReadReport } from '../data/readTable.js';
import type { ProfileResult } from '../profile/profile.js';
import { reportFigures, withMetrics } from '../report/fromSegmentation.js';
import type { ReportInput, ReportKDistance, ReportStructure } from '../report/types.js';
import { labelledParameters } from './parameterLabels.js';
import type { SegmentsFound, SegmentsProfiled } from './segment.js';
import { structureSummary, tentativeNote } from './structure.js';

/** What may differ from the segmentation as the workflow returned it. */
export interface SegmentationReportOptions {
  /** The profiles with the names a person gave (default: the segmentation's). */
  profiles?: ProfileResult;
  /** What reading the file did, when the table was read before `segment()` (the app reads it on load). */
  readReport?: ReadReport | null;
  /** The input's name in the title (default: the file name of the segmentation's input, without its folders). */
  fileName?: string;
  onWarning?: (message: string) => void;
}

/**
 * A path's last part (either separator): a report is shared, and the folders of the machine that
 * wrote it are nobody else's business ('/home/ana/exports/users.csv' is 'users.csv').
 */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * The report input of `seg` (a segmentation, or what `onSegments` is told before the model step):
 * every figure and table the report shows, not yet rendered. A DBSCAN run's report also has the
 * k-distance curve of sampled rows (k = its minSamples; 1,000 rows, fewer for large files:
 * kDistanceCurve), with the eps it used.
 */
export async function segmentationReportInput(seg: SegmentsFound, options: SegmentationReportOptions = {}): Promise<ReportInput> {
  return withSegmentationMetrics(await segmentationFigures(seg, options), seg);
}

/**
 * The report input of `seg` before its metrics (what `onProfiles` is told): every figure but the
 * silhouette plot, the metrics and the structure check, which {@link withSegmentationMetrics} adds.
 */
export async function segmentationFigures(seg: SegmentsProfiled, options: SegmentationReportOptions = {}): Promise<ReportInput> {
  const readReport = options.readReport ?? seg.readReport;
  let kDistance: ReportKDistance | null = null;
  if (seg.algorithm.id === 'dbscan') {
    const curve = await kDistanceCurve(seg.output.matrix, { minSamples: seg.options.minSamples, seed: seg.options.seed });
    kDistance = { k: curve.k, distances: curve.distances, sampledRows: curve.sampledRows, totalRows: curve.totalRows, kneeIndex: curve.kneeIndex, eps: seg.options.eps };
  }
  return reportFigures(
    {
      fileName: options.fileName ?? baseName(seg.input.name),
      table: seg.table,
      ...(readReport === null ? {} : { readReport }),
      schema: seg.schema,
      output: seg.output,
      labels: seg.labels,
      profiles: options.profiles ?? seg.profiles,
      algorithm: { name: seg.algorithm.label, parameters: labelledParameters(seg.algorithm.parameters) },
      backend: { name: seg.backend.name, reason: seg.backend.reason },
      ...(seg.search === null ? {} : { chooseK: seg.search }),
      ...(kDistance === null ? {} : { kDistance }),
    },
    { seed: seg.options.seed, maxFeatures: seg.options.reportFeatures },
  );
}

/** `figures` (from {@link segmentationFigures}) with `seg`'s metrics, silhouette plot and structure check. */
export function withSegmentationMetrics(figures: ReportInput, seg: Pick<SegmentsFound, 'metrics' | 'structure'>): ReportInput {
  return withMetrics(figures, { metrics: seg.metrics.metrics, silhouetteRows: seg.metrics.silhouetteRows, structure: reportStructure(seg) });
}

/** The structure check as the report shows it. */
function reportStructure(seg: Pick<SegmentsFound, 'structure'>): ReportStructure {
  const note = tentativeNote(seg.structure);
  return { summary: structureSummary(seg.structure), warnings: seg.structure.warnings.map((w) => w.message), ...(note === null ? {} : { namesNote: note }) };
}
