#!/usr/bin/env python3
"""Independent expected values for DealerLens' BG/NBD + Gamma-Gamma fit (src/engine/analysis/clv.rs).

Uses the PyPI `lifetimes` package (0.11.3; `pip install lifetimes pandas`) on the CDNOW data it
ships, copied into tests/data/cdnow/:

* cdnow_customers_summary.csv               frequency / recency / T per customer, in weeks
* cdnow_customers_summary_with_transactions.csv   the same plus the mean repeat spend (zbar)
* CDNOW_sample.txt                          the raw transactions (customer, index, yyyymmdd, qty, amount)

For each model it records lifetimes' own fit (BFGS, tol 1e-7) and a tight re-fit of the same
likelihood with scipy (Nelder-Mead on log-parameters, very small tolerances, started from
lifetimes' answer), so the Rust test can tell an optimizer tolerance from a real difference.
Log-likelihoods are sums over customers in the original time unit (lifetimes reports the mean
over customers of the likelihood of time-rescaled data, which differs by a constant).

Output: tests/data/crosscheck/clv_cdnow.json (also printed).

Run from the repository root:  python3 scripts/crosscheck/clv_cdnow.py
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "tests", "data", "cdnow")
OUT = os.path.join(ROOT, "tests", "data", "crosscheck", "clv_cdnow.json")


def bgnbd_ll(params, x, tx, T):
    """BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), summed, original time unit."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(
        x > 0,
        np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(tx + alpha),
        -np.inf,
    )
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


def gg_ll(params, x, m):
    """Gamma-Gamma log-likelihood (Fader & Hardie, note 025, eq. 1a), summed."""
    p, q, v = params
    return float(
        np.sum(
            gammaln(p * x + q)
            - gammaln(p * x)
            - gammaln(q)
            + q * np.log(v)
            + (p * x - 1) * np.log(m)
            + (p * x) * np.log(x)
            - (p * x + q) * np.log(x * m + v)
        )
    )


def tight_fit(ll, start):
    """Re-maximises `ll` from `start` with tight tolerances (log-parameters)."""
    f = lambda th: -ll(np.exp(th))
    best = np.log(np.asarray(start, dtype=float))
    for _ in range(4):
        res = minimize(
            f,
            best,
            method="Nelder-Mead",
            options={"xatol": 1e-12, "fatol": 1e-13, "maxiter": 200000, "maxfev": 200000},
        )
        best = res.x
    return [float(v) for v in np.exp(best)]


def p_alive(params, x, tx, T):
    r, alpha, a, b = params
    if x == 0:
        return 1.0
    log_div = (r + x) * np.log((alpha + T) / (alpha + tx)) + np.log(a / (b + x - 1))
    return float(1.0 / (1.0 + np.exp(log_div)))


def expected(params, t, x, tx, T):
    """FHL eq. 10 with scipy's hyp2f1 (lifetimes' formula, written out)."""
    r, alpha, a, b = params
    hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    num = (a + b + x - 1) / (a - 1) * (1 - hyp * ((alpha + T) / (alpha + t + T)) ** (r + x))
    den = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return float(num / den)


def main():
    out = {"lifetimes_version": __import__("lifetimes").__version__}

    # --- 1. BG/NBD on the weekly summary -------------------------------------------------
    s = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary.csv"))
    x, tx, T = s["frequency"].values.astype(float), s["recency"].values, s["T"].values
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    lp = [float(bgf.params_[k]) for k in ["r", "alpha", "a", "b"]]
    tp = tight_fit(lambda p: bgnbd_ll(p, x, tx, T), lp)
    ids = [1, 2, 3, 4, 5, 18, 100, 1516, 2357]
    sample = []
    for cid in ids:
        row = s[s["ID"] == cid].iloc[0]
        xi, ti, Ti = float(row["frequency"]), float(row["recency"]), float(row["T"])
        sample.append(
            {
                "id": int(cid),
                "x": xi,
                "t_x": ti,
                "T": Ti,
                "p_alive": float(bgf.conditional_probability_alive(xi, ti, Ti)[0]),
                "expected_39": float(
                    bgf.conditional_expected_number_of_purchases_up_to_time(39, xi, ti, Ti)
                ),
                "expected_52": float(
                    bgf.conditional_expected_number_of_purchases_up_to_time(52, xi, ti, Ti)
                ),
                "expected_52_tight": expected(tp, 52.0, xi, ti, Ti),
                "p_alive_tight": p_alive(tp, xi, ti, Ti),
            }
        )
    out["bgnbd_weeks"] = {
        "customers": int(len(s)),
        "lifetimes": dict(zip(["r", "alpha", "a", "b"], lp)),
        "lifetimes_ll": bgnbd_ll(lp, x, tx, T),
        "tight": dict(zip(["r", "alpha", "a", "b"], tp)),
        "tight_ll": bgnbd_ll(tp, x, tx, T),
        "sample": sample,
    }

    # --- 2. Gamma-Gamma on the summary with mean repeat spend ----------------------------
    g = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv"))
    g = g[g["x"] > 0]
    gx, gm = g["x"].values.astype(float), g["zbar"].values.astype(float)
    ggf = GammaGammaFitter(penalizer_coef=0.0).fit(g["x"], g["zbar"])
    gp = [float(ggf.params_[k]) for k in ["p", "q", "v"]]
    gt = tight_fit(lambda p: gg_ll(p, gx, gm), gp)
    gsample = []
    for cid in [1, 2, 6, 18, 2356]:
        row = g[g["ID"] == cid]
        if row.empty:
            continue
        row = row.iloc[0]
        gsample.append(
            {
                "id": int(cid),
                "x": float(row["x"]),
                "m": float(row["zbar"]),
                "expected_avg": float(
                    ggf.conditional_expected_average_profit(row["x"], row["zbar"])
                ),
            }
        )
    out["gamma_gamma"] = {
        "customers": int(len(g)),
        "lifetimes": dict(zip(["p", "q", "v"], gp)),
        "lifetimes_ll": gg_ll(gp, gx, gm),
        "tight": dict(zip(["p", "q", "v"], gt)),
        "tight_ll": gg_ll(gt, gx, gm),
        "sample": gsample,
    }

    # --- 3. End to end in days from the raw transactions ---------------------------------
    tr = pd.read_csv(
        os.path.join(DATA, "CDNOW_sample.txt"),
        header=None,
        sep=r"\s+",
        names=["customer_id", "customer_index", "date", "quantity", "amount"],
        dtype={"customer_id": str, "date": str},
    )
    tr["date"] = pd.to_datetime(tr["date"], format="%Y%m%d")
    # The Rust side works in fen: round the amounts to cents first, as the ingest does.
    tr["amount"] = (tr["amount"] * 100).round() / 100
    d = summary_data_from_transaction_data(
        tr,
        "customer_id",
        "date",
        monetary_value_col="amount",
        observation_period_end="1998-06-30",
        freq="D",
    )
    bgd = BetaGeoFitter(penalizer_coef=0.0).fit(d["frequency"], d["recency"], d["T"])
    dp = [float(bgd.params_[k]) for k in ["r", "alpha", "a", "b"]]
    dx, dtx, dT = d["frequency"].values.astype(float), d["recency"].values, d["T"].values
    dtp = tight_fit(lambda p: bgnbd_ll(p, dx, dtx, dT), dp)
    rep = d[(d["frequency"] > 0) & (d["monetary_value"] > 0)]
    ggd = GammaGammaFitter(penalizer_coef=0.0).fit(rep["frequency"], rep["monetary_value"])
    dgp = [float(ggd.params_[k]) for k in ["p", "q", "v"]]
    dgt = tight_fit(
        lambda p: gg_ll(p, rep["frequency"].values.astype(float), rep["monetary_value"].values),
        dgp,
    )
    exp365 = bgd.conditional_expected_number_of_purchases_up_to_time(
        365, d["frequency"], d["recency"], d["T"]
    )
    palive = bgd.conditional_probability_alive(d["frequency"], d["recency"], d["T"])
    avg = ggd.conditional_expected_average_profit(d["frequency"], d["monetary_value"])
    dsample = []
    for cid in ["00004", "00018", "00021", "00050", "00111", "23556"]:
        if cid not in d.index:
            continue
        i = d.index.get_loc(cid)
        dsample.append(
            {
                "id": cid,
                "x": float(d["frequency"].iloc[i]),
                "t_x": float(d["recency"].iloc[i]),
                "T": float(d["T"].iloc[i]),
                "monetary": float(d["monetary_value"].iloc[i]),
                "p_alive": float(palive[i]),
                "expected_365": float(exp365.iloc[i]),
                "expected_avg": float(avg.iloc[i]),
                "clv": float(exp365.iloc[i] * avg.iloc[i]),
            }
        )
    out["days_end_to_end"] = {
        "as_of": "1998-06-30",
        "customers": int(len(d)),
        "repeat_customers_for_gg": int(len(rep)),
        "bgnbd_lifetimes": dict(zip(["r", "alpha", "a", "b"], dp)),
        "bgnbd_lifetimes_ll": bgnbd_ll(dp, dx, dtx, dT),
        "bgnbd_tight": dict(zip(["r", "alpha", "a", "b"], dtp)),
        "bgnbd_tight_ll": bgnbd_ll(dtp, dx, dtx, dT),
        "gg_lifetimes": dict(zip(["p", "q", "v"], dgp)),
        "gg_tight": dict(zip(["p", "q", "v"], dgt)),
        "sum_expected_365": float(exp365.sum()),
        "mean_p_alive": float(np.mean(palive)),
        "sum_clv_365": float((exp365 * avg).sum()),
        "sample": dsample,
    }

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
