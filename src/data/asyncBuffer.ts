// SPDX-License-Identifier: MIT
/** Random access to the bytes of a file: what hyparquet reads from. */
export interface AsyncBuffer {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer> | ArrayBuffer;
}
