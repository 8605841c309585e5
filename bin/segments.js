#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The CLI bundled by scripts/bundleCli.mjs (`npm run build`): it starts faster than dist/cli/main.js.
import { main } from '../dist/bundle/cli.js';

process.exitCode = await main(process.argv.slice(2));
