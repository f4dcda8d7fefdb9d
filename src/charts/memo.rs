//! The last SVG drawn for each chart, by chart id: a chart whose data and options equal those
//! of its last drawing is not drawn again. A rule change rebuilds the dashboard, but usually
//! changes the data of a few charts only (a lifecycle threshold leaves the Pareto, RFM,
//! cohort, mileage and CLV charts as they were).

use super::{ChartError, ChartOptions};
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;

/// A chart-drawing function.
pub type Draw<D> = fn(&D, &ChartOptions) -> Result<String, ChartError>;

/// One remembered drawing.
struct Drawn<D> {
    data: D,
    opts: ChartOptions,
    svg: Result<String, ChartError>,
}

/// Which drawing: the chart id, the data type and the drawing function (a donut and a bar
/// chart of the same segment share the id).
type Key = (String, TypeId, usize);

thread_local! {
    static LAST: RefCell<HashMap<Key, Box<dyn Any>>> = RefCell::new(HashMap::new());
}

/// Draws `data` with `draw`, or returns the SVG drawn last time for the same chart id when
/// the data and options are equal.
pub fn memo<D: PartialEq + Clone + 'static>(
    draw: Draw<D>,
    data: &D,
    opts: &ChartOptions,
) -> Result<String, ChartError> {
    let key: Key = (opts.id.clone(), TypeId::of::<D>(), draw as usize);
    let hit = LAST.with(|m| {
        m.borrow()
            .get(&key)
            .and_then(|b| b.downcast_ref::<Drawn<D>>())
            .filter(|d| d.data == *data && d.opts == *opts)
            .map(|d| d.svg.clone())
    });
    if let Some(svg) = hit {
        return svg;
    }
    let svg = draw(data, opts);
    let kept = Drawn {
        data: data.clone(),
        opts: opts.clone(),
        svg: svg.clone(),
    };
    LAST.with(|m| m.borrow_mut().insert(key, Box::new(kept)));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{bar_chart, donut_chart, Bar, BarData, DonutData, Slice};
    use crate::engine::Lang;
    use std::cell::Cell;

    thread_local! {
        static CALLS: Cell<u32> = const { Cell::new(0) };
    }

    /// A drawing function that counts its calls.
    fn counted(d: &BarData, o: &ChartOptions) -> Result<String, ChartError> {
        CALLS.with(|c| c.set(c.get() + 1));
        bar_chart(d, o)
    }

    fn opts(id: &str) -> ChartOptions {
        ChartOptions {
            width: 640,
            height: 400,
            title: "t".into(),
            id: id.into(),
            lang: Lang::En,
        }
    }

    fn bars(v: f64) -> BarData {
        BarData {
            bars: vec![Bar {
                label: "a".into(),
                value: v,
                value_label: String::new(),
            }],
            ..BarData::default()
        }
    }

    #[test]
    fn equal_data_is_drawn_once() {
        let calls = || CALLS.with(Cell::get);
        let first = memo(counted, &bars(3.0), &opts("m1"));
        assert!(first.as_ref().is_ok_and(|s| s.contains("<svg")));
        assert_eq!(calls(), 1);
        // Same data and options: the same SVG, not drawn again.
        assert_eq!(memo(counted, &bars(3.0), &opts("m1")), first);
        assert_eq!(calls(), 1);
        // Other data, other options, another id: drawn.
        let other = memo(counted, &bars(4.0), &opts("m1"));
        assert_eq!(calls(), 2);
        assert_eq!(other, bar_chart(&bars(4.0), &opts("m1")));
        memo(
            counted,
            &bars(4.0),
            &ChartOptions {
                lang: Lang::Zh,
                ..opts("m1")
            },
        )
        .ok();
        assert_eq!(calls(), 3);
        memo(counted, &bars(4.0), &opts("m2")).ok();
        assert_eq!(calls(), 4);
        // Back to the first data: drawn again (only the last drawing is kept per chart).
        memo(counted, &bars(3.0), &opts("m1")).ok();
        assert_eq!(calls(), 5);
    }

    #[test]
    fn chart_kinds_sharing_an_id_keep_their_own_drawing() {
        let donut = DonutData {
            slices: vec![Slice {
                label: "a".into(),
                value: 2.0,
            }],
            ..DonutData::default()
        };
        let d = memo(donut_chart, &donut, &opts("m3"));
        let b = memo(bar_chart, &bars(2.0), &opts("m3"));
        assert_ne!(d, b);
        assert_eq!(memo(donut_chart, &donut, &opts("m3")), d);
        assert_eq!(d, donut_chart(&donut, &opts("m3")));
    }
}
