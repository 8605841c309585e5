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
