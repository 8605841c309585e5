// SPDX-License-Identifier: MIT
/**
 * Registers our WGSL kernels for the tfjs 'webgpu' backend, once it is started:
 * `await registerWebgpuKernels({ check })` (initBackend does it). With `check`, every program is
 * first run against the portable kernel on a tiny input (see selfCheck.ts): a program that does
 * not compile on this device rejects with Dawn's message and nothing is registered, rather than
 * kernels that return zeros. initBackend checks on hardware adapters, where it costs little; on a
 * software adapter (SwiftShader: about 14 s of shader compiles per process) it skips the check,
 * since that is where the test suite compares every program with its reference anyway.
 */
import { assignNearest } from '../assignNearest.js';
import { lloydStep } from '../lloydStep.js';
import { meanShiftStep } from '../meanShiftStep.js';
import { radiusCounts } from '../radiusCounts.js';
import { radiusPairs } from '../radiusPairs.js';
import { silhouetteTile } from '../silhouetteTile.js';
import { assignNearestWebgpu } from './assignNearest.js';
import { lloydStepWebgpu } from './lloydStep.js';
import { meanShiftStepWebgpu } from './meanShiftStep.js';
import { radiusCountsWebgpu } from './radiusCounts.js';
import { radiusPairsWebgpu } from './radiusPairs.js';
import { checkWebgpuPrograms } from './selfCheck.js';
import { silhouetteTileWebgpu } from './silhouetteTile.js';

/** Registers the WGSL kernels, after checking every program when `check` is set. */
export async function registerWebgpuKernels(options: { check: boolean }): Promise<void> {
  if (options.check) await checkWebgpuPrograms();
  lloydStep.register('webgpu', lloydStepWebgpu);
  assignNearest.register('webgpu', assignNearestWebgpu);
  silhouetteTile.register('webgpu', silhouetteTileWebgpu);
  radiusCounts.register('webgpu', radiusCountsWebgpu);
  radiusPairs.register('webgpu', radiusPairsWebgpu);
  meanShiftStep.register('webgpu', meanShiftStepWebgpu);
}

export { assignNearestWebgpu, lloydStepWebgpu, meanShiftStepWebgpu, radiusCountsWebgpu, radiusPairsWebgpu, silhouetteTileWebgpu };
export { lloydStepWebgpuSupport } from './lloydStep.js';
export { meanShiftStepWebgpuSupport } from './meanShiftStep.js';
export { radiusWebgpuSupport } from './radiusProgram.js';
export { checkWebgpuPrograms, runProgramCheck, type ProgramCheck } from './selfCheck.js';
export { silhouetteTileWebgpuSupport } from './silhouetteTile.js';
export { setWebgpuBindingLimit, webgpuFallbacks, type WebgpuFallback } from './run.js';
