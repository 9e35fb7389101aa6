//! How each kind of element looks on the canvas: a shape of its own, its colour, its
//! name and a detail line inside. Shapes come from `diagram::shape`, colours and sizes
//! from `diagram::style` (as in the SVG export), mapped here to egui shapes; sizes are
//! in canvas units and fit the layered layout's box (`diagram::BOX`).

use eframe::egui::{
    self, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2,
    epaint::{RectShape, TextShape},
    text::{LayoutJob, TextFormat, TextWrapping},
};
use egui_graphs::{DisplayNode, DrawContext, NodeProps};
use petgraph::{Directed, stable_graph::DefaultIx};

use super::EdgeInfo;
use super::labels;
use crate::app::theme;
use crate::diagram::shape::{self, Body, LID, LOG_GAP, POINT, Point, TEXT_PAD};
use crate::diagram::style::{self, DETAIL_SIZE, NAME_SIZE};
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
    /// Outside the focus: drawn faint, without its detail line.
    pub faded: bool,
    /// In a collapsed domain: not drawn, not hit.
    pub hidden: bool,
}

/// Half the width and height of a kind's shape (`diagram::style`'s table).
pub fn half_size(kind: ElementKind) -> Vec2 {
    let (x, y) = style::half_size(kind);
    Vec2::new(x, y)
}

/// A vector of the canvas as a point of `diagram::shape`.
pub(super) fn point(v: Vec2) -> Point {
    Point::new(v.x, v.y)
}

/// A point of `diagram::shape` as a vector of the canvas.
pub(super) fn vec2(p: Point) -> Vec2 {
    Vec2::new(p.x, p.y)
}

/// A position on the canvas or the screen as a point of `diagram::shape`.
pub(super) fn point_at(p: Pos2) -> Point {
    Point::new(p.x, p.y)
}

/// A point of `diagram::shape` as a position on the canvas or the screen.
pub(super) fn pos2(p: Point) -> Pos2 {
    Pos2::new(p.x, p.y)
}

/// A kind's outline around `center`, scaled.
fn outline_at(kind: ElementKind, center: Pos2, scale: f32) -> Vec<Pos2> {
    shape::outline(kind, point(half_size(kind)))
        .into_iter()
        .map(|p| center + vec2(p) * scale)
        .collect()
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
        self.pos + vec2(shape::boundary(self.info.kind, point(h), point(dir)))
    }

    fn is_inside(&self, pos: Pos2) -> bool {
        if self.info.hidden {
            return false;
        }
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
        if self.info.hidden {
            return Vec::new();
        }
        let zoom = ctx.meta.zoom;
        let center = ctx.meta.canvas_to_screen_pos(self.pos);
        let h = half_size(self.info.kind) * zoom;
        let visuals = &ctx.ctx.global_style().visuals;
        let dark_mode = visuals.dark_mode;
        let faded = self.info.faded;
        let mut fill = theme::element_color(self.info.kind);
        if faded {
            fill = theme::faded(fill, visuals.extreme_bg_color);
        }
        let stroke = if self.selected || self.dragged {
            Stroke::new(3.0, theme::selection_color(dark_mode))
        } else if faded {
            Stroke::new(1.0, theme::faded(theme::outline_color(dark_mode), fill))
        } else if self.info.has_error {
            Stroke::new(2.5, theme::ERROR)
        } else if self.hovered {
            Stroke::new(2.0, theme::outline_color(dark_mode).gamma_multiply(1.4))
        } else {
            Stroke::new(1.0, theme::outline_color(dark_mode))
        };
        let mut out = Vec::with_capacity(6);
        let rect = Rect::from_center_size(center, h * 2.0);
        match shape::body(self.info.kind) {
            Body::RoundedBox { radius } => {
                out.push(Shape::Rect(RectShape::new(
                    rect,
                    CornerRadius::same((radius * zoom).clamp(0.0, 255.0) as u8),
                    fill,
                    stroke,
                    StrokeKind::Middle,
                )));
            }
            Body::Cylinder | Body::Polygon => {
                let pts = outline_at(self.info.kind, center, zoom);
                out.push(Shape::convex_polygon(pts, fill, stroke));
            }
        }
        let mut text_rect = rect.shrink2(Vec2::new(TEXT_PAD * zoom, 2.0 * zoom));
        match self.info.kind {
            ElementKind::Topic => {
                // The partition log: one cell per partition, up to eight.
                let (x, cells) =
                    shape::partition_log(point_at(center), point(h), zoom, self.info.partitions);
                let line =
                    Stroke::new(1.0, Color32::from_black_alpha(if faded { 30 } else { 110 }));
                out.push(Shape::line_segment(
                    [Pos2::new(x, rect.min.y), Pos2::new(x, rect.max.y)],
                    line,
                ));
                for y in cells {
                    out.push(Shape::line_segment(
                        [Pos2::new(x, y), Pos2::new(rect.max.x, y)],
                        line,
                    ));
                }
                text_rect.max.x = x - LOG_GAP * zoom;
            }
            ElementKind::Store => {
                // The lid's front edge.
                let pts: Vec<Pos2> = shape::lid_front(point(half_size(self.info.kind)))
                    .into_iter()
                    .map(|p| center + vec2(p) * zoom)
                    .collect();
                out.push(Shape::line(pts, stroke));
                text_rect.min.y += LID * zoom;
            }
            ElementKind::Saga | ElementKind::Source => {
                text_rect = text_rect.shrink2(Vec2::new(POINT * 0.5 * zoom, 0.0));
            }
            _ => {}
        }
        out.extend(self.labels(ctx, text_rect, zoom));
        out
    }
}

impl ElementShape {
    /// The name and the detail line, centred, cut with "..." when too long; each at
    /// least `labels::MIN_TEXT_PX` on the screen, or left out where that does not fit
    /// in `rect` (the canvas shows them on hover then).
    fn labels(&self, ctx: &DrawContext, rect: Rect, zoom: f32) -> Vec<Shape> {
        let mut ink = theme::INK_ON_FILL;
        if self.info.faded {
            ink = theme::faded(ink, theme::element_color(self.info.kind));
        }
        let room = (rect.width(), rect.height());
        let Some(name_px) = labels::box_text_px(NAME_SIZE, zoom, room) else {
            return Vec::new();
        };
        let line = |text: &str, px: f32| {
            let mut job = LayoutJob::single_section(
                text.to_owned(),
                TextFormat::simple(FontId::proportional(px), ink),
            );
            job.wrap = TextWrapping {
                max_width: rect.width().max(1.0),
                max_rows: 1,
                break_anywhere: true,
                overflow_character: Some('…'),
            };
            ctx.ctx.fonts_mut(|f| f.layout_job(job))
        };
        let name = line(&self.info.name, name_px);
        let gap = 2.0 * zoom;
        let detail = labels::box_text_px(DETAIL_SIZE, zoom, room)
            .filter(|_| !self.info.faded)
            .map(|px| line(&self.info.detail, px))
            .filter(|d| name.size().y + gap + d.size().y <= rect.height() + 0.5);
        let total = name.size().y + detail.as_ref().map_or(0.0, |d| gap + d.size().y);
        let top = rect.center().y - total / 2.0;
        let cx = rect.center().x;
        let mut out = vec![Shape::Text(TextShape::new(
            Pos2::new(cx - name.size().x / 2.0, top),
            name.clone(),
            ink,
        ))];
        if let Some(detail) = detail {
            out.push(Shape::Text(TextShape::new(
                Pos2::new(cx - detail.size().x / 2.0, top + name.size().y + gap),
                detail,
                ink,
            )));
        }
        out
    }
}

/// A stand-alone painter for a kind's shape, for the palette and the legend.
pub fn paint_icon(painter: &egui::Painter, center: Pos2, scale: f32, kind: ElementKind) {
    painter.add(Shape::convex_polygon(
        outline_at(kind, center, scale),
        theme::element_color(kind),
        Stroke::new(1.0, Color32::from_black_alpha(120)),
    ));
}
