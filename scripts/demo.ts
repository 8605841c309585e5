// SPDX-License-Identifier: MIT
// Runs the CLI from source: `npm run demo -- --rows 50000 --k 6`.
import { main } from '../src/cli/main.js';

process.exitCode = await main(['sample', ...process.argv.slice(2)]);
