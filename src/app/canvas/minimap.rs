//! The minimap: while part of the diagram is out of view, a small picture of all of
//! it in the canvas's bottom-right corner — its domains' frames (the collapsed ones
//! filled) and, for a diagram of up to [`DOTS_UP_TO`] boxes, every box as a dot — with
//! the part in view outlined. A click or a drag on it moves the view there.

use eframe::egui::{self, Pos2, Rect, Sense, Stroke, Vec2};
use egui_graphs::MetadataFrame;

use super::Canvas;
use crate::app::theme;
use crate::diagram::shape;

/// The minimap's largest size on the screen.
const SIZE: Vec2 = Vec2::new(200.0, 140.0);
/// Room between it and the canvas's edges.
const MARGIN: f32 = 10.0;
/// Boxes are drawn as dots for diagrams up to this many boxes (beyond, only the
/// domains' frames).
pub const DOTS_UP_TO: usize = 2_000;

impl Canvas {
    /// The boxes have moved to `at` (their centres, in node order): place the
    /// domains' frames and take the diagram's bounds again.
    pub(super) fn placed(&mut self, at: &[Pos2]) {
        let boxes: Vec<shape::Rect> = self
            .arch
            .nodes
            .iter()
            .zip(at)
            .map(|(n, p)| {
                let (hw, hh) = crate::diagram::style::half_size(n.element.kind);
                shape::Rect::centred(p.x, p.y, hw, hh)
            })
            .collect();
        self.domains.place(&boxes);
        let frames = self.domains.frames.iter().map(|f| f.rect);
        let all = boxes
            .iter()
            .copied()
            .chain(frames)
            .reduce(|a, b| a.union(&b));
        self.bounds = all.map(|r| Rect::from_min_max(Pos2::new(r.x0, r.y0), Pos2::new(r.x1, r.y1)));
        self.at = at.to_vec();
    }

    /// The diagram's bounds in canvas units, as of the boxes' last positions.
    pub fn diagram_bounds(&self) -> Option<Rect> {
        self.bounds.filter(Rect::is_positive)
    }

    /// Draw the minimap in `area` (the canvas on the screen) for the view `meta`,
    /// if part of the diagram is out of view; a click or drag on it asks for the view
    /// to be moved there on the next frame.
    pub(super) fn minimap(&mut self, ui: &mut egui::Ui, area: Rect, meta: &MetadataFrame) {
        let Some(bounds) = self.diagram_bounds() else {
            return;
        };
        let to_canvas = |p: Pos2| meta.screen_to_canvas_pos(p - area.min.to_vec2());
        let seen = Rect::from_min_max(to_canvas(area.min), to_canvas(area.max));
        if seen.contains_rect(bounds) || area.width() < 3.0 * SIZE.x {
            return;
        }
        let scale = (SIZE.x / bounds.width()).min(SIZE.y / bounds.height());
        let size = bounds.size() * scale;
        let rect = Rect::from_min_size(area.max - size - Vec2::splat(MARGIN), size);
        let to_map = |p: Pos2| rect.min + (p - bounds.min) * scale;
        let response = ui.interact(rect, ui.id().with("minimap"), Sense::click_and_drag());
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "Minimap"));
        if let Some(p) = response.interact_pointer_pos()
            && (response.clicked() || response.dragged())
        {
            self.look_at = Some(bounds.min + (p - rect.min) / scale);
            ui.ctx().request_repaint();
        }
        let visuals = ui.visuals();
        let painter = ui.painter_at(rect.expand(2.0));
        let ink = visuals.widgets.noninteractive.fg_stroke.color;
        painter.rect(
            rect.expand(1.0),
            3.0,
            visuals.extreme_bg_color.gamma_multiply(0.95),
            Stroke::new(1.0, ink.gamma_multiply(0.5)),
            egui::StrokeKind::Outside,
        );
        for (f, collapsed) in self.domains.frames.iter().zip(&self.domains.collapsed) {
            let r = Rect::from_min_max(
                to_map(Pos2::new(f.rect.x0, f.rect.y0)),
                to_map(Pos2::new(f.rect.x1, f.rect.y1)),
            );
            let fill = if *collapsed {
                ink.gamma_multiply(0.25)
            } else {
                egui::Color32::TRANSPARENT
            };
            painter.rect(
                r,
                1.0,
                fill,
                Stroke::new(1.0, ink.gamma_multiply(0.5)),
                egui::StrokeKind::Inside,
            );
        }
        if self.at.len() <= DOTS_UP_TO {
            for (i, p) in self.at.iter().enumerate() {
                let color = theme::element_color(self.arch.nodes[i].element.kind);
                painter.rect_filled(
                    Rect::from_center_size(to_map(*p), Vec2::splat(2.0)),
                    0.0,
                    color,
                );
            }
        }
        let view = Rect::from_min_max(to_map(seen.min), to_map(seen.max)).intersect(rect);
        painter.rect_stroke(
            view,
            1.0,
            Stroke::new(1.5, theme::selection_color(visuals.dark_mode)),
            egui::StrokeKind::Inside,
        );
    }

    /// The canvas point in the middle of the view, as of the last frame.
    pub fn view_centre(&self) -> Option<Pos2> {
        let (zoom, pan, _) = self.view?;
        Some(((self.size / 2.0 - pan) / zoom).to_pos2())
    }

    /// Move the view so that the point a minimap click asked for is in its middle;
    /// returns whether it did.
    pub(super) fn look(&mut self, meta: &mut MetadataFrame, size: Vec2) -> bool {
        let Some(at) = self.look_at.take() else {
            return false;
        };
        meta.pan = size / 2.0 - at.to_vec2() * meta.zoom;
        if let Some((_, panned)) = &mut self.last_fit {
            *panned = true;
        }
        true
    }
}
