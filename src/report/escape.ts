// SPDX-License-Identifier: MIT
/** Escaping of text for HTML element content and attribute values. */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `text` with `& < > " '` replaced by entities, safe inside element content and inside quoted
 * attribute values. Any value is first turned into a string.
 * @example
 * escapeHtml('<b>Tom & "Jerry"</b>'); // '&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
