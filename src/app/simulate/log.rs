//! The event log: every trace record of the run so far, filtered by element, kind
//! and correlation id; only the visible rows are laid out, so a million rows scroll
//! smoothly. Clicking a row moves the run to that moment; Shift+click shows its
//! item's journey. The filters are the log's own state; what a click asks for goes
//! to the command queue.

use eframe::egui::{self, RichText};

use super::names;
use crate::app::commands::{Command, CommandQueue};
use crate::model::{ElementRef, Model};
use crate::sim::Playback;
use crate::sim::{Plan, Record, TraceKind};

#[derive(Default)]
pub struct EventLog {
    /// Only records about this element.
    pub element: Option<ElementRef>,
    /// Only these kinds (empty: all).
    pub kinds: Vec<TraceKind>,
    /// Only this correlation id (text, so a half-typed id is kept).
    pub correlation: String,
    /// Indexes of the records that pass, for the records seen so far.
    rows: Vec<u32>,
    /// How many records (and which filter) `rows` was made from.
    seen: usize,
    filter_key: String,
    /// The rows have been scrolled to the playhead once (the latest records) since
    /// the log was opened on this run; from then on it sticks to the bottom while at it.
    placed: bool,
}

impl EventLog {
    /// Another run: the rows go, the filters stay.
    pub fn invalidate(&mut self) {
        self.rows.clear();
        self.seen = 0;
        self.filter_key.clear();
        self.placed = false;
    }

    fn key(&self) -> String {
        format!(
            "{:?}|{:?}|{}",
            self.element,
            self.kinds,
            self.correlation.trim()
        )
    }

    fn passes(&self, plan: &Plan, r: &Record, corr: Option<u64>) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&r.kind))
            && corr.is_none_or(|c| r.correlation == c)
            && self.element.as_ref().is_none_or(|e| plan.is_about(r, e))
    }

    /// Bring the filtered rows up to date with the records (only new records are
    /// looked at, unless the filter changed or the run went back).
    fn refresh(&mut self, plan: &Plan, records: &[Record]) {
        let key = self.key();
        if key != self.filter_key || records.len() < self.seen {
            self.rows.clear();
            self.seen = 0;
            self.filter_key = key;
        }
        let corr = self.correlation.trim().parse::<u64>().ok();
        for (i, r) in records.iter().enumerate().skip(self.seen) {
            if self.passes(plan, r, corr) {
                self.rows.push(i as u32);
            }
        }
        self.seen = records.len();
    }

    /// The filters and the rows.
    pub fn ui(&mut self, ui: &mut egui::Ui, model: &Model, p: &Playback, queue: &mut CommandQueue) {
        let records = p.records();
        let mut clicked = None;
        ui.horizontal_wrapped(|ui| {
            // Each filter's name before its box, as a form reads.
            let l = ui.label("Element");
            egui::ComboBox::from_id_salt("log-element")
                .selected_text(
                    self.element
                        .as_ref()
                        .map_or("any".into(), ToString::to_string),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.element, None, "any");
                    for n in crate::diagram::arch_graph(model).nodes {
                        let label = n.element.to_string();
                        ui.selectable_value(&mut self.element, Some(n.element), label);
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Kind");
            egui::ComboBox::from_id_salt("log-kind")
                .selected_text(match self.kinds.as_slice() {
                    [] => "any".to_owned(),
                    [k] => k.label().to_owned(),
                    ks => format!("{} kinds", ks.len()),
                })
                .show_ui(ui, |ui| {
                    if ui.selectable_label(self.kinds.is_empty(), "any").clicked() {
                        self.kinds.clear();
                    }
                    for k in TraceKind::ALL {
                        let mut on = self.kinds.contains(&k);
                        if ui.checkbox(&mut on, k.label()).changed() {
                            if on {
                                self.kinds.push(k);
                            } else {
                                self.kinds.retain(|x| *x != k);
                            }
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Correlation id");
            ui.add(egui::TextEdit::singleline(&mut self.correlation).desired_width(80.0))
                .labelled_by(l.id);
            if ui.button("Clear filters").clicked() {
                self.element = None;
                self.kinds.clear();
                self.correlation.clear();
            }
        });
        let plan = p.sim().plan();
        self.refresh(plan, records);
        ui.label(RichText::new(format!("{} of {} records", self.rows.len(), records.len())).weak());
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 2.0;
        let mut area = egui::ScrollArea::vertical()
            .auto_shrink(false)
            .stick_to_bottom(true);
        // The records end at the playhead: open there, not at the start of the run.
        if !self.placed && !self.rows.is_empty() {
            area = area.vertical_scroll_offset(row_height * self.rows.len() as f32 + 1e6);
            self.placed = true;
        }
        area.show_rows(ui, row_height, self.rows.len(), |ui, range| {
            for &i in &self.rows[range] {
                let r = &records[i as usize];
                ui.horizontal(|ui| {
                    let text = format!(
                        "{:>12}  {:<20} {:<22} {:<18} corr {}",
                        names::secs(r.time),
                        r.kind.label(),
                        names::place(model, plan, r),
                        names::message_type(plan, r),
                        r.correlation
                    );
                    if ui
                        .add(
                            egui::Label::new(RichText::new(text).monospace())
                                .sense(egui::Sense::click()),
                        )
                        .on_hover_text(
                            "Click: move the run here · Shift+click: this item's journey",
                        )
                        .clicked()
                    {
                        clicked = Some(i as usize);
                    }
                });
            }
        });
        let Some(r) = clicked.and_then(|i| records.get(i)) else {
            return;
        };
        if r.correlation != 0 && ui.input(|i| i.modifiers.shift) {
            queue.push(Command::ShowTrace(Some(r.correlation)));
        } else {
            queue.push(Command::Seek(r.time));
        }
    }
}
