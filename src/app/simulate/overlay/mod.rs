//! The run drawn over the canvas: node heat by utilisation, queue and lag badges,
//! active faults and the engine's findings on the boxes (`marks`); on the arrows,
//! the messages on their way at the playhead and each arrow's recent traffic
//! (`tokens`, placed by `arrows`).

mod arrows;
mod marks;
mod tokens;

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use eframe::egui::{self, Color32, FontId, Pos2, Rect};

use super::names;
use crate::analysis::{Bottleneck, live};
use crate::app::canvas::Canvas;
use crate::app::theme;
use crate::model::Model;
use crate::sim::{Hop, Plan, Playback, Record};

/// Below this zoom, badges are dots without numbers.
const WORDS_ZOOM: f32 = 0.3;

/// What decides a record's arrow: where, which element, message type, kind, and
/// for a publish its producer (where and which element the record that caused it
/// was at: [`arrows::producer_key`]). Numbers only: thousands are looked up a frame.
type RecordKey = (u8, u32, u32, u8, (u8, u32));

/// What the overlay remembers between frames.
#[derive(Default)]
pub struct OverlayState {
    /// Each service's utilisation over the last seconds (the heat).
    busy: live::WindowedUtilisation,
    /// Which arrow a kind of record travels along (index into the canvas's edges).
    record_arrows: FxHashMap<RecordKey, Option<usize>>,
    /// Which arrow a hop's messages travel along.
    hop_arrows: HashMap<Hop, Option<usize>>,
    /// The run and diagram the memory above is of.
    built_for: Option<(u64, usize)>,
}

impl OverlayState {
    /// Forget everything when the run or the diagram is another one (`run` identifies
    /// the run: see [`super::Session::run_id`]).
    fn follow(&mut self, run: u64, canvas: &Canvas) {
        let key = (
            run,
            canvas.arch.edges.len() ^ (canvas.arch.nodes.len() << 20),
        );
        if self.built_for != Some(key) {
            self.busy.clear();
            self.record_arrows.clear();
            self.hop_arrows.clear();
            self.built_for = Some(key);
        }
    }

    /// The arrow a record's message travels along, if the diagram has one.
    fn record_arrow(
        &mut self,
        canvas: &Canvas,
        model: &Model,
        p: &Playback,
        r: &Record,
    ) -> Option<usize> {
        let by = if r.kind == crate::sim::TraceKind::Published {
            arrows::producer_key(p, r)
        } else {
            arrows::NO_PRODUCER
        };
        let key = (r.at as u8, r.element, r.message_type, r.kind as u8, by);
        *self
            .record_arrows
            .entry(key)
            .or_insert_with(|| arrows::of_record(canvas, model, p, r))
    }

    /// The arrow a hop's messages travel along, if the diagram has one.
    fn hop_arrow(&mut self, canvas: &Canvas, plan: &Plan, hop: Hop) -> Option<usize> {
        *self
            .hop_arrows
            .entry(hop)
            .or_insert_with(|| arrows::of_hop(canvas, plan, hop))
    }
}

/// The point a share `f` (0 to 1) of the way along the polyline `path`.
pub(super) fn along(path: &[Pos2], f: f32) -> Pos2 {
    let total: f32 = path.windows(2).map(|w| (w[1] - w[0]).length()).sum();
    let mut left = total * f.clamp(0.0, 1.0);
    for w in path.windows(2) {
        let len = (w[1] - w[0]).length();
        if left <= len && len > 0.0 {
            return w[0] + (w[1] - w[0]) * (left / len);
        }
        left -= len;
    }
    path.last().copied().unwrap_or(Pos2::ZERO)
}

/// A number or word on a coloured plate; zoomed far out (`words` false), just a dot
/// of its colour, so numbers do not cover the diagram.
pub(super) fn badge(words: bool, painter: &egui::Painter, at: Pos2, text: String, fill: Color32) {
    if !words {
        painter.circle_filled(at, 3.5, fill);
        return;
    }
    let ink = crate::app::theme::ink_on(fill);
    let galley = painter.layout_no_wrap(text, FontId::proportional(11.0), ink);
    let rect = Rect::from_center_size(at, galley.size() + egui::vec2(8.0, 2.0));
    painter.rect_filled(rect, 6.0, fill);
    painter.galley(rect.min + egui::vec2(4.0, 1.0), galley, ink);
}

/// Draw the run over the canvas.
pub fn paint_overlay(
    ui: &egui::Ui,
    run: u64,
    state: &mut OverlayState,
    canvas: &Canvas,
    model: &Model,
    p: &Playback,
    findings: &[Bottleneck],
) {
    let Some(clip) = canvas.screen_rect() else {
        return;
    };
    state.follow(run, canvas);
    let painter = ui.painter().with_clip_rect(clip);
    let sim = p.sim();
    let zoom = canvas.zoom().unwrap_or(1.0);
    // Zoomed far out, numbers would cover the diagram: colours and marks only.
    let words = zoom >= WORDS_ZOOM;
    // Each layer is drawn over the ones before it.
    // The tokens go first: the badges' figures stay readable where arrows meet a box.
    let traffic = tokens::traffic(state, canvas, model, p);
    let loads = sim.in_flight(tokens::TOKENS_PER_ARROW);
    let on_way = tokens::by_arrow(state, canvas, loads, p);
    tokens::paint(&painter, canvas, &traffic, &on_way, p.time(), zoom);
    // A fault's frame lies outside the heat outline; the heat badge goes over it.
    marks::paint_faults(&painter, words, canvas, model, p);
    let util = state.busy.observe(sim);
    marks::paint_heat(&painter, words, canvas, model, sim, &util);
    marks::paint_lag(&painter, words, canvas, model, sim);
    marks::paint_findings(&painter, canvas, findings);
    let pointer = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|at| clip.contains(*at));
    if let Some(text) =
        pointer.and_then(|at| tokens::hover_text(canvas, &traffic, &on_way, at, p.time()))
    {
        let id = ui.id().with("arrow load");
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            id,
            egui::PopupAnchor::Pointer,
        )
        .show(|ui| ui.label(text));
    }
}

/// The heat legend: utilisation from idle to saturated.
pub fn heat_legend(ui: &mut egui::Ui) {
    ui.label("utilisation");
    let (rect, _) = ui.allocate_exact_size(egui::vec2(90.0, 12.0), egui::Sense::hover());
    let n = 18;
    for i in 0..n {
        let x0 = rect.left() + rect.width() * i as f32 / n as f32;
        let x1 = rect.left() + rect.width() * (i + 1) as f32 / n as f32;
        ui.painter().rect_filled(
            Rect::from_x_y_ranges(x0..=x1, rect.y_range()),
            0.0,
            theme::heat_color(f64::from(i) / f64::from(n - 1)),
        );
    }
    ui.label("0% to 100%");
    ui.separator();
    ui.label("• on its way · band: traffic/s").on_hover_text(
        "On an arrow: a message on its way at this instant (waiting in a topic or a \
         queue, or held by a fault); \"N waiting\" when there are more. The faint band \
         under an arrow is its traffic over the last simulated second: wider is more \
         messages per second.",
    );
}

#[cfg(test)]
mod tests;
