//! The context map pane: the model's domains as boxes and the messages between them
//! as arrows ([`ContextMap`]), with each domain's figures while a run is on. Clicking
//! a domain shows it on the diagram, focused (the rest faded) and fitted to the view.
//!
//! A model with domains and more boxes than a window shows readably opens on this
//! pane ([`opens_on_map`]).

use eframe::egui::{self, FontId, Pos2, Rect, Sense, Stroke, Vec2};

use super::commands::{Command, CommandQueue};
use super::theme;
use crate::analysis::Bottleneck;
use crate::analysis::live::{DomainFigures, domain_figures, utilisation_so_far};
use crate::diagram::context_map::{CONTEXT_BOX, ContextBox, ContextLink, ContextMap};
use crate::model::flows::MessageKind;
use crate::model::{ElementKind, Model};
use crate::sim::Simulation;

/// A model with domains and more boxes than this opens on the context map.
pub const MAP_FROM_BOXES: usize = 150;

/// Room around the map inside the pane.
const MARGIN: f32 = 16.0;
/// The map is shrunk to fit its pane down to this scale (a box's second line of
/// text stays about 7 points tall), and scrolled beyond.
const MIN_SCALE: f32 = 0.6;

/// Does this model open on the context map rather than the diagram?
pub fn opens_on_map(model: &Model) -> bool {
    let boxes = model.services.len()
        + model.topics.len()
        + model.sagas.len()
        + model.stores.len()
        + model.projections.len()
        + model.sources.len();
    boxes > MAP_FROM_BOXES && model.domains().len() >= 2
}

/// The map of the document as of its last change.
#[derive(Default)]
pub struct ContextMapView {
    map: ContextMap,
    built_for: Option<u64>,
}

impl ContextMapView {
    /// The map of `model` at `revision`, derived again only when the revision changed.
    pub fn map(&mut self, model: &Model, revision: u64) -> &ContextMap {
        if self.built_for != Some(revision) {
            self.map = ContextMap::of(model);
            self.built_for = Some(revision);
        }
        &self.map
    }
}

/// Draw the map; a click on a domain queues showing it on the diagram.
pub fn context_map_ui(
    ui: &mut egui::Ui,
    map: &ContextMap,
    model: &Model,
    run: Option<(&Simulation, &[Bottleneck])>,
    queue: &mut CommandQueue,
) {
    if map.boxes.is_empty() {
        ui.label("This model names no domains (bounded contexts).");
        ui.label(
            "Give services, topics and sagas a domain in the inspector (or `domain: \"billing\"` \
             in the file) to see them here as boxes, with the events between them.",
        );
        return;
    }
    let figures = run.map(|(sim, findings)| {
        let util = utilisation_so_far(sim);
        domain_figures(map, model, sim, &util, findings)
    });
    ui.label(
        egui::RichText::new(format!(
            "{} domains · {} arrows carrying messages between them · click a domain to show it on the diagram",
            map.boxes.len(),
            map.links.len()
        ))
        .weak(),
    );
    let extent = map.boxes.iter().fold(Vec2::ZERO, |e, b| {
        e.max(Vec2::new(b.pos.x + CONTEXT_BOX.0, b.pos.y + CONTEXT_BOX.1))
    }) + Vec2::splat(2.0 * MARGIN);
    // Shrunk to fit the pane, down to where the words stay readable; scrolled beyond.
    let room = ui.available_size();
    let scale = (room.x / extent.x)
        .min(room.y / extent.y)
        .clamp(MIN_SCALE, 1.0);
    egui::ScrollArea::both().show(ui, |ui| {
        let (rect, _) = ui.allocate_exact_size(extent * scale, Sense::hover());
        let origin = rect.min + Vec2::splat(MARGIN * scale);
        let box_rect = |b: &ContextBox| {
            Rect::from_min_size(
                origin + Vec2::new(b.pos.x, b.pos.y) * scale,
                Vec2::from(CONTEXT_BOX) * scale,
            )
        };
        let painter = ui.painter_at(rect);
        for l in &map.links {
            let (from, to) = (box_rect(&map.boxes[l.from]), box_rect(&map.boxes[l.to]));
            paint_link(ui, &painter, l, (from, to), scale);
        }
        for (k, b) in map.boxes.iter().enumerate() {
            let f = figures.as_ref().and_then(|f| f.get(k));
            if domain_box(ui, box_rect(b), b, f, scale).clicked() {
                queue.push(Command::ShowDomain(b.name.clone()));
            }
        }
    });
}

/// One domain: its name, what it holds and, during a run, its figures; coloured by
/// its busiest service's utilisation. A button to screen readers and tests.
fn domain_box(
    ui: &mut egui::Ui,
    rect: Rect,
    b: &ContextBox,
    figures: Option<&DomainFigures>,
    scale: f32,
) -> egui::Response {
    let id = ui.id().with(("domain", &b.name));
    let response = ui.interact(rect, id, Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::WidgetType::Button, true, format!("domain {}", b.name))
    });
    let busiest = figures.and_then(|f| f.busiest.as_ref());
    let ink = ui.visuals().text_color();
    let painter = ui.painter();
    let fill = if response.hovered() {
        ui.visuals().widgets.hovered.weak_bg_fill
    } else {
        ui.visuals().extreme_bg_color
    };
    // Heat as on the diagram: the outline in the colour of its busiest service's load.
    let stroke = match busiest {
        Some((_, u)) => Stroke::new(4.0 * scale, theme::heat_color(*u)),
        None => Stroke::new(1.5, ui.visuals().widgets.noninteractive.fg_stroke.color),
    };
    painter.rect(rect, 8.0 * scale, fill, stroke, egui::StrokeKind::Inside);
    let pad = 7.0 * scale;
    let mut y = rect.top() + pad;
    let mut line = |text: String, size: f32| {
        let font = FontId::proportional(size * scale);
        let galley = painter.layout(text, font, ink, rect.width() - 2.0 * pad);
        painter.galley(Pos2::new(rect.left() + pad, y), galley.clone(), ink);
        y += galley.size().y + 3.0 * scale;
    };
    line(b.name.clone(), 15.0);
    line(contents(b), 11.0);
    if let Some(f) = figures {
        line(figures_text(f), 11.0);
    }
    if response.hovered() {
        response.on_hover_text(format!("Show domain \"{}\" on the diagram", b.name))
    } else {
        response
    }
}

/// `12 services · 10 topics · 1 saga`.
fn contents(b: &ContextBox) -> String {
    contents_text(|k| b.count(k))
}

/// `12 services · 10 topics · 1 saga`, for `count` of each kind.
pub(crate) fn contents_text(count: impl Fn(ElementKind) -> usize) -> String {
    let kinds = [
        (ElementKind::Service, "service"),
        (ElementKind::Topic, "topic"),
        (ElementKind::Saga, "saga"),
        (ElementKind::Store, "store"),
        (ElementKind::Projection, "projection"),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter_map(|(kind, word)| {
            let n = count(*kind);
            (n > 0).then(|| format!("{n} {word}{}", if n == 1 { "" } else { "s" }))
        })
        .collect();
    parts.join(" · ")
}

/// `busiest payment 87% · queued 4 · lag 120 · 2 findings`.
pub(crate) fn figures_text(f: &DomainFigures) -> String {
    let mut parts = Vec::new();
    if let Some((name, u)) = &f.busiest {
        parts.push(format!("busiest {name} {:.0}%", u * 100.0));
    }
    if f.queued > 0 {
        parts.push(format!("queued {}", f.queued));
    }
    parts.push(format!("lag {}", f.lag));
    if f.findings > 0 {
        let s = if f.findings == 1 { "" } else { "s" };
        parts.push(format!("{} finding{s}", f.findings));
    }
    parts.join(" · ")
}

/// An arrow from one box's right side to the other's left, labelled with what it
/// carries; hovering names the messages.
fn paint_link(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    l: &ContextLink,
    (from, to): (Rect, Rect),
    scale: f32,
) {
    let color = ui.visuals().widgets.noninteractive.fg_stroke.color;
    let (a, b) = if to.left() >= from.right() {
        (from.right_center(), to.left_center())
    } else if from.left() >= to.right() {
        (from.left_center(), to.right_center())
    } else if to.top() >= from.bottom() {
        (from.center_bottom(), to.center_top())
    } else {
        (from.center_top(), to.center_bottom())
    };
    painter.line_segment([a, b], Stroke::new(1.5, color));
    let dir = (b - a).normalized();
    let side = dir.rot90() * 5.0;
    painter.add(egui::Shape::convex_polygon(
        vec![b, b - dir * 12.0 + side, b - dir * 12.0 - side],
        color,
        Stroke::NONE,
    ));
    let mid = a + (b - a) * 0.5;
    let label = link_text(l);
    let font = FontId::proportional(11.0 * scale.max(0.8));
    let galley = painter.layout_no_wrap(label.clone(), font, color);
    let plate = Rect::from_center_size(mid, galley.size() + Vec2::new(6.0, 2.0));
    painter.rect_filled(plate, 3.0, ui.visuals().panel_fill);
    painter.galley(plate.min + Vec2::new(3.0, 1.0), galley, color);
    let response = ui.interact(plate, ui.id().with(("link", l.from, l.to)), Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, &label));
    response.on_hover_ui(|ui| {
        for (k, n) in &l.messages {
            ui.label(format!("{} {n}", k.label()));
        }
    });
}

/// `3 events · 1 command`.
fn link_text(l: &ContextLink) -> String {
    let mut parts = Vec::new();
    for (kind, word) in [
        (MessageKind::Event, "event"),
        (MessageKind::Command, "command"),
        (MessageKind::Query, "query"),
    ] {
        let n = l.messages.iter().filter(|(k, _)| *k == kind).count();
        if n > 0 {
            parts.push(match (n, kind) {
                (1, _) => format!("1 {word}"),
                (_, MessageKind::Query) => format!("{n} queries"),
                _ => format!("{n} {word}s"),
            });
        }
    }
    parts.join(" · ")
}

impl super::EventscapeApp {
    /// The context map pane, with the run's figures when there is a run.
    pub(super) fn context_map_ui(&mut self, ui: &mut egui::Ui) {
        let model = &self.doc.model;
        let findings = self.views.findings(&self.sim, model).to_vec();
        let run = self
            .sim
            .playback()
            .filter(|p| p.steps() > 0)
            .map(|p| (p.sim(), findings.as_slice()));
        let map = self.context_map.map(model, self.doc.revision());
        context_map_ui(ui, map, model, run, &mut self.queue);
    }

    /// Give the canvas's collapsed domains the run's figures (none without a run).
    pub(super) fn canvas_domain_figures(&mut self) {
        if !self.canvas.domains_mut().any_collapsed() {
            return;
        }
        let running = self.sim.playback().is_some_and(|p| p.steps() > 0);
        let findings = if running {
            self.views.findings(&self.sim, &self.doc.model).to_vec()
        } else {
            Vec::new()
        };
        let model = &self.doc.model;
        let map = self.context_map.map(model, self.doc.revision());
        let figures = match self.sim.playback().filter(|_| running) {
            Some(p) => {
                let util = utilisation_so_far(p.sim());
                let figures = domain_figures(map, model, p.sim(), &util, &findings);
                map.boxes
                    .iter()
                    .map(|b| b.name.clone())
                    .zip(figures)
                    .collect()
            }
            None => std::collections::HashMap::new(),
        };
        self.canvas.domains_mut().set_figures(figures);
    }

    /// Bring the context map forward when the document is big and has domains.
    pub(super) fn open_on_map_if_big(&mut self) {
        if opens_on_map(&self.doc.model) {
            self.dock.show_pane(super::dock::Pane::ContextMap);
        }
    }
}
