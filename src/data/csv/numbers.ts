// SPDX-License-Identifier: MIT
/**
 * Numbers and booleans read straight from a CSV field's bytes, without making strings: the
 * scanner's number grammar (exact for up to 15 significant digits), int32 checks, and the
 * true/false words.
 */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** The value found by {@link scanNumber} (a typed slot, so that no number is boxed on return). */
export const numberValue = new Float64Array(1);
export const NOT_A_NUMBER = -1;
const DECIMAL = 0;
const INTEGER = 1;

/**
 * Parses a decimal number from bytes `[s, e)` (spaces around it allowed) into `numberValue[0]`;
 * returns NOT_A_NUMBER, DECIMAL (a fraction or exponent was written) or INTEGER. Up to 15
 * significant digits with a power-of-ten scale of at most 22 are computed exactly as
 * `mantissa ×/÷ 10^k` (one correctly rounded operation, so equal to `parseFloat`); longer numbers
 * go through `Number()` after the grammar check. `inf` and `infinity` (any case) are read as pandas
 * reads them.
 */
export function scanNumber(b: Uint8Array, s: number, e: number, decimal: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s === e) return NOT_A_NUMBER;
  let i = s;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  let mant = 0;
  let sig = 0;
  let scale = 0;
  let digits = 0;
  let slow = false;
  let kind = INTEGER;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig < 15) {
      mant = mant * 10 + d;
      if (mant !== 0) sig++;
    } else slow = true;
  }
  if (i < e && b[i] === decimal) {
    kind = DECIMAL;
    i++;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig < 15) {
        mant = mant * 10 + d;
        if (mant !== 0) sig++;
        scale--;
      } else if (d !== 0) slow = true;
    }
  }
  if (digits === 0) {
    const len = e - i;
    if ((len === 3 || len === 8) && (b[i] | 32) === 105 && (b[i + 1] | 32) === 110 && (b[i + 2] | 32) === 102) {
      if (len === 3 || latin1(b, i, e).toLowerCase() === 'infinity') {
        numberValue[0] = neg ? -Infinity : Infinity;
        return DECIMAL;
      }
    }
    return NOT_A_NUMBER;
  }
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    kind = DECIMAL;
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    const start = i;
    let ex = 0;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (ex < 100000) ex = ex * 10 + d;
    }
    if (i === start) return NOT_A_NUMBER;
    scale += eneg ? -ex : ex;
  }
  if (i !== e) return NOT_A_NUMBER;
  if (!slow && scale >= -22 && scale <= 22) {
    const v = scale === 0 ? mant : scale > 0 ? mant * POW10[scale] : mant / POW10[-scale];
    numberValue[0] = neg ? -v : v;
  } else {
    // the text keeps its sign: not negated again (-5e-324 was read as 5e-324, found by fast-check)
    numberValue[0] = Number(numberText(b, s, e, decimal));
  }
  return kind;
}

/**
 * Parses a decimal number from bytes `[s, e)`, or returns NaN when the text is not one
 * (see {@link scanNumber} for the grammar and the exactness argument).
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number, decimal = 46): number {
  return scanNumber(b, s, e, decimal) === NOT_A_NUMBER ? NaN : numberValue[0];
}

/** Whether a scanned number is an integer that fits int32. */
export function isInt32(kind: number): boolean {
  const v = numberValue[0];
  return kind === INTEGER && v >= -2147483648 && v <= 2147483647;
}

function numberText(b: Uint8Array, s: number, e: number, decimal: number): string {
  let t = latin1(b, s, e);
  if (decimal !== 46) t = t.replace(String.fromCharCode(decimal), '.');
  return t;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]);
  return t;
}

/** Whether a field starts (after blanks) as a formatted number can: a digit, sign, point, parenthesis or currency sign. */
export function mayBeNumber(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  if (s === e) return false;
  const c = b[s];
  // 0-9 + - ( . $, and the lead bytes of £ ¥ (0xC2) and € (0xE2)
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 40 || c === 46 || c === 36 || c === 0xc2 || c === 0xe2;
}

/** 1 for true/TRUE/True, 0 for false/FALSE/False, -1 otherwise. */
export function parseBoolBytes(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const n = e - s;
  if (n === 4 && (b[s] | 32) === 116 && (b[s + 1] | 32) === 114 && (b[s + 2] | 32) === 117 && (b[s + 3] | 32) === 101) return 1;
  if (n === 5 && (b[s] | 32) === 102 && (b[s + 1] | 32) === 97 && (b[s + 2] | 32) === 108 && (b[s + 3] | 32) === 115 && (b[s + 4] | 32) === 101) return 0;
  return -1;
}
