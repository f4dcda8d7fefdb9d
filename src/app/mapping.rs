//! The mapping screen: how the file is read (sheet, header row, encoding) and which column
//! plays which role, with the detection's confidence and a preview of the first rows.

use super::i18n;
use super::state::AppState;
use crate::engine::mapping::column_letter;
use crate::engine::{EncodingChoice, Lang, LoadOptions, Mapping, Role};
use chrono::NaiveDate;
use leptos::prelude::*;
use std::sync::Arc;

const ENCODINGS: [(EncodingChoice, &str); 4] = [
    (EncodingChoice::Auto, "auto"),
    (EncodingChoice::Utf8, "utf-8"),
    (EncodingChoice::Gb18030, "gb18030"),
    (EncodingChoice::Utf16, "utf-16"),
];

fn encoding_from(value: &str) -> EncodingChoice {
    ENCODINGS
        .iter()
        .find(|(_, v)| *v == value)
        .map(|(e, _)| *e)
        .unwrap_or_default()
}

/// `"结算日期 (B)"`: the header with its column letter, since headers may repeat.
fn column_label(headers: &[String], col: usize) -> String {
    let letter = column_letter(col);
    match headers.get(col) {
        Some(h) if !h.is_empty() && *h != letter => format!("{h} ({letter})"),
        _ => letter,
    }
}

fn confidence_text(m: &Mapping, role: Role, lang: Lang) -> String {
    match m.roles.get(&role) {
        Some(g) if g.manual => i18n::strings(lang).manual.to_string(),
        Some(g) => format!("{:.0}%", g.confidence * 100.0),
        None => String::new(),
    }
}

/// One role's column chooser.
fn role_field(
    role: Role,
    lang: Lang,
    headers: Arc<Vec<String>>,
    draft: RwSignal<Mapping>,
) -> impl IntoView {
    let s = i18n::strings(lang);
    let id = format!("map-{}", role.name());
    let required = matches!(role, Role::Date | Role::Amount);
    let options = (0..headers.len())
        .map(|col| {
            view! {
                <option
                    value=col.to_string()
                    prop:selected=move || draft.with(|m| m.column(role) == Some(col))
                >
                    {column_label(&headers, col)}
                </option>
            }
        })
        .collect_view();
    let headers_for_set = headers.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let col = event_target_value(&ev).parse::<usize>().ok();
        draft.update(|m| m.set(role, col, &headers_for_set));
    };
    view! {
        <div class="map-field" class:mapped=move || draft.with(|m| m.has(role))>
            <label for=id.clone()>
                {role.label(lang)}
                {required.then(|| view! { <span class="badge">{s.required}</span> })}
            </label>
            <select id=id.clone() data-testid=id on:change=on_change>
                <option value="" prop:selected=move || draft.with(|m| !m.has(role))>
                    {s.unmapped}
                </option>
                {options}
            </select>
            <span class="confidence" title=s.confidence>
                {move || draft.with(|m| confidence_text(m, role, lang))}
            </span>
        </div>
    }
}

/// The mapping screen for the current preview.
#[component]
pub fn MappingScreen(lang: Lang) -> impl IntoView {
    let state = AppState::get();
    let s = i18n::strings(lang);
    let Some(preview) = state.preview.get_untracked() else {
        return ().into_any();
    };
    let draft = state.draft;
    let headers = Arc::new(preview.headers.clone());
    let missing = move || draft.with(|m| m.missing_required());

    let fields = Role::ALL
        .into_iter()
        .map(|role| role_field(role, lang, headers.clone(), draft))
        .collect_view();

    // How the file is read: changing any of these reads it again.
    let current = state.load_options.get_untracked();
    let reload = move |f: &dyn Fn(&mut LoadOptions)| {
        let mut o = state.load_options.get_untracked();
        f(&mut o);
        state.reload(o);
    };
    let sheet_select = (preview.sheets.len() > 1).then(|| {
        let selected = preview.sheet.clone().unwrap_or_default();
        let options = preview
            .sheets
            .iter()
            .map(|name| {
                view! {
                    <option value=name.clone() selected=*name == selected>
                        {name.clone()}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label class="setting">
                <span>{s.sheet}</span>
                <select
                    data-testid="sheet-select"
                    on:change=move |ev| {
                        let name = event_target_value(&ev);
                        reload(&|o| {
                            o.ingest.sheet = Some(name.clone());
                            o.header_row = None;
                        });
                    }
                >
                    {options}
                </select>
            </label>
        }
    });
    let encoding_select = preview.encoding.is_some().then(|| {
        let options = ENCODINGS
            .iter()
            .map(|(e, v)| {
                let label = if *e == EncodingChoice::Auto {
                    s.encoding_auto.to_string()
                } else {
                    v.to_string()
                };
                view! {
                    <option value=*v selected=*e == current.ingest.encoding>
                        {label}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label class="setting">
                <span>
                    {s.encoding} {preview.encoding.clone().map(|e| format!(" ({e})"))}
                </span>
                <select
                    data-testid="encoding-select"
                    on:change=move |ev| {
                        let enc = encoding_from(&event_target_value(&ev));
                        reload(&|o| o.ingest.encoding = enc);
                    }
                >
                    {options}
                </select>
            </label>
        }
    });
    let header_input = view! {
        <label class="setting">
            <span>{s.header_row}</span>
            <input
                type="number"
                min="1"
                class="narrow"
                data-testid="header-row"
                value=preview.header_row.to_string()
                on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).trim().parse::<usize>() {
                        reload(&|o| o.header_row = Some(n));
                    }
                }
            />
        </label>
    };
    let as_of_value = state
        .analyze_options
        .get_untracked()
        .as_of
        .map(super::format::date)
        .unwrap_or_default();
    let as_of_input = view! {
        <label class="setting">
            <span>{s.as_of_label}</span>
            <input
                type="date"
                data-testid="as-of"
                title=s.as_of_hint
                value=as_of_value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let d = NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
                    state.analyze_options.update(|o| o.as_of = d);
                }
            />
        </label>
    };

    // The preview table, with the role of each column above its header.
    let head = (0..headers.len())
        .map(|col| {
            let header = headers[col].clone();
            let chip = move || {
                draft.with(|m| {
                    m.roles
                        .values()
                        .find(|g| g.column == col)
                        .map(|g| g.role.label(lang))
                })
            };
            view! {
                <th scope="col">
                    <span class="role-chip" class:empty=move || chip().is_none()>
                        {move || chip().unwrap_or("—")}
                    </span>
                    <span class="col-header">{header}</span>
                </th>
            }
        })
        .collect_view();
    let body = preview
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .map(|c| view! { <td>{c.clone()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();

    let has_report = move || state.report.with(Option::is_some);

    view! {
        <section class="panel mapping" data-testid="mapping">
            <div class="panel-head">
                <div>
                    <h2>{s.mapping_title}</h2>
                    <p class="muted">{s.mapping_intro}</p>
                </div>
                <span class="file-name">{move || state.file_name.get().unwrap_or_default()}</span>
            </div>
            <div class="settings">
                {sheet_select} {header_input} {encoding_select} {as_of_input}
            </div>
            <div class="missing" data-testid="mapping-missing" class:hidden=move || missing().is_empty()>
                <strong>{s.mapping_missing}</strong>
                <ul>
                    {move || {
                        missing()
                            .into_iter()
                            .map(|m| view! { <li>{i18n::missing_label(&m, lang)}</li> })
                            .collect_view()
                    }}
                </ul>
            </div>
            <div class="map-grid">{fields}</div>
            <h3>{s.preview}</h3>
            <div class="table-wrap">
                <table class="preview-table" data-testid="preview-table">
                    <thead>
                        <tr>{head}</tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="apply-mapping"
                    disabled=move || !missing().is_empty()
                    on:click=move |_| state.apply_mapping()
                >
                    {s.apply}
                </button>
                {move || {
                    has_report()
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| state.back_to_report()
                                >
                                    {s.back_to_report}
                                </button>
                            }
                        })
                }}
            </div>
        </section>
    }
    .into_any()
}
