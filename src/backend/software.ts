// SPDX-License-Identifier: MIT
/**
 * Recognising a software renderer (a CPU emulation of a GPU) from the names a WebGPU adapter or
 * a WebGL context gives. Such a renderer computes correct results but far slower than wasm (1,000
 * rows took 244 s on WebGL on SwiftShader against 4.7 s on wasm), so 'auto' never picks one.
 */

/** Known software renderers: a pattern over the reported names, and the name a user reads. */
const SOFTWARE_RENDERERS: readonly (readonly [RegExp, string])[] = [
  [/swiftshader|subzero/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe|\blvp\b/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/basic render driver/i, 'Microsoft Basic Render Driver'],
  [/\bwarp\b/i, 'WARP'],
  [/software/i, 'a software renderer'],
];

/**
 * The user-facing name of the software renderer that `text` describes (e.g. 'SwiftShader' for
 * "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)"), or null
 * when `text` names no software renderer (a hardware GPU, or nothing at all).
 * @example
 * softwareRendererName('llvmpipe (LLVM 15.0.6, 256 bits)'); // 'llvmpipe'
 */
export function softwareRendererName(text: string): string | null {
  for (const [pattern, name] of SOFTWARE_RENDERERS) if (pattern.test(text)) return name;
  return null;
}
