// SPDX-License-Identifier: MIT
/**
 * What the HTML report shows, as plain data: the CLI fills it from a fit in Node, the browser app
 * from a fit in the page. Every chart's input is optional; a chart whose input is missing is left
 * out with a note saying so. Segments are referred to by their `id` everywhere, so that a segment
 * keeps one name and one colour across every chart and table.
 *
 * Arrays of numbers are `ArrayLike<number>`: a `number[]` read from JSON and a `Float64Array` from
 * a helper both fit.
 */
import type { ChartCache } from './renderChart.js';

/** One segment: the id its rows carry (as in `labels`), its name, and how many rows it has. */
export interface ReportSegment {
  /** The label of its rows, e.g. 0..k-1 (DBSCAN's noise may be -1). Unique in the report. */
  id: number;
  /** Its name, e.g. `Heavy weekend users, high CTR`. Any text: it is escaped. */
  name: string;
  /** Rows in the segment. */
  size: number;
  /** size / total rows, in [0, 1]. */
  share: number;
  /** True when the name was made by the library rather than given by a person (shown as such). */
  generatedName?: boolean;
}

/** The file that was segmented and what was read from it. */
export interface ReportDataset {
  /** File name as given, e.g. `users.csv`, or a description such as `generated sample`. */
  fileName: string;
  /** Rows segmented. */
  rows: number;
  /** Source columns that became features, in order. */
  columnsUsed: readonly string[];
  /** Features after encoding (one-hot columns count one each), when known. */
  features?: number;
  /**
   * Every column of the file: its kind and why (in words), its blank cells (as counted when the
   * kinds were inferred), whether it became features, and the cells the pipeline filled (blank, or
   * unreadable as the kind) and with what.
   */
  columns?: ReadonlyArray<{ name: string; kind: string; reason: string; blank: number; used: boolean; filled: number; filledWith?: string }>;
  /** Columns of the file left out, with why (`User ID: id`, `Notes: free text`). */
  columnsIgnored?: ReadonlyArray<{ column: string; reason: string }>;
  /** What reading the file found worth knowing (the separator, renamed column names); leave out when nothing. */
  readNotes?: readonly string[];
  /** Rows of the file that were not used, and why; leave out when none were skipped. */
  skipped?: {
    rows: number;
    /** Up to a few lines, e.g. `line 17: expected 10 fields, got 2`. */
    reasons: readonly string[];
  };
}

/** The algorithm and the parameters it ran with. */
export interface ReportAlgorithm {
  /** E.g. `k-means`. */
  name: string;
  /** Shown in the order given, e.g. `{ k: 5, nInit: 10, seed: 1 }`. */
  parameters: Readonly<Record<string, string | number | boolean | null>>;
}

/** The compute backend the fit ran on. */
export interface ReportBackend {
  /** E.g. `wasm`. */
  name: string;
  /** Why it was chosen, e.g. `auto: no WebGPU adapter`. */
  reason?: string;
}

/** A quality measure of the segmentation, e.g. silhouette 0.41. */
export interface ReportMetric {
  name: string;
  value: number;
  /** How to read it, e.g. `higher is better, in [-1, 1]`. */
  note?: string;
}

/** The k search: inertia and silhouette for each k tried, and the k chosen. */
export interface ReportElbow {
  points: ReadonlyArray<{
    k: number;
    inertia: number;
    /** Null or absent when not computed for this k. */
    silhouette?: number | null;
  }>;
  chosenK: number;
  /** The rows the scores were computed on, where not all, e.g. `10,000 sampled rows of 100,000 (silhouette on 4,000 of them)`. */
  scoredOn?: string;
  /** Why that k, e.g. `highest silhouette (0.43)`. */
  reason: string;
}

/**
 * The silhouette of each segment's rows (Rousseeuw's silhouette plot, yellowbrick's
 * SilhouetteVisualizer): per segment its rows' silhouettes from highest to lowest, as at most
 * `SILHOUETTE_POINTS` evenly spaced order statistics, and their mean.
 */
export interface ReportSilhouettePlot {
  segments: ReadonlyArray<{
    segment: number;
    /** Rows of the segment that were scored. */
    rows: number;
    /** Mean silhouette of those rows. */
    mean: number;
    /** Their silhouettes in descending order, thinned to evenly spaced order statistics (first and last kept). */
    values: Float64Array;
  }>;
  /** The mean over every scored row (the report's silhouette). */
  mean: number;
  /** Rows scored; fewer than the table's where the silhouette was computed on a sample. */
  scoredRows: number;
  totalRows: number;
}

/** 2-D coordinates (e.g. the first two principal components) of a sample of rows. */
export interface ReportScatter {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** The segment id of each point. */
  segment: ArrayLike<number>;
  /** Rows the sample was drawn from (the report says "n of totalRows"). */
  totalRows: number;
  /** What the coordinates were computed from when not from every feature (which features, how many left out). */
  note?: string;
  /** Axis titles, e.g. `PC1 (31.2 % of variance)`. Default `PC1`, `PC2`. */
  xLabel?: string;
  yLabel?: string;
}

/**
 * A seeded sample of the rows in their original units, on every numeric column shown (up to a
 * few dozen), for a scatter of any two of them coloured by segment; `x` and `y` are the pair
 * drawn first, chosen by `rule`. Built by src/report/featureSample.ts.
 */
export interface ReportFeatureScatter {
  /** The numeric columns, as the user reads them. */
  columns: readonly string[];
  /** For each column, the sampled rows' values (NaN where blank), in sample order. */
  values: ReadonlyArray<ArrayLike<number>>;
  /** For each column, 'log' when the heavy-tail rule (heavyTail.ts) puts it on a symlog axis. */
  scales: ReadonlyArray<'linear' | 'log'>;
  /** The segment id of each sampled row. */
  segment: ArrayLike<number>;
  /** Rows drawn and rows in all, per segment (in the report's segment order). */
  strata: ReadonlyArray<{ segment: number; drawn: number; rows: number }>;
  /** Rows the sample was drawn from. */
  totalRows: number;
  /** Indices in `columns` of the default pair: x, then y. */
  x: number;
  y: number;
  /** Why this pair, in words, e.g. `the two numeric columns whose segment means differ most`. */
  rule: string;
  /** Numeric columns left out of `columns`, with the rule, when there were more than shown. */
  note?: string;
}

/**
 * The sorted k-distance curve of a DBSCAN run (src/algorithms/epsHelp.ts): each sampled row's
 * distance to its k-th nearest row (k = minSamples), ascending, and the knee.
 */
export interface ReportKDistance {
  k: number;
  /** Ascending. */
  distances: ArrayLike<number>;
  sampledRows: number;
  totalRows: number;
  /** Index of the knee in `distances`, or null. */
  kneeIndex: number | null;
  /** The eps the run used, drawn as a second line, when given. */
  eps?: number;
}

/** Per-segment standardised differences from the population on the main features. */
export interface ReportRadar {
  /** Feature names; at least 3 for a radar. */
  features: readonly string[];
  /** For each segment, one value per feature: (segment mean − population mean) / population sd. */
  series: ReadonlyArray<{ segment: number; values: ArrayLike<number> }>;
}

/** Tukey's box plot of a numeric feature in one segment, in the feature's units. */
export interface ReportBox {
  segment: number;
  /** Finite values in the segment. */
  count: number;
  q1: number;
  median: number;
  q3: number;
  /** The whiskers: the most extreme values within 1.5 IQR of the box. */
  low: number;
  high: number;
  /** Values beyond the whiskers. */
  outlierCount: number;
  /** Some of them (the most extreme first), drawn as points. */
  outliers: ArrayLike<number>;
}

/** A numeric feature's histogram in each segment, on shared bins. */
export interface ReportNumericDistribution {
  kind: 'numeric';
  /** The column's name as the user reads it. */
  feature: string;
  /** Bin edges, ascending, bins + 1 of them, in the feature's units. */
  edges: ArrayLike<number>;
  /** For each segment, rows in each bin (bins values). */
  counts: ReadonlyArray<{ segment: number; counts: ArrayLike<number> }>;
  /**
   * 'log': a heavy-tailed feature (src/report/heavyTail.ts), its axes on a symlog scale
   * (sign(x)·log1p(|x|), so that 0 has its place) and its bins equally wide on it. Default 'linear'.
   */
  scale?: 'linear' | 'log';
  /** Tukey's box plot in each segment, when given. */
  boxes?: readonly ReportBox[];
}

/** A categorical feature's value counts in each segment. */
export interface ReportCategoricalDistribution {
  kind: 'categorical';
  feature: string;
  /** The values shown, in order. */
  categories: readonly string[];
  /** For each segment, rows with each value (categories.length values). */
  counts: ReadonlyArray<{ segment: number; counts: ArrayLike<number> }>;
}

export type ReportDistribution = ReportNumericDistribution | ReportCategoricalDistribution;

/** Pearson correlations between features. */
export interface ReportCorrelation {
  features: readonly string[];
  /** [features, features] row-major; NaN or null where undefined (a constant feature). */
  matrix: ArrayLike<number | null>;
  /** Which features, when not all of them (how many were left out and by what rule). */
  note?: string;
}

/** The most frequent items of a list column (e.g. interests) in each segment. */
export interface ReportInterests {
  /** The list column, e.g. `Top Interests`. */
  column: string;
  segments: ReadonlyArray<{
    segment: number;
    /** Most frequent first. */
    items: ReadonlyArray<{
      item: string;
      /** Share of the segment's rows that list the item, in [0, 1]. */
      share: number;
      /** share / the item's share in the whole population. */
      lift?: number;
    }>;
  }>;
}

/** One numeric column's summary in one segment, in the column's own units. */
export interface ReportNumericProfile {
  feature: string;
  mean: number;
  median: number;
  q1: number;
  q3: number;
  /** (segment mean − population mean) / population sd. */
  standardisedDifference?: number;
}

/** One categorical column's most frequent values in one segment. */
export interface ReportCategoricalProfile {
  feature: string;
  values: ReadonlyArray<{
    value: string;
    /** Share of the segment's rows with this value, in [0, 1]. */
    share: number;
    /** share / the value's share in the whole population. */
    lift: number;
  }>;
}

/** What one segment is: its profile tables. */
export interface ReportProfile {
  segment: number;
  /** A sentence or a few phrases on what sets it apart, e.g. `high CTR; weekend heavy`. */
  summary?: string;
  numeric: readonly ReportNumericProfile[];
  categorical: readonly ReportCategoricalProfile[];
  /** Columns of the profile not shown in these tables (a wide table shows the ones that differ most), and the rule. */
  omitted?: { columns: number; rule: string };
}

/** How far the segments can be trusted, shown near the top of the report. */
export interface ReportStructure {
  /** One line with the figures, e.g. `weak separation (silhouette 0.23; ...)`. */
  summary: string;
  /** Warnings in a user's words, each with its figure (weak separation, unstable, too few rows). */
  warnings: readonly string[];
  /** Shown beside the segment names when they are tentative. */
  namesNote?: string;
}

/** Everything the report shows; only `title`, `dataset`, `algorithm`, `backend` and `segments` are required. */
export interface ReportInput {
  title: string;
  /** Shown as given (e.g. an ISO date); leave out for byte-identical reports of the same input. */
  generatedAt?: string;
  dataset: ReportDataset;
  algorithm: ReportAlgorithm;
  backend: ReportBackend;
  /** In the order to show them; that order also fixes each segment's colour. */
  segments: readonly ReportSegment[];
  metrics?: readonly ReportMetric[];
  structure?: ReportStructure;
  elbow?: ReportElbow;
  silhouette?: ReportSilhouettePlot;
  scatter?: ReportScatter;
  featureScatter?: ReportFeatureScatter;
  kDistance?: ReportKDistance;
  radar?: ReportRadar;
  distributions?: readonly ReportDistribution[];
  correlation?: ReportCorrelation;
  interests?: ReportInterests;
  profiles?: readonly ReportProfile[];
}

/** Options of `renderReport`. */
export interface RenderReportOptions {
  /** Receives warnings from the charting library (none are expected). Default console.warn. */
  onWarning?: (message: string) => void;
  /**
   * Charts drawn by an earlier render of this report (from its figures alone, ahead of its
   * metrics), reused when their spec is the same; the charts drawn now are added to it.
   */
  charts?: ChartCache;
}
