// SPDX-License-Identifier: MIT
/**
 * Registers our WGSL kernels for the tfjs 'webgpu' backend. Imported for its effect, once the
 * WebGPU backend is started: `await import('../kernels/webgpu/register.js')`.
 */
import { assignNearest } from '../assignNearest.js';
import { lloydStep } from '../lloydStep.js';
import { silhouetteTile } from '../silhouetteTile.js';
import { assignNearestWebgpu } from './assignNearest.js';
import { lloydStepWebgpu } from './lloydStep.js';
import { silhouetteTileWebgpu } from './silhouetteTile.js';

lloydStep.register('webgpu', lloydStepWebgpu);
assignNearest.register('webgpu', assignNearestWebgpu);
silhouetteTile.register('webgpu', silhouetteTileWebgpu);

export { assignNearestWebgpu, lloydStepWebgpu, silhouetteTileWebgpu };
export { lloydStepWebgpuSupport } from './lloydStep.js';
export { silhouetteTileWebgpuSupport } from './silhouetteTile.js';
export { setWebgpuBindingLimit, webgpuFallbacks, type WebgpuFallback } from './run.js';
