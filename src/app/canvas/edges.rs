//! How each kind of arrow looks: its colour, its line (solid, dashed, dotted), an
//! arrow head, and its label on a plate so crossing lines do not hide it.

use eframe::egui::{
    Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, Vec2,
    epaint::{RectShape, TextShape},
};
use egui_graphs::{DisplayEdge, DisplayNode, DrawContext, EdgeProps, Node};
use petgraph::{Directed, stable_graph::DefaultIx};

use super::nodes::{ElementShape, NodeInfo};
use crate::app::theme;
use crate::diagram::EdgeKind;

/// What the canvas knows of an arrow.
#[derive(Clone, Copy, Debug)]
pub struct EdgeInfo {
    pub kind: EdgeKind,
    /// Sideways shift, in canvas units, so parallel arrows between two boxes (in
    /// either direction) stay apart. Measured to the left of the direction from the
    /// lower-numbered box to the higher.
    pub offset: f32,
}

/// Replies and compensations travel beside their commands: their names only show
/// when the arrow or one of its boxes is selected or hovered, so a saga's fan-out
/// stays readable.
fn quiet(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::Reply | EdgeKind::Compensation)
}

pub use crate::diagram::style::{EDGE_KINDS as ALL_KINDS, Line, edge_label as kind_label};

/// How an arrow kind is drawn: line, width, colour (the exports' table).
pub fn style(kind: EdgeKind) -> (Line, f32, Color32) {
    let (line, width, color) = crate::diagram::style::edge_style(kind);
    (line, width, theme::hex(color))
}

const TIP: f32 = 10.0;
const LABEL_SIZE: f32 = 11.0;

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
    /// The arrow's two ends in canvas units, shifted sideways by its offset.
    fn ends(&self, start: &CanvasNode, end: &CanvasNode) -> Option<(Pos2, Pos2)> {
        let (a, b) = (start.location(), end.location());
        let d = b - a;
        if d.length_sq() < 1e-6 {
            return None;
        }
        let canonical = if start.id() < end.id() { d } else { -d };
        let side = Vec2::new(-canonical.y, canonical.x).normalized() * self.info.offset;
        // Leave each box where the shifted line crosses its outline.
        let from = boundary(start.display(), d, side);
        let to = boundary(end.display(), -d, side);
        Some((from, to))
    }
}

/// Where a line parallel to `dir`, shifted by `side` from the centre, leaves a box
/// (approximately: the centre line's exit, shifted).
fn boundary(shape: &ElementShape, dir: Vec2, side: Vec2) -> Pos2 {
    DisplayNode::<NodeInfo, EdgeInfo, Directed, DefaultIx>::closest_boundary_point(shape, dir)
        + side
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
        let dir = (sb - sa).normalized();
        let tip = TIP * zoom;
        // The line stops at the head's base.
        let base = sb - dir * tip;
        let stroke = Stroke::new(width, color);
        let mut out = Vec::new();
        match line {
            Line::Solid => out.push(Shape::line_segment([sa, base], stroke)),
            Line::Dashed => out.extend(Shape::dashed_line(
                &[sa, base],
                stroke,
                7.0 * zoom,
                4.0 * zoom,
            )),
            Line::Dotted => out.extend(Shape::dotted_line(
                &[sa, base],
                color,
                5.0 * zoom,
                width * 0.6,
            )),
        }
        let perp = Vec2::new(-dir.y, dir.x) * tip * 0.45;
        out.push(Shape::convex_polygon(
            vec![sb, base + perp, base - perp],
            color,
            Stroke::NONE,
        ));
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
        for (i, a) in ALL_KINDS.iter().enumerate() {
            for b in &ALL_KINDS[i + 1..] {
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
