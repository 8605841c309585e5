// SPDX-License-Identifier: MIT
/** Bytes and sizes the CSV reader's parts share. */
export const LF = 10;
export const CR = 13;
export const MiB = 1 << 20;
