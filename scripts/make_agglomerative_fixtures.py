"""Write scikit-learn's agglomerative clustering fixtures, test/fixtures/sklearn/agglomerative_<name>.json.

For each dataset fixture made by scripts/make_fixtures.py (its X is read from
test/fixtures/sklearn/<name>.json) and each linkage (ward, complete, average, single) this runs
scikit-learn's AgglomerativeClustering(compute_distances=True) on X rounded to float32 (the
values the library clusters, so both sides see the same numbers) and records:

  children, distances   children_ and distances_ (the whole tree)
  cuts                  labels_ for n_clusters in CUT_KS
  thresholds            distance_threshold fits (n_clusters=None): the threshold, n_clusters_,
                        labels_; thresholds sit halfway between two consecutive merge heights
                        whose relative gap is at least MIN_GAP

Stability. Real data have exact and near ties (integer columns, duplicated rows), and a tie
broken the other way changes the tree. Every fit is repeated on perturbed copies (X in float64 as
given, and X32 * (1 + 1e-6 * N(0, 1)) for two seeds): `stable_order` says whether children_ came
out identical in all of them, `stable_tree` whether the same clusters were formed (each merge's
cluster named by its lowest leaf and its size; two merges of nearly equal height may swap places
and renumber the nodes without changing the tree), and each cut's `stable` whether its partition
was the same (labels compared up to renumbering). Tests compare exactly only what is stable.

Rerun from the repo root with

    /usr/bin/python3 scripts/make_agglomerative_fixtures.py

(Debian's python3-sklearn 1.2.1, NumPy 1.24; deterministic).
"""

import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster import AgglomerativeClustering

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "test" / "fixtures" / "sklearn"

DATASETS = ("mall", "ads", "tiktok", "wellbeing", "blobs_overlap", "blobs8")
LINKAGES = ("ward", "complete", "average", "single")
CUT_KS = (2, 3, 4, 5, 8)
THRESHOLD_KS = (2, 3, 6)
MIN_GAP = 1e-3
JITTER = 1e-6


def perturbations(X64, X32):
    out = [X64]
    for seed in (1, 2):
        rng = np.random.default_rng(seed)
        out.append(X32 * (1.0 + JITTER * rng.standard_normal(X32.shape)))
    return out


def same_partition(a, b):
    """True when labelings a and b group the rows the same way (any numbering)."""
    a = np.asarray(a)
    b = np.asarray(b)
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def clusters(children, n):
    """Each merge's cluster as (lowest leaf, size): unique within a tree, whatever the merge order."""
    low = list(range(n))
    size = [1] * n
    keys = []
    for a, b in children:
        low.append(min(low[a], low[b]))
        size.append(size[a] + size[b])
        keys.append((low[-1], size[-1]))
    return keys


def same_tree(c1, c2, n):
    return sorted(clusters(c1, n)) == sorted(clusters(c2, n))


def fit(X, linkage, **kw):
    return AgglomerativeClustering(linkage=linkage, compute_distances=True, **kw).fit(X)


def build_linkage(X32, variants, linkage):
    n = X32.shape[0]
    full = fit(X32, linkage, n_clusters=2)
    children = full.children_
    distances = full.distances_
    others = [fit(V, linkage, n_clusters=2) for V in variants]
    stable_order = all(np.array_equal(o.children_, children) for o in others)
    stable_tree = all(same_tree(o.children_, children, n) for o in others)

    cuts = []
    for k in CUT_KS:
        if k > n:
            continue
        ref = fit(X32, linkage, n_clusters=k).labels_
        stable = all(same_partition(ref, fit(V, linkage, n_clusters=k).labels_) for V in variants)
        cuts.append({"k": k, "labels": ref.tolist(), "stable": bool(stable)})

    thresholds = []
    hs = np.sort(distances)
    for k in THRESHOLD_KS:
        lo, hi = hs[n - k - 1], hs[n - k]
        if hi <= 0 or (hi - lo) / hi < MIN_GAP:
            continue
        t = float((lo + hi) / 2)
        ref = fit(X32, linkage, n_clusters=None, distance_threshold=t)
        stable = all(
            same_partition(ref.labels_, fit(V, linkage, n_clusters=None, distance_threshold=t).labels_)
            for V in variants
        )
        thresholds.append(
            {"threshold": t, "n_clusters": int(ref.n_clusters_), "labels": ref.labels_.tolist(), "stable": bool(stable)}
        )

    return {
        "children": children.tolist(),
        "distances": distances.tolist(),
        "stable_tree": bool(stable_tree),
        "stable_order": bool(stable_order),
        "cuts": cuts,
        "thresholds": thresholds,
    }


def main():
    for name in DATASETS:
        src = json.loads((FIXTURES / f"{name}.json").read_text())
        X64 = np.asarray(src["X"], dtype=np.float64)
        X32 = X64.astype(np.float32).astype(np.float64)
        variants = perturbations(X64, X32)
        out = {
            "name": name,
            "source": f"{name}.json",
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "n": int(X32.shape[0]),
            "d": int(X32.shape[1]),
            "X_dtype": "float32 (X of the source fixture rounded to float32, then clustered in float64)",
            "linkages": {},
        }
        for linkage in LINKAGES:
            out["linkages"][linkage] = build_linkage(X32, variants, linkage)
            info = out["linkages"][linkage]
            print(
                f"{name} {linkage}: stable_tree={info['stable_tree']} stable_order={info['stable_order']} "
                f"stable cuts {sum(c['stable'] for c in info['cuts'])}/{len(info['cuts'])} "
                f"thresholds {sum(t['stable'] for t in info['thresholds'])}/{len(info['thresholds'])}"
            )
        path = FIXTURES / f"agglomerative_{name}.json"
        path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
