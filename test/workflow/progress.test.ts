// SPDX-License-Identifier: MIT
/** ProgressTracker: the share of the whole job from step weights, by hand; timings per step; cancellation at a report. */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { ProgressTracker, type SegmentProgress } from '../../src/workflow/progress.js';

describe('ProgressTracker', () => {
  it('weighs the steps that run: read 0.15 and metrics 0.08 of 0.23 in all', () => {
    const seen: SegmentProgress[] = [];
    const t = new ProgressTracker(['read', 'metrics'], (p) => seen.push(p), undefined);
    t.start('read', 'reading');
    t.update(0.5, 'half read');
    t.start('metrics', 'metrics');
    t.update(0.5, 'half the metrics');
    t.update(1, 'done');
    const timings = t.finish();
    expect(seen.map((p) => p.fraction)).toEqual([0, 0.15 / 0.23 / 2, 0.15 / 0.23, 0.15 / 0.23 + 0.08 / 0.23 / 2, 1].map((f) => expect.closeTo(f, 12)));
    expect(seen.map((p) => p.step)).toEqual(['read', 'read', 'metrics', 'metrics', 'metrics']);
    expect(seen[0].secondsLeft).toBeNull();
    expect(seen.at(-1)?.secondsLeft).toBe(0);
    expect(timings.map((s) => s.step)).toEqual(['read', 'metrics']);
  });

  it('never goes back, and throws a CancelledError at the first report after an abort', () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const t = new ProgressTracker(['read', 'fit'], (p) => seen.push(p.fraction), controller.signal, 'test');
    t.start('read', 'reading');
    t.update(1, 'read');
    t.update(0.2, 'a step that reports less');
    expect(seen.at(-1)).toBeCloseTo(0.15 / 0.3, 12);
    controller.abort();
    expect(() => t.update(1, 'more')).toThrow(CancelledError);
    expect(() => t.start('fit', 'fitting')).toThrow(/test: cancelled/);
  });
});
