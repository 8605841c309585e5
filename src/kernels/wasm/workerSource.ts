// SPDX-License-Identifier: MIT
/**
 * The script each worker thread runs, as plain JavaScript text: given to Node's worker_threads
 * with `eval: true`, or to a browser Web Worker through a Blob URL, so that it needs no file of
 * its own next to whatever bundle the library ends up in. It imports nothing.
 *
 * The worker gets one message, { module, memory, control, id }, instantiates our module on the
 * shared memory (no start function, no allocation: see asm/build.mjs), says it is ready (READY
 * word and a 'ready' message), then runs the protocol of control.ts until STOP. A chunk that
 * throws (a wasm trap, the module's abort) is reported in the control block: the calling thread
 * is blocked in Atomics.wait and cannot receive messages.
 */
import * as C from './control.js';

export const WORKER_SOURCE = `'use strict';
const isNode = typeof process === 'object' && process !== null && typeof process.versions === 'object' && typeof process.versions.node === 'string';
const port = isNode ? require('node:worker_threads').parentPort : self;
function post(message) { port.postMessage(message); }
function start(init) {
  if (isNode) port.removeAllListeners('message'); else self.onmessage = null;
  const { module, memory, control, id } = init;
  const c = new Int32Array(memory.buffer, control, ${C.CONTROL_BYTES} / 4);
  const busy = ${C.BUSY} + id;
  let exports;
  try {
    exports = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm abort (out of memory or an internal assertion)'); } } }).exports;
  } catch (err) {
    post({ type: 'error', message: 'instantiating the module failed: ' + String(err) });
    return;
  }
  let joined = false;
  if (isNode) {
    process.on('exit', () => {
      Atomics.store(c, ${C.EXITED} + id, 1);
      if (joined && Atomics.sub(c, ${C.JOINED}, 1) === 1) Atomics.notify(c, ${C.JOINED});
      Atomics.notify(c, ${C.DONE});
    });
  }
  function report(err, chunk) {
    if (Atomics.compareExchange(c, ${C.ERROR}, 0, -1) !== 0) return;
    const text = String(err && err.stack ? err.stack.split('\\n')[0] : err).slice(0, ${C.MESSAGE_UNITS});
    const units = new Uint16Array(memory.buffer, control + ${C.MESSAGE * 4}, ${C.MESSAGE_UNITS});
    for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
    Atomics.store(c, ${C.ERROR_LENGTH}, text.length);
    Atomics.store(c, ${C.ERROR_CHUNK}, chunk);
    Atomics.store(c, ${C.ERROR}, id + 1);
    Atomics.notify(c, ${C.DONE});
  }
  function fault(code) {
    if (code === ${C.FAULT_EXIT}) { if (isNode) process.exit(3); else self.close(); throw new Error('worker closed'); }
    if (code === ${C.FAULT_HANG}) for (;;) Atomics.wait(c, ${C.STOP}, 0);
  }
  let gen = Atomics.load(c, ${C.GEN});
  Atomics.add(c, ${C.READY}, 1);
  post({ type: 'ready' });
  for (;;) {
    Atomics.wait(c, ${C.GEN}, gen);
    gen = Atomics.load(c, ${C.GEN});
    if (Atomics.load(c, ${C.STOP}) !== 0) break;
    joined = true;
    Atomics.add(c, ${C.JOINED}, 1);
    if (Atomics.load(c, ${C.OPEN}) === gen) {
      const n = Atomics.load(c, ${C.NCHUNKS});
      const job = Atomics.load(c, ${C.JOB});
      for (let i; (i = Atomics.add(c, ${C.NEXT}, 1)) < n; ) {
        Atomics.store(c, busy, i + 1);
        try {
          if (job === ${C.FAULT_EXIT} || job === ${C.FAULT_HANG}) fault(job);
          exports.runChunk(job, i);
        } catch (err) {
          report(err, i);
          Atomics.store(c, busy, 0);
          break;
        }
        Atomics.store(c, busy, 0);
        Atomics.add(c, ${C.WORKER_CHUNKS}, 1);
        if (Atomics.add(c, ${C.DONE}, 1) + 1 === n) Atomics.notify(c, ${C.DONE});
      }
    }
    joined = false;
    if (Atomics.sub(c, ${C.JOINED}, 1) === 1) Atomics.notify(c, ${C.JOINED});
  }
  if (isNode) port.close(); else self.close();
}
if (isNode) port.on('message', start); else self.onmessage = (e) => start(e.data);
`;
