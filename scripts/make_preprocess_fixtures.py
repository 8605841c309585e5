"""Write the scikit-learn preprocessing fixtures test/fixtures/sklearn/preprocess_*.json.

  preprocess_scalers.json   StandardScaler, RobustScaler, MinMaxScaler (mean_/center_/scale_/
                            data_min_/data_max_ and the transform) on
                              mall  Mall_Customers.csv: Age, Annual Income (k$), Spending Score (1-100)
                              ads   user_profiles_for_ads.csv: the 7 numeric columns except User ID
                              edge  a hand-made 7 x 5 table: a constant column, NaNs, ties, a
                                    column with a tiny spread around a large mean, a negative one
                            (the real files' columns are read by the tests themselves; edge's X is here)
  preprocess_encoders.json  OneHotEncoder(handle_unknown='ignore') fitted on rows 0..799 of the ads
                            file's Gender, Location, Language, Education Level, Device Usage, and
                            on Mall's Genre, then transforming rows 800..999 plus hand-made rows with
                            unseen values; OrdinalEncoder with the range levels in order (Age, Income
                            Level) and with categories='auto' (Education Level); MultiLabelBinarizer
                            on Top Interests split at ','
  preprocess_impute.json    SimpleImputer(strategy='median') and ('most_frequent') on hand-made
                            tables (odd and even counts, ties) and on Mall's numeric columns and
                            the ads file's Education Level with every 7th cell (i % 7 == 3) removed
  preprocess_pipeline.json  a ColumnTransformer on the ads file fitted on rows 0..699 and applied
                            to rows 700..999: numbers and counts SimpleImputer(median) +
                            StandardScaler; categories SimpleImputer(most_frequent) +
                            OneHotEncoder(ignore); ranges OrdinalEncoder(levels) + StandardScaler;
                            Top Interests MultiLabelBinarizer (fitted on rows 0..699)

NaN is written as null. Rerun from the repo root with the Debian interpreter (scikit-learn 1.2.1):

    /usr/bin/python3 scripts/make_preprocess_fixtures.py
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import MinMaxScaler, MultiLabelBinarizer, OneHotEncoder, OrdinalEncoder, RobustScaler, StandardScaler

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
OUT_DIR = REPO_ROOT / "test" / "fixtures" / "sklearn"

AGE_LEVELS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
INCOME_LEVELS = ["0-20k", "20k-40k", "40k-60k", "60k-80k", "80k-100k", "100k+"]
ADS_NUMERIC = [
    "Likes and Reactions",
    "Followed Accounts",
    "Time Spent Online (hrs/weekday)",
    "Time Spent Online (hrs/weekend)",
    "Click-Through Rates (CTR)",
    "Conversion Rates",
    "Ad Interaction Time (sec)",
]
ADS_CATEGORIES = ["Gender", "Location", "Language", "Education Level", "Device Usage"]
MALL_NUMERIC = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]


def jsonable(a):
    """Nested lists of floats with NaN as None."""
    arr = np.asarray(a, dtype=object)
    if arr.ndim == 0:
        v = arr.item()
        if isinstance(v, (float, np.floating)) and np.isnan(v):
            return None
        return v.item() if hasattr(v, "item") else v
    return [jsonable(x) for x in arr]


def floats(a):
    return jsonable(np.asarray(a, dtype=np.float64))


def write(name, obj):
    obj["sklearn_version"] = sklearn.__version__
    path = OUT_DIR / f"preprocess_{name}.json"
    path.write_text(json.dumps(obj, allow_nan=False) + "\n")
    print("wrote", path.relative_to(REPO_ROOT))


def split_items(cell):
    return [s.strip() for s in cell.split(",") if s.strip()]


def scalers():
    mall = pd.read_csv(DATA_DIR / "Mall_Customers.csv")
    ads = pd.read_csv(DATA_DIR / "user_profiles_for_ads.csv")
    nan = np.nan
    edge = np.array(
        [
            [5.0, 1.0, 1.0, 1e9 + 0.25, -3.0],
            [5.0, nan, 1.0, 1e9 + 0.5, -1.0],
            [5.0, 3.0, 1.0, 1e9 + 0.25, 0.0],
            [5.0, 4.0, 2.0, 1e9 + 0.75, 2.0],
            [5.0, nan, 2.0, 1e9 + 0.25, 8.0],
            [5.0, 10.0, 2.0, 1e9 + 0.5, -7.5],
            [5.0, 4.0, 2.0, 1e9 + 0.5, 0.125],
        ]
    )
    out = {"datasets": []}
    for name, X, columns in [
        ("mall", mall[MALL_NUMERIC].to_numpy(dtype=np.float64), MALL_NUMERIC),
        ("ads", ads[ADS_NUMERIC].to_numpy(dtype=np.float64), ADS_NUMERIC),
        ("edge", edge, ["constant", "with_nan", "ties", "tiny_spread", "negative"]),
    ]:
        std = StandardScaler().fit(X)
        rob = RobustScaler().fit(X)
        mm = MinMaxScaler().fit(X)
        mm2 = MinMaxScaler(feature_range=(-1, 2)).fit(X)
        rob2 = RobustScaler(quantile_range=(10.0, 90.0)).fit(X)
        entry = {
            "name": name,
            "columns": columns,
            "standard": {"mean": floats(std.mean_), "scale": floats(std.scale_), "transform": floats(std.transform(X))},
            "robust": {"center": floats(rob.center_), "scale": floats(rob.scale_), "transform": floats(rob.transform(X))},
            "robust_10_90": {"center": floats(rob2.center_), "scale": floats(rob2.scale_), "transform": floats(rob2.transform(X))},
            "minmax": {"data_min": floats(mm.data_min_), "data_max": floats(mm.data_max_), "transform": floats(mm.transform(X))},
            "minmax_-1_2": {"transform": floats(mm2.transform(X))},
        }
        if name == "edge":
            entry["X"] = floats(X)
        out["datasets"].append(entry)
    write("scalers", out)


def encoders():
    ads = pd.read_csv(DATA_DIR / "user_profiles_for_ads.csv")
    mall = pd.read_csv(DATA_DIR / "Mall_Customers.csv")
    onehot = []
    unseen = {
        "Gender": ["Non-binary", "female"],
        "Location": ["Remote"],
        "Language": ["Klingon", "French"],
        "Education Level": ["Doctorate"],
        "Device Usage": ["Smart TV"],
    }
    for col in ADS_CATEGORIES:
        fit_values = ads[col].iloc[:800].to_numpy(dtype=object).reshape(-1, 1)
        values = list(ads[col].iloc[800:]) + unseen[col]
        enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(fit_values)
        onehot.append(
            {
                "file": "user_profiles_for_ads.csv",
                "column": col,
                "fit_rows": [0, 800],
                "transform_rows": [800, 1000],
                "extra_values": unseen[col],
                "categories": list(enc.categories_[0]),
                "transform": floats(enc.transform(np.array(values, dtype=object).reshape(-1, 1))),
            }
        )
    genre = mall["Genre"].to_numpy(dtype=object).reshape(-1, 1)
    enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(genre)
    onehot.append(
        {
            "file": "Mall_Customers.csv",
            "column": "Genre",
            "fit_rows": [0, 200],
            "transform_rows": [0, 200],
            "extra_values": ["Other"],
            "categories": list(enc.categories_[0]),
            "transform": floats(enc.transform(np.array(list(mall["Genre"]) + ["Other"], dtype=object).reshape(-1, 1))),
        }
    )
    ordinal = []
    for col, levels in [("Age", AGE_LEVELS), ("Income Level", INCOME_LEVELS), ("Education Level", None)]:
        X = ads[[col]].to_numpy(dtype=object)
        enc = OrdinalEncoder(categories=[levels] if levels else "auto").fit(X)
        ordinal.append(
            {
                "column": col,
                "levels": levels,
                "categories": list(enc.categories_[0]),
                "transform": floats(enc.transform(X)[:, 0]),
            }
        )
    items = [split_items(c) for c in ads["Top Interests"]]
    mlb = MultiLabelBinarizer().fit(items)
    multihot = {"column": "Top Interests", "classes": list(mlb.classes_), "transform": floats(mlb.transform(items))}
    write("encoders", {"onehot": onehot, "ordinal": ordinal, "multihot": multihot})


def impute():
    nan = np.nan
    numeric = np.array(
        [
            [1.0, nan, 2.0, 7.0],
            [nan, 4.0, 2.0, 7.0],
            [3.0, 2.0, nan, 1.0],
            [10.0, nan, 5.0, 1.0],
            [nan, 8.0, 5.0, nan],
            [2.0, 6.0, 2.0, nan],
        ]
    )
    mall = pd.read_csv(DATA_DIR / "Mall_Customers.csv")
    M = mall[MALL_NUMERIC].to_numpy(dtype=np.float64)
    M[np.arange(len(M)) % 7 == 3, :] = nan
    labels = np.array(
        [
            ["b", "x", "q"],
            ["a", None, "q"],
            ["a", "y", None],
            ["b", "y", "r"],
            [None, "x", "r"],
        ],
        dtype=object,
    )
    ads = pd.read_csv(DATA_DIR / "user_profiles_for_ads.csv")
    edu = ads[["Education Level"]].to_numpy(dtype=object)
    edu[np.arange(len(edu)) % 7 == 3, 0] = None
    numeric_modes = np.array([[3.0, 1.0], [1.0, 1.0], [3.0, 2.0], [nan, 2.0], [1.0, nan]])
    out = {"median": [], "most_frequent": []}
    for name, X in [("hand", numeric), ("mall_every_7th_missing", M)]:
        imp = SimpleImputer(strategy="median").fit(X)
        out["median"].append({"name": name, "X": floats(X), "statistics": floats(imp.statistics_), "transform": floats(imp.transform(X))})
    imp = SimpleImputer(strategy="most_frequent").fit(numeric_modes)
    out["most_frequent"].append({"name": "hand_numbers", "X": floats(numeric_modes), "statistics": floats(imp.statistics_)})
    for name, X in [("hand_labels", labels), ("ads_education_every_7th_missing", edu)]:
        imp = SimpleImputer(strategy="most_frequent", missing_values=None).fit(X)
        out["most_frequent"].append(
            {"name": name, "X": X.tolist(), "statistics": list(imp.statistics_), "transform": imp.transform(X).tolist()}
        )
    write("impute", out)


def pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline

    ads = pd.read_csv(DATA_DIR / "user_profiles_for_ads.csv")
    fit, apply = ads.iloc[:700], ads.iloc[700:]
    ct = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ADS_NUMERIC),
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)), ADS_CATEGORIES),
            ("rng", make_pipeline(OrdinalEncoder(categories=[AGE_LEVELS, INCOME_LEVELS]), StandardScaler()), ["Age", "Income Level"]),
        ]
    ).fit(fit)
    names = list(ADS_NUMERIC)
    for col, cats in zip(ADS_CATEGORIES, ct.named_transformers_["cat"][-1].categories_):
        names += [f"{col}={c}" for c in cats]
    names += ["Age", "Income Level"]
    Z = ct.transform(apply)
    mlb = MultiLabelBinarizer().fit([split_items(c) for c in fit["Top Interests"]])
    L = mlb.transform([split_items(c) for c in apply["Top Interests"]])
    names += [f"Top Interests:{c}" for c in mlb.classes_]
    Z = np.hstack([Z, L])
    write(
        "pipeline",
        {"file": "user_profiles_for_ads.csv", "fit_rows": [0, 700], "transform_rows": [700, 1000], "feature_names": names, "transform": floats(Z)},
    )


if __name__ == "__main__":
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    scalers()
    encoders()
    impute()
    pipeline()
