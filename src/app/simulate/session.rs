//! The simulation session: the [`Playback`] of the document's model, how it plays
//! (playing or paused, speed, seed, breakpoints), the run playing on in the
//! background, and the runtime for background work. What the views remember about
//! the run is not here but in [`super::SimViews`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use eframe::egui;

use super::{Breakpoints, FRAME_BUDGET, SPEEDS};
use crate::app::document::Document;
use crate::model::Model;
use crate::sim::SimTime;
use crate::sim::budget::{self, Budget, Refusal};
use crate::sim::{Playback, RunOptions, RunOutcome};

/// The run playing to its end on a background thread (the window keeps working).
pub(super) struct Background {
    handle: tokio::task::JoinHandle<(Playback, Option<String>)>,
    pub(super) progress: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    pub(super) start: u64,
    pub(super) end: u64,
}

/// The run shown in the app.
pub struct Session {
    /// Runs background work; made when first needed.
    runtime: Option<tokio::runtime::Runtime>,
    pub(super) background: Option<Background>,
    playback: Option<Playback>,
    /// Why there is no run (the model has errors).
    pub(super) unavailable: Option<String>,
    /// (document generation, revision) last looked at.
    built_for: Option<(u64, u64)>,
    /// The model the run is of, without its layout.
    ran: Option<Model>,
    /// The model's own seed when last adopted (an edit of it is taken up).
    model_seed: Option<u64>,
    run_id: u64,
    playing: bool,
    /// Index into [`SPEEDS`].
    speed: usize,
    seed: u64,
    breakpoints: Breakpoints,
    last_tick: Option<Instant>,
    /// Fractional simulated time carried between frames.
    carry: f64,
    message: Option<String>,
    /// The run (its id) whose "Run to end" was over the budget and asked first: the
    /// next "Run to end" of it goes ahead.
    asked_over_budget: Option<u64>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            runtime: None,
            background: None,
            playback: None,
            unavailable: None,
            built_for: None,
            ran: None,
            model_seed: None,
            run_id: 0,
            playing: false,
            speed: 4,
            seed: 0,
            breakpoints: Breakpoints::default(),
            last_tick: None,
            carry: 0.0,
            message: None,
            asked_over_budget: None,
        }
    }
}

impl Session {
    /// The run, unless the model cannot run or the run is in the background.
    pub fn playback(&self) -> Option<&Playback> {
        self.playback.as_ref()
    }

    /// Is the run playing (not paused)?
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// The speed: an index into [`SPEEDS`].
    pub fn speed(&self) -> usize {
        self.speed
    }

    /// The seed the run is made with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The conditions the run pauses on.
    pub fn breakpoints(&self) -> &Breakpoints {
        &self.breakpoints
    }

    /// What the run last said ("Paused: …", "The run reached its end").
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The runtime for background work, started on first use; an error says why it
    /// could not start (then nothing can run in the background).
    pub fn runtime(&mut self) -> Result<&tokio::runtime::Runtime, String> {
        let rt = match self.runtime.take() {
            Some(rt) => rt,
            None => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .max_blocking_threads(2)
                .build()
                .map_err(|e| format!("Cannot start work in the background: {e}"))?,
        };
        Ok(self.runtime.insert(rt))
    }

    /// Is the run playing on in the background?
    pub fn in_background(&self) -> bool {
        self.background.is_some()
    }

    /// Identifies the run (bumped whenever it is replaced or reset), for what is
    /// remembered about it elsewhere.
    pub fn run_id(&self) -> u64 {
        self.run_id
    }

    /// Play the run to its end (or its first breakpoint) on a background thread,
    /// with progress and cancel.
    pub fn run_to_end(&mut self, model: &Model) {
        if self.busy_elsewhere() || self.ask_over_budget(model) {
            return;
        }
        let Some(mut p) = self.playback.take() else {
            return;
        };
        self.playing = false;
        let breakpoints = self
            .breakpoints
            .list(model.services.len(), p.sim().plan().groups.len());
        let progress = Arc::new(AtomicU64::new(p.time().as_nanos()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (start, end) = (p.time(), p.end());
        let (pr, c) = (progress.clone(), cancel.clone());
        let rt = match self.runtime() {
            Ok(rt) => rt,
            Err(why) => {
                self.playback = Some(p);
                self.message = Some(why);
                return;
            }
        };
        let handle = rt.spawn_blocking(move || {
            loop {
                if c.load(Ordering::Relaxed) {
                    return (p, Some("Cancelled".to_owned()));
                }
                let t = (p.time() + 5_000_000_000).min(p.end());
                match p.run_until(t, 200_000, &breakpoints) {
                    RunOutcome::Hit { why, .. } => return (p, Some(format!("Paused: {why}"))),
                    RunOutcome::Finished => {
                        return (p, Some("The run reached its end".to_owned()));
                    }
                    RunOutcome::ReachedTime | RunOutcome::Budget => {}
                }
                pr.store(p.time().as_nanos(), Ordering::Relaxed);
            }
        });
        self.background = Some(Background {
            handle,
            progress,
            cancel,
            start: start.as_nanos(),
            end: end.as_nanos(),
        });
    }

    /// Is a whole run of `model` over the run budget (`sim::budget`), and not asked
    /// about yet? Then ask (the next "Run to end" goes ahead).
    fn ask_over_budget(&mut self, model: &Model) -> bool {
        if self.asked_over_budget == Some(self.run_id) {
            return false;
        }
        let estimate = budget::estimate(model, &RunOptions::default());
        match Budget::default().admit(&estimate) {
            Ok(()) => false,
            Err(why) => {
                self.asked_over_budget = Some(self.run_id);
                self.message = Some(format!(
                    "This is a long run: {why}. Run to end again to go ahead (Cancel stops it)"
                ));
                true
            }
        }
    }

    /// Stop the run in the background where it is (it comes back paused there).
    pub fn cancel_background(&mut self) {
        match &self.background {
            Some(b) => b.cancel.store(true, Ordering::Relaxed),
            None => self.message = Some("Nothing runs in the background".into()),
        }
    }

    /// Take the run back from the background when it is done.
    fn poll_background(&mut self) {
        if self
            .background
            .as_ref()
            .is_some_and(|b| b.handle.is_finished())
            && let Some(b) = self.background.take()
        {
            let joined = match self.runtime() {
                Ok(rt) => rt.block_on(b.handle).map_err(|e| e.to_string()),
                Err(why) => Err(why),
            };
            match joined {
                Ok((p, message)) => {
                    self.playback = Some(p);
                    self.message = message;
                }
                Err(e) => {
                    self.playback = None;
                    self.unavailable = Some(format!(
                        "The background run failed ({e}); edit the model or open it again to start over"
                    ));
                }
            }
        }
    }

    /// Make sure the run is of the document as it is now.
    pub fn follow(&mut self, doc: &Document, generation: u64) {
        let key = (generation, doc.revision());
        if self.built_for == Some(key) {
            return;
        }
        let new_document = self.built_for.map(|k| k.0) != Some(generation);
        self.built_for = Some(key);
        // Moving boxes does not change the run: compare the model without its layout.
        let runnable = without_layout(&doc.model);
        if !new_document && self.ran.as_ref() == Some(&runnable) {
            return;
        }
        if new_document || self.model_seed != Some(doc.model.seed) {
            self.seed = doc.model.seed;
            self.model_seed = Some(doc.model.seed);
        }
        self.ran = Some(runnable);
        if let Some(b) = self.background.take() {
            b.cancel.store(true, Ordering::Relaxed);
        }
        self.playing = false;
        self.run_id += 1;
        let estimate = budget::estimate(&doc.model, &RunOptions::default());
        if let Err(why @ Refusal::TooMuchMemory(_)) = Budget::default().admit(&estimate) {
            self.playback = None;
            self.unavailable = Some(format!("The model cannot run: {why}; {}", why.hint()));
            return;
        }
        match Playback::new(&doc.model, Some(self.seed)) {
            Ok(p) => {
                self.playback = Some(p);
                self.unavailable = None;
            }
            Err(e) => {
                self.playback = None;
                // In the window the errors are listed under Problems (the CLI's
                // message sends the reader to `eventscape check`).
                let first = e.0.first().map(ToString::to_string).unwrap_or_default();
                self.unavailable = Some(format!(
                    "The model cannot run: fix its {} error(s) listed under Problems \
                     (first: {first})",
                    e.0.len()
                ));
            }
        }
    }

    /// A command that needs the run while it plays on in the background.
    fn busy_elsewhere(&mut self) -> bool {
        if self.background.is_some() {
            self.message = Some("The run is playing on in the background: Cancel it first".into());
            true
        } else {
            false
        }
    }

    /// Play or pause the run (at its end, say so instead).
    pub fn toggle_play(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        if let Some(p) = &self.playback {
            if p.is_done() {
                self.message = Some("The run is at its end: Reset to play again".into());
                return;
            }
            self.playing = !self.playing;
            self.last_tick = None;
            self.message = None;
        }
    }

    /// Pause and process the next event.
    pub fn step(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        if let Some(p) = &mut self.playback
            && p.step().is_none()
        {
            self.message = Some("The run is at its end".into());
        }
    }

    /// Pause and go back one event.
    pub fn step_back(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        if let Some(p) = &mut self.playback
            && !p.step_back()
        {
            self.message = Some("Already at the start".into());
        }
    }

    /// Start the run over with the seed shown (the views start over too: the run id
    /// changes).
    pub fn reset(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        self.run_id += 1;
        if let Some(p) = &mut self.playback {
            p.reset(Some(self.seed));
        }
        self.message = None;
    }

    /// Run with another seed, from the start.
    pub fn set_seed(&mut self, seed: u64) {
        if self.busy_elsewhere() {
            return;
        }
        self.seed = seed;
        self.reset();
    }

    /// Play at `SPEEDS[speed]` (the fastest when out of range).
    pub fn set_speed(&mut self, speed: usize) {
        self.speed = speed.min(SPEEDS.len() - 1);
    }

    /// Pause the run on these from now on.
    pub fn set_breakpoints(&mut self, breakpoints: Breakpoints) {
        self.breakpoints = breakpoints;
    }

    /// Pause and go to simulated time `t`.
    pub fn seek(&mut self, t: SimTime) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        if let Some(p) = &mut self.playback {
            p.seek(t);
        }
    }

    /// Advance a playing run by the wall-clock time since the last frame.
    pub fn tick(&mut self, model: &Model, ctx: &egui::Context) {
        if self.background.is_some() {
            self.poll_background();
            ctx.request_repaint();
        }
        if !self.playing {
            self.last_tick = None;
            return;
        }
        let Some(p) = &mut self.playback else {
            self.playing = false;
            return;
        };
        let now = Instant::now();
        let dt = self
            .last_tick
            .map_or(0.0, |t| now.duration_since(t).as_secs_f64().min(0.25));
        self.last_tick = Some(now);
        let advance = dt * SPEEDS[self.speed] * 1e9 + self.carry;
        let whole = advance.floor();
        self.carry = advance - whole;
        let target = (p.time() + whole as u64).min(p.end());
        let breakpoints = self
            .breakpoints
            .list(model.services.len(), p.sim().plan().groups.len());
        match p.run_until(target, FRAME_BUDGET, &breakpoints) {
            RunOutcome::Hit { why, .. } => {
                self.playing = false;
                self.message = Some(format!("Paused: {why}"));
            }
            RunOutcome::Finished => {
                self.playing = false;
                self.message = Some("The run reached its end".into());
            }
            RunOutcome::ReachedTime | RunOutcome::Budget => {}
        }
        ctx.request_repaint();
    }
}

/// The model as far as a run is concerned: without the boxes' positions.
fn without_layout(model: &Model) -> Model {
    let mut m = model.clone();
    m.services.iter_mut().for_each(|x| x.pos = None);
    m.topics.iter_mut().for_each(|x| x.pos = None);
    m.sagas.iter_mut().for_each(|x| x.pos = None);
    m.stores.iter_mut().for_each(|x| x.pos = None);
    m.projections.iter_mut().for_each(|x| x.pos = None);
    m.sources.iter_mut().for_each(|x| x.pos = None);
    m
}
