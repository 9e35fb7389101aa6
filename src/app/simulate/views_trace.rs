//! The trace view: one correlation id's journey across the elements, as a waterfall
//! over time (`views_waterfall`) above every record of the item.

use eframe::egui::{self, Color32, RichText};

use super::views_waterfall::Waterfall;
use super::{Session, SimViews, names};
use crate::app::commands::{Command, CommandQueue};
use crate::model::Model;
use crate::sim::{Playback, Record, TraceKind};

/// Colour of a record kind in the trace view.
pub(super) fn kind_color(k: TraceKind) -> Color32 {
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
    let waterfall = Waterfall::new(ui, &mine, p, model);
    waterfall.header_ui(ui, corr);
    // The time axis stays in view; the lanes and the records scroll under it, inside
    // the panel, which keeps its size.
    waterfall.axis_ui(ui);
    // Its own scroll per item, from the top: not the offset another tab's list left.
    egui::ScrollArea::vertical()
        .id_salt(("trace lanes", corr))
        .auto_shrink(false)
        .show(ui, |ui| {
            waterfall.lanes_ui(ui, queue);
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
