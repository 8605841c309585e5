// SPDX-License-Identifier: MIT
/**
 * The figures of test/fixtures/data/TABLES.md, quoted as written there: what each source
 * published (the "published" column of the tables bench), and the scikit-learn 1.2.1 figures
 * TABLES.md gives for the same pipelines (checked against the live or fixture scikit-learn run,
 * and the bar for our k-means with nInit = 10: the best inertia given for each of A to C).
 * Nothing here is computed; every value is a quotation.
 */
import type { AlgorithmKey, TableId } from './tablesPipelines.js';

/** A published figure; `text` for what is not a number ("one cluster or all noise"). */
export interface Published {
  sizes?: number[];
  inertia?: number;
  silhouette?: number;
  /** The elbow's knee (A). */
  knee?: number;
  /** The largest cluster only, where the source gives no other size (A). */
  largest?: number;
  text?: string;
  /** Where the figure comes from, as TABLES.md says. */
  source: string;
}

export interface TableInfo {
  id: TableId;
  title: string;
  /** The source project, as TABLES.md names it. */
  origin: string;
  /** Published figures, per algorithm (A to C: k-means only). */
  published: Partial<Record<AlgorithmKey, Published>>;
  /** What TABLES.md says scikit-learn 1.2.1 gives on the pipeline, per algorithm and n_init. */
  sklearnReference: Partial<Record<AlgorithmKey, { nInit10?: Omit<Published, 'source'>; nInit1?: Omit<Published, 'source'>; main?: Omit<Published, 'source'> }>>;
  /** TABLES.md's own remark on whether scikit-learn reproduces the published figures. */
  remark?: string;
}

export const TABLES: Record<TableId, TableInfo> = {
  A: {
    id: 'A',
    title: 'TikTok creators',
    origin: 'github devanshijoshi08/User-Segmentation',
    published: {
      kmeans: { knee: 5, largest: 973, source: 'the elbow at k = 5 and a per-cluster mean table whose largest cluster has 973 creators' },
    },
    sklearnReference: { kmeans: { nInit10: { sizes: [973, 15, 10, 1, 1], inertia: 551388.71, silhouette: 0.9271 } } },
  },
  B: {
    id: 'B',
    title: 'Ads audience, 5 segments',
    origin: 'github omadeli/User-Segmentation',
    published: {
      kmeans: { sizes: [216, 165, 228, 204, 187], inertia: 4219.023, silhouette: 0.1124, source: 'scikit-learn 1.6, one k-means++ init, random_state 42' },
    },
    sklearnReference: { kmeans: { nInit10: { inertia: 4221.388, silhouette: 0.1123 }, nInit1: { inertia: 4234.3 } } },
    remark: '4219.02 is reachable and is the bar for n_init = 10',
  },
  C: {
    id: 'C',
    title: 'Ads audience, 3 segments',
    origin: 'github chapadayanita/User-Profiling-Segmentation-Using-Machine-Learning',
    published: {
      kmeans: { sizes: [360, 332, 308], inertia: 6757.62, silhouette: 0.0827, source: 'sizes as published; inertia and silhouette from scikit-learn 1.6 on the published pipeline (TABLES.md), one init' },
    },
    sklearnReference: { kmeans: { nInit1: { sizes: [371, 337, 292], inertia: 6750.38, silhouette: 0.0857 } } },
    remark: "the source scales 'User ID'; reproduced as published",
  },
  D: {
    id: 'D',
    title: 'Social media and emotions',
    origin: 'github Anky597/resumeproject1',
    published: {
      kmeans: { silhouette: 0.3889, inertia: 282.64, source: 'the source\'s table' },
      meanShift: { silhouette: 0.4042, source: 'the source\'s table' },
      agglomerative: { silhouette: 0.3889, source: 'the source\'s table' },
      spectral: { silhouette: 0.1827, source: 'the source\'s table' },
      dbscan: { text: 'one cluster or all noise', source: 'the source\'s table' },
    },
    sklearnReference: {
      kmeans: { nInit10: { inertia: 1651.06, silhouette: 0.3109 } },
      meanShift: { main: { sizes: [102, 1], silhouette: 0.4912 } },
      dbscan: { main: { text: 'every row noise' } },
      agglomerative: { main: { silhouette: 0.3174 } },
      spectral: { main: { silhouette: 0.4912 } },
    },
    remark:
      'the published K-Means, Mean Shift, Agglomerative and Spectral figures are not reproduced by scikit-learn on this data ' +
      '(an inertia of 282.64 is out of reach for 103 standardized rows in 21 dimensions)',
  },
};

/** The best k-means inertia TABLES.md gives for each of A to C: our nInit = 10 must be no worse. */
export const BEST_INERTIA: Record<'A' | 'B' | 'C', number> = { A: 551388.71, B: 4219.023, C: 6750.38 };
