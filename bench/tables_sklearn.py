"""scikit-learn's side of bench/tables.ts: the pipelines of test/fixtures/data/TABLES.md.

    /usr/bin/python3 bench/tables_sklearn.py                  # prints one line `BENCH_RESULT {json}`
    /usr/bin/python3 bench/tables_sklearn.py --write-fixture  # also writes bench/tables_sklearn.json

Each pipeline is written as its source wrote it, with pandas and scikit-learn (see TABLES.md):

- A: RobustScaler on five TikTok columns; KMeans inertia for k = 2..9 (the elbow); KMeans(k=5).
- B: StandardScaler on four numeric columns + OneHotEncoder (all categories) of Age, Gender,
  Income Level; KMeans(k=5).
- C: StandardScaler on User ID and seven numeric columns (the source's mistake of scaling an id,
  reproduced); KMeans(k=3).
- D: the wellbeing test file, Age coerced and filled with its mean, get_dummies(drop_first=True)
  of Gender, Platform, Dominant_Emotion, User_ID dropped, StandardScaler; KMeans(k=2),
  MeanShift(estimate_bandwidth(quantile=0.3)), DBSCAN(eps=0.5, min_samples=5),
  AgglomerativeClustering(2, ward), SpectralClustering(2).

Every KMeans is run with n_init=10 and with n_init=1, random_state=42 (the seed of the published
B). Figures: cluster sizes sorted from largest, inertia (k-means' own), silhouette_score. Each
table also carries the shape, feature names and per-column sums and sums of squares of its feature
matrix, so that bench/tables.ts can check that its matrix is the same one.
"""

import argparse
import json
import os
import platform
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans, MeanShift, SpectralClustering, estimate_bandwidth
from sklearn.compose import ColumnTransformer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import OneHotEncoder, RobustScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "test", "fixtures", "data")
FIXTURE = os.path.join(HERE, "tables_sklearn.json")
SEED = 42

TIKTOK = ["followers", "comment_engagement_rate", "like_engagement_rate", "likes_receieved", "videos_count"]
ADS_B_NUMERIC = [
    "Time Spent Online (hrs/weekday)",
    "Time Spent Online (hrs/weekend)",
    "Likes and Reactions",
    "Click-Through Rates (CTR)",
]
ADS_B_CATEGORIES = ["Age", "Gender", "Income Level"]
ADS_C = [
    "User ID",
    "Likes and Reactions",
    "Followed Accounts",
    "Time Spent Online (hrs/weekday)",
    "Time Spent Online (hrs/weekend)",
    "Click-Through Rates (CTR)",
    "Conversion Rates",
    "Ad Interaction Time (sec)",
]
WELLBEING_CATEGORIES = ["Gender", "Platform", "Dominant_Emotion"]


def matrix_check(X, names):
    X = np.asarray(X, dtype=np.float64)
    return {
        "rows": int(X.shape[0]),
        "cols": int(X.shape[1]),
        "featureNames": [str(n) for n in names],
        "columnSums": X.sum(axis=0).tolist(),
        "columnSumSquares": (X * X).sum(axis=0).tolist(),
    }


def sorted_sizes(labels):
    labels = np.asarray(labels)
    kept = labels[labels >= 0]
    sizes = np.bincount(kept).tolist() if kept.size else []
    return sorted((int(s) for s in sizes if s > 0), reverse=True)


def partition(X, labels):
    """Sizes, noise and silhouette of a labelling (silhouette None for fewer than 2 labels)."""
    labels = np.asarray(labels)
    distinct = np.unique(labels)
    return {
        "sizes": sorted_sizes(labels),
        "noise": int((labels < 0).sum()),
        "nClusters": int((distinct >= 0).sum()),
        "silhouette": float(silhouette_score(X, labels)) if 2 <= distinct.size < X.shape[0] else None,
    }


def kmeans(X, k, n_init):
    model = KMeans(n_clusters=k, n_init=n_init, random_state=SEED).fit(X)
    return {"nInit": n_init, "inertia": float(model.inertia_), "nIter": int(model.n_iter_), **partition(X, model.labels_)}


def kmeans_pair(X, k):
    return {"nInit10": kmeans(X, k, 10), "nInit1": kmeans(X, k, 1)}


def table_a():
    df = pd.read_csv(os.path.join(DATA, "tiktok_profilesData.csv"))
    X = RobustScaler().fit_transform(df[TIKTOK].to_numpy(dtype=np.float64))
    ks = list(range(2, 10))
    elbow = [float(KMeans(n_clusters=k, n_init=10, random_state=SEED).fit(X).inertia_) for k in ks]
    return {"matrix": matrix_check(X, TIKTOK), "elbow": {"k": ks, "inertia": elbow}, "kmeans": kmeans_pair(X, 5)}


def table_b():
    df = pd.read_csv(os.path.join(DATA, "user_profiles_for_ads.csv"))
    ct = ColumnTransformer(
        [("num", StandardScaler(), ADS_B_NUMERIC), ("cat", OneHotEncoder(sparse_output=False), ADS_B_CATEGORIES)]
    )
    X = ct.fit_transform(df)
    names = ADS_B_NUMERIC + [
        f"{col}={cat}" for col, cats in zip(ADS_B_CATEGORIES, ct.named_transformers_["cat"].categories_) for cat in cats
    ]
    return {"matrix": matrix_check(X, names), "kmeans": kmeans_pair(X, 5)}


def table_c():
    df = pd.read_csv(os.path.join(DATA, "user_profiles_for_ads.csv"))
    X = StandardScaler().fit_transform(df[ADS_C].to_numpy(dtype=np.float64))
    return {"matrix": matrix_check(X, ADS_C), "kmeans": kmeans_pair(X, 3)}


def dummy_name(column):
    """get_dummies' `Gender_Female` written as the engine writes it, `Gender=Female`."""
    for c in WELLBEING_CATEGORIES:
        if column.startswith(c + "_"):
            return c + "=" + column[len(c) + 1 :]
    return column


def table_d():
    df = pd.read_csv(os.path.join(DATA, "social_media_wellbeing_test.csv"))
    df["Age"] = pd.to_numeric(df["Age"], errors="coerce")
    coerced = int(df["Age"].isna().sum())
    df["Age"] = df["Age"].fillna(df["Age"].mean())
    df = pd.get_dummies(df, columns=WELLBEING_CATEGORIES, drop_first=True)
    df = df.drop(columns=["User_ID"])
    X = StandardScaler().fit_transform(df.to_numpy(dtype=np.float64))
    bandwidth = float(estimate_bandwidth(X, quantile=0.3))
    ms = MeanShift(bandwidth=bandwidth).fit(X)
    db = DBSCAN(eps=0.5, min_samples=5).fit(X)
    ward = AgglomerativeClustering(n_clusters=2, linkage="ward").fit(X)
    spectral = SpectralClustering(n_clusters=2, random_state=SEED).fit(X)
    return {
        "matrix": matrix_check(X, [dummy_name(c) for c in df.columns]),
        "ageCoerced": coerced,
        "algorithms": {
            "kmeans": kmeans_pair(X, 2),
            "meanShift": {"bandwidth": bandwidth, "nIter": int(ms.n_iter_), **partition(X, ms.labels_)},
            "dbscan": {"eps": 0.5, "minSamples": 5, "nCore": int(len(db.core_sample_indices_)), **partition(X, db.labels_)},
            "agglomerative": {"linkage": "ward", **partition(X, ward.labels_)},
            "spectral": {"affinity": "rbf", "randomState": SEED, **partition(X, spectral.labels_)},
        },
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--write-fixture", action="store_true", help=f"also write {os.path.relpath(FIXTURE)}")
    a = p.parse_args()
    warnings.simplefilter("ignore", FutureWarning)
    result = {
        "schema": 1,
        "producedBy": "bench/tables_sklearn.py",
        "versions": {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "randomState": SEED,
        "tables": {"A": table_a(), "B": table_b(), "C": table_c(), "D": table_d()},
    }
    if a.write_fixture:
        with open(FIXTURE, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    print("BENCH_RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
