#!/usr/bin/env python3
"""Independent expected values for DealerLens' Pareto / ABC and RFM (src/engine/analysis/
pareto.rs and rfm.rs), computed with pandas from tests/data/crosscheck/synthetic_transactions.csv
(written by make_synthetic.py). The rules implemented here are the ones documented in the Rust
modules, written again from the documentation, not translated from the Rust code:

* a visit = a distinct customer-day (the CSV has no order numbers); revenue = net sum in fen;
  recency = days from the last visit to as_of = the latest date in the file;
* Pareto: sort by revenue desc, customer id asc; shares against the sum of positive totals;
  top count = ceil(0.2 n); count for 80 % = fewest customers whose cumulative revenue reaches
  80 %; ABC: A while the cumulative share before the customer is < 80 %, B while < 95 %, else C;
  Gini over totals clipped at 0 (ascending, 1-based);
* RFM scores: 1 + floor(5 (rank_min − 1) / n) with rank over R = −recency, F = visits,
  M = revenue; a dimension where everyone is equal scores 3;
* 8 classes against the means (equal to the mean = high; R high = recency ≤ mean);
* named segments on the R × round-half-up((F + M) / 2) grid.
Also the Pareto by service type (empty value = group "").

Output: tests/data/crosscheck/pareto_rfm.json (also summarised on stdout).
Run from the repository root:  python3 scripts/crosscheck/pareto_rfm.py
"""
import json
import math
import os
from fractions import Fraction

import numpy as np
import pandas as pd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CSV = os.path.join(ROOT, "tests", "data", "crosscheck", "synthetic_transactions.csv")
OUT = os.path.join(ROOT, "tests", "data", "crosscheck", "pareto_rfm.json")

A_SHARE, B_SHARE, TOP = Fraction(80, 100), Fraction(95, 100), Fraction(20, 100)

GRID = {
    5: ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
    4: ["promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"],
    3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
    1: ["lost", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
}


def pareto(totals: pd.Series):
    """totals: index = label, values = fen (int)."""
    df = pd.DataFrame({"label": totals.index.astype(str), "rev": totals.values.astype(np.int64)})
    df = df.sort_values(["rev", "label"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    df["pos"] = df["rev"].clip(lower=0)
    P = int(df["pos"].sum())
    n = len(df)
    df["cum"] = df["pos"].cumsum()
    df["before"] = df["cum"] - df["pos"]
    top_count = math.ceil(TOP * n)
    cls = []
    for b in df["before"]:
        if P > 0 and Fraction(int(b), P) < A_SHARE:
            cls.append("A")
        elif P > 0 and Fraction(int(b), P) < B_SHARE:
            cls.append("B")
        else:
            cls.append("C")
    df["class"] = cls
    count80 = int(next(i + 1 for i, c in enumerate(df["cum"]) if Fraction(int(c), P) >= A_SHARE))
    asc = np.sort(df["pos"].values.astype(float))
    i = np.arange(1, n + 1)
    gini = float(2 * np.sum(i * asc) / (n * asc.sum()) - (n + 1) / n)
    abc = {
        k: {"count": int((df["class"] == k).sum()), "revenue_fen": int(df.loc[df["class"] == k, "rev"].sum())}
        for k in "ABC"
    }
    return {
        "items": n,
        "total_fen": int(df["rev"].sum()),
        "positive_total_fen": P,
        "top_count": top_count,
        "top20_share": float(df["pos"].iloc[:top_count].sum() / P),
        "count_for_80pct": count80,
        "crossing_revenue_share": float(df["cum"].iloc[count80 - 1] / P),
        "gini": gini,
        "abc": abc,
        "negative_count": int((df["rev"] < 0).sum()),
        "order": df["label"].tolist(),
        "classes": dict(zip(df["label"], df["class"])),
    }


def scores(values: pd.Series) -> pd.Series:
    n = len(values)
    if values.nunique() == 1:
        return pd.Series(3, index=values.index)
    rank = values.rank(method="min")
    return (1 + np.floor(5 * (rank - 1) / n)).clip(upper=5).astype(int)


def main():
    tx = pd.read_csv(CSV, dtype={"customer": str, "amount": str, "service_type": str, "region": str},
                     keep_default_na=False)
    tx["date"] = pd.to_datetime(tx["date"])
    tx["fen"] = tx["amount"].map(lambda s: int(round(float(s) * 100)))
    as_of = tx["date"].max()
    g = tx.groupby("customer")
    cust = pd.DataFrame(
        {
            "revenue": g["fen"].sum(),
            "visits": g["date"].nunique(),
            "recency": (as_of - g["date"].max()).dt.days,
        }
    ).sort_index()
    cust["R"] = scores(-cust["recency"])
    cust["F"] = scores(cust["visits"])
    cust["M"] = scores(cust["revenue"])
    mr, mf, mm = cust["recency"].mean(), cust["visits"].mean(), cust["revenue"].mean()
    n = len(cust)
    # Exact comparisons with the mean: value * n vs sum.
    r_high = cust["recency"] * n <= cust["recency"].sum()
    f_high = cust["visits"] * n >= cust["visits"].sum()
    m_high = cust["revenue"] * n >= cust["revenue"].sum()
    names = {
        (True, True, True): "important_value",
        (True, False, True): "important_develop",
        (False, True, True): "important_retain",
        (False, False, True): "important_winback",
        (True, True, False): "general_value",
        (True, False, False): "general_develop",
        (False, True, False): "general_retain",
        (False, False, False): "general_winback",
    }
    cust["rfm8"] = [names[(a, b, c)] for a, b, c in zip(r_high, f_high, m_high)]
    cust["named"] = [GRID[r][(f + m + 1) // 2 - 1] for r, f, m in zip(cust["R"], cust["F"], cust["M"])]
    p = pareto(cust["revenue"])
    cust["abc"] = [p["classes"][c] for c in cust.index]
    by_type = tx.groupby("service_type")["fen"].sum()
    pt = pareto(by_type)
    out = {
        "as_of": as_of.date().isoformat(),
        "customers": {
            cid: {
                "revenue_fen": int(r["revenue"]),
                "visits": int(r["visits"]),
                "recency_days": int(r["recency"]),
                "r": int(r["R"]),
                "f": int(r["F"]),
                "m": int(r["M"]),
                "rfm8": r["rfm8"],
                "named": r["named"],
                "abc": r["abc"],
            }
            for cid, r in cust.iterrows()
        },
        "means": {"recency_days": float(mr), "visits": float(mf), "revenue_fen": float(mm)},
        "rfm8_counts": {k: int(v) for k, v in cust["rfm8"].value_counts().sort_index().items()},
        "named_counts": {k: int(v) for k, v in cust["named"].value_counts().sort_index().items()},
        "pareto_customers": {k: v for k, v in p.items() if k != "classes"},
        "pareto_service_type": {k: v for k, v in pt.items() if k != "classes"},
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    pc = out["pareto_customers"]
    print(f"customers={n} as_of={out['as_of']} top20_share={pc['top20_share']:.12f} "
          f"count_for_80pct={pc['count_for_80pct']} gini={pc['gini']:.12f} abc={pc['abc']}")
    print("rfm8", out["rfm8_counts"])
    print("named", out["named_counts"])
    print("service_type", {k: out["pareto_service_type"][k] for k in ["items", "top20_share", "count_for_80pct", "gini"]})


if __name__ == "__main__":
    main()
