"""scikit-learn's side of bench/meanShiftDbscan.ts, in its own process.

    /usr/bin/python3 bench/meanshift_dbscan_sklearn.py meanshift --x F --n N --d D --bandwidth H --labels-out F
    /usr/bin/python3 bench/meanshift_dbscan_sklearn.py dbscan --x F --n N --d D --eps E --min-samples M --labels-out F

Reads the raw little-endian float32 rows that bench/data.ts wrote (the same bytes ours reads),
fits MeanShift(bandwidth=H, bin_seeding=True) or DBSCAN(eps=E, min_samples=M) on them as
float32, writes the labels as int32 to --labels-out, and prints one line `BENCH_RESULT {json}`.
Thread counts come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set by the caller.
"""

import argparse
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN, MeanShift


def main():
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["meanshift", "dbscan"])
    p.add_argument("--x", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--d", type=int, required=True)
    p.add_argument("--bandwidth", type=float)
    p.add_argument("--eps", type=float)
    p.add_argument("--min-samples", type=int, default=5)
    p.add_argument("--labels-out", required=True)
    a = p.parse_args()
    X = np.fromfile(a.x, dtype="<f4", count=a.n * a.d).reshape(a.n, a.d)
    t0 = time.perf_counter()
    if a.task == "meanshift":
        model = MeanShift(bandwidth=a.bandwidth, bin_seeding=True).fit(X)
        extra = {"n_clusters": int(len(model.cluster_centers_)), "n_iter": int(model.n_iter_)}
    else:
        model = DBSCAN(eps=a.eps, min_samples=a.min_samples).fit(X)
        extra = {"n_clusters": int(model.labels_.max() + 1), "n_core": int(len(model.core_sample_indices_))}
    seconds = time.perf_counter() - t0
    model.labels_.astype("<i4").tofile(a.labels_out)
    print("BENCH_RESULT " + json.dumps({"task": a.task, "seconds": seconds, "sklearn": sklearn.__version__, **extra}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
