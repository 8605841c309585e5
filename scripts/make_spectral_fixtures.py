"""Write the scikit-learn spectral clustering fixtures test/fixtures/sklearn/spectral_<name>.json.

For each dataset below and each affinity ('rbf' with gamma=1.0, 'nearest_neighbors' with
n_neighbors=10), SpectralClustering(n_clusters=k, assign_labels='kmeans', n_init=10) is fitted
with random_state 0..4. A fixture records:

  labels          the labels of random_state=0
  min_seed_ari    the smallest adjusted Rand index between the labelings of any two seeds: how
                  stable scikit-learn itself is on this case (tests compare with ours only where
                  it is at least 0.95)
  eigenvalues     the k + 1 smallest eigenvalues of the normalised Laplacian of the affinity
                  (scipy csgraph.laplacian(normed=True), a dense eigh: n is small here)
  embedding       spectral_embedding(affinity, n_components=k, drop_first=False,
                  random_state=0): D^-1/2 x, sign-flipped, [n, k]
  components      connected components of the affinity graph

  blobs    make_blobs(n_samples=300, n_features=4, centers=4, cluster_std=1.0, random_state=3), k=4
  mall     Mall_Customers.csv: Age, Annual Income (k$), Spending Score (1-100); StandardScaler; k=5
  moons    make_moons(n_samples=300, noise=0.06, random_state=0), k=2
  circles  make_circles(n_samples=300, factor=0.5, noise=0.05, random_state=0), k=2

Run from the repo root with the Debian interpreter (scikit-learn 1.2.1):

    /usr/bin/python3 scripts/make_spectral_fixtures.py
"""

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from scipy.sparse import csgraph, issparse
from sklearn.cluster import SpectralClustering
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.manifold import spectral_embedding
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
OUT_DIR = REPO_ROOT / "test" / "fixtures" / "sklearn"
SEEDS = range(5)
GAMMA = 1.0
N_NEIGHBORS = 10


def datasets():
    X, _ = make_blobs(n_samples=300, n_features=4, centers=4, cluster_std=1.0, random_state=3)
    yield "blobs", X, 4, "make_blobs(n_samples=300, n_features=4, centers=4, cluster_std=1.0, random_state=3)"
    cols = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    df = pd.read_csv(DATA_DIR / "Mall_Customers.csv")
    X = StandardScaler().fit_transform(df[cols].to_numpy(dtype=np.float64))
    yield "mall", X, 5, "Mall_Customers.csv Age, Annual Income (k$), Spending Score (1-100); StandardScaler"
    X, _ = make_moons(n_samples=300, noise=0.06, random_state=0)
    yield "moons", X, 2, "make_moons(n_samples=300, noise=0.06, random_state=0)"
    X, _ = make_circles(n_samples=300, factor=0.5, noise=0.05, random_state=0)
    yield "circles", X, 2, "make_circles(n_samples=300, factor=0.5, noise=0.05, random_state=0)"


def case(X, k, affinity):
    labelings = []
    model = None
    for seed in SEEDS:
        sc = SpectralClustering(
            n_clusters=k, affinity=affinity, gamma=GAMMA, n_neighbors=N_NEIGHBORS, random_state=seed,
            assign_labels="kmeans", n_init=10,
        ).fit(X)
        labelings.append(sc.labels_)
        if seed == 0:
            model = sc
    aff = model.affinity_matrix_
    dense = aff.toarray() if issparse(aff) else np.asarray(aff)
    lap = csgraph.laplacian(dense, normed=True)
    eigenvalues = np.linalg.eigvalsh(lap)[: k + 1]
    embedding = spectral_embedding(aff, n_components=k, drop_first=False, random_state=0)
    n_comp, _ = csgraph.connected_components(dense != 0, directed=False)
    min_ari = min(adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2))
    return dict(
        affinity=affinity,
        gamma=GAMMA,
        n_neighbors=N_NEIGHBORS,
        k=k,
        labels=labelings[0].tolist(),
        min_seed_ari=float(min_ari),
        eigenvalues=eigenvalues.tolist(),
        embedding=embedding.tolist(),
        components=int(n_comp),
    )


def main():
    for name, X, k, source in datasets():
        out = dict(
            name=name,
            source=source,
            sklearn_version=sklearn.__version__,
            n=int(X.shape[0]),
            d=int(X.shape[1]),
            X=X.tolist(),
            cases=[case(X, k, "rbf"), case(X, k, "nearest_neighbors")],
        )
        path = OUT_DIR / f"spectral_{name}.json"
        path.write_text(json.dumps(out) + "\n")
        summary = ", ".join(f"{c['affinity']}: min seed ARI {c['min_seed_ari']:.3f}, eig {np.round(c['eigenvalues'], 5).tolist()}" for c in out["cases"])
        print(f"{path.name}: n={out['n']} d={out['d']} k={k}; {summary}")


if __name__ == "__main__":
    main()
