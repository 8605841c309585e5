"""Write the scikit-learn reference fixtures in test/fixtures/sklearn/.

For each dataset below this writes test/fixtures/sklearn/<name>.json with the float64
matrix X as clustered, several labelings of it with scikit-learn's silhouette (mean and
per sample), Calinski-Harabasz, Davies-Bouldin and the inertia of the labels, and
KMeans(n_init=10, random_state=0, algorithm='lloyd') fits (inertia, n_iter, centers) for
k in {2, 3, 4, 5, 6, 8}. tiny.json holds a seven-point case that can be checked by hand.

It also writes the density-based fixtures (they leave the files above unchanged):

  density_data.json  two more datasets: blobs2d (make_blobs, 2-D, 4 centers) and moons
                     (make_moons plus uniform noise rows), as float64 X
  meanshift.json     estimate_bandwidth (quantile 0.3 and 0.1) on every dataset, and MeanShift
                     fits (flat kernel; estimated or given bandwidth, bin seeding, min_bin_freq,
                     cluster_all): bandwidth, labels, cluster centers, n_iter
  dbscan.json        DBSCAN fits: eps, min_samples, labels, core_sample_indices; eps is moved
                     to the middle of the widest gap between pairwise distances near a k-distance
                     quantile, and `margin` (the gap's half width) says how far every pair is from eps

  mall           Mall_Customers.csv: Age, Annual Income (k$), Spending Score (1-100); StandardScaler
  ads            user_profiles_for_ads.csv: the seven numeric columns except User ID; StandardScaler
  tiktok         tiktok_profilesData.csv: followers, following, likes_receieved, videos_count;
                 log1p, then StandardScaler
  wellbeing      social_media_wellbeing_train.csv: the five per-day usage columns, coerced to
                 numbers, rows with NaN dropped (duplicated rows kept); StandardScaler
  blobs8         make_blobs(n_samples=3000, n_features=16, centers=8, cluster_std=1.5, random_state=42)
  blobs_overlap  make_blobs(n_samples=2000, n_features=4, centers=5, cluster_std=3.0, random_state=7)

The data are read from <repo root>/../shared/data. Every random choice is seeded, so a rerun
with the same scikit-learn and NumPy gives the same files. Rerun from the repo root with

    /usr/bin/python3 scripts/make_fixtures.py

(the Debian interpreter with python3-sklearn 1.2.1 and python3-pandas; nothing is pip-installed).
"""

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from scipy.spatial.distance import pdist
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans, MeanShift, estimate_bandwidth
from sklearn.datasets import make_blobs, make_moons
from sklearn.neighbors import NearestNeighbors
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_samples,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
OUT_DIR = REPO_ROOT / "test" / "fixtures" / "sklearn"

LABELING_KS = (2, 3, 5, 8)
KMEANS_KS = (2, 3, 4, 5, 6, 8)
N_INIT = 10
RANDOM_STATE = 0
TOL = 1e-4
MAX_ITER = 300


def standardize(X):
    return StandardScaler().fit_transform(np.asarray(X, dtype=np.float64))


def load_mall():
    columns = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    df = pd.read_csv(DATA_DIR / "Mall_Customers.csv")
    return dict(
        source="Mall_Customers.csv",
        preprocessing="StandardScaler",
        columns=columns,
        dropped_rows=0,
        X=standardize(df[columns].to_numpy(dtype=np.float64)),
    )


def load_ads():
    df = pd.read_csv(DATA_DIR / "user_profiles_for_ads.csv")
    columns = [c for c in df.select_dtypes(include="number").columns if c != "User ID"]
    return dict(
        source="user_profiles_for_ads.csv",
        preprocessing="numeric columns except User ID; StandardScaler",
        columns=columns,
        dropped_rows=0,
        X=standardize(df[columns].to_numpy(dtype=np.float64)),
    )


def load_tiktok():
    df = pd.read_csv(DATA_DIR / "tiktok_profilesData.csv")
    # The numeric columns are the counts below, three engagement rates (ratios, not counts),
    # create_time (all NaN) and id (a user id read as float): keep only the counts.
    columns = ["followers", "following", "likes_receieved", "videos_count"]
    sub = df[columns].apply(pd.to_numeric, errors="coerce")
    kept = sub.dropna()
    return dict(
        source="tiktok_profilesData.csv",
        preprocessing="count columns; rows with NaN dropped; log1p; StandardScaler",
        columns=columns,
        dropped_rows=int(len(sub) - len(kept)),
        X=standardize(np.log1p(kept.to_numpy(dtype=np.float64))),
    )


def load_wellbeing():
    df = pd.read_csv(DATA_DIR / "social_media_wellbeing_train.csv")
    columns = [
        "Daily_Usage_Time (minutes)",
        "Posts_Per_Day",
        "Likes_Received_Per_Day",
        "Comments_Received_Per_Day",
        "Messages_Sent_Per_Day",
    ]
    sub = df[columns].apply(pd.to_numeric, errors="coerce")
    kept = sub.dropna()
    return dict(
        source="social_media_wellbeing_train.csv",
        preprocessing="usage columns, pd.to_numeric(errors='coerce'); rows with NaN dropped "
        "(the stray text line); duplicated rows kept; StandardScaler",
        columns=columns,
        dropped_rows=int(len(sub) - len(kept)),
        X=standardize(kept.to_numpy(dtype=np.float64)),
    )


def load_blobs(n_samples, n_features, centers, cluster_std, random_state):
    X, _ = make_blobs(
        n_samples=n_samples,
        n_features=n_features,
        centers=centers,
        cluster_std=cluster_std,
        random_state=random_state,
    )
    call = (
        f"sklearn.datasets.make_blobs(n_samples={n_samples}, n_features={n_features}, "
        f"centers={centers}, cluster_std={cluster_std}, random_state={random_state})"
    )
    return dict(
        source=call,
        preprocessing="none (raw)",
        columns=[f"x{j}" for j in range(n_features)],
        dropped_rows=0,
        X=np.asarray(X, dtype=np.float64),
    )


def inertia_of_labels(X, labels):
    """Sum of squared distances of each row to the mean of its own label."""
    total = 0.0
    for lab in np.unique(labels):
        rows = X[labels == lab]
        total += float(np.sum((rows - rows.mean(axis=0)) ** 2))
    return total


def describe_labeling(name, X, labels):
    labels = np.asarray(labels, dtype=np.int64)
    return {
        "name": name,
        "k": int(len(np.unique(labels))),
        "labels": labels.tolist(),
        "silhouette": float(silhouette_score(X, labels)),
        "silhouette_samples": silhouette_samples(X, labels).tolist(),
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
        "davies_bouldin": float(davies_bouldin_score(X, labels)),
        "inertia_of_labels": inertia_of_labels(X, labels),
    }


def fit_kmeans(X, k):
    return KMeans(
        n_clusters=k,
        n_init=N_INIT,
        random_state=RANDOM_STATE,
        tol=TOL,
        max_iter=MAX_ITER,
        init="k-means++",
        algorithm="lloyd",
    ).fit(X)


def build(name, spec):
    X = spec["X"]
    n, d = X.shape
    distinct = int(np.unique(X, axis=0).shape[0])
    fits = {k: fit_kmeans(X, k) for k in sorted(set(LABELING_KS) | set(KMEANS_KS)) if k <= distinct}

    labelings = [describe_labeling(f"kmeans_k{k}", X, fits[k].labels_) for k in LABELING_KS if k in fits]
    labelings.append(describe_labeling("random_k4", X, np.random.default_rng(0).integers(0, 4, n)))
    if name == "mall":
        agglo = AgglomerativeClustering(n_clusters=5).fit(X)
        labelings.append(describe_labeling("agglo_ward_k5", X, agglo.labels_))

    kmeans = [
        {
            "k": k,
            "n_init": N_INIT,
            "inertia": float(fits[k].inertia_),
            "n_iter": int(fits[k].n_iter_),
            "centers": fits[k].cluster_centers_.tolist(),
            "random_state": RANDOM_STATE,
            "tol": TOL,
            "max_iter": MAX_ITER,
            "init": "k-means++",
        }
        for k in KMEANS_KS
        if k in fits
    ]

    return {
        "name": name,
        "source": spec["source"],
        "preprocessing": spec["preprocessing"],
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "columns": list(spec["columns"]),
        "n": int(n),
        "d": int(d),
        "distinct_rows": distinct,
        "dropped_rows": spec["dropped_rows"],
        "X": X.tolist(),
        "mean_feature_variance": float(np.mean(np.var(X, axis=0))),
        "labelings": labelings,
        "kmeans": kmeans,
    }


def build_tiny():
    X = np.array([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5], [10, 0]], dtype=np.float64)
    return {
        "name": "tiny",
        "source": "hand-written: three points near (0,0), three near (5,5), one at (10,0)",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "columns": ["x0", "x1"],
        "n": int(X.shape[0]),
        "d": int(X.shape[1]),
        "dropped_rows": 0,
        "X": X.tolist(),
        "mean_feature_variance": float(np.mean(np.var(X, axis=0))),
        "labelings": [
            # sklearn gives a singleton cluster's point a silhouette of 0.
            describe_labeling("three_with_singleton", X, [0, 0, 0, 1, 1, 1, 2]),
            describe_labeling("two", X, [0, 0, 0, 1, 1, 1, 1]),
        ],
    }


def load_density_data():
    """The two extra datasets of the density fixtures."""
    blobs2d, _ = make_blobs(
        n_samples=500, n_features=2, centers=[[0, 0], [4, 0], [0, 4], [4, 4]], cluster_std=0.6, random_state=3
    )
    moons, _ = make_moons(n_samples=400, noise=0.07, random_state=0)
    noise = np.random.default_rng(1).uniform(-1.5, 2.5, size=(20, 2))
    return {
        "blobs2d": dict(
            source="make_blobs(n_samples=500, n_features=2, centers=[[0,0],[4,0],[0,4],[4,4]], cluster_std=0.6, random_state=3)",
            X=np.asarray(blobs2d, dtype=np.float64),
        ),
        "moons": dict(
            source="make_moons(n_samples=400, noise=0.07, random_state=0), then 20 rows "
            "np.random.default_rng(1).uniform(-1.5, 2.5, size=(20, 2))",
            X=np.vstack([moons, noise]).astype(np.float64),
        ),
    }


# MeanShift cases per dataset: keyword arguments of MeanShift (bandwidth None = estimated), and
# quantile=q for a bandwidth given as estimate_bandwidth(X, quantile=q).
MEANSHIFT_CASES = {
    "tiny": [dict(bandwidth=2.0)],
    "mall": [dict(), dict(bin_seeding=True), dict(bandwidth=0.8, cluster_all=False), dict(quantile=0.1)],
    "ads": [dict(bin_seeding=True), dict(quantile=0.1, bin_seeding=True)],
    "tiktok": [dict(bin_seeding=True), dict(quantile=0.1, bin_seeding=True, cluster_all=False)],
    "wellbeing": [dict(bin_seeding=True, min_bin_freq=3), dict(quantile=0.1, bin_seeding=True)],
    "blobs8": [dict(bin_seeding=True), dict(quantile=0.1, bin_seeding=True)],
    "blobs_overlap": [dict(bin_seeding=True, min_bin_freq=5), dict(quantile=0.1, bin_seeding=True)],
    "blobs2d": [dict(), dict(bin_seeding=True, min_bin_freq=3), dict(bandwidth=0.7, cluster_all=False)],
    "moons": [dict(bandwidth=0.3, bin_seeding=True, cluster_all=False)],
}

# DBSCAN cases per dataset: (min_samples, quantile of the min_samples-distance that eps starts from).
DBSCAN_CASES = {
    "mall": [(5, 0.5), (3, 0.9)],
    "ads": [(5, 0.5)],
    "tiktok": [(10, 0.5)],
    "wellbeing": [(20, 0.9)],
    "blobs8": [(5, 0.5)],
    "blobs_overlap": [(10, 0.3)],
    "blobs2d": [(5, 0.9), (20, 0.5)],
    "moons": [(5, 0.9)],
}


def meanshift_case(X, kwargs):
    kwargs = dict(kwargs)
    quantile = kwargs.pop("quantile", None)
    if quantile is not None:
        kwargs["bandwidth"] = float(estimate_bandwidth(X, quantile=quantile))
    model = MeanShift(**kwargs).fit(X)
    bandwidth = kwargs.get("bandwidth")
    return {
        "params": {
            "quantile": quantile,
            "bandwidth": None if quantile is not None else bandwidth,
            "bin_seeding": kwargs.get("bin_seeding", False),
            "min_bin_freq": kwargs.get("min_bin_freq", 1),
            "cluster_all": kwargs.get("cluster_all", True),
            "max_iter": 300,
        },
        "bandwidth": float(bandwidth if bandwidth is not None else estimate_bandwidth(X)),
        "labels": model.labels_.astype(np.int64).tolist(),
        "centers": model.cluster_centers_.tolist(),
        "n_iter": int(model.n_iter_),
    }


def snap_eps(X, min_samples, quantile):
    """eps near the quantile of the min_samples-distance, in the widest gap between pair distances near it."""
    kdist, _ = NearestNeighbors(n_neighbors=min_samples).fit(X).kneighbors(X)
    eps0 = float(np.quantile(kdist[:, -1], quantile))
    dist = np.unique(pdist(X))
    near = dist[(dist >= 0.97 * eps0) & (dist <= 1.03 * eps0)]
    lo_edge = dist[dist < 0.97 * eps0].max(initial=0.0)
    hi_edge = dist[dist > 1.03 * eps0].min(initial=2 * eps0)
    points = np.concatenate([[lo_edge], near, [hi_edge]])
    gaps = np.diff(points)
    g = int(np.argmax(gaps))
    return float((points[g] + points[g + 1]) / 2), float(gaps[g] / 2)


def dbscan_case(X, min_samples, quantile):
    eps, margin = snap_eps(X, min_samples, quantile)
    model = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    return {
        "eps": eps,
        "min_samples": min_samples,
        "margin": margin,
        "labels": model.labels_.astype(np.int64).tolist(),
        "core_sample_indices": model.core_sample_indices_.astype(np.int64).tolist(),
        "n_clusters": int(model.labels_.max() + 1),
    }


def build_density(all_X):
    meanshift = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "bandwidths": [], "fits": []}
    dbscan = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "fits": []}
    for name, X in all_X.items():
        for quantile in (0.3, 0.1):
            meanshift["bandwidths"].append(
                {"dataset": name, "quantile": quantile, "bandwidth": float(estimate_bandwidth(X, quantile=quantile))}
            )
        for kwargs in MEANSHIFT_CASES.get(name, []):
            meanshift["fits"].append({"dataset": name, **meanshift_case(X, kwargs)})
        for min_samples, quantile in DBSCAN_CASES.get(name, []):
            dbscan["fits"].append({"dataset": name, **dbscan_case(X, min_samples, quantile)})
    return meanshift, dbscan


def write(name, obj):
    path = OUT_DIR / f"{name}.json"
    # json writes floats with repr, which round-trips float64 exactly.
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    datasets = {
        "mall": load_mall,
        "ads": load_ads,
        "tiktok": load_tiktok,
        "wellbeing": load_wellbeing,
        "blobs8": lambda: load_blobs(3000, 16, 8, 1.5, 42),
        "blobs_overlap": lambda: load_blobs(2000, 4, 5, 3.0, 7),
    }
    print(f"sklearn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}")
    print(f"data: {DATA_DIR}")
    all_X = {}
    for name, load in datasets.items():
        spec = load()
        all_X[name] = spec["X"]
        obj = build(name, spec)
        path = write(name, obj)
        sil = ", ".join(f"{lab['name']}={lab['silhouette']:.4f}" for lab in obj["labelings"])
        print(
            f"{path.relative_to(REPO_ROOT)}: n={obj['n']} d={obj['d']} dropped={obj['dropped_rows']} "
            f"distinct={obj['distinct_rows']} {path.stat().st_size / 1e6:.2f} MB; silhouette {sil}"
        )
    tiny = build_tiny()
    path = write("tiny", tiny)
    sil = ", ".join(f"{lab['name']}={lab['silhouette']:.4f}" for lab in tiny["labelings"])
    print(f"{path.relative_to(REPO_ROOT)}: n={tiny['n']} d={tiny['d']}; silhouette {sil}")
    all_X["tiny"] = np.asarray(tiny["X"], dtype=np.float64)
    extra = load_density_data()
    write("density_data", {name: {"source": e["source"], "n": int(e["X"].shape[0]), "d": int(e["X"].shape[1]), "X": e["X"].tolist()} for name, e in extra.items()})
    for name, e in extra.items():
        all_X[name] = e["X"]
    meanshift, dbscan = build_density(all_X)
    for name, obj in (("meanshift", meanshift), ("dbscan", dbscan)):
        path = write(name, obj)
        print(f"{path.relative_to(REPO_ROOT)}: {len(obj['fits'])} fits, {path.stat().st_size / 1e6:.2f} MB")
    for fit in dbscan["fits"]:
        print(f"  dbscan {fit['dataset']}: eps={fit['eps']:.6g} min_samples={fit['min_samples']} margin={fit['margin']:.3g} clusters={fit['n_clusters']} core={len(fit['core_sample_indices'])} noise={fit['labels'].count(-1)}")
    for fit in meanshift["fits"]:
        print(f"  meanshift {fit['dataset']}: bandwidth={fit['bandwidth']:.6g} {fit['params']} clusters={len(fit['centers'])} n_iter={fit['n_iter']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
