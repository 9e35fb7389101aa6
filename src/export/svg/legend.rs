//! The legend below the diagram: the kinds of box and arrow it uses; with an overlay,
//! the heat scale, the lag badge and the findings in full.

use std::fmt::Write as _;

use super::edges::{dashes, stroke_width};
use super::frame::MARGIN;
use super::n;
use super::nodes::shape;
use super::overlay::{badge, marker};
use super::text::{text, wrap};
use crate::diagram::style::{
    BOX_KINDS, EDGE_KINDS, INK, LAG, LEGEND_DASH, OUTLINE, edge_label, edge_style, half_size,
    heat_color, text_width,
};
use crate::diagram::{ArchGraph, EdgeKind};
use crate::export::Overlay;
use crate::model::ElementKind;

/// Size of the legend's text (and of the run's caption).
pub(super) const LEGEND_SIZE: f32 = 12.0;

/// The legend, `width` wide, from `y` down; with where it ends.
pub(super) fn legend(
    graph: &ArchGraph,
    overlay: Option<&Overlay>,
    width: f32,
    mut y: f32,
) -> (String, f32) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<path d="M{} {}H{}" stroke="#cccccc" stroke-width="1"/>"##,
        n(MARGIN),
        n(y - 16.0),
        n(MARGIN + width)
    );
    y = box_kinds(&mut out, graph, width, y);
    y += 26.0;
    y = arrow_kinds(&mut out, graph, width, y);
    if let Some(o) = overlay {
        y += 30.0;
        heat(&mut out, y);
        if !o.findings.is_empty() {
            y += 40.0;
            y = findings(&mut out, o, width, y);
        }
    }
    (out, y)
}

/// The kinds of box the diagram uses, in rows from `y`; returns the last row's y.
fn box_kinds(out: &mut String, graph: &ArchGraph, width: f32, mut y: f32) -> f32 {
    let kinds: Vec<ElementKind> = BOX_KINDS
        .into_iter()
        .filter(|k| graph.nodes.iter().any(|n| n.element.kind == *k))
        .collect();
    let mut x = MARGIN;
    for kind in kinds {
        let label = kind.label();
        let w = 44.0 + text_width(label, LEGEND_SIZE, false) + 18.0;
        if x + w > MARGIN + width && x > MARGIN {
            x = MARGIN;
            y += 24.0;
        }
        shape(out, kind, (x + 18.0, y), half_size(kind), 0.27, 3);
        text(
            out,
            x + 42.0,
            y + 4.0,
            LEGEND_SIZE,
            &format!(r#" fill="{INK}""#),
            label,
        );
        x += w;
    }
    y
}

/// The kinds of arrow the diagram uses, in rows from `y`; returns the last row's y.
fn arrow_kinds(out: &mut String, graph: &ArchGraph, width: f32, mut y: f32) -> f32 {
    let kinds: Vec<EdgeKind> = EDGE_KINDS
        .into_iter()
        .filter(|k| graph.edges.iter().any(|e| e.kind == *k && e.from != e.to))
        .collect();
    let mut x = MARGIN;
    for kind in kinds {
        let label = edge_label(kind);
        let w = 40.0 + text_width(label, LEGEND_SIZE, false) + 18.0;
        if x + w > MARGIN + width && x > MARGIN {
            x = MARGIN;
            y += 22.0;
        }
        let (line, line_width, color) = edge_style(kind);
        let dash = dashes(line, LEGEND_DASH);
        let _ = writeln!(
            out,
            r#"<path d="M{} {}H{}" fill="none" stroke="{color}" stroke-width="{}"{dash}/>"#,
            n(x),
            n(y),
            n(x + 26.0),
            n(stroke_width(line, line_width))
        );
        let _ = writeln!(
            out,
            r#"<polygon points="{},{} {},{} {},{}" fill="{color}"/>"#,
            n(x + 34.0),
            n(y),
            n(x + 26.0),
            n(y - 4.0),
            n(x + 26.0),
            n(y + 4.0)
        );
        text(
            out,
            x + 40.0,
            y + 4.0,
            LEGEND_SIZE,
            &format!(r#" fill="{INK}""#),
            label,
        );
        x += w;
    }
    y
}

/// The heat scale from 0% to 100% and the lag badge, on the row at `y`.
fn heat(out: &mut String, y: f32) {
    let _ = writeln!(
        out,
        r##"<defs><linearGradient id="heat" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="{}"/><stop offset="0.5" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient></defs>"##,
        heat_color(0.0),
        heat_color(0.5),
        heat_color(1.0)
    );
    let ink = format!(r#" fill="{INK}""#);
    text(out, MARGIN, y + 4.0, LEGEND_SIZE, &ink, "utilisation");
    let bar_x = MARGIN + text_width("utilisation", LEGEND_SIZE, false) + 10.0;
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="160" height="10" fill="url(#heat)" stroke="{OUTLINE}" stroke-width="0.5"/>"##,
        n(bar_x),
        n(y - 5.0)
    );
    text(out, bar_x, y + 19.0, 10.0, &ink, "0%");
    text(
        out,
        bar_x + 80.0,
        y + 19.0,
        10.0,
        &format!(r#" text-anchor="middle" fill="{INK}""#),
        "50%",
    );
    text(
        out,
        bar_x + 160.0,
        y + 19.0,
        10.0,
        &format!(r#" text-anchor="end" fill="{INK}""#),
        "100%",
    );
    let lag_x = bar_x + 190.0;
    badge(out, lag_x + 22.0, y, "lag N", LAG, "#ffffff");
    text(
        out,
        lag_x + 50.0,
        y + 4.0,
        LEGEND_SIZE,
        &ink,
        "highest consumer-group lag in the run",
    );
}

/// The findings in full, each after its numbered marker, wrapped to `width`, from
/// the heading at `y`; returns the last line's y.
fn findings(out: &mut String, o: &Overlay, width: f32, mut y: f32) -> f32 {
    let bold = format!(r#" font-weight="bold" fill="{INK}""#);
    text(out, MARGIN, y, LEGEND_SIZE, &bold, "Findings");
    for (rank, element, evidence) in &o.findings {
        y += 24.0;
        marker(out, MARGIN + 9.0, y - 4.0, *rank);
        let head = format!("{element}: ");
        let head_w = text_width(&head, LEGEND_SIZE, true);
        text(out, MARGIN + 26.0, y, LEGEND_SIZE, &bold, &head);
        let room = (width - 26.0 - head_w).max(200.0);
        for (i, line) in wrap(evidence, LEGEND_SIZE, room).iter().enumerate() {
            if i > 0 {
                y += 16.0;
            }
            text(
                out,
                MARGIN + 26.0 + head_w,
                y,
                LEGEND_SIZE,
                &format!(r#" fill="{INK}""#),
                line,
            );
        }
    }
    y
}
