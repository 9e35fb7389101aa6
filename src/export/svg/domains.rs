//! Each domain drawn as a labelled frame behind its boxes (the frames of
//! [`domain_frames`]: the same grouping as the diagram's layout by domain).

use std::fmt::Write;

use super::{Rect, n};
use crate::diagram::{ArchGraph, domain_frames};
use crate::model::Model;

/// The frames (empty when the model names no domain), and each frame's rectangle
/// (to keep labels and the picture's bounds clear of them).
pub(super) fn frames(model: &Model, graph: &ArchGraph, boxes: &[Rect]) -> (String, Vec<Rect>) {
    let mut out = String::new();
    let mut rects = Vec::new();
    for frame in domain_frames(model, graph, boxes) {
        let f = frame.rect;
        let _ = writeln!(
            out,
            r##"<g class="domain"><rect x="{}" y="{}" width="{}" height="{}" rx="14" fill="#f4f6fa" stroke="#9aa6b8" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{}" y="{}" font-size="18" font-weight="bold" fill="#4a5568">{}</text></g>"##,
            n(f.x0),
            n(f.y0),
            n(f.x1 - f.x0),
            n(f.y1 - f.y0),
            n(f.x0 + 14.0),
            n(f.y0 + 26.0),
            crate::export::xml_escape(&frame.name)
        );
        rects.push(f);
    }
    (out, rects)
}
