"""scikit-learn's side of bench/spectral.ts, in its own process.

    /usr/bin/python3 bench/spectral_sklearn.py --x F --n N --d D --k K --affinity nearest_neighbors \
        --n-neighbors 10 --gamma 1.0 --labels-out F

Reads the raw little-endian float32 rows that bench/data.ts wrote (the same bytes ours reads),
fits SpectralClustering(n_clusters=K, affinity=..., assign_labels='kmeans', n_init=10,
random_state=0) on them as float32, writes the labels as int32 to --labels-out, and prints one
line `BENCH_RESULT {json}` with the fit time and this process's peak RSS. Thread counts come from
OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set by the caller.
"""

import argparse
import json
import resource
import time

import numpy as np
import sklearn
from sklearn.cluster import SpectralClustering


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--x", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--d", type=int, required=True)
    p.add_argument("--k", type=int, required=True)
    p.add_argument("--affinity", default="nearest_neighbors")
    p.add_argument("--n-neighbors", type=int, default=10)
    p.add_argument("--gamma", type=float, default=1.0)
    p.add_argument("--labels-out", required=True)
    a = p.parse_args()
    X = np.fromfile(a.x, dtype="<f4", count=a.n * a.d).reshape(a.n, a.d)
    t0 = time.perf_counter()
    model = SpectralClustering(
        n_clusters=a.k, affinity=a.affinity, n_neighbors=a.n_neighbors, gamma=a.gamma,
        assign_labels="kmeans", n_init=10, random_state=0,
    ).fit(X)
    seconds = time.perf_counter() - t0
    model.labels_.astype("<i4").tofile(a.labels_out)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH_RESULT " + json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb, "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
