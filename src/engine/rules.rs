//! Every threshold the analyses use, in one serde struct with the defaults from the source
//! documents (product.md, "Analyses"). Missing keys in a rules file fall back to these
//! defaults; unknown keys are an error that names them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// All thresholds. Money in yuan, durations in days unless a name says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    pub pareto: ParetoRules,
    pub value: ValueRules,
    pub rfm: RfmRules,
    pub lifecycle: LifecycleRules,
    pub loyalty: LoyaltyRules,
    pub member: MemberRules,
    pub habit: HabitRules,
    pub vehicle: VehicleRules,
    pub mileage: MileageRules,
    pub reminders: ReminderRules,
    pub need: NeedRules,
    pub clv: ClvRules,
}

impl Rules {
    /// Parses a rules file: missing keys take the defaults, unknown keys are rejected with
    /// their names.
    pub fn from_json(text: &str) -> Result<Rules, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// Pareto / ABC (二八原则).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParetoRules {
    /// Class A: customers up to this cumulative revenue share (0.80).
    pub a_share: f64,
    /// Class B: up to this cumulative share (0.95); C is the rest.
    pub b_share: f64,
    /// The "top" fraction of customers whose revenue share is reported (0.20).
    pub top_fraction: f64,
    /// Points kept in the downsampled curve for charts.
    pub curve_points: usize,
}

impl Default for ParetoRules {
    fn default() -> Self {
        ParetoRules {
            a_share: 0.80,
            b_share: 0.95,
            top_fraction: 0.20,
            curve_points: 200,
        }
    }
}

/// Value grading by 客单价 (average ticket), 回站次数 (visits a year) and 回站周期 (average
/// days between visits). High value needs all three "high" conditions, low value any "low"
/// one; the rest is mid value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValueRules {
    /// Average ticket at or above which a customer is high value (yuan).
    pub ticket_high: f64,
    /// Average ticket below which a customer is low value (yuan).
    pub ticket_low: f64,
    /// Per vehicle series ticket thresholds `{series: [high, low]}` (the seeds: ticket
    /// thresholds differ by series, visit thresholds are shared).
    pub series_ticket: BTreeMap<String, [f64; 2]>,
    /// Visits in the last 12 months at or above which a customer is high value.
    pub visits_high: u32,
    /// Visits in the last 12 months below which a customer is low value.
    pub visits_low: u32,
    /// Average return interval at or below which a customer is high value (days).
    pub interval_high_days: f64,
    /// Average return interval above which a customer is low value (days).
    pub interval_low_days: f64,
}

impl Default for ValueRules {
    fn default() -> Self {
        ValueRules {
            ticket_high: 1500.0,
            ticket_low: 500.0,
            series_ticket: BTreeMap::new(),
            visits_high: 3,
            visits_low: 2,
            interval_high_days: 150.0,
            interval_low_days: 365.0,
        }
    }
}

/// RFM: quintile scores 1–5; the 8-class model compares R, F and M with their means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RfmRules {
    /// Number of score bins (5 = quintiles).
    pub bins: u8,
}

impl Default for RfmRules {
    fn default() -> Self {
        RfmRules { bins: 5 }
    }
}

/// Service lifecycle (服务周期).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleRules {
    /// New: first visit within this many days of as_of.
    pub new_days: i64,
    /// Win-back list (流失用户回访): no visit for this many days (3 months).
    pub win_back_days: i64,
    /// At risk (准流失): no visit for this many days (6 months).
    pub at_risk_days: i64,
    /// Lost (流失): no visit for this many days (12 months).
    pub lost_days: i64,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        LifecycleRules {
            new_days: 90,
            win_back_days: 90,
            at_risk_days: 180,
            lost_days: 365,
        }
    }
}

/// Loyalty tiers: loyal (≥ 3 visits in the last year and a high ticket), potential
/// (2 visits, mid ticket), new (first order), churn warning (no visit for 6 months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoyaltyRules {
    /// Visits in the last 12 months for "loyal".
    pub loyal_visits: u32,
    /// Average ticket for "loyal" (yuan).
    pub loyal_ticket: f64,
    /// Visits in the last 12 months for "potential".
    pub potential_visits: u32,
    /// Average ticket for "potential" (yuan).
    pub potential_ticket: f64,
    /// No visit for this many days: churn warning.
    pub warning_days: i64,
}

impl Default for LoyaltyRules {
    fn default() -> Self {
        LoyaltyRules {
            loyal_visits: 3,
            loyal_ticket: 1000.0,
            potential_visits: 2,
            potential_ticket: 500.0,
            warning_days: 180,
        }
    }
}

/// Member tiers: silver (first visit), gold (≥ 2 visits), platinum (≥ 5 visits in a year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MemberRules {
    /// Lifetime visits for gold.
    pub gold_visits: u32,
    /// Visits in the last 12 months for platinum.
    pub platinum_visits_year: u32,
}

impl Default for MemberRules {
    fn default() -> Self {
        MemberRules {
            gold_visits: 2,
            platinum_visits_year: 5,
        }
    }
}

/// Consumption habit from the intervals between visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HabitRules {
    /// Mean interval at or below which a regular customer is high-frequency (days).
    pub high_frequency_days: f64,
    /// Coefficient of variation of the intervals above which a customer is irregular.
    pub irregular_cv: f64,
    /// Intervals needed before a habit is judged (fewer: "insufficient").
    pub min_intervals: usize,
}

impl Default for HabitRules {
    fn default() -> Self {
        HabitRules {
            high_frequency_days: 120.0,
            irregular_cv: 0.6,
            min_intervals: 2,
        }
    }
}

/// Vehicle age and use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VehicleRules {
    /// Warranty (保修期) length in years from purchase.
    pub warranty_years: f64,
    /// 三包 period in years from purchase (the statutory period is 2 years; shown apart
    /// when it differs from the warranty).
    pub three_guarantees_years: f64,
    /// Daily km from which a vehicle is inferred to be commercial (operating).
    pub commercial_km_per_day: f64,
    /// Daily km from which a vehicle is inferred to be official (between private and
    /// commercial).
    pub official_km_per_day: f64,
}

impl Default for VehicleRules {
    fn default() -> Self {
        VehicleRules {
            warranty_years: 3.0,
            three_guarantees_years: 2.0,
            commercial_km_per_day: 100.0,
            official_km_per_day: 70.0,
        }
    }
}

/// Mileage study filter (the seeds: 5–500 km a day, registered more than 7 months, at least
/// 4 returns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MileageRules {
    pub min_km_per_day: f64,
    pub max_km_per_day: f64,
    pub min_months_registered: u32,
    pub min_returns: u32,
    /// Histogram bin width (km/day).
    pub bin_km: f64,
}

impl Default for MileageRules {
    fn default() -> Self {
        MileageRules {
            min_km_per_day: 5.0,
            max_km_per_day: 500.0,
            min_months_registered: 7,
            min_returns: 4,
            bin_km: 10.0,
        }
    }
}

/// Reminders and call lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderRules {
    /// Service interval in months (6).
    pub interval_months: u32,
    /// Service interval in km (5,000).
    pub interval_km: f64,
    /// SMS this many days before the due date (13).
    pub sms_days_before: i64,
    /// Phone call this many days before the due date (11).
    pub phone_days_before: i64,
    /// Post-repair callback window after the repair, in days (3–7).
    pub callback_min_days: i64,
    pub callback_max_days: i64,
    /// First-service reminder: buyers whose purchase is within this many days.
    pub first_service_within_days: i64,
    /// First service due this many months after purchase.
    pub first_service_months: u32,
}

impl Default for ReminderRules {
    fn default() -> Self {
        ReminderRules {
            interval_months: 6,
            interval_km: 5000.0,
            sms_days_before: 13,
            phone_days_before: 11,
            callback_min_days: 3,
            callback_max_days: 7,
            first_service_within_days: 180,
            first_service_months: 3,
        }
    }
}

/// Need / service type (按进厂作业项目): extra keywords, per need code, checked before the
/// built-in ones (see `analysis::segments`). Keys must be need codes (`first_service`,
/// `maintenance`, `repair`, `accident`, `body_paint`, `modification`, `insurance`, `other`);
/// other keys are ignored. Matching is by substring, case-insensitive for Latin letters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NeedRules {
    /// `{need code: [keyword, ...]}`, e.g. `{"maintenance": ["A保", "B保"]}`.
    pub keywords: BTreeMap<String, Vec<String>>,
}

/// P(alive) and expected value (BG/NBD + Gamma-Gamma, `analysis::clv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClvRules {
    /// Days ahead over which visits and value are predicted (365).
    pub horizon_days: u32,
    /// Fewest customers for which the models are fitted (20).
    pub min_customers: usize,
}

impl Default for ClvRules {
    fn default() -> Self {
        ClvRules {
            horizon_days: 365,
            min_customers: 20,
        }
    }
}
