//! The run on top of the diagram: heat outlines and utilisation badges on services,
//! lag badges on topics, numbered finding markers at a corner of their box.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::edges::Arrow;
use super::text::text;
use super::{Rect, Taken, n};
use crate::diagram::ArchGraph;
use crate::diagram::style::{FINDING, INK, LABEL_SIZE, LAG, OUTLINE, heat_color, text_width};
use crate::export::Overlay;
use crate::model::ElementKind;

/// A word or number on a rounded plate, centred at (cx, cy).
pub(super) fn badge(
    out: &mut String,
    cx: f32,
    cy: f32,
    label: &str,
    fill: &str,
    ink: &str,
) -> Rect {
    let w = text_width(label, LABEL_SIZE, true) + 10.0;
    let r = Rect::centred(cx, cy, w / 2.0, 8.0);
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="16" rx="7" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.5"/>"#,
        n(r.x0),
        n(r.y0),
        n(w)
    );
    text(
        out,
        cx,
        cy + 4.0,
        LABEL_SIZE,
        &format!(r#" font-weight="bold" text-anchor="middle" fill="{ink}""#),
        label,
    );
    r
}

/// A numbered finding marker centred at (cx, cy).
pub(super) fn marker(out: &mut String, cx: f32, cy: f32, rank: u32) -> Rect {
    let _ = writeln!(
        out,
        r##"<circle cx="{}" cy="{}" r="9" fill="{FINDING}" stroke="#ffffff" stroke-width="1.5"/>"##,
        n(cx),
        n(cy)
    );
    text(
        out,
        cx,
        cy + 4.0,
        LABEL_SIZE,
        r##" font-weight="bold" text-anchor="middle" fill="#ffffff""##,
        &rank.to_string(),
    );
    Rect::centred(cx, cy, 10.0, 10.0)
}

/// The overlay's marks on the boxes `boxes`, taken so arrow labels keep clear of them.
pub(super) fn marks(
    o: &Overlay,
    graph: &ArchGraph,
    boxes: &[Rect],
    arrows: &[Arrow],
    taken: &mut Taken,
) -> String {
    let mut out = String::new();
    for (node, r) in graph.nodes.iter().zip(boxes) {
        let name = &node.element.name;
        match node.element.kind {
            ElementKind::Service => {
                if let Some(&u) = o.utilisation.get(name) {
                    let h = r.expand(5.0);
                    let _ = writeln!(
                        out,
                        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="11" fill="none" stroke="{}" stroke-width="4"/>"#,
                        n(h.x0),
                        n(h.y0),
                        n(h.x1 - h.x0),
                        n(h.y1 - h.y0),
                        heat_color(u)
                    );
                    taken.grow(&h.expand(2.0));
                    let label = format!("{:.0}%", u * 100.0);
                    let (x, y) = (r.x1 - 14.0, r.y0 - 8.0);
                    taken.push(badge(&mut out, x, y, &label, &heat_color(u), INK));
                }
            }
            ElementKind::Topic => {
                if let Some(&lag) = o.lag.get(name).filter(|l| **l > 0) {
                    let (x, y) = (r.x1 - 14.0, r.y0 - 8.0);
                    taken.push(badge(&mut out, x, y, &format!("lag {lag}"), LAG, "#ffffff"));
                }
            }
            _ => {}
        }
    }
    findings(&mut out, o, graph, boxes, arrows, taken);
    out
}

/// Finding markers in a row at a corner of their box: the first corner no arrow
/// crosses (top left, bottom left, bottom right).
fn findings(
    out: &mut String,
    o: &Overlay,
    graph: &ArchGraph,
    boxes: &[Rect],
    arrows: &[Arrow],
    taken: &mut Taken,
) {
    let mut per_element: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for (rank, element, _) in &o.findings {
        if let Some(i) = graph.node(element) {
            per_element.entry(i).or_default().push(*rank);
        }
    }
    for (i, ranks) in per_element {
        let r = boxes[i];
        let row = |corner: usize| -> Vec<(f32, f32)> {
            (0..ranks.len())
                .map(|k| {
                    let k = k as f32 * 21.0;
                    match corner {
                        0 => (r.x0 + 4.0 + k, r.y0 - 6.0),
                        1 => (r.x0 + 4.0 + k, r.y1 + 6.0),
                        _ => (r.x1 - 4.0 - k, r.y1 + 6.0),
                    }
                })
                .collect()
        };
        let clear = |spots: &[(f32, f32)]| {
            spots.iter().all(|&(x, y)| {
                let m = Rect::centred(x, y, 12.0, 12.0);
                !arrows
                    .iter()
                    .any(|a| a.route.segments().any(|(p, q)| m.crossed_by(p, q)))
                    && !taken
                        .rects
                        .iter()
                        .enumerate()
                        .any(|(j, t)| j != i && t.overlaps(&m))
            })
        };
        let spots = (0..3).map(row).find(|s| clear(s)).unwrap_or_else(|| row(0));
        for (&(x, y), rank) in spots.iter().zip(&ranks) {
            taken.push(marker(out, x, y, *rank));
        }
    }
}
