//! Views of the run: the findings, one item's journey (trace), the emergent process.

use eframe::egui::{self, Color32, RichText, Stroke};

use super::{Session, SimViews, names};
use crate::analysis::Process;
use crate::app::commands::{Command, CommandQueue};
use crate::app::theme;
use crate::model::Model;
use crate::sim::{Playback, Record, TraceKind};

/// The engine's findings at this point of the run; clicking one selects its element.
pub fn findings_ui(
    ui: &mut egui::Ui,
    views: &mut SimViews,
    session: &Session,
    model: &Model,
    queue: &mut CommandQueue,
) {
    if session.playback().is_none_or(|p| p.steps() == 0) {
        ui.label("Play or step the run: its bottlenecks appear here and on the canvas.");
        return;
    }
    let findings = views.findings(session, model);
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            if findings.is_empty() {
                ui.label(RichText::new("No bottleneck so far.").weak());
            }
            for b in findings {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!("{}.", b.rank))
                            .strong()
                            .color(theme::ERROR),
                    );
                    let text = format!("{} ({:?}): {}", b.element, b.kind, b.evidence);
                    if ui
                        .add(egui::Label::new(text).sense(egui::Sense::click()))
                        .on_hover_text("Click to select it")
                        .clicked()
                    {
                        queue.push(Command::Select(Some(b.element.clone())));
                    }
                });
            }
        });
}

/// Colour of a record kind in the trace view.
fn kind_color(k: TraceKind) -> Color32 {
    match k {
        TraceKind::Published => Color32::from_rgb(0x5b, 0x84, 0xc4),
        TraceKind::Delivered => Color32::from_rgb(0x3a, 0x9e, 0x70),
        TraceKind::Started | TraceKind::Completed => Color32::from_rgb(0x7d, 0xb8, 0xeb),
        TraceKind::Retried | TraceKind::Failed => Color32::from_rgb(0xe0, 0x9a, 0x2a),
        TraceKind::CompensationStarted | TraceKind::CompensationFinished => {
            Color32::from_rgb(0xd0, 0x48, 0x48)
        }
        TraceKind::DeadLettered | TraceKind::Dropped | TraceKind::Expired => {
            Color32::from_rgb(0x8e, 0x2c, 0x2c)
        }
        _ => Color32::from_rgb(0xf0, 0xab, 0x6a),
    }
}

/// One correlation id's journey across the elements, as a waterfall over time.
pub fn trace_ui(
    ui: &mut egui::Ui,
    traced: Option<u64>,
    views: &mut SimViews,
    session: &Session,
    model: &Model,
    queue: &mut CommandQueue,
) {
    if let Some(p) = session.playback() {
        let run = session.run_id();
        trace_body(ui, traced, p, model, run, &mut views.trace_rows, queue);
    } else if session.in_background() {
        ui.label("The run is playing on in the background.");
    } else {
        ui.label("The model cannot run; see Problems.");
    }
}

/// The records of one correlation id, found incrementally as the trace grows.
#[derive(Default)]
pub struct TraceRows {
    key: Option<(u64, u64)>,
    seen: usize,
    rows: Vec<u32>,
}

impl TraceRows {
    fn of(&mut self, run: u64, corr: u64, records: &[Record]) -> &[u32] {
        if self.key != Some((run, corr)) || records.len() < self.seen {
            *self = TraceRows {
                key: Some((run, corr)),
                ..Default::default()
            };
        }
        for (i, r) in records.iter().enumerate().skip(self.seen) {
            if r.correlation == corr {
                self.rows.push(i as u32);
            }
        }
        self.seen = records.len();
        &self.rows
    }
}

fn trace_body(
    ui: &mut egui::Ui,
    traced: Option<u64>,
    p: &Playback,
    model: &Model,
    run: u64,
    cache: &mut TraceRows,
    queue: &mut CommandQueue,
) {
    let records = p.records();
    trace_picker(ui, traced, records, queue);
    let Some(corr) = traced else {
        ui.label(
            RichText::new("Choose an item: from here, or Shift+click a row of the event log.")
                .weak(),
        );
        return;
    };
    let mine: Vec<_> = cache
        .of(run, corr, records)
        .iter()
        .map(|&i| &records[i as usize])
        .collect();
    if mine.is_empty() {
        ui.label(format!(
            "Nothing of item {corr} has happened yet in this run."
        ));
        return;
    }
    // One scroll for the waterfall and the records: the panel keeps its size.
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            waterfall(ui, corr, &mine, p, model);
            records_list(ui, &mine, p, model);
        });
}

/// The correlation id field, and quick picks: the latest items that compensated,
/// dead-lettered or timed out.
fn trace_picker(
    ui: &mut egui::Ui,
    traced: Option<u64>,
    records: &[Record],
    queue: &mut CommandQueue,
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Correlation id");
        let mut text = traced.map(|c| c.to_string()).unwrap_or_default();
        if ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(90.0))
            .labelled_by(l.id)
            .changed()
        {
            queue.push(Command::ShowTrace(text.trim().parse().ok()));
        }
        ui.label("or pick:");
        let mut picks: Vec<(u64, &'static str)> = Vec::new();
        for r in records.iter().rev() {
            let tag = match r.kind {
                TraceKind::CompensationStarted => "compensated",
                TraceKind::DeadLettered => "dead-lettered",
                TraceKind::StepTimedOut => "timed out",
                _ => continue,
            };
            if r.correlation != 0 && !picks.iter().any(|(c, _)| *c == r.correlation) {
                picks.push((r.correlation, tag));
            }
            if picks.len() >= 6 {
                break;
            }
        }
        for (c, tag) in picks {
            if ui.small_button(format!("{c} ({tag})")).clicked() {
                queue.push(Command::ShowTrace(Some(c)));
            }
        }
    });
}

/// The item's records (`mine`, in trace order, at least one) as a waterfall: one row
/// per element in the order the item reached it, work as bars from a start to the end
/// it caused, hand-offs as thin lines, every record a dot (`analysis::journey`).
fn waterfall(ui: &mut egui::Ui, corr: u64, mine: &[&Record], p: &Playback, model: &Model) {
    let (t0, t1) = (
        mine[0].time.as_nanos(),
        mine[mine.len() - 1]
            .time
            .as_nanos()
            .max(mine[0].time.as_nanos() + 1),
    );
    let journey = crate::analysis::journey(mine);
    // A lane is named after the place of its first record.
    let rows: Vec<String> = (0..journey.lanes.len())
        .map(|k| {
            let first = journey.lane_of.iter().position(|&l| l == k).unwrap_or(0);
            let r = mine[first];
            let kind = r.at.element_kind().map_or("", |k| k.label());
            format!("{} {kind}", names::place(model, p.sim().plan(), r))
        })
        .collect();
    ui.label(format!(
        "Item {corr}: {} records over {} (from {})",
        mine.len(),
        names::span(t1 - t0),
        names::span(t0)
    ));
    let row_h = 20.0;
    let label_w = 150.0;
    let width = ui.available_width().max(300.0);
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(width, row_h * rows.len() as f32 + 8.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let plot_w = rect.width() - label_w - 10.0;
    let x_of = |t: u64| rect.left() + label_w + plot_w * ((t - t0) as f32 / (t1 - t0) as f32);
    let y_of = |lane: usize| rect.top() + 4.0 + row_h * (lane as f32 + 0.5);
    let at = |i: usize| egui::pos2(x_of(mine[i].time.as_nanos()), y_of(journey.lane_of[i]));
    let text_color = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    for (i, name) in rows.iter().enumerate() {
        painter.text(
            egui::pos2(rect.left() + 4.0, y_of(i)),
            egui::Align2::LEFT_CENTER,
            name,
            egui::FontId::proportional(12.0),
            text_color,
        );
        painter.hline(
            (rect.left() + label_w)..=rect.right(),
            y_of(i),
            Stroke::new(0.5, weak),
        );
    }
    for h in &journey.handoffs {
        painter.line_segment(
            [at(h.from), at(h.to)],
            Stroke::new(1.2, text_color.gamma_multiply(0.45)),
        );
    }
    // Work on a service: a bar from its start to the end it caused; an attempt
    // that never ended (lost to a crash, or still running) is a short stub.
    for w in &journey.work {
        let start = at(w.start);
        let (end_x, color) = match w.end {
            Some(e) => (at(e).x.max(start.x + 3.0), kind_color(mine[e].kind)),
            None => (start.x + 3.0, weak),
        };
        let bar = egui::Rect::from_x_y_ranges(start.x..=end_x, (start.y - 5.0)..=(start.y + 5.0));
        painter.rect_filled(bar, 2.0, color);
    }
    for (i, r) in mine.iter().enumerate() {
        painter.circle_filled(at(i), 3.5, kind_color(r.kind));
    }
}

/// Every record of the item, one line each, coloured by kind.
fn records_list(ui: &mut egui::Ui, mine: &[&Record], p: &Playback, model: &Model) {
    egui::CollapsingHeader::new("Records").show(ui, |ui| {
        let plan = p.sim().plan();
        for r in mine {
            ui.label(
                RichText::new(format!(
                    "{:>12}  {:<20} {:<22} {}",
                    names::secs(r.time),
                    r.kind.label(),
                    names::place(model, p.sim().plan(), r),
                    names::message_type(plan, r)
                ))
                .monospace()
                .color(kind_color(r.kind)),
            );
        }
    });
}

/// The process as it actually ran: variants with counts and shares, the
/// directly-follows relation with frequencies, and where it departs from the model.
/// A variant's "trace" button shows one of its items in the trace view.
pub fn process_ui(
    ui: &mut egui::Ui,
    views: &mut SimViews,
    session: &Session,
    model: &Model,
    queue: &mut CommandQueue,
) {
    let Some(p) = session.playback() else {
        ui.label("The model cannot run; see Problems.");
        return;
    };
    if p.steps() == 0 {
        ui.label("Play or step the run: the process it takes is mined from its trace.");
        return;
    }
    let steps = p.steps();
    if views.process().is_none() {
        views.mine(session, model);
    }
    let Some((at, process)) = views.process() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Mined from the first {at} events.")).weak());
        if at != steps
            && ui
                .button(format!("Mine the run so far ({steps} events)"))
                .on_hover_text(Command::MineProcess.hover_text(ui.ctx()))
                .clicked()
        {
            queue.push(Command::MineProcess);
        }
    });
    ui.label(format!(
        "{} cases (workload items), {} activities, {} hand-offs, {} variants",
        process.cases,
        process.activities.len(),
        process.flows.len(),
        process.variants.len()
    ));
    let places = &views.process_places;
    let mut open = views.dfg_window;
    if ui.button("Show the directly-follows graph").clicked() {
        open = true;
    }
    let mut scene = views.dfg_scene;
    let screen = ui.ctx().content_rect();
    egui::Window::new("Emergent process: directly-follows graph")
        .open(&mut open)
        .default_size([screen.width() * 0.8, screen.height() * 0.75])
        .resizable(true)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(
                        "Arrows as thick as they are frequent; red: hand-offs the model does not \
                         have. Scroll or pinch to zoom, drag to pan.",
                    )
                    .weak(),
                );
                if ui.button("Fit").clicked() {
                    scene = None;
                }
            });
            super::dfg::dfg_ui(ui, process, places, &mut scene);
        });
    egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
        variants_ui(ui, process, queue);
        handoffs_ui(ui, process);
    });
    views.dfg_window = open;
    views.dfg_scene = scene;
}

/// The variants (paths items took), most common first, each with a button that shows
/// one of its items in the trace view.
fn variants_ui(ui: &mut egui::Ui, process: &Process, queue: &mut CommandQueue) {
    egui::CollapsingHeader::new("Variants")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("variants").striped(true).show(ui, |ui| {
                for h in ["kind", "cases", "share", "path", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for v in process.variants.iter().take(50) {
                    ui.label(v.kind.label());
                    ui.label(v.count.to_string());
                    ui.label(format!("{:.1}%", v.share * 100.0));
                    let path: Vec<&str> = v
                        .path
                        .iter()
                        .map(|&i| process.activities[i].name.as_str())
                        .collect();
                    ui.label(if path.is_empty() {
                        "(nothing handled)".to_owned()
                    } else {
                        path.join(" > ")
                    });
                    if ui
                        .small_button("trace")
                        .on_hover_text(format!("Show item {}", v.example))
                        .clicked()
                    {
                        queue.push(Command::ShowTrace(Some(v.example)));
                    }
                    ui.end_row();
                }
            });
            if process.variants.len() > 50 {
                ui.label(
                    RichText::new(format!(
                        "... and {} rarer variants",
                        process.variants.len() - 50
                    ))
                    .weak(),
                );
            }
        });
}

/// The hand-offs that happened, most frequent first (those the model does not have
/// in red), and the modelled ones never taken.
fn handoffs_ui(ui: &mut egui::Ui, process: &Process) {
    egui::CollapsingHeader::new("Directly-follows (hand-offs, most frequent first)")
        .default_open(true)
        .show(ui, |ui| {
            let mut flows: Vec<_> = process.flows.iter().collect();
            flows.sort_by_key(|f| std::cmp::Reverse(f.count));
            for f in flows {
                let text = format!(
                    "{} > {}   ×{}",
                    process.activities[f.from].name, process.activities[f.to].name, f.count
                );
                if f.unmodelled {
                    ui.label(
                        RichText::new(format!("{text}   not in the model")).color(theme::ERROR),
                    );
                } else {
                    ui.label(text);
                }
            }
        });
    if !process.never_seen.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Modelled hand-offs never taken ({})",
            process.never_seen.len()
        ))
        .show(ui, |ui| {
            for (a, b) in &process.never_seen {
                ui.label(RichText::new(format!("{a} > {b}")).color(theme::WARNING));
            }
        });
    }
}
