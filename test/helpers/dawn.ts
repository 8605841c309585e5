// SPDX-License-Identifier: MIT
/**
 * The Dawn toggles the tests turn on, in Node (vitest.config.ts: SEGMENTS_DAWN_FLAGS, read by
 * src/backend/webgpuAdapter.ts) and in Chromium (`--enable-dawn-features`, in chromium.ts's
 * WEBGPU_ARGS). `disable_workgroup_init`: Dawn does not zero a program's workgroup memory before
 * each dispatch. SwiftShader compiled that zeroing in about 1 s a program, ten times the rest
 * (test/kernels/webgpu: 31.7 → 8.2 s for two files); our WGSL programs write every workgroup
 * element before they read it, so their checks only get stricter.
 */
export const TEST_DAWN_FEATURES = 'disable_workgroup_init';
