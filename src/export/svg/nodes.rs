//! The boxes: their sizes (widened for long names), their shapes, their names and
//! detail lines.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::text::{fit, text};
use super::{Rect, n};
use crate::diagram::ArchGraph;
use crate::diagram::shape::{
    Body, LID, LOG_GAP, LOG_WIDTH, POINT, Point, TEXT_PAD, body, outline, partition_log,
};
use crate::diagram::style::{
    DETAIL_SIZE, INK, NAME_SIZE, OUTLINE, element_color, half_size, text_width,
};
use crate::model::{ElementKind, Model};

/// The smallest a long name shrinks to before it is cut.
const MIN_NAME_SIZE: f32 = 10.0;
/// Widest a box may grow for its name, half: layers are `diagram::layout`'s `LAYER_GAP` apart.
const MAX_HALF_WIDTH: f32 = 95.0;

/// Room for text across a kind's box of half width `hw`.
fn text_room(kind: ElementKind, hw: f32) -> f32 {
    let room = 2.0 * hw - 2.0 * TEXT_PAD;
    match kind {
        ElementKind::Topic => room - LOG_WIDTH - LOG_GAP,
        ElementKind::Saga | ElementKind::Source => room - POINT,
        _ => room,
    }
}

/// Half the size of a box: its kind's (the app's), widened for a name or detail that
/// would not fit even at the smallest name size (the app cuts them with "…"; an
/// export for a review shows them whole up to `MAX_HALF_WIDTH`).
fn box_half(kind: ElementKind, name: &str, detail: &str) -> (f32, f32) {
    let (hw, hh) = half_size(kind);
    let need = text_width(name, MIN_NAME_SIZE, false).max(text_width(detail, DETAIL_SIZE, false));
    let room = text_room(kind, hw);
    if need > room {
        (
            (hw + (need - room) / 2.0 + 1.0).min(MAX_HALF_WIDTH).ceil(),
            hh,
        )
    } else {
        (hw, hh)
    }
}

/// Half the size of each box of the diagram.
pub(super) fn halves(graph: &ArchGraph) -> Vec<(f32, f32)> {
    graph
        .nodes
        .iter()
        .map(|node| box_half(node.element.kind, &node.element.name, &node.detail))
        .collect()
}

/// A kind's shape (without text) centred at (cx, cy), scaled.
pub(super) fn shape(
    out: &mut String,
    kind: ElementKind,
    (cx, cy): (f32, f32),
    (hw, hh): (f32, f32),
    scale: f32,
    partitions: u32,
) {
    let (hw, hh) = (hw * scale, hh * scale);
    let fill = element_color(kind);
    let stroke = format!(r#"fill="{fill}" stroke="{OUTLINE}" stroke-width="1""#);
    match body(kind) {
        Body::RoundedBox { radius } => {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" {stroke}/>"#,
                n(cx - hw),
                n(cy - hh),
                n(2.0 * hw),
                n(2.0 * hh),
                n(radius * scale)
            );
            if kind == ElementKind::Topic {
                let centre = Point::new(cx, cy);
                let (lx, cells) = partition_log(centre, Point::new(hw, hh), scale, partitions);
                let mut d = format!("M{} {}V{}", n(lx), n(cy - hh), n(cy + hh));
                for y in cells {
                    let _ = write!(d, "M{} {}H{}", n(lx), n(y), n(cx + hw));
                }
                let _ = writeln!(
                    out,
                    r##"<path d="{d}" fill="none" stroke="#000000" stroke-opacity="0.43" stroke-width="1"/>"##
                );
            }
        }
        Body::Cylinder => {
            let lid = LID * scale;
            let top = cy - hh + lid;
            let bottom = cy + hh - lid;
            let _ = writeln!(
                out,
                r#"<path d="M{x0} {top}A{rx} {lid} 0 0 1 {x1} {top}V{bottom}A{rx} {lid} 0 0 1 {x0} {bottom}Z" {stroke}/>"#,
                x0 = n(cx - hw),
                x1 = n(cx + hw),
                rx = n(hw),
                lid = n(lid),
                top = n(top),
                bottom = n(bottom),
            );
            let _ = writeln!(
                out,
                r#"<path d="M{x0} {top}A{rx} {lid} 0 0 0 {x1} {top}" fill="none" stroke="{OUTLINE}" stroke-width="1"/>"#,
                x0 = n(cx - hw),
                x1 = n(cx + hw),
                rx = n(hw),
                lid = n(lid),
                top = n(top),
            );
        }
        Body::Polygon => {
            let pts: Vec<String> = outline(kind, Point::new(hw / scale, hh / scale))
                .into_iter()
                .map(|p| format!("{},{}", n(cx + p.x * scale), n(cy + p.y * scale)))
                .collect();
            let _ = writeln!(out, r#"<polygon points="{}" {stroke}/>"#, pts.join(" "));
        }
    }
}

/// The boxes `boxes` (centred at `pos`) with their name and detail line.
pub(super) fn draw(model: &Model, graph: &ArchGraph, boxes: &[Rect], pos: &[(f32, f32)]) -> String {
    let partitions: BTreeMap<&str, u32> = model
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.partitions))
        .collect();
    let mut out = String::new();
    for (node, (r, &(cx, cy))) in graph.nodes.iter().zip(boxes.iter().zip(pos)) {
        let kind = node.element.kind;
        let parts = partitions
            .get(node.element.name.as_str())
            .copied()
            .unwrap_or(1);
        let half = ((r.x1 - r.x0) / 2.0, (r.y1 - r.y0) / 2.0);
        shape(&mut out, kind, (cx, cy), half, 1.0, parts);
        let width = text_room(kind, half.0);
        let mut centre_x = cx;
        let mut centre_y = cy;
        match kind {
            ElementKind::Topic => centre_x -= (LOG_WIDTH + LOG_GAP) / 2.0,
            ElementKind::Store => centre_y += LID / 2.0,
            _ => {}
        }
        let name = &node.element.name;
        let mut size = NAME_SIZE;
        while size > MIN_NAME_SIZE && text_width(name, size, false) > width {
            size -= 1.0;
        }
        let name = fit(name, size, false, width);
        let detail = fit(&node.detail, DETAIL_SIZE, false, width);
        let total = size * 1.16 + 2.0 + DETAIL_SIZE * 1.16;
        let top = centre_y - total / 2.0;
        let ink = format!(r#" text-anchor="middle" fill="{INK}""#);
        text(&mut out, centre_x, top + size * 0.95, size, &ink, &name);
        text(
            &mut out,
            centre_x,
            top + size * 1.16 + 2.0 + DETAIL_SIZE * 0.95,
            DETAIL_SIZE,
            &ink,
            &detail,
        );
    }
    out
}
