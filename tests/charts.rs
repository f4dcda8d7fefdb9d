//! Chart functions: each SVG is well-formed XML, carries the expected series, labels and
//! markers, and no input (empty, one item, NaN/∞, long or hostile labels, 100k items) panics.
//!
//! Set `DL_CHARTS_OUT=/some/dir` to also write every sample chart there (for a look in a
//! browser). `cargo test --test charts -- --nocapture timing` prints render times.

use dealerlens::charts::*;
use dealerlens::engine::Lang;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;
use std::time::Instant;

// ---------------------------------------------------------------------------------------
// A tiny DOM over quick-xml: enough to check well-formedness and query elements.

#[derive(Debug, Clone)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    /// Direct text content (entities resolved).
    text: String,
    /// Names of the ancestors, root first.
    path: Vec<String>,
    /// Classes of the ancestors' `<g>` groups.
    groups: Vec<String>,
}

impl El {
    fn attr(&self, k: &str) -> &str {
        self.attrs.get(k).map(|s| s.as_str()).unwrap_or("")
    }
    fn has_class(&self, c: &str) -> bool {
        self.attr("class").split_whitespace().any(|x| x == c)
    }
    fn num(&self, k: &str) -> f64 {
        self.attr(k)
            .parse()
            .unwrap_or_else(|_| panic!("attribute {k} of {self:?} is not a number"))
    }
}

/// Parses the SVG, panicking with a clear message if it is not well-formed XML.
fn parse(svg: &str) -> Vec<El> {
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<El> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML at {}: {e}", reader.buffer_position()));
        let open =
            |e: &quick_xml::events::BytesStart, stack: &Vec<usize>, out: &mut Vec<El>| -> usize {
                let mut attrs = BTreeMap::new();
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("bad attribute: {err}"));
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap_or_else(|err| panic!("bad attribute value: {err}"));
                    assert!(
                        attrs.insert(a.key.0.to_string(), v.to_string()).is_none(),
                        "duplicate attribute {}",
                        a.key.0
                    );
                }
                let path: Vec<String> = stack.iter().map(|&i| out[i].name.clone()).collect();
                let groups: Vec<String> = stack
                    .iter()
                    .filter(|&&i| out[i].name == "g")
                    .map(|&i| out[i].attr("class").to_string())
                    .collect();
                out.push(El {
                    name: e.name().0.to_string(),
                    attrs,
                    text: String::new(),
                    path,
                    groups,
                });
                out.len() - 1
            };
        match ev {
            Event::Start(e) => {
                if stack.is_empty() {
                    roots += 1;
                }
                let i = open(&e, &stack, &mut out);
                stack.push(i);
            }
            Event::Empty(e) => {
                if stack.is_empty() {
                    roots += 1;
                }
                open(&e, &stack, &mut out);
            }
            Event::End(_) => {
                stack.pop().expect("end tag without start");
            }
            Event::Text(t) => {
                let t = t.xml10_content();
                match stack.last() {
                    Some(&i) => out[i].text.push_str(&t),
                    None => assert!(t.trim().is_empty(), "text outside the root: {t:?}"),
                }
            }
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .unwrap_or_else(|| panic!("unknown entity &{};", &*r)),
                };
                let &i = stack.last().expect("entity outside the root");
                out[i].text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) => {}
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(roots, 1, "exactly one root element");
    out
}

fn with_class<'a>(els: &'a [El], class: &str) -> Vec<&'a El> {
    els.iter().filter(|e| e.has_class(class)).collect()
}

fn texts(els: &[El]) -> Vec<String> {
    els.iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.trim().to_string())
        .collect()
}

fn has_text(els: &[El], s: &str) -> bool {
    texts(els).iter().any(|t| t == s)
}

/// Checks shared by every chart: root, accessibility, fonts, classes, no external references,
/// projector-legible text. Returns the parsed elements.
fn check_common(svg: &str, opts: &ChartOptions, kind: &str) -> Vec<El> {
    let els = parse(svg);
    let root = &els[0];
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("xmlns"), "http://www.w3.org/2000/svg");
    assert_eq!(
        root.attr("viewBox"),
        format!("0 0 {} {}", opts.width, opts.height)
    );
    assert_eq!(root.num("width"), opts.width as f64);
    assert_eq!(root.num("height"), opts.height as f64);
    assert_eq!(root.attr("role"), "img");
    assert!(
        root.has_class("dl-chart") && root.has_class(&format!("dl-chart-{kind}")),
        "root class: {}",
        root.attr("class")
    );
    let id = root.attr("id").to_string();
    assert!(!id.is_empty());
    // <title> is the first child and names the chart.
    let title = &els[1];
    assert_eq!(title.name, "title");
    assert_eq!(title.path, vec!["svg".to_string()]);
    assert_eq!(title.attr("id"), format!("{id}-title"));
    assert_eq!(root.attr("aria-labelledby"), format!("{id}-title"));
    if opts.title.is_empty() {
        assert!(
            !title.text.is_empty(),
            "the <title> falls back to the kind of chart"
        );
    } else {
        assert_eq!(title.text, opts.title);
    }
    for f in [
        "PingFang SC",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "sans-serif",
    ] {
        assert!(root.attr("font-family").contains(f), "font stack lacks {f}");
    }
    // No external references of any kind.
    for bad in ["href", "<image", "url(", "@import", "http://", "https://"] {
        let hits = svg.matches(bad).count();
        let allowed = usize::from(bad == "http://"); // the xmlns
        assert!(hits <= allowed, "external reference {bad:?} in the SVG");
    }
    // Every drawn element has a class; ids are unique.
    let mut ids = std::collections::HashSet::new();
    for e in &els {
        if ["rect", "text", "polyline", "polygon", "line", "circle", "g"].contains(&e.name.as_str())
        {
            assert!(!e.attr("class").is_empty(), "element without class: {e:?}");
        }
        if let Some(id) = e.attrs.get("id") {
            assert!(ids.insert(id.clone()), "duplicate id {id}");
        }
        if e.name == "text" {
            let size = e.num("font-size");
            assert!(size >= 14.0, "font-size {size} < 14 in {e:?}");
            assert!(
                !e.attrs.contains_key("font-family"),
                "per-text font-family left in {e:?}"
            );
        }
    }
    if !opts.title.is_empty() {
        assert!(has_text(&els, &opts.title), "visible title missing");
    }
    els
}

fn opts(title: &str, id: &str) -> ChartOptions {
    ChartOptions {
        title: title.into(),
        id: id.into(),
        ..ChartOptions::default()
    }
}

/// Writes the SVG to `$DL_CHARTS_OUT/<name>.svg` when that variable is set.
fn save(name: &str, svg: &str) {
    if let Ok(dir) = std::env::var("DL_CHARTS_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}.svg"), svg).unwrap();
    }
}

/// A deterministic pseudo-random sequence (no rand dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

// ---------------------------------------------------------------------------------------
// Sample data.

fn pareto_data(values: &[f64]) -> ParetoData {
    ParetoData {
        items: values
            .iter()
            .enumerate()
            .map(|(i, v)| ParetoItem {
                label: format!("客户{}", i + 1),
                value: *v,
            })
            .collect(),
        value_legend: "营收".into(),
        share_legend: "累计占比".into(),
        value_axis: "营收（元）".into(),
        share_axis: "累计营收占比".into(),
        item_axis: "客户（按营收排名）".into(),
        crossing_label: "前 40% 客户贡献 80% 营收".into(),
        ..ParetoData::default()
    }
}

fn zipf(n: usize) -> Vec<f64> {
    (1..=n)
        .map(|i| 1_000_000.0 / (i as f64).powf(1.1))
        .collect()
}

fn rfm_data() -> HeatmapData {
    HeatmapData {
        rows: (1..=5).rev().map(|r| format!("R{r}")).collect(),
        cols: (1..=5).map(|f| format!("F{f}")).collect(),
        values: (0..5)
            .map(|r| (0..5).map(|c| ((5 - r) * (c + 1) * 7) as f64).collect())
            .collect(),
        cell_labels: Vec::new(),
        row_axis: "R（最近消费）".into(),
        col_axis: "F（消费频次）".into(),
        value_legend: "客户数".into(),
    }
}

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2020 + i / 12, i % 12 + 1))
        .collect()
}

fn cohort_data(n: usize) -> CohortData {
    let labels = months(n);
    CohortData {
        rows: (0..n)
            .map(|r| CohortRow {
                label: labels[r].clone(),
                size: 100.0 + r as f64,
                shares: (0..n - r)
                    .map(|c| if c == 0 { 1.0 } else { 0.5 / (c as f64).sqrt() })
                    .collect(),
            })
            .collect(),
        offset_labels: (0..n).map(|c| c.to_string()).collect(),
        size_label: "新客数".into(),
        row_axis: "首次到店月份".into(),
        col_axis: "之后第几个月".into(),
    }
}

fn hist_data(n: usize) -> HistogramData {
    HistogramData {
        bins: (0..n)
            .map(|i| HistogramBin {
                from: 5.0 + i as f64 * 495.0 / n as f64,
                to: 5.0 + (i + 1) as f64 * 495.0 / n as f64,
                count: (1000.0 * (-(i as f64 / n as f64 * 6.0 - 1.0).powi(2)).exp()).round(),
            })
            .collect(),
        markers: vec![
            Marker {
                value: 5.0,
                label: "下限 5 km/天".into(),
            },
            Marker {
                value: 500.0,
                label: "上限 500 km/天".into(),
            },
        ],
        x_axis: "日均里程（km/天）".into(),
        y_axis: "车辆数".into(),
    }
}

// ---------------------------------------------------------------------------------------
// Pareto.

#[test]
fn pareto_few_items_has_one_bar_each_and_labels() {
    let o = opts("服务类型帕累托", "pareto-types");
    let svg = pareto_chart(&pareto_data(&zipf(12)), &o).unwrap();
    save("pareto_few", &svg);
    let els = check_common(&svg, &o, "pareto");
    let bars = with_class(&els, "dl-bar");
    assert_eq!(bars.len(), 12);
    assert!(bars
        .iter()
        .all(|b| b.name == "rect" && b.groups.contains(&"dl-bars".to_string())));
    // Ranked by value: the first bar is the tallest, and carries the item's index and rank.
    assert_eq!(bars[0].attr("data-index"), "0");
    assert_eq!(bars[0].attr("data-rank"), "1");
    assert!(bars[0].num("height") > bars[11].num("height"));
    for t in [
        "客户1",
        "客户12",
        "营收（元）",
        "累计营收占比",
        "客户（按营收排名）",
        "营收",
        "累计占比",
        "80%",
        "100%",
        "0%",
    ] {
        assert!(has_text(&els, t), "missing label {t}");
    }
    assert_eq!(with_class(&els, "dl-cum-line").len(), 1);
    assert_eq!(with_class(&els, "dl-cum-point").len(), 12);
    assert_eq!(with_class(&els, "dl-guide-line").len(), 1);
    assert_eq!(with_class(&els, "dl-crossing-point").len(), 1);
    assert!(has_text(&els, "前 40% 客户贡献 80% 营收"));
}

#[test]
fn pareto_crossing_is_where_the_cumulative_share_first_reaches_80_percent() {
    // 50 + 30 = 80 of 100: the second item reaches exactly 80 % (computed by hand).
    let o = opts("帕累托", "");
    let svg = pareto_chart(&pareto_data(&[5.0, 30.0, 10.0, 50.0, 5.0]), &o).unwrap();
    let els = check_common(&svg, &o, "pareto");
    let p = with_class(&els, "dl-crossing-point")[0];
    assert_eq!(p.attr("id"), "dl-pareto-crossing");
    assert_eq!(p.attr("data-rank"), "2");
    assert_eq!(p.num("data-item-share"), 0.4);
    assert!((p.num("data-value-share") - 0.8).abs() < 1e-12);
    // The marker sits on the dashed guide, which is dashed and at 80 %.
    let guide = with_class(&els, "dl-guide-line")[0];
    assert_eq!(guide.attr("data-share"), "0.8");
    assert!(!guide.attr("stroke-dasharray").is_empty());
    let gy: f64 = guide
        .attr("points")
        .split_whitespace()
        .next()
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (p.num("cy") - gy).abs() <= 1.0,
        "crossing at y={} but the guide at {gy}",
        p.num("cy")
    );
    // …and on the cumulative line: its vertex at rank 2 has the same pixel position.
    let line = with_class(&els, "dl-cum-line")[0];
    let pts: Vec<(f64, f64)> = line
        .attr("points")
        .split_whitespace()
        .map(|xy| {
            let (x, y) = xy.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert_eq!(pts.len(), 6, "origin + one point per item");
    assert!(pts
        .iter()
        .any(|&(x, y)| x == p.num("cx") && y == p.num("cy")));
    // The drop line and the label are there.
    assert_eq!(with_class(&els, "dl-crossing-drop").len(), 1);
    assert_eq!(
        with_class(&els, "dl-crossing-label")[0].text,
        "前 40% 客户贡献 80% 营收"
    );
}

#[test]
fn pareto_threshold_and_guide_label_follow_the_rules() {
    let mut d = pareto_data(&[50.0, 30.0, 10.0, 5.0, 5.0]);
    d.threshold = 0.9; // 50+30+10 = 90 → third item
    d.guide_label = "90% 线".into();
    let svg = pareto_chart(&d, &ChartOptions::default()).unwrap();
    let els = parse(&svg);
    assert_eq!(
        with_class(&els, "dl-crossing-point")[0].attr("data-rank"),
        "3"
    );
    assert_eq!(with_class(&els, "dl-guide-label")[0].text, "90% 线");
}

#[test]
fn pareto_100k_customers_are_bucketed_and_the_svg_stays_small() {
    let n = 100_000;
    let values = zipf(n);
    let o = opts("客户帕累托（10 万客户）", "pareto-big");
    let svg = pareto_chart(&pareto_data(&values), &o).unwrap();
    save("pareto_100k", &svg);
    assert!(svg.len() < 300_000, "SVG is {} bytes", svg.len());
    let els = check_common(&svg, &o, "pareto");
    let bars = with_class(&els, "dl-bar");
    assert_eq!(bars.len(), 40);
    assert_eq!(bars[0].attr("data-rank-from"), "1");
    assert_eq!(bars[0].attr("data-rank-to"), "2500");
    assert_eq!(bars[39].attr("data-rank-to"), "100000");
    // The x axis shows the share of customers.
    assert!(has_text(&els, "50%") && has_text(&els, "100%"));
    // Crossing computed independently: first k with cumulative ≥ 80 % of the total.
    let total: f64 = values.iter().sum();
    let mut cum = 0.0;
    let k = values.iter().position(|v| {
        cum += v;
        cum >= 0.8 * total
    });
    let k = k.unwrap() + 1;
    let p = with_class(&els, "dl-crossing-point")[0];
    assert_eq!(p.attr("data-rank"), k.to_string());
    // The crossing is a vertex of the (bucketed) line, so the marker sits on it.
    let line = with_class(&els, "dl-cum-line")[0];
    assert!(line
        .attr("points")
        .contains(&format!("{},{} ", p.num("cx"), p.num("cy"))));
}

#[test]
fn pareto_degenerate_inputs() {
    let o = ChartOptions::default();
    // Empty.
    let els = parse(&pareto_chart(&ParetoData::default(), &o).unwrap());
    assert_eq!(with_class(&els, "dl-empty")[0].text, "暂无数据");
    // English note.
    let en = ChartOptions {
        lang: Lang::En,
        ..ChartOptions::default()
    };
    let els = parse(&pareto_chart(&ParetoData::default(), &en).unwrap());
    assert_eq!(with_class(&els, "dl-empty")[0].text, "No data");
    // Only NaN / ∞.
    let els = parse(
        &pareto_chart(
            &pareto_data(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
            &o,
        )
        .unwrap(),
    );
    assert_eq!(with_class(&els, "dl-empty").len(), 1);
    // One item: one bar, crossing at rank 1.
    let els = parse(&pareto_chart(&pareto_data(&[42.0]), &o).unwrap());
    assert_eq!(with_class(&els, "dl-bar").len(), 1);
    assert_eq!(
        with_class(&els, "dl-crossing-point")[0].attr("data-rank"),
        "1"
    );
    // NaN mixed in is skipped.
    let els = parse(&pareto_chart(&pareto_data(&[f64::NAN, 10.0, 5.0]), &o).unwrap());
    assert_eq!(with_class(&els, "dl-bar").len(), 2);
    // All zero or negative: bars, no crossing.
    let els = parse(&pareto_chart(&pareto_data(&[0.0, -5.0, 0.0]), &o).unwrap());
    assert_eq!(with_class(&els, "dl-bar").len(), 3);
    assert!(with_class(&els, "dl-crossing-point").is_empty());
    // Refunds count as 0: 10 of 10 positive → crossing at 1 despite the −100.
    let els = parse(&pareto_chart(&pareto_data(&[10.0, -100.0]), &o).unwrap());
    assert_eq!(
        with_class(&els, "dl-crossing-point")[0].attr("data-rank"),
        "1"
    );
    // Bad threshold falls back to 80 %.
    let mut d = pareto_data(&[50.0, 30.0, 20.0]);
    d.threshold = f64::NAN;
    d.max_bars = usize::MAX;
    let els = parse(&pareto_chart(&d, &o).unwrap());
    assert_eq!(
        with_class(&els, "dl-guide-line")[0].attr("data-share"),
        "0.8"
    );
    // Huge and tiny magnitudes.
    let els = parse(&pareto_chart(&pareto_data(&[1e300, 1e-300, 1.0]), &o).unwrap());
    assert_eq!(with_class(&els, "dl-bar").len(), 3);
}

#[test]
fn hostile_and_long_labels_are_escaped_and_ellipsized() {
    let long =
        "非常非常非常非常非常非常非常非常非常非常非常非常长的客户名称ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .repeat(4);
    let mut d = pareto_data(&[3.0, 2.0, 1.0]);
    d.items[0].label = long.clone();
    d.items[1].label = "<script>alert('x')</script> & \"quotes\"".into();
    d.items[2].label = "tab\there\nnewline\u{0}nul\u{FFFF}".into();
    d.crossing_label = long.clone();
    let o = opts("标题 <b>&amp;</b> \u{1} 控制字符", "");
    let svg = pareto_chart(&d, &o).unwrap();
    assert!(!svg.contains("<script"));
    let els = parse(&svg);
    let labels: Vec<String> = with_class(&els, "dl-x-label")
        .iter()
        .map(|e| e.text.clone())
        .collect();
    assert!(labels[0].ends_with('…') && labels[0].chars().count() < long.chars().count());
    assert!(labels.iter().any(|l| l.starts_with("<script>")));
    assert!(labels
        .iter()
        .all(|l| !l.contains('\n') && !l.contains('\u{0}')));
    assert!(with_class(&els, "dl-crossing-label")[0].text.ends_with('…'));
    // Tooltips keep the (cleaned) full text.
    assert!(els
        .iter()
        .any(|e| e.name == "title" && e.text.contains("<script>alert('x')</script>")));
}

// ---------------------------------------------------------------------------------------
// Bars and donut.

fn segments() -> Vec<(String, f64)> {
    vec![
        ("重要价值客户".into(), 420.0),
        ("重要保持客户".into(), 310.0),
        ("重要发展客户".into(), 260.0),
        ("重要挽留客户".into(), 180.0),
        ("一般价值客户".into(), 150.0),
        ("一般保持客户".into(), 90.0),
        ("一般发展客户".into(), 60.0),
        ("一般挽留客户".into(), 30.0),
    ]
}

#[test]
fn bar_chart_draws_one_bar_per_segment_with_value_labels() {
    let bars: Vec<Bar> = segments()
        .into_iter()
        .map(|(label, value)| Bar {
            label,
            value,
            value_label: format!("{value} 人"),
        })
        .collect();
    let o = opts("RFM 客户分群", "segments");
    let svg = bar_chart(
        &BarData {
            bars,
            value_axis: "客户数".into(),
            ..BarData::default()
        },
        &o,
    )
    .unwrap();
    save("bars", &svg);
    let els = check_common(&svg, &o, "bars");
    let bars = with_class(&els, "dl-bar");
    assert_eq!(bars.len(), 8);
    // Lengths proportional to the values (420 vs 30 → 14×, within a pixel of rounding).
    let ratio = bars[0].num("width") / bars[7].num("width");
    assert!((ratio - 14.0).abs() < 0.6, "ratio {ratio}");
    for (label, value) in segments() {
        assert!(has_text(&els, &label), "missing {label}");
        assert!(
            has_text(&els, &format!("{value} 人")),
            "missing value label for {label}"
        );
    }
    assert!(has_text(&els, "客户数"));
}

#[test]
fn bar_chart_folds_the_tail_into_other() {
    let bars: Vec<Bar> = (0..100_000)
        .map(|i| Bar {
            label: format!("组{i}"),
            value: 1.0,
            value_label: String::new(),
        })
        .collect();
    let d = BarData {
        bars,
        other_label: "其他".into(),
        ..BarData::default()
    };
    let svg = bar_chart(&d, &ChartOptions::default()).unwrap();
    assert!(svg.len() < 300_000);
    let els = parse(&svg);
    let bars = with_class(&els, "dl-bar");
    assert_eq!(bars.len(), 20);
    assert_eq!(bars[19].attr("data-other"), "true");
    assert_eq!(bars[19].num("data-value"), 100_000.0 - 19.0);
    assert!(has_text(&els, "其他"));
    // 99,981 / 10,000 = 9.998 → "10万" at one decimal.
    assert!(
        has_text(&els, "10万"),
        "other's value abbreviated: {:?}",
        texts(&els)
    );
}

#[test]
fn bar_chart_degenerate_inputs() {
    let o = ChartOptions::default();
    let els = parse(&bar_chart(&BarData::default(), &o).unwrap());
    assert_eq!(with_class(&els, "dl-empty").len(), 1);
    let bars = vec![
        Bar {
            label: "负".into(),
            value: -50.0,
            value_label: String::new(),
        },
        Bar {
            label: "NaN".into(),
            value: f64::NAN,
            value_label: String::new(),
        },
        Bar {
            label: "零".into(),
            value: 0.0,
            value_label: String::new(),
        },
        Bar {
            label: "∞".into(),
            value: f64::INFINITY,
            value_label: String::new(),
        },
    ];
    let els = parse(
        &bar_chart(
            &BarData {
                bars,
                ..BarData::default()
            },
            &o,
        )
        .unwrap(),
    );
    assert_eq!(with_class(&els, "dl-bar").len(), 4);
    assert!(has_text(&els, "-50"));
    let one = vec![Bar {
        label: "唯一".into(),
        value: 7.0,
        value_label: String::new(),
    }];
    let els = parse(
        &bar_chart(
            &BarData {
                bars: one,
                max_bars: 1,
                ..BarData::default()
            },
            &o,
        )
        .unwrap(),
    );
    assert_eq!(with_class(&els, "dl-bar").len(), 1);
}

#[test]
fn donut_shows_shares_and_a_legend() {
    let slices: Vec<Slice> = segments()
        .into_iter()
        .map(|(label, value)| Slice { label, value })
        .collect();
    let total: f64 = segments().iter().map(|s| s.1).sum(); // 1500
    let o = opts("客户分群占比", "donut");
    let d = DonutData {
        slices,
        center_label: "1,500 位客户".into(),
        ..DonutData::default()
    };
    let svg = donut_chart(&d, &o).unwrap();
    save("donut", &svg);
    let els = check_common(&svg, &o, "donut");
    let slices = with_class(&els, "dl-slice");
    assert_eq!(slices.len(), 8);
    assert_eq!(slices[0].num("data-share"), 420.0 / total);
    assert_eq!(with_class(&els, "dl-legend-label").len(), 8);
    assert!(has_text(&els, "重要价值客户"));
    assert!(has_text(&els, "420 · 28%")); // 420 / 1500 = 28 %
    assert!(has_text(&els, "28%"));
    assert!(has_text(&els, "1,500 位客户"));
}

#[test]
fn donut_degenerate_inputs() {
    let o = ChartOptions::default();
    let els = parse(&donut_chart(&DonutData::default(), &o).unwrap());
    assert_eq!(with_class(&els, "dl-empty").len(), 1);
    let zero = vec![
        Slice {
            label: "a".into(),
            value: 0.0,
        },
        Slice {
            label: "b".into(),
            value: -1.0,
        },
    ];
    let els = parse(
        &donut_chart(
            &DonutData {
                slices: zero,
                ..DonutData::default()
            },
            &o,
        )
        .unwrap(),
    );
    assert_eq!(with_class(&els, "dl-empty").len(), 1);
    let one = vec![
        Slice {
            label: "全部".into(),
            value: 5.0,
        },
        Slice {
            label: "NaN".into(),
            value: f64::NAN,
        },
    ];
    let els = parse(
        &donut_chart(
            &DonutData {
                slices: one,
                ..DonutData::default()
            },
            &o,
        )
        .unwrap(),
    );
    assert_eq!(with_class(&els, "dl-slice").len(), 1);
    assert!(has_text(&els, "100%"));
    let many: Vec<Slice> = (0..100_000)
        .map(|i| Slice {
            label: format!("s{i}"),
            value: 1.0,
        })
        .collect();
    let d = DonutData {
        slices: many,
        other_label: "其他".into(),
        ..DonutData::default()
    };
    let svg = donut_chart(&d, &o).unwrap();
    assert!(svg.len() < 300_000);
    let els = parse(&svg);
    assert_eq!(with_class(&els, "dl-slice").len(), 8);
    assert!(has_text(&els, "其他"));
}

// ---------------------------------------------------------------------------------------
// Heat map.

#[test]
fn heatmap_has_25_cells_with_labels_and_axes() {
    let o = opts("RFM 热力图（R × F）", "rfm");
    let svg = heatmap(&rfm_data(), &o).unwrap();
    save("heatmap", &svg);
    let els = check_common(&svg, &o, "heatmap");
    let cells = with_class(&els, "dl-cell");
    assert_eq!(cells.len(), 25);
    assert_eq!(with_class(&els, "dl-cell-label").len(), 25);
    // Top-left is R5 × F1 = 5·1·7 = 35; bottom-right R1 × F5 = 35 too; the largest R5 × F5 = 175.
    assert_eq!(cells[0].attr("data-row"), "0");
    assert_eq!(cells[0].num("data-value"), 35.0);
    assert_eq!(cells[4].num("data-value"), 175.0);
    // Darker for larger values (blue ramp: smaller red channel).
    let red = |e: &El| u8::from_str_radix(&e.attr("fill")[1..3], 16).unwrap();
    assert!(red(cells[4]) < red(cells[0]));
    for t in [
        "R5",
        "R1",
        "F1",
        "F5",
        "35",
        "175",
        "R（最近消费）",
        "F（消费频次）",
        "客户数",
    ] {
        assert!(has_text(&els, t), "missing {t}");
    }
}

#[test]
fn heatmap_degenerate_inputs() {
    let o = ChartOptions::default();
    let els = parse(&heatmap(&HeatmapData::default(), &o).unwrap());
    assert_eq!(with_class(&els, "dl-empty").len(), 1);
    // Ragged rows, NaN, given labels, missing axis labels.
    let d = HeatmapData {
        rows: vec!["only one label".into()],
        cols: vec![],
        values: vec![vec![1.0, f64::NAN], vec![f64::INFINITY], vec![]],
        cell_labels: vec![vec!["一".into()]],
        ..HeatmapData::default()
    };
    let els = parse(&heatmap(&d, &o).unwrap());
    let cells = with_class(&els, "dl-cell");
    assert_eq!(cells.len(), 6);
    assert_eq!(cells[1].attr("fill"), "#EEEEEE", "NaN cell is grey");
    assert!(has_text(&els, "一"));
    // All equal values.
    let d = HeatmapData {
        values: vec![vec![3.0; 5]; 5],
        ..rfm_data()
    };
    assert_eq!(
        with_class(&parse(&heatmap(&d, &o).unwrap()), "dl-cell").len(),
        25
    );
    // Huge grid is capped.
    let d = HeatmapData {
        values: vec![vec![1.0; 1000]; 1000],
        ..HeatmapData::default()
    };
    let svg = heatmap(&d, &o).unwrap();
    assert!(svg.len() < 300_000, "{} bytes", svg.len());
    assert_eq!(with_class(&parse(&svg), "dl-cell").len(), 30 * 30);
}

// ---------------------------------------------------------------------------------------
// Funnel.

#[test]
fn funnel_shows_counts_and_share_of_first() {
    let stages = vec![
        FunnelStage {
            label: "首次到店".into(),
            count: 3000.0,
        },
        FunnelStage {
            label: "二次到店".into(),
            count: 1350.0,
        },
        FunnelStage {
            label: "三次及以上".into(),
            count: 600.0,
        },
        FunnelStage {
            label: "忠诚客户".into(),
            count: 240.0,
        },
    ];
    let o = opts("客户生命周期漏斗", "funnel");
    let svg = funnel(&FunnelData { stages }, &o).unwrap();
    save("funnel", &svg);
    let els = check_common(&svg, &o, "funnel");
    let st = with_class(&els, "dl-stage");
    assert_eq!(st.len(), 4);
    assert_eq!(with_class(&els, "dl-connector").len(), 3);
    // 1350 / 3000 = 45 %, 600 / 3000 = 20 %, 240 / 3000 = 8 %.
    for t in [
        "3,000 · 100%",
        "1,350 · 45%",
        "600 · 20%",
        "240 · 8%",
        "首次到店",
        "忠诚客户",
    ] {
        assert!(has_text(&els, t), "missing {t}: {:?}", texts(&els));
    }
    let w = |i: usize| st[i].num("width");
    assert!((w(1) / w(0) - 0.45).abs() < 0.01);
}

#[test]
fn funnel_degenerate_inputs() {
    let o = ChartOptions::default();
    assert_eq!(
        with_class(
            &parse(&funnel(&FunnelData::default(), &o).unwrap()),
            "dl-empty"
        )
        .len(),
        1
    );
    let stages = vec![
        FunnelStage {
            label: "零".into(),
            count: 0.0,
        },
        FunnelStage {
            label: "NaN".into(),
            count: f64::NAN,
        },
        FunnelStage {
            label: "负".into(),
            count: -3.0,
        },
    ];
    let els = parse(&funnel(&FunnelData { stages }, &o).unwrap());
    assert_eq!(with_class(&els, "dl-stage").len(), 3);
    let stages = (0..100_000)
        .map(|i| FunnelStage {
            label: format!("{i}"),
            count: i as f64,
        })
        .collect();
    let svg = funnel(&FunnelData { stages }, &o).unwrap();
    assert_eq!(with_class(&parse(&svg), "dl-stage").len(), 16);
}

// ---------------------------------------------------------------------------------------
// Line chart.

#[test]
fn line_chart_draws_each_series_with_points_and_legend() {
    let x = months(24);
    let series = vec![
        LineSeries {
            name: "活跃客户".into(),
            values: (0..24).map(|i| 800.0 + 10.0 * i as f64).collect(),
        },
        LineSeries {
            name: "沉睡客户".into(),
            values: (0..24).map(|i| 300.0 + 5.0 * i as f64).collect(),
        },
        LineSeries {
            name: "流失客户".into(),
            values: (0..24).map(|i| 100.0 + 2.0 * i as f64).collect(),
        },
    ];
    let o = opts("月度趋势（按客户分群）", "trend");
    let d = LineData {
        x_labels: x.clone(),
        series,
        y_axis: "客户数".into(),
        x_axis: "月份".into(),
    };
    let svg = line_chart(&d, &o).unwrap();
    save("line", &svg);
    let els = check_common(&svg, &o, "line");
    assert_eq!(with_class(&els, "dl-series").len(), 3);
    assert_eq!(with_class(&els, "dl-line").len(), 3);
    assert_eq!(with_class(&els, "dl-point").len(), 72);
    for t in ["活跃客户", "沉睡客户", "流失客户", "客户数", "月份"] {
        assert!(has_text(&els, t), "missing {t}");
    }
    // The latest month is always labelled.
    assert!(has_text(&els, "2021-12"));
}

#[test]
fn line_chart_gaps_and_degenerate_inputs() {
    let o = ChartOptions::default();
    assert_eq!(
        with_class(
            &parse(&line_chart(&LineData::default(), &o).unwrap()),
            "dl-empty"
        )
        .len(),
        1
    );
    let all_nan = LineData {
        x_labels: months(3),
        series: vec![LineSeries {
            name: "x".into(),
            values: vec![f64::NAN; 3],
        }],
        ..LineData::default()
    };
    assert_eq!(
        with_class(&parse(&line_chart(&all_nan, &o).unwrap()), "dl-empty").len(),
        1
    );
    // A NaN splits the line in two; a lone point is a dot.
    let gaps = LineData {
        x_labels: months(7),
        series: vec![LineSeries {
            name: "有缺口".into(),
            values: vec![1.0, 2.0, f64::NAN, 3.0, 4.0, f64::NAN, 5.0],
        }],
        ..LineData::default()
    };
    let els = parse(&line_chart(&gaps, &o).unwrap());
    assert_eq!(with_class(&els, "dl-line").len(), 2);
    assert_eq!(with_class(&els, "dl-point").len(), 5);
    // One point, negative values, more labels than values, more values than labels.
    let odd = LineData {
        x_labels: vec!["2024-01".into()],
        series: vec![
            LineSeries {
                name: "单点".into(),
                values: vec![-5.0],
            },
            LineSeries {
                name: "长".into(),
                values: vec![1.0, 2.0, 3.0],
            },
        ],
        ..LineData::default()
    };
    let els = parse(&line_chart(&odd, &o).unwrap());
    assert_eq!(with_class(&els, "dl-point").len(), 4);
    // 100k months × 20 series: capped to 240 points × 12 series, no per-point dots.
    let big = LineData {
        x_labels: months(100_000),
        series: (0..20)
            .map(|s| LineSeries {
                name: format!("s{s}"),
                values: (0..100_000).map(|i| (i % 97 + s) as f64).collect(),
            })
            .collect(),
        ..LineData::default()
    };
    let svg = line_chart(&big, &o).unwrap();
    assert!(svg.len() < 300_000, "{} bytes", svg.len());
    let els = parse(&svg);
    assert_eq!(with_class(&els, "dl-series").len(), 12);
    assert!(with_class(&els, "dl-point").is_empty());
}

// ---------------------------------------------------------------------------------------
// Histogram.

#[test]
fn histogram_has_bins_and_filter_markers() {
    let o = opts("日均里程分布", "mileage");
    let svg = histogram(&hist_data(50), &o).unwrap();
    save("histogram", &svg);
    let els = check_common(&svg, &o, "histogram");
    assert_eq!(with_class(&els, "dl-bin").len(), 50);
    let m = with_class(&els, "dl-marker");
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].num("data-value"), 5.0);
    assert_eq!(m[1].num("data-value"), 500.0);
    for t in [
        "下限 5 km/天",
        "上限 500 km/天",
        "日均里程（km/天）",
        "车辆数",
    ] {
        assert!(has_text(&els, t), "missing {t}");
    }
}

#[test]
fn histogram_degenerate_inputs() {
    let o = ChartOptions::default();
    assert_eq!(
        with_class(
            &parse(&histogram(&HistogramData::default(), &o).unwrap()),
            "dl-empty"
        )
        .len(),
        1
    );
    let bad = HistogramData {
        bins: vec![
            HistogramBin {
                from: 10.0,
                to: 10.0,
                count: 3.0,
            },
            HistogramBin {
                from: f64::NAN,
                to: 1.0,
                count: 3.0,
            },
            HistogramBin {
                from: 0.0,
                to: 5.0,
                count: f64::INFINITY,
            },
            HistogramBin {
                from: 5.0,
                to: 1e300,
                count: -1.0,
            },
        ],
        markers: vec![
            Marker {
                value: f64::NAN,
                label: "x".into(),
            },
            Marker {
                value: -1e308,
                label: "far".into(),
            },
        ],
        ..HistogramData::default()
    };
    let els = parse(&histogram(&bad, &o).unwrap());
    assert_eq!(with_class(&els, "dl-bin").len(), 2);
    let svg = histogram(&hist_data(100_000), &o).unwrap();
    assert!(svg.len() < 300_000, "{} bytes", svg.len());
    let n = with_class(&parse(&svg), "dl-bin").len();
    assert!((100..=200).contains(&n), "{n} bins");
}

// ---------------------------------------------------------------------------------------
// Cohort triangle.

#[test]
fn cohort_triangle_has_one_cell_per_observable_month() {
    let o = opts("新客留存（按首次到店月份）", "cohort");
    let svg = cohort_triangle(&cohort_data(12), &o).unwrap();
    save("cohort", &svg);
    let els = check_common(&svg, &o, "cohort");
    // 12 + 11 + … + 1 = 78 cells.
    assert_eq!(with_class(&els, "dl-cell").len(), 78);
    assert_eq!(with_class(&els, "dl-cell-label").len(), 78);
    assert_eq!(with_class(&els, "dl-row-label").len(), 12);
    // 0.5 / √4 = 25 %.
    for t in [
        "100%",
        "50%",
        "25%",
        "2020-01",
        "2020-12",
        "新客数",
        "100",
        "首次到店月份",
        "之后第几个月",
    ] {
        assert!(has_text(&els, t), "missing {t}: {:?}", texts(&els));
    }
}

#[test]
fn cohort_triangle_degenerate_inputs() {
    let o = ChartOptions::default();
    assert_eq!(
        with_class(
            &parse(&cohort_triangle(&CohortData::default(), &o).unwrap()),
            "dl-empty"
        )
        .len(),
        1
    );
    let d = CohortData {
        rows: vec![
            CohortRow {
                label: "a".into(),
                size: f64::NAN,
                shares: vec![f64::NAN, 2.0, -1.0],
            },
            CohortRow {
                label: "b".into(),
                size: 0.0,
                shares: vec![],
            },
        ],
        ..CohortData::default()
    };
    let els = parse(&cohort_triangle(&d, &o).unwrap());
    assert_eq!(with_class(&els, "dl-cell").len(), 2);
    let svg = cohort_triangle(&cohort_data(120), &o).unwrap();
    assert!(svg.len() < 300_000, "{} bytes", svg.len());
    let els = parse(&svg);
    assert_eq!(with_class(&els, "dl-row-label").len(), 36);
    assert_eq!(with_class(&els, "dl-row-label")[0].attr("data-row"), "84");
}

// ---------------------------------------------------------------------------------------
// Options, errors, robustness.

#[test]
fn bad_sizes_are_errors_with_messages_in_both_languages() {
    for (w, h) in [(0, 720), (1280, 0), (100_000, 720), (1280, u32::MAX)] {
        let o = ChartOptions {
            width: w,
            height: h,
            ..ChartOptions::default()
        };
        let e = pareto_chart(&pareto_data(&[1.0]), &o).unwrap_err();
        assert_eq!(
            e,
            ChartError::InvalidSize {
                width: w,
                height: h
            }
        );
        assert!(e.message(Lang::Zh).contains("图表尺寸"));
        assert!(e.to_string().contains("Invalid chart size"));
        assert!(heatmap(&rfm_data(), &o).is_err());
    }
}

#[test]
fn sizes_scale_with_width_and_ids_are_prefixed() {
    let o = ChartOptions {
        width: 2560,
        height: 1440,
        id: "big chart!".into(),
        ..ChartOptions::default()
    };
    let svg = pareto_chart(&pareto_data(&zipf(10)), &o).unwrap();
    let els = parse(&svg);
    assert_eq!(els[0].attr("id"), "bigchart");
    assert!(with_class(&els, "dl-crossing-point")[0]
        .attr("id")
        .starts_with("bigchart-"));
    let min = els
        .iter()
        .filter(|e| e.name == "text")
        .map(|e| e.num("font-size"))
        .fold(f64::INFINITY, f64::min);
    assert_eq!(min, 28.0, "14 px at 1280 doubles at 2560");
    // Smallest accepted size still works for every chart.
    let tiny = ChartOptions {
        width: MIN_SIDE,
        height: MIN_SIDE,
        title: "很长很长很长的标题".into(),
        ..ChartOptions::default()
    };
    for svg in all_charts(&tiny, 50) {
        parse(&svg);
    }
}

/// Every chart with `n` items of sample data.
fn all_charts(o: &ChartOptions, n: usize) -> Vec<String> {
    vec![
        pareto_chart(&pareto_data(&zipf(n)), o).unwrap(),
        bar_chart(
            &BarData {
                bars: (0..n)
                    .map(|i| Bar {
                        label: format!("分群{i}"),
                        value: i as f64,
                        value_label: String::new(),
                    })
                    .collect(),
                ..BarData::default()
            },
            o,
        )
        .unwrap(),
        donut_chart(
            &DonutData {
                slices: (0..n)
                    .map(|i| Slice {
                        label: format!("{i}"),
                        value: i as f64,
                    })
                    .collect(),
                ..DonutData::default()
            },
            o,
        )
        .unwrap(),
        heatmap(
            &HeatmapData {
                values: vec![vec![1.0; n.min(1000)]; n.min(1000)],
                ..rfm_data()
            },
            o,
        )
        .unwrap(),
        funnel(
            &FunnelData {
                stages: (0..n)
                    .map(|i| FunnelStage {
                        label: format!("{i}"),
                        count: (n - i) as f64,
                    })
                    .collect(),
            },
            o,
        )
        .unwrap(),
        line_chart(
            &LineData {
                x_labels: months(n),
                series: vec![LineSeries {
                    name: "a".into(),
                    values: (0..n).map(|i| (i % 13) as f64).collect(),
                }],
                ..LineData::default()
            },
            o,
        )
        .unwrap(),
        histogram(&hist_data(n), o).unwrap(),
        cohort_triangle(&cohort_data(n.min(500)), o).unwrap(),
    ]
}

#[test]
fn random_inputs_never_panic_and_stay_well_formed() {
    let mut rng = Lcg(7);
    let specials = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        -1.0,
        1e308,
        -1e308,
        5e-324,
    ];
    let value = |rng: &mut Lcg| {
        let r = rng.next();
        if r < 0.3 {
            specials[(rng.next() * specials.len() as f64) as usize % specials.len()]
        } else {
            (rng.next() - 0.2) * 10f64.powi((rng.next() * 12.0) as i32)
        }
    };
    let labels = [
        "",
        " ",
        "客户",
        "<&>\"'",
        "\u{0}\u{1F}\u{7F}",
        "a\u{FFFE}b",
        "😀🚗",
        &"长".repeat(300),
    ];
    for round in 0..40 {
        let n = (rng.next() * 30.0) as usize;
        let label = |rng: &mut Lcg| {
            labels[(rng.next() * labels.len() as f64) as usize % labels.len()].to_string()
        };
        let o = ChartOptions {
            width: MIN_SIDE + (rng.next() * 2000.0) as u32,
            height: MIN_SIDE + (rng.next() * 1200.0) as u32,
            title: label(&mut rng),
            id: label(&mut rng),
            lang: if round % 2 == 0 { Lang::Zh } else { Lang::En },
        };
        let items = (0..n)
            .map(|_| ParetoItem {
                label: label(&mut rng),
                value: value(&mut rng),
            })
            .collect();
        let threshold = value(&mut rng);
        let d = ParetoData {
            items,
            threshold,
            max_bars: (rng.next() * 5.0) as usize,
            crossing_label: label(&mut rng),
            ..ParetoData::default()
        };
        parse(&pareto_chart(&d, &o).unwrap());
        let bars = (0..n)
            .map(|_| Bar {
                label: label(&mut rng),
                value: value(&mut rng),
                value_label: label(&mut rng),
            })
            .collect();
        parse(
            &bar_chart(
                &BarData {
                    bars,
                    max_bars: n % 4,
                    ..BarData::default()
                },
                &o,
            )
            .unwrap(),
        );
        let slices = (0..n)
            .map(|_| Slice {
                label: label(&mut rng),
                value: value(&mut rng),
            })
            .collect();
        parse(
            &donut_chart(
                &DonutData {
                    slices,
                    center_label: label(&mut rng),
                    ..DonutData::default()
                },
                &o,
            )
            .unwrap(),
        );
        let values = (0..n % 7)
            .map(|_| (0..n % 6).map(|_| value(&mut rng)).collect())
            .collect();
        parse(
            &heatmap(
                &HeatmapData {
                    values,
                    rows: vec![label(&mut rng)],
                    ..HeatmapData::default()
                },
                &o,
            )
            .unwrap(),
        );
        let stages = (0..n)
            .map(|_| FunnelStage {
                label: label(&mut rng),
                count: value(&mut rng),
            })
            .collect();
        parse(&funnel(&FunnelData { stages }, &o).unwrap());
        let series = (0..n % 4)
            .map(|_| LineSeries {
                name: label(&mut rng),
                values: (0..n).map(|_| value(&mut rng)).collect(),
            })
            .collect();
        parse(
            &line_chart(
                &LineData {
                    x_labels: (0..n / 2).map(|_| label(&mut rng)).collect(),
                    series,
                    ..LineData::default()
                },
                &o,
            )
            .unwrap(),
        );
        let bins = (0..n)
            .map(|_| HistogramBin {
                from: value(&mut rng),
                to: value(&mut rng),
                count: value(&mut rng),
            })
            .collect();
        let markers = (0..n % 3)
            .map(|_| Marker {
                value: value(&mut rng),
                label: label(&mut rng),
            })
            .collect();
        parse(
            &histogram(
                &HistogramData {
                    bins,
                    markers,
                    ..HistogramData::default()
                },
                &o,
            )
            .unwrap(),
        );
        let rows = (0..n % 9)
            .map(|_| CohortRow {
                label: label(&mut rng),
                size: value(&mut rng),
                shares: (0..n % 8).map(|_| value(&mut rng)).collect(),
            })
            .collect();
        parse(
            &cohort_triangle(
                &CohortData {
                    rows,
                    ..CohortData::default()
                },
                &o,
            )
            .unwrap(),
        );
    }
}

/// Prints (does not assert) the time to render each chart with 10k items (inputs built
/// beforehand; `cargo test --release --test charts -- --nocapture timing` for real figures).
#[test]
fn timing_10k_items() {
    let o = ChartOptions::default();
    let n = 10_000;
    let pareto = pareto_data(&zipf(n));
    let bars = BarData {
        bars: (0..n)
            .map(|i| Bar {
                label: format!("分群{i}"),
                value: i as f64,
                value_label: String::new(),
            })
            .collect(),
        ..BarData::default()
    };
    let donut = DonutData {
        slices: (0..n)
            .map(|i| Slice {
                label: format!("{i}"),
                value: i as f64,
            })
            .collect(),
        ..DonutData::default()
    };
    let heat = HeatmapData {
        values: vec![vec![1.0; 100]; 100],
        ..rfm_data()
    };
    let stages = FunnelData {
        stages: (0..n)
            .map(|i| FunnelStage {
                label: format!("{i}"),
                count: (n - i) as f64,
            })
            .collect(),
    };
    let line = LineData {
        x_labels: months(n),
        series: (0..12)
            .map(|s| LineSeries {
                name: format!("s{s}"),
                values: (0..n).map(|i| ((i + s) % 13) as f64).collect(),
            })
            .collect(),
        ..LineData::default()
    };
    let hist = hist_data(n);
    let cohort = cohort_data(120);
    type Draw<'a> = Box<dyn Fn() -> Result<String, ChartError> + 'a>;
    let charts: Vec<(&str, Draw)> = vec![
        ("pareto", Box::new(|| pareto_chart(&pareto, &o))),
        ("bars", Box::new(|| bar_chart(&bars, &o))),
        ("donut", Box::new(|| donut_chart(&donut, &o))),
        ("heatmap", Box::new(|| heatmap(&heat, &o))),
        ("funnel", Box::new(|| funnel(&stages, &o))),
        ("line", Box::new(|| line_chart(&line, &o))),
        ("histogram", Box::new(|| histogram(&hist, &o))),
        ("cohort", Box::new(|| cohort_triangle(&cohort, &o))),
    ];
    for (name, draw) in &charts {
        let t = Instant::now();
        let svg = draw().unwrap();
        eprintln!(
            "{name:>10}: {:>7.2} ms, {:>7} bytes",
            t.elapsed().as_secs_f64() * 1e3,
            svg.len()
        );
    }
}

#[test]
fn svg_size_reads_the_root_element() {
    let opts = ChartOptions {
        width: 640,
        height: 400,
        ..ChartOptions::default()
    };
    let svg = dealerlens::charts::funnel(&dealerlens::charts::FunnelData::default(), &opts)
        .expect("draws");
    assert_eq!(dealerlens::charts::svg_size(&svg), Some((640, 400)));
    // Only the root's own attributes count; a missing or silly size is None.
    assert_eq!(
        dealerlens::charts::svg_size(r#"<svg height="300"><rect width="900"/></svg>"#),
        None
    );
    assert_eq!(
        dealerlens::charts::svg_size(r#"<svg width="99999" height="300">"#),
        None
    );
    assert_eq!(
        dealerlens::charts::svg_size(r#"<?xml?><svg x="1" width="200" height="300">"#),
        Some((200, 300))
    );
    assert_eq!(dealerlens::charts::svg_size("no svg"), None);
}
