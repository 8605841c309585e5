// SPDX-License-Identifier: MIT
/** Steps the browser app's end-to-end tests share. */
import { createRequire } from 'node:module';
import type { Browser, Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { serveApp, type AppServer } from '../../src/cli/serve.js';
import { WEBGPU_ARGS, launchChromium } from '../helpers/chromium.js';

export { CHROMIUM_MISSING } from '../helpers/chromium.js';

/**
 * The app Vite built once for this run (buildApp.globalSetup.ts), served on 127.0.0.1 with the
 * cross-origin isolation headers as `segments serve` serves it, and Chromium launched.
 */
export async function startApp(): Promise<{ app: AppServer; browser: Browser }> {
  const app = await serveApp({ port: 0, host: '127.0.0.1', root: inject('appDist') });
  const browser = await launchChromium(WEBGPU_ARGS);
  return { app, browser };
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * A fresh page of the app served at `url`, once its worker has started, and the errors its
 * console, the page and its workers report (a test ends expecting none).
 */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('threads-status')?.dataset.isolated !== undefined);
  return { page, errors };
}

/** Texts of the page's Vega charts that stick out of their SVG, and axis or legend labels of one chart that overlap (those shown: Vega hides crowded axis labels). */
export async function labelProblems(page: Page): Promise<string[]> {
  return page.$$eval('.vega-chart svg', (svgs) =>
    svgs.flatMap((svg) => {
      const chart = (svg.parentElement as HTMLElement).dataset.chart;
      const box = svg.getBoundingClientRect();
      const out: string[] = [];
      // Labels Vega hid (labelOverlap sets their opacity to 0) are not on the page.
      const texts = Array.from(svg.querySelectorAll('text')).filter((t) => (t.textContent ?? '') !== '' && getComputedStyle(t).opacity !== '0');
      for (const t of texts) {
        const r = t.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(`${chart}: '${t.textContent}' outside its chart`);
      }
      // Labels of one axis or one legend, and the radar's feature names, never overlap.
      const groups = Array.from(svg.querySelectorAll('.role-axis-label, .role-legend-label, .role-mark'));
      for (const g of groups) {
        const all = Array.from(g.querySelectorAll(':scope > text, :scope > g > text')).filter((t) => (t.textContent ?? '') !== '' && getComputedStyle(t).opacity !== '0');
        // Slanted labels (the heatmap's columns): their boxes overlap while their lines do not; their anchors are a line apart.
        const slanted = all.filter((t) => (t.getAttribute('transform') ?? '').includes('rotate'));
        const anchors = slanted.map((t) => t.getBoundingClientRect().right).sort((a, b) => a - b);
        for (let i = 1; i < anchors.length; i++) if (anchors[i] - anchors[i - 1] < 11) out.push(`${chart}: slanted labels ${anchors[i] - anchors[i - 1]} px apart`);
        const labels = all.filter((t) => !slanted.includes(t)).map((t) => ({ t: t.textContent, r: t.getBoundingClientRect() }));
        if (g.classList.contains('role-mark') && labels.length > 12) continue;
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const a = labels[i].r;
            const b = labels[j].r;
            const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (ox > 1 && oy > 1) out.push(`${chart}: '${labels[i].t}' overlaps '${labels[j].t}'`);
          }
        }
      }
      return out;
    }),
  );
}

/** One rule axe found broken, with a few of the elements that break it. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the page as it is now; every violation, worst first. */
async function audit(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
  });
  const rank = (v: Violation): number => ['critical', 'serious', 'moderate', 'minor'].indexOf(v.impact ?? 'minor');
  return found.sort((a, b) => rank(a) - rank(b));
}

/** The serious and critical violations of the page now; the rest printed under `view`. */
export async function seriousOf(page: Page, view: string): Promise<Violation[]> {
  const all = await audit(page);
  const lesser = all.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (lesser.length > 0) console.log(`axe, ${view}: ${lesser.map((v) => `${v.id} (${v.impact}: ${v.help}; ${v.nodes.length} element(s))`).join('; ')}`);
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Whether the browser tests write their screenshots (test-output/): with SEGMENTS_SHOTS=1, for a
 * person to look at (`SEGMENTS_SHOTS=1 npx vitest run test/app`). Nothing asserts them, and the
 * 33 of them took about 10 s of each run, so a plain `npm test` takes none.
 */
export const SHOTS_WANTED = process.env.SEGMENTS_SHOTS === '1';

/** A screenshot of `target` (a page or an element) at `path`, when SHOTS_WANTED. */
export async function shot(target: Page | Locator, path: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (SHOTS_WANTED) await target.screenshot({ path, ...options });
}

/**
 * A screenshot of the whole page at `path`, when SHOTS_WANTED. Not Playwright's fullPage: the app
 * skips laying out and painting charts off screen (content-visibility: auto), and a capture
 * beyond the viewport shows them blank. The viewport is made as tall as the page for the shot
 * (charts drawn on coming into view may lengthen it: again, up to three times), so all of it is
 * on screen, and is then put back.
 */
export async function pageShot(page: Page, path: string): Promise<void> {
  if (!SHOTS_WANTED) return;
  const size = page.viewportSize();
  if (size === null) throw new Error('pageShot: the page has no fixed viewport');
  const frames = (): Promise<void> => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  for (let i = 0; i < 3; i++) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (height <= (page.viewportSize()?.height ?? 0)) break;
    await page.setViewportSize({ width: size.width, height });
    await frames();
  }
  await page.screenshot({ path });
  await page.setViewportSize(size);
  await frames();
}

/**
 * Scrolls `target` into view and waits two frames: the app does not draw a chart while it is off
 * screen (content-visibility: auto), and what is not drawn takes no pointer event until the frame
 * after it comes into view. Before a forced click or hover on a chart's mark.
 */
export async function intoView(page: Page, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}
