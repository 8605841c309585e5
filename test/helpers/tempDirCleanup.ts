// SPDX-License-Identifier: MIT
/** Setup file of every project (vitest.config.ts): the folders tempDir made are removed after each test file. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './tempDir.js';

afterAll(removeTempDirs);
