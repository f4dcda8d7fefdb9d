//! Probability that a customer is still active and expected value (product.md, "Beyond the
//! seeds"): the BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy
//! way") for visits and the Gamma-Gamma model (Fader & Hardie, note 025) for spend, both fitted
//! by maximum likelihood here, in Rust, with no external numeric crate.
//!
//! **Customer history.** Calendar-day granularity, as `lifetimes`'
//! `summary_data_from_transaction_data(freq="D")`: a customer's visits on or before `as_of` are
//! grouped by date (several work orders on one day are one purchase day whose value is their
//! sum). `x` = purchase days − 1 (repeat days), `t_x` = days from the first to the last purchase
//! day, `T` = days from the first purchase day to `as_of`, and `monetary` = the mean value of the
//! repeat days (the first day excluded; 0 when `x = 0`). Visits after `as_of` are ignored;
//! a customer with none on or before `as_of` has no CLV line (`None`).
//!
//! **Refunds.** A day's value is the net of its rows, so it may be zero or negative. Only
//! customers with `x > 0` and a positive `monetary` enter the Gamma-Gamma fit (as in
//! `lifetimes`, which needs positive values). The expected average value of a customer is
//! `(1 − w)·pop + w·max(monetary, 0)` with `w = p·x / (p·x + q − 1)` and `pop = v·p / (q − 1)`:
//! a customer without repeat days gets the population mean, a customer whose repeat days net to
//! zero or less is shrunk from 0 toward it. When the Gamma-Gamma model cannot be fitted (see
//! [`fit`]) every customer's expected average value is the pooled mean of all repeat days
//! (`value_model = "pooled_mean"`), the model's limit without between-customer heterogeneity.
//!
//! **Ties** do not arise: every customer is scored on its own history; customers with the same
//! history get the same numbers.
//!
//! **CLV** = expected visits in the next `rules.clv.horizon_days` × expected average value,
//! without discounting (money is in fen, serialised as yuan).
//!
//! **Fitting.** Times are rescaled so that the largest `T` is 1 (as `lifetimes` does) and the
//! money so that the mean spend is 1; identical histories are merged with weights; the negative
//! mean log-likelihood is minimised over the log-parameters with BFGS and an analytic gradient
//! from up to three fixed starting points (a Nelder–Mead polish when BFGS stops early; done
//! once two starts agree); the best is kept, and accepted only if its gradient vanishes. When
//! the data cannot tell a shape parameter from infinity (e.g. few repeat customers: the
//! drop-out probability looks the same for everyone, a, b → ∞), the likelihood rises ever more
//! slowly along a ridge; the fit stops there (|ln θ| > 15), is accepted when flat, and
//! `bgnbd_note` / `gamma_gamma_note` say so — the predictions are those of the limiting model.
//! Everything is deterministic. [`fit`] and [`score`] are separate so a change of the horizon
//! re-scores without re-fitting. `ln Γ` is a Lanczos approximation (Stirling's series for
//! x ≥ 10), ψ an asymptotic series, and the Gauss hypergeometric 2F1 of the conditional
//! expectation is summed after an Euler transformation (terms bounded for any number of
//! visits) or, for large a, directly — whichever keeps the terms smaller, with rescaling
//! against overflow.

use crate::engine::analysis::Context;
use crate::engine::customers::CustomerSummary;
use crate::engine::values::Cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Fitted BG/NBD parameters (time in the unit of the data: days in [`run`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the Gamma distribution of purchase rates (a time).
    pub alpha: f64,
    /// Beta distribution of the drop-out probability, first shape.
    pub a: f64,
    /// Beta distribution of the drop-out probability, second shape.
    pub b: f64,
    /// Log-likelihood of the data at these parameters (sum over customers).
    pub log_likelihood: f64,
}

/// Fitted Gamma-Gamma spend parameters (`v` in the money unit of the data: fen in [`run`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Shape of the per-transaction Gamma.
    pub p: f64,
    /// Shape of the Gamma of the customers' scale.
    pub q: f64,
    /// Rate of the Gamma of the customers' scale (money).
    pub v: f64,
    /// Log-likelihood (sum over the customers fitted).
    pub log_likelihood: f64,
}

/// One customer's history in the model's terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct History {
    /// Repeat purchase days.
    pub x: f64,
    /// Days from the first to the last purchase day.
    pub t_x: f64,
    /// Days from the first purchase day to `as_of`.
    pub age: f64,
    /// Mean value of the repeat days in fen (0 when `x = 0`).
    pub monetary: f64,
}

/// One customer's CLV line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvCustomer {
    /// Repeat purchase days (`x`).
    pub frequency: u32,
    /// Days from the first to the last purchase day (`t_x`).
    pub recency_days: i64,
    /// Days from the first purchase day to `as_of` (`T`).
    pub age_days: i64,
    /// Mean value of the repeat days (yuan; 0 without repeat days).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "crate::engine::analysis::pareto::de_yuan"
    )]
    pub monetary: Cents,
    /// Probability that the customer is still active at `as_of`.
    pub p_alive: f64,
    /// Expected visits (purchase days) in the next `horizon_days`.
    pub expected_visits: f64,
    /// Expected value of one future visit (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "crate::engine::analysis::pareto::de_yuan"
    )]
    pub expected_avg_value: Cents,
    /// CLV over the horizon: expected visits × expected average value, undiscounted (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "crate::engine::analysis::pareto::de_yuan"
    )]
    pub expected_value: Cents,
}

/// How the expected value of a future visit was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueModel {
    /// The Gamma-Gamma model (per customer, shrunk toward the population mean).
    GammaGamma,
    /// The pooled mean of all repeat days (the Gamma-Gamma fit was not possible).
    PooledMean,
}

/// The fitted models: everything that depends only on the customers and `as_of`, so a change
/// of `horizon_days` can re-score without re-fitting ([`score`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ClvFit {
    /// Per customer, aligned with `ctx.customers` (`None`: no visit on or before `as_of`).
    pub histories: Vec<Option<History>>,
    /// The BG/NBD fit (days).
    pub bgnbd: BgNbdParams,
    /// Set when the BG/NBD fit lies on a boundary of the model (see [`boundary_note`]).
    pub bgnbd_note: Option<String>,
    /// The Gamma-Gamma fit (fen), when it could be made.
    pub gamma_gamma: Option<GammaGammaParams>,
    /// Why the Gamma-Gamma part is missing, when it is.
    pub gamma_gamma_note: Option<String>,
    /// Mean value of all repeat days in fen (Σ x·monetary / Σ x, at least 0): the expected
    /// average value when the Gamma-Gamma fit is missing.
    pub pooled_mean: f64,
}

/// The CLV analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvReport {
    /// Days ahead over which visits and value are predicted.
    pub horizon_days: u32,
    /// Customers in the BG/NBD fit (those with a visit on or before `as_of`).
    pub customers_fitted: usize,
    /// Customers with at least one repeat day.
    pub repeat_customers: usize,
    /// The BG/NBD fit (time in days).
    pub bgnbd: BgNbdParams,
    /// Set when the BG/NBD fit lies on a boundary of the model.
    pub bgnbd_note: Option<String>,
    /// The Gamma-Gamma fit (money in fen), when it could be made.
    pub gamma_gamma: Option<GammaGammaParams>,
    /// Why the Gamma-Gamma part is missing, when it is.
    pub gamma_gamma_note: Option<String>,
    /// Which estimate `expected_avg_value` uses.
    pub value_model: ValueModel,
    /// Mean P(alive) over the customers fitted.
    pub mean_p_alive: f64,
    /// Expected visits over the horizon, all customers.
    pub total_expected_visits: f64,
    /// Expected value over the horizon, all customers (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "crate::engine::analysis::pareto::de_yuan"
    )]
    pub total_expected_value: Cents,
    /// Per customer, aligned with `ctx.customers` (`None`: no visit on or before `as_of`).
    pub customers: std::sync::Arc<[Option<ClvCustomer>]>,
}

impl ClvReport {
    /// A copy of everything but the per-customer rows (left empty).
    pub fn clone_without_customers(&self) -> ClvReport {
        ClvReport {
            horizon_days: self.horizon_days,
            customers_fitted: self.customers_fitted,
            repeat_customers: self.repeat_customers,
            bgnbd: self.bgnbd,
            bgnbd_note: self.bgnbd_note.clone(),
            gamma_gamma: self.gamma_gamma,
            gamma_gamma_note: self.gamma_gamma_note.clone(),
            value_model: self.value_model,
            mean_p_alive: self.mean_p_alive,
            total_expected_visits: self.total_expected_visits,
            total_expected_value: self.total_expected_value,
            customers: std::sync::Arc::from([]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Special functions

/// Lanczos coefficients (g = 7, n = 9).
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln Γ(x) for x > 0 (Lanczos for small x, Stirling's series for x ≥ 10; about 1e-15
/// relative). Returns +∞ for x ≤ 0 or NaN.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::INFINITY;
    }
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let s = (std::f64::consts::PI * x).sin();
        return std::f64::consts::PI.ln() - s.ln() - ln_gamma(1.0 - x);
    }
    if x >= 10.0 {
        // Stirling: (x−½)ln x − x + ½ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷).
        let z = 1.0 / (x * x);
        let series = (1.0 / 12.0
            + z * (-1.0 / 360.0 + z * (1.0 / 1260.0 + z * (-1.0 / 1680.0 + z / 1188.0))))
            / x;
        return (x - 0.5) * x.ln() - x + 0.918_938_533_204_672_8 + series;
    }
    let xm = x - 1.0;
    let mut sum = LANCZOS[0];
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (xm + i as f64);
    }
    let t = xm + 7.5;
    0.918_938_533_204_672_8 + (xm + 0.5) * t.ln() - t + sum.ln()
}

/// The digamma function ψ(x) = d ln Γ(x)/dx for x > 0 (recurrence to x ≥ 10, then the
/// asymptotic series; about 1e-15 absolute). NaN for x ≤ 0.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut x = x;
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let z = 1.0 / (x * x);
    acc + x.ln()
        - 0.5 / x
        - z * (1.0 / 12.0
            - z * (1.0 / 120.0
                - z * (1.0 / 252.0
                    - z * (1.0 / 240.0 - z * (1.0 / 132.0 - z * (691.0 / 32760.0))))))
}

// ---------------------------------------------------------------------------------------------
// BG/NBD

/// The model's data, identical (x, t_x, T) merged with weights and sorted by x; times are
/// indexes into a table of the distinct time values, so that ln(α + t) is computed once per
/// distinct time and evaluation.
struct BgData {
    /// (x, index of t_x, index of T, weight).
    rows: Vec<(f64, usize, usize, f64)>,
    /// The distinct times, ascending.
    times: Vec<f64>,
    weight: f64,
}

impl BgData {
    fn new(data: &[(f64, f64, f64)], scale: f64) -> BgData {
        let mut times: Vec<f64> = data
            .iter()
            .flat_map(|&(_, tx, t)| [tx * scale, t * scale])
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let index = |v: f64| times.partition_point(|&t| t < v);
        let mut rows: Vec<(f64, usize, usize, f64)> = data
            .iter()
            .map(|&(x, tx, t)| (x, index(tx * scale), index(t * scale), 1.0))
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut merged: Vec<(f64, usize, usize, f64)> = Vec::with_capacity(rows.len());
        for r in rows {
            match merged.last_mut() {
                Some(last) if last.0 == r.0 && last.1 == r.1 && last.2 == r.2 => last.3 += 1.0,
                _ => merged.push(r),
            }
        }
        let weight = merged.iter().map(|r| r.3).sum();
        BgData {
            rows: merged,
            times,
            weight,
        }
    }

    /// Log-likelihood (sum) and its gradient with respect to (r, α, a, b).
    fn ll_grad(&self, p: [f64; 4], grad: Option<&mut [f64; 4]>) -> f64 {
        let [r, alpha, a, b] = p;
        let want_grad = grad.is_some();
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (dg_r, dg_b, dg_ab) = if want_grad {
            (digamma(r), digamma(b), digamma(a + b))
        } else {
            (0.0, 0.0, 0.0)
        };
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        // ln(α + t) and 1/(α + t) per distinct time.
        let ln_at: Vec<f64> = self.times.iter().map(|t| (alpha + t).ln()).collect();
        let inv_at: Vec<f64> = if want_grad {
            self.times.iter().map(|t| 1.0 / (alpha + t)).collect()
        } else {
            Vec::new()
        };
        let mut ll = 0.0;
        let mut g = [0.0f64; 4];
        let mut cur_x = f64::NAN;
        // Per-x terms.
        let (mut k, mut dk_r, mut dk_a, mut dk_b, mut c4, mut bx1) = (0.0, 0.0, 0.0, 0.0, 0.0, 1.0);
        for &(x, itx, it, w) in &self.rows {
            if x != cur_x {
                cur_x = x;
                k = ln_gamma(r + x) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + x)
                    - lg_b
                    - ln_gamma(a + b + x);
                bx1 = b + x - 1.0;
                c4 = ln_a - bx1.ln();
                if want_grad {
                    let dg_abx = digamma(a + b + x);
                    dk_r = digamma(r + x) - dg_r + ln_alpha;
                    dk_a = dg_ab - dg_abx;
                    dk_b = dg_ab + digamma(b + x) - dg_b - dg_abx;
                }
            }
            let rx = r + x;
            let l_at = ln_at[it];
            let l3 = -rx * l_at;
            // ln(e^l3 + e^l4) = max + ln(1 + e^−|l4 − l3|); w4 = e^l4 / (e^l3 + e^l4).
            let (lse, w4, l_atx) = if x > 0.0 {
                let l_atx = ln_at[itx];
                let l4 = c4 - rx * l_atx;
                let dlt = l4 - l3;
                let e = (-dlt.abs()).exp();
                let lse = l3.max(l4) + e.ln_1p();
                let w4 = if dlt > 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                (lse, w4, l_atx)
            } else {
                (l3, 0.0, 0.0)
            };
            ll += w * (k + lse);
            if want_grad {
                let w3 = 1.0 - w4;
                let (i_at, i_atx) = (inv_at[it], if x > 0.0 { inv_at[itx] } else { 0.0 });
                g[0] += w * (dk_r - w3 * l_at - w4 * l_atx);
                g[1] += w * (r / alpha - rx * (w3 * i_at + w4 * i_atx));
                g[2] += w * (dk_a + w4 / a);
                g[3] += w * (dk_b - if x > 0.0 { w4 / bx1 } else { 0.0 });
            }
        }
        if let Some(out) = grad {
            *out = g;
        }
        ll
    }
}

/// BG/NBD log-likelihood (summed over customers) of `data` = (x, t_x, T) per customer at
/// (r, α, a, b).
pub fn bgnbd_log_likelihood(params: [f64; 4], data: &[(f64, f64, f64)]) -> f64 {
    BgData::new(data, 1.0).ll_grad(params, None)
}

/// Largest |log-parameter| the optimiser may reach (e^±30).
const THETA_BOUND: f64 = 30.0;

/// Fits BG/NBD to (x, t_x, T) per customer by maximum likelihood. Errors (with a reason) on
/// empty data, no repeat purchase, invalid values or no convergence.
pub fn fit_bgnbd(data: &[(f64, f64, f64)]) -> Result<BgNbdParams, String> {
    if data.is_empty() {
        return Err("no customers".into());
    }
    if data
        .iter()
        .any(|&(x, tx, t)| !(x >= 0.0 && tx >= 0.0 && t >= tx && t.is_finite()))
    {
        return Err("invalid history: need 0 ≤ t_x ≤ T and x ≥ 0".into());
    }
    if !data.iter().any(|d| d.0 > 0.0) {
        return Err("no customer has a repeat visit".into());
    }
    let max_t = data.iter().map(|d| d.2).fold(0.0, f64::max);
    if max_t <= 0.0 {
        return Err("every customer was first seen on the reference date".into());
    }
    let scale = 1.0 / max_t;
    let bg = BgData::new(data, scale);
    let n = bg.weight;
    let f = |th: &[f64], g: Option<&mut [f64]>| -> f64 {
        if th.iter().any(|v| !v.is_finite() || v.abs() > THETA_BOUND) {
            return f64::INFINITY;
        }
        let p = [th[0].exp(), th[1].exp(), th[2].exp(), th[3].exp()];
        let mut gp = [0.0; 4];
        let want = g.is_some();
        let ll = bg.ll_grad(p, if want { Some(&mut gp) } else { None });
        if let Some(g) = g {
            for i in 0..4 {
                g[i] = -gp[i] * p[i] / n;
            }
        }
        -ll / n
    };
    let starts: [[f64; 4]; 3] = [
        [0.0, 0.0, 0.0, 0.0],
        [(0.25f64).ln(), (0.1f64).ln(), (0.8f64).ln(), (2.5f64).ln()],
        [(2.0f64).ln(), (0.5f64).ln(), (2.0f64).ln(), (5.0f64).ln()],
    ];
    let best = minimize_multi(&f, &starts).ok_or("the BG/NBD fit did not converge")?;
    let th = best;
    let r = th[0].exp();
    let alpha = th[1].exp() / scale;
    let a = th[2].exp();
    let b = th[3].exp();
    let ll = bgnbd_log_likelihood([r, alpha, a, b], data);
    if !ll.is_finite() {
        return Err("the BG/NBD fit gave a non-finite likelihood".into());
    }
    Ok(BgNbdParams {
        r,
        alpha,
        a,
        b,
        log_likelihood: ll,
    })
}

/// P(alive) of a customer with history (x, t_x, T) (Fader, Hardie & Lee, note 021): 1 when
/// x = 0, else 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
pub fn p_alive(p: &BgNbdParams, x: f64, t_x: f64, age: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let lt = (p.a / (p.b + x - 1.0)).ln() + (p.r + x) * ((p.alpha + age) / (p.alpha + t_x)).ln();
    logistic_neg(lt)
}

/// 1 / (1 + eˣ), stable.
fn logistic_neg(x: f64) -> f64 {
    if x > 0.0 {
        let e = (-x).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + x.exp())
    }
}

/// Most terms summed in a hypergeometric series before giving up.
const MAX_TERMS: usize = 1_000_000;

/// Sums Σ_{k≥0} t_k with t_0 = `t0` and t_{k+1} = t_k · ratio(k), rescaling on the way so that
/// large sums do not overflow. Returns (s, ln_scale) with the sum = s · e^ln_scale; `None`
/// when it does not converge. The tail is bounded geometrically once k > `settle` (from there
/// on every factor of the ratio is positive) and the ratio is below 1; `z` is its limit.
fn scaled_series(t0: f64, ratio: impl Fn(f64) -> f64, settle: f64, z: f64) -> Option<(f64, f64)> {
    let mut term = t0;
    let mut sum = t0;
    let mut ln_scale = 0.0;
    let mut k = 0.0f64;
    for _ in 0..MAX_TERMS {
        let q = ratio(k);
        term *= q;
        sum += term;
        k += 1.0;
        if !sum.is_finite() || !term.is_finite() {
            return None;
        }
        if sum.abs() > 1e200 {
            sum *= 1e-200;
            term *= 1e-200;
            ln_scale += 200.0 * std::f64::consts::LN_10;
        }
        if term == 0.0 {
            return Some((sum, ln_scale));
        }
        if k > settle && q.abs() < 1.0 {
            let rho = q.abs().max(z);
            if term.abs() * rho / (1.0 - rho) <= 1e-16 * sum.abs() {
                return Some((sum, ln_scale));
            }
        }
    }
    None
}

/// The numerator of FHL eq. 10, (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) 2F1(r+x, b+x; a+b+x−1; z)],
/// with the 2F1 summed after the Euler transformation
/// 2F1(r+x, b+x; c; z) = (1−z)^(a−1−r−x) 2F1(a+b−1−r, a−1; c; z): its terms stay bounded for
/// any x, and the a → 1 limit is exact (the factor a−1 is divided out of the series).
fn numerator_euler(r: f64, a: f64, b: f64, x: f64, z: f64, l: f64) -> Option<f64> {
    let c = a + b + x - 1.0;
    let aa = a + b - 1.0 - r;
    let bb = a - 1.0;
    // V = Σ_{n≥1} c·(A)_n (B+1)_{n−1} / ((c)_n n!) zⁿ, v₁ = A·z; ratio v_{n+1}/v_n with n = k+1.
    let settle = 0.0f64.max(-aa).max(-bb) + 1.0;
    let (v, scale) = scaled_series(
        aa * z,
        |k| {
            let n = k + 1.0;
            (aa + n) * (bb + n) / ((c + n) * (n + 1.0)) * z
        },
        settle,
        z,
    )?;
    let first = if bb == 0.0 {
        -l
    } else {
        -(bb * l).exp_m1() / bb
    };
    Some(c * first - (bb * l + scale).exp() * v)
}

/// The same numerator with the 2F1 summed directly (all terms positive): better when a is
/// large (a drop-out probability that hardly varies between customers), where the Euler
/// form's terms grow like (a·z)ⁿ/n!. Needs a > 1.
fn numerator_direct(r: f64, a: f64, b: f64, x: f64, z: f64, l: f64) -> Option<f64> {
    let c = a + b + x - 1.0;
    let (f, scale) = scaled_series(
        1.0,
        |n| (r + x + n) * (b + x + n) / ((c + n) * (n + 1.0)) * z,
        1.0,
        z,
    )?;
    let y = (r + x) * l + scale + f.ln();
    Some(c / (a - 1.0) * -y.exp_m1())
}

/// Expected visits in the next `t` time units of a customer with history (x, t_x, T)
/// (Fader, Hardie & Lee 2005, eq. 10; as `lifetimes`'
/// `conditional_expected_number_of_purchases_up_to_time`). The Gauss hypergeometric 2F1 in it
/// is summed in the form whose terms stay smaller: after an Euler transformation (the usual
/// case, exact at a = 1) or directly (large a). NaN if the series does not converge.
pub fn expected_visits(p: &BgNbdParams, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
    if t <= 0.0 {
        return 0.0;
    }
    let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b);
    let z = t / (alpha + age + t);
    let l = ((alpha + age) / (alpha + age + t)).ln(); // ln(1 − z)
    let direct = a > 2.0 && (r + x) * (b + x) < (a + b - 1.0 - r).abs() * (a - 1.0);
    let numerator = if direct {
        numerator_direct(r, a, b, x, z, l)
    } else {
        numerator_euler(r, a, b, x, z, l)
    };
    let Some(numerator) = numerator else {
        return f64::NAN;
    };
    let denom_log = if x > 0.0 {
        (a / (b + x - 1.0)).ln() + (r + x) * ((alpha + age) / (alpha + t_x)).ln()
    } else {
        f64::NEG_INFINITY
    };
    numerator * logistic_neg(denom_log)
}

// ---------------------------------------------------------------------------------------------
// Gamma-Gamma

/// Gamma-Gamma data: (x, m, ln m, ln x), sorted by x.
struct GgData {
    rows: Vec<[f64; 4]>,
}

impl GgData {
    fn new(data: &[(f64, f64)], scale: f64) -> GgData {
        let mut rows: Vec<[f64; 4]> = data
            .iter()
            .map(|&(x, m)| {
                let m = m * scale;
                [x, m, m.ln(), x.ln()]
            })
            .collect();
        rows.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        GgData { rows }
    }

    fn ll_grad(&self, pr: [f64; 3], grad: Option<&mut [f64; 3]>) -> f64 {
        let [p, q, v] = pr;
        let want = grad.is_some();
        let (lg_q, ln_v) = (ln_gamma(q), v.ln());
        let dg_q = if want { digamma(q) } else { 0.0 };
        let mut ll = 0.0;
        let mut g = [0.0f64; 3];
        let mut cur_x = f64::NAN;
        let (mut k, mut dg_pxq, mut dg_px) = (0.0, 0.0, 0.0);
        for row in &self.rows {
            let [x, m, ln_m, ln_x] = *row;
            let px = p * x;
            if x != cur_x {
                cur_x = x;
                k = ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v + px * ln_x;
                if want {
                    dg_pxq = digamma(px + q);
                    dg_px = digamma(px);
                }
            }
            let l_xmv = (x * m + v).ln();
            ll += k + (px - 1.0) * ln_m - (px + q) * l_xmv;
            if want {
                g[0] += x * (dg_pxq - dg_px + ln_m + ln_x - l_xmv);
                g[1] += dg_pxq - dg_q + ln_v - l_xmv;
                g[2] += q / v - (px + q) / (x * m + v);
            }
        }
        if let Some(out) = grad {
            *out = g;
        }
        ll
    }
}

/// Gamma-Gamma log-likelihood (summed) of `data` = (x, mean repeat value) at (p, q, v).
pub fn gamma_gamma_log_likelihood(params: [f64; 3], data: &[(f64, f64)]) -> f64 {
    GgData::new(data, 1.0).ll_grad(params, None)
}

/// Fits the Gamma-Gamma spend model to (x, mean repeat value) of customers with x > 0 and a
/// positive value, by maximum likelihood.
pub fn fit_gamma_gamma(data: &[(f64, f64)]) -> Result<GammaGammaParams, String> {
    if data.is_empty() {
        return Err("no customer with a repeat visit of positive value".into());
    }
    if data
        .iter()
        .any(|&(x, m)| !(x > 0.0 && m > 0.0 && x.is_finite() && m.is_finite()))
    {
        return Err("invalid data: need x > 0 and a positive value".into());
    }
    let mean_m = data.iter().map(|d| d.1).sum::<f64>() / data.len() as f64;
    let scale = 1.0 / mean_m;
    let gg = GgData::new(data, scale);
    let n = data.len() as f64;
    let f = |th: &[f64], g: Option<&mut [f64]>| -> f64 {
        if th.iter().any(|v| !v.is_finite() || v.abs() > THETA_BOUND) {
            return f64::INFINITY;
        }
        let p = [th[0].exp(), th[1].exp(), th[2].exp()];
        let mut gp = [0.0; 3];
        let want = g.is_some();
        let ll = gg.ll_grad(p, if want { Some(&mut gp) } else { None });
        if let Some(g) = g {
            for i in 0..3 {
                g[i] = -gp[i] * p[i] / n;
            }
        }
        -ll / n
    };
    let starts: [[f64; 3]; 3] = [
        [0.0, 0.0, 0.0],
        [(5.0f64).ln(), (3.0f64).ln(), (3.0f64).ln()],
        [(1.0f64).ln(), (10.0f64).ln(), (10.0f64).ln()],
    ];
    let th = minimize_multi(&f, &starts).ok_or("the Gamma-Gamma fit did not converge")?;
    let (p, q, v) = (th[0].exp(), th[1].exp(), th[2].exp() / scale);
    let ll = gamma_gamma_log_likelihood([p, q, v], data);
    if !ll.is_finite() {
        return Err("the Gamma-Gamma fit gave a non-finite likelihood".into());
    }
    Ok(GammaGammaParams {
        p,
        q,
        v,
        log_likelihood: ll,
    })
}

/// Expected value of one future visit given x repeat days of mean value m (note 025, eq. 5):
/// (1 − w)·v·p/(q − 1) + w·m with w = p·x/(p·x + q − 1). NaN when q ≤ 1.
pub fn expected_average_value(g: &GammaGammaParams, x: f64, m: f64) -> f64 {
    if g.q <= 1.0 {
        return f64::NAN;
    }
    let pop = g.v * g.p / (g.q - 1.0);
    let w = g.p * x / (g.p * x + g.q - 1.0);
    (1.0 - w) * pop + w * m
}

// ---------------------------------------------------------------------------------------------
// Optimiser

/// Objective: value and (optionally) gradient.
type Objective<'a> = dyn Fn(&[f64], Option<&mut [f64]>) -> f64 + 'a;

/// |log-parameter| beyond which a fit is taken as running off to a boundary (e^15 ≈ 3·10⁶).
const DIVERGED: f64 = 15.0;

/// Minimises from the starts in order and keeps the best finite result (ties: the earlier
/// start); stops early once two starts agree (relative 1e-10 in the objective). A start whose
/// BFGS stops early is polished with Nelder–Mead, unless it ran off towards a boundary (some
/// |θ| > 15: the likelihood keeps rising, ever more slowly, along a direction where the model
/// reduces to a simpler one). The result is accepted when the gradient there is (near) zero,
/// which holds at an interior optimum and on such a flat boundary ridge.
fn minimize_multi<const N: usize>(f: &Objective, starts: &[[f64; N]]) -> Option<Vec<f64>> {
    let mut best: Option<(Vec<f64>, f64)> = None;
    let mut agreed = false;
    for s in starts {
        let (x, fx, ok) = bfgs(f, s);
        let diverged = x.iter().any(|v| v.abs() > DIVERGED);
        let (x, fx) = if ok || diverged {
            (x, fx)
        } else {
            let (x2, f2) = nelder_mead(f, &x);
            let (x3, f3, _) = bfgs(f, &x2);
            if f3 <= f2 {
                (x3, f3)
            } else {
                (x2, f2)
            }
        };
        if !fx.is_finite() {
            continue;
        }
        match &best {
            Some((_, bf)) if (fx - bf).abs() <= 1e-10 * bf.abs().max(1e-300) => agreed = true,
            Some((_, bf)) if fx >= *bf => {}
            _ => best = Some((x, fx)),
        }
        if agreed {
            break;
        }
    }
    let (x, _) = best?;
    let mut g = vec![0.0; x.len()];
    f(&x, Some(&mut g));
    let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if gmax.is_finite() && gmax < 1e-5 {
        Some(x)
    } else {
        None
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// BFGS with an Armijo backtracking line search. Returns (x, f(x), converged).
fn bfgs(f: &Objective, x0: &[f64]) -> (Vec<f64>, f64, bool) {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, Some(&mut g));
    if !fx.is_finite() {
        return (x, fx, false);
    }
    let identity = |h: &mut Vec<f64>| {
        h.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            h[i * n + i] = 1.0;
        }
    };
    let mut h = vec![0.0; n * n];
    identity(&mut h);
    let mut gn = vec![0.0; n];
    let mut xn = vec![0.0; n];
    let mut d = vec![0.0; n];
    let mut reset = false;
    let mut evals = 1usize;
    for _ in 0..1000 {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax < 1e-11 {
            return (x, fx, true);
        }
        if evals > 3000 || x.iter().any(|v| v.abs() > DIVERGED) {
            return (x, fx, false);
        }
        for i in 0..n {
            d[i] = -(0..n).map(|j| h[i * n + j] * g[j]).sum::<f64>();
        }
        let mut slope = dot(&g, &d);
        if slope.is_nan() || slope >= 0.0 {
            identity(&mut h);
            d.iter_mut().zip(&g).for_each(|(di, gi)| *di = -gi);
            slope = dot(&g, &d);
        }
        let dmax = d.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let mut step = if dmax > 5.0 { 5.0 / dmax } else { 1.0 };
        let mut fnew = f64::INFINITY;
        let mut found = false;
        for _ in 0..80 {
            for i in 0..n {
                xn[i] = x[i] + step * d[i];
            }
            fnew = f(&xn, Some(&mut gn));
            evals += 1;
            if fnew.is_finite() && fnew <= fx + 1e-4 * step * slope {
                found = true;
                break;
            }
            step *= 0.5;
        }
        if !found {
            // No decrease along d: converged to rounding, or a bad Hessian estimate.
            if gmax < 1e-7 {
                return (x, fx, true);
            }
            if reset {
                return (x, fx, false);
            }
            identity(&mut h);
            reset = true;
            continue;
        }
        reset = false;
        let s: Vec<f64> = (0..n).map(|i| xn[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| gn[i] - g[i]).collect();
        let sy = dot(&s, &y);
        let small =
            (fx - fnew).abs() <= 1e-16 * fx.abs().max(1e-300) && s.iter().all(|v| v.abs() < 1e-13);
        x.copy_from_slice(&xn);
        g.copy_from_slice(&gn);
        fx = fnew;
        if small {
            let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            return (x, fx, gmax < 1e-7);
        }
        if sy > 1e-300 {
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
                .collect();
            let yhy = dot(&y, &hy);
            for i in 0..n {
                for j in 0..n {
                    h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
        }
    }
    let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    (x, fx, gmax < 1e-7)
}

/// Nelder–Mead (standard coefficients) from `x0`, used when BFGS stops early.
fn nelder_mead(f: &Objective, x0: &[f64]) -> (Vec<f64>, f64) {
    let n = x0.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((x0.to_vec(), f(x0, None)));
    for i in 0..n {
        let mut v = x0.to_vec();
        v[i] += 0.5;
        let fv = f(&v, None);
        simplex.push((v, fv));
    }
    let order = |s: &mut Vec<(Vec<f64>, f64)>| {
        s.sort_by(|a, b| a.1.total_cmp(&b.1));
    };
    for _ in 0..5_000 {
        order(&mut simplex);
        let fbest = simplex[0].1;
        let fworst = simplex[n].1;
        if fworst.is_finite() && (fworst - fbest).abs() <= 1e-15 * fbest.abs().max(1e-300) {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|p| p.0[j]).sum::<f64>() / n as f64)
            .collect();
        let point = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|j| centroid[j] + t * (simplex[n].0[j] - centroid[j]))
                .collect()
        };
        let xr = point(-1.0);
        let fr = f(&xr, None);
        if fr < simplex[0].1 {
            let xe = point(-2.0);
            let fe = f(&xe, None);
            simplex[n] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (xr, fr);
        } else {
            let (xc, fc) = if fr < simplex[n].1 {
                let xc = point(-0.5);
                let fc = f(&xc, None);
                (xc, fc)
            } else {
                let xc = point(0.5);
                let fc = f(&xc, None);
                (xc, fc)
            };
            if fc < simplex[n].1.min(fr) {
                simplex[n] = (xc, fc);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    for (pj, bj) in p.0.iter_mut().zip(&best) {
                        *pj = bj + 0.5 * (*pj - bj);
                    }
                    p.1 = f(&p.0, None);
                }
            }
        }
    }
    order(&mut simplex);
    let (x, fx) = simplex.swap_remove(0);
    (x, fx)
}

// ---------------------------------------------------------------------------------------------
// The analysis

/// A customer's history at `as_of` (visits after it ignored); `None` without a visit on or
/// before `as_of`.
pub fn history(c: &CustomerSummary, as_of: NaiveDate) -> Option<History> {
    let mut days: Vec<(NaiveDate, Cents)> = c
        .visits
        .iter()
        .filter(|v| v.date <= as_of)
        .map(|v| (v.date, v.amount))
        .collect();
    // Visits come in date order; the (stable) sort is a safeguard so equal dates are adjacent.
    days.sort_by_key(|d| d.0);
    let mut merged: Vec<(NaiveDate, Cents)> = Vec::with_capacity(days.len());
    for d in days {
        match merged.last_mut() {
            Some(last) if last.0 == d.0 => last.1 = last.1.saturating_add(d.1),
            _ => merged.push(d),
        }
    }
    let first = merged.first()?.0;
    let last = merged.last()?.0;
    let x = merged.len() - 1;
    let monetary = if x > 0 {
        merged[1..].iter().map(|d| d.1 as f64).sum::<f64>() / x as f64
    } else {
        0.0
    };
    Some(History {
        x: x as f64,
        t_x: (last - first).num_days() as f64,
        age: (as_of - first).num_days() as f64,
        monetary,
    })
}

/// Rounds fen held in an f64 to [`Cents`] (0 when not finite).
fn to_cents(v: f64) -> Cents {
    if v.is_finite() {
        v.round().clamp(-9.0e18, 9.0e18) as Cents
    } else {
        0
    }
}

/// A shape parameter above this is "at a boundary" (the fit ran towards infinity).
const BOUNDARY: f64 = 1e5;

/// Explains a BG/NBD fit on a boundary of the model, where the likelihood keeps rising along a
/// ridge towards infinite parameters and the model reduces to a simpler one; its predictions
/// are then that limit's. `None` for an interior fit.
pub fn boundary_note(p: &BgNbdParams) -> Option<String> {
    let mut notes = Vec::new();
    if p.a > BOUNDARY && p.b > BOUNDARY {
        notes.push("the drop-out probability hardly varies between customers (a, b very large)");
    } else if p.a > BOUNDARY || p.b > BOUNDARY {
        notes.push("the drop-out probability is at an extreme (a or b very large)");
    }
    if p.r > BOUNDARY {
        notes.push("the visit rate hardly varies between customers (r, α very large)");
    }
    (!notes.is_empty()).then(|| {
        format!(
            "BG/NBD fit on a boundary (r = {:.4}, α = {:.4}, a = {:.4}, b = {:.4}): {}",
            p.r,
            p.alpha,
            p.a,
            p.b,
            notes.join("; ")
        )
    })
}

/// Customers with repeat days of positive value needed for the Gamma-Gamma fit.
pub const MIN_GAMMA_GAMMA: usize = 10;

/// Fits both models on the customers' histories at `ctx.as_of`. Errors with a reason (for
/// the report) when fewer than `rules.clv.min_customers` customers have a visit on or before
/// `as_of`, or the BG/NBD fit fails. A Gamma-Gamma fit that is impossible (fewer than
/// [`MIN_GAMMA_GAMMA`] customers with repeat days of positive value), fails (typically when
/// spend varies no more between customers than within them: q, v → ∞) or gives q ≤ 1 is
/// replaced by the pooled mean of the repeat days — the limit of the model without
/// between-customer heterogeneity — and the reason is kept in `gamma_gamma_note`.
pub fn fit(ctx: &Context) -> Result<ClvFit, String> {
    let min = ctx.rules.clv.min_customers;
    let histories: Vec<Option<History>> = ctx
        .customers
        .iter()
        .map(|c| history(c, ctx.as_of))
        .collect();
    let data: Vec<(f64, f64, f64)> = histories
        .iter()
        .flatten()
        .map(|h| (h.x, h.t_x, h.age))
        .collect();
    if data.len() < min.max(1) {
        return Err(format!(
            "too few customers for the BG/NBD model: {} (at least {} needed)",
            data.len(),
            min
        ));
    }
    let bgnbd = fit_bgnbd(&data)?;
    let gg_data: Vec<(f64, f64)> = histories
        .iter()
        .flatten()
        .filter(|h| h.x > 0.0 && h.monetary > 0.0)
        .map(|h| (h.x, h.monetary))
        .collect();
    let (gamma_gamma, gamma_gamma_note) = if gg_data.len() < MIN_GAMMA_GAMMA {
        (
            None,
            Some(format!(
                "too few customers with repeat visits of positive value for the Gamma-Gamma \
                 model: {} (at least {MIN_GAMMA_GAMMA} needed)",
                gg_data.len()
            )),
        )
    } else {
        match fit_gamma_gamma(&gg_data) {
            Ok(g) if g.q > 1.0 => (
                Some(g),
                (g.q > BOUNDARY && g.v > BOUNDARY).then(|| {
                    "spend varies hardly more between customers than within them (q and v \
                     very large): every customer is expected near the population mean"
                        .to_string()
                }),
            ),
            Ok(g) => (
                None,
                Some(format!(
                    "the Gamma-Gamma fit gave q = {:.4} ≤ 1: the mean spend is not finite",
                    g.q
                )),
            ),
            Err(e) => (None, Some(e)),
        }
    };
    let (sum_xm, sum_x) = histories
        .iter()
        .flatten()
        .fold((0.0, 0.0), |(s, n), h| (s + h.x * h.monetary, n + h.x));
    let pooled_mean = if sum_x > 0.0 {
        (sum_xm / sum_x).max(0.0)
    } else {
        0.0
    };
    Ok(ClvFit {
        histories,
        bgnbd_note: boundary_note(&bgnbd),
        bgnbd,
        gamma_gamma,
        gamma_gamma_note,
        pooled_mean,
    })
}

/// Scores every customer of a fit over the next `horizon_days`.
pub fn score(fit: &ClvFit, horizon_days: u32) -> ClvReport {
    let bg = &fit.bgnbd;
    let horizon = f64::from(horizon_days);
    let mut total_visits = 0.0;
    let mut total_value = 0.0;
    let mut sum_alive = 0.0;
    let mut fitted = 0usize;
    let mut repeat = 0usize;
    let customers: Vec<Option<ClvCustomer>> = fit
        .histories
        .iter()
        .map(|h| {
            let h = (*h)?;
            fitted += 1;
            if h.x > 0.0 {
                repeat += 1;
            }
            let pa = p_alive(bg, h.x, h.t_x, h.age);
            let ev = expected_visits(bg, horizon, h.x, h.t_x, h.age);
            let ev = if ev.is_finite() { ev.max(0.0) } else { 0.0 };
            let avg = match &fit.gamma_gamma {
                Some(g) => expected_average_value(g, h.x, h.monetary.max(0.0)),
                None => fit.pooled_mean,
            };
            let avg = if avg.is_finite() { avg } else { 0.0 };
            sum_alive += pa;
            total_visits += ev;
            total_value += avg * ev;
            Some(ClvCustomer {
                frequency: h.x as u32,
                recency_days: h.t_x as i64,
                age_days: h.age as i64,
                monetary: to_cents(h.monetary),
                p_alive: pa,
                expected_visits: ev,
                expected_avg_value: to_cents(avg),
                expected_value: to_cents(avg * ev),
            })
        })
        .collect();
    ClvReport {
        horizon_days,
        customers_fitted: fitted,
        repeat_customers: repeat,
        bgnbd: *bg,
        bgnbd_note: fit.bgnbd_note.clone(),
        gamma_gamma: fit.gamma_gamma,
        gamma_gamma_note: fit.gamma_gamma_note.clone(),
        value_model: if fit.gamma_gamma.is_some() {
            ValueModel::GammaGamma
        } else {
            ValueModel::PooledMean
        },
        mean_p_alive: if fitted > 0 {
            sum_alive / fitted as f64
        } else {
            0.0
        },
        total_expected_visits: total_visits,
        total_expected_value: to_cents(total_value),
        customers: customers.into(),
    }
}

/// [`fit`] then [`score`] over `rules.clv.horizon_days`.
pub fn run(ctx: &Context) -> Result<ClvReport, String> {
    fit(ctx).map(|f| score(&f, ctx.rules.clv.horizon_days))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock in n dimensions, with its gradient.
    fn rosenbrock(x: &[f64], g: Option<&mut [f64]>) -> f64 {
        let n = x.len();
        let mut f = 0.0;
        let mut grad = vec![0.0; n];
        for i in 0..n - 1 {
            let a = x[i + 1] - x[i] * x[i];
            let b = 1.0 - x[i];
            f += 100.0 * a * a + b * b;
            grad[i] += -400.0 * x[i] * a - 2.0 * b;
            grad[i + 1] += 200.0 * a;
        }
        if let Some(g) = g {
            g.copy_from_slice(&grad);
        }
        f
    }

    #[test]
    fn optimisers_find_the_rosenbrock_minimum() {
        let (x, fx, ok) = bfgs(&rosenbrock, &[-1.2, 1.0, -0.5, 0.3]);
        assert!(ok, "{x:?} {fx}");
        assert!(x.iter().all(|v| (v - 1.0).abs() < 1e-8), "{x:?}");
        let (x, fx) = nelder_mead(&rosenbrock, &[-1.2, 1.0]);
        assert!(fx < 1e-12, "{x:?} {fx}");
        assert!(x.iter().all(|v| (v - 1.0).abs() < 1e-5), "{x:?}");
        let best = minimize_multi(&rosenbrock, &[[-1.2, 1.0, 0.0], [2.0, 2.0, 2.0]]);
        let best = best.expect("converges");
        assert!(best.iter().all(|v| (v - 1.0).abs() < 1e-8), "{best:?}");
    }

    #[test]
    fn both_forms_of_the_expectation_agree() {
        // Where both series behave, the Euler and the direct sums give the same numerator.
        for &(r, a, b, x, t, age) in &[
            (0.24, 3.0, 2.4, 0.0, 52.0, 39.0),
            (0.5, 5.0, 10.0, 3.0, 365.0, 400.0),
            (2.0, 2.5, 0.7, 10.0, 100.0, 50.0),
            (0.3, 40.0, 60.0, 1.0, 365.0, 30.0),
        ] {
            let alpha = 10.0;
            let z: f64 = t / (alpha + age + t);
            let l = ((alpha + age) / (alpha + age + t)).ln();
            let e = numerator_euler(r, a, b, x, z, l).expect("euler");
            let d = numerator_direct(r, a, b, x, z, l).expect("direct");
            assert!((e - d).abs() <= 1e-11 * e.abs(), "{e} vs {d}");
        }
        // Very large a (a boundary fit): finite, between 0 and the t·rate bound.
        let p = BgNbdParams {
            r: 0.2,
            alpha: 5.0,
            a: 3e6,
            b: 9e6,
            log_likelihood: 0.0,
        };
        let e = expected_visits(&p, 365.0, 1.0, 60.0, 180.0);
        assert!(e.is_finite() && e > 0.0 && e < 365.0, "{e}");
    }

    #[test]
    fn non_finite_objective_is_not_a_minimum() {
        let f = |_: &[f64], _: Option<&mut [f64]>| f64::NAN;
        assert!(minimize_multi(&f, &[[0.0, 0.0]]).is_none());
    }
}
