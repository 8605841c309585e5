// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { EncodingError, encodingFromBom, encodingOf, toUtf8, type TextEncodingName } from '../../src/data/encoding.js';
import { ParameterError } from '../../src/errors.js';

async function decode(chunks: Uint8Array[], encoding: TextEncodingName): Promise<string> {
  async function* source(): AsyncGenerator<Uint8Array> {
    yield* chunks;
  }
  const parts: Uint8Array[] = [];
  for await (const c of toUtf8(source(), encoding)) parts.push(c);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(all);
}

describe('encodingOf', () => {
  it('takes the names and their common aliases, any case', () => {
    expect(encodingOf('UTF8')).toBe('utf-8');
    expect(encodingOf('cp1252')).toBe('windows-1252');
    expect(encodingOf('ISO-8859-1')).toBe('latin1');
    expect(encodingOf('utf-16LE')).toBe('utf-16le');
  });

  it('refuses another name with a ParameterError that lists the encodings read', () => {
    expect(() => encodingOf('ebcdic')).toThrow(ParameterError);
    expect(() => encodingOf('ebcdic')).toThrow(/utf-8, latin1, windows-1252, utf-16le, utf-16be/);
  });
});

describe('encodingFromBom', () => {
  it('names UTF-16 by its byte-order mark, nothing otherwise', () => {
    expect(encodingFromBom(Uint8Array.of(0xff, 0xfe, 0x61, 0))).toBe('utf-16le');
    expect(encodingFromBom(Uint8Array.of(0xfe, 0xff, 0, 0x61))).toBe('utf-16be');
    expect(encodingFromBom(Uint8Array.of(0xef, 0xbb, 0xbf))).toBeUndefined();
    expect(encodingFromBom(Uint8Array.of(0xff))).toBeUndefined();
  });
});

describe('toUtf8', () => {
  it("reads Windows-1252's letters at 0x80-0x9F (€ Œ ‚ ™) and Latin-1 as the code points of its bytes", async () => {
    const bytes = Uint8Array.of(0x80, 0x20, 0x8c, 0x82, 0x99, 0xe9, 0x41);
    expect(await decode([bytes], 'windows-1252')).toBe('€ Œ‚™éA');
    expect(await decode([bytes], 'latin1')).toBe('\u0080 \u008c\u0082\u0099éA');
  });

  it('reads UTF-16 split anywhere, a surrogate pair across chunks included, and drops the byte-order mark', async () => {
    const text = 'a,b\n😀,é\n';
    const le = new Uint8Array(2 + 2 * text.length);
    le[0] = 0xff;
    le[1] = 0xfe;
    for (let i = 0; i < text.length; i++) {
      le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      le[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    const oneByte = Array.from(le, (b) => Uint8Array.of(b));
    expect(await decode(oneByte, 'utf-16le')).toBe(text);
    const be = Uint8Array.from(le, (_, i) => le[i ^ 1]);
    expect(await decode([be.subarray(0, 7), be.subarray(7)], 'utf-16be')).toBe(text);
  });

  it('refuses an unpaired surrogate or an odd byte count with an EncodingError', async () => {
    await expect(decode([Uint8Array.of(0x3d, 0xd8, 0x61, 0x00)], 'utf-16le')).rejects.toThrow(EncodingError);
    await expect(decode([Uint8Array.of(0x61, 0x00, 0x62)], 'utf-16le')).rejects.toThrow(/not valid UTF-16LE/);
  });

  it('passes UTF-8 through unchanged', async () => {
    const b = new TextEncoder().encode('x,y\n1,é\n');
    expect(await decode([b], 'utf-8')).toBe('x,y\n1,é\n');
  });
});
