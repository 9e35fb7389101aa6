//! Budgets for a run: an estimate of its work and memory before it starts (so a model
//! that would run for hours or allocate terabytes is refused with a hint, at once), and
//! limits on events and wall-clock time that end a run early but cleanly, its figures
//! then covering the simulated time reached (a *partial* run).
//!
//! The CLI (`simulate`, and `export` for the formats that simulate) and the app share
//! these: [`estimate`] and [`Budget::admit`] before building the run, [`run`] to drive
//! it. The engine itself never reads a clock; only [`run`] does, to stop at
//! `max_wall`, so a run stopped by time is the one run that is not reproducible, and
//! it says so ([`Stopped`]).
//!
//! ```
//! use eventscape::sim::{Budget, RunOptions, Simulation, budget};
//!
//! let model = eventscape::examples::DEFAULT.model().unwrap();
//! let options = RunOptions::default();
//! let limits = Budget { max_events: Some(1_000), ..Budget::default() };
//! limits.admit(&budget::estimate(&model, &options)).unwrap();
//! let mut sim = Simulation::new(&model, options).unwrap();
//! let stopped = budget::run(&mut sim, &limits, &mut |_| {});
//! assert_eq!(sim.stats().events, 1_000);
//! assert!(stopped.is_some(), "the example does more than 1,000 events");
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use super::engine::{LAG_SAMPLES, RunOptions, Simulation};
use super::{PlanError, SimTime};
use crate::model::{Action, Duration as ModelDuration, Handler, Model, Saga, Service, Trigger};

/// Above this many estimated events a run is refused unless it has an event budget
/// of its own (`--max-events`): at some 10 million events a second, a few minutes.
pub const MAX_ESTIMATED_EVENTS: f64 = 2e9;
/// Above this much estimated memory (what a run allocates up front, for its
/// partitions and consumer groups) a run is refused: 4 GiB.
pub const MAX_ESTIMATED_BYTES: f64 = 4.0 * 1024.0 * 1024.0 * 1024.0;
/// Events handled between two looks at the clock and the progress callback.
const SLICE_EVENTS: u64 = 1 << 16;
/// How deep [`estimate`] follows what handlers send on (a loop in the flows is cut
/// there).
const MAX_DEPTH: u32 = 12;

/// The work a run would do, estimated before it starts from the sources' rates ×
/// their active time and what each item sets off (deliveries per item, followed
/// through subscriptions, commands, outcomes and saga steps). An order of
/// magnitude, not a prediction: retries, faults and backlogs are not in it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Estimate {
    /// Workload items the sources emit.
    pub items: f64,
    /// Message deliveries one item sets off, on average.
    pub deliveries_per_item: f64,
    /// Engine events of the whole run.
    pub events: f64,
    /// Memory allocated up front, in bytes (partitions, offsets, lag series).
    pub bytes: f64,
}

/// Limits on one run. The default has none: a run goes to its end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Stop after this many engine events.
    pub max_events: Option<u64>,
    /// Stop after this much wall-clock time.
    pub max_wall: Option<Duration>,
}

/// A budget being spent by a run its caller steps itself (the streamed exports, which
/// write between slices of events): ask [`Meter::spent`] between slices.
#[derive(Clone, Copy, Debug)]
pub struct Meter {
    budget: Budget,
    started: Instant,
    base: u64,
}

impl Meter {
    /// Start spending `budget` on `sim` from where it stands now.
    pub fn new(budget: Budget, sim: &Simulation) -> Meter {
        Meter {
            budget,
            started: Instant::now(),
            base: sim.stats().events,
        }
    }

    /// Has the run spent its budget? `Some` says which limit it reached.
    pub fn spent(&self, sim: &Simulation) -> Option<Stopped> {
        if let Some(max) = self.budget.max_events
            && sim.stats().events - self.base >= max
        {
            return Some(Stopped::MaxEvents(max));
        }
        self.budget
            .max_wall
            .filter(|&wall| self.started.elapsed() >= wall)
            .map(Stopped::MaxWall)
    }
}

/// Why a run was refused before it started.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// It would take too many events (and has no event budget).
    TooManyEvents(Estimate),
    /// It would allocate too much memory up front.
    TooMuchMemory(Estimate),
}

impl Refusal {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            Refusal::TooManyEvents(e) => format!(
                "shorten the run (--duration), lower the sources' rates, or give an event \
                 budget (--max-events {}) to run that many events and get a partial report",
                (MAX_ESTIMATED_EVENTS as u64).min(e.events as u64)
            ),
            Refusal::TooMuchMemory(_) => "use fewer partitions (a topic's partitions × its \
                 consumer groups is what takes the memory)"
                .to_owned(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooManyEvents(e) => write!(
                f,
                "the run would take about {} events ({} items × {:.1} deliveries each), \
                 more than the {} a run may take without an event budget",
                approx(e.events),
                approx(e.items),
                e.deliveries_per_item,
                approx(MAX_ESTIMATED_EVENTS)
            ),
            Refusal::TooMuchMemory(e) => write!(
                f,
                "the run would allocate about {} of memory up front, more than the {} allowed",
                bytes(e.bytes),
                bytes(MAX_ESTIMATED_BYTES)
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Why a run ended before its end time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// It reached its event budget.
    MaxEvents(u64),
    /// It reached its wall-clock budget (the one stop that is not reproducible).
    MaxWall(Duration),
}

impl Stopped {
    /// Why the run stopped and what its figures cover, in words.
    pub fn covering(self, reached: SimTime) -> String {
        format!(
            "{self}; the figures cover the first {:.3} s of simulated time",
            reached.as_secs_f64()
        )
    }
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stopped::MaxEvents(n) => write!(f, "stopped at the event budget of {n} events"),
            Stopped::MaxWall(d) => write!(
                f,
                "stopped at the wall-clock budget of {}",
                humantime::format_duration(*d)
            ),
        }
    }
}

impl Budget {
    /// Refuse a run whose estimate is over the limits: too much memory always; too
    /// many events unless this budget caps them.
    pub fn admit(&self, estimate: &Estimate) -> Result<(), Refusal> {
        if estimate.bytes > MAX_ESTIMATED_BYTES {
            return Err(Refusal::TooMuchMemory(*estimate));
        }
        if estimate.events > MAX_ESTIMATED_EVENTS && self.max_events.is_none() {
            return Err(Refusal::TooManyEvents(*estimate));
        }
        Ok(())
    }
}

/// Why a run did not start.
#[derive(Debug)]
pub enum NotStarted {
    /// The model has validation errors.
    Invalid(PlanError),
    /// Its estimate is over the limits.
    Refused(Refusal),
}

/// Build a run of `model` if it is valid and its [`estimate`] is within `budget`
/// ([`Budget::admit`]); nothing is allocated for a run that is refused.
pub fn start(
    model: &Model,
    options: RunOptions,
    budget: &Budget,
) -> Result<Simulation, NotStarted> {
    let (plan, seed) = Simulation::plan_for(model, &options).map_err(NotStarted::Invalid)?;
    budget
        .admit(&estimate(model, &options))
        .map_err(NotStarted::Refused)?;
    Ok(Simulation::from_plan(plan, seed, options.trace_capacity))
}

/// Estimate a run of `model` under `options` (its duration override applied).
pub fn estimate(model: &Model, options: &RunOptions) -> Estimate {
    let end = options.duration_nanos.unwrap_or(model.duration.as_nanos()) as f64 / 1e9;
    let flows = Fanout::new(model);
    let mut items = 0.0;
    let mut deliveries = 0.0;
    for s in &model.sources {
        let start = s.start.map_or(0.0, ModelDuration::as_secs_f64);
        let stop = s.stop.map_or(end, |d| d.as_secs_f64().min(end));
        let n = s.rate.mean_per_sec().max(0.0) * (stop - start).max(0.0);
        items += n;
        deliveries += n * flows.action(&s.emit, 0);
    }
    let per_item = if items > 0.0 { deliveries / items } else { 0.0 };
    // An arrival, and per delivery its completion plus about one timer or fetch.
    let events = items + 2.0 * deliveries;
    Estimate {
        items,
        deliveries_per_item: per_item,
        events,
        bytes: upfront_bytes(model),
    }
}

/// Memory the engine allocates before the first event: per partition its log head
/// and counters, per partition and consumer group an offset and a lag series.
fn upfront_bytes(model: &Model) -> f64 {
    const PARTITION: f64 = 160.0;
    const PER_GROUP: f64 = 64.0 + 8.0 * (LAG_SAMPLES as f64 + 1.0);
    let mut readers: BTreeMap<&str, usize> = BTreeMap::new();
    let triggers = model
        .services
        .iter()
        .flat_map(|s| s.handlers.iter().map(|h| &h.on))
        .chain(model.sagas.iter().map(|g| &g.trigger));
    for on in triggers {
        if let Trigger::Event { topic, .. } = on {
            *readers.entry(topic.as_str()).or_default() += 1;
        }
    }
    model
        .topics
        .iter()
        .map(|t| {
            let groups = readers.get(t.name.as_str()).copied().unwrap_or(0);
            f64::from(t.partitions) * (PARTITION + groups as f64 * PER_GROUP)
        })
        .sum()
}

/// Deliveries set off by an action, followed through the model's flows, with the
/// model's readers looked up once (the estimate must stay cheap at 5,000 services).
struct Fanout<'a> {
    /// (event, topic) → the handlers and sagas it triggers, in model order.
    readers: BTreeMap<(&'a str, &'a str), Readers<'a>>,
    /// Service name → the service (the first of a repeated name).
    services: BTreeMap<&'a str, &'a Service>,
}

/// What one (event, topic) sets off.
#[derive(Default)]
struct Readers<'a> {
    handlers: Vec<&'a Handler>,
    sagas: Vec<&'a Saga>,
}

impl<'a> Fanout<'a> {
    fn new(model: &'a Model) -> Self {
        let mut readers: BTreeMap<(&str, &str), Readers> = BTreeMap::new();
        let mut services = BTreeMap::new();
        for s in &model.services {
            services.entry(s.name.as_str()).or_insert(s);
            for h in &s.handlers {
                if let Trigger::Event { event, topic, .. } = &h.on {
                    let r = readers.entry((event.as_str(), topic.as_str())).or_default();
                    r.handlers.push(h);
                }
            }
        }
        for g in &model.sagas {
            if let Trigger::Event { event, topic, .. } = &g.trigger {
                let r = readers.entry((event.as_str(), topic.as_str())).or_default();
                r.sagas.push(g);
            }
        }
        Self { readers, services }
    }

    /// The handler of `command` at the service named `to`.
    fn request_handler(&self, to: &str, command: &str) -> Option<&'a Handler> {
        self.services
            .get(to)
            .and_then(|s| s.handler_for_request(command))
    }

    fn action(&self, a: &Action, depth: u32) -> f64 {
        if depth > MAX_DEPTH {
            return 0.0;
        }
        match a {
            Action::Publish { event, topic, .. } => {
                let Some(r) = self.readers.get(&(event.as_str(), topic.as_str())) else {
                    return 0.0;
                };
                let handlers: f64 = r
                    .handlers
                    .iter()
                    .map(|h| 1.0 + self.handler(h, depth))
                    .sum();
                let sagas: f64 = r.sagas.iter().map(|g| self.saga(g, depth)).sum();
                handlers + sagas
            }
            Action::Send { command, to } => {
                1.0 + self
                    .request_handler(to, command)
                    .map_or(0.0, |h| self.handler(h, depth))
            }
            Action::Reply(_) => 1.0,
            Action::Append { .. } => 0.5,
        }
    }

    /// What one handling sets off: its emits, its outcomes weighted, its callback,
    /// and its retries.
    fn handler(&self, h: &Handler, depth: u32) -> f64 {
        let emit: f64 = h.emit.iter().map(|a| self.action(a, depth + 1)).sum();
        let outcomes: f64 = h
            .outcomes
            .iter()
            .map(|o| {
                o.probability.clamp(0.0, 1.0)
                    * o.emit
                        .iter()
                        .map(|a| self.action(a, depth + 1))
                        .sum::<f64>()
            })
            .sum();
        let callback = if h.callback.is_some() { 1.0 } else { 0.0 };
        // Attempts until one succeeds, at most the retry policy's.
        let attempts = f64::from(h.retry.attempts.max(1))
            .min(1.0 / (1.0 - h.fail_probability.clamp(0.0, 0.99)));
        (attempts - 1.0) * (1.0 + callback) + callback + emit + outcomes
    }

    /// A saga instance: its trigger's delivery, then per step a command and a reply
    /// (compensations are rarer than forward steps, and not counted), then its ending.
    fn saga(&self, g: &Saga, depth: u32) -> f64 {
        let steps: f64 = g
            .steps
            .iter()
            .map(|s| {
                let handler = self.request_handler(&s.service, &s.command);
                1.0 + handler.map_or(0.0, |h| self.handler(h, depth + 1))
            })
            .sum();
        let end: f64 = g
            .on_complete
            .iter()
            .map(|a| self.action(a, depth + 1))
            .sum();
        1.0 + steps + end
    }
}

/// Drive a run to its end within `budget`: `progress` is called every so many events
/// and at the end. On a stop the run is ended where it is ([`Simulation::end_now`]),
/// so its figures describe the simulated time reached; either way it is finished
/// ([`Simulation::finish`]). Returns why it stopped early, if it did.
pub fn run(
    sim: &mut Simulation,
    budget: &Budget,
    progress: &mut dyn FnMut(&Simulation),
) -> Option<Stopped> {
    let meter = Meter::new(*budget, sim);
    let base = sim.stats().events;
    let stopped = 'run: loop {
        // A slice never runs past the event budget, so the run stops exactly at it.
        let done = sim.stats().events - base;
        let slice = budget
            .max_events
            .map_or(SLICE_EVENTS, |m| m.saturating_sub(done).min(SLICE_EVENTS));
        for _ in 0..slice {
            if sim.step().is_none() {
                break 'run None;
            }
        }
        progress(sim);
        if let Some(why) = meter.spent(sim) {
            break Some(why);
        }
    };
    match stopped {
        Some(_) => sim.end_now(),
        None => {
            let end = sim.end();
            sim.step_until(end);
        }
    }
    sim.finish();
    progress(sim);
    stopped
}

/// A count written short: 3.2 billion, 45 million, 1200.
fn approx(n: f64) -> String {
    if !n.is_finite() {
        return "an unbounded number of".to_owned();
    }
    match n {
        n if n >= 1e12 => format!("{:.3e}", n),
        n if n >= 1e9 => format!("{:.1} billion", n / 1e9),
        n if n >= 1e6 => format!("{:.1} million", n / 1e6),
        n => format!("{n:.0}"),
    }
}

/// Bytes written short: 1.5 GiB.
fn bytes(b: f64) -> String {
    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
    if b >= 1024.0 * GIB {
        format!("{:.1} TiB", b / GIB / 1024.0)
    } else {
        format!("{:.1} GiB", b / GIB)
    }
}

#[cfg(test)]
mod tests;
