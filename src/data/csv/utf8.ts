// SPDX-License-Identifier: MIT
/**
 * Checks, chunk by chunk, that bytes are UTF-8 without NUL bytes (a sequence may be split
 * between chunks). ASCII runs are skipped with one comparison per byte.
 */
export class Utf8Check {
  private need = 0;
  private cp = 0;
  private min = 0;
  /** Why the last check failed. */
  what = '';
  /** Offset in `b` of the first bad byte, or -1. */
  check(b: Uint8Array): number {
    const n = b.length;
    let need = this.need;
    let cp = this.cp;
    let min = this.min;
    let i = 0;
    // aligned 32-bit words: four ASCII bytes without NUL are checked at once
    const off = (4 - (b.byteOffset & 3)) & 3;
    const words = n - off >= 4 ? new Uint32Array(b.buffer, b.byteOffset + off, (n - off) >> 2) : new Uint32Array(0);
    const wn = words.length;
    while (i < n) {
      if (need === 0) {
        // bytes 0x01..0x7f
        while (i < n && ((i - off) & 3) !== 0 && ((b[i] - 1) >>> 0) < 0x7f) i++;
        if (i >= off && ((i - off) & 3) === 0) {
          let wi = (i - off) >> 2;
          while (wi < wn) {
            const w = words[wi];
            if (((w & 0x80808080) | ((w - 0x01010101) & ~w & 0x80808080)) !== 0) break;
            wi++;
          }
          if (wi > (i - off) >> 2) i = off + wi * 4;
        }
        while (i < n && ((b[i] - 1) >>> 0) < 0x7f) i++;
        if (i === n) break;
        const c = b[i];
        if (c === 0) {
          this.what = 'nul';
          return i;
        }
        if (c >= 0xc2 && c <= 0xdf) {
          need = 1;
          cp = c & 0x1f;
          min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
          need = 2;
          cp = c & 0x0f;
          min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
          need = 3;
          cp = c & 0x07;
          min = 0x10000;
        } else {
          this.what = 'utf8';
          return i;
        }
        i++;
      } else {
        const c = b[i];
        if ((c & 0xc0) !== 0x80) {
          this.what = 'utf8';
          return i;
        }
        cp = (cp << 6) | (c & 0x3f);
        if (--need === 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) {
          this.what = 'utf8';
          return i;
        }
        i++;
      }
    }
    this.need = need;
    this.cp = cp;
    this.min = min;
    return -1;
  }
  /** Whether the input ended inside a multi-byte character. */
  get incomplete(): boolean {
    return this.need > 0;
  }
}
