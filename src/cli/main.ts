// SPDX-License-Identifier: MIT
/**
 * The `segments` command line, a thin layer over the library. For now one command:
 *   segments sample [--rows N] [--k K] [--backend B] [--seed S] [--json]
 * generates the planted sample, segments it with k-means and prints sizes and metrics.
 * Exit codes: 0 ok, 2 usage error, 1 data or library error.
 */
import { BACKEND_NAMES, initBackend, type BackendChoice } from '../backend/backend.js';
import { KMeans } from '../algorithms/kmeans.js';
import { plantedSample } from '../data/plantedSample.js';
import { ParameterError, SegmentsError } from '../errors.js';
import { calinskiHarabasz } from '../metrics/calinskiHarabasz.js';
import { daviesBouldin } from '../metrics/daviesBouldin.js';
import { silhouette } from '../metrics/silhouette.js';

class UsageError extends SegmentsError {}

const USAGE = `usage: segments sample [--rows N] [--k K] [--backend auto|${BACKEND_NAMES.join('|')}] [--seed S] [--json] [--verbose]`;

/** Silhouette is O(n²): above this many rows it is computed on a sample of this size. */
const SILHOUETTE_SAMPLE = 10_000;

interface Args {
  command: string;
  rows: number;
  k: number;
  backend: BackendChoice;
  seed: number;
  json: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: '', rows: 20_000, k: 5, backend: 'auto', seed: 42, json: false, verbose: false };
  const rest = [...argv];
  const value = (flag: string): string => {
    const v = rest.shift();
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const integer = (flag: string): number => {
    const v = Number(value(flag));
    if (!Number.isInteger(v)) throw new UsageError(`${flag} must be an integer`);
    return v;
  };
  while (rest.length > 0) {
    const a = rest.shift() as string;
    if (a === '--rows') args.rows = integer(a);
    else if (a === '--k') args.k = integer(a);
    else if (a === '--seed') args.seed = integer(a);
    else if (a === '--backend') args.backend = value(a) as BackendChoice;
    else if (a === '--json') args.json = true;
    else if (a === '--verbose') args.verbose = true;
    else if (a === '--help' || a === '-h') args.command = 'help';
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (args.command === '') args.command = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  return args;
}

async function sample(args: Args, out: (line: string) => void, err: (line: string) => void): Promise<void> {
  const info = await initBackend(args.backend, { onWarning: (m) => err(`warning: ${m}`) });
  const { x, truth, segmentNames, features } = plantedSample({ rows: args.rows, seed: args.seed });
  const t0 = performance.now();
  const model = await new KMeans({ k: args.k, seed: args.seed, onWarning: (m) => err(`warning: ${m}`) }).fit(x);
  const fitMs = performance.now() - t0;
  const sampled = x.rows > SILHOUETTE_SAMPLE;
  const t1 = performance.now();
  const sil = await silhouette(x, model.labels, sampled ? { sampleSize: SILHOUETTE_SAMPLE, seed: args.seed } : {});
  const ch = await calinskiHarabasz(x, model.labels);
  const db = await daviesBouldin(x, model.labels);
  const metricsMs = performance.now() - t1;

  const sizes = new Array<number>(args.k).fill(0);
  const overlap = Array.from({ length: args.k }, () => new Array<number>(segmentNames.length).fill(0));
  model.labels.forEach((l, i) => {
    sizes[l]++;
    overlap[l][truth[i]]++;
  });
  const segments = sizes.map((size, c) => {
    const planted = overlap[c].indexOf(Math.max(...overlap[c]));
    return { segment: c, size, share: size / x.rows, mostlyPlanted: segmentNames[planted], purity: overlap[c][planted] / Math.max(1, size) };
  });
  const report = {
    backend: model.backend,
    backendReason: info.reason,
    rows: x.rows,
    features,
    k: args.k,
    seed: args.seed,
    inertia: model.inertia,
    nIter: model.nIter,
    converged: model.converged,
    silhouette: sil.score,
    silhouetteRows: sil.rows.length,
    calinskiHarabasz: ch,
    daviesBouldin: db,
    fitSeconds: fitMs / 1000,
    metricsSeconds: metricsMs / 1000,
    segments,
  };
  if (args.json) {
    out(JSON.stringify(report, null, 2));
    return;
  }
  out(`segments: k-means on the planted sample (${x.rows} users, ${features.length} features: ${features.join(', ')})`);
  out(`backend: ${model.backend} (${info.reason})`);
  out(`k=${args.k} seed=${args.seed}: ${model.nIter} iterations, ${model.converged ? 'converged' : 'NOT converged'}, fit ${report.fitSeconds.toFixed(2)} s`);
  out('');
  out('segment   users   share  mostly planted as        purity');
  for (const s of segments) {
    out(
      `${String(s.segment).padStart(7)} ${String(s.size).padStart(7)} ${(100 * s.share).toFixed(1).padStart(6)}%  ${s.mostlyPlanted.padEnd(22)} ${(100 * s.purity).toFixed(1).padStart(5)}%`,
    );
  }
  out('');
  out(`inertia            ${model.inertia.toFixed(2)}`);
  out(`silhouette         ${sil.score.toFixed(4)}${sampled ? ` (on a sample of ${sil.rows.length} rows; exact is O(n²))` : ' (exact)'}`);
  out(`Calinski-Harabasz  ${ch.toFixed(2)}`);
  out(`Davies-Bouldin     ${db.toFixed(4)}`);
  out(`metrics took ${report.metricsSeconds.toFixed(2)} s`);
}

/** Runs the CLI; returns the exit code. */
export async function main(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const args = parseArgs(argv);
    verbose = args.verbose;
    switch (args.command) {
      case 'sample':
        await sample(args, out, err);
        return 0;
      case 'help':
        out(USAGE);
        return 0;
      case '':
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command '${args.command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`segments: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof ParameterError) {
      err(`segments: ${e.message}`);
      return 2;
    }
    err(`segments: ${e instanceof Error ? e.message : String(e)}`);
    if (verbose && e instanceof Error && e.stack) err(e.stack);
    return 1;
  }
}
