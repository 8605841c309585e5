// SPDX-License-Identifier: MIT
/** An error as the library reported it: its message and, for a file, the lines that do not parse. */
import type { ErrorInfo } from '../protocol.js';
import { h } from './dom.js';

export function showError(box: HTMLElement, info: ErrorInfo, context: string): void {
  box.replaceChildren(h('strong', {}, `${context}: `), h('span', { class: 'error-message' }, info.message));
  if (info.line !== undefined) box.append(h('p', { class: 'error-line' }, `First bad line: ${info.line}`));
  if (info.badRows !== undefined && info.badRows.length > 0) {
    const rows = info.badRows.map((r) => h('tr', {}, h('td', {}, String(r.line)), h('td', {}, r.reason), h('td', { class: 'mono' }, r.text)));
    box.append(
      h('table', { class: 'bad-rows' }, h('thead', {}, h('tr', {}, h('th', {}, 'line'), h('th', {}, 'reason'), h('th', {}, 'text'))), h('tbody', {}, ...rows)),
      h('p', { class: 'note' }, 'Choose "leave them out" or "keep them, bad cells empty" above and load the file again to go on.'),
    );
  }
  box.hidden = false;
}

export function clearError(box: HTMLElement): void {
  box.replaceChildren();
  box.hidden = true;
}
