// SPDX-License-Identifier: MIT
/**
 * Text encodings of CSV input other than UTF-8: the bytes are turned into UTF-8 chunk by chunk
 * before the CSV parser sees them, so the parser keeps one byte-level path. UTF-16 is read by its
 * byte-order mark without being asked; Windows-1252 and Latin-1 have no mark and are read when the
 * user says so (`encoding`; CLI `--encoding`), since any byte sequence is valid in them and
 * guessing would read a UTF-8 file with a stray byte as mojibake without a word.
 *
 * Windows-1252 and ISO-8859-1 are mapped here by table: Node's TextDecoder reads 'windows-1252'
 * as ISO-8859-1 (0x80 → U+0080, not €), where browsers follow the WHATWG table.
 */
import { ParameterError } from '../errors.js';

/** The encodings a CSV input may be read in. */
export const TEXT_ENCODINGS = ['utf-8', 'latin1', 'windows-1252', 'utf-16le', 'utf-16be'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

const ALIASES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
  iso88591: 'latin1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  win1252: 'windows-1252',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
};

/**
 * The encoding a name stands for (case and common aliases: `utf8`, `cp1252`, `iso-8859-1`).
 * @throws ParameterError naming the encodings read.
 */
export function encodingOf(name: string, fn = 'readCsv'): TextEncodingName {
  const e = typeof name === 'string' ? ALIASES[name.toLowerCase()] : undefined;
  if (e === undefined) throw new ParameterError(fn, 'encoding', `encoding ${JSON.stringify(name)} is not one of ${TEXT_ENCODINGS.join(', ')}`);
  return e;
}

/** The encoding a byte-order mark at the start says, if any (UTF-8's is removed by the parser). */
export function encodingFromBom(head: Uint8Array): TextEncodingName | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Windows-1252's letters at 0x80..0x9F (0 where the code page has none: read as the C1 control). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** UTF-8 bytes of a single-byte encoded chunk. */
function singleByteToUtf8(b: Uint8Array, cp1252: boolean): Uint8Array {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return b;
  const out = new Uint8Array(b.length * 3);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    let c = b[i];
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (cp1252 && c < 0xa0 && CP1252_HIGH[c - 0x80] !== 0) c = CP1252_HIGH[c - 0x80];
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return out.subarray(0, n);
}

/** Thrown by {@link toUtf8} for bytes that are not text in the encoding (an unpaired UTF-16 surrogate, an odd byte count). */
export class EncodingError extends Error {}

/**
 * The chunks of `source` in UTF-8, read as `encoding`. UTF-16 input must be whole code units
 * and surrogate pairs ({@link EncodingError} otherwise); a leading byte-order mark is removed.
 */
export async function* toUtf8(source: AsyncIterable<Uint8Array>, encoding: TextEncodingName): AsyncGenerator<Uint8Array> {
  if (encoding === 'utf-8') {
    yield* source;
    return;
  }
  if (encoding === 'latin1' || encoding === 'windows-1252') {
    for await (const c of source) yield singleByteToUtf8(c, encoding === 'windows-1252');
    return;
  }
  const decoder = new TextDecoder(encoding, { fatal: true });
  const encoder = new TextEncoder();
  try {
    for await (const c of source) {
      const text = decoder.decode(c, { stream: true });
      if (text.length > 0) yield encoder.encode(text);
    }
    const rest = decoder.decode();
    if (rest.length > 0) yield encoder.encode(rest);
  } catch (err) {
    if (err instanceof TypeError) throw new EncodingError(`the input is not valid ${encoding.toUpperCase()} text (an odd number of bytes, or an unpaired surrogate)`);
    throw err;
  }
}
