"""One scikit-learn AgglomerativeClustering fit, in its own process (see bench/agglomerative.ts).

    /usr/bin/python3 bench/agglomerative_sklearn.py --x F --n N --d D --k K --linkage L --out-prefix P

Reads the raw little-endian float32 file written by bench/data.ts and fits
AgglomerativeClustering(n_clusters=K, linkage=L, compute_distances=True) on it as float32 (as
given; scikit-learn and scipy convert to float64 inside). Writes labels_ to P.labels.i32 and
distances_ to P.heights.f64, and prints one line `BENCH_RESULT {json}` with the fit time and
the peak RSS. Thread counts come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, set by the caller.
"""

import argparse
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import AgglomerativeClustering


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--x", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--d", type=int, required=True)
    p.add_argument("--k", type=int, default=8)
    p.add_argument("--linkage", default="ward")
    p.add_argument("--out-prefix", required=True)
    a = p.parse_args()
    X = np.fromfile(a.x, dtype="<f4", count=a.n * a.d).reshape(a.n, a.d)
    start = time.perf_counter()
    model = AgglomerativeClustering(n_clusters=a.k, linkage=a.linkage, compute_distances=True).fit(X)
    fit_ms = (time.perf_counter() - start) * 1000
    model.labels_.astype("<i4").tofile(a.out_prefix + ".labels.i32")
    model.distances_.astype("<f8").tofile(a.out_prefix + ".heights.f64")
    result = {
        "side": "sklearn",
        "sklearn_version": sklearn.__version__,
        "linkage": a.linkage,
        "n": a.n,
        "d": a.d,
        "k": a.k,
        "fitMs": fit_ms,
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    sys.stdout.write("BENCH_RESULT " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
