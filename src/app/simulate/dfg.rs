//! The directly-follows graph of the emergent process, drawn: activities as boxes
//! (with how often they happened), hand-offs as arrows as thick as they are frequent,
//! those the model does not have in red. Laid out by the same layered layout as the
//! diagram, in a scene that zooms (Ctrl+wheel, pinch) and pans (wheel, drag) as the
//! canvas does. Text follows the canvas's rule ([`labels`]): never under 11 points on
//! the screen, hidden where it does not fit; every box and arrow names itself and its
//! count in a tooltip.

use eframe::egui::{self, Color32, FontId, Pos2, Rect, Stroke, Vec2};

use crate::analysis::process::{Flow, Process};
use crate::app::canvas::labels;
use crate::app::theme;
use crate::diagram::{ArchGraph, Edge, EdgeKind, Node, layout};
use crate::model::{ElementKind, ElementRef, Pos};

/// Where each activity goes, in layout units.
pub fn place(process: &Process) -> Vec<Pos> {
    let graph = ArchGraph {
        nodes: process
            .activities
            .iter()
            .map(|a| Node {
                element: ElementRef::new(ElementKind::Service, &a.name),
                detail: String::new(),
                pos: None,
            })
            .collect(),
        edges: process
            .flows
            .iter()
            .map(|f| Edge {
                from: f.from,
                to: f.to,
                kind: EdgeKind::Publish,
                label: String::new(),
            })
            .collect(),
    };
    layout(&graph)
}

/// Layout units to scene points, across and down (boxes keep their size).
const SCALE: Vec2 = Vec2::new(0.75, 0.65);
/// Half a box, in scene points.
const HALF: Vec2 = Vec2::new(62.0, 22.0);
/// The text's own size in scene points: the name, the count in a box, on an arrow.
const NAME_SIZE: f32 = 10.0;
const COUNT_SIZE: f32 = 9.0;
const FLOW_SIZE: f32 = 10.0;
/// egui's proportional line height for a font size.
const LINE: f32 = 1.2;
/// How near the pointer must be to an arrow, in screen points, for its tooltip.
const HOVER_PX: f32 = 5.0;

/// What of a box's text is drawn at a zoom: the name's size on the screen and its
/// rows, and the count's size; `None`: hidden (the tooltip has it).
#[derive(Debug, PartialEq)]
struct BoxText {
    name: Option<(f32, usize)>,
    count: Option<f32>,
}

impl BoxText {
    fn at(zoom: f32) -> Self {
        let room = ((HALF.x * 2.0 - 6.0) * zoom, HALF.y * 2.0 * zoom);
        let Some(name) = labels::box_text_px(NAME_SIZE, zoom, room) else {
            return Self {
                name: None,
                count: None,
            };
        };
        let count = (COUNT_SIZE * zoom).max(labels::MIN_TEXT_PX);
        let fits = |rows: f32, count: f32| rows * name * LINE + count * LINE <= room.1 + 0.5;
        Self {
            name: Some((name, if fits(2.0, count) { 2 } else { 1 })),
            count: fits(1.0, count).then_some(count),
        }
    }
}

/// The size an arrow's count is drawn at on the screen, or `None` where its plate
/// would take more than half of the arrow's `length` on the screen.
fn flow_text_px(zoom: f32, plate_width_px: f32, length_px: f32) -> Option<f32> {
    let px = (FLOW_SIZE * zoom).max(labels::MIN_TEXT_PX);
    (plate_width_px <= length_px * 0.5).then_some(px)
}

/// The graph in a zoomable, pannable scene; `scene` is the part in view (`None`: the
/// whole graph, fitted to the window). Where each activity's box went on the screen.
pub fn dfg_ui(
    ui: &mut egui::Ui,
    process: &Process,
    places: &[Pos],
    scene: &mut Option<Rect>,
) -> Vec<Rect> {
    if places.is_empty() {
        return Vec::new();
    }
    let min = places.iter().fold(Pos2::new(f32::MAX, f32::MAX), |lo, p| {
        Pos2::new(lo.x.min(p.x), lo.y.min(p.y))
    });
    let max = places.iter().fold(Pos2::new(f32::MIN, f32::MIN), |hi, p| {
        Pos2::new(hi.x.max(p.x), hi.y.max(p.y))
    });
    let size = (max - min) * SCALE + HALF * 2.0 + Vec2::splat(40.0);
    if scene.is_none() {
        // The scene fits itself to what this frame draws; draw it once more, fitted.
        ui.ctx().request_repaint();
    }
    // An empty rectangle makes the scene fit its contents.
    let mut view = scene.unwrap_or(Rect::ZERO);
    let mut boxes = Vec::with_capacity(process.activities.len());
    egui::Scene::new()
        .zoom_range(0.1..=2.0)
        .show(ui, &mut view, |ui| {
            let to_screen = ui
                .ctx()
                .layer_transform_to_global(ui.layer_id())
                .filter(|t| t.scaling.is_finite() && t.scaling > 0.0)
                .unwrap_or_default();
            let (rect, background) = ui.allocate_exact_size(size, egui::Sense::hover());
            let drawing = Drawing {
                process,
                places,
                min,
                origin: rect.min + Vec2::splat(20.0) + HALF,
                zoom: to_screen.scaling,
                dark: ui.visuals().dark_mode,
                top_count: process
                    .flows
                    .iter()
                    .map(|f| f.count)
                    .max()
                    .unwrap_or(1)
                    .max(1),
            };
            let painter = ui.painter_at(rect);
            let pointer = ui
                .input(|i| i.pointer.hover_pos())
                .map(|p| to_screen.inverse() * p);
            let mut near = None;
            for f in &process.flows {
                if drawing.flow(ui, &painter, f, pointer) {
                    near = Some(f);
                }
            }
            if let Some(f) = near {
                background.on_hover_ui_at_pointer(|ui| drawing.flow_tooltip(ui, f));
            }
            for i in 0..process.activities.len() {
                let r = drawing.activity(ui, &painter, i);
                boxes.push(to_screen * r);
            }
        });
    *scene = Some(view);
    boxes
}

/// One frame's drawing of the graph, in scene points.
struct Drawing<'a> {
    process: &'a Process,
    places: &'a [Pos],
    min: Pos2,
    /// Where the first activity's centre goes.
    origin: Pos2,
    /// Screen points per scene point.
    zoom: f32,
    dark: bool,
    /// The most frequent hand-off's count (arrows are as thick as they are frequent).
    top_count: u64,
}

impl Drawing<'_> {
    fn at(&self, i: usize) -> Pos2 {
        let p = self.places[i];
        self.origin + (Pos2::new(p.x, p.y) - self.min) * SCALE
    }

    fn flow_color(&self, f: &Flow) -> Color32 {
        if f.unmodelled {
            theme::ERROR
        } else if self.dark {
            Color32::from_gray(170)
        } else {
            Color32::from_gray(90)
        }
    }

    /// Draw one hand-off; is the `pointer` (scene points) on it?
    fn flow(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        f: &Flow,
        pointer: Option<Pos2>,
    ) -> bool {
        let width = 1.0 + 4.0 * (f.count as f32).ln_1p() / (self.top_count as f32).ln_1p();
        let color = self.flow_color(f);
        let (a, b) = (self.at(f.from), self.at(f.to));
        let near = |d: f32| d * self.zoom <= HOVER_PX + width * self.zoom / 2.0;
        if f.from == f.to {
            let c = a - Vec2::new(0.0, HALF.y + 8.0);
            painter.circle_stroke(c, 8.0, Stroke::new(width, color));
            return pointer.is_some_and(|p| near((p.distance(c) - 8.0).abs()));
        }
        let dir = (b - a).normalized();
        // Leave the boxes where the line crosses their outline.
        let exit = |c: Pos2, d: Vec2| {
            let t = (HALF.x / d.x.abs().max(1e-3)).min(HALF.y / d.y.abs().max(1e-3));
            c + d * t
        };
        let (s, e) = (exit(a, dir), exit(b, -dir));
        let tip = e - dir * 8.0;
        painter.line_segment([s, tip], Stroke::new(width, color));
        let n = Vec2::new(-dir.y, dir.x) * 4.5;
        painter.add(egui::Shape::convex_polygon(
            vec![e, tip + n, tip - n],
            color,
            Stroke::NONE,
        ));
        self.flow_count(ui, painter, f, [s, tip], color);
        pointer.is_some_and(|p| near(distance_to_segment(p, s, tip)))
    }

    /// An arrow's count on a plate at its middle, where it fits.
    fn flow_count(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        f: &Flow,
        [s, tip]: [Pos2; 2],
        color: Color32,
    ) {
        let font = |px: f32| FontId::proportional(px / self.zoom);
        let text = f.count.to_string();
        let px = (FLOW_SIZE * self.zoom).max(labels::MIN_TEXT_PX);
        let galley = painter.layout_no_wrap(text, font(px), color);
        let plate_px = (galley.size().x + 4.0 / self.zoom) * self.zoom;
        if flow_text_px(self.zoom, plate_px, s.distance(tip) * self.zoom).is_none() {
            return;
        }
        let pad = Vec2::splat(2.0 / self.zoom);
        let plate = Rect::from_center_size(s + (tip - s) * 0.5, galley.size() + pad * 2.0);
        painter.rect_filled(plate, 2.0 / self.zoom, ui.visuals().extreme_bg_color);
        painter.galley(plate.min + pad, galley, color);
    }

    fn flow_tooltip(&self, ui: &mut egui::Ui, f: &Flow) {
        let name = |i: usize| self.process.activities[i].name.as_str();
        ui.label(egui::RichText::new(format!("{} → {}", name(f.from), name(f.to))).strong());
        ui.label(format!("directly followed {} times", f.count));
        if f.unmodelled {
            ui.label(egui::RichText::new("not a hand-off of the model").color(theme::ERROR));
        }
    }

    /// Draw the box of activity `i` with as much of its text as is readable, and name
    /// it (for the tooltip and the accessibility tree); its box, in scene points.
    fn activity(&self, ui: &egui::Ui, painter: &egui::Painter, i: usize) -> Rect {
        let a = &self.process.activities[i];
        let c = self.at(i);
        let r = Rect::from_center_size(c, HALF * 2.0);
        painter.rect(
            r,
            5.0,
            activity_fill(&a.name),
            Stroke::new(1.0, theme::outline_color(self.dark)),
            egui::StrokeKind::Middle,
        );
        let text = BoxText::at(self.zoom);
        if let Some((px, rows)) = text.name {
            let mut job = egui::text::LayoutJob::single_section(
                a.name.clone(),
                egui::TextFormat::simple(FontId::proportional(px / self.zoom), theme::INK_ON_FILL),
            );
            job.wrap = egui::text::TextWrapping {
                max_width: r.width() - 6.0,
                max_rows: rows,
                break_anywhere: false,
                overflow_character: Some('…'),
            };
            let galley = painter.ctx().fonts_mut(|f| f.layout_job(job));
            let top = if text.count.is_some() {
                r.top() + 2.0
            } else {
                c.y - galley.size().y / 2.0
            };
            painter.galley(
                Pos2::new(c.x - galley.size().x / 2.0, top),
                galley,
                theme::INK_ON_FILL,
            );
        }
        if let Some(px) = text.count {
            painter.text(
                Pos2::new(c.x, r.bottom() - 2.0),
                egui::Align2::CENTER_BOTTOM,
                format!("×{}", a.count),
                FontId::proportional(px / self.zoom),
                theme::INK_ON_FILL,
            );
        }
        let label = format!("{} ×{}", a.name, a.count);
        let response = ui.interact(r, ui.id().with(("dfg activity", i)), egui::Sense::hover());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, &label));
        response.on_hover_text_at_pointer(format!("{}\nhappened {} times", a.name, a.count));
        r
    }
}

/// A saga's steps in the saga's colour, the ways an item is lost in red.
fn activity_fill(name: &str) -> Color32 {
    if name.contains(':') {
        theme::element_color(ElementKind::Saga)
    } else if ["dead-lettered", "given up", "rejected", "expired"]
        .iter()
        .any(|w| name.contains(w))
    {
        theme::ERROR.gamma_multiply(0.8)
    } else {
        theme::element_color(ElementKind::Service)
    }
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_text_is_never_under_eleven_points_and_drops_the_count_before_the_name() {
        // 1:1: a 124×44 box holds a two-row name at 11 points and the count.
        assert_eq!(
            BoxText::at(1.0),
            BoxText {
                name: Some((11.0, 2)),
                count: Some(11.0)
            }
        );
        // Half size (62×22 on the screen): one row of name, no count.
        assert_eq!(
            BoxText::at(0.5),
            BoxText {
                name: Some((11.0, 1)),
                count: None
            }
        );
        // Too small for an 11-point line: nothing (the tooltip has it).
        assert_eq!(
            BoxText::at(0.2),
            BoxText {
                name: None,
                count: None
            }
        );
        // Zoomed in: its own size.
        assert_eq!(BoxText::at(2.0).name, Some((20.0, 2)));
        for zoom in [0.1, 0.25, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0] {
            let t = BoxText::at(zoom);
            for px in t.name.map(|n| n.0).into_iter().chain(t.count) {
                assert!(labels::readable_px(px), "{px} at {zoom}");
            }
        }
    }

    #[test]
    fn an_arrow_count_is_drawn_only_where_its_plate_fits_half_the_arrow() {
        assert_eq!(flow_text_px(0.5, 20.0, 60.0), Some(11.0));
        assert_eq!(flow_text_px(2.0, 20.0, 60.0), Some(20.0));
        assert_eq!(flow_text_px(0.5, 40.0, 60.0), None);
    }

    #[test]
    fn the_distance_to_an_arrow_is_to_its_nearest_point() {
        let (a, b) = (Pos2::new(0.0, 0.0), Pos2::new(10.0, 0.0));
        assert_eq!(distance_to_segment(Pos2::new(5.0, 3.0), a, b), 3.0);
        assert_eq!(distance_to_segment(Pos2::new(-4.0, 3.0), a, b), 5.0);
    }
}
