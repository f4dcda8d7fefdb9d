//! The dashboard under the headline figures: one panel per analysis (charts from
//! [`crate::charts`], data from [`super::model`]), the call lists, and the drill-down into
//! the customers of a segment. Charts are SVG text made here, on the page's thread, and
//! inserted as markup; every chart can be saved as an SVG file.

use super::format::{count, date, km, money, percent};
use super::model::{self, SchemeView, SortKey};
use super::report::{part, redrawn};
use super::state::{AppState, HistoryView};
use super::{download, i18n};
use crate::charts::{
    bar_chart, cohort_triangle, donut_chart, funnel, heatmap, histogram, line_chart, pareto_chart,
    ChartError, ChartOptions,
};
use crate::engine::select::MemberQuery;
use crate::engine::{Lang, Report};
use crate::protocol::{ExportTable, FileFormat, ListFacts, HEAD_CALLS};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Size of a chart spanning the whole width, and of one in a half-width panel.
const WIDE: (u32, u32) = (1200, 460);
const HALF: (u32, u32) = (640, 400);
/// Rows shown in the drill-down and call-list tables (exports hold every row; the worker
/// sends no more).
const TABLE_ROWS: usize = HEAD_CALLS;

/// The segment shown in the drill-down: (scheme, class code).
type Drill = RwSignal<Option<(String, String)>>;

/// What was clicked in a chart: the element's `data-index` or `data-row` / `data-col`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pick {
    index: Option<usize>,
    row: Option<usize>,
    col: Option<usize>,
    other: bool,
}

/// The options of one chart.
fn opts(id: &str, title: &str, (width, height): (u32, u32), lang: Lang) -> ChartOptions {
    ChartOptions {
        width,
        height,
        title: title.to_string(),
        id: id.to_string(),
        lang,
    }
}

fn drawn(res: Result<String, ChartError>, lang: Lang) -> Result<String, String> {
    res.map_err(|e| e.message(lang))
}

/// The chart element hit by a click (or focused when Enter or Space is pressed), if it
/// carries drill-down attributes.
fn picked(ev: &web_sys::Event) -> Option<Pick> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let hit = el.closest("[data-index], [data-row]").ok()??;
    let num = |k: &str| hit.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
    Some(Pick {
        index: num("data-index"),
        row: num("data-row"),
        col: num("data-col"),
        other: hit.get_attribute("data-other").as_deref() == Some("true"),
    })
}

/// A chart: its SVG (or why it failed), an "Export SVG" button, and an optional click
/// handler for drill-down.
fn chart_box(
    testid: String,
    file: String,
    svg: Signal<Result<String, String>>,
    lang: Lang,
    pick: Option<Callback<Pick>>,
) -> impl IntoView {
    let d = i18n::dash(lang);
    let m = i18n::more(lang);
    let export_id = format!("{testid}-export");
    let (png2_id, png3_id) = (format!("{testid}-png2"), format!("{testid}-png3"));
    let png_name = |scale: u32| {
        let stem = file.strip_suffix(".svg").unwrap_or(&file);
        format!("{stem}@{scale}x.png")
    };
    let png = move |scale: u32| {
        let name = png_name(scale);
        move |_| {
            if let Ok(s) = svg.get_untracked() {
                download::save_png(name.clone(), s, scale);
            }
        }
    };
    let (png2, png3) = (png(2), png(3));
    let export = move |_| {
        if let Ok(s) = svg.get_untracked() {
            download::save_text(&file, download::SVG, &s);
        }
    };
    let body = move || match svg.get() {
        Ok(s) => view! {
            <div
                class="chart-svg"
                inner_html=s
                on:click=move |ev| {
                    if let (Some(cb), Some(p)) = (pick, picked(&ev)) {
                        cb.run(p);
                    }
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() != "Enter" && ev.key() != " " {
                        return;
                    }
                    if let (Some(cb), Some(p)) = (pick, picked(&ev)) {
                        ev.prevent_default();
                        cb.run(p);
                    }
                }
            ></div>
        }
        .into_any(),
        Err(e) => view! { <p class="chart-error">{d.chart_failed} {e}</p> }.into_any(),
    };
    view! {
        <figure class="chart" class:pickable=pick.is_some() data-testid=testid>
            {body}
            <figcaption>
                <button
                    type="button"
                    class="button small ghost"
                    data-testid=export_id
                    on:click=export
                >
                    {d.export_svg}
                </button>
                <button
                    type="button"
                    class="button small ghost"
                    data-testid=png2_id
                    on:click=png2
                >
                    {m.export_png} " 2×"
                </button>
                <button
                    type="button"
                    class="button small ghost"
                    data-testid=png3_id
                    on:click=png3
                >
                    {m.export_png} " 3×"
                </button>
            </figcaption>
        </figure>
    }
}

/// A chart that never changes.
fn fixed(svg: Result<String, String>) -> Signal<Result<String, String>> {
    Signal::derive(move || svg.clone())
}

/// Buttons, one per class, that open the drill-down (the keyboard way to what a click on
/// the chart does).
fn class_buttons(v: &SchemeView, drill: Drill, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let buttons = v
        .classes
        .iter()
        .map(|c| {
            let scheme = v.scheme.clone();
            let code = c.code.clone();
            let title = format!("{}：{}", d.click_to_drill, c.label);
            view! {
                <li>
                    <button
                        type="button"
                        class="chip"
                        title=title
                        data-testid="drill-open"
                        data-scheme=scheme.clone()
                        data-code=code.clone()
                        data-count=c.count.to_string()
                        on:click=move |_| drill.set(Some((scheme.clone(), code.clone())))
                    >
                        <span>{c.label.clone()}</span>
                        <span class="chip-count">{count(c.count)}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="chips">{buttons}</ul> }
}

/// Opens the drill-down for the class at `index` of a view, unless it is the "other" bar or
/// slice that sums the tail.
fn pick_class(v: &SchemeView, p: Pick, max: usize, drill: Drill) {
    let Some(i) = p.index else { return };
    let folded = v.classes.len() > max && i + 1 >= max;
    if p.other || folded {
        return;
    }
    if let Some(c) = v.classes.get(i) {
        drill.set(Some((v.scheme.clone(), c.code.clone())));
    }
}

/// One segmentation scheme: bars or a donut, the class buttons, or what would unlock it.
fn scheme_panel(
    r: &Arc<Report>,
    v: SchemeView,
    drill: Drill,
    lang: Lang,
    wide: bool,
) -> impl IntoView {
    let d = i18n::dash(lang);
    let testid = format!("panel-{}", v.scheme.replace('_', "-"));
    let title = v.title.clone();
    if !v.available {
        let lead = if v.missing_any {
            d.unlock_with_any
        } else {
            d.unlock_with
        };
        let sep = if matches!(lang, Lang::Zh) {
            "、"
        } else {
            ", "
        };
        let missing = v.missing.join(sep);
        return view! {
            <section class="panel dash-panel unavailable" data-testid=testid data-available="false">
                <h3>{title}</h3>
                <p class="unlock" data-testid="unlock">
                    {lead}
                    <strong>{missing}</strong>
                </p>
            </section>
        }
        .into_any();
    }
    let donut = RwSignal::new(false);
    let chart_id = format!("dl-seg-{}", v.scheme.replace('_', "-"));
    let size = if wide { WIDE } else { HALF };
    let file = model::file_name(&format!("dealerlens-{}", v.scheme), r, "svg");
    let v = Arc::new(v);
    let svg = {
        let v = v.clone();
        let chart_id = chart_id.clone();
        Signal::derive(move || {
            let o = opts(&chart_id, &v.title, size, lang);
            if donut.get() {
                drawn(donut_chart(&model::scheme_donut(&v, lang), &o), lang)
            } else {
                drawn(bar_chart(&model::scheme_bars(&v, lang), &o), lang)
            }
        })
    };
    let pick = {
        let v = v.clone();
        Callback::new(move |p: Pick| {
            let max = if donut.get_untracked() { 12 } else { 60 };
            pick_class(&v, p, max, drill);
        })
    };
    let unassigned = (v.unassigned > 0).then(|| {
        view! {
            <p class="muted small">
                {d.unassigned} ": " {i18n::customers_n(lang, &count(v.unassigned))}
            </p>
        }
    });
    view! {
        <section
            class="panel dash-panel"
            class:wide=wide
            data-testid=testid
            data-available="true"
        >
            <div class="panel-head">
                <h3>{title}</h3>
                <div class="toggle" role="group">
                    <button
                        type="button"
                        class="button small ghost"
                        aria-pressed=move || (!donut.get()).to_string()
                        on:click=move |_| donut.set(false)
                    >
                        {d.bars}
                    </button>
                    <button
                        type="button"
                        class="button small ghost"
                        data-testid="show-donut"
                        aria-pressed=move || donut.get().to_string()
                        on:click=move |_| donut.set(true)
                    >
                        {d.donut}
                    </button>
                </div>
            </div>
            {chart_box(format!("chart-{}", v.scheme.replace('_', "-")), file, svg, lang, Some(pick))}
            {class_buttons(&v, drill, lang)}
            {unassigned}
        </section>
    }
    .into_any()
}

/// The Pareto chart, its figures, and the ABC classes.
fn pareto_panels(r: &Arc<Report>, drill: Drill, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let p = &r.pareto.customers;
    let svg = drawn(
        pareto_chart(
            &model::pareto(r, lang),
            &opts("dl-pareto", d.pareto_title, WIDE, lang),
        ),
        lang,
    );
    let abc = Arc::new(model::abc_view(r, lang));
    let abc_svg = drawn(
        donut_chart(
            &model::scheme_donut(&abc, lang),
            &opts("dl-abc", d.abc_title, HALF, lang),
        ),
        lang,
    );
    let abc_pick = {
        let abc = abc.clone();
        Callback::new(move |p: Pick| pick_class(&abc, p, 12, drill))
    };
    let facts = view! {
        <dl class="facts inline">
            <div class="fact">
                <dt>{d.gini}</dt>
                <dd>{format!("{:.3}", p.gini)}</dd>
            </div>
        </dl>
    };
    view! {
        <section class="panel dash-panel wide" data-testid="panel-pareto">
            <div class="panel-head">
                <h3>{d.pareto_title}</h3>
            </div>
            {chart_box(
                "chart-pareto".into(),
                model::file_name("dealerlens-pareto", r, "svg"),
                fixed(svg),
                lang,
                None,
            )}
            {facts}
        </section>
        <section class="panel dash-panel" data-testid="panel-abc">
            <div class="panel-head">
                <h3>{d.abc_title}</h3>
            </div>
            {chart_box(
                "chart-abc".into(),
                model::file_name("dealerlens-abc", r, "svg"),
                fixed(abc_svg),
                lang,
                Some(abc_pick),
            )}
            {class_buttons(&abc, drill, lang)}
        </section>
    }
}

/// The lifecycle funnel.
fn funnel_panel(r: &Arc<Report>, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let svg = drawn(
        funnel(
            &model::lifecycle_funnel(r, lang),
            &opts("dl-funnel", d.funnel_title, HALF, lang),
        ),
        lang,
    );
    view! {
        <section class="panel dash-panel" data-testid="panel-funnel">
            <div class="panel-head">
                <h3>{d.funnel_title}</h3>
            </div>
            {chart_box(
                "chart-funnel".into(),
                model::file_name("dealerlens-lifecycle-funnel", r, "svg"),
                fixed(svg),
                lang,
                None,
            )}
        </section>
    }
}

/// The R × F heat map (by customers or by revenue; a cell opens its customers) and the
/// named RFM segments.
fn rfm_panels(r: &Arc<Report>, drill: Drill, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let by_revenue = RwSignal::new(false);
    // The cells take the keyboard focus: they are the only way into an R × F drill-down.
    let svg = {
        let r = r.clone();
        Signal::derive(move || {
            drawn(
                heatmap(
                    &model::rfm_heatmap(&r, lang, by_revenue.get()),
                    &opts("dl-rfm", d.rfm_heatmap_title, HALF, lang),
                ),
                lang,
            )
            .map(|svg| model::focusable(&svg, "dl-cell"))
        })
    };
    let pick = {
        let r = r.clone();
        Callback::new(move |p: Pick| {
            if let (Some(row), Some(col)) = (p.row, p.col) {
                if let Some((rs, fs)) = model::rfm_cell(&r, row, col) {
                    drill.set(Some((model::RFM_RF.into(), model::rf_code(rs, fs))));
                }
            }
        })
    };
    let named = model::rfm_view(r, model::RFM_NAMED, lang);
    view! {
        <section class="panel dash-panel" data-testid="panel-rfm">
            <div class="panel-head">
                <h3>{d.rfm_heatmap_title}</h3>
                <div class="toggle" role="group">
                    <button
                        type="button"
                        class="button small ghost"
                        aria-pressed=move || (!by_revenue.get()).to_string()
                        on:click=move |_| by_revenue.set(false)
                    >
                        {d.by_count}
                    </button>
                    <button
                        type="button"
                        class="button small ghost"
                        aria-pressed=move || by_revenue.get().to_string()
                        on:click=move |_| by_revenue.set(true)
                    >
                        {d.by_revenue}
                    </button>
                </div>
            </div>
            {chart_box(
                "chart-rfm".into(),
                model::file_name("dealerlens-rfm", r, "svg"),
                svg,
                lang,
                Some(pick),
            )}
        </section>
        {scheme_panel(r, named, drill, lang, false)}
    }
}

/// A group of two buttons that switch a boolean view option.
fn toggle2(
    on: RwSignal<bool>,
    off_label: &'static str,
    on_label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="toggle" role="group">
            <button
                type="button"
                class="button small ghost"
                aria-pressed=move || (!on.get()).to_string()
                on:click=move |_| on.set(false)
            >
                {off_label}
            </button>
            <button
                type="button"
                class="button small ghost"
                data-testid=testid
                aria-pressed=move || on.get().to_string()
                on:click=move |_| on.set(true)
            >
                {on_label}
            </button>
        </div>
    }
}

/// Monthly revenue or visits, split by lifecycle or value class.
fn trends_panel(r: &Arc<Report>, lang: Lang) -> impl IntoView {
    let s = i18n::strings(lang);
    let d = i18n::dash(lang);
    let visits = RwSignal::new(false);
    let by_value = RwSignal::new(false);
    let svg = {
        let r = r.clone();
        Signal::derive(move || {
            let split = if by_value.get() { "value" } else { "lifecycle" };
            drawn(
                line_chart(
                    &model::trends(&r, lang, split, visits.get()),
                    &opts("dl-trends", d.trends_title, WIDE, lang),
                ),
                lang,
            )
        })
    };
    let label = |code: &str| crate::engine::analysis::segments::label(code, lang);
    view! {
        <section class="panel dash-panel wide" data-testid="panel-trends">
            <div class="panel-head">
                <h3>{d.trends_title}</h3>
                <div class="toggles">
                    {toggle2(visits, d.pareto_value_legend, s.visits, "trends-visits")}
                    {toggle2(by_value, label("lifecycle"), label("value"), "trends-by-value")}
                </div>
            </div>
            {chart_box(
                "chart-trends".into(),
                model::file_name("dealerlens-trends", r, "svg"),
                svg,
                lang,
                None,
            )}
        </section>
    }
}

/// The mileage histogram with its filter steps, or what would unlock it.
fn mileage_panel(r: &Arc<Report>, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let Some(data) = model::mileage(r, lang) else {
        let missing = r
            .mileage
            .missing_roles
            .iter()
            .map(|x| i18n::role_name_label(x, lang))
            .collect::<Vec<_>>()
            .join(", ");
        return view! {
            <section class="panel dash-panel unavailable" data-testid="panel-mileage" data-available="false">
                <h3>{d.mileage_title}</h3>
                <p class="unlock" data-testid="unlock">
                    {d.unlock_with}
                    <strong>{missing}</strong>
                </p>
            </section>
        }
        .into_any();
    };
    let svg = drawn(
        histogram(&data, &opts("dl-mileage", d.mileage_title, HALF, lang)),
        lang,
    );
    let steps = model::mileage_steps(r, lang)
        .into_iter()
        .map(|(label, n)| {
            view! {
                <tr>
                    <td>{label}</td>
                    <td class="num">{count(n)}</td>
                </tr>
            }
        })
        .collect_view();
    let m = &r.mileage;
    let stats = format!(
        "{} {} · {} {} {}",
        d.mean,
        m.mean_km_per_day.map(km).unwrap_or_else(|| "—".into()),
        d.median,
        m.median_km_per_day.map(km).unwrap_or_else(|| "—".into()),
        d.km_per_day
    );
    view! {
        <section class="panel dash-panel" data-testid="panel-mileage" data-available="true">
            <div class="panel-head">
                <h3>{d.mileage_title}</h3>
                <span class="muted">{stats}</span>
            </div>
            {chart_box(
                "chart-mileage".into(),
                model::file_name("dealerlens-mileage", r, "svg"),
                fixed(svg),
                lang,
                None,
            )}
            <h4>{d.filter_steps}</h4>
            <table class="data-table compact" data-testid="mileage-steps">
                <tbody>{steps}</tbody>
            </table>
        </section>
    }
    .into_any()
}

/// The cohort retention triangle.
fn cohort_panel(r: &Arc<Report>, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let rows = r.trends.cohorts.len().clamp(6, 36) as u32;
    let size = (WIDE.0, (rows * 22 + 160).clamp(360, 1000));
    let svg = drawn(
        cohort_triangle(
            &model::cohorts(r, lang),
            &opts("dl-cohort", d.cohort_title, size, lang),
        ),
        lang,
    );
    view! {
        <section class="panel dash-panel wide" data-testid="panel-cohort">
            <div class="panel-head">
                <h3>{d.cohort_title}</h3>
            </div>
            {chart_box(
                "chart-cohort".into(),
                model::file_name("dealerlens-cohorts", r, "svg"),
                fixed(svg),
                lang,
                None,
            )}
        </section>
    }
}

/// Customer lifetime value figures, when the fit succeeded.
fn clv_panel(r: &Arc<Report>, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let clv = r.clv.as_ref()?;
    Some(view! {
        <section class="panel dash-panel" data-testid="panel-clv">
            <h3>{d.clv_title}</h3>
            <dl class="facts">
                <div class="fact">
                    <dt>{d.clv_expected_value}</dt>
                    <dd>{money(clv.total_expected_value)}</dd>
                </div>
                <div class="fact">
                    <dt>{d.clv_expected_visits}</dt>
                    <dd>{count(clv.total_expected_visits.round().max(0.0) as usize)}</dd>
                </div>
                <div class="fact">
                    <dt>{d.clv_p_alive}</dt>
                    <dd>{percent(clv.mean_p_alive)}</dd>
                </div>
            </dl>
        </section>
    })
}

/// An export button (CSV or Excel); disabled while the worker writes a file.
fn export_button(
    testid: &'static str,
    label: &'static str,
    on_click: impl Fn(leptos::ev::MouseEvent) + 'static,
    lang: Lang,
) -> impl IntoView {
    let m = i18n::more(lang);
    let state = AppState::get();
    view! {
        <button
            type="button"
            class="button secondary"
            data-testid=testid
            disabled=move || state.exporting.get()
            on:click=on_click
        >
            {move || if state.exporting.get() { m.preparing } else { label }}
        </button>
    }
}

/// An "Export CSV" and an "Export Excel" button.
fn export_buttons(
    (csv_id, xlsx_id): (&'static str, &'static str),
    export: impl Fn(FileFormat) + Clone + 'static,
    lang: Lang,
) -> impl IntoView {
    let (d, m) = (i18n::dash(lang), i18n::more(lang));
    let csv = {
        let export = export.clone();
        move |_| export(FileFormat::Csv)
    };
    let xlsx = move |_| export(FileFormat::Xlsx);
    view! {
        {export_button(csv_id, d.export_csv, csv, lang)}
        {export_button(xlsx_id, m.export_xlsx, xlsx, lang)}
    }
}

/// A customer id that opens the customer's history.
fn history_button(id: String, lang: Lang) -> impl IntoView {
    let m = i18n::more(lang);
    let (open, shown) = (id.clone(), id.clone());
    view! {
        <button
            type="button"
            class="link"
            data-testid="history-open"
            data-id=id
            title=m.open_history
            on:click=move |_| AppState::get().open_history(open.clone())
        >
            {shown}
        </button>
    }
}

/// The call lists: one tab per list with its count, the selected list's due dates, its
/// first rows and a CSV or xlsx export of all of them. A new Report redraws the tabs and,
/// when the selected list or its facts changed, its table.
fn lists_panel(report: Memo<Arc<Report>>, lang: Lang) -> impl IntoView {
    let d = i18n::dash(lang);
    let state = AppState::get();
    let selected = RwSignal::new("phone");
    let tabs = move || {
        let facts = state.lists.get();
        model::LISTS
            .iter()
            .map(|&name| {
                let n = facts.get(name).map_or(0, |f| f.len);
                view! {
                    <button
                        type="button"
                        class="tab"
                        data-testid=format!("list-tab-{name}")
                        data-count=n.to_string()
                        aria-pressed=move || (selected.get() == name).to_string()
                        on:click=move |_| selected.set(name)
                    >
                        <span>{i18n::list_title(lang, name)}</span>
                        <span class="chip-count">{count(n)}</span>
                    </button>
                }
            })
            .collect_view()
    };
    let facts = Memo::new(move |_| {
        let name = selected.get();
        state
            .lists
            .with(|l| l.get(name).copied().unwrap_or_default())
    });
    let shown = part(report, move |a, b| {
        let name = selected.get_untracked();
        a.as_of == b.as_of
            && model::list(&a.lists, name) == model::list(&b.lists, name)
            && model::list_missing(&a.lists, name, lang)
                == model::list_missing(&b.lists, name, lang)
            && i18n::list_hint(lang, name, &a.rules) == i18n::list_hint(lang, name, &b.rules)
    });
    let body = move || {
        let (name, f, r) = (selected.get(), facts.get(), shown.get());
        untrack(|| list_body(&r, name, f, lang))
    };
    let as_of = part(report, |a, b| a.as_of == b.as_of);
    view! {
        <section class="panel dash-panel wide" data-testid="panel-lists">
            <div class="panel-head">
                <h3>{d.lists_title}</h3>
                <span class="muted">
                    {d.lists_note} " · " {move || date(as_of.get().as_of)}
                </span>
            </div>
            <div class="tabs" role="group" aria-label=d.lists_title>
                {tabs}
            </div>
            {body}
        </section>
    }
}

/// One call list: its rule, due dates, first rows and export buttons.
fn list_body(r: &Arc<Report>, name: &'static str, f: ListFacts, lang: Lang) -> AnyView {
    let s = i18n::strings(lang);
    let d = i18n::dash(lang);
    // The first rows only; the facts count them all.
    let items = model::list(&r.lists, name);
    let hint = i18n::list_hint(lang, name, &r.rules);
    if let Some(missing) = model::list_missing(&r.lists, name, lang) {
        return view! {
            <div class="list-body" data-testid="list-body" data-list=name>
                <p class="muted">{hint}</p>
                <p class="unlock">
                    {d.list_unavailable}
                    <strong>{missing.join(", ")}</strong>
                </p>
            </div>
        }
        .into_any();
    }
    let summary = model::due_summary(&f).map(|(from, to, overdue)| {
        let mut t = i18n::due_range(lang, &from, &to);
        if overdue > 0 {
            t.push_str(" · ");
            t.push_str(&i18n::overdue_n(lang, &count(overdue)));
        }
        t
    });
    let rows = items
        .iter()
        .take(TABLE_ROWS)
        .map(|i| {
            view! {
                <tr class:overdue=i.days_to_due < 0>
                    <td class="id">{history_button(i.id.to_string(), lang)}</td>
                    <td>{i.name.unwrap_or_default().to_string()}</td>
                    <td>{i.phone.unwrap_or_default().to_string()}</td>
                    <td>{i.plate.unwrap_or_default().to_string()}</td>
                    <td class="date due">{date(i.due)}</td>
                    <td class="num">{i.days_to_due}</td>
                    <td>{crate::engine::analysis::segments::label_or_code(i.reason, lang).to_string()}</td>
                    <td class="date">{date(i.last_visit)}</td>
                </tr>
            }
        })
        .collect_view();
    let more = (f.len > TABLE_ROWS).then(|| {
        view! {
            <p class="muted small">
                {i18n::showing(lang, &count(TABLE_ROWS), &count(f.len))}
            </p>
        }
    });
    let export = {
        let r = r.clone();
        move |format: FileFormat| {
            let file = model::file_name(i18n::list_title(lang, name), &r, format.ext());
            let table = ExportTable::List {
                name: name.to_string(),
            };
            AppState::get().export(table, format, file);
        }
    };
    let table = if f.len == 0 {
        view! { <p class="muted">{d.list_empty}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="data-table compact" data-testid="list-table">
                    <thead>
                        <tr>
                            <th>{s.customer_id}</th>
                            <th>{s.name}</th>
                            <th>{d.phone}</th>
                            <th>{d.plate}</th>
                            <th>{d.due}</th>
                            <th class="num">{d.days_to_due}</th>
                            <th>{s.reason}</th>
                            <th>{s.last_visit}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="list-body" data-testid="list-body" data-list=name data-count=f.len.to_string()>
            <div class="list-head">
                <div>
                    <p>{hint}</p>
                    <p class="muted" data-testid="list-due">{summary}</p>
                </div>
                <div class="button-row">
                    {export_buttons(("list-export", "list-export-xlsx"), export, lang)}
                </div>
            </div>
            {table}
            {more}
        </div>
    }
    .into_any()
}

/// The customers of the selected segment: a searchable, sortable table of the first rows
/// (asked of the worker, which holds every line) and a CSV or xlsx export of all matches.
/// Escape or the close button closes it.
fn drill_panel(
    report: Memo<Arc<Report>>,
    scheme: String,
    code: String,
    drill: Drill,
    lang: Lang,
) -> impl IntoView {
    let s = i18n::strings(lang);
    let d = i18n::dash(lang);
    let state = AppState::get();
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new((SortKey::Revenue, true));
    // Closing gives the focus back to the segment's button (or the chart's export button).
    let back = if scheme == model::RFM_RF {
        "[data-testid=chart-rfm-export]".to_string()
    } else {
        format!(
            "[data-testid=drill-open][data-scheme={}][data-code={}]",
            model::css_string(&scheme),
            model::css_string(&code)
        )
    };
    let close = move || {
        drill.set(None);
        let target = document().query_selector(&back).ok().flatten();
        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    };
    let close2 = close.clone();
    // Escape closes it wherever the focus is.
    let on_escape = leptos::prelude::window_event_listener(leptos::ev::keydown, move |ev| {
        // With a customer's history open, Escape closes only the history.
        if ev.key() == "Escape" && state.history.get_untracked().is_none() {
            close();
        }
    });
    on_cleanup(move || on_escape.remove());

    // What the table shows now (tracked) and at the time of a click (untracked).
    let base = MemberQuery::class(&scheme, &code);
    let current = {
        let base = base.clone();
        move || {
            let (key, desc) = sort.get();
            MemberQuery {
                search: query.get(),
                sort: key,
                desc,
                ..base.clone()
            }
        }
    };
    let current_now = move || {
        let (key, desc) = sort.get_untracked();
        MemberQuery {
            search: query.get_untracked(),
            sort: key,
            desc,
            ..base.clone()
        }
    };
    // Ask the worker whenever the search or the order changes, and for each new Report.
    Effect::new({
        let current = current.clone();
        move |_| {
            report.track();
            state.ask_members(current())
        }
    });
    // The page shown: the latest answer to the current query; the previous one stays (marked
    // busy) while the next is on its way.
    let shown: RwSignal<Option<Option<crate::protocol::MembersPage>>> = RwSignal::new(None);
    let answered = {
        let current = current.clone();
        Memo::new(move |_| {
            let q = current();
            state.members.with(|m| {
                m.as_ref()
                    .filter(|(asked, _)| *asked == q)
                    .map(|(_, p)| p.clone())
            })
        })
    };
    Effect::new(move |_| {
        if let Some(page) = answered.get() {
            shown.set(Some(page));
        }
    });
    let busy = move || answered.with(Option::is_none);

    // A sortable column header.
    let th = move |label: &'static str, key: SortKey, num: bool| {
        let state = move || {
            let (k, desc) = sort.get();
            match (k == key, desc) {
                (false, _) => "none",
                (true, true) => "descending",
                (true, false) => "ascending",
            }
        };
        view! {
            <th class:num=num aria-sort=state>
                <button
                    type="button"
                    class="sort"
                    on:click=move |_| {
                        sort.update(|(k, desc)| {
                            if *k == key {
                                *desc = !*desc;
                            } else {
                                *k = key;
                                *desc = !matches!(key, SortKey::Id);
                            }
                        })
                    }
                >
                    {label}
                </button>
            </th>
        }
    };
    let title = format!(
        "{}：{} · {}",
        d.drill_title,
        model::scheme_title(&scheme, lang),
        model::class_label(&scheme, &code, lang)
    );
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let table = move || {
        let page = match shown.get() {
            None => {
                return view! { <p class="muted" data-testid="drill-loading">{d.loading}</p> }
                    .into_any()
            }
            Some(None) => {
                return view! { <p class="unlock" data-testid="drill-gone">{d.analysis_gone}</p> }
                    .into_any()
            }
            Some(Some(page)) => page,
        };
        let n = page.found;
        let rows = page
            .rows
            .into_iter()
            .take(TABLE_ROWS)
            .map(|c| {
                view! {
                    <tr>
                        <td class="id">{history_button(c.id, lang)}</td>
                        <td>{c.name.unwrap_or_default()}</td>
                        <td class="num">{count(c.visits)}</td>
                        <td class="date">{date(c.first_visit)}</td>
                        <td class="date">{date(c.last_visit)}</td>
                        <td class="num strong">{money(c.revenue)}</td>
                        <td class="num">{count(c.recency_days.max(0) as usize)}</td>
                    </tr>
                }
            })
            .collect_view();
        let note = if n == 0 {
            d.no_match.to_string()
        } else if n > TABLE_ROWS {
            i18n::showing(lang, &count(TABLE_ROWS), &count(n))
        } else {
            i18n::customers_n(lang, &count(n))
        };
        view! {
            <p
                class="muted"
                data-testid="drill-count"
                data-value=n.to_string()
                data-total=page.class_size.to_string()
            >
                {note}
            </p>
            <div class="table-wrap">
                <table class="data-table compact" data-testid="drill-table">
                    <thead>
                        <tr>
                            {th(s.customer_id, SortKey::Id, false)}
                            <th>{s.name}</th>
                            {th(s.visits, SortKey::Visits, true)}
                            {th(s.first_visit, SortKey::FirstVisit, false)}
                            {th(s.last_visit, SortKey::LastVisit, false)}
                            {th(s.revenue, SortKey::Revenue, true)}
                            <th class="num">{d.days_since}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    // The export holds every customer the search finds, in the order on screen.
    let export = {
        let (scheme, code) = (scheme.clone(), code.clone());
        move |format: FileFormat| {
            let stem = format!(
                "{}-{}",
                model::scheme_title(&scheme, lang),
                model::class_label(&scheme, &code, lang)
            );
            let file = model::file_name(&stem, &report.get_untracked(), format.ext());
            let table = ExportTable::Members {
                query: current_now(),
            };
            state.export(table, format, file);
        }
    };
    view! {
        <div
            class="drill"
            class:busy=busy
            role="dialog"
            aria-labelledby="drill-title"
            aria-busy=move || busy().to_string()
            data-testid="drill"
            data-scheme=scheme.clone()
            data-code=code.clone()
        >
            <div class="drill-head">
                <h3 id="drill-title">{title}</h3>
                <button
                    type="button"
                    class="button secondary"
                    data-testid="drill-close"
                    on:click=move |_| close2()
                >
                    {d.close}
                </button>
            </div>
            <div class="drill-tools">
                <label class="search">
                    <span>{d.search}</span>
                    <input
                        type="search"
                        node_ref=input
                        data-testid="drill-search"
                        placeholder=d.search_placeholder
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </label>
                {export_buttons(("drill-export", "drill-export-xlsx"), export, lang)}
            </div>
            {table}
        </div>
    }
}

/// Segment migration: who moved from which RFM class at the split to which at `as_of`.
fn migration_panel(r: &Arc<Report>, lang: Lang) -> impl IntoView {
    let m = i18n::more(lang);
    let mig = &r.migration;
    let t = model::migration_table(r, lang, m.migration_new_row);
    let head = t
        .cols
        .iter()
        .map(|(_, label)| view! { <th class="num">{label.clone()}</th> })
        .collect_view();
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .zip(&t.cols)
                .map(|(n, (to, _))| {
                    let same = *to == row.code;
                    view! {
                        <td
                            class="num"
                            class:same=same
                            class:zero=*n == 0
                            data-from=row.code.clone()
                            data-to=to.clone()
                            data-value=n.to_string()
                        >
                            {count(*n)}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{row.label.clone()}</th>
                    {cells}
                    <td class="num strong">{count(row.total)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel dash-panel wide" data-testid="panel-migration">
            <div class="panel-head">
                <h3>{m.migration_title}</h3>
                <span class="muted">{date(mig.split)} " → " {date(mig.as_of)}</span>
            </div>
            <dl class="facts inline">
                <div class="fact">
                    <dt>{m.migration_stayed}</dt>
                    <dd data-testid="migration-stayed" data-value=mig.stayed.to_string()>{count(mig.stayed)}</dd>
                </div>
                <div class="fact">
                    <dt>{m.migration_moved}</dt>
                    <dd data-testid="migration-moved" data-value=mig.moved_count.to_string()>{count(mig.moved_count)}</dd>
                </div>
                <div class="fact">
                    <dt>{m.migration_new}</dt>
                    <dd data-testid="migration-new" data-value=mig.new_count.to_string()>{count(mig.new_count)}</dd>
                </div>
            </dl>
            <div class="table-wrap">
                <table class="data-table compact migration" data-testid="migration-table">
                    <caption class="muted small">{m.migration_from}</caption>
                    <thead>
                        <tr>
                            <th></th>
                            {head}
                            <th class="num">"Σ"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// One customer's rows (opened from a customer id in a table). Escape or the close button
/// closes it.
fn history_dialog(view_: HistoryView, lang: Lang) -> impl IntoView {
    let s = i18n::strings(lang);
    let m = i18n::more(lang);
    let d = i18n::dash(lang);
    let state = AppState::get();
    let id = view_.id().to_string();
    let title_id = id.clone();
    let close = move || state.history.set(None);
    let on_escape = leptos::prelude::window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || on_escape.remove());
    let close_ref: NodeRef<leptos::html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = close_ref.get() {
            let _ = el.focus();
        }
    });
    let body = match view_ {
        HistoryView::Loading(_) => {
            view! { <p class="muted" data-testid="history-loading">{m.history_loading}</p> }
                .into_any()
        }
        HistoryView::Missing(_) => {
            view! { <p class="muted" data-testid="history-missing">{m.history_missing}</p> }
                .into_any()
        }
        HistoryView::Found(h) => {
            let any =
                |f: &dyn Fn(&crate::engine::history::HistoryLine) -> bool| h.lines.iter().any(f);
            let (has_order, has_type, has_km, has_plate, has_vehicle) = (
                any(&|l| l.order_id.is_some()),
                any(&|l| l.service_type.is_some()),
                any(&|l| l.mileage.is_some()),
                any(&|l| l.plate.is_some()),
                any(&|l| l.vehicle.is_some()),
            );
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            let rows = h
                .lines
                .iter()
                .map(|l| {
                    view! {
                        <tr>
                            <td class="num muted">{l.row}</td>
                            <td class="date">{date(l.date)}</td>
                            {has_order.then(|| view! { <td>{opt(&l.order_id)}</td> })}
                            {has_type.then(|| view! { <td>{opt(&l.service_type)}</td> })}
                            {has_km.then(|| view! { <td class="num">{l.mileage.map(km).unwrap_or_default()}</td> })}
                            {has_plate.then(|| view! { <td>{opt(&l.plate)}</td> })}
                            {has_vehicle.then(|| view! { <td>{opt(&l.vehicle)}</td> })}
                            <td class="num strong" data-value=l.amount.to_string()>{money(l.amount)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let note = (h.lines.len() < h.rows)
                .then(|| i18n::newest_rows(lang, &count(h.lines.len()), &count(h.rows)));
            view! {
                <dl class="facts inline">
                    <div class="fact"><dt>{s.name}</dt><dd data-testid="history-name">{opt(&h.name)}</dd></div>
                    <div class="fact"><dt>{m.phones}</dt><dd>{h.phones.join(" · ")}</dd></div>
                    <div class="fact"><dt>{m.plates}</dt><dd>{h.plates.join(" · ")}</dd></div>
                    <div class="fact"><dt>{s.visits}</dt><dd data-testid="history-visits" data-value=h.visits.to_string()>{count(h.visits)}</dd></div>
                    <div class="fact"><dt>{s.revenue}</dt><dd data-testid="history-revenue" data-value=h.revenue.to_string()>{money(h.revenue)}</dd></div>
                    <div class="fact"><dt>{m.rows_used}</dt><dd data-testid="history-rows" data-value=h.rows.to_string()>{count(h.rows)}</dd></div>
                </dl>
                <p class="muted small">{note}</p>
                <div class="table-wrap">
                    <table class="data-table compact" data-testid="history-table">
                        <thead>
                            <tr>
                                <th class="num">{m.row}</th>
                                <th>{m.date}</th>
                                {has_order.then(|| view! { <th>{m.order}</th> })}
                                {has_type.then(|| view! { <th>{m.service_type}</th> })}
                                {has_km.then(|| view! { <th class="num">{m.mileage}</th> })}
                                {has_plate.then(|| view! { <th>{m.plates}</th> })}
                                {has_vehicle.then(|| view! { <th>{m.vehicle}</th> })}
                                <th class="num">{m.amount}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <div class="history-backdrop" on:click=move |_| close()></div>
        <div
            class="history"
            role="dialog"
            aria-modal="true"
            aria-labelledby="history-title"
            data-testid="history"
            data-id=id
        >
            <div class="drill-head">
                <h3 id="history-title">{m.history_title} "：" {title_id}</h3>
                <button
                    type="button"
                    class="button secondary"
                    data-testid="history-close"
                    node_ref=close_ref
                    on:click=move |_| close()
                >
                    {d.close}
                </button>
            </div>
            {body}
        </div>
    }
}

/// The schemes of a Report, each with whether it is available.
fn layout(r: &Report) -> Vec<(&'static str, bool)> {
    crate::engine::analysis::segments::SCHEMES
        .iter()
        .filter_map(|&s| model::scheme_summary(&r.segments, s).map(|x| (s, x.available)))
        .collect()
}

/// Every analysis panel, the call lists and the drill-down. The Pareto panels are built at
/// once, the other panels above the fold when `shown` reaches 1, the next ones at 2 and the
/// segment panels at 3 (a frame apart, see `ReportView`), so that no single task builds the
/// whole dashboard. A new Report (a re-run) rebuilds only the panels whose part of it
/// changed.
#[component]
pub fn Dashboard(lang: Lang, report: Memo<Arc<Report>>, shown: Signal<u8>) -> impl IntoView {
    let drill: Drill = RwSignal::new(None);
    let pareto = part(report, |a, b| {
        a.as_of == b.as_of && a.pareto == b.pareto && a.rules.pareto == b.rules.pareto
    });
    let funnel = part(report, |a, b| {
        a.as_of == b.as_of
            && a.segments.lifecycle == b.segments.lifecycle
            && a.rules.lifecycle == b.rules.lifecycle
    });
    let rfm = part(report, |a, b| a.as_of == b.as_of && a.rfm == b.rfm);
    let trends = part(report, |a, b| a.as_of == b.as_of && a.trends == b.trends);
    // Each stage is built once, when `shown` reaches it.
    let at = move |n: u8| Memo::new(move |_| shown.get() >= n);
    let (first, second, third) = (at(1), at(2), at(3));
    let middle = move || {
        second.get().then(|| {
            let mileage = part(report, |a, b| {
                a.as_of == b.as_of && a.mileage == b.mileage && a.rules.mileage == b.rules.mileage
            });
            let clv = part(report, |a, b| a.clv == b.clv);
            let cohorts = part(report, |a, b| {
                a.as_of == b.as_of && a.trends.cohorts == b.trends.cohorts
            });
            let migration = part(report, |a, b| {
                a.as_of == b.as_of && a.migration == b.migration
            });
            view! {
                <div class="dash-grid">
                    {redrawn(mileage, move |r| mileage_panel(r, lang))}
                    {redrawn(clv, move |r| clv_panel(r, lang))}
                    {redrawn(cohorts, move |r| cohort_panel(r, lang))}
                </div>
                {lists_panel(report, lang)}
                {redrawn(migration, move |r| migration_panel(r, lang))}
            }
        })
    };
    // The panels in the order of the schemes, available ones first; each is rebuilt when its
    // scheme's counts change, all of them when a scheme becomes available or unavailable.
    let schemes = part(report, |a, b| layout(a) == layout(b));
    let segments = move || {
        third.get().then(|| {
            let r = schemes.get();
            untrack(|| {
                let d = i18n::dash(lang);
                let (avail, unavail): (Vec<_>, Vec<_>) = layout(&r)
                    .into_iter()
                    .partition(|(_, available)| *available);
                let segment_panels = avail
                    .into_iter()
                    .chain(unavail)
                    .map(|(scheme, _)| {
                        let one = part(report, move |a, b| {
                            a.as_of == b.as_of
                                && model::scheme_summary(&a.segments, scheme)
                                    == model::scheme_summary(&b.segments, scheme)
                        });
                        redrawn(one, move |r| {
                            model::scheme(r, scheme, lang)
                                .map(|v| scheme_panel(r, v, drill, lang, false))
                        })
                    })
                    .collect_view();
                view! {
                    <h2 class="section-title">{d.segments_title}</h2>
                    <p class="muted">{d.segments_note}</p>
                    <div class="dash-grid">{segment_panels}</div>
                }
            })
        })
    };
    // An open drill-down stays open and asks the worker again for a new Report's customers.
    let drill_view = move || {
        drill
            .get()
            .map(|(scheme, code)| untrack(|| drill_panel(report, scheme, code, drill, lang)))
    };
    let state = AppState::get();
    let history_view = move || state.history.get().map(|v| history_dialog(v, lang));
    view! {
        <div class="dashboard" data-testid="dashboard">
            <div class="dash-grid">
                {redrawn(pareto, move |r| pareto_panels(r, drill, lang))}
                {move || {
                    first
                        .get()
                        .then(|| {
                            view! {
                                {redrawn(funnel, move |r| funnel_panel(r, lang))}
                                {redrawn(rfm, move |r| rfm_panels(r, drill, lang))}
                                {redrawn(trends, move |r| trends_panel(r, lang))}
                            }
                        })
                }}
            </div>
            {middle}
            {segments}
            {drill_view}
            {history_view}
        </div>
    }
}
