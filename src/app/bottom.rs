//! The bottom panel: problems, and the views of the run (findings, event log, one
//! item's trace, the emergent process), as tabs.

use eframe::egui;

use super::{BottomTab, EventscapeApp, problems, simulate};

impl EventscapeApp {
    pub(super) fn bottom_panel(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("bottom")
            .resizable(true)
            .default_size(150.0)
            .min_size(120.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let tabs = [
                        (BottomTab::Problems, problems::summary(&self.doc.problems)),
                        (BottomTab::Bottlenecks, "Bottlenecks".to_owned()),
                        (BottomTab::EventLog, "Event log".to_owned()),
                        (BottomTab::Trace, "Trace".to_owned()),
                        (BottomTab::Process, "Emergent process".to_owned()),
                        (BottomTab::Compare, "Compare".to_owned()),
                    ];
                    for (tab, label) in tabs {
                        ui.selectable_value(&mut self.bottom, tab, label);
                    }
                });
                ui.separator();
                match self.bottom {
                    BottomTab::Problems => {
                        if let Some(el) = problems::problems_ui(ui, &self.doc.problems) {
                            self.selection = Some(el);
                        }
                    }
                    BottomTab::Bottlenecks => {
                        if let Some(el) = simulate::findings_ui(ui, &mut self.sim, &self.doc.model)
                        {
                            self.selection = Some(el);
                        }
                    }
                    BottomTab::EventLog => self.event_log(ui),
                    BottomTab::Trace => {
                        simulate::trace_ui(ui, &mut self.traced, &mut self.sim, &self.doc.model);
                    }
                    BottomTab::Compare => self.compare_view(ui),
                    BottomTab::Process => {
                        if let Some(c) = simulate::process_ui(ui, &mut self.sim, &self.doc.model) {
                            self.traced = Some(c);
                            self.bottom = BottomTab::Trace;
                        }
                    }
                }
            });
    }

    fn compare_view(&mut self, ui: &mut egui::Ui) {
        let seed = self.sim.seed;
        let rt = self.sim.runtime();
        self.compare.ui(ui, rt, &self.doc.model, seed);
    }

    fn event_log(&mut self, ui: &mut egui::Ui) {
        let mut log = std::mem::take(&mut self.sim.log);
        let mut seek_to = None;
        let action = match self.sim.playback() {
            Some(p) => {
                let a = log.ui(ui, &self.doc.model, p);
                if let Some(simulate::LogAction::Seek(i)) = &a {
                    seek_to = p.records().get(*i).map(|r| r.time);
                }
                a
            }
            None => {
                ui.label("The model cannot run; see Problems.");
                None
            }
        };
        self.sim.log = log;
        if let Some(t) = seek_to {
            self.sim.seek(t);
        }
        if let Some(simulate::LogAction::Trace(c)) = action {
            self.traced = Some(c);
            self.bottom = BottomTab::Trace;
        }
    }
}
