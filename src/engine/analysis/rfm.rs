//! RFM (product.md, "Analyses" 3): Recency = days from the last visit to `as_of` (0 when the
//! last visit is after it), Frequency = visits, Monetary = net revenue. Three results:
//!
//! **Scores 1–`bins` (quintiles by default, higher = better).** Rank-based with a fixed tie
//! rule: sort the customers by the value (F and M ascending; R by *descending* recency days, so
//! that more recent = better); a customer's score is
//! `1 + floor(bins × w / n)`, capped at `bins`, where `w` is the number of customers with a
//! strictly *worse* value (smaller F or M, more days for R). Customers with equal values get
//! the same score — the score of the first of them in the sorted order — so a large tied group
//! is never split across scores (e.g. when 60 % of customers have one visit, they all get F = 1
//! and the next value starts at 1 + floor(5 × 0.6) = 4). When every customer has the same value
//! (including a single customer), everybody gets the middle score `(bins + 1) / 2` (3 for
//! quintiles): no value is better or worse than another. This equals pandas'
//! `1 + floor(bins × (rank(method="min") − 1) / n)`. Exact integer arithmetic throughout.
//!
//! **The Chinese 8-class model (RFM 八类).** Each of R, F, M is compared with its mean over the
//! customers; a value *equal to the mean* counts as high. "R high" means recency days at or
//! *below* the mean (recent). Comparisons are exact: `value × n` against the sum, in i128.
//!
//! | R | F | M | code | 中文 |
//! |---|---|---|------|------|
//! | high | high | high | `important_value` | 重要价值客户 |
//! | high | low | high | `important_develop` | 重要发展客户 |
//! | low | high | high | `important_retain` | 重要保持客户 |
//! | low | low | high | `important_winback` | 重要挽留客户 |
//! | high | high | low | `general_value` | 一般价值客户 |
//! | high | low | low | `general_develop` | 一般发展客户 |
//! | low | high | low | `general_retain` | 一般保持客户 |
//! | low | low | low | `general_winback` | 一般挽留客户 |
//!
//! **Named segments** from the R score and the FM score = round-half-up of (F + M) / 2, on the
//! widely used 5 × 5 grid (scores with `bins` ≠ 5 are first mapped to 1–5 by
//! `1 + (s − 1) × 5 / bins`, integer division):
//!
//! ```text
//!          FM=1             FM=2                 FM=3                 FM=4             FM=5
//! R=5  new_customers    potential_loyalists  potential_loyalists  champions        champions
//! R=4  promising        potential_loyalists  potential_loyalists  loyal_customers  loyal_customers
//! R=3  about_to_sleep   about_to_sleep       need_attention       loyal_customers  loyal_customers
//! R=2  hibernating      hibernating          at_risk              at_risk          cant_lose_them
//! R=1  lost             hibernating          at_risk              at_risk          cant_lose_them
//! ```
//!
//! **Refunds.** M is the net revenue and may be zero or negative; it is ranked like any other
//! value (a negative M is the worst) and enters the mean as it is. Segment revenue is the net
//! revenue of the segment's customers.

use crate::engine::analysis::Context;
use crate::engine::values::Cents;
use crate::engine::Lang;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The eight classes of the Chinese model, in display order.
pub const RFM8: [&str; 8] = [
    "important_value",
    "important_develop",
    "important_retain",
    "important_winback",
    "general_value",
    "general_develop",
    "general_retain",
    "general_winback",
];

/// The named segments, in display order (best first).
pub const NAMED: [&str; 11] = [
    "champions",
    "loyal_customers",
    "potential_loyalists",
    "new_customers",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose_them",
    "hibernating",
    "lost",
];

/// The named-segment grid, `GRID[5 − R][FM − 1]`.
const GRID: [[&str; 5]; 5] = [
    [
        "new_customers",
        "potential_loyalists",
        "potential_loyalists",
        "champions",
        "champions",
    ],
    [
        "promising",
        "potential_loyalists",
        "potential_loyalists",
        "loyal_customers",
        "loyal_customers",
    ],
    [
        "about_to_sleep",
        "about_to_sleep",
        "need_attention",
        "loyal_customers",
        "loyal_customers",
    ],
    [
        "hibernating",
        "hibernating",
        "at_risk",
        "at_risk",
        "cant_lose_them",
    ],
    [
        "lost",
        "hibernating",
        "at_risk",
        "at_risk",
        "cant_lose_them",
    ],
];

/// A display label for an 8-class code or a named-segment code (the code itself if unknown).
pub fn label(code: &str, lang: Lang) -> &str {
    let zh = matches!(lang, Lang::Zh);
    match code {
        "important_value" => {
            if zh {
                "重要价值客户"
            } else {
                "Important value"
            }
        }
        "important_develop" => {
            if zh {
                "重要发展客户"
            } else {
                "Important to develop"
            }
        }
        "important_retain" => {
            if zh {
                "重要保持客户"
            } else {
                "Important to retain"
            }
        }
        "important_winback" => {
            if zh {
                "重要挽留客户"
            } else {
                "Important to win back"
            }
        }
        "general_value" => {
            if zh {
                "一般价值客户"
            } else {
                "General value"
            }
        }
        "general_develop" => {
            if zh {
                "一般发展客户"
            } else {
                "General to develop"
            }
        }
        "general_retain" => {
            if zh {
                "一般保持客户"
            } else {
                "General to retain"
            }
        }
        "general_winback" => {
            if zh {
                "一般挽留客户"
            } else {
                "General to win back"
            }
        }
        "champions" => {
            if zh {
                "冠军客户"
            } else {
                "Champions"
            }
        }
        "loyal_customers" => {
            if zh {
                "忠诚客户"
            } else {
                "Loyal customers"
            }
        }
        "potential_loyalists" => {
            if zh {
                "潜在忠诚客户"
            } else {
                "Potential loyalists"
            }
        }
        "new_customers" => {
            if zh {
                "新客户"
            } else {
                "New customers"
            }
        }
        "promising" => {
            if zh {
                "有潜力客户"
            } else {
                "Promising"
            }
        }
        "need_attention" => {
            if zh {
                "需要关注"
            } else {
                "Need attention"
            }
        }
        "about_to_sleep" => {
            if zh {
                "即将沉睡"
            } else {
                "About to sleep"
            }
        }
        "at_risk" => {
            if zh {
                "有流失风险"
            } else {
                "At risk"
            }
        }
        "cant_lose_them" => {
            if zh {
                "不能失去"
            } else {
                "Can't lose them"
            }
        }
        "hibernating" => {
            if zh {
                "沉睡客户"
            } else {
                "Hibernating"
            }
        }
        "lost" => {
            if zh {
                "已流失"
            } else {
                "Lost"
            }
        }
        other => other,
    }
}

/// One customer's RFM result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmScore {
    /// Recency score (higher = more recent).
    pub r: u8,
    /// Frequency score.
    pub f: u8,
    /// Monetary score.
    pub m: u8,
    /// 8-class code (see [`RFM8`]); a `Cow` so that scoring allocates nothing (serialises as a
    /// string).
    pub rfm8: Cow<'static, str>,
    /// Named segment code (see [`NAMED`]).
    pub named: Cow<'static, str>,
}

/// Count and net revenue of a group of customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentStat {
    /// Customers.
    pub count: usize,
    /// Their net revenue (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "crate::engine::analysis::pareto::de_yuan"
    )]
    pub revenue: Cents,
}

/// The means the 8-class model compares with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RfmMeans {
    /// Mean days since the last visit.
    pub recency_days: f64,
    /// Mean visits.
    pub visits: f64,
    /// Mean net revenue (yuan, rounded to the fen; the classes use the exact mean).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "crate::engine::analysis::pareto::de_yuan"
    )]
    pub revenue: Cents,
}

/// RFM over all customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmSummary {
    /// Customers scored.
    pub customers: usize,
    /// Score bins (5).
    pub bins: u8,
    /// The means.
    pub means: RfmMeans,
    /// Every 8-class code → count and revenue (all eight present).
    pub rfm8: BTreeMap<String, SegmentStat>,
    /// Every named segment → count and revenue (all present).
    pub named: BTreeMap<String, SegmentStat>,
    /// `heatmap[r − 1][f − 1]`: customers with R score r and F score f.
    pub heatmap: Vec<Vec<SegmentStat>>,
}

/// Scores 1..=`bins` for `values` where larger is better, with the module's tie rule.
pub fn scores(values: &[i64], bins: u8) -> Vec<u8> {
    let n = values.len();
    let bins = bins.max(1);
    if n == 0 {
        return Vec::new();
    }
    let mut sorted: Vec<(i64, u32)> = values.iter().copied().zip(0..).collect();
    sorted.sort_unstable();
    if sorted[0].0 == sorted[n - 1].0 {
        return vec![bins.div_ceil(2); n];
    }
    let mut out = vec![0u8; n];
    // `worse` = position of the first customer with this value = customers strictly worse.
    let mut worse = 0;
    for (k, &(v, i)) in sorted.iter().enumerate() {
        if k > 0 && sorted[k - 1].0 != v {
            worse = k;
        }
        let s = 1 + (usize::from(bins) * worse) / n;
        out[i as usize] = s.min(usize::from(bins)) as u8;
    }
    out
}

/// 8-class codes of customers given (recency days, visits, revenue), against their means.
pub fn rfm8_classes(rows: &[(i64, i64, Cents)]) -> Vec<&'static str> {
    rfm8_indexes(rows).into_iter().map(|i| RFM8[i]).collect()
}

/// [`rfm8_classes`] as indexes into [`RFM8`].
pub fn rfm8_indexes(rows: &[(i64, i64, Cents)]) -> Vec<usize> {
    let n = rows.len() as i128;
    let sum_r: i128 = rows.iter().map(|r| i128::from(r.0)).sum();
    let sum_f: i128 = rows.iter().map(|r| i128::from(r.1)).sum();
    let sum_m: i128 = rows.iter().map(|r| i128::from(r.2)).sum();
    rows.iter()
        .map(|&(r, f, m)| {
            let r_high = i128::from(r) * n <= sum_r;
            let f_high = i128::from(f) * n >= sum_f;
            let m_high = i128::from(m) * n >= sum_m;
            rfm8_index(r_high, f_high, m_high)
        })
        .collect()
}

/// The index into [`RFM8`] for R/F/M high (true) or low.
pub fn rfm8_index(r_high: bool, f_high: bool, m_high: bool) -> usize {
    usize::from(!m_high) * 4 + usize::from(!r_high) * 2 + usize::from(!f_high)
}

/// The 8-class code for R/F/M high (true) or low.
pub fn rfm8_code(r_high: bool, f_high: bool, m_high: bool) -> &'static str {
    RFM8[rfm8_index(r_high, f_high, m_high)]
}

/// A score on 1..=bins mapped to 1..=5.
fn to_five(s: u8, bins: u8) -> usize {
    let bins = usize::from(bins.max(1));
    if bins == 5 {
        return usize::from(s).clamp(1, 5);
    }
    (1 + (usize::from(s).max(1) - 1) * 5 / bins).clamp(1, 5)
}

/// The named segment of R, F, M scores on 1..=`bins`.
pub fn named_segment(r: u8, f: u8, m: u8, bins: u8) -> &'static str {
    let r5 = to_five(r, bins);
    let fm5 = (to_five(f, bins) + to_five(m, bins)).div_ceil(2);
    GRID[5 - r5][fm5 - 1]
}

fn mean(sum: i128, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        sum as f64 / n as f64
    }
}

/// Scores every customer (aligned with `ctx.customers`) and summarises the segments.
pub fn run(ctx: &Context) -> (RfmSummary, Vec<RfmScore>) {
    let bins = ctx.rules.rfm.bins.max(1);
    let rows: Vec<(i64, i64, Cents)> = ctx
        .customers
        .iter()
        .map(|c| (c.recency_days(ctx.as_of), c.visits.len() as i64, c.revenue))
        .collect();
    let n = rows.len();
    // Recency is ≥ 0, so its negation cannot overflow.
    let rs = scores(&rows.iter().map(|r| -r.0).collect::<Vec<_>>(), bins);
    let fs = scores(&rows.iter().map(|r| r.1).collect::<Vec<_>>(), bins);
    let ms = scores(&rows.iter().map(|r| r.2).collect::<Vec<_>>(), bins);
    let classes = rfm8_indexes(&rows);
    // The named grid as indexes into NAMED, once per run.
    let grid: [[usize; 5]; 5] =
        GRID.map(|row| row.map(|seg| NAMED.iter().position(|c| *c == seg).unwrap_or(0)));

    let mut rfm8_stats = [SegmentStat::default(); RFM8.len()];
    let mut named_stats = [SegmentStat::default(); NAMED.len()];
    let b = usize::from(bins);
    let mut heatmap = vec![vec![SegmentStat::default(); b]; b];
    let add = |s: &mut SegmentStat, revenue: Cents| {
        s.count += 1;
        s.revenue = s.revenue.saturating_add(revenue);
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (r, f, m) = (rs[i], fs[i], ms[i]);
        let r5 = to_five(r, bins);
        let fm5 = (to_five(f, bins) + to_five(m, bins)).div_ceil(2);
        let seg = grid[5 - r5][fm5 - 1];
        let revenue = rows[i].2;
        add(&mut rfm8_stats[classes[i]], revenue);
        add(&mut named_stats[seg], revenue);
        if let Some(cell) = heatmap
            .get_mut(usize::from(r) - 1)
            .and_then(|row| row.get_mut(usize::from(f) - 1))
        {
            add(cell, revenue);
        }
        out.push(RfmScore {
            r,
            f,
            m,
            rfm8: Cow::Borrowed(RFM8[classes[i]]),
            named: Cow::Borrowed(NAMED[seg]),
        });
    }
    let rfm8: BTreeMap<String, SegmentStat> = RFM8
        .iter()
        .zip(rfm8_stats)
        .map(|(c, s)| (c.to_string(), s))
        .collect();
    let named: BTreeMap<String, SegmentStat> = NAMED
        .iter()
        .zip(named_stats)
        .map(|(c, s)| (c.to_string(), s))
        .collect();
    let sum_m: i128 = rows.iter().map(|r| i128::from(r.2)).sum();
    let means = RfmMeans {
        recency_days: mean(rows.iter().map(|r| i128::from(r.0)).sum(), n),
        visits: mean(rows.iter().map(|r| i128::from(r.1)).sum(), n),
        revenue: mean(sum_m, n).round() as Cents,
    };
    (
        RfmSummary {
            customers: n,
            bins,
            means,
            rfm8,
            named,
            heatmap,
        },
        out,
    )
}
