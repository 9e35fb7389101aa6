//! The views below the diagram: problems, and the views of the run (verdicts,
//! findings, event log, one item's trace, the emergent process, the comparison),
//! each a tab of the docked layout (see `dock`).

use eframe::egui;

use super::{BottomTab, EventscapeApp, problems, simulate};

impl EventscapeApp {
    /// The title of `tab`'s tab (the problems and verdicts say how many there are).
    pub(super) fn bottom_tab_title(&mut self, tab: BottomTab) -> String {
        match tab {
            BottomTab::Problems => problems::summary(&self.doc.problems),
            BottomTab::Assertions => {
                simulate::tab_title(&mut self.views, &self.sim, &self.doc.model)
            }
            BottomTab::Bottlenecks => "Bottlenecks".to_owned(),
            BottomTab::EventLog => "Event log".to_owned(),
            BottomTab::Trace => "Trace".to_owned(),
            BottomTab::Process => "Emergent process".to_owned(),
            BottomTab::Compare => "Compare".to_owned(),
        }
    }

    /// The view of `tab`, in the room `ui` has (it scrolls inside it).
    pub(super) fn bottom_view_ui(&mut self, ui: &mut egui::Ui, tab: BottomTab) {
        let (model, queue) = (&self.doc.model, &mut self.queue);
        match tab {
            BottomTab::Problems => problems::problems_ui(ui, &self.doc.problems, queue),
            BottomTab::Assertions => {
                simulate::verdicts_ui(ui, &mut self.views, &self.sim, model, queue);
            }
            BottomTab::Bottlenecks => {
                simulate::findings_ui(ui, &mut self.views, &self.sim, model, queue);
            }
            BottomTab::EventLog => self.views.event_log_ui(ui, &self.sim, model, queue),
            BottomTab::Trace => {
                simulate::trace_ui(ui, self.traced, &mut self.views, &self.sim, model, queue);
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
    }
}
