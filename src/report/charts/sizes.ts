// SPDX-License-Identifier: MIT
/** Segment sizes: one horizontal bar per segment, labelled with its share. */
import type { TopLevelSpec } from 'vega-lite';
import { formatNumber, formatShare } from '../format.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportSegment } from '../types.js';

/** The Vega-Lite spec of the segment sizes bar chart, segments in list order. */
export function sizesSpec(segments: readonly ReportSegment[], styles: SegmentStyles): TopLevelSpec {
  const values = segments.map((s) => {
    const style = styles.get(s.id, 'segments');
    return { label: style.label, size: s.size, share: s.share, text: `${formatNumber(s.size)} · ${formatShare(s.share)}` };
  });
  return {
    config: VEGA_LITE_CONFIG,
    data: { values },
    width: 460,
    height: { step: 26 },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: styles.labels, title: null, axis: { labelFontSize: 12 } },
      x: { field: 'size', type: 'quantitative', title: 'rows', axis: { format: '~s', grid: true } },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          color: { field: 'label', type: 'nominal', scale: { domain: styles.labels, range: styles.colors }, legend: null },
          tooltip: [
            { field: 'label', title: 'segment' },
            { field: 'size', title: 'rows', format: ',' },
            { field: 'share', title: 'share', format: '.1%' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, aria: false }, encoding: { text: { field: 'text' }, tooltip: null } },
    ],
  } as TopLevelSpec;
}
