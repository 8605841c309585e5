// SPDX-License-Identifier: MIT
/** The versions a saved model carries. */

/** The `format` field of a saved model. */
export const MODEL_FORMAT = 'segments.model';

/**
 * The version of the saved form this code writes and reads. A file with a higher version is
 * refused (it may hold fields this code would silently drop); raise this when the form changes.
 */
export const MODEL_FORMAT_VERSION = 1;

/**
 * The library's version, written into a model's training metadata. Kept equal to package.json's
 * `version` by a test (test/model/version.test.ts), since the build (rootDir src) cannot import
 * package.json.
 */
export const LIBRARY_VERSION = '0.1.0';
