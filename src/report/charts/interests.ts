// SPDX-License-Identifier: MIT
/** Top items of a list column (interests) per segment: one small bar chart per segment. */
import type { TopLevelSpec } from 'vega-lite';
import { formatLift, formatShare } from '../format.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportInterests } from '../types.js';

/** At most this many items are drawn per segment. */
export const MAX_ITEMS = 10;

/**
 * The Vega-Lite spec of the top-items chart: one panel per segment (its own data and item axis),
 * segments in list order, three to a row.
 */
export function interestsSpec(interests: ReportInterests, styles: SegmentStyles): TopLevelSpec {
  const values = interests.segments.flatMap((s) => {
    const style = styles.get(s.segment, 'interests.segments[].segment');
    return s.items.slice(0, MAX_ITEMS).map((it, rank) => ({
      label: style.label,
      // Items repeat across segments; the key keeps each segment's own order in its own panel.
      key: `${String(rank).padStart(3, '0')} ${it.item}`,
      item: it.item,
      share: it.share,
      text: it.lift === undefined ? formatShare(it.share) : `${formatShare(it.share)} ${formatLift(it.lift)}`,
    }));
  });
  const tooltip = [
    { field: 'label', title: 'segment' },
    { field: 'item', title: interests.column },
    { field: 'text', title: 'share (lift)' },
  ];
  const panels = styles.list
    .filter((st) => values.some((v) => v.label === st.label))
    .map((st) => ({
      data: { values: values.filter((v) => v.label === st.label) },
      title: { text: st.label, fontSize: 12, fontWeight: 600, limit: 230 },
      width: 130,
      height: { step: 15 },
      encoding: {
        y: { field: 'key', type: 'nominal', sort: 'ascending', title: null, axis: { labelExpr: 'slice(datum.label, 4)', labelLimit: 190, labelFontSize: 10 } },
        x: { field: 'share', type: 'quantitative', title: 'share listing it', axis: { format: '.0%', tickCount: 3 }, scale: { domain: [0, 1] } },
      },
      layer: [
        { mark: { type: 'bar' }, encoding: { color: { field: 'label', type: 'nominal', scale: { domain: styles.labels, range: styles.colors }, legend: null }, tooltip } },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, aria: false }, encoding: { text: { field: 'text' }, tooltip } },
      ],
    }));
  return {
    config: VEGA_LITE_CONFIG,
    concat: panels,
    columns: 3,
    spacing: { row: 16, column: 24 },
    resolve: { scale: { color: 'shared' } },
} as TopLevelSpec;
}
