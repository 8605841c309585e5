// SPDX-License-Identifier: MIT
/**
 * Progress of the workflow: the steps of `segment()`, the share of the whole job each is
 * expected to take, and a tracker that turns "step s is x done" into one fraction of the whole
 * job, an estimate of the time left, and the time each step took. Cancellation is checked at
 * every report, so that a cancelled run stops at the next one.
 */
import { throwIfCancelled } from '../errors.js';

/** The steps of `segment()`, in order. */
export const SEGMENT_STEPS = ['read', 'kinds', 'features', 'backend', 'search', 'fit', 'profiles', 'metrics', 'model'] as const;
export type SegmentStep = (typeof SEGMENT_STEPS)[number];

/** What the workflow tells its caller as it goes. */
export interface SegmentProgress {
  step: SegmentStep;
  /** What is being done, in a user's words. */
  message: string;
  /** Share of the whole job done, in [0, 1]; never decreases. */
  fraction: number;
  /** Share of this step done, in [0, 1]. */
  stepFraction: number;
  /** Estimated seconds until the whole job is done; null until enough is done to tell. */
  secondsLeft: number | null;
  /** Estimated seconds until this step is done, where the step can tell (the k search, the runs of a fit); else null. */
  stepSecondsLeft: number | null;
  /** Seconds since the job started. */
  elapsedSeconds: number;
}

/** The time one step took. */
export interface StepTiming {
  step: SegmentStep;
  seconds: number;
}

/**
 * Relative cost of each step, measured on the CLI's whole job at 10^5 generated users (k chosen);
 * a step that does not run weighs nothing. Used for the fraction and the time left only.
 */
const WEIGHTS: Readonly<Record<SegmentStep, number>> = {
  backend: 0.02,
  read: 0.15,
  kinds: 0.02,
  features: 0.06,
  search: 0.4,
  fit: 0.15,
  metrics: 0.08,
  profiles: 0.07,
  model: 0.05,
};

/** No estimate of the time left before this share of the job is done (it would be noise). */
const MIN_FRACTION_FOR_ESTIMATE = 0.05;

/** Turns step-level reports into SegmentProgress, and records each step's time. */
export class ProgressTracker {
  private readonly weights: Map<SegmentStep, number>;
  private readonly started = performance.now();
  private current: SegmentStep | null = null;
  private stepStarted = 0;
  private doneWeight = 0;
  private lastFraction = 0;
  private readonly timings: StepTiming[] = [];

  constructor(
    /** The steps that will run. */
    steps: readonly SegmentStep[],
    private readonly onProgress: ((p: SegmentProgress) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
    private readonly fn = 'segment',
  ) {
    const total = steps.reduce((sum, s) => sum + WEIGHTS[s], 0);
    this.weights = new Map(steps.map((s) => [s, WEIGHTS[s] / total]));
  }

  /** Ends the current step (recording its time) and starts `step`. */
  start(step: SegmentStep, message: string): void {
    this.finishCurrent();
    this.current = step;
    this.stepStarted = performance.now();
    this.update(0, message);
  }

  /** Reports `stepFraction` of the current step done; throws a CancelledError when cancelled. */
  update(stepFraction: number, message: string, stepSecondsLeft: number | null = null): void {
    throwIfCancelled(this.signal, this.fn);
    const step = this.current;
    if (step === null) return;
    const share = Math.min(1, Math.max(0, stepFraction));
    const raw = this.doneWeight + (this.weights.get(step) ?? 0) * share;
    // The weights add up to 1 up to rounding: the end of the last step is exactly 1.
    const fraction = Math.max(this.lastFraction, raw > 1 - 1e-9 ? 1 : raw);
    this.lastFraction = fraction;
    const elapsed = (performance.now() - this.started) / 1000;
    const secondsLeft = fraction >= MIN_FRACTION_FOR_ESTIMATE && fraction < 1 ? (elapsed * (1 - fraction)) / fraction : fraction >= 1 ? 0 : null;
    this.onProgress?.({ step, message, fraction, stepFraction: share, secondsLeft, stepSecondsLeft, elapsedSeconds: elapsed });
  }

  /** Ends the last step; returns every step's time, in order. */
  finish(): StepTiming[] {
    this.finishCurrent();
    return this.timings.slice();
  }

  private finishCurrent(): void {
    if (this.current === null) return;
    this.timings.push({ step: this.current, seconds: (performance.now() - this.stepStarted) / 1000 });
    this.doneWeight += this.weights.get(this.current) ?? 0;
    this.current = null;
  }
}
