//! The directly-follows graph of the emergent process, drawn: activities as boxes
//! (with how often they happened), hand-offs as arrows as thick as they are frequent,
//! those the model does not have in red. Laid out by the same layered layout as the
//! diagram.

use eframe::egui::{self, Color32, FontId, Pos2, Rect, Stroke, Vec2};

use crate::analysis::process::Process;
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

/// Layout units to points, across and down (boxes keep their size).
const SCALE: Vec2 = Vec2::new(0.75, 0.65);
/// Half a box, in points.
const HALF: Vec2 = Vec2::new(62.0, 22.0);

/// The graph in a zoomable, pannable scene; `scene` is the part in view (`None`: the
/// whole graph, fitted to the window).
pub fn dfg_ui(ui: &mut egui::Ui, process: &Process, places: &[Pos], scene: &mut Option<Rect>) {
    if places.is_empty() {
        return;
    }
    let (min, max) = places.iter().fold(
        (Pos2::new(f32::MAX, f32::MAX), Pos2::new(f32::MIN, f32::MIN)),
        |(lo, hi), p| {
            (
                Pos2::new(lo.x.min(p.x), lo.y.min(p.y)),
                Pos2::new(hi.x.max(p.x), hi.y.max(p.y)),
            )
        },
    );
    let size = (max - min) * SCALE + HALF * 2.0 + Vec2::splat(40.0);
    // An empty rectangle makes the scene fit its contents.
    let mut view = scene.unwrap_or(Rect::ZERO);
    egui::Scene::new()
        .zoom_range(0.1..=2.0)
        .show(ui, &mut view, |ui| {
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            let painter = ui.painter_at(rect);
            let at = |i: usize| {
                let p = places[i];
                rect.min + Vec2::splat(20.0) + HALF + (Pos2::new(p.x, p.y) - min) * SCALE
            };
            let dark = ui.visuals().dark_mode;
            let top = process
                .flows
                .iter()
                .map(|f| f.count)
                .max()
                .unwrap_or(1)
                .max(1);
            for f in &process.flows {
                let (a, b) = (at(f.from), at(f.to));
                let color = if f.unmodelled {
                    theme::ERROR
                } else if dark {
                    Color32::from_gray(170)
                } else {
                    Color32::from_gray(90)
                };
                let width = 1.0 + 4.0 * (f.count as f32).ln_1p() / (top as f32).ln_1p();
                if f.from == f.to {
                    painter.circle_stroke(
                        a - Vec2::new(0.0, HALF.y + 8.0),
                        8.0,
                        Stroke::new(width, color),
                    );
                    continue;
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
                let mid = s + (tip - s) * 0.5;
                let galley = painter.layout_no_wrap(
                    format!("{}", f.count),
                    FontId::proportional(10.0),
                    color,
                );
                let plate = Rect::from_center_size(mid, galley.size() + Vec2::splat(2.0));
                painter.rect_filled(plate, 2.0, ui.visuals().extreme_bg_color);
                painter.galley(plate.min + Vec2::splat(1.0), galley, color);
            }
            for (i, a) in process.activities.iter().enumerate() {
                let c = at(i);
                let r = Rect::from_center_size(c, HALF * 2.0);
                let fill = if a.name.contains(':') {
                    theme::element_color(ElementKind::Saga)
                } else if a.name.contains("dead-lettered")
                    || a.name.contains("given up")
                    || a.name.contains("rejected")
                    || a.name.contains("expired")
                {
                    theme::ERROR.gamma_multiply(0.8)
                } else {
                    theme::element_color(ElementKind::Service)
                };
                painter.rect(
                    r,
                    5.0,
                    fill,
                    Stroke::new(1.0, theme::outline_color(dark)),
                    egui::StrokeKind::Middle,
                );
                let mut job = egui::text::LayoutJob::single_section(
                    a.name.clone(),
                    egui::TextFormat::simple(FontId::proportional(10.0), theme::INK_ON_FILL),
                );
                job.wrap = egui::text::TextWrapping {
                    max_width: r.width() - 6.0,
                    max_rows: 2,
                    break_anywhere: false,
                    overflow_character: Some('…'),
                };
                let galley = painter.ctx().fonts_mut(|f| f.layout_job(job));
                painter.galley(
                    Pos2::new(c.x - galley.size().x / 2.0, r.top() + 1.0),
                    galley,
                    theme::INK_ON_FILL,
                );
                painter.text(
                    Pos2::new(c.x, r.bottom() - 2.0),
                    egui::Align2::CENTER_BOTTOM,
                    format!("×{}", a.count),
                    FontId::proportional(9.0),
                    theme::INK_ON_FILL,
                );
            }
        });
    *scene = Some(view);
}
