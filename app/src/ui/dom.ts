// SPDX-License-Identifier: MIT
/** A tiny DOM builder for the views. */
import { SegmentsError } from '../../../src/errors.js';

type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes (false and undefined are left out) and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children);
  return el;
}

/** The element of an id that the page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new SegmentsError(`app: the page has no #${id}`);
  return el as T;
}

/** A number for a table: integers with thousands separators, others with 4 significant digits. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString('en-US') : `${+v.toPrecision(4)}`;
}

/** Offers `data` to the user as a file named `fileName` (the browser's download). */
export function saveFile(fileName: string, data: BlobPart, mime: string): void {
  const url = URL.createObjectURL(new Blob([data], { type: mime }));
  const a = h('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a label: lower-case words joined by '-', at most 60 characters. */
export function fileStem(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'chart'
  );
}

/** A cell as CSV (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
