//! The report: headline totals, the data-quality summary (what was read, how it was
//! understood, what was skipped and why) and the top customers.

use super::dashboard::Dashboard;
use super::format::{count, date, money, money_value, percent, share_value};
use super::state::AppState;
use super::{i18n, model, perf};
use crate::engine::analysis::segments;
use crate::engine::{Lang, Report};
use leptos::prelude::*;
use std::sync::Arc;

/// How many customers the table lists: every line the worker sends with a Report.
const TOP: usize = crate::protocol::HEAD_LINES;

/// One headline figure; `value` is the exact number for tests and scripts.
fn kpi(label: &'static str, text: String, value: String, testid: &'static str) -> impl IntoView {
    kpi_note(label, text, value, testid, None)
}

/// A headline figure with a note under it.
fn kpi_note(
    label: &'static str,
    text: String,
    value: String,
    testid: &'static str,
    note: Option<String>,
) -> impl IntoView {
    view! {
        <div class="kpi">
            <div class="kpi-label">{label}</div>
            <div class="kpi-value" data-testid=testid data-value=value>
                {text}
            </div>
            {note.map(|n| view! { <div class="kpi-note">{n}</div> })}
        </div>
    }
}

/// One line of the facts list.
fn fact(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    // Long values (date ranges, file names) get the whole row.
    let wide = value.chars().count() > 18;
    view! {
        <div class="fact" class:wide=wide>
            <dt>{label}</dt>
            <dd data-testid=testid>{value}</dd>
        </div>
    }
}

/// The report on screen: the latest Report of the state (`first` until there is one). A new
/// Report is the same `Arc` for as long as nothing is analysed again.
fn latest(first: Arc<Report>) -> Memo<Arc<Report>> {
    let state = AppState::get();
    Memo::new_owning(
        move |prev: Option<Arc<Report>>| match (state.report.get(), prev) {
            (Some(new), Some(old)) if Arc::ptr_eq(&new, &old) => (old, false),
            (Some(new), _) => (new, true),
            (None, Some(old)) => (old, false),
            (None, None) => (first.clone(), true),
        },
    )
}

/// `report`, passed on only when `same` finds a change between the Report shown and the new
/// one: the part of the page drawn from it is rebuilt only then.
pub(super) fn part(
    report: Memo<Arc<Report>>,
    same: impl Fn(&Report, &Report) -> bool + Send + Sync + 'static,
) -> Memo<Arc<Report>> {
    Memo::new_owning(move |prev: Option<Arc<Report>>| {
        let new = report.get();
        let changed = prev.is_none_or(|old| !(Arc::ptr_eq(&old, &new) || same(&old, &new)));
        (new, changed)
    })
}

/// A view built from `part`'s Report, built again when `part` changes.
pub(super) fn redrawn<V: IntoView + 'static>(
    part: Memo<Arc<Report>>,
    build: impl Fn(&Arc<Report>) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let r = part.get();
        untrack(|| build(&r))
    }
}

/// The file's name and the date range over the report.
fn head_view(r: &Report, lang: Lang) -> impl IntoView {
    let state = AppState::get();
    let s = i18n::strings(lang);
    view! {
        <div>
            <h2>{s.report_title}</h2>
            <p class="muted">
                {state.file_name.get_untracked().unwrap_or_default()} " · " {date_range(r, lang)}
            </p>
        </div>
    }
}

/// The first and last record dates, or "none".
fn date_range(r: &Report, lang: Lang) -> String {
    r.input
        .date_range
        .map(|d| format!("{} – {}", date(d.from), date(d.to)))
        .unwrap_or_else(|| i18n::strings(lang).none.to_string())
}

/// The totals and the headline figures.
fn kpis_view(r: &Report, lang: Lang) -> impl IntoView {
    let s = i18n::strings(lang);
    let t = &r.totals;
    let h = model::headline(r);
    let d = i18n::dash(lang);
    let lc = |code: &str| segments::label(code, lang);
    view! {
        <div class="kpis">
            {kpi(s.customers, count(t.customers), t.customers.to_string(), "total-customers")}
            {kpi(s.visits, count(t.visits), t.visits.to_string(), "total-visits")}
            {kpi(s.revenue, money(t.revenue), money_value(t.revenue), "total-revenue")}
        </div>
        <div class="kpis secondary" data-testid="headline">
            {kpi(d.top20_share, percent(h.top20_share), share_value(h.top20_share), "top20-share")}
            {kpi_note(
                d.customers_for_80,
                count(h.count_for_80),
                h.count_for_80.to_string(),
                "customers-for-80",
                Some(i18n::share_of_customers(lang, &percent(h.share_for_80))),
            )}
            {kpi(lc("new"), count(h.new), h.new.to_string(), "lifecycle-new")}
            {kpi(lc("active"), count(h.active), h.active.to_string(), "lifecycle-active")}
            {kpi(lc("at_risk"), count(h.at_risk), h.at_risk.to_string(), "lifecycle-at-risk")}
            {kpi(lc("lost"), count(h.lost), h.lost.to_string(), "lifecycle-lost")}
        </div>
    }
}

/// The data-quality panel: what was read, how it was understood, what was skipped.
fn quality_view(r: &Report, lang: Lang) -> impl IntoView {
    let state = AppState::get();
    let s = i18n::strings(lang);
    let input = &r.input;
    let mut facts = vec![
        fact(
            s.file,
            state.file_name.get_untracked().unwrap_or_default(),
            "file-name",
        )
        .into_any(),
        fact(s.format, input.format.clone(), "format").into_any(),
    ];
    if let Some(sheet) = &input.sheet {
        facts.push(fact(s.sheet, sheet.clone(), "sheet").into_any());
    }
    if let Some(enc) = &input.encoding {
        facts.push(fact(s.encoding, enc.clone(), "encoding").into_any());
    }
    facts.extend([
        fact(
            s.header_row,
            input.header_row.to_string(),
            "header-row-used",
        )
        .into_any(),
        fact(s.rows_read, count(input.rows_read), "rows-read").into_any(),
        fact(s.rows_used, count(input.rows_used), "rows-used").into_any(),
        fact(s.rows_skipped, count(input.rows_skipped), "rows-skipped").into_any(),
        fact(s.as_of, date(r.as_of), "as-of-used").into_any(),
        fact(s.date_range, date_range(r, lang), "date-range").into_any(),
        fact(
            s.key_column,
            i18n::role_name_label(&r.key_role, lang),
            "key-role",
        )
        .into_any(),
    ]);

    let skipped = if input.skipped.is_empty() {
        view! { <p class="muted">{s.nothing_skipped}</p> }.into_any()
    } else {
        let rows = input
            .skipped
            .iter()
            .map(|(reason, n)| {
                let examples = input
                    .skipped_examples
                    .get(reason)
                    .map(|v| {
                        v.iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                view! {
                    <tr data-reason=reason.clone()>
                        <td>{i18n::skip_label(reason, lang)}</td>
                        <td class="num">{count(*n)}</td>
                        <td class="examples">{examples}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="data-table compact" data-testid="skipped">
                <thead>
                    <tr>
                        <th>{s.reason}</th>
                        <th class="num">{s.count}</th>
                        <th>{s.example_rows}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };

    let mapping = r
        .mapping_detail
        .iter()
        .map(|g| {
            view! {
                <li>
                    <span class="role">{g.role.label(lang)}</span>
                    <span class="arrow" aria-hidden="true">"→"</span>
                    <span class="column">{g.header.clone()}</span>
                </li>
            }
        })
        .collect_view();

    view! {
        <div class="panel quality" data-testid="quality">
            <h3>{s.quality_title}</h3>
            <div class="quality-grid">
                <dl class="facts">{facts}</dl>
                <div>
                    <h4>{s.skipped_by_reason}</h4>
                    {skipped}
                    <h4>{s.mapping}</h4>
                    <ul class="mapping-list" data-testid="mapping-summary">
                        {mapping}
                    </ul>
                </div>
            </div>
        </div>
    }
}

/// The customers with the highest revenue.
fn top_view(r: &Report, lang: Lang) -> impl IntoView {
    let s = i18n::strings(lang);
    let top = r
        .customers
        .iter()
        .take(TOP)
        .enumerate()
        .map(|(i, c)| {
            view! {
                <tr>
                    <td class="num rank">{i + 1}</td>
                    <td class="id">{c.id.to_string()}</td>
                    <td>{c.name.unwrap_or_default().to_string()}</td>
                    <td class="num">{count(c.visits)}</td>
                    <td class="date">{date(c.first_visit)}</td>
                    <td class="date">{date(c.last_visit)}</td>
                    <td class="num strong">{money(c.revenue)}</td>
                    <td class="num">{money(c.avg_ticket)}</td>
                    <td class="num">{count(c.recency_days.max(0) as usize)}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <div class="panel">
            <div class="panel-head">
                <h3>{s.top_customers}</h3>
                <span class="muted">{s.top_customers_note}</span>
            </div>
            <div class="table-wrap">
                <table class="data-table" data-testid="top-customers">
                    <thead>
                        <tr>
                            <th class="num">{s.rank}</th>
                            <th>{s.customer_id}</th>
                            <th>{s.name}</th>
                            <th class="num">{s.visits}</th>
                            <th>{s.first_visit}</th>
                            <th>{s.last_visit}</th>
                            <th class="num">{s.revenue}</th>
                            <th class="num">{s.avg_ticket}</th>
                            <th class="num">{s.recency} " (" {s.days} ")"</th>
                        </tr>
                    </thead>
                    <tbody>{top}</tbody>
                </table>
            </div>
        </div>
    }
}

/// What the top customers table shows of a Report.
fn top_lines(r: &Report) -> impl Iterator<Item = impl PartialEq + '_> + '_ {
    r.customers.iter().take(TOP).map(|c| {
        (
            c.id,
            c.name,
            c.visits,
            c.first_visit,
            c.last_visit,
            c.revenue,
            c.avg_ticket,
            c.recency_days,
        )
    })
}

/// The report of the last analysis, kept on screen across re-runs: a new Report redraws
/// only the parts that differ from the one shown.
#[component]
pub fn ReportView(lang: Lang, first: Arc<Report>) -> impl IntoView {
    let state = AppState::get();
    let s = i18n::strings(lang);
    let report = latest(first);

    // The dashboard's panels after the Pareto ones are built over the next three frames and
    // the data-quality panel and the top customers in the fourth (no task builds the whole
    // report; a re-run's Report redraws parts of it, below). `data-state="ready"` is set in
    // the frame after, once the whole report is on screen.
    const ALL: u8 = 4;
    let shown = RwSignal::new(0);
    let ready = RwSignal::new(false);
    fn next_frame(shown: RwSignal<u8>, ready: RwSignal<bool>) {
        request_animation_frame(move || match shown.try_get_untracked() {
            Some(n) if n < ALL => {
                shown.set(n + 1);
                next_frame(shown, ready);
            }
            Some(_) if ready.try_set(true).is_none() => perf::rendered(),
            _ => {}
        });
    }
    Effect::new(move |_| next_frame(shown, ready));
    // A re-run's Report: its changes are on screen in the frame after it arrives.
    Effect::new(move |prev: Option<()>| {
        report.track();
        if prev.is_some() {
            request_animation_frame(perf::rendered);
        }
    });

    let head = part(report, |a, b| a.input.date_range == b.input.date_range);
    let kpis = part(report, |a, b| {
        a.totals == b.totals && model::headline(a) == model::headline(b)
    });
    let quality = part(report, |a, b| {
        a.input == b.input
            && a.as_of == b.as_of
            && a.key_role == b.key_role
            && a.mapping_detail == b.mapping_detail
    });
    let top = part(report, |a, b| top_lines(a).eq(top_lines(b)));
    let last = Memo::new(move |_| shown.get() >= ALL);
    view! {
        <section
            class="report"
            data-testid="report"
            data-state=move || if ready.get() { "ready" } else { "rendering" }
        >
            <div class="report-head">
                {redrawn(head, move |r| head_view(r, lang))}
                <div class="button-row">
                    <button
                        type="button"
                        class="button secondary print-button"
                        data-testid="print"
                        on:click=move |_| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.print();
                            }
                        }
                    >
                        {super::i18n::more(lang).print}
                    </button>
                    <button
                        type="button"
                        class="button secondary"
                        data-testid="change-mapping"
                        on:click=move |_| state.edit_mapping()
                    >
                        {s.change_mapping}
                    </button>
                </div>
            </div>
            {redrawn(kpis, move |r| kpis_view(r, lang))}
            <Dashboard lang report shown=shown.into() />
            {move || {
                last.get()
                    .then(|| {
                        view! {
                            {redrawn(quality, move |r| quality_view(r, lang))}
                            {redrawn(top, move |r| top_view(r, lang))}
                        }
                    })
            }}
        </section>
    }
}
