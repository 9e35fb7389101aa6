//! Each domain drawn as a labelled frame behind its boxes (the grouping of
//! [`node_groups`]: the same rule as the diagram's layout by domain).

use std::fmt::Write;

use super::{Rect, n};
use crate::diagram::{ArchGraph, node_groups};
use crate::model::Model;

/// Room between a domain's boxes and its frame.
const PAD: f32 = 28.0;
/// Room above the boxes for the domain's name.
const TITLE: f32 = 30.0;

/// The frames (empty when the model names no domain), and each frame's rectangle
/// (to keep labels and the picture's bounds clear of them).
pub(super) fn frames(model: &Model, graph: &ArchGraph, boxes: &[Rect]) -> (String, Vec<Rect>) {
    let names: Vec<&str> = model.domains().into_keys().collect();
    let mut extents: Vec<Option<Rect>> = vec![None; names.len()];
    for (g, r) in node_groups(model, graph).iter().zip(boxes) {
        if let Some(e) = g.and_then(|g| extents.get_mut(g)) {
            *e = Some(e.map_or(*r, |e: Rect| e.union(r)));
        }
    }
    let mut out = String::new();
    let mut rects = Vec::new();
    for (name, e) in names.iter().zip(extents) {
        let Some(e) = e else { continue };
        let f = Rect {
            y0: e.y0 - TITLE,
            ..e
        }
        .expand(PAD);
        let _ = writeln!(
            out,
            r##"<g class="domain"><rect x="{}" y="{}" width="{}" height="{}" rx="14" fill="#f4f6fa" stroke="#9aa6b8" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{}" y="{}" font-size="18" font-weight="bold" fill="#4a5568">{}</text></g>"##,
            n(f.x0),
            n(f.y0),
            n(f.x1 - f.x0),
            n(f.y1 - f.y0),
            n(f.x0 + 14.0),
            n(f.y0 + 26.0),
            crate::export::xml_escape(name)
        );
        rects.push(f);
    }
    (out, rects)
}
