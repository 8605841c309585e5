"""One measurement of scikit-learn, in its own process (see bench/run.ts).

    /usr/bin/python3 bench/sklearn_worker.py info
    /usr/bin/python3 bench/sklearn_worker.py kmeans --x F --init F --n N --d D --k K --max-iter M --tol T --repeats R
    /usr/bin/python3 bench/sklearn_worker.py silhouette --x F --labels F --n N --d D --k K
    /usr/bin/python3 bench/sklearn_worker.py kmeans-default --x F --n N --d D --k K --repeats R

The thread counts come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS, which
run.ts sets before starting this process (they are read when numpy and sklearn load).
Data are the raw little-endian files written by bench/data.ts, read as float32 and given to
scikit-learn as float32. Prints one line `BENCH_RESULT {json}` on stdout.

kmeans does what the TS worker does: a warm-up fit with max_iter=1 (discarded), then --repeats
pairs of timed fits with max_iter=1 and max_iter=M, all with KMeans(n_clusters=K, init=<the
shared centers>, n_init=1, tol=T, algorithm='lloyd'); the medians are reported.

kmeans-default is scikit-learn's default fit, KMeans(n_clusters=K) (1.2.1: k-means++, n_init=10,
tol=1e-4, lloyd), --repeats timed fits with random_state 1..R.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np

PREFIX = "BENCH_RESULT "


def emit(result):
    sys.stdout.write(PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


def rss_bytes():
    """Current RSS from /proc (Linux), or None."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def max_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def thread_facts():
    from threadpoolctl import threadpool_info

    pools = [
        {k: p.get(k) for k in ("user_api", "internal_api", "version", "num_threads", "threading_layer", "architecture")}
        for p in threadpool_info()
    ]
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    return {
        "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "openmpEffectiveThreads": _openmp_effective_n_threads(),
        "threadpools": pools,
    }


def median(samples):
    """The sample with the median time (the upper median for an even count), as worker.ts."""
    return sorted(samples, key=lambda s: s[0])[len(samples) // 2]


def load(path, count, dtype):
    a = np.fromfile(path, dtype=dtype)
    if a.size != count:
        raise ValueError(f"{path} has {a.size} values, expected {count}")
    return a


def main():
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["info", "kmeans", "kmeans-default", "silhouette"])
    p.add_argument("--x")
    p.add_argument("--labels")
    p.add_argument("--init")
    p.add_argument("--n", type=int)
    p.add_argument("--d", type=int)
    p.add_argument("--k", type=int)
    p.add_argument("--max-iter", type=int)
    p.add_argument("--tol", type=float)
    p.add_argument("--repeats", type=int, default=1)
    a = p.parse_args()

    import scipy
    import sklearn
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    base = {"side": "sklearn", "task": a.task}
    if a.task == "info":
        emit({
            **base,
            "status": "ok",
            "python": platform.python_version(),
            "executable": sys.executable,
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            **thread_facts(),
        })
        return

    t0 = time.perf_counter()
    X = load(a.x, a.n * a.d, "<f4").reshape(a.n, a.d)
    load_ms = (time.perf_counter() - t0) * 1e3
    rss_before = rss_bytes()

    if a.task == "kmeans-default":
        import warnings

        warnings.simplefilter("ignore", FutureWarning)
        samples = []
        for rep in range(1, a.repeats + 1):
            km = KMeans(n_clusters=a.k, random_state=rep)
            c = time.process_time()
            t = time.perf_counter()
            km.fit(X)
            ms = (time.perf_counter() - t) * 1e3
            samples.append({"seed": rep, "ms": ms, "cpuMs": (time.process_time() - c) * 1e3, "inertia": float(km.inertia_), "nIter": int(km.n_iter_), "nInit": km.n_init})
            print(f"sklearn kmeans-default n={a.n} seed {rep}: {ms:.0f} ms, inertia {km.inertia_}", file=sys.stderr, flush=True)
        mid = sorted(samples, key=lambda s: s["ms"])[len(samples) // 2]
        emit({
            **base,
            "status": "ok",
            "n": a.n, "d": a.d, "k": a.k, "repeats": a.repeats,
            "loadMs": load_ms,
            "timeMs": mid["ms"], "cpuMs": mid["cpuMs"], "inertia": mid["inertia"],
            "samples": samples,
            "rssBeforeTaskBytes": rss_before,
            "peakRssBytes": max_rss_bytes(),
            **thread_facts(),
        })
    elif a.task == "kmeans":
        init = load(a.init, a.k * a.d, "<f4").reshape(a.k, a.d)

        def fit(max_iter):
            km = KMeans(n_clusters=a.k, init=init, n_init=1, max_iter=max_iter, tol=a.tol, algorithm="lloyd")
            c = time.process_time()
            t = time.perf_counter()
            km.fit(X)
            return (time.perf_counter() - t) * 1e3, km, (time.process_time() - c) * 1e3

        import warnings

        from sklearn.exceptions import ConvergenceWarning

        warnings.simplefilter("ignore", ConvergenceWarning)
        print(f"sklearn kmeans n={a.n}: warm-up", file=sys.stderr, flush=True)
        fit(1)
        ones, fulls = [], []
        for rep in range(a.repeats):
            ones.append(fit(1))
            fulls.append(fit(a.max_iter))
            print(f"sklearn kmeans n={a.n}: repeat {rep + 1}/{a.repeats}: 1 iteration {ones[-1][0]:.0f} ms, "
                  f"max_iter={a.max_iter} {fulls[-1][0]:.0f} ms", file=sys.stderr, flush=True)
        one_ms, one, _ = median(ones)
        ms, km, cpu_ms = median(fulls)
        extra = km.n_iter_ - one.n_iter_
        emit({
            **base,
            "status": "ok",
            "n": a.n, "d": a.d, "k": a.k, "maxIter": a.max_iter, "tol": a.tol,
            "dtype": str(km.cluster_centers_.dtype),
            "loadMs": load_ms,
            "repeats": a.repeats,
            "timeMs": ms,
            "cpuMs": cpu_ms,
            "fitMsSamples": [x[0] for x in fulls],
            "oneIterFitMsSamples": [x[0] for x in ones],
            "nIter": int(km.n_iter_),
            "msPerIterAverage": ms / km.n_iter_,
            "oneIterFitMs": one_ms,
            "oneIterNIter": int(one.n_iter_),
            # Median over the pairs of (max_iter fit - 1-iteration fit) / extra iterations.
            "msPerIterMarginal": median([((f[0] - o[0]) / extra,) for f, o in zip(fulls, ones)])[0] if extra > 0 else None,
            "inertia": float(km.inertia_),
            "rssBeforeTaskBytes": rss_before,
            "peakRssBytes": max_rss_bytes(),
            **thread_facts(),
        })
    else:
        labels = load(a.labels, a.n, "<i4")
        print(f"sklearn silhouette n={a.n}: running", file=sys.stderr, flush=True)
        c = time.process_time()
        t = time.perf_counter()
        value = silhouette_score(X, labels)
        ms = (time.perf_counter() - t) * 1e3
        cpu_ms = (time.process_time() - c) * 1e3
        emit({
            **base,
            "status": "ok",
            "n": a.n, "d": a.d, "k": a.k,
            "loadMs": load_ms,
            "timeMs": ms,
            "cpuMs": cpu_ms,
            "value": float(value),
            "rssBeforeTaskBytes": rss_before,
            "peakRssBytes": max_rss_bytes(),
            **thread_facts(),
        })


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # reported to run.ts as a failed task, not a crash of the bench
        import traceback

        emit({"side": "sklearn", "task": sys.argv[1] if len(sys.argv) > 1 else None, "status": "error", "reason": traceback.format_exc()})
        sys.exit(1)
