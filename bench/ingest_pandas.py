# SPDX-License-Identifier: MIT
"""The peer of the ingest bench: pandas.read_csv plus scikit-learn preprocessing equivalent to
the segments Pipeline, on the same CSV, producing a float32 matrix of the same shape.

Started by bench/ingest.ts as
    /usr/bin/python3 bench/ingest_pandas.py --path F --spec S.json
where S.json lists the columns ours used and their kinds (as ours inferred them; the analyst
writes them down by hand on this side), range levels and list separators. Prints one line
`BENCH_RESULT {json}`.

The preprocessing, column by column, as ours does it:
  number, count  SimpleImputer(median) -> log1p where ours' 'auto' rule says so (a count column,
                 all values >= 0 after imputation, population skewness > 1) -> StandardScaler
  category       SimpleImputer(most_frequent) -> OneHotEncoder(handle_unknown='ignore') plus an
                 <other> column (1 - the row's one-hot sum), as ours has an <other> slot
  range          the same with the categories given in level order
  list           split at the separator, strip, MultiLabelBinarizer over the top
                 max_list_items items by row count, plus an <other> column counting the rest
"""
import argparse
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MultiLabelBinarizer, OneHotEncoder, StandardScaler


def with_other(x):
    """Appends the <other> column of a one-hot block: 1 where no known category was hot."""
    x = np.asarray(x, dtype=np.float32)
    return np.hstack([x, (1.0 - x.sum(axis=1, keepdims=True)).astype(np.float32)])


class MultiHot(BaseEstimator, TransformerMixin):
    """Multi-hot of the most frequent items of a text list column, and a count of the others."""

    def __init__(self, separator=",", max_items=20):
        self.separator = separator
        self.max_items = max_items

    def _items(self, X):
        col = X.iloc[:, 0] if isinstance(X, pd.DataFrame) else pd.Series(np.asarray(X).ravel())
        return [
            [t for t in (p.strip() for p in v.split(self.separator)) if t] if isinstance(v, str) else []
            for v in col
        ]

    def fit(self, X, y=None):
        counts = {}
        for items in self._items(X):
            for t in set(items):
                counts[t] = counts.get(t, 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: self.max_items]
        self.items_ = [t for t, _ in top]
        self.mlb_ = MultiLabelBinarizer(classes=self.items_)
        self.mlb_.fit([self.items_])
        return self

    def transform(self, X):
        lists = self._items(X)
        known = set(self.items_)
        hot = self.mlb_.transform([[t for t in items if t in known] for items in lists]).astype(np.float32)
        other = np.fromiter((sum(1 for t in items if t not in known) for items in lists), dtype=np.float32, count=len(lists))
        return np.hstack([hot, other[:, None]])


def skewed(values):
    """ours' log1p 'auto' rule on the median-imputed values: non-negative, skewness > 1."""
    v = values.to_numpy(dtype=np.float64)
    med = np.nanmedian(v)
    v = np.where(np.isnan(v), med, v)
    if v.min() < 0:
        return False
    d = v - v.mean()
    m2 = np.mean(d * d)
    m3 = np.mean(d * d * d)
    return bool(m2 > 0 and m3 / m2**1.5 > 1)


def log1p_signed(x):
    return np.sign(x) * np.log1p(np.abs(x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--path", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--max-list-items", type=int, default=20)
    a = ap.parse_args()
    with open(a.spec) as f:
        spec = json.load(f)
    used = [c for c in spec["columns"] if c["use"]]

    c0 = time.process_time()
    t0 = time.perf_counter()
    df = pd.read_csv(a.path)
    t_read = time.perf_counter() - t0
    cpu_read = time.process_time() - c0

    c1 = time.process_time()
    t1 = time.perf_counter()
    parts = []
    names = []
    log1p_cols = []
    for c in used:
        name, kind = c["name"], c["kind"]
        if kind in ("number", "count"):
            log = kind == "count" and skewed(df[name])
            if log:
                log1p_cols.append(name)
                steps = [SimpleImputer(strategy="median"), FunctionTransformer(log1p_signed), StandardScaler()]
            else:
                steps = [SimpleImputer(strategy="median"), StandardScaler()]
            parts.append((name, make_pipeline(*steps), [name]))
        elif kind in ("category", "range", "flag"):
            cats = [c["levels"]] if kind == "range" and c.get("levels") else "auto"
            steps = [
                SimpleImputer(strategy="most_frequent"),
                OneHotEncoder(categories=cats, handle_unknown="ignore", sparse_output=False, dtype=np.float32),
                FunctionTransformer(with_other),
            ]
            parts.append((name, make_pipeline(*steps), [name]))
        elif kind == "list":
            parts.append((name, MultiHot(c.get("separator") or ",", a.max_list_items), [name]))
        else:
            raise SystemExit(f"ingest_pandas: kind {kind} of column {name} is not handled")
    ct = ColumnTransformer(parts, remainder="drop", sparse_threshold=0)
    x = ct.fit_transform(df).astype(np.float32, copy=False)
    t_fit = time.perf_counter() - t1
    cpu_fit = time.process_time() - c1

    for (name, est, _), c in zip(ct.transformers_, used):
        kind = c["kind"]
        if kind in ("number", "count"):
            names.append(name)
        elif kind == "list":
            names += [f"{name}:{t}" for t in est.items_] + [f"{name}:<other>"]
        else:
            enc = est.steps[1][1]
            names += [f"{name}={v}" for v in enc.categories_[0]] + [f"{name}=<other>"]

    means = x.mean(axis=0, dtype=np.float64)
    out = {
        "status": "ok",
        "side": "sklearn",
        "timeMs": (t_read + t_fit) * 1000,
        "cpuMs": (cpu_read + cpu_fit) * 1000,
        "stages": {
            "read_csv": {"ms": t_read * 1000, "cpuMs": cpu_read * 1000},
            "fit_transform": {"ms": t_fit * 1000, "cpuMs": cpu_fit * 1000},
        },
        "rows": int(x.shape[0]),
        "cols": int(x.shape[1]),
        "dtype": str(x.dtype),
        "featureNames": names,
        "featureMeans": [float(m) for m in means],
        "log1p": log1p_cols,
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "python": sys.version.split()[0],
        "pandas": pd.__version__,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
    }
    print("BENCH_RESULT " + json.dumps(out), flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - reported to the runner, which records it
        import traceback

        print("BENCH_RESULT " + json.dumps({"status": "error", "reason": traceback.format_exc()}), flush=True)
        sys.exit(1)
