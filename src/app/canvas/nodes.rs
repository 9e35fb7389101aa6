//! How each kind of element looks on the canvas: a shape of its own, its colour, its
//! name and a detail line inside. Sizes are in canvas units and fit the layered
//! layout's box (`diagram::BOX`).

use eframe::egui::{
    self, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2,
    epaint::{RectShape, TextShape},
    text::{LayoutJob, TextFormat, TextWrapping},
};
use egui_graphs::{DisplayNode, DrawContext, NodeProps};
use petgraph::{Directed, stable_graph::DefaultIx};

use super::EdgeInfo;
use crate::app::theme;
use crate::model::ElementKind;

/// What the canvas knows of a box.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub kind: ElementKind,
    pub name: String,
    /// The second line: "6 partitions", "2 × 4 workers"…
    pub detail: String,
    /// Topics draw one stripe per partition (up to a few).
    pub partitions: u32,
    /// The element has a validation error: outlined in red.
    pub has_error: bool,
}

/// Half the width and height of a kind's shape (the exports' table).
pub fn half_size(kind: ElementKind) -> Vec2 {
    let (x, y) = crate::diagram::style::half_size(kind);
    Vec2::new(x, y)
}

const NAME_SIZE: f32 = 14.0;
const DETAIL_SIZE: f32 = 11.0;
/// Width of a topic's partition log, at its right end.
const LOG_WIDTH: f32 = 22.0;
/// How far a saga's or a source's point reaches in from the box.
const POINT: f32 = 12.0;
/// Height of a store's top ellipse.
const LID: f32 = 6.0;

/// The outline of a kind's shape around the origin, as a convex polygon.
fn outline(kind: ElementKind, h: Vec2) -> Vec<Vec2> {
    let (x, y) = (h.x, h.y);
    match kind {
        ElementKind::Saga => vec![
            Vec2::new(-x, 0.0),
            Vec2::new(-x + POINT, -y),
            Vec2::new(x - POINT, -y),
            Vec2::new(x, 0.0),
            Vec2::new(x - POINT, y),
            Vec2::new(-x + POINT, y),
        ],
        ElementKind::Source => vec![
            Vec2::new(-x, -y),
            Vec2::new(x - POINT, -y),
            Vec2::new(x, 0.0),
            Vec2::new(x - POINT, y),
            Vec2::new(-x, y),
        ],
        ElementKind::Projection => vec![
            Vec2::new(-x + 10.0, -y),
            Vec2::new(x, -y),
            Vec2::new(x - 10.0, y),
            Vec2::new(-x, y),
        ],
        ElementKind::Store => {
            // Cylinder: the top half of the lid, the sides, the bottom half-ellipse.
            let mut pts = Vec::new();
            let steps = 12;
            for i in 0..=steps {
                let a = std::f32::consts::PI * (1.0 + i as f32 / steps as f32);
                pts.push(Vec2::new(x * a.cos(), -y + LID + LID * a.sin()));
            }
            for i in 0..=steps {
                let a = std::f32::consts::PI * (i as f32 / steps as f32);
                pts.push(Vec2::new(x * a.cos(), y - LID + LID * a.sin()));
            }
            pts
        }
        _ => vec![
            Vec2::new(-x, -y),
            Vec2::new(x, -y),
            Vec2::new(x, y),
            Vec2::new(-x, y),
        ],
    }
}

/// Where a ray from the centre in direction `dir` leaves a convex polygon.
fn ray_exit(poly: &[Vec2], dir: Vec2) -> Vec2 {
    let d = if dir.length_sq() > 0.0 {
        dir.normalized()
    } else {
        Vec2::X
    };
    let mut best = f32::INFINITY;
    for i in 0..poly.len() {
        let a = poly[i];
        let b = poly[(i + 1) % poly.len()];
        let e = b - a;
        let denom = d.x * e.y - d.y * e.x;
        if denom.abs() < 1e-6 {
            continue;
        }
        // Solve t*d = a + s*e.
        let t = (a.x * e.y - a.y * e.x) / denom;
        let s = (a.x * d.y - a.y * d.x) / denom;
        if t > 0.0 && (-1e-4..=1.0 + 1e-4).contains(&s) {
            best = best.min(t);
        }
    }
    if best.is_finite() {
        d * best
    } else {
        Vec2::ZERO
    }
}

/// A box on the canvas.
#[derive(Clone, Debug)]
pub struct ElementShape {
    pos: Pos2,
    info: NodeInfo,
    selected: bool,
    dragged: bool,
    hovered: bool,
}

impl From<NodeProps<NodeInfo>> for ElementShape {
    fn from(p: NodeProps<NodeInfo>) -> Self {
        Self {
            pos: p.location(),
            info: p.payload.clone(),
            selected: p.selected,
            dragged: p.dragged,
            hovered: p.hovered,
        }
    }
}

impl DisplayNode<NodeInfo, EdgeInfo, Directed, DefaultIx> for ElementShape {
    fn closest_boundary_point(&self, dir: Vec2) -> Pos2 {
        let h = half_size(self.info.kind);
        self.pos + ray_exit(&outline(self.info.kind, h), dir)
    }

    fn is_inside(&self, pos: Pos2) -> bool {
        let h = half_size(self.info.kind);
        Rect::from_center_size(self.pos, h * 2.0).contains(pos)
    }

    fn update(&mut self, p: &NodeProps<NodeInfo>) {
        self.pos = p.location();
        self.info = p.payload.clone();
        self.selected = p.selected;
        self.dragged = p.dragged;
        self.hovered = p.hovered;
    }

    fn shapes(&mut self, ctx: &DrawContext) -> Vec<Shape> {
        let zoom = ctx.meta.zoom;
        let center = ctx.meta.canvas_to_screen_pos(self.pos);
        let h = half_size(self.info.kind) * zoom;
        let fill = theme::element_color(self.info.kind);
        let dark_mode = ctx.ctx.global_style().visuals.dark_mode;
        let stroke = if self.selected || self.dragged {
            Stroke::new(3.0, theme::selection_color(dark_mode))
        } else if self.info.has_error {
            Stroke::new(2.5, theme::ERROR)
        } else if self.hovered {
            Stroke::new(2.0, theme::outline_color(dark_mode).gamma_multiply(1.4))
        } else {
            Stroke::new(1.0, theme::outline_color(dark_mode))
        };
        let mut out = Vec::with_capacity(6);
        let rect = Rect::from_center_size(center, h * 2.0);
        match self.info.kind {
            ElementKind::Service | ElementKind::Topic | ElementKind::Event => {
                let radius = if self.info.kind == ElementKind::Service {
                    9.0
                } else {
                    2.0
                };
                out.push(Shape::Rect(RectShape::new(
                    rect,
                    CornerRadius::same((radius * zoom).clamp(0.0, 255.0) as u8),
                    fill,
                    stroke,
                    StrokeKind::Middle,
                )));
            }
            kind => {
                let pts: Vec<Pos2> = outline(kind, half_size(kind))
                    .into_iter()
                    .map(|v| center + v * zoom)
                    .collect();
                out.push(Shape::convex_polygon(pts, fill, stroke));
            }
        }
        let mut text_rect = rect.shrink2(Vec2::new(5.0 * zoom, 2.0 * zoom));
        match self.info.kind {
            ElementKind::Topic => {
                // The partition log: one cell per partition, up to eight.
                let log = Rect::from_min_max(
                    Pos2::new(rect.max.x - LOG_WIDTH * zoom, rect.min.y),
                    rect.max,
                );
                let line = Stroke::new(1.0, Color32::from_black_alpha(110));
                out.push(Shape::line_segment(
                    [log.left_top(), log.left_bottom()],
                    line,
                ));
                let cells = self.info.partitions.clamp(1, 8);
                for i in 1..cells {
                    let y = log.min.y + log.height() * i as f32 / cells as f32;
                    out.push(Shape::line_segment(
                        [Pos2::new(log.min.x, y), Pos2::new(log.max.x, y)],
                        line,
                    ));
                }
                text_rect.max.x = log.min.x - 2.0 * zoom;
            }
            ElementKind::Store => {
                // The lid's front edge.
                let pts: Vec<Pos2> = (0..=12)
                    .map(|i| {
                        let a = std::f32::consts::PI * (i as f32 / 12.0);
                        center + Vec2::new(h.x * a.cos(), -h.y + (LID + LID * a.sin()) * zoom)
                    })
                    .collect();
                out.push(Shape::line(pts, stroke));
                text_rect.min.y += LID * zoom;
            }
            ElementKind::Saga | ElementKind::Source => {
                text_rect = text_rect.shrink2(Vec2::new(POINT * 0.5 * zoom, 0.0));
            }
            _ => {}
        }
        if NAME_SIZE * zoom >= 4.0 {
            out.extend(self.labels(ctx, text_rect, zoom));
        }
        out
    }
}

impl ElementShape {
    /// The name and the detail line, centred, cut with "..." when too long.
    fn labels(&self, ctx: &DrawContext, rect: Rect, zoom: f32) -> Vec<Shape> {
        let ink = theme::INK_ON_FILL;
        let line = |text: &str, size: f32| {
            let mut job = LayoutJob::single_section(
                text.to_owned(),
                TextFormat::simple(FontId::proportional(size * zoom), ink),
            );
            job.wrap = TextWrapping {
                max_width: rect.width().max(1.0),
                max_rows: 1,
                break_anywhere: true,
                overflow_character: Some('…'),
            };
            ctx.ctx.fonts_mut(|f| f.layout_job(job))
        };
        let name = line(&self.info.name, NAME_SIZE);
        let detail = line(&self.info.detail, DETAIL_SIZE);
        let gap = 2.0 * zoom;
        let total = name.size().y + gap + detail.size().y;
        let top = rect.center().y - total / 2.0;
        let cx = rect.center().x;
        vec![
            Shape::Text(TextShape::new(
                Pos2::new(cx - name.size().x / 2.0, top),
                name.clone(),
                ink,
            )),
            Shape::Text(TextShape::new(
                Pos2::new(cx - detail.size().x / 2.0, top + name.size().y + gap),
                detail,
                ink,
            )),
        ]
    }
}

/// A stand-alone painter for a kind's shape, for the palette and the legend.
pub fn paint_icon(painter: &egui::Painter, center: Pos2, scale: f32, kind: ElementKind) {
    let pts: Vec<Pos2> = outline(kind, half_size(kind))
        .into_iter()
        .map(|v| center + v * scale)
        .collect();
    painter.add(Shape::convex_polygon(
        pts,
        theme::element_color(kind),
        Stroke::new(1.0, Color32::from_black_alpha(120)),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rays_leave_every_outline_on_its_boundary() {
        for kind in crate::app::commands::ADDABLE {
            let h = half_size(kind);
            let poly = outline(kind, h);
            for i in 0..16 {
                let a = i as f32 / 16.0 * std::f32::consts::TAU;
                let p = ray_exit(&poly, Vec2::angled(a));
                assert!(p.length() > 0.0, "{kind:?} at {a}");
                assert!(
                    p.x.abs() <= h.x + 0.01 && p.y.abs() <= h.y + 0.01,
                    "{kind:?}: {p:?} outside {h:?}"
                );
            }
            // Straight right reaches the right end (the point, for sagas and sources;
            // a projection's slanted side is crossed half-way).
            let right = if kind == ElementKind::Projection {
                h.x - 5.0
            } else {
                h.x
            };
            assert!(
                (ray_exit(&poly, Vec2::X).x - right).abs() < 0.01,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn every_shape_fits_the_layout_box() {
        let (w, h) = crate::diagram::BOX;
        for kind in crate::app::commands::ADDABLE {
            let s = half_size(kind) * 2.0;
            assert!(s.x <= w as f32 && s.y <= h as f32, "{kind:?}");
        }
    }
}
