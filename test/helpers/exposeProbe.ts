// SPDX-License-Identifier: MIT
/**
 * The glue of a browser probe bundled for a test (see probeServer.ts): on a page, `probe` is
 * set on the global scope for `page.evaluate`; in a Web Worker, any message runs it and posts
 * back its result, or `{ error }`.
 */
export function exposeProbe(probe: () => Promise<unknown>): void {
  const scope = globalThis as unknown as { document?: unknown; probe?: () => Promise<unknown>; onmessage: unknown; postMessage(m: unknown): void };
  if (scope.document === undefined) {
    scope.onmessage = async () => {
      try {
        scope.postMessage(await probe());
      } catch (err) {
        scope.postMessage({ error: String(err) });
      }
    };
  } else {
    scope.probe = probe;
  }
}
