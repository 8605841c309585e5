// SPDX-License-Identifier: MIT
import { casePassed, checkAll } from './correctness.js';
import { describeAdapter, startDevices } from './device.js';

async function main(): Promise<void> {
  const d = await startDevices();
  for (const line of describeAdapter(d)) console.log(line);
  const t0 = performance.now();
  await checkAll(1, (r) => {
    console.log(`${casePassed(r) ? 'ok  ' : 'FAIL'} ${r.kernel} ${r.shape}`);
    for (const v of r.verdicts) if (!v.ok) console.log(`     ${v.what}: ${v.detail}`);
    for (const f of r.fallbacks) console.log(`     fell back: ${f}`);
  });
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
