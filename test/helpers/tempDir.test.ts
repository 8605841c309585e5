// SPDX-License-Identifier: MIT
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './tempDir.js';

describe('tempDir', () => {
  it('makes a new empty folder under the temporary folder, named by the prefix, and removeTempDirs removes it with its files', () => {
    const a = tempDir('segments-tempdir-test-');
    const b = tempDir('segments-tempdir-test-');
    expect(a).not.toBe(b);
    expect(dirname(a)).toBe(tmpdir());
    expect(basename(a)).toMatch(/^segments-tempdir-test-[A-Za-z0-9]{6}$/);
    expect(readdirSync(a)).toEqual([]);
    writeFileSync(join(a, 'file.txt'), 'x');
    removeTempDirs();
    expect([existsSync(a), existsSync(b)]).toEqual([false, false]);
    removeTempDirs(); // nothing left to remove: no error
  });
});
