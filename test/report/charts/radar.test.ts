// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { radarExtent, wrapLabel } from '../../../src/report/charts/radar.js';

describe('radar chart geometry', () => {
  it('radarExtent rounds the largest |value| up to a half, at least 0.5', () => {
    expect(radarExtent({ features: ['a', 'b', 'c'], series: [{ segment: 0, values: [0.1, -1.2, 0.4] }] })).toBe(1.5);
    expect(radarExtent({ features: ['a', 'b', 'c'], series: [{ segment: 0, values: [0.1, 0, 0.2] }] })).toBe(0.5);
    expect(radarExtent({ features: ['a', 'b', 'c'], series: [{ segment: 0, values: [2, NaN, -1] }] })).toBe(2);
  });

  it('wrapLabel splits a long label at the space nearest its middle', () => {
    expect(wrapLabel('CTR')).toBe('CTR');
    expect(wrapLabel('Time Spent Online (hrs/weekday)')).toEqual(['Time Spent Online', '(hrs/weekday)']);
    expect(wrapLabel('Averyveryverylongword')).toBe('Averyveryverylongword');
    // No space: after the underscore nearest the middle (it printed 'comment_engagement_rat' and '…mment_engagement_r…').
    expect(wrapLabel('comment_engagement_rate')).toEqual(['comment_', 'engagement_rate']);
  });
});
