// SPDX-License-Identifier: MIT
/** Bytes and sizes the CSV reader's parts share. */
export const LF = 10;
export const CR = 13;
export const MiB = 1 << 20;

/** A new array of `cap` elements holding the first `keep` elements of `a`. */
export function grown<T extends Int32Array | Float64Array>(a: T, cap: number, keep: number): T {
  const out = new (a.constructor as new (n: number) => T)(cap);
  out.set(a.subarray(0, keep));
  return out;
}
