//! What still collides in a drawn diagram: for tests and for anyone who wants to know.

use super::Route;
use crate::diagram::ArchGraph;
use crate::diagram::shape::Rect;

/// Every collision in a drawing, in words: a label over a box or over another label,
/// an arrow through a box that is neither of its ends. `boxes` are the boxes'
/// rectangles in node order, `routes` and `labels` in edge order (as [`routes`](super::routes)
/// and [`place_labels`](super::place_labels) give them). Empty when nothing collides.
pub fn problems(
    graph: &ArchGraph,
    boxes: &[Rect],
    routes: &[Option<Route>],
    labels: &[Option<Rect>],
) -> Vec<String> {
    let name = |i: usize| graph.nodes[i].element.to_string();
    let edge = |i: usize| {
        let e = &graph.edges[i];
        format!(
            "{:?} {} ({} → {})",
            e.kind,
            e.label,
            name(e.from),
            name(e.to)
        )
    };
    let mut out = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let Some(l) = label else { continue };
        for (b, r) in boxes.iter().enumerate() {
            if l.overlaps(r) {
                out.push(format!("the label of {} covers {}", edge(i), name(b)));
            }
        }
        for (j, other) in labels.iter().enumerate().skip(i + 1) {
            if other.is_some_and(|o| o.overlaps(l)) {
                out.push(format!("the labels of {} and {} overlap", edge(i), edge(j)));
            }
        }
    }
    for (i, route) in routes.iter().enumerate() {
        let Some(route) = route else { continue };
        let e = &graph.edges[i];
        for (b, r) in boxes.iter().enumerate() {
            if b != e.from && b != e.to && route.segments().any(|(p, q)| r.crossed_by(p, q)) {
                out.push(format!("{} runs through {}", edge(i), name(b)));
            }
        }
    }
    out
}
