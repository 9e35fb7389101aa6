//! What travels along the arrows: the messages on their way at the playhead, as
//! tokens (up to a handful per arrow, then a count of how many wait), over a band
//! whose width is the arrow's recent traffic in messages per simulated second. Both
//! are read from the run's state and time, never from wall-clock time, so they are
//! the same at every playback speed.

use std::collections::HashMap;

use eframe::egui::{self, Color32, Pos2, Rect, Stroke};

use super::{OverlayState, WORDS_ZOOM, along, badge};
use crate::app::canvas::{Canvas, edge_style};
use crate::model::Model;
use crate::sim::{HopLoad, Playback, SimTime, Token, Where};

/// Most tokens drawn on one arrow; beyond it, the head of the line and a count.
pub(super) const TOKENS_PER_ARROW: usize = 5;
/// The stretch of simulated time an arrow's traffic is measured over.
const FLOW_WINDOW_NANOS: u64 = 1_000_000_000;
/// Most recent records looked at for the traffic.
const FLOW_SCAN: usize = 20_000;

/// What is on one arrow.
#[derive(Default)]
pub(super) struct ArrowLoad {
    /// Messages on their way.
    pub count: u64,
    /// The oldest of them, oldest first.
    pub oldest: Vec<Token>,
}

/// The messages on their way at the playhead, by arrow (index into the canvas's
/// edges). Hops the diagram draws no arrow for are left out.
pub(super) fn by_arrow(
    state: &mut OverlayState,
    canvas: &Canvas,
    loads: Vec<HopLoad>,
    p: &Playback,
) -> HashMap<usize, ArrowLoad> {
    let mut out: HashMap<usize, ArrowLoad> = HashMap::new();
    for l in loads {
        let Some(arrow) = state.hop_arrow(canvas, p.sim().plan(), l.hop) else {
            continue;
        };
        let a = out.entry(arrow).or_default();
        a.count += l.count;
        a.oldest.extend(l.oldest);
        a.oldest.sort_by_key(|t| t.since);
        a.oldest.truncate(TOKENS_PER_ARROW);
    }
    out
}

/// Where a token sits along its arrow (0 tail, 1 head): a message due at a known
/// time by how far through its hop it is; a waiting one by its place in the line,
/// the oldest nearest the head.
pub(super) fn progress(token: &Token, rank: usize, now: SimTime) -> f32 {
    match token.due {
        Some(due) if due > token.since => {
            let done = now.nanos_since(token.since) as f32 / due.nanos_since(token.since) as f32;
            done.clamp(0.0, 1.0)
        }
        _ => (0.88 - 0.13 * rank as f32).max(0.1),
    }
}

/// Messages per simulated second along each arrow over the last second of the run.
pub(super) fn traffic(
    state: &mut OverlayState,
    canvas: &Canvas,
    model: &Model,
    p: &Playback,
) -> HashMap<usize, f64> {
    let t = p.time().as_nanos();
    let from = t.saturating_sub(FLOW_WINDOW_NANOS);
    let mut counts = vec![0u64; canvas.arch.edges.len()];
    let mut oldest = t;
    for r in p.records().iter().rev().take(FLOW_SCAN) {
        if r.time.as_nanos() < from {
            break;
        }
        oldest = r.time.as_nanos();
        if !matches!(r.at, Where::Service | Where::Topic | Where::Saga) {
            continue;
        }
        if let Some(i) = state.record_arrow(canvas, model, p, r) {
            counts[i] += 1;
        }
    }
    // The window the records cover: a whole second, unless the run is younger or
    // the scan stopped early in heavy traffic.
    let scanned = p.records().len().min(FLOW_SCAN);
    let span = if scanned == FLOW_SCAN {
        t - oldest
    } else {
        t - from
    };
    let span = span.max(1) as f64 / 1e9;
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .map(|(i, n)| (i, n as f64 / span))
        .collect()
}

/// The width of the traffic band for a rate (messages per second): grows with the
/// rate's logarithm so that 1/s and 1,000/s are both visible and apart.
pub(super) fn band_width(rate: f64, zoom: f32) -> f32 {
    let w = 2.0 + 1.6 * (1.0 + rate as f32).log2();
    (w * zoom.clamp(0.5, 1.2)).clamp(1.5, 14.0)
}

/// Draw the traffic bands, then the tokens, then the counts of waiting messages.
pub(super) fn paint(
    painter: &egui::Painter,
    canvas: &Canvas,
    traffic: &HashMap<usize, f64>,
    on_way: &HashMap<usize, ArrowLoad>,
    now: SimTime,
    zoom: f32,
) {
    let mut arrows: Vec<usize> = traffic.keys().chain(on_way.keys()).copied().collect();
    arrows.sort_unstable();
    arrows.dedup();
    for &i in &arrows {
        let Some(path) = canvas.arrow_path(i) else {
            continue;
        };
        let color = edge_style(canvas.arch.edges[i].kind).2;
        if let Some(&rate) = traffic.get(&i) {
            let band = Stroke::new(band_width(rate, zoom), color.gamma_multiply(0.28));
            painter.add(egui::Shape::line(path.clone(), band));
        }
        let Some(load) = on_way.get(&i) else {
            continue;
        };
        let radius = (4.5 * zoom.max(0.6)).min(7.0);
        for (rank, token) in load.oldest.iter().enumerate() {
            let at = along(&path, progress(token, rank, now));
            painter.circle(at, radius, color, Stroke::new(1.0, Color32::WHITE));
        }
        if load.count > load.oldest.len() as u64 {
            let text = format!("{} waiting", load.count);
            let at = count_spot(canvas, i, &path, &text, painter);
            badge(zoom >= WORDS_ZOOM, painter, at, text, color);
        }
    }
}

/// A point along the arrow for its count, clear of the arrow's label and of the
/// boxes (first choice: behind the line of tokens).
fn count_spot(
    canvas: &Canvas,
    edge: usize,
    path: &[Pos2],
    text: &str,
    painter: &egui::Painter,
) -> Pos2 {
    let size = painter
        .layout_no_wrap(
            text.to_owned(),
            egui::FontId::proportional(11.0),
            Color32::WHITE,
        )
        .size()
        + egui::vec2(8.0, 2.0);
    let label = canvas.label_rect(edge);
    let g = &canvas.arch;
    let e = &g.edges[edge];
    // The boxes with the badges on their top right corner (heat, queue, lag).
    let with_badges = |r: Rect| {
        r.expand2(egui::vec2(24.0, 0.0))
            .union(r.translate(egui::vec2(0.0, -14.0)))
    };
    let boxes = [
        canvas.box_rect(&g.nodes[e.from].element).map(with_badges),
        canvas.box_rect(&g.nodes[e.to].element).map(with_badges),
    ];
    // What a badge at `at` would cover of the label and the boxes.
    let covered = |at: Pos2| {
        let r = Rect::from_center_size(at, size);
        label
            .iter()
            .chain(boxes.iter().flatten())
            .map(|o| o.intersect(r))
            .filter(Rect::is_positive)
            .map(|i| i.area())
            .sum::<f32>()
    };
    // Along the arrow behind the line of tokens, else beside it.
    let mut spots = Vec::new();
    for f in [0.22, 0.35, 0.15, 0.5, 0.65] {
        let at = along(path, f);
        let ahead = along(path, (f + 0.02).min(1.0)) - along(path, (f - 0.02).max(0.0));
        let side = egui::vec2(-ahead.y, ahead.x).normalized() * (size.y + 4.0);
        spots.extend([at, at + side, at - side]);
    }
    spots
        .iter()
        .copied()
        .find(|&at| covered(at) == 0.0)
        .or_else(|| {
            spots
                .iter()
                .copied()
                .min_by(|a, b| covered(*a).total_cmp(&covered(*b)))
        })
        .unwrap_or_else(|| along(path, 0.22))
}

/// How near the pointer must be to an arrow, in points, for its tooltip.
const HOVER_REACH: f32 = 8.0;

/// What the arrow under the pointer carries, in words: the messages on their way
/// and its traffic. `None` away from arrows that carry anything.
pub(super) fn hover_text(
    canvas: &Canvas,
    traffic: &HashMap<usize, f64>,
    on_way: &HashMap<usize, ArrowLoad>,
    pointer: Pos2,
    now: SimTime,
) -> Option<String> {
    let nearest = traffic
        .keys()
        .chain(on_way.keys())
        .filter_map(|&i| Some((i, distance(&canvas.arrow_path(i)?, pointer))))
        .filter(|&(_, d)| d <= HOVER_REACH)
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))?
        .0;
    let g = &canvas.arch;
    let e = &g.edges[nearest];
    let mut text = format!(
        "{} → {}",
        if e.label.is_empty() {
            "messages"
        } else {
            &e.label
        },
        g.nodes[e.to].element.name
    );
    match on_way.get(&nearest) {
        Some(load) => {
            let oldest = load.oldest.first().map(|t| t.since).unwrap_or(now);
            text += &format!(
                "\n{} on its way; the oldest sent {} ago",
                load.count,
                super::names::span(now.nanos_since(oldest))
            );
        }
        None => text += "\nnothing waiting",
    }
    let rate = traffic.get(&nearest).copied().unwrap_or(0.0);
    text += &format!("\n{rate:.1} messages/s over the last simulated second");
    Some(text)
}

/// The distance from `p` to the polyline `path`.
fn distance(path: &[Pos2], p: Pos2) -> f32 {
    path.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let ab = b - a;
            let t = if ab.length_sq() > 0.0 {
                ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (a + ab * t - p).length()
        })
        .fold(f32::INFINITY, f32::min)
}
