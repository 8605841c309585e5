// SPDX-License-Identifier: MIT
// `npm run demo`: runs `segments fit --sample` from source: 20,000 generated users with planted
// segments, k chosen by a k search, files written to ./segments-out. Flags are passed on:
// `npm run demo -- --rows 100000 --k 6 --backend wasm --seed 7 --json`.
import { main } from '../src/cli/main.js';

process.exitCode = await main(['fit', '--sample', ...process.argv.slice(2)]);
