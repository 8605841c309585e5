// SPDX-License-Identifier: MIT
/**
 * The HTML report of a segmentation, as `segments fit` writes report.html and the app downloads
 * it: one self-contained file (charts rendered to SVG ahead of time, no script, no network).
 */
import { renderReport } from '../report/renderReport.js';
import { segmentationReportInput, type SegmentationReportOptions } from './reportInput.js';
import type { SegmentsFound } from './segment.js';

export type { SegmentationReportOptions };

/** The report of `seg` (a segmentation, or what `onSegments` is told) as one HTML document. */
export async function segmentationReport(seg: SegmentsFound, options: SegmentationReportOptions = {}): Promise<string> {
  const input = await segmentationReportInput(seg, options);
  return renderReport(input, { onWarning: options.onWarning ?? (() => {}) });
}
