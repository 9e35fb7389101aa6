//! The arrows: where they start and end (parallel ones spread apart, as in the app),
//! their lines and heads.

use std::fmt::Write as _;

use super::{Rect, Taken, labels, n};
use crate::diagram::shape::{Head, Point, TIP, arrow_ends, arrow_head, bundles, outline};
use crate::diagram::style::{DASH, DASH_GAP, DOT_GAP, Line, edge_style, quiet};
use crate::diagram::{ArchGraph, EdgeKind};

/// An arrow as drawn.
pub(super) struct Arrow {
    pub(super) kind: EdgeKind,
    /// Where it leaves its first box.
    pub(super) a: Point,
    /// Where it points to, on its second box.
    pub(super) tip: Point,
    pub(super) head: Head,
    /// Where along its line the label sits, 0 to 1.
    pub(super) label_t: f32,
    pub(super) label: String,
}

/// Arrows that carry their label: replies and compensations travel beside their
/// commands and, as in the app, go unlabelled (the legend tells them apart).
pub(super) fn labelled(kind: EdgeKind, label: &str) -> bool {
    !label.is_empty() && !quiet(kind)
}

/// The diagram's arrows between boxes centred at `pos` with half sizes `halves`, in
/// edge order (arrows from a box to itself left out).
pub(super) fn arrows(graph: &ArchGraph, pos: &[(f32, f32)], halves: &[(f32, f32)]) -> Vec<Arrow> {
    let mut arrows = Vec::new();
    for bundle in bundles(graph.edges.iter().map(|e| (e.from, e.to))) {
        // Labels of parallel arrows sit at different points along their lines.
        let labelled: Vec<usize> = bundle
            .arrows
            .iter()
            .map(|&(i, _)| i)
            .filter(|&i| labelled(graph.edges[i].kind, &graph.edges[i].label))
            .collect();
        for &(i, offset) in &bundle.arrows {
            let e = &graph.edges[i];
            let m = labelled.len() as f32;
            let label_t = labelled.iter().position(|&l| l == i).map_or(0.5, |jl| {
                (0.5 + (jl as f32 - (m - 1.0) / 2.0) * 0.2).clamp(0.2, 0.8)
            });
            let ka = graph.nodes[e.from].element.kind;
            let kb = graph.nodes[e.to].element.kind;
            let (oa, ob) = (
                outline(ka, halves[e.from].into()),
                outline(kb, halves[e.to].into()),
            );
            let from = (Point::from(pos[e.from]), oa.as_slice());
            let to = (Point::from(pos[e.to]), ob.as_slice());
            let Some((a, tip)) = arrow_ends(from, to, offset, e.from < e.to) else {
                continue;
            };
            arrows.push((
                i,
                Arrow {
                    kind: e.kind,
                    a,
                    tip,
                    head: arrow_head(a, tip, TIP),
                    label_t,
                    label: e.label.clone(),
                },
            ));
        }
    }
    // Drawn in edge order, so the output does not depend on the bundling.
    arrows.sort_by_key(|(i, _)| *i);
    arrows.into_iter().map(|(_, a)| a).collect()
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

/// The arrows' lines and heads, and their labels placed clear of what is `taken`.
pub(super) fn draw(arrows: &[Arrow], taken: &mut Taken) -> (String, String) {
    let mut lines = String::new();
    let mut labels = String::new();
    for arrow in arrows {
        let (line, width, color) = edge_style(arrow.kind);
        let dash = dashes(line, (DASH, DASH_GAP, DOT_GAP));
        let (a, base, tip) = (arrow.a, arrow.head.base, arrow.tip);
        let _ = writeln!(
            lines,
            r#"<path d="M{} {}L{} {}" fill="none" stroke="{color}" stroke-width="{}"{dash}/>"#,
            n(a.x),
            n(a.y),
            n(base.x),
            n(base.y),
            n(stroke_width(line, width))
        );
        let [w0, w1] = arrow.head.wings;
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
        taken.grow(&Rect {
            x0: a.x.min(tip.x),
            y0: a.y.min(tip.y),
            x1: a.x.max(tip.x),
            y1: a.y.max(tip.y),
        });
        if labelled(arrow.kind, &arrow.label) {
            labels::label(&mut labels, arrow, color, taken);
        }
    }
    (lines, labels)
}
