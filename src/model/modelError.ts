// SPDX-License-Identifier: MIT
/** The error a saved model that cannot be used raises. */
import { DataError } from '../errors.js';

/**
 * A saved model (or the parts a model is built from) is broken, inconsistent or newer than this
 * code: `model.json: algorithm.centroids has 7 rows, segments lists 8`. A DataError, so that the
 * CLI treats it as bad input (exit 1).
 */
export class ModelError extends DataError {
  constructor(
    /** Where the model came from: a file path, `model.json`, or the function building it. */
    readonly source: string,
    /** The field at fault as a path into the saved form, e.g. `algorithm.centroids[3][1]`. */
    readonly field: string,
    /** What is wrong with it, written to follow the field's name: `has 7 rows, segments lists 8`. */
    detail: string,
  ) {
    super(source, field, `${field} ${detail}`, undefined, field);
  }
}
