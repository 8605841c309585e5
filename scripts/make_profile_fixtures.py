# SPDX-License-Identifier: MIT
"""Reference segment profiles computed with pandas/numpy, for test/profile/fixtures.test.ts.

Reads two real files of ../shared/data, gives each row a segment by a fixed rule (written to the
fixture, so the test does not repeat the rule), blanks a few cells (rows listed in the fixture)
to exercise missing values, and writes per segment: numeric mean, std (ddof=0), quartiles
(numpy's default linear interpolation), min/max, standardised difference from the population;
category and range shares and lifts; range median levels; list item shares and lifts.

Run: /usr/bin/python3 scripts/make_profile_fixtures.py
"""
import json
import math
import os

import numpy as np
import pandas as pd

DATA = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data')
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'profile')


def finite(x):
    x = float(x)
    assert math.isfinite(x), x
    return x


def numeric(df, col, labels):
    pop = df[col].dropna().to_numpy(dtype=np.float64)
    pmean = pop.mean()
    pstd = pop.std(ddof=0)
    out = {}
    groups = {'all': np.ones(len(df), dtype=bool)}
    for g in sorted(set(labels)):
        groups[str(g)] = labels == g
    for key, mask in groups.items():
        s = df.loc[mask, col]
        x = s.dropna().to_numpy(dtype=np.float64)
        entry = {'count': int(len(x)), 'missing': int(s.isna().sum())}
        if len(x) > 0:
            q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])  # method='linear', numpy's default
            entry.update(
                mean=finite(x.mean()),
                std=finite(x.std(ddof=0)),
                min=finite(x.min()),
                q1=finite(q1),
                median=finite(med),
                q3=finite(q3),
                max=finite(x.max()),
                # pandas' own median as a second opinion on the quantile definition
                pandasMedian=finite(s.median()),
                stdDiff=finite((x.mean() - pmean) / pstd) if pstd > 0 else 0.0,
            )
        out[key] = entry
    return out


def shares(series, labels, explode_sep=None):
    """share = count / non-missing rows of the group; lift = share / population share."""
    present = series.notna()
    if explode_sep is not None:
        items = series.dropna().str.split(explode_sep).apply(lambda xs: sorted({x.strip() for x in xs if x.strip()}))
        long = items.explode().dropna()
        row_of = long.index
    else:
        long = series.dropna()
        row_of = long.index
    pop_counts = long.value_counts()
    pop_total = int(present.sum())
    out = {'all': {v: {'count': int(c), 'share': c / pop_total, 'lift': 1.0} for v, c in pop_counts.items()}}
    lab = pd.Series(labels, index=series.index)
    for g in sorted(set(labels)):
        total = int((present & (lab == g)).sum())
        counts = long[lab.loc[row_of].to_numpy() == g].value_counts()
        out[str(g)] = {
            v: {'count': int(c), 'share': c / total, 'lift': (c / total) / (pop_counts[v] / pop_total)} for v, c in counts.items()
        }
        out[str(g) + ':total'] = total
    out['all:total'] = pop_total
    return out


def median_level(series, levels, labels):
    code = series.map({l: i for i, l in enumerate(levels)})
    out = {}
    groups = {'all': np.ones(len(series), dtype=bool)}
    for g in sorted(set(labels)):
        groups[str(g)] = labels == g
    for key, mask in groups.items():
        c = code[mask].dropna()
        # the lower median: the ceil(m/2)-th smallest level
        out[key] = levels[int(c.quantile(0.5, interpolation='lower'))] if len(c) else None
    return out


def blank(df, col, every, start):
    rows = list(range(start, len(df), every))
    df.loc[rows, col] = np.nan
    return rows


def ads():
    df = pd.read_csv(os.path.join(DATA, 'user_profiles_for_ads.csv'))
    # Segments by a rule on behaviour; every 10th user is noise.
    weekend = df['Time Spent Online (hrs/weekend)']
    ctr = df['Click-Through Rates (CTR)']
    labels = np.where(weekend >= 5, 0, np.where(ctr >= 0.15, 1, 2))
    labels = np.where(df['User ID'] % 10 == 0, -1, labels).astype(int)
    missing = {
        'Click-Through Rates (CTR)': blank(df, 'Click-Through Rates (CTR)', 17, 3),
        'Location': blank(df, 'Location', 23, 5),
        'Top Interests': blank(df, 'Top Interests', 31, 7),
    }
    age_levels = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+']
    income_levels = ['0-20k', '20k-40k', '40k-60k', '60k-80k', '80k-100k', '100k+']
    nums = ['Likes and Reactions', 'Followed Accounts', 'Time Spent Online (hrs/weekday)', 'Time Spent Online (hrs/weekend)',
            'Click-Through Rates (CTR)', 'Conversion Rates', 'Ad Interaction Time (sec)']
    cats = ['Gender', 'Location', 'Language', 'Education Level', 'Device Usage']
    return {
        'file': 'user_profiles_for_ads.csv',
        'labels': labels.tolist(),
        'blank': missing,
        'numeric': {c: numeric(df, c, labels) for c in nums},
        'category': {c: shares(df[c], labels) for c in cats},
        'range': {
            'Age': {'levels': age_levels, 'shares': shares(df['Age'], labels), 'median': median_level(df['Age'], age_levels, labels)},
            'Income Level': {'levels': income_levels, 'shares': shares(df['Income Level'], labels),
                             'median': median_level(df['Income Level'], income_levels, labels)},
        },
        'list': {'Top Interests': shares(df['Top Interests'], labels, explode_sep=',')},
    }


def mall():
    df = pd.read_csv(os.path.join(DATA, 'Mall_Customers.csv'))
    income = df['Annual Income (k$)']
    score = df['Spending Score (1-100)']
    labels = np.where(score >= 60, 0, np.where(income >= 70, 1, 2)).astype(int)
    missing = {'Age': blank(df, 'Age', 13, 2)}
    nums = ['Age', 'Annual Income (k$)', 'Spending Score (1-100)']
    return {
        'file': 'Mall_Customers.csv',
        'labels': labels.tolist(),
        'blank': missing,
        'numeric': {c: numeric(df, c, labels) for c in nums},
        'category': {'Genre': shares(df['Genre'], labels)},
        'range': {},
        'list': {},
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in [('ads', ads), ('mall', mall)]:
        path = os.path.join(OUT, name + '.json')
        with open(path, 'w') as f:
            json.dump(make(), f, indent=1, allow_nan=False)
            f.write('\n')
        print('wrote', os.path.relpath(path))


if __name__ == '__main__':
    main()
