// SPDX-License-Identifier: MIT
/**
 * The control block through which the calling thread hands chunks of a kernel to the worker
 * threads (threads.ts, workerSource.ts): int32 words in the shared WebAssembly memory, used only
 * through Atomics. A job runs as:
 *
 * 1. the caller writes the job (in memory), NCHUNKS, JOB, NEXT = 0, DONE = 0, then OPEN = GEN =
 *    the next generation, and notifies GEN;
 * 2. a woken worker adds 1 to JOINED, then checks that OPEN still equals the generation it woke
 *    for (else it leaves at once); joined, it claims chunk indices with Atomics.add(NEXT, 1)
 *    until they run out, adding 1 to DONE after each;
 * 3. the caller claims chunks the same way, waits until DONE = NCHUNKS, sets OPEN = −1 (closed),
 *    and waits until JOINED = 0 before it writes another job.
 *
 * Step 3's order is what lets a worker that woke late never read the next job's words with the
 * old generation's claim: once JOINED is back to 0 after the close, a worker either joined before
 * the close (and was waited for) or sees the job closed.
 */

/** Generation of the latest job; workers sleep on it. */
export const GEN = 0;
/** Generation of the job open for joining, or −1. */
export const OPEN = 1;
/** Next chunk index to claim. */
export const NEXT = 2;
/** Chunks finished. */
export const DONE = 3;
/** Workers inside the current job. */
export const JOINED = 4;
/** Chunks in the current job. */
export const NCHUNKS = 5;
/** Pointer to the job's words in memory (kind first; as int32, so above 2 GiB it reads negative), or a test fault code. */
export const JOB = 6;
/** Workers that have instantiated the module and wait for jobs. */
export const READY = 7;
/** Non-zero: workers leave their loop and exit. */
export const STOP = 8;
/** 0, or 1 + the index of the first worker that failed (−1 while it writes its message). */
export const ERROR = 9;
/** The chunk the failed worker was running. */
export const ERROR_CHUNK = 10;
/** Length of the failure message in UTF-16 units. */
export const ERROR_LENGTH = 11;
/** Chunks run by workers since the pool started (what the calling thread did not do itself). */
export const WORKER_CHUNKS = 12;
/** Per worker w: 1 + the chunk it is running, or 0. */
export const BUSY = 16;
/** Per worker w: 1 once its thread is exiting. */
export const EXITED = BUSY + 64;
/** Most workers one pool has. */
export const MAX_WORKERS = 64;
/** Word where the failure message starts (as UTF-16 units, two per word). */
export const MESSAGE = EXITED + MAX_WORKERS;
/** Longest failure message kept, in UTF-16 units. */
export const MESSAGE_UNITS = 256;
/** Bytes of the control block. */
export const CONTROL_BYTES = MESSAGE * 4 + MESSAGE_UNITS * 2;

/**
 * Job codes that exist only for tests (threads.test.ts): a worker that reads one of them as the
 * job pointer fails as a real worker could, so the test can check that the caller gets an error
 * rather than a hang. Exiting: the worker thread ends while it holds a chunk. Hanging: it blocks
 * for good while holding a chunk.
 */
export const FAULT_EXIT = -1;
export const FAULT_HANG = -2;
