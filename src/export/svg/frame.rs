//! The picture around the diagram: its size and view box, the white background, the
//! font, the header (the model's name and the run's caption), and the layers in
//! drawing order.

use std::fmt::Write as _;

use super::legend::{LEGEND_SIZE, legend};
use super::text::text;
use super::{Rect, n};
use crate::diagram::ArchGraph;
use crate::diagram::style::{INK, text_width};
use crate::export::{Overlay, xml_escape};
use crate::model::Model;

/// The font the SVG asks for, with fallbacks. The PNG export renders with DejaVu Sans.
const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
/// Space around everything, and the left edge of the header and the legend.
pub(super) const MARGIN: f32 = 24.0;

/// The diagram's layers, each as SVG elements.
pub(super) struct Layers {
    /// Domains' frames, behind everything (empty without domains).
    pub(super) domains: String,
    /// Arrows' lines and heads.
    pub(super) lines: String,
    /// Boxes with their text.
    pub(super) boxes: String,
    /// Arrows' labels on their plates.
    pub(super) labels: String,
    /// The overlay's marks, when there is an overlay.
    pub(super) marks: Option<String>,
}

/// The header: the model's name and the run's caption; with where it ends and how
/// wide it is.
fn header(model: &Model, overlay: Option<&Overlay>) -> (String, f32, f32) {
    let mut out = String::new();
    let mut y = MARGIN + 16.0;
    text(
        &mut out,
        MARGIN,
        y,
        16.0,
        &format!(r#" font-weight="bold" fill="{INK}""#),
        &model.name,
    );
    let mut width = text_width(&model.name, 16.0, true);
    if let Some(o) = overlay.filter(|o| !o.caption.is_empty()) {
        y += 20.0;
        text(
            &mut out,
            MARGIN,
            y,
            LEGEND_SIZE,
            r##" fill="#444444""##,
            &o.caption,
        );
        width = width.max(text_width(&o.caption, LEGEND_SIZE, false));
    }
    (out, y, width)
}

/// The whole picture: the header, the diagram's `layers` (drawn within `bounds`)
/// moved below it, the legend below them.
pub(super) fn picture(
    model: &Model,
    overlay: Option<&Overlay>,
    graph: &ArchGraph,
    bounds: Rect,
    layers: &Layers,
) -> String {
    let (header, y, header_width) = header(model, overlay);
    let diagram_top = y + 28.0;
    let diagram_width = bounds.x1 - bounds.x0;
    let (dx, dy) = (MARGIN - bounds.x0, diagram_top - bounds.y0);
    let content_width = diagram_width.max(header_width).max(560.0);
    let legend_top = diagram_top + (bounds.y1 - bounds.y0) + 32.0;
    let (legend, y) = legend(graph, overlay, content_width, legend_top);
    let width = (content_width + 2.0 * MARGIN).ceil();
    let height = (y + MARGIN + 8.0).ceil();

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#,
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>{}</title>", xml_escape(&model.name));
    out.push_str(r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    out.push('\n');
    out.push_str(&header);
    let _ = writeln!(out, r#"<g transform="translate({} {})">"#, n(dx), n(dy));
    if !layers.domains.is_empty() {
        out.push_str("<g class=\"domains\">\n");
        out.push_str(&layers.domains);
        out.push_str("</g>\n");
    }
    out.push_str("<g class=\"arrows\">\n");
    out.push_str(&layers.lines);
    out.push_str("</g>\n<g class=\"boxes\">\n");
    out.push_str(&layers.boxes);
    out.push_str("</g>\n<g class=\"labels\">\n");
    out.push_str(&layers.labels);
    out.push_str("</g>\n");
    if let Some(marks) = &layers.marks {
        out.push_str("<g class=\"overlay\">\n");
        out.push_str(marks);
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n<g class=\"legend\">\n");
    out.push_str(&legend);
    out.push_str("</g>\n</svg>\n");
    out
}
