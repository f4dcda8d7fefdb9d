//! Which customers a drill-down shows: the lines of one class of a scheme (a segmentation
//! scheme, ABC, an RFM segment set or one R × F cell), searched by id or name and sorted by a
//! column. Runs where the Report's lines are kept (the worker, the CLI's tests); the page asks
//! for a page of the result.

use super::analysis::pareto::AbcClass;
use super::report::{CustomerRow, Customers};
use serde::{Deserialize, Serialize};

/// Drill-down keys besides the segmentation schemes of
/// [`super::analysis::segments::SCHEMES`]: the ABC classes.
pub const ABC: &str = "abc";
/// RFM named segments.
pub const RFM_NAMED: &str = "rfm_named";
/// RFM 8 classes.
pub const RFM8: &str = "rfm8";
/// One R × F cell of the RFM grid; the code is `"<r>-<f>"`.
pub const RFM_RF: &str = "rfm_rf";

/// The code of an ABC class.
pub fn abc_code(c: AbcClass) -> &'static str {
    match c {
        AbcClass::A => "A",
        AbcClass::B => "B",
        AbcClass::C => "C",
    }
}

/// The code of an R × F cell.
pub fn rf_code(r: u8, f: u8) -> String {
    format!("{r}-{f}")
}

/// A customer's class in a scheme (or in [`ABC`], [`RFM_NAMED`], [`RFM8`]).
pub fn customer_class<'a>(c: &CustomerRow<'a>, scheme: &str) -> Option<&'a str> {
    let (s, rfm) = (c.segments, c.rfm);
    match scheme {
        ABC => Some(abc_code(c.abc)),
        RFM_NAMED => Some(rfm.named.as_ref()),
        RFM8 => Some(rfm.rfm8.as_ref()),
        _ => s.scheme(scheme),
    }
}

/// True when the customer is in class `code` of `scheme`.
pub fn in_class(c: &CustomerRow, scheme: &str, code: &str) -> bool {
    if scheme == RFM_RF {
        return code
            .split_once('-')
            .and_then(|(r, f)| Some((r.parse::<u8>().ok()?, f.parse::<u8>().ok()?)))
            == Some((c.rfm.r, c.rfm.f));
    }
    customer_class(c, scheme) == Some(code)
}

/// A column the drill-down table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Customer key.
    Id,
    Visits,
    FirstVisit,
    LastVisit,
    /// Revenue (the Report's own order).
    #[default]
    Revenue,
}

/// What a drill-down shows: a class, a search text and a sort order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemberQuery {
    /// Scheme name, [`ABC`], [`RFM_NAMED`], [`RFM8`] or [`RFM_RF`].
    pub scheme: String,
    /// Class code within the scheme.
    pub code: String,
    /// Search text: id or name contains it, case-insensitive; blank: all.
    pub search: String,
    /// Sort column.
    pub sort: SortKey,
    /// Descending.
    pub desc: bool,
}

impl MemberQuery {
    /// A class in the Report's order (revenue, highest first), unsearched.
    pub fn class(scheme: &str, code: &str) -> Self {
        MemberQuery {
            scheme: scheme.to_string(),
            code: code.to_string(),
            search: String::new(),
            sort: SortKey::Revenue,
            desc: true,
        }
    }
}

/// The customers of a class, in Report order (revenue, highest first), whose id or name
/// contains `search` (case-insensitive; blank: all).
pub fn members<'a>(
    lines: &'a Customers,
    scheme: &str,
    code: &str,
    search: &str,
) -> Vec<CustomerRow<'a>> {
    let mut found: Vec<_> = lines.iter().filter(|c| in_class(c, scheme, code)).collect();
    keep_matches(&mut found, search);
    found
}

/// Keeps the customers whose id or name contains `search` (case-insensitive; blank: all).
pub fn keep_matches(list: &mut Vec<CustomerRow>, search: &str) {
    let q = search.trim().to_lowercase();
    if q.is_empty() {
        return;
    }
    list.retain(|c| {
        c.id.to_lowercase().contains(&q) || c.name.is_some_and(|n| n.to_lowercase().contains(&q))
    });
}

/// Sorts customers by `key` (descending when `desc`); ties keep the Report's order.
pub fn sort_members(list: &mut [CustomerRow], key: SortKey, desc: bool) {
    list.sort_by(|a, b| {
        let o = match key {
            SortKey::Id => a.id.cmp(b.id),
            SortKey::Visits => a.visits.cmp(&b.visits),
            SortKey::FirstVisit => a.first_visit.cmp(&b.first_visit),
            SortKey::LastVisit => a.last_visit.cmp(&b.last_visit),
            SortKey::Revenue => a.revenue.cmp(&b.revenue),
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
}

/// The customers a query selects, searched and sorted.
pub fn run<'a>(lines: &'a Customers, q: &MemberQuery) -> Vec<CustomerRow<'a>> {
    let mut found = members(lines, &q.scheme, &q.code, &q.search);
    sort_members(&mut found, q.sort, q.desc);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analysis::rfm::RfmScore;
    use crate::engine::analysis::segments::CustomerSegments;
    use crate::engine::report::CustomerReport;
    use chrono::NaiveDate;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, d).unwrap_or_default()
    }

    /// A line with the given key, name, visits, first day, revenue (yuan), R and F scores and
    /// lifecycle label.
    fn line(
        id: &str,
        name: &str,
        visits: usize,
        first: u32,
        yuan: i64,
        rf: (u8, u8),
        life: &str,
    ) -> CustomerReport {
        CustomerReport {
            id: id.to_string(),
            name: Some(name.to_string()),
            visits,
            first_visit: day(first),
            last_visit: day(first + 1),
            revenue: yuan * 100,
            avg_ticket: yuan * 100 / visits as i64,
            recency_days: 10,
            abc: if yuan >= 500 {
                AbcClass::A
            } else {
                AbcClass::C
            },
            rfm: RfmScore {
                r: rf.0,
                f: rf.1,
                m: 3,
                rfm8: "".into(),
                named: "".into(),
            },
            segments: CustomerSegments {
                lifecycle: Some(life.into()),
                ..CustomerSegments::NONE
            },
            clv: None,
        }
    }

    /// Five lines in Report order (revenue, highest first).
    fn lines() -> Customers {
        [
            line("C3", "王伟", 2, 5, 900, (5, 1), "active"),
            line("C1", "李娜", 7, 2, 700, (4, 3), "lost"),
            line("C5", "Wang Fang", 3, 9, 400, (4, 3), "lost"),
            line("c2", "张伟", 3, 1, 400, (1, 2), "lost"),
            line("C4", "刘洋", 1, 3, 100, (2, 1), "active"),
        ]
        .into_iter()
        .collect()
    }

    fn ids(found: &[CustomerRow]) -> Vec<String> {
        found.iter().map(|c| c.id.to_string()).collect()
    }

    #[test]
    fn a_class_in_report_order() {
        let l = lines();
        assert_eq!(
            ids(&members(&l, "lifecycle", "lost", "")),
            ["C1", "C5", "c2"]
        );
        assert_eq!(ids(&members(&l, ABC, "A", "")), ["C3", "C1"]);
        assert_eq!(ids(&members(&l, RFM_RF, "4-3", "")), ["C1", "C5"]);
        assert_eq!(members(&l, "lifecycle", "active", "").len(), 2);
        // Unknown schemes and malformed cells select nobody.
        assert!(members(&l, "nope", "lost", "").is_empty());
        assert!(members(&l, RFM_RF, "4-x", "").is_empty());
        assert!(members(&l, RFM_RF, "43", "").is_empty());
    }

    #[test]
    fn search_matches_id_or_name_ignoring_case() {
        let l = lines();
        // "c" matches every id (C1, C5, c2) in the lost class.
        assert_eq!(
            ids(&members(&l, "lifecycle", "lost", " c ")),
            ["C1", "C5", "c2"]
        );
        assert_eq!(ids(&members(&l, "lifecycle", "lost", "C2")), ["c2"]);
        assert_eq!(ids(&members(&l, "lifecycle", "lost", "wang")), ["C5"]);
        assert_eq!(ids(&members(&l, "lifecycle", "active", "伟")), ["C3"]);
        assert!(members(&l, "lifecycle", "lost", "zzz").is_empty());
    }

    #[test]
    fn sorts_keep_report_order_on_ties() {
        let l = lines();
        let q = |sort, desc| MemberQuery {
            sort,
            desc,
            ..MemberQuery::class("lifecycle", "lost")
        };
        // Visits 7, 3, 3: the two 3s keep Report order (C5 before c2) both ways.
        assert_eq!(ids(&run(&l, &q(SortKey::Visits, true))), ["C1", "C5", "c2"]);
        assert_eq!(
            ids(&run(&l, &q(SortKey::Visits, false))),
            ["C5", "c2", "C1"]
        );
        // Revenue 700, 400, 400 ascending.
        assert_eq!(
            ids(&run(&l, &q(SortKey::Revenue, false))),
            ["C5", "c2", "C1"]
        );
        // First visits: c2 day 1, C1 day 2, C5 day 9.
        assert_eq!(
            ids(&run(&l, &q(SortKey::FirstVisit, false))),
            ["c2", "C1", "C5"]
        );
        assert_eq!(
            ids(&run(&l, &q(SortKey::LastVisit, true))),
            ["C5", "C1", "c2"]
        );
        // Ids compare as bytes: "C1" < "C5" < "c2".
        assert_eq!(ids(&run(&l, &q(SortKey::Id, false))), ["C1", "C5", "c2"]);
        assert_eq!(run(&l, &MemberQuery::class("lifecycle", "lost")).len(), 3);
    }

    #[test]
    fn query_json_round_trips() {
        let q = MemberQuery {
            search: "王".into(),
            sort: SortKey::FirstVisit,
            ..MemberQuery::class(RFM_RF, "5-1")
        };
        let json = serde_json::to_string(&q).unwrap_or_default();
        assert!(json.contains("\"first_visit\""), "{json}");
        assert_eq!(serde_json::from_str::<MemberQuery>(&json).ok(), Some(q));
    }
}
