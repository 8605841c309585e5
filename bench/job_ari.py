# SPDX-License-Identifier: MIT
"""Adjusted Rand index of each side's segments in bench/job.ts against the planted truth, by
scikit-learn's adjusted_rand_score (the reference). Rows are matched on `User ID`.

usage: job_ari.py --truth TRUTH.csv --labels NAME=SEGMENTS.csv [--labels NAME=...]
Prints one line `BENCH_RESULT {json}`: for each name the ARI, the segments found and the rows.
"""
import argparse
import json

import pandas as pd
from sklearn.metrics import adjusted_rand_score


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--truth", required=True)
    p.add_argument("--labels", action="append", default=[], help="NAME=PATH of a CSV with 'User ID' and 'segment'")
    a = p.parse_args()
    truth = pd.read_csv(a.truth)
    out = {"status": "ok", "rows": int(len(truth)), "planted": int(truth["planted_segment"].nunique()), "sides": {}}
    for item in a.labels:
        name, path = item.split("=", 1)
        seg = pd.read_csv(path, usecols=["User ID", "segment"])
        both = truth.merge(seg, on="User ID", how="inner", validate="one_to_one")
        if len(both) != len(truth):
            out["sides"][name] = {"status": "error", "reason": f"{len(both)} of {len(truth)} users matched on User ID"}
            continue
        out["sides"][name] = {
            "status": "ok",
            "ari": float(adjusted_rand_score(both["planted_segment"], both["segment"])),
            "segments": int(both["segment"].nunique()),
        }
    print("BENCH_RESULT " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
