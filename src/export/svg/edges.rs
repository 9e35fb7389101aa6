//! The arrows: their routes (straight, or bent around boxes in their way; parallel
//! ones spread apart, as in the app: `diagram::route`), their lines and heads.

use std::fmt::Write as _;

use super::{Rect, Taken, labels, n};
use crate::diagram::route::{Placed, Route, label_size, place_labels, routes};
use crate::diagram::shape::Point;
use crate::diagram::style::{DASH, DASH_GAP, DOT_GAP, Line, edge_style};
use crate::diagram::{ArchGraph, EdgeKind};

/// An arrow as drawn.
pub(super) struct Arrow {
    pub(super) kind: EdgeKind,
    /// Where it runs, from its first box to its tip on the second.
    pub(super) route: Route,
    pub(super) label: String,
}

/// The diagram's arrows between boxes centred at `pos` with half sizes `halves`, in
/// edge order (arrows from a box to itself left out).
pub(super) fn arrows(graph: &ArchGraph, pos: &[(f32, f32)], halves: &[(f32, f32)]) -> Vec<Arrow> {
    let centres: Vec<Point> = pos.iter().map(|&p| p.into()).collect();
    let halves: Vec<Point> = halves.iter().map(|&h| h.into()).collect();
    let placed = Placed {
        graph,
        centres: &centres,
        halves: &halves,
    };
    routes(&placed)
        .into_iter()
        .zip(&graph.edges)
        .filter_map(|(route, e)| {
            Some(Arrow {
                kind: e.kind,
                route: route?,
                label: e.label.clone(),
            })
        })
        .collect()
}

/// The `stroke-dasharray` of a line (and its round caps for dots), given the dash,
/// the gap and the distance between dots.
pub(super) fn dashes(line: Line, (dash, gap, dot_gap): (f32, f32, f32)) -> String {
    match line {
        Line::Solid => String::new(),
        Line::Dashed => format!(r#" stroke-dasharray="{} {}""#, n(dash), n(gap)),
        Line::Dotted => format!(
            r#" stroke-dasharray="0.5 {}" stroke-linecap="round""#,
            n(dot_gap)
        ),
    }
}

/// The width of an arrow kind's line (dots a little wider to show as well as lines).
pub(super) fn stroke_width(line: Line, width: f32) -> f32 {
    if line == Line::Dotted {
        width * 1.3
    } else {
        width
    }
}

/// An SVG path through the points.
fn path(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let _ = write!(d, "{}{} {}", if i == 0 { 'M' } else { 'L' }, n(p.x), n(p.y));
    }
    d
}

/// The plates of the arrows' labels, placed clear of `taken` and of each other
/// (`diagram::route::place_labels`), in arrow order.
pub(super) fn plates(arrows: &[Arrow], taken: &[Rect]) -> Vec<Option<Rect>> {
    let routes: Vec<Option<Route>> = arrows.iter().map(|a| Some(a.route.clone())).collect();
    let sizes: Vec<Option<Point>> = arrows
        .iter()
        .map(|a| (!a.label.is_empty()).then(|| label_size(&a.label)))
        .collect();
    place_labels(&routes, &sizes, taken)
}

/// The arrows' lines and heads, and their labels placed clear of what is `taken`
/// (boxes, marks) and of each other (`diagram::route::place_labels`).
pub(super) fn draw(arrows: &[Arrow], taken: &mut Taken) -> (String, String) {
    let mut lines = String::new();
    let mut labels = String::new();
    for arrow in arrows {
        let (line, width, color) = edge_style(arrow.kind);
        let dash = dashes(line, (DASH, DASH_GAP, DOT_GAP));
        let _ = writeln!(
            lines,
            r#"<path d="{}" fill="none" stroke="{color}" stroke-width="{}"{dash}/>"#,
            path(&arrow.route.line()),
            n(stroke_width(line, width))
        );
        let tip = arrow.route.tip();
        let [w0, w1] = arrow.route.head.wings;
        let _ = writeln!(
            lines,
            r#"<polygon points="{},{} {},{} {},{}" fill="{color}"/>"#,
            n(tip.x),
            n(tip.y),
            n(w0.x),
            n(w0.y),
            n(w1.x),
            n(w1.y)
        );
        taken.grow(&arrow.route.bounds());
    }
    for (arrow, plate) in arrows.iter().zip(plates(arrows, &taken.rects)) {
        if let Some(r) = plate {
            taken.push(r);
            labels::label(&mut labels, &arrow.label, edge_style(arrow.kind).2, r);
        }
    }
    (lines, labels)
}
