// SPDX-License-Identifier: MIT
/**
 * What the member table's specs share (selection.test.ts, largeFile.test.ts): a CSV file's rows as
 * its text has them, to compare the rows the page lists with; and reading the page's member table
 * (its count, the rows drawn, a scroll that waits for the rows to be filled in).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The fields of a CSV line (RFC 4180: a quoted field may hold commas and doubled quotes; no line breaks in the files here). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unclosed quote in ${line}`);
        text += line.slice(i, q);
        if (line[q + 1] === '"') {
          text += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(text);
    } else {
      const c = line.indexOf(',', i);
      out.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** A CSV file's header and rows, as its text has them. */
export function csvRows(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trimEnd().split(/\r?\n/);
  return { header: csvFields(lines[0]), rows: lines.slice(1).map(csvFields) };
}

/** Whether two cells say the same: equal numbers when both are numbers ('0001' and '1'), else equal text. */
export function sameCell(shown: string, raw: string): boolean {
  if (shown === raw) return true;
  return raw.trim() !== '' && shown.trim() !== '' && Number.isFinite(Number(raw)) && Number(shown) === Number(raw);
}

/** Waits for the member table to answer its query; its count and total. */
export async function listed(page: Page, segmentId: number | null, search = ''): Promise<{ count: number; total: number }> {
  await page.waitForFunction(
    ([s, q]) => {
      const box = document.querySelector('[data-testid="members"]') as HTMLElement | null;
      const c = document.querySelector('[data-testid="members-count"]') as HTMLElement | null;
      const input = document.querySelector('[data-testid="members-search"]') as HTMLInputElement | null;
      return box?.dataset.state === 'ready' && c?.dataset.segment === s && input?.value === q && (q === '' || (c.textContent ?? '').includes(q));
    },
    [segmentId === null ? '' : String(segmentId), search] as const,
    { timeout: 60_000 },
  );
  const count = Number(await page.getAttribute('[data-testid="members-count"]', 'data-count'));
  const total = Number(await page.getAttribute('[data-testid="members-count"]', 'data-total'));
  return { count, total };
}

/** The member rows drawn and filled in, in order of position: file row number and cells. */
export async function drawnRows(page: Page): Promise<Array<{ index: number; row: number; cells: string[] }>> {
  const rows = await page.$$eval('.members-body .members-row:not([hidden])[data-row]', (els) =>
    els.map((e) => ({ index: Number((e as HTMLElement).dataset.index), row: Number((e as HTMLElement).dataset.row), cells: Array.from(e.children, (c) => c.textContent ?? '') })),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/** Scrolls the member table to `top` and waits until the rows there are filled in. */
export async function scrollTo(page: Page, top: number | 'end'): Promise<void> {
  await page.$eval('[data-testid="members-scroll"]', (el, t) => (el.scrollTop = t === 'end' ? el.scrollHeight : t), top);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="members-scroll"]') as HTMLElement;
    const box = el.getBoundingClientRect();
    const rows = Array.from(el.querySelectorAll<HTMLElement>('.members-body .members-row:not([hidden])')).filter((r) => {
      const b = r.getBoundingClientRect();
      return b.bottom > box.top + 30 && b.top < box.bottom;
    });
    return rows.length > 0 && rows.every((r) => r.dataset.row !== undefined);
  });
}
