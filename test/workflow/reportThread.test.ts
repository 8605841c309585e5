import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportThread, type ReportThread } from '../../src/workflow/reportThread.js';
import { segmentationReport } from '../../src/workflow/report.js';
import { segment, type SegmentsProfiled } from '../../src/workflow/segment.js';

describe('startReportThread', () => {
  // One worker thread for the first two specs: from the sources it loads them through tsx, which
  // takes seconds; the second spec's prepare and begin run on the thread the first has used.
  let thread: ReportThread;
  beforeAll(() => {
    thread = startReportThread({ workerFromSources: true });
  });
  afterAll(async () => {
    await thread.close();
  });

  it('draws on its worker thread the same report as segmentationReport draws here', async () => {
    const seg = await segment({ sample: { rows: 600 } }, { k: 3, nInit: 1, backend: 'wasm' });
    const threadWarnings: string[] = [];
    const hereWarnings: string[] = [];
    const drawn = await thread.render(seg, { onWarning: (m) => threadWarnings.push(m) });
    const here = await segmentationReport(seg, { onWarning: (m) => hereWarnings.push(m) });
    expect(drawn.length).toBeGreaterThan(10_000);
    expect(drawn).toContain('<svg');
    expect(drawn).toBe(here);
    expect(threadWarnings).toEqual(hereWarnings);
    // A second report on the same thread.
    const again = await thread.render(seg, { fileName: 'other name.csv' });
    expect(again).toContain('other name.csv');
    // begin: the figures handed over first, the same report drawn.
    const begun = await thread.begin(seg);
    expect(await begun.html).toBe(here);
  });

  it('prepare then begin: the charts drawn from the figures ahead of the metrics, the same report as drawn here; a begin of other labels ignores what was prepared', async () => {
    let profiled: SegmentsProfiled | null = null;
    const seg = await segment({ sample: { rows: 600 } }, { k: 3, nInit: 1, backend: 'wasm', onProfiles: (p) => void (profiled = p) });
    const other = await segment({ sample: { rows: 600 } }, { k: 4, nInit: 1, backend: 'wasm' });
    const warnings: string[] = [];
    await thread.prepare(profiled as unknown as SegmentsProfiled, { onWarning: (m) => warnings.push(m) });
    const begun = await thread.begin(seg, { onWarning: (m) => warnings.push(m) });
    const hereWarnings: string[] = [];
    expect(await begun.html).toBe(await segmentationReport(seg, { onWarning: (m) => hereWarnings.push(m) }));
    expect(warnings).toEqual(hereWarnings);
    // prepared for seg, begun for other: other's report, not seg's figures with other's metrics
    await thread.prepare(profiled as unknown as SegmentsProfiled);
    expect(await (await thread.begin(other)).html).toBe(await segmentationReport(other));
    // and what was prepared is used once: the next begin of seg gathers its figures again
    expect(await (await thread.begin(seg)).html).toBe(await segmentationReport(seg));
  });

  it('fails a render on a closed thread with a SegmentsError, not a hang', async () => {
    const seg = await segment({ sample: { rows: 200 } }, { k: 2, nInit: 1, backend: 'wasm' });
    const closed = startReportThread({ workerFromSources: true });
    await closed.close();
    await expect(closed.render(seg)).rejects.toThrow(/report thread: stopped/);
  });

  it('draws on the calling thread when run from the sources, unless asked for the worker', async () => {
    const seg = await segment({ sample: { rows: 300 } }, { k: 2, nInit: 1, backend: 'wasm' });
    const thread = startReportThread();
    try {
      expect(await thread.render(seg)).toBe(await segmentationReport(seg));
    } finally {
      await thread.close();
    }
    await expect(thread.render(seg)).rejects.toThrow(/report thread: stopped/);
    await expect((await thread.begin(seg)).html).rejects.toThrow(/report thread: stopped/);
  });
});
