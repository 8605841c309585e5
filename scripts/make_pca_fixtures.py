"""Write scikit-learn PCA reference fixtures: test/fixtures/sklearn/pca_<name>.json.

For each clustering fixture made by scripts/make_fixtures.py (its X: standardised real tables
and make_blobs data, see test/fixtures/sklearn/README.md) this fits scikit-learn's PCA with
svd_solver='full' (the exact SVD; 'auto' would switch to the randomized solver above 500 rows)
in three settings:

  full        n_components=None: every component, min(n, d) of them
  whiten2     n_components=2 (1 when d = 1), whiten=True
  fraction    n_components=<a fraction f in (0, 1)>, f chosen so that no cumulative explained
              variance ratio lies within 0.01 of it (the choice is then not a matter of rounding)

and records components_, explained_variance_, explained_variance_ratio_, singular_values_,
mean_, noise_variance_, n_components_, the transform of a few rows (the first five, the middle
one and the last) and inverse_transform of that transform. pca_edges.json holds small edge
cases: one column, two rows, and a constant column (a zero-variance component).

Run from the repo root with the Debian interpreter (python3-sklearn 1.2.1):

    /usr/bin/python3 scripts/make_pca_fixtures.py
"""

import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.decomposition import PCA

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "test" / "fixtures" / "sklearn"
DATASETS = ("mall", "ads", "tiktok", "wellbeing", "blobs8", "blobs_overlap")
FRACTIONS = (0.8, 0.85, 0.75, 0.9, 0.7, 0.6)


def probe_rows(n):
    return sorted(set(list(range(min(5, n))) + [n // 2, n - 1]))


def describe(X, rows, **params):
    pca = PCA(svd_solver="full", **params).fit(X)
    Z = pca.transform(X[rows])
    return {
        "params": params,
        "n_components": int(pca.n_components_),
        "components": pca.components_.tolist(),
        "explained_variance": pca.explained_variance_.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "singular_values": pca.singular_values_.tolist(),
        "mean": pca.mean_.tolist(),
        "noise_variance": float(pca.noise_variance_),
        "rows": rows,
        "transform": Z.tolist(),
        "inverse_transform": pca.inverse_transform(Z).tolist(),
    }


def pick_fraction(X):
    ratio = PCA(svd_solver="full").fit(X).explained_variance_ratio_
    cumsum = np.cumsum(ratio)
    for f in FRACTIONS:
        if np.min(np.abs(cumsum - f)) > 0.01:
            return f
    raise RuntimeError("no fraction clear of the cumulative ratios")


def build(name):
    source = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    X = np.asarray(source["X"], dtype=np.float64)
    n, d = X.shape
    rows = probe_rows(n)
    return {
        "name": name,
        "source": f"X of test/fixtures/sklearn/{name}.json ({source['preprocessing']})",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "n": n,
        "d": d,
        "fits": {
            "full": describe(X, rows),
            "whiten2": describe(X, rows, n_components=min(2, d), whiten=True),
            "fraction": describe(X, rows, n_components=pick_fraction(X)),
        },
    }


def build_edges():
    mall = np.asarray(json.loads((FIXTURES / "mall.json").read_text(encoding="utf-8"))["X"], dtype=np.float64)
    one_column = mall[:, :1]
    two_rows = mall[[0, 7], :2]
    constant = np.column_stack([mall[:, 0], np.full(mall.shape[0], 3.5), mall[:, 2]])
    cases = {
        "one_column": (one_column, {}),
        "two_rows": (two_rows, {}),
        "constant_column": (constant, {}),
    }
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "cases": {}}
    for key, (X, params) in cases.items():
        fit = describe(X, probe_rows(X.shape[0]), **params)
        fit["X"] = X.tolist()
        out["cases"][key] = fit
    return out


def write(name, obj):
    path = FIXTURES / f"{name}.json"
    path.write_text(json.dumps(obj, separators=(",", ":"), allow_nan=False) + "\n", encoding="utf-8")
    return path


def main():
    print(f"sklearn {sklearn.__version__}, numpy {np.__version__}")
    for name in DATASETS:
        obj = build(name)
        path = write(f"pca_{name}", obj)
        fits = obj["fits"]
        ratios = ", ".join(f"{r:.4f}" for r in fits["full"]["explained_variance_ratio"])
        print(
            f"{path.relative_to(REPO_ROOT)}: n={obj['n']} d={obj['d']} ratios [{ratios}] "
            f"fraction {fits['fraction']['params']['n_components']} -> {fits['fraction']['n_components']}"
        )
    path = write("pca_edges", build_edges())
    print(f"{path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
