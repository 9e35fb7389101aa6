//! Marks on the boxes: heat by utilisation, queue and lag badges, active faults, the
//! engine's findings.

use eframe::egui::{self, Align2, Color32, FontId, Rect, Stroke};

use super::badge;
use crate::analysis::Bottleneck;
use crate::app::canvas::Canvas;
use crate::app::theme;
use crate::model::{ElementKind, ElementRef, FaultKind, Model};
use crate::sim::{Playback, Simulation};

/// Each service's heat (`util`: its utilisation, fraction 0–1, by service index) as
/// a coloured outline, with a badge of the utilisation and of the queue when there
/// is one.
pub(super) fn paint_heat(
    painter: &egui::Painter,
    words: bool,
    canvas: &Canvas,
    model: &Model,
    sim: &Simulation,
    util: &[f64],
) {
    for (i, s) in model.services.iter().enumerate() {
        let el = ElementRef::new(ElementKind::Service, &s.name);
        // Off screen: nothing to draw (a big model has most of its boxes there).
        let Some(rect) = canvas
            .box_rect(&el)
            .filter(|r| painter.clip_rect().intersects(r.expand(12.0)))
        else {
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
pub(super) fn paint_lag(
    painter: &egui::Painter,
    words: bool,
    canvas: &Canvas,
    model: &Model,
    sim: &Simulation,
) {
    // Each topic's lag, summed over its groups in one pass (not a pass per topic).
    let mut lags = vec![0u64; model.topics.len()];
    for (g, s) in sim.plan().groups.iter().zip(&sim.stats().groups) {
        if let Some(l) = lags.get_mut(g.topic.index()) {
            *l += s.lag.now;
        }
    }
    for (topic, lag) in model.topics.iter().zip(lags) {
        if lag > 0
            && let Some(rect) = canvas
                .box_rect(&ElementRef::new(ElementKind::Topic, &topic.name))
                .filter(|r| painter.clip_rect().intersects(r.expand(12.0)))
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
pub(super) fn paint_faults(
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
pub(super) fn paint_findings(painter: &egui::Painter, canvas: &Canvas, findings: &[Bottleneck]) {
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

/// A fault on a box: a red frame around it and its tag under it (the name stays
/// readable).
fn fault_mark(words: bool, painter: &egui::Painter, rect: Rect, tag: &str) {
    let red = theme::ERROR;
    painter.rect_stroke(
        rect.expand(7.0),
        6.0,
        Stroke::new(2.0, red),
        egui::StrokeKind::Outside,
    );
    badge(
        words,
        painter,
        rect.center_bottom() + egui::vec2(0.0, 10.0),
        tag.to_owned(),
        red,
    );
}
