//! Whole runs in the background (tokio): the window keeps responding, shows progress
//! and can cancel. Used for "Run to end" and for comparing two models.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::analysis::Report;
use crate::model::Model;
use crate::sim::RunOptions;
use crate::sim::SimTime;
use crate::sim::budget::{self, Budget, NotStarted};

/// Simulated time a run advances between looks at the cancel flag.
const CHUNK: u64 = 1_000_000_000;

/// One model's run in the background.
pub struct Job {
    pub label: String,
    progress: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    end: u64,
    handle: Option<tokio::task::JoinHandle<Result<Report, String>>>,
    result: Option<Result<Report, String>>,
}

impl Job {
    /// Start running `model` to its end with this seed.
    pub fn start(rt: &tokio::runtime::Runtime, label: String, model: Model, seed: u64) -> Self {
        let progress = Arc::new(AtomicU64::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let end = model.duration.as_nanos();
        let (p, c) = (progress.clone(), cancel.clone());
        let handle = rt.spawn_blocking(move || {
            let options = RunOptions {
                seed: Some(seed),
                trace_capacity: 0,
                ..RunOptions::default()
            };
            // A run over the budget is refused here: nobody is there to ask.
            let mut sim =
                budget::start(&model, options, &Budget::default()).map_err(|e| match e {
                    NotStarted::Invalid(e) => e.to_string(),
                    NotStarted::Refused(why) => format!("not run: {why}"),
                })?;
            let mut t = SimTime::ZERO;
            while t < sim.end() {
                if c.load(Ordering::Relaxed) {
                    return Err("cancelled".into());
                }
                t = (t + CHUNK).min(sim.end());
                sim.step_until(t);
                p.store(t.as_nanos(), Ordering::Relaxed);
            }
            sim.finish();
            Ok(Report::new(&model, &mut sim))
        });
        Self {
            label,
            progress,
            cancel,
            end,
            handle: Some(handle),
            result: None,
        }
    }

    /// Share of the run done, 0..=1.
    pub fn fraction(&self) -> f32 {
        if self.end == 0 {
            1.0
        } else {
            self.progress.load(Ordering::Relaxed) as f32 / self.end as f32
        }
    }

    /// Has the run ended (finished, failed or cancelled)?
    pub fn ended(&self) -> bool {
        self.result.is_some()
            || self
                .handle
                .as_ref()
                .is_some_and(tokio::task::JoinHandle::is_finished)
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome, once collected by [`Job::poll`].
    pub fn result(&self) -> Option<&Result<Report, String>> {
        self.result.as_ref()
    }

    /// Collect the outcome when the run has ended.
    pub fn poll(&mut self, rt: &tokio::runtime::Runtime) -> Option<&Result<Report, String>> {
        if let Some(h) = &self.handle
            && h.is_finished()
            && let Some(h) = self.handle.take()
        {
            self.result = Some(rt.block_on(h).unwrap_or_else(|e| Err(e.to_string())));
        }
        self.result.as_ref()
    }
}
