// SPDX-License-Identifier: MIT
/**
 * The HTML report of a segmentation, as `segments fit` writes report.html and the app downloads
 * it: one self-contained file (charts rendered to SVG ahead of time, no script, no network).
 */
import type { ReadReport } from '../data/readTable.js';
import type { ProfileResult } from '../profile/profile.js';
import { reportFromSegmentation } from '../report/fromSegmentation.js';
import { renderReport } from '../report/renderReport.js';
import type { ReportStructure } from '../report/types.js';
import type { Segmentation } from './segment.js';
import { structureSummary, tentativeNote } from './structure.js';

/** What may differ from the segmentation as the workflow returned it. */
export interface SegmentationReportOptions {
  /** The profiles with the names a person gave (default: the segmentation's). */
  profiles?: ProfileResult;
  /** What reading the file did, when the table was read before `segment()` (the app reads it on load). */
  readReport?: ReadReport | null;
  /** The input's name in the title (default: the segmentation's). */
  fileName?: string;
  onWarning?: (message: string) => void;
}

/** The report of `seg` as one HTML document. */
export async function segmentationReport(seg: Segmentation, options: SegmentationReportOptions = {}): Promise<string> {
  const readReport = options.readReport ?? seg.readReport;
  const input = await reportFromSegmentation(
    {
      fileName: options.fileName ?? seg.input.name,
      table: seg.table,
      ...(readReport === null ? {} : { readReport }),
      schema: seg.schema,
      output: seg.output,
      labels: seg.labels,
      profiles: options.profiles ?? seg.profiles,
      algorithm: { name: seg.algorithm.label, parameters: seg.algorithm.parameters },
      backend: { name: seg.backend.name, reason: seg.backend.reason },
      metrics: seg.metrics.metrics,
      structure: reportStructure(seg),
      ...(seg.search === null ? {} : { chooseK: seg.search }),
    },
    { seed: seg.options.seed, maxFeatures: seg.options.reportFeatures },
  );
  return renderReport(input, { onWarning: options.onWarning ?? (() => {}) });
}

/** The structure check as the report shows it. */
function reportStructure(seg: Segmentation): ReportStructure {
  const note = tentativeNote(seg.structure);
  return { summary: structureSummary(seg.structure), warnings: seg.structure.warnings.map((w) => w.message), ...(note === null ? {} : { namesNote: note }) };
}
