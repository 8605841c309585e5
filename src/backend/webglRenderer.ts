// SPDX-License-Identifier: MIT
/**
 * What WebGL renders on, read before tfjs's WebGL backend is started: the unmasked renderer
 * string of `WEBGL_debug_renderer_info` (where a browser hides it, the plain RENDERER string),
 * so that 'auto' can pass over a software renderer such as SwiftShader.
 */
import { softwareRendererName } from './software.js';

/** WEBGL_debug_renderer_info's constants (the extension object is only there once enabled). */
const UNMASKED_VENDOR_WEBGL = 0x9245;
const UNMASKED_RENDERER_WEBGL = 0x9246;

/** The renderer behind WebGL in this environment. */
export type WebGlRenderer =
  | { available: true; vendor: string; renderer: string; /** e.g. 'SwiftShader'; null on a hardware GPU */ software: string | null }
  | { available: false; /** why there is no WebGL context, in a user's words */ reason: string };

type GlContext = WebGLRenderingContext | WebGL2RenderingContext;

/** A throwaway WebGL context: on an OffscreenCanvas where there is one (also in Web Workers), else a canvas element. */
function makeContext(): GlContext | null {
  // Not failIfMajorPerformanceCaveat: a software renderer must be named, not only refused.
  const attributes: WebGLContextAttributes = { failIfMajorPerformanceCaveat: false, antialias: false, depth: false };
  const g = globalThis as { OffscreenCanvas?: typeof OffscreenCanvas; document?: Document };
  const canvas = g.OffscreenCanvas !== undefined ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
  if (canvas === undefined) return null;
  return (
    (canvas.getContext('webgl2', attributes) as WebGL2RenderingContext | null) ??
    (canvas.getContext('webgl', attributes) as WebGLRenderingContext | null)
  );
}

/**
 * Opens a throwaway WebGL context, reads its renderer and vendor, and releases it. In Node, or
 * where the browser gives no context, says so.
 * @example
 * const gl = probeWebGl();
 * if (gl.available && gl.software !== null) console.log(`WebGL draws on ${gl.software}`);
 */
export function probeWebGl(): WebGlRenderer {
  const g = globalThis as { OffscreenCanvas?: unknown; document?: unknown };
  if (g.OffscreenCanvas === undefined && g.document === undefined) {
    return { available: false, reason: 'WebGL needs a browser' };
  }
  let gl: GlContext | null;
  try {
    gl = makeContext();
  } catch (err) {
    return { available: false, reason: `WebGL did not start (${String(err)})` };
  }
  if (gl === null) return { available: false, reason: 'this browser gave no WebGL context' };
  try {
    const unmasked = gl.getExtension('WEBGL_debug_renderer_info') !== null;
    const renderer = String(gl.getParameter(unmasked ? UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    const vendor = String(gl.getParameter(unmasked ? UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? '');
    return { available: true, vendor, renderer, software: softwareRendererName(`${vendor} ${renderer}`) };
  } finally {
    // Browsers cap the number of live contexts; give this one back now rather than at GC.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
