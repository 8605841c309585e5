// SPDX-License-Identifier: MIT
/**
 * The tables bench's results: their shape (the JSON written to bench/results/tables-*.json), the
 * check of each published figure against scikit-learn's, and the markdown.
 */
import type { AlgorithmKey, Elbow, Features, OursFigures, TableId } from './tablesPipelines.js';
import type { Published, TableInfo } from './tablesPublished.js';

/** One scikit-learn fit as bench/tables_sklearn.py reports it. */
export interface SklearnFigures {
  sizes: number[];
  noise: number;
  nClusters: number;
  silhouette: number | null;
  inertia?: number;
  nIter?: number;
  nInit?: number;
  bandwidth?: number;
}

export interface SklearnMatrix {
  rows: number;
  cols: number;
  featureNames: string[];
  columnSums: number[];
  columnSumSquares: number[];
}

/** What bench/tables_sklearn.py prints (and writes to bench/tables_sklearn.json). */
export interface SklearnRun {
  schema: number;
  versions: Record<string, string>;
  randomState: number;
  tables: Record<
    TableId,
    {
      matrix: SklearnMatrix;
      elbow?: { k: number[]; inertia: number[] };
      kmeans?: { nInit10: SklearnFigures; nInit1: SklearnFigures };
      algorithms?: Partial<Record<AlgorithmKey, SklearnFigures | { nInit10: SklearnFigures; nInit1: SklearnFigures }>>;
    }
  >;
}

/** Whether scikit-learn reproduces one published figure. */
export interface FigureCheck {
  figure: string;
  published: string;
  /** True when one of scikit-learn's runs gives it (within the tolerances of `checkPublished`). */
  sklearnReproduces: boolean;
  /** scikit-learn's nearest figure, as text. */
  sklearnNearest: string;
}

export interface EntryResult {
  key: AlgorithmKey;
  name: string;
  params: string;
  published: Published | null;
  sklearn: { main: SklearnFigures | null; nInit1: SklearnFigures | null };
  /** Null where the algorithm is not in this build: its rows are left out, its published figures still checked. */
  ours: OursFigures | null;
  checks: FigureCheck[];
}

export interface TableResult {
  id: TableId;
  title: string;
  origin: string;
  file: string;
  rows: number;
  cols: number;
  featureNames: string[];
  pipeline: string[];
  notes: string[];
  remark: string | null;
  /** Our feature matrix against scikit-learn's, column by column (by name). */
  matrixCheck: { maxDifference: number; unmatched: string[]; same: boolean };
  elbow: { ours: Elbow; oursLloydOnly: Elbow; sklearn: Elbow } | null;
  entries: EntryResult[];
  /** scikit-learn's figures here that differ from those TABLES.md quotes for 1.2.1. */
  referenceMismatches: string[];
  /** k-means, A to C: the best inertia TABLES.md gives, and whether ours (nInit 10) is no worse. */
  bar: { best: number; ours: number; met: boolean } | null;
}

export interface TablesResults {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  backend: { name: string; reason: string };
  seed: number;
  machine: { nodeVersion: string; platform: string; cores: number; loadAverageStart: number[]; loadAverageEnd: number[] };
  source: { commit: string | null; uncommittedSrcFiles: string[] };
  sklearn: { source: 'live' | 'fixture'; why: string; versions: Record<string, string>; randomState: number };
  tables: TableResult[];
}

/** Relative tolerance on inertia, absolute on silhouette, for "reproduces". */
export const INERTIA_TOLERANCE = 1e-3;
export const SILHOUETTE_TOLERANCE = 1e-3;

const sortedDesc = (a: number[]): number[] => [...a].sort((x, y) => y - x);
const sameSizes = (a: number[], b: number[]): boolean => a.length === b.length && sortedDesc(a).every((x, i) => x === sortedDesc(b)[i]);

/**
 * Checks each figure of `published` against scikit-learn's runs `runs` (and the knee of its
 * elbow curve): sizes exactly (as multisets), inertia within 0.1 %, silhouette within 0.001, the
 * knee exactly; for DBSCAN's "one cluster or all noise", at most one cluster.
 */
export function checkPublished(key: AlgorithmKey, published: Published, runs: SklearnFigures[], sklearnKnee: number | null): FigureCheck[] {
  const checks: FigureCheck[] = [];
  const nearest = <T>(f: (r: SklearnFigures) => T | undefined | null, score: (v: T) => number): T | null => {
    let best: T | null = null;
    for (const r of runs) {
      const v = f(r);
      if (v !== undefined && v !== null && (best === null || score(v) < score(best))) best = v;
    }
    return best;
  };
  if (published.sizes !== undefined) {
    const p = published.sizes;
    const hit = runs.find((r) => sameSizes(r.sizes, p));
    checks.push({ figure: 'sizes', published: fmtSizes(sortedDesc(p)), sklearnReproduces: hit !== undefined, sklearnNearest: runs.map((r) => fmtSizes(r.sizes)).join(' or ') });
  }
  if (published.largest !== undefined) {
    const p = published.largest;
    const v = nearest((r) => r.sizes[0], (x) => Math.abs(x - p));
    checks.push({ figure: 'largest cluster', published: String(p), sklearnReproduces: v === p, sklearnNearest: String(v ?? '—') });
  }
  if (published.inertia !== undefined) {
    const p = published.inertia;
    const v = nearest((r) => r.inertia, (x) => Math.abs(x - p));
    checks.push({
      figure: 'inertia',
      published: fmtNum(p, 3),
      sklearnReproduces: v !== null && Math.abs(v - p) <= INERTIA_TOLERANCE * Math.abs(p),
      sklearnNearest: v === null ? '—' : fmtNum(v, 3),
    });
  }
  if (published.silhouette !== undefined) {
    const p = published.silhouette;
    const v = nearest((r) => r.silhouette, (x) => Math.abs(x - p));
    checks.push({
      figure: 'silhouette',
      published: p.toFixed(4),
      sklearnReproduces: v !== null && Math.abs(v - p) <= SILHOUETTE_TOLERANCE,
      sklearnNearest: v === null ? '—' : v.toFixed(4),
    });
  }
  if (published.knee !== undefined) {
    checks.push({ figure: 'elbow knee', published: String(published.knee), sklearnReproduces: sklearnKnee === published.knee, sklearnNearest: String(sklearnKnee ?? 'none') });
  }
  if (published.text !== undefined) {
    if (key !== 'dbscan') throw new Error(`tables bench: no rule to check the published text '${published.text}' of ${key}`);
    const hit = runs.find((r) => r.nClusters <= 1);
    checks.push({ figure: 'clusters', published: published.text, sklearnReproduces: hit !== undefined, sklearnNearest: runs.map(clustersText).join(' or ') });
  }
  return checks;
}

/** scikit-learn's figures that differ from those TABLES.md quotes for 1.2.1 (same tolerances, and to the digits quoted). */
export function referenceMismatches(info: TableInfo, sk: (key: AlgorithmKey, variant: 'nInit10' | 'nInit1' | 'main') => SklearnFigures | null): string[] {
  const out: string[] = [];
  for (const [key, variants] of Object.entries(info.sklearnReference) as Array<[AlgorithmKey, NonNullable<TableInfo['sklearnReference'][AlgorithmKey]>]>) {
    for (const [variant, ref] of Object.entries(variants) as Array<['nInit10' | 'nInit1' | 'main', Omit<Published, 'source'>]>) {
      const got = sk(key, variant);
      const label = `${key} ${variant}`;
      if (got === null) {
        out.push(`${label}: no scikit-learn figure`);
        continue;
      }
      if (ref.sizes !== undefined && !sameSizes(ref.sizes, got.sizes)) out.push(`${label} sizes: TABLES.md ${fmtSizes(ref.sizes)}, here ${fmtSizes(got.sizes)}`);
      if (ref.inertia !== undefined && (got.inertia === undefined || Math.abs(got.inertia - ref.inertia) > 1e-6 * ref.inertia + 0.01)) {
        out.push(`${label} inertia: TABLES.md ${ref.inertia}, here ${got.inertia ?? '—'}`);
      }
      if (ref.silhouette !== undefined && (got.silhouette === null || Math.abs(got.silhouette - ref.silhouette) > 5e-5 + 1e-12)) {
        out.push(`${label} silhouette: TABLES.md ${ref.silhouette}, here ${got.silhouette ?? '—'}`);
      }
      if (ref.text !== undefined && got.nClusters !== 0) out.push(`${label}: TABLES.md '${ref.text}', here ${clustersText(got)}`);
    }
  }
  return out;
}

/** Our matrix against scikit-learn's, by feature name: the largest difference of a column's sum or sum of squares, per row. */
export function compareMatrix(f: Features, sk: SklearnMatrix): TableResult['matrixCheck'] {
  const { rows, cols, data } = f.matrix;
  const unmatched = [...f.featureNames.filter((n) => !sk.featureNames.includes(n)), ...sk.featureNames.filter((n) => !f.featureNames.includes(n))];
  let maxDifference = rows === sk.rows ? 0 : Infinity;
  f.featureNames.forEach((name, j) => {
    const s = sk.featureNames.indexOf(name);
    if (s < 0) return;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j];
      sum += v;
      sq += v * v;
    }
    // Per row and relative to the column's size, so that a float32 matrix of large values compares fairly.
    const size = Math.max(1, Math.sqrt(sk.columnSumSquares[s] / sk.rows));
    maxDifference = Math.max(maxDifference, Math.abs(sum - sk.columnSums[s]) / rows / size, Math.abs(sq - sk.columnSumSquares[s]) / rows / (size * size));
  });
  return { maxDifference, unmatched, same: unmatched.length === 0 && maxDifference < 1e-5 };
}

// ---------------------------------------------------------------------------------------------
// Markdown

function fmtNum(x: number, digits: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtSizes(sizes: number[]): string {
  return sizes.length === 0 ? 'none' : sizes.join('/');
}

function clustersText(r: { nClusters: number; noise: number }): string {
  if (r.nClusters === 0) return `all ${r.noise} rows noise`;
  return `${r.nClusters} cluster${r.nClusters === 1 ? '' : 's'}${r.noise > 0 ? ` + ${r.noise} noise` : ''}`;
}

interface Cellable {
  sizes: number[];
  noise: number;
  nClusters: number;
  silhouette: number | null;
  inertia?: number;
  bandwidth?: number;
  nIter?: number;
}

type Row = { figure: string; cell: (r: Cellable) => string; published: (p: Published) => string };

function sizesCell(r: Cellable): string {
  if (r.nClusters === 0) return `none (all ${r.noise} noise)`;
  return `${fmtSizes(r.sizes)}${r.noise > 0 ? ` + ${r.noise} noise` : ''}`;
}

const ROWS: Row[] = [
  {
    figure: 'sizes',
    cell: sizesCell,
    published: (p) => (p.sizes !== undefined ? fmtSizes(sortedDesc(p.sizes)) : p.largest !== undefined ? `largest ${p.largest}` : p.text ?? '—'),
  },
  { figure: 'inertia', cell: (r) => (r.inertia === undefined ? '—' : fmtNum(r.inertia, 3)), published: (p) => (p.inertia === undefined ? '—' : fmtNum(p.inertia, 3)) },
  { figure: 'silhouette', cell: (r) => (r.silhouette === null ? 'n/a (< 2 labels)' : r.silhouette.toFixed(4)), published: (p) => (p.silhouette === undefined ? '—' : p.silhouette.toFixed(4)) },
];

function checkCell(checks: FigureCheck[], figures: string[]): string {
  const mine = checks.filter((c) => figures.includes(c.figure));
  if (mine.length === 0) return '';
  return mine.map((c) => (c.sklearnReproduces ? 'yes' : `**NO** (sklearn: ${c.sklearnNearest})`)).join('; ');
}

function entryRows(e: EntryResult): string[] {
  const isKMeans = e.key === 'kmeans';
  const rows = ROWS.filter((r) => r.figure !== 'inertia' || isKMeans);
  const lines: string[] = [];
  rows.forEach((row, i) => {
    const cells = [
      i === 0 ? `${e.name} (${e.params})` : '',
      row.figure,
      e.published === null ? '—' : row.published(e.published),
      e.sklearn.main === null ? '—' : row.cell(e.sklearn.main),
      isKMeans ? (e.sklearn.nInit1 === null ? '—' : row.cell(e.sklearn.nInit1)) : '',
      e.ours === null ? 'not in this build' : row.cell(e.ours.main),
      isKMeans && e.ours?.lloydOnly !== undefined ? row.cell(e.ours.lloydOnly) : '',
      checkCell(e.checks, row.figure === 'sizes' ? ['sizes', 'largest cluster', 'clusters'] : [row.figure]),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  if (e.key === 'meanShift') {
    const bw = (r: { bandwidth?: number } | null | undefined): string => (r?.bandwidth === undefined ? '—' : r.bandwidth.toFixed(4));
    lines.push(`|  | bandwidth | — | ${bw(e.sklearn.main)} |  | ${bw(e.ours?.main)} |  |  |`);
  }
  return lines;
}

export function renderTable(t: TableResult): string {
  const out: string[] = [];
  out.push(`## ${t.id}. ${t.title} (${t.origin})`, '');
  out.push(`\`${t.file}\`: ${t.rows} rows × ${t.cols} features.`, '');
  out.push('Pipeline:', '', ...t.pipeline.map((p) => `- ${p}`), '');
  if (t.notes.length > 0) out.push('Notes:', '', ...t.notes.map((n) => `- ${n}`), '');
  out.push(
    t.matrixCheck.same
      ? `Feature matrix: the same as scikit-learn's, column by column (largest difference in a column's sum or sum of squares, per row: ${t.matrixCheck.maxDifference.toExponential(1)}).`
      : `Feature matrix: **DIFFERS** from scikit-learn's (largest difference per row ${t.matrixCheck.maxDifference.toExponential(2)}; unmatched features: ${t.matrixCheck.unmatched.join(', ') || 'none'}).`,
    '',
  );
  out.push(
    '| algorithm | figure | published | sklearn n_init=10 | sklearn n_init=1 | ours nInit=10 | ours nInit=10, refine:false | sklearn reproduces published? |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const e of t.entries) if (e.ours !== null) out.push(...entryRows(e));
  out.push('');
  if (t.entries.some((e) => e.key !== 'kmeans')) {
    out.push('For algorithms other than k-means there is one scikit-learn and one ours column (their defaults, no n_init); sizes largest first, noise apart.', '');
  }
  const notInBuild = t.entries.filter((e) => e.ours === null);
  if (notInBuild.length > 0) {
    const skText = (e: EntryResult): string =>
      e.sklearn.main === null ? 'no scikit-learn figure' : `scikit-learn: sizes ${sizesCell(e.sklearn.main)}, silhouette ${e.sklearn.main.silhouette?.toFixed(4) ?? 'n/a'}`;
    out.push(
      `Not in this build yet: ${notInBuild.map((e) => `${e.name} (${e.params}; ${skText(e)})`).join(', ')}. Their rows are left out; their published figures are still checked against scikit-learn below.`,
      '',
    );
  }
  if (t.elbow !== null) {
    const { ours, oursLloydOnly, sklearn } = t.elbow;
    out.push('Elbow (k-means inertia, nInit = 10):', '');
    out.push('| k | sklearn | ours | ours refine:false |', '|--:|--:|--:|--:|');
    sklearn.k.forEach((k, i) => out.push(`| ${k} | ${fmtNum(sklearn.inertia[i], 2)} | ${fmtNum(ours.inertia[i], 2)} | ${fmtNum(oursLloydOnly.inertia[i], 2)} |`));
    const published = t.entries.find((e) => e.published?.knee !== undefined)?.published?.knee;
    out.push(
      '',
      `Knee (Kneedle, S = 1, offline, first knee): published ${published ?? '—'}; sklearn's curve ${sklearn.knee ?? 'none'}, ` +
        `ours ${ours.knee ?? 'none'}, ours refine:false ${oursLloydOnly.knee ?? 'none'}. sklearn reproduces published: ${checkCell(t.entries.flatMap((e) => e.checks), ['elbow knee']) || '—'}.`,
      '',
    );
  }
  if (t.bar !== null) {
    out.push(
      `Bar: best inertia given in TABLES.md ${fmtNum(t.bar.best, 3)}; ours with nInit = 10 ${fmtNum(t.bar.ours, 3)}: ${t.bar.met ? 'no worse' : '**WORSE**'}.`,
      '',
    );
  }
  if (t.remark !== null) out.push(`TABLES.md says: ${t.remark}.`, '');
  const unreproduced = t.entries.flatMap((e) => e.checks.filter((c) => !c.sklearnReproduces).map((c) => `${e.name} ${c.figure} ${c.published}`));
  if (unreproduced.length > 0) out.push(`**Published figures scikit-learn 1.2.1 does not reproduce here:** ${unreproduced.join('; ')}.`, '');
  if (t.referenceMismatches.length > 0) out.push(`**scikit-learn here differs from the 1.2.1 figures TABLES.md quotes:** ${t.referenceMismatches.join('; ')}.`, '');
  return out.join('\n');
}

export function renderMarkdown(r: TablesResults): string {
  const out: string[] = [];
  out.push('# The published segmentation tables, rerun', '');
  out.push(
    `\`${r.command}\` at ${r.startedAt}; ours on ${r.backend.name} (${r.backend.reason}), seed ${r.seed}; ` +
      `scikit-learn ${r.sklearn.versions.sklearn ?? '?'} (${r.sklearn.source}: ${r.sklearn.why}), random_state ${r.sklearn.randomState}. ` +
      `Source: ${r.source.commit ?? 'not a git checkout'}${r.source.uncommittedSrcFiles.length > 0 ? ` with ${r.source.uncommittedSrcFiles.length} uncommitted file(s) under src/` : ''}.`,
    '',
  );
  out.push(
    'Columns: **published** is quoted from test/fixtures/data/TABLES.md (never computed); **sklearn** runs the same pipeline with ' +
      'pandas and scikit-learn (bench/tables_sklearn.py); **ours** runs it with this engine (bench/tablesPipelines.ts). Ours with ' +
      'nInit = 10 is the library default (Lloyd, then Hartigan and swap refinement); refine:false is scikit-learn\'s algorithm. ' +
      `Sizes are sorted, largest first. "Reproduces" means sizes equal, inertia within ${INERTIA_TOLERANCE * 100} %, silhouette within ${SILHOUETTE_TOLERANCE}.`,
    '',
  );
  for (const t of r.tables) out.push(renderTable(t));
  return `${out.join('\n')}\n`;
}
