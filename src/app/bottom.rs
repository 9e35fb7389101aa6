//! The bottom panel: problems, and the views of the run (findings, event log, one
//! item's trace, the emergent process, the comparison), as tabs.

use eframe::egui;

use super::commands::Command;
use super::{BottomTab, EventscapeApp, problems, simulate};

impl EventscapeApp {
    pub(super) fn bottom_panel(&mut self, ui: &mut egui::Ui) {
        // Never more than 60% of the window: a long view scrolls inside the panel
        // instead of pushing the canvas and the toolbar out of sight.
        let most = (ui.available_height() * 0.6).max(120.0);
        egui::Panel::bottom("bottom")
            .resizable(true)
            .default_size(150.0)
            .min_size(120.0)
            .max_size(most)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let tabs = [
                        (BottomTab::Problems, problems::summary(&self.doc.problems)),
                        (
                            BottomTab::Assertions,
                            simulate::tab_title(&mut self.views, &self.sim, &self.doc.model),
                        ),
                        (BottomTab::Bottlenecks, "Bottlenecks".to_owned()),
                        (BottomTab::EventLog, "Event log".to_owned()),
                        (BottomTab::Trace, "Trace".to_owned()),
                        (BottomTab::Process, "Emergent process".to_owned()),
                        (BottomTab::Compare, "Compare".to_owned()),
                    ];
                    for (tab, label) in tabs {
                        if ui.selectable_label(self.bottom == tab, label).clicked() {
                            self.queue.push(Command::ShowTab(tab));
                        }
                    }
                });
                ui.separator();
                let (model, queue) = (&self.doc.model, &mut self.queue);
                match self.bottom {
                    BottomTab::Problems => problems::problems_ui(ui, &self.doc.problems, queue),
                    BottomTab::Assertions => {
                        simulate::verdicts_ui(ui, &mut self.views, &self.sim, model, queue);
                    }
                    BottomTab::Bottlenecks => {
                        simulate::findings_ui(ui, &mut self.views, &self.sim, model, queue);
                    }
                    BottomTab::EventLog => self.views.event_log_ui(ui, &self.sim, model, queue),
                    BottomTab::Trace => {
                        simulate::trace_ui(
                            ui,
                            self.traced,
                            &mut self.views,
                            &self.sim,
                            model,
                            queue,
                        );
                    }
                    BottomTab::Compare => {
                        let seed = self.sim.seed();
                        // No runtime, no comparison to poll: starting one says why.
                        if let Ok(rt) = self.sim.runtime() {
                            self.compare.poll(rt);
                        }
                        self.compare.ui(ui, model, seed, queue);
                    }
                    BottomTab::Process => {
                        simulate::process_ui(ui, &mut self.views, &self.sim, model, queue);
                    }
                }
            });
    }
}
