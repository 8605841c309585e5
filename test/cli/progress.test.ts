// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { Progress, progressMode } from '../../src/cli/progress.js';

describe('progress', () => {
  it('is one rewritten line on a terminal, plain lines with --verbose elsewhere, else nothing', () => {
    expect(progressMode({ isTTY: true, verbose: false, quiet: false })).toBe('tty');
    expect(progressMode({ isTTY: false, verbose: false, quiet: false })).toBe('off');
    expect(progressMode({ isTTY: false, verbose: true, quiet: false })).toBe('lines');
    expect(progressMode({ isTTY: true, verbose: true, quiet: true })).toBe('off');
  });

  it('rewrites the tty line in place, cut to the terminal width, and clears it', () => {
    let text = '';
    const p = new Progress((t) => (text += t), 'tty', 30);
    p.update('reading a.csv');
    p.update('x'.repeat(100));
    p.clear();
    const parts = text.split('\r\x1b[2K');
    expect(parts).toEqual(['', 'reading a.csv', `${'x'.repeat(28)}…`, '']);
    expect(text).not.toContain('\n');
  });

  it('writes nothing when off, and timestamped lines in lines mode', () => {
    let text = '';
    new Progress((t) => (text += t), 'off').update('step');
    expect(text).toBe('');
    const p = new Progress((t) => (text += t), 'lines');
    p.update('step one');
    p.update('step two');
    expect(text).toMatch(/^\[\d+\.\d s\] step one\n\[\d+\.\d s\] step two\n$/);
  });
});
