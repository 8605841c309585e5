# SPDX-License-Identifier: MIT
"""The peer of `segments fit` in bench/job.ts: the segmentation job as an analyst writes it in a
notebook with pandas and scikit-learn, on the same CSV.

read_csv; drop the id; impute (median for numbers, most frequent for categories); log1p of the
counts (the non-negative integer columns); get_dummies of the categories (the age and income
ranges are text to pandas, so they are categories here); multi-hot of the interests list
(str.get_dummies on ", "); StandardScaler; KMeans(k, n_init=4) for k = 2..8, each scored by
silhouette_score(sample_size=4000), keeping the k with the best silhouette; groupby means of the
original columns per segment; to_csv of the rows with their segment.

Prints one line `BENCH_RESULT {json}` with the stage times, the k chosen and the silhouettes.
Run by /usr/bin/python3 (Debian's python3-sklearn and python3-pandas).
"""
import argparse
import json
import os
import sys
import time

T_START = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ID_COLUMNS = ["User ID"]
LIST_COLUMNS = {"Top Interests": ", "}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--csv", required=True)
    p.add_argument("--out", required=True, help="folder for segments.csv and profiles.csv")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--k-min", type=int, default=2)
    p.add_argument("--k-max", type=int, default=8)
    p.add_argument("--n-init", type=int, default=4)
    p.add_argument("--silhouette-sample", type=int, default=4000)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    stages = {}
    t = time.perf_counter()
    stages["import"] = t - T_START

    def stage(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        stages[name] = now - t
        t = now

    df = pd.read_csv(a.csv)
    stage("read_csv")

    features = df.drop(columns=ID_COLUMNS)
    numeric = list(features.select_dtypes("number").columns)
    categories = [c for c in features.columns if c not in numeric and c not in LIST_COLUMNS]
    for c in numeric:
        features[c] = features[c].fillna(features[c].median())
    for c in categories:
        features[c] = features[c].fillna(features[c].mode().iloc[0])
    for c in LIST_COLUMNS:
        features[c] = features[c].fillna("")
    counts = [c for c in numeric if (features[c] >= 0).all() and (features[c] % 1 == 0).all()]
    for c in counts:
        features[c] = np.log1p(features[c])
    dummies = pd.get_dummies(features[categories], prefix_sep="=")
    lists = [features[c].str.get_dummies(sep=sep).add_prefix(f"{c}=") for c, sep in LIST_COLUMNS.items()]
    X = pd.concat([features[numeric], dummies, *lists], axis=1).to_numpy(dtype=np.float64)
    X = StandardScaler().fit_transform(X)
    stage("preprocess")

    scores = []
    best = None
    for k in range(a.k_min, a.k_max + 1):
        km = KMeans(n_clusters=k, n_init=a.n_init, random_state=a.seed).fit(X)
        s = float(silhouette_score(X, km.labels_, sample_size=min(a.silhouette_sample, X.shape[0]), random_state=a.seed))
        scores.append({"k": k, "inertia": float(km.inertia_), "silhouette": s})
        if best is None or s > best[0]:
            best = (s, k, km.labels_)
    stage("kmeans_k_search")
    _, k_best, labels = best

    out = df.assign(segment=labels)
    profiles = out.groupby("segment")[[c for c in df.columns if c in numeric]].mean()
    profiles.insert(0, "size", out.groupby("segment").size())
    profiles.to_csv(os.path.join(a.out, "profiles.csv"))
    stage("groupby")
    out.to_csv(os.path.join(a.out, "segments.csv"), index=False)
    stage("to_csv")

    result = {
        "status": "ok",
        "rows": int(X.shape[0]),
        "features": int(X.shape[1]),
        "numeric": numeric,
        "log1p": counts,
        "categories": categories,
        "k": int(k_best),
        "scores": scores,
        "stages": stages,
        "seconds": time.perf_counter() - T_START,
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "pandas": pd.__version__, "sklearn": sklearn.__version__},
    }
    print("BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
