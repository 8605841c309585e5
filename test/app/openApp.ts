// SPDX-License-Identifier: MIT
/** A step the browser app's end-to-end tests share. */
import type { Browser, Page } from 'playwright-core';

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
