// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/escape.js';

describe('escapeHtml', () => {
  it('escapeHtml replaces the five characters that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<script>alert(1)</script> & "x" 'y'`)).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;');
  });

  it('escapeHtml escapes an ampersand once, leaves other text alone, and stringifies values', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('Ünïcødé – ok')).toBe('Ünïcødé – ok');
    expect(escapeHtml(42)).toBe('42');
  });
});
