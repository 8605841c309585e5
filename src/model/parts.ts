// SPDX-License-Identifier: MIT
/**
 * The parts a segmentation model is made of, as plain data: what model.ts assembles into a
 * SegmentationModel, serialize.ts writes and reads, and predict.ts and sql/ read (through
 * {@link ModelView}, so that none of them needs the class).
 */
import type { Pipeline } from '../data/pipeline.js';
import type { Schema } from '../data/schema.js';
import type { AlgorithmState } from './state.js';

/** Where a segment's name came from: made from its profile (or a default), or given by a person. */
export type NameSource = 'generated' | 'user';

/** One segment of a model. */
export interface SegmentInfo {
  /** 0..k-1 for clusters (the row of the algorithm's centers); -1 for DBSCAN's noise. */
  id: number;
  /** Unique within the model. */
  name: string;
  nameSource: NameSource;
  /** Training rows in the segment. */
  size: number;
}

/** How and when the model was fitted. */
export interface TrainingInfo {
  /** Rows of the training table. */
  rows: number;
  /** The algorithm's seed, or null for a deterministic algorithm. */
  seed: number | null;
  /** The tfjs backend that fitted it. */
  backend: string;
  /** ISO 8601 time the model was built. */
  createdAt: string;
  /** The version of segments that built it. */
  libraryVersion: string;
}

/** The parts a model is made of. */
export interface ModelParts {
  schema: Schema;
  pipeline: Pipeline;
  /** [nFeatures] equal to `pipeline.featureNames`. */
  featureNames: string[];
  state: AlgorithmState;
  segments: SegmentInfo[];
  training: TrainingInfo;
}

/** What predicting and compiling to SQL read of a model: its fitted parts (a SegmentationModel is one). */
export interface ModelView {
  readonly schema: Schema;
  readonly pipeline: Pipeline;
  readonly state: AlgorithmState;
  readonly segments: readonly Readonly<SegmentInfo>[];
}
