#!/usr/bin/env python3
"""Writes tests/data/crosscheck/synthetic_transactions.csv: a small, deterministic set of
service transactions (a few hundred rows) for the Pareto / RFM cross-check, with the cases the
tie and refund rules are about:

* S901 and S902: one visit each, same day, same amount (tied on R, F and M);
* S903, S904, S905: the same total (1,200.00) from different visit patterns;
* S906: a refund larger than the sale (negative total); S907: a partial refund;
* S908: a single zero-amount visit; S909: two rows on one day (one visit);
* rows with an empty service type or region (grouped as "").

Columns: customer,date,amount,service_type,region (amount in yuan, two decimals).
Run from the repository root:  python3 scripts/crosscheck/make_synthetic.py
"""
import datetime as dt
import os
import random

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "crosscheck", "synthetic_transactions.csv")

SERVICE = ["首保", "定期保养", "一般维修", "事故车", "钣喷", "保险", ""]
REGION = ["市区", "县城", "乡镇", ""]
START = dt.date(2023, 1, 1)
END = dt.date(2024, 12, 31)


def main():
    rng = random.Random(20240501)
    rows = []
    span = (END - START).days
    for i in range(1, 101):
        cid = f"S{i:03d}"
        region = rng.choice(REGION[:3]) if rng.random() > 0.1 else ""
        n = rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 8])
        first = rng.randrange(0, span)
        for _ in range(n):
            day = START + dt.timedelta(days=min(span, first + rng.randrange(0, span - first + 1)))
            amount = rng.choice([rng.randrange(100, 800), rng.randrange(800, 5000), rng.randrange(5000, 30000)])
            cents = rng.choice([0, 0, 50, 99])
            rows.append((cid, day, f"{amount}.{cents:02d}", rng.choice(SERVICE), region))
    # The hand-made cases.
    d = lambda s: dt.date.fromisoformat(s)
    rows += [
        ("S901", d("2024-06-01"), "880.00", "定期保养", "市区"),
        ("S902", d("2024-06-01"), "880.00", "定期保养", "市区"),
        ("S903", d("2024-03-01"), "1200.00", "一般维修", "县城"),
        ("S904", d("2023-03-01"), "600.00", "一般维修", "县城"),
        ("S904", d("2024-03-01"), "600.00", "一般维修", "县城"),
        ("S905", d("2023-05-01"), "400.00", "定期保养", "乡镇"),
        ("S905", d("2023-11-01"), "400.00", "定期保养", "乡镇"),
        ("S905", d("2024-05-01"), "400.00", "定期保养", "乡镇"),
        ("S906", d("2024-02-10"), "500.00", "一般维修", "市区"),
        ("S906", d("2024-02-20"), "-800.00", "一般维修", "市区"),
        ("S907", d("2024-07-01"), "3000.00", "事故车", ""),
        ("S907", d("2024-07-15"), "-1000.00", "事故车", ""),
        ("S908", d("2024-09-09"), "0.00", "保险", "县城"),
        ("S909", d("2024-10-10"), "300.00", "定期保养", "市区"),
        ("S909", d("2024-10-10"), "450.50", "", "市区"),
    ]
    rng.shuffle(rows)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("customer,date,amount,service_type,region\n")
        for cid, day, amount, st, region in rows:
            f.write(f"{cid},{day.isoformat()},{amount},{st},{region}\n")
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
