// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError } from '../../src/errors.js';
import { ModelError } from '../../src/model/modelError.js';
import { userMessage, userWarning } from '../../src/workflow/userMessage.js';

describe('messages in a user words', () => {
  it("userMessage leaves out the function a library error starts with, but keeps a model file's name", () => {
    expect(userMessage(new DataError('Pipeline.fit', 'table', "column 'x' holds Infinity"))).toBe("column 'x' holds Infinity");
    expect(userMessage(new ParameterError('kmeans', 'k', 'k=12 is more than the 10 rows given'))).toBe('k=12 is more than the 10 rows given');
    expect(userMessage(new ModelError('out/model.json', 'segments', 'is empty'))).toBe('out/model.json: segments is empty');
    expect(userMessage(new Error('plain'))).toBe('plain');
    expect(userMessage('a string')).toBe('a string');
  });

  it('userWarning leaves out a leading function or method name, and only that', () => {
    expect(userWarning('Pipeline.fit: column "a" is constant')).toBe('column "a" is constant');
    expect(userWarning('renderReport: radar chart: too many features')).toBe('radar chart: too many features');
    expect(userWarning('the segments are weakly separated: silhouette 0.1')).toBe('the segments are weakly separated: silhouette 0.1');
  });
});
