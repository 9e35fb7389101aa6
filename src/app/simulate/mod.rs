//! Simulation in the app: a [`Playback`] of the document's model that plays at a
//! chosen speed, steps one event forwards or back, scrubs along a timeline and stops
//! at breakpoints; its state is drawn over the canvas and listed in the panels.
//!
//! The run follows the document: any edit starts it over (the model it ran is gone).
//!
//! [`Session`] is the run and how it plays; [`SimViews`] is what the views remember
//! about it. The controls and the views read both and push commands; the app applies
//! them (`EventscapeApp::apply`).

mod background;
mod compare;
mod controls;
mod dfg;
mod log;
mod metrics;
mod names;
pub mod overlay;
mod session;
mod time_axis;
mod verdicts;
mod views;
mod views_state;
mod views_trace;
mod views_waterfall;

use crate::sim::Breakpoint;

pub use compare::Compare;
pub use controls::controls_ui;
pub use metrics::live_metrics_ui;
pub use names::secs;
pub use session::Session;
pub use verdicts::{tab_title, verdicts_ui};
pub use views::{findings_ui, process_ui};
pub use views_state::SimViews;
pub use views_trace::trace_ui;

/// Speeds offered, simulated seconds per wall-clock second.
pub const SPEEDS: [f64; 9] = [0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0];

/// Most events processed in one frame while playing, so the window stays responsive.
const FRAME_BUDGET: usize = 100_000;

/// The breakpoints a user can switch on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Breakpoints {
    /// Pause when a saga starts compensating.
    pub compensation: bool,
    /// Pause when a message is dead-lettered.
    pub dead_letter: bool,
    /// Pause when one of the model's assertions fails.
    pub assertion: bool,
    /// Pause when an effect is left orphaned (nothing will undo it).
    pub orphaned: bool,
    /// Pause when any service's queue is longer than this.
    pub queue_above: Option<u64>,
    /// Pause when any consumer group lags more than this.
    pub lag_above: Option<u64>,
}

impl Breakpoints {
    fn list(&self, model_services: usize, groups: usize) -> Vec<Breakpoint> {
        let mut out = Vec::new();
        if self.compensation {
            out.push(Breakpoint::CompensationStarted);
        }
        if self.dead_letter {
            out.push(Breakpoint::DeadLettered);
        }
        if self.assertion {
            out.push(Breakpoint::AssertionFailed);
        }
        if self.orphaned {
            out.push(Breakpoint::OrphanedEffect);
        }
        if let Some(above) = self.queue_above {
            out.extend(
                (0..model_services).map(|service| Breakpoint::QueueAbove { service, above }),
            );
        }
        if let Some(above) = self.lag_above {
            out.extend((0..groups).map(|group| Breakpoint::LagAbove { group, above }));
        }
        out
    }
}
