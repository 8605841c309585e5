// SPDX-License-Identifier: MIT
/**
 * The nearest-neighbour chain algorithm for reducible linkages (Ward, complete, average), on the
 * host: follow nearest neighbours from a cluster until two clusters are each other's nearest,
 * merge them, and continue from what is left of the chain. Exact for reducible linkages, O(n)
 * nearest-neighbour queries. Clusters live in slots 0..n-1: merging slots x < y empties x and
 * puts the union in y, so a live slot always holds the leaf of its own number.
 *
 * Two spaces answer the queries:
 * - WardSpace: no matrix. Cluster centroids and sizes in float64; the Ward distance of clusters
 *   A and B is sqrt(2·|A|·|B| / (|A| + |B|)) · ‖μ_A − μ_B‖, the value scipy's Lance-Williams
 *   recurrence gives (and scikit-learn reports in `distances_`). O(n·d) per query, O(n·d) memory.
 * - MatrixSpace: a condensed matrix of the current cluster distances (float64, or float32 to
 *   halve the memory), updated by the Lance-Williams formula of complete (max) or average
 *   (size-weighted mean) linkage after each merge, as scipy does. O(n) per query and update.
 *
 * Ties, as scipy's `nn_chain`: the previous element of the chain wins a tie, then the lowest
 * slot; merges are later sorted stably by height (linkage.ts).
 *
 * References: Müllner, "Modern hierarchical, agglomerative clustering algorithms" (2011),
 * section 3.2; scipy `cluster/_hierarchy.pyx` (`nn_chain`).
 */
import type { RawMerges } from './linkage.js';

/** What the chain needs from a space of clusters. */
export interface ChainSpace {
  /** The live slot with the lowest number. */
  firstActive(): number;
  /**
   * The live slot nearest to live slot x; on a tie `prev` (a live slot, or -1 for none) wins,
   * then the lowest slot. Sets `lastDistance` to that distance (in the space's own units).
   */
  nearest(x: number, prev: number): number;
  lastDistance: number;
  /** Merges live slots x < y into y; x is no longer live. */
  merge(x: number, y: number): void;
  /** A space distance as the merge height scikit-learn reports. */
  height(distance: number): number;
}

/** Runs the chain to the end: n − 1 merges (slot pairs and heights, in the order found). */
export function nnChain(n: number, space: ChainSpace): RawMerges & { queries: number } {
  const m = Math.max(0, n - 1);
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const heights = new Float64Array(m);
  const chain = new Int32Array(Math.max(1, n));
  let length = 0;
  let queries = 0;
  for (let k = 0; k < m; k++) {
    if (length === 0) chain[length++] = space.firstActive();
    let x: number;
    let y: number;
    for (;;) {
      x = chain[length - 1];
      const prev = length > 1 ? chain[length - 2] : -1;
      y = space.nearest(x, prev);
      queries++;
      if (y === prev) break;
      chain[length++] = y;
    }
    length -= 2;
    const dist = space.lastDistance;
    if (x > y) [x, y] = [y, x];
    a[k] = x;
    b[k] = y;
    heights[k] = space.height(dist);
    space.merge(x, y);
  }
  return { a, b, heights, queries };
}

/** Live slots in increasing order (so scans visit slots in scipy's order); removal O(live). */
class LiveSlots {
  readonly list: Int32Array;
  count: number;
  constructor(n: number) {
    this.list = Int32Array.from({ length: n }, (_, i) => i);
    this.count = n;
  }
  remove(slot: number): void {
    const { list } = this;
    // Binary search: the list is sorted.
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < slot) lo = mid + 1;
      else hi = mid;
    }
    list.copyWithin(lo, lo + 1, this.count);
    this.count--;
  }
}

/**
 * Ward's linkage from centroids. Distances here are squared Ward distances
 * 2·|A|·|B|/(|A| + |B|)·‖μ_A − μ_B‖²; `height` takes the square root.
 *
 * A query reads every live centroid, so memory traffic bounds it: the first HEAD coordinates of
 * each centroid are also kept packed together, and most candidates are ruled out from them
 * alone (the partial sum only grows) without touching the rest of their row.
 */
export class WardSpace implements ChainSpace {
  lastDistance = 0;
  private readonly centroids: Float64Array;
  private readonly head: Float64Array;
  private readonly sizes: Float64Array;
  private readonly live: LiveSlots;

  /** `x` [n, d] row-major (copied to float64). */
  constructor(
    x: ArrayLike<number>,
    readonly n: number,
    readonly d: number,
  ) {
    this.centroids = Float64Array.from(x);
    this.head = new Float64Array(n * HEAD);
    for (let i = 0; i < n; i++) this.syncHead(i);
    this.sizes = new Float64Array(n).fill(1);
    this.live = new LiveSlots(n);
  }

  firstActive(): number {
    return this.live.list[0];
  }

  nearest(x: number, prev: number): number {
    const { centroids: c, head: h, sizes, d } = this;
    const list = this.live.list;
    const count = this.live.count;
    const nx = sizes[x];
    const xo = x * d;
    const xh = x * HEAD;
    const h0 = h[xh];
    const h1 = h[xh + 1];
    const h2 = h[xh + 2];
    const h3 = h[xh + 3];
    let best = -1;
    let bestDist = Number.POSITIVE_INFINITY;
    if (prev >= 0) {
      best = prev;
      bestDist = this.wardSq(x, prev);
    }
    for (let k = 0; k < count; k++) {
      const i = list[k];
      if (i === x) continue;
      const ni = sizes[i];
      const f = (2 * nx * ni) / (nx + ni);
      const ih = i * HEAD;
      const t0 = h0 - h[ih];
      const t1 = h1 - h[ih + 1];
      const t2 = h2 - h[ih + 2];
      const t3 = h3 - h[ih + 3];
      let s = t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
      // f·s never decreases as terms are added: stop as soon as it cannot beat the best.
      if (f * s >= bestDist) continue;
      const io = i * d;
      let j = HEAD;
      for (; j + 4 <= d; j += 4) {
        const u0 = c[xo + j] - c[io + j];
        const u1 = c[xo + j + 1] - c[io + j + 1];
        const u2 = c[xo + j + 2] - c[io + j + 2];
        const u3 = c[xo + j + 3] - c[io + j + 3];
        s += u0 * u0 + u1 * u1 + u2 * u2 + u3 * u3;
        if (f * s >= bestDist) break;
      }
      if (j + 4 <= d) continue;
      for (; j < d; j++) {
        const u = c[xo + j] - c[io + j];
        s += u * u;
      }
      const dist = f * s;
      if (dist < bestDist) {
        bestDist = dist;
        best = i;
      }
    }
    this.lastDistance = bestDist;
    return best;
  }

  merge(x: number, y: number): void {
    const { centroids: c, sizes, d } = this;
    const nx = sizes[x];
    const ny = sizes[y];
    const total = nx + ny;
    for (let j = 0; j < d; j++) c[y * d + j] = (nx * c[x * d + j] + ny * c[y * d + j]) / total;
    this.syncHead(y);
    sizes[y] = total;
    sizes[x] = 0;
    this.live.remove(x);
  }

  height(distance: number): number {
    return Math.sqrt(distance);
  }

  /** The squared Ward distance of live slots x and i, summed in the same order as `nearest`. */
  private wardSq(x: number, i: number): number {
    const { centroids: c, head: h, sizes, d } = this;
    const xo = x * d;
    const io = i * d;
    const xh = x * HEAD;
    const ih = i * HEAD;
    const t0 = h[xh] - h[ih];
    const t1 = h[xh + 1] - h[ih + 1];
    const t2 = h[xh + 2] - h[ih + 2];
    const t3 = h[xh + 3] - h[ih + 3];
    let s = t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
    let j = HEAD;
    for (; j + 4 <= d; j += 4) {
      const u0 = c[xo + j] - c[io + j];
      const u1 = c[xo + j + 1] - c[io + j + 1];
      const u2 = c[xo + j + 2] - c[io + j + 2];
      const u3 = c[xo + j + 3] - c[io + j + 3];
      s += u0 * u0 + u1 * u1 + u2 * u2 + u3 * u3;
    }
    for (; j < d; j++) {
      const u = c[xo + j] - c[io + j];
      s += u * u;
    }
    return ((2 * sizes[x] * sizes[i]) / (sizes[x] + sizes[i])) * s;
  }

  /** Copies the first HEAD coordinates of slot i (zeros past d) into the packed array. */
  private syncHead(i: number): void {
    for (let j = 0; j < HEAD; j++) this.head[i * HEAD + j] = j < this.d ? this.centroids[i * this.d + j] : 0;
  }
}

/** Coordinates per centroid kept packed for the first, cheap rejection test of a Ward query. */
const HEAD = 4;

/** Index of the pair i < j in a condensed (upper-triangle, row-major) matrix over n items. */
export function condensedIndex(n: number, i: number, j: number): number {
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Complete or average linkage on a condensed distance matrix, updated in place. */
export class MatrixSpace implements ChainSpace {
  lastDistance = 0;
  private readonly sizes: Float64Array;
  private readonly live: LiveSlots;

  /** `dist`: the condensed [n(n − 1)/2] Euclidean distances between rows; overwritten. */
  constructor(
    private readonly dist: Float32Array | Float64Array,
    readonly n: number,
    readonly method: 'complete' | 'average',
  ) {
    this.sizes = new Float64Array(n).fill(1);
    this.live = new LiveSlots(n);
  }

  firstActive(): number {
    return this.live.list[0];
  }

  nearest(x: number, prev: number): number {
    const { dist: D, n } = this;
    const list = this.live.list;
    const count = this.live.count;
    let best = -1;
    let bestDist = Number.POSITIVE_INFINITY;
    if (prev >= 0) {
      best = prev;
      bestDist = prev < x ? D[condensedIndex(n, prev, x)] : D[condensedIndex(n, x, prev)];
    }
    // Slots below x sit in column x (stride shrinking by one per row); slots above x in row x.
    const rowX = condensedIndex(n, x, x + 1) - (x + 1);
    let k = 0;
    for (; k < count; k++) {
      const i = list[k];
      if (i >= x) break;
      const v = D[n * i - (i * (i + 1)) / 2 + (x - i - 1)];
      if (v < bestDist) {
        bestDist = v;
        best = i;
      }
    }
    for (; k < count; k++) {
      const i = list[k];
      if (i === x) continue;
      const v = D[rowX + i];
      if (v < bestDist) {
        bestDist = v;
        best = i;
      }
    }
    this.lastDistance = bestDist;
    return best;
  }

  merge(x: number, y: number): void {
    const { dist: D, n, sizes } = this;
    const list = this.live.list;
    const count = this.live.count;
    const nx = sizes[x];
    const ny = sizes[y];
    const complete = this.method === 'complete';
    for (let k = 0; k < count; k++) {
      const i = list[k];
      if (i === x || i === y) continue;
      const ix = i < x ? condensedIndex(n, i, x) : condensedIndex(n, x, i);
      const iy = i < y ? condensedIndex(n, i, y) : condensedIndex(n, y, i);
      const dx = D[ix];
      const dy = D[iy];
      D[iy] = complete ? Math.max(dx, dy) : (nx * dx + ny * dy) / (nx + ny);
    }
    sizes[y] = nx + ny;
    sizes[x] = 0;
    this.live.remove(x);
  }

  height(distance: number): number {
    return distance;
  }
}
