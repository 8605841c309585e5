// SPDX-License-Identifier: MIT
/**
 * A streaming CSV reader into Apache Arrow record batches.
 *
 * Bytes arrive in chunks of any size (a Node stream, `File.stream()`, a fetch body); a byte-level
 * state machine splits them into records (RFC 4180 quotes with doubled quotes and embedded
 * newlines, any one-byte delimiter, LF/CRLF/CR, a UTF-8 BOM, blank lines skipped as pandas does),
 * and each batch of records is parsed column by column straight from the bytes into typed arrays:
 * numbers are read without making strings, text is copied as UTF-8 into Arrow's Utf8 layout.
 * Column types are decided from the first batch and widened (int32 → float64) when a later value
 * needs it; a text where a column is numeric makes its row bad, never a silent NaN.
 *
 * The parts, each in src/data/csv/: options.ts (options, storage types, CsvError), numbers.ts
 * (numbers and booleans from bytes), utf8.ts (the UTF-8 check), sniff.ts (the delimiter),
 * parser.ts (the byte state machine and the column builder), read.ts (byte sources, encodings,
 * batches and the whole table). This module is their public face.
 */
export { CsvError, DEFAULT_NULL_VALUES, type CsvColumnType, type CsvOptions } from './csv/options.js';
export { parseNumberBytes } from './csv/numbers.js';
export { Utf8Check } from './csv/utf8.js';
export { sniffDelimiter } from './csv/sniff.js';
export { CsvParser } from './csv/parser.js';
export { csvBatches, readCsv, type ByteSource, type CsvBatches } from './csv/read.js';
