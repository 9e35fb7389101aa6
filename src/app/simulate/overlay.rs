//! The run drawn over the canvas: node heat by utilisation, queue and lag badges,
//! active faults, messages as tokens moving along their arrows (a count per arrow
//! where there are many), and the engine's findings.

use std::collections::HashMap;

use eframe::egui::{self, Align2, Color32, FontId, Pos2, Rect, Stroke};

use super::names;
use crate::analysis::{Bottleneck, live};
use crate::app::canvas::{Canvas, edge_style};
use crate::app::theme;
use crate::diagram::EdgeKind;
use crate::model::{ElementKind, ElementRef, FaultKind, Model};
use crate::sim::{Playback, Simulation};
use crate::sim::{Record, TraceKind, Where};

/// Most tokens drawn on one arrow; beyond it, a count.
const TOKENS_PER_ARROW: usize = 6;
/// Below this zoom, badges are dots without numbers.
const WORDS_ZOOM: f32 = 0.3;
/// Most recent records looked at for tokens.
const TOKEN_SCAN: usize = 20_000;

/// What the overlay remembers between frames.
#[derive(Default)]
pub struct OverlayState {
    /// Each service's utilisation over the last seconds (the heat).
    busy: live::WindowedUtilisation,
    /// Which arrow a kind of record travels along (index into the canvas's edges).
    arrows: HashMap<(u8, u32, u32, u8), Option<usize>>,
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
            self.arrows.clear();
            self.built_for = Some(key);
        }
    }

    /// The arrow a record's message travels along, if the diagram has one.
    fn arrow(&mut self, canvas: &Canvas, model: &Model, p: &Playback, r: &Record) -> Option<usize> {
        let key = (r.at as u8, r.element, r.message_type, r.kind as u8);
        if let Some(hit) = self.arrows.get(&key) {
            return *hit;
        }
        let hit = find_arrow(canvas, model, p, r);
        self.arrows.insert(key, hit);
        hit
    }
}

fn find_arrow(canvas: &Canvas, model: &Model, p: &Playback, r: &Record) -> Option<usize> {
    let g = &canvas.arch;
    let me = p.sim().plan().element_of(r)?;
    let node = g.node(&me)?;
    let ty = names::message_type(p.sim().plan(), r);
    let find = |f: &dyn Fn(&crate::diagram::Edge) -> bool| g.edges.iter().position(f);
    match r.kind {
        TraceKind::Published => {
            find(&|e| e.to == node && e.kind == EdgeKind::Publish && e.label == ty)
        }
        TraceKind::Delivered => {
            find(&|e| e.to == node && e.label == ty && e.kind != EdgeKind::Publish).or_else(|| {
                // An event fetched from a topic: the consume arrow from a topic that
                // carries it.
                find(&|e| {
                    e.to == node
                        && e.kind == EdgeKind::Consume
                        && g.edges
                            .iter()
                            .any(|p| p.to == e.from && p.kind == EdgeKind::Publish && p.label == ty)
                })
            })
        }
        TraceKind::DeadLettered => find(&|e| e.from == node && e.kind == EdgeKind::DeadLetter),
        TraceKind::CompensationStarted | TraceKind::StepStarted => {
            let saga = model.sagas.get(r.element as usize)?;
            let step = saga.steps.get(r.detail as usize)?;
            let (kind, label) = if r.kind == TraceKind::StepStarted {
                (EdgeKind::Command, step.command.clone())
            } else {
                (EdgeKind::Compensation, step.compensate.clone()?)
            };
            find(&|e| e.from == node && e.kind == kind && e.label == label)
        }
        _ => None,
    }
}

/// The point a share `f` (0 to 1) of the way along the polyline `path`.
fn along(path: &[Pos2], f: f32) -> Pos2 {
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
fn badge(words: bool, painter: &egui::Painter, at: Pos2, text: String, fill: Color32) {
    if !words {
        painter.circle_filled(at, 3.5, fill);
        return;
    }
    let galley = painter.layout_no_wrap(text, FontId::proportional(11.0), Color32::WHITE);
    let rect = Rect::from_center_size(at, galley.size() + egui::vec2(8.0, 2.0));
    painter.rect_filled(rect, 6.0, fill);
    painter.galley(rect.min + egui::vec2(4.0, 1.0), galley, Color32::WHITE);
}

/// Draw the run over the canvas.
#[allow(clippy::too_many_arguments)]
pub fn paint_overlay(
    ui: &egui::Ui,
    run: u64,
    state: &mut OverlayState,
    canvas: &Canvas,
    model: &Model,
    p: &Playback,
    findings: &[Bottleneck],
    speed: f64,
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
    let util = state.busy.observe(sim);
    paint_heat(&painter, words, canvas, model, sim, &util);
    paint_lag(&painter, words, canvas, model, sim);
    paint_faults(&painter, words, canvas, model, p);
    tokens(&painter, state, canvas, model, p, speed, zoom);
    paint_findings(&painter, canvas, findings);
}

/// Each service's heat (`util`: its utilisation, fraction 0–1, by service index) as
/// a coloured outline, with a badge of the utilisation and of the queue when there
/// is one.
fn paint_heat(
    painter: &egui::Painter,
    words: bool,
    canvas: &Canvas,
    model: &Model,
    sim: &Simulation,
    util: &[f64],
) {
    for (i, s) in model.services.iter().enumerate() {
        let el = ElementRef::new(ElementKind::Service, &s.name);
        let Some(rect) = canvas.box_rect(&el) else {
            continue;
        };
        let u = util.get(i).copied().unwrap_or(0.0);
        painter.rect_stroke(
            rect.expand(3.0),
            8.0,
            Stroke::new(4.0, theme::heat_color(u)),
            egui::StrokeKind::Outside,
        );
        let q = sim.stats().services.get(i).map_or(0, |s| s.queue.now);
        let label = if q > 0 {
            format!("{:.0}% · q {q}", u * 100.0)
        } else {
            format!("{:.0}%", u * 100.0)
        };
        badge(
            words,
            painter,
            rect.right_top() + egui::vec2(-10.0, -6.0),
            label,
            theme::heat_color(u).gamma_multiply(0.85),
        );
    }
}

/// Consumer lag per topic, summed over its groups, as a badge.
fn paint_lag(
    painter: &egui::Painter,
    words: bool,
    canvas: &Canvas,
    model: &Model,
    sim: &Simulation,
) {
    for (ti, topic) in model.topics.iter().enumerate() {
        let lag: u64 = sim
            .plan()
            .groups
            .iter()
            .zip(&sim.stats().groups)
            .filter(|(g, _)| g.topic.index() == ti)
            .map(|(_, s)| s.lag.now)
            .sum();
        if lag > 0
            && let Some(rect) = canvas.box_rect(&ElementRef::new(ElementKind::Topic, &topic.name))
        {
            badge(
                words,
                painter,
                rect.right_top() + egui::vec2(-10.0, -6.0),
                format!("lag {lag}"),
                Color32::from_rgb(0x2f, 0x6f, 0x9f),
            );
        }
    }
}

/// The faults active at the playback's time, marked on the elements they hit.
fn paint_faults(
    painter: &egui::Painter,
    words: bool,
    canvas: &Canvas,
    model: &Model,
    p: &Playback,
) {
    let t = p.time();
    for f in &model.faults {
        let (a, b) = (
            f.at.as_nanos(),
            f.at.as_nanos().saturating_add(f.lasting.as_nanos()),
        );
        if !(a..b).contains(&t.as_nanos()) {
            continue;
        }
        let (el, tag) = match &f.kind {
            FaultKind::Crash { service } => (
                ElementRef::new(ElementKind::Service, service),
                "DOWN".to_owned(),
            ),
            FaultKind::SlowDown { service, factor } => (
                ElementRef::new(ElementKind::Service, service),
                format!("SLOW ×{factor}"),
            ),
            FaultKind::PartitionOutage { topic, .. } => {
                (ElementRef::new(ElementKind::Topic, topic), "OUTAGE".into())
            }
            FaultKind::Duplicate { topic, .. } => (
                ElementRef::new(ElementKind::Topic, topic),
                "DUPLICATES".into(),
            ),
            FaultKind::Reorder { topic, .. } => {
                (ElementRef::new(ElementKind::Topic, topic), "REORDER".into())
            }
            FaultKind::Delay { topic, .. } => {
                (ElementRef::new(ElementKind::Topic, topic), "DELAY".into())
            }
            FaultKind::Poison { topic, .. } => {
                (ElementRef::new(ElementKind::Topic, topic), "POISON".into())
            }
            FaultKind::BrokerOutage => {
                for topic in &model.topics {
                    if let Some(rect) =
                        canvas.box_rect(&ElementRef::new(ElementKind::Topic, &topic.name))
                    {
                        fault_mark(words, painter, rect, "BROKER DOWN");
                    }
                }
                continue;
            }
        };
        if let Some(rect) = canvas.box_rect(&el) {
            fault_mark(words, painter, rect, &tag);
        }
    }
}

/// The engine's findings, most severe first; one marker per element (its worst rank).
fn paint_findings(painter: &egui::Painter, canvas: &Canvas, findings: &[Bottleneck]) {
    let mut marked: Vec<&ElementRef> = Vec::new();
    for b in findings.iter().take(8) {
        if marked.contains(&&b.element) {
            continue;
        }
        marked.push(&b.element);
        if let Some(rect) = canvas.box_rect(&b.element) {
            let at = rect.left_top() + egui::vec2(0.0, 0.0);
            painter.circle(at, 9.0, theme::ERROR, Stroke::new(1.5, Color32::WHITE));
            painter.text(
                at,
                Align2::CENTER_CENTER,
                b.rank.to_string(),
                FontId::proportional(11.0),
                Color32::WHITE,
            );
        }
    }
}

fn fault_mark(words: bool, painter: &egui::Painter, rect: Rect, tag: &str) {
    let red = theme::ERROR;
    painter.rect_stroke(
        rect.expand(7.0),
        6.0,
        Stroke::new(2.0, red),
        egui::StrokeKind::Outside,
    );
    painter.line_segment(
        [rect.left_top(), rect.right_bottom()],
        Stroke::new(1.5, red.gamma_multiply(0.7)),
    );
    badge(
        words,
        painter,
        rect.center_bottom() + egui::vec2(0.0, 10.0),
        tag.to_owned(),
        red,
    );
}

/// Messages as tokens along their arrows: each recent record that moves a message is
/// drawn part-way along its arrow, by how long ago it happened.
fn tokens(
    painter: &egui::Painter,
    state: &mut OverlayState,
    canvas: &Canvas,
    model: &Model,
    p: &Playback,
    speed: f64,
    zoom: f32,
) {
    let words = zoom >= WORDS_ZOOM;
    let t = p.time();
    // A token takes about 0.8 s of wall-clock time to travel, at any speed.
    let window = ((0.8 * speed * 1e9) as u64).clamp(1_000_000, 5_000_000_000);
    let records = p.records();
    let mut per_arrow: HashMap<usize, Vec<f32>> = HashMap::new();
    for r in records.iter().rev().take(TOKEN_SCAN) {
        if r.time + window < t {
            break;
        }
        if !matches!(r.at, Where::Service | Where::Topic | Where::Saga) {
            continue;
        }
        if let Some(i) = state.arrow(canvas, model, p, r) {
            // A token leaves the arrow's tail when its record happens and reaches
            // the head a window later.
            let f: f32 = (t - r.time) as f32 / window as f32;
            per_arrow.entry(i).or_default().push(f.clamp(0.0, 1.0));
        }
    }
    for (i, fs) in per_arrow {
        let e = &canvas.arch.edges[i];
        // Along the arrow as drawn (bent around boxes in its way).
        let Some(path) = canvas.arrow_path(i) else {
            continue;
        };
        let color = edge_style(e.kind).2;
        if fs.len() > TOKENS_PER_ARROW {
            badge(
                words,
                painter,
                along(&path, 0.5),
                format!("{}", fs.len()),
                color,
            );
            continue;
        }
        for f in fs {
            let at = along(&path, f);
            painter.circle(
                at,
                (4.5 * zoom.max(0.6)).min(7.0),
                color,
                Stroke::new(1.0, Color32::WHITE),
            );
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_run_along_a_bent_arrow() {
        let path = [
            Pos2::new(0.0, 0.0),
            Pos2::new(10.0, 0.0),
            Pos2::new(10.0, 30.0),
        ];
        assert_eq!(along(&path, 0.0), Pos2::new(0.0, 0.0));
        assert_eq!(along(&path, 0.25), Pos2::new(10.0, 0.0));
        assert_eq!(along(&path, 0.5), Pos2::new(10.0, 10.0));
        assert_eq!(along(&path, 1.0), Pos2::new(10.0, 30.0));
    }
}
