//! The waterfall of one item's journey (`analysis::journey`): one lane per element
//! in the order the item reached it, under a time axis counted from the item's first
//! record. Work is a bar from a start to the end it caused, named after its message
//! ("ChargeCard @ payment"), with the wait before it (in the queue, or backing off
//! after a failure) drawn hatched in front of it; hand-offs are thin lines and every
//! record a dot. Hovering a bar tells what it was; clicking it moves the run there.

use std::sync::Arc;

use eframe::egui::{self, Color32, FontId, Galley, Pos2, Rect, RichText, Sense, Stroke};
use egui::text::{LayoutJob, TextWrapping};

use super::names;
use super::time_axis::{duration, ticks};
use super::views_trace::kind_color;
use crate::analysis::journey::{Journey, Outcome, Work};
use crate::app::commands::{Command, CommandQueue};
use crate::app::theme;
use crate::model::Model;
use crate::sim::{Playback, Record, SimTime, TraceKind};

/// Height of one lane.
const ROW_H: f32 = 18.0;
/// Width of the lane names' column.
const LABEL_W: f32 = 160.0;
/// Room kept free right of the plot, so the last tick label fits.
const RIGHT_PAD: f32 = 24.0;
/// Height of the time axis.
const AXIS_H: f32 = 18.0;
/// Text size of the waterfall.
const TEXT_SIZE: f32 = 12.0;

/// Colour of work that undoes a saga step.
const COMPENSATION: Color32 = Color32::from_rgb(0xd0, 0x48, 0x48);

/// One piece of work, ready to draw.
struct Bar {
    work: Work,
    lane: usize,
    /// "ChargeCard @ payment".
    name: String,
    /// "ChargeCard".
    short: String,
    /// When its message began to wait for it (the start when nothing is known).
    waited_from: u64,
    start: u64,
    end: Option<u64>,
    color: Color32,
}

/// An item's journey laid out for the window's width (see the module docs).
pub(super) struct Waterfall<'a> {
    mine: &'a [&'a Record],
    journey: Journey,
    lanes: Vec<String>,
    bars: Vec<Bar>,
    t0: u64,
    t1: u64,
    width: f32,
    ticks: Vec<(f32, String)>,
    model: &'a Model,
    playback: &'a Playback,
}

impl<'a> Waterfall<'a> {
    /// `mine`: the item's records in trace order, at least one.
    pub(super) fn new(
        ui: &egui::Ui,
        mine: &'a [&'a Record],
        p: &'a Playback,
        model: &'a Model,
    ) -> Self {
        let plan = p.sim().plan();
        let t0 = mine[0].time.as_nanos();
        let journey = crate::analysis::journey(mine);
        // An item still under way reaches to now: its queued messages wait on.
        let unfinished = !mine.iter().any(|r| r.kind == TraceKind::ItemCompleted)
            && (!journey.waiting.is_empty() || journey.work.iter().any(|w| w.end.is_none()));
        let last = mine[mine.len() - 1].time.as_nanos();
        let t1 = if unfinished {
            last.max(p.time().as_nanos())
        } else {
            last
        }
        .max(t0 + 1);
        // A lane is named after the place of its first record.
        let lanes: Vec<String> = (0..journey.lanes.len())
            .map(|k| {
                let first = journey.lane_of.iter().position(|&l| l == k).unwrap_or(0);
                let r = mine[first];
                let kind = r.at.element_kind().map_or("", |k| k.label());
                format!("{} {kind}", names::place(model, plan, r))
            })
            .collect();
        let bars = journey
            .work
            .iter()
            .map(|w| {
                let r = mine[w.start];
                let short = match names::message_type(plan, r) {
                    "" => "work".to_owned(),
                    t => t.to_owned(),
                };
                let start = r.time.as_nanos();
                let color = if w.is_compensation(mine) {
                    COMPENSATION
                } else {
                    match w.outcome(mine) {
                        Outcome::Open => Color32::GRAY,
                        Outcome::Completed => kind_color(TraceKind::Completed),
                        Outcome::Retried | Outcome::Failed => kind_color(TraceKind::Failed),
                        Outcome::DeadLettered => kind_color(TraceKind::DeadLettered),
                    }
                };
                Bar {
                    work: *w,
                    lane: journey.lane_of[w.start],
                    name: format!("{short} @ {}", names::place(model, plan, r)),
                    short,
                    waited_from: w.waited_from.map_or(start, |f| mine[f].time.as_nanos()),
                    start,
                    end: w.end.map(|e| mine[e].time.as_nanos()),
                    color,
                }
            })
            .collect();
        let width = ui.available_width().max(LABEL_W + 200.0);
        let plot_w = width - LABEL_W - RIGHT_PAD;
        let font = FontId::proportional(TEXT_SIZE);
        let painter = ui.painter();
        let (_, mut ticks) = ticks(t1 - t0, plot_w, |text| {
            painter
                .layout_no_wrap(text.to_owned(), font.clone(), Color32::WHITE)
                .size()
                .x
        });
        // From the plot's left to the lane's: after the lane names.
        for (x, _) in &mut ticks {
            *x += LABEL_W;
        }
        Waterfall {
            mine,
            journey,
            lanes,
            bars,
            t0,
            t1,
            width,
            ticks,
            model,
            playback: p,
        }
    }

    /// Where `t` is, from the left of a row.
    fn x(&self, t: u64) -> f32 {
        let plot_w = self.width - LABEL_W - RIGHT_PAD;
        LABEL_W + plot_w * ((t.saturating_sub(self.t0)) as f32 / (self.t1 - self.t0) as f32)
    }

    /// What the item did, and what the marks mean.
    pub(super) fn header_ui(&self, ui: &mut egui::Ui, corr: u64) {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "Item {corr}: {} records over {} (from {})",
                self.mine.len(),
                duration(self.t1 - self.t0),
                names::secs(SimTime::from_nanos(self.t0)),
            ));
            ui.add_space(8.0);
            let blue = kind_color(TraceKind::Completed);
            for (color, hatched, text) in [
                (blue, true, "waiting (queue, retry backoff)"),
                (blue, false, "work"),
                (kind_color(TraceKind::Failed), false, "failed attempt"),
                (COMPENSATION, false, "compensation"),
            ] {
                swatch(ui, color, hatched, false);
                ui.label(RichText::new(text).weak().small());
            }
            swatch(ui, blue, false, true);
            ui.label(
                RichText::new("step undone by a compensation")
                    .weak()
                    .small(),
            );
            ui.label(
                RichText::new("· hover a bar for details, click it to move the run there")
                    .weak()
                    .small(),
            );
        });
    }

    /// The time axis: round steps from the item's first record, with units.
    pub(super) fn axis_ui(&self, ui: &mut egui::Ui) {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(self.width, AXIS_H), Sense::hover());
        let painter = ui.painter_at(rect);
        let weak = ui.visuals().weak_text_color();
        let text = ui.visuals().text_color();
        let font = FontId::proportional(TEXT_SIZE);
        painter.text(
            rect.left_center() + egui::vec2(4.0, 0.0),
            egui::Align2::LEFT_CENTER,
            format!("since {}", names::secs(SimTime::from_nanos(self.t0))),
            font.clone(),
            weak,
        );
        for (i, (x, label)) in self.ticks.iter().enumerate() {
            let x = rect.left() + x;
            painter.vline(
                x,
                (rect.bottom() - 4.0)..=rect.bottom(),
                Stroke::new(1.0, weak),
            );
            let g = painter.layout_no_wrap(label.clone(), font.clone(), text);
            let pos = egui::pos2(x - g.size().x / 2.0, rect.top() + 1.0);
            let label_rect = Rect::from_min_size(pos, g.size());
            painter.galley(pos, g, text);
            // Each tick is a node for screen readers (and tests).
            let id = ui.id().with(("waterfall tick", i));
            ui.interact(label_rect, id, Sense::hover())
                .widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, label));
        }
    }

    /// The lanes with their bars; hovering a bar shows its details, clicking it moves
    /// the run to its start.
    pub(super) fn lanes_ui(&self, ui: &mut egui::Ui, queue: &mut CommandQueue) {
        let height = ROW_H * self.lanes.len() as f32 + 4.0;
        let (rect, _) = ui.allocate_exact_size(egui::vec2(self.width, height), Sense::hover());
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        let (text, weak) = (visuals.text_color(), visuals.weak_text_color());
        let font = FontId::proportional(TEXT_SIZE);
        let y = |lane: usize| rect.top() + 2.0 + ROW_H * (lane as f32 + 0.5);
        let at = |i: usize| {
            egui::pos2(
                rect.left() + self.x(self.mine[i].time.as_nanos()),
                y(self.journey.lane_of[i]),
            )
        };
        // Lanes: striped, named on the left; grid lines at the ticks.
        for (k, name) in self.lanes.iter().enumerate() {
            let row =
                Rect::from_x_y_ranges(rect.x_range(), (y(k) - ROW_H / 2.0)..=(y(k) + ROW_H / 2.0));
            if k % 2 == 1 {
                painter.rect_filled(row, 0.0, visuals.faint_bg_color);
            }
            let g = fit(&painter, name, LABEL_W - 8.0, font.clone(), text);
            painter.galley(
                egui::pos2(rect.left() + 4.0, y(k) - g.size().y / 2.0),
                g,
                text,
            );
        }
        for (x, _) in &self.ticks {
            painter.vline(
                rect.left() + x,
                rect.y_range(),
                Stroke::new(0.5, weak.gamma_multiply(0.5)),
            );
        }
        for h in &self.journey.handoffs {
            painter.line_segment(
                [at(h.from), at(h.to)],
                Stroke::new(1.2, text.gamma_multiply(0.4)),
            );
        }
        // Each bar's wait and work, as screen rectangles.
        let spans: Vec<(Rect, Rect)> = self
            .bars
            .iter()
            .map(|b| {
                let yc = y(b.lane);
                let ys = (yc - 6.0)..=(yc + 6.0);
                let start = rect.left() + self.x(b.start);
                let wait = Rect::from_x_y_ranges(
                    (rect.left() + self.x(b.waited_from))..=start,
                    ys.clone(),
                );
                let end = b
                    .end
                    .map_or(start + 3.0, |e| (rect.left() + self.x(e)).max(start + 3.0));
                (wait, Rect::from_x_y_ranges(start..=end, ys))
            })
            .collect();
        for (b, (wait, work)) in self.bars.iter().zip(&spans) {
            if wait.width() >= 1.0 {
                hatch(&painter, *wait, b.color);
            }
            painter.rect_filled(*work, 2.0, b.color);
            if b.work.undone_by.is_some() {
                painter.rect_stroke(
                    *work,
                    2.0,
                    Stroke::new(1.5, COMPENSATION),
                    egui::StrokeKind::Outside,
                );
            }
        }
        for (i, r) in self.mine.iter().enumerate() {
            painter.circle_filled(at(i), 2.5, kind_color(r.kind));
        }
        self.bar_names_ui(&painter, &spans, rect.right(), text);
        self.bar_hover_ui(ui, &spans, queue);
        self.queued_ui(ui, &painter, rect, text);
    }

    /// Messages delivered and not yet taken: hatched from their delivery to now,
    /// named, with their wait so far on hover.
    fn queued_ui(&self, ui: &egui::Ui, painter: &egui::Painter, rect: Rect, text: Color32) {
        let plan = self.playback.sim().plan();
        let font = FontId::proportional(TEXT_SIZE);
        for (k, &d) in self.journey.waiting.iter().enumerate() {
            let r = self.mine[d];
            let from = r.time.as_nanos();
            let yc = rect.top() + 2.0 + ROW_H * (self.journey.lane_of[d] as f32 + 0.5);
            let x0 = rect.left() + self.x(from);
            let x1 = (rect.left() + self.x(self.t1)).max(x0 + 3.0);
            let wait = Rect::from_x_y_ranges(x0..=x1, (yc - 6.0)..=(yc + 6.0));
            let color = kind_color(TraceKind::Completed);
            hatch(painter, wait, color);
            let name = format!(
                "{} @ {} (queued)",
                names::message_type(plan, r),
                names::place(self.model, plan, r)
            );
            if wait.width() >= 30.0 {
                let g = fit(painter, &name, wait.width() - 6.0, font.clone(), text);
                painter.galley(egui::pos2(x0 + 3.0, yc - g.size().y / 2.0), g, text);
            }
            let mut hit = wait;
            if hit.width() < 8.0 {
                hit = Rect::from_center_size(wait.center(), egui::vec2(8.0, wait.height()));
            }
            let response = ui.interact(hit, ui.id().with(("waterfall queued", k)), Sense::hover());
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, &name));
            response.on_hover_ui(|ui| {
                ui.label(RichText::new(&name).strong());
                ui.label(format!(
                    "delivered {} (+{}), waiting {} so far",
                    names::secs(r.time),
                    duration(from - self.t0),
                    duration(self.t1 - from)
                ));
                ui.label(
                    RichText::new(
                        "no worker has taken it yet: the queue is long or the service is down",
                    )
                    .weak(),
                );
            });
        }
    }

    /// The bars' names: inside a bar when they fit, else right of it up to the next
    /// mark on its lane (`right`: the end of the lanes); the short name, then cut with
    /// "…", when even that is too narrow.
    fn bar_names_ui(
        &self,
        painter: &egui::Painter,
        spans: &[(Rect, Rect)],
        right: f32,
        text: Color32,
    ) {
        let font = FontId::proportional(TEXT_SIZE);
        for (k, (b, (_, work))) in self.bars.iter().zip(spans).enumerate() {
            let next = spans
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != k && self.bars[j].lane == b.lane)
                .map(|(_, (w, _))| w.left())
                .filter(|&l| l > work.left())
                .fold(right, f32::min);
            let inside = work.width() - 6.0;
            let beside = next - work.right() - 8.0;
            let width_of = |s: &str| {
                painter
                    .layout_no_wrap(s.to_owned(), font.clone(), text)
                    .size()
                    .x
            };
            let chosen = [&b.name, &b.short].into_iter().find_map(|s| {
                let w = width_of(s);
                if w <= inside {
                    Some((s, true, w))
                } else if w <= beside {
                    Some((s, false, w))
                } else {
                    None
                }
            });
            let (label, inside_bar, room) = match chosen {
                Some(c) => c,
                None if inside.max(beside) >= 16.0 => {
                    (&b.short, inside >= beside, inside.max(beside))
                }
                None => continue,
            };
            let (x, color) = if inside_bar {
                (work.left() + 3.0, theme::ink_on(b.color))
            } else {
                (work.right() + 4.0, text)
            };
            let g = fit(painter, label, room, font.clone(), color);
            painter.galley(egui::pos2(x, work.center().y - g.size().y / 2.0), g, color);
        }
    }

    /// Hover and click, over a bar and its wait (at least a few pixels wide): the
    /// details in a tooltip; a click moves the run to the bar's start.
    fn bar_hover_ui(&self, ui: &egui::Ui, spans: &[(Rect, Rect)], queue: &mut CommandQueue) {
        for (k, (b, (wait, work))) in self.bars.iter().zip(spans).enumerate() {
            let mut hit = wait.union(*work);
            if hit.width() < 8.0 {
                hit = Rect::from_center_size(work.center(), egui::vec2(8.0, hit.height()));
            }
            let id = ui.id().with(("waterfall bar", k));
            let response = ui
                .interact(hit, id, Sense::click())
                .on_hover_cursor(egui::CursorIcon::PointingHand);
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &b.name));
            let response = response.on_hover_ui(|ui| self.details_ui(ui, b));
            if response.clicked() {
                queue.push(Command::Seek(SimTime::from_nanos(b.start)));
            }
        }
    }

    /// The tooltip of a bar.
    fn details_ui(&self, ui: &mut egui::Ui, b: &Bar) {
        let mine = self.mine;
        let at = |t: u64| names::secs(SimTime::from_nanos(t));
        ui.label(RichText::new(&b.name).strong());
        let start = mine[b.work.start];
        if start.detail > 1 {
            ui.label(format!("attempt {}", start.detail));
        }
        if b.work.is_compensation(mine) {
            ui.label(
                RichText::new("compensation: undoes a completed step of the saga")
                    .color(COMPENSATION),
            );
        }
        let wait = b.start - b.waited_from;
        ui.label(match b.work.waited_from.map(|f| mine[f].kind) {
            Some(TraceKind::Retried) => format!(
                "waited {} (backoff after the failed attempt, then the queue)",
                duration(wait)
            ),
            Some(_) if wait == 0 => "no wait: a worker took it on arrival".to_owned(),
            Some(_) => format!("waited {} in the queue", duration(wait)),
            None => "wait unknown (restarted after a crash)".to_owned(),
        });
        // Instants as in the log, and on the axis's scale (from the first record).
        let on_axis = |t: u64| format!("{} (+{})", at(t), duration(t - self.t0));
        ui.label(match b.end {
            Some(end) => format!(
                "start {} · end {} · took {}",
                on_axis(b.start),
                on_axis(end),
                duration(end - b.start)
            ),
            None => format!("start {} · no end", on_axis(b.start)),
        });
        let outcome = b.work.outcome(mine);
        let color = if outcome == Outcome::Completed {
            ui.visuals().text_color()
        } else {
            b.color
        };
        ui.label(RichText::new(format!("outcome: {}", outcome.label())).color(color));
        if let Some(u) = b.work.undone_by {
            let plan = self.playback.sim().plan();
            let by = names::message_type(plan, mine[u]);
            ui.label(
                RichText::new(format!(
                    "compensated: undone by {by} at {}",
                    at(mine[u].time.as_nanos())
                ))
                .color(COMPENSATION),
            );
        }
        if let Some(s) = b.work.sent_by {
            let place = names::place(self.model, self.playback.sim().plan(), mine[s]);
            ui.label(RichText::new(format!("sent by the saga {place}")).weak());
        }
        ui.label(RichText::new(format!("Click: move the run to {}", at(b.start))).weak());
    }
}

/// A small box of a legend colour, hatched for waits, outlined for undone steps.
fn swatch(ui: &mut egui::Ui, color: Color32, hatched: bool, undone: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 10.0), Sense::hover());
    let painter = ui.painter_at(rect);
    if hatched {
        hatch(&painter, rect, color);
    } else {
        painter.rect_filled(rect.shrink(1.5), 2.0, color);
    }
    if undone {
        painter.rect_stroke(
            rect.shrink(1.5),
            2.0,
            Stroke::new(1.5, COMPENSATION),
            egui::StrokeKind::Outside,
        );
    }
}

/// A wait: a light box with diagonal strokes, clearly not the work itself.
fn hatch(painter: &egui::Painter, rect: Rect, color: Color32) {
    painter.rect_filled(rect, 0.0, color.gamma_multiply(0.22));
    let clip = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let stroke = Stroke::new(1.0, color.gamma_multiply(0.7));
    let mut x = rect.left() - rect.height();
    while x < rect.right() {
        clip.line_segment(
            [
                Pos2::new(x, rect.bottom()),
                Pos2::new(x + rect.height(), rect.top()),
            ],
            stroke,
        );
        x += 5.0;
    }
}

/// Text laid out in one line, cut with "…" to `max_width`.
fn fit(
    painter: &egui::Painter,
    text: &str,
    max_width: f32,
    font: FontId,
    color: Color32,
) -> Arc<Galley> {
    let mut job = LayoutJob::simple_singleline(text.to_owned(), font, color);
    job.wrap = TextWrapping {
        overflow_character: Some('…'),
        ..TextWrapping::truncate_at_width(max_width.max(1.0))
    };
    painter.layout_job(job)
}
