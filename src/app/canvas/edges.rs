//! How each kind of arrow looks: its colour, its line (solid, dashed, dotted), an
//! arrow head, and its label on a plate so crossing lines do not hide it. Where arrows
//! start and end and their heads come from `diagram::shape`, their look from
//! `diagram::style`.

use eframe::egui::{
    Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, Vec2,
    epaint::{RectShape, TextShape},
};
use egui_graphs::{DisplayEdge, DrawContext, EdgeProps, Node};
use petgraph::{Directed, stable_graph::DefaultIx};

use super::nodes::{ElementShape, NodeInfo, half_size, point, point_at, pos2};
use crate::app::theme;
use crate::diagram::EdgeKind;
use crate::diagram::shape::{self, TIP};
use crate::diagram::style::{self, DASH, DASH_GAP, DOT_GAP, LABEL_SIZE, Line, quiet};

/// What the canvas knows of an arrow.
#[derive(Clone, Copy, Debug)]
pub struct EdgeInfo {
    pub kind: EdgeKind,
    /// Sideways shift, in canvas units, so parallel arrows between two boxes (in
    /// either direction) stay apart. Measured to the left of the direction from the
    /// lower-numbered box to the higher.
    pub offset: f32,
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
        let Some((a, b)) = self.ends(start, end) else {
            return Vec::new();
        };
        let zoom = ctx.meta.zoom;
        let (line, width, mut color) = style(self.info.kind);
        let dark_mode = ctx.ctx.global_style().visuals.dark_mode;
        let width = if self.selected { width + 1.5 } else { width } * zoom.max(0.5);
        if self.selected {
            color = theme::selection_color(dark_mode);
        }
        let (sa, sb) = (
            ctx.meta.canvas_to_screen_pos(a),
            ctx.meta.canvas_to_screen_pos(b),
        );
        // The line stops at the head's base.
        let head = shape::arrow_head(point_at(sa), point_at(sb), TIP * zoom);
        let base = pos2(head.base);
        let stroke = Stroke::new(width, color);
        let mut out = Vec::new();
        match line {
            Line::Solid => out.push(Shape::line_segment([sa, base], stroke)),
            Line::Dashed => out.extend(Shape::dashed_line(
                &[sa, base],
                stroke,
                DASH * zoom,
                DASH_GAP * zoom,
            )),
            Line::Dotted => out.extend(Shape::dotted_line(
                &[sa, base],
                color,
                DOT_GAP * zoom,
                width * 0.6,
            )),
        }
        let [w0, w1] = head.wings.map(pos2);
        out.push(Shape::convex_polygon(vec![sb, w0, w1], color, Stroke::NONE));
        let emphasised = self.selected
            || [start, end]
                .iter()
                .any(|n| n.props().selected || n.props().hovered || n.props().dragged);
        let show_label = !quiet(self.info.kind) || emphasised;
        if show_label && !self.label.is_empty() && LABEL_SIZE * zoom >= 4.5 {
            out.extend(self.label_shapes(ctx, sa, base, color, zoom));
        }
        out
    }

    fn update(&mut self, p: &EdgeProps<EdgeInfo>) {
        self.info = p.payload;
        self.label.clone_from(&p.label);
        self.selected = p.selected;
    }

    fn is_inside(&self, start: &CanvasNode, end: &CanvasNode, pos: Pos2) -> bool {
        let Some((a, b)) = self.ends(start, end) else {
            return false;
        };
        distance_to_segment(pos, a, b) <= 5.0
    }

    fn extra_bounds(&self, start: &CanvasNode, end: &CanvasNode) -> Option<(Pos2, Pos2)> {
        let (a, b) = self.ends(start, end)?;
        Some((a.min(b), a.max(b)))
    }
}

impl ArrowShape {
    fn label_shapes(
        &self,
        ctx: &DrawContext,
        a: Pos2,
        b: Pos2,
        color: Color32,
        zoom: f32,
    ) -> Vec<Shape> {
        let dark_mode = ctx.ctx.global_style().visuals.dark_mode;
        let ink = if dark_mode {
            color.gamma_multiply(1.3)
        } else {
            color.gamma_multiply(0.8)
        };
        let galley = ctx.ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                self.label.clone(),
                FontId::proportional(LABEL_SIZE * zoom),
                ink,
            )
        });
        // Labels of parallel arrows sit at different points along their line.
        let t = (0.5 + self.info.offset / 40.0).clamp(0.2, 0.8);
        let at = a + (b - a) * t;
        let rect = Rect::from_center_size(at, galley.size() + Vec2::splat(4.0 * zoom));
        let plate = ctx
            .ctx
            .global_style()
            .visuals
            .extreme_bg_color
            .gamma_multiply(0.85);
        vec![
            Shape::Rect(RectShape::filled(rect, CornerRadius::same(3), plate)),
            Shape::Text(TextShape::new(
                rect.min + Vec2::splat(2.0 * zoom),
                galley,
                ink,
            )),
        ]
    }
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    (a + ab * t - p).length()
}

#[cfg(test)]
mod tests {
    use super::*;

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
