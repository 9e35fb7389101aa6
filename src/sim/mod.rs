//! The deterministic discrete-event simulator.
//!
//! ```
//! use eventscape::sim::{RunOptions, SimTime, Simulation};
//!
//! let model = eventscape::examples::DEFAULT.model().unwrap();
//! let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
//! sim.step();                                   // one event
//! sim.step_until(SimTime::from_secs_f64(1.0));  // up to t = 1 s
//! sim.run();                       // to the end of the model's duration
//! assert!(sim.stats().messages.balanced());
//! ```
//!
//! Lifecycle: build a [`Simulation`] from a model (compiled into a [`Plan`]; a model
//! with validation errors is refused), then advance it with [`Simulation::step`],
//! [`Simulation::step_until`] or [`Simulation::run`]. Statistics ([`Stats`]) are exact
//! and can be read at any time; [`Simulation::finish`] (called by `run`) closes them
//! and counts what is still in flight. The [`Trace`] keeps recent records in a ring
//! and can stream all of them to a sink.
//!
//! Semantics, briefly: time is integer nanoseconds ([`SimTime`]) and simultaneous events run in the
//! order they were scheduled; services are `instances × concurrency` workers sharing
//! one FIFO queue; a topic partition is read by one member of each consumer group,
//! one message at a time, in order, and each group keeps its own offsets; delivery is
//! at least once (failed attempts are retried with backoff, then dead-lettered; work
//! lost in a crash is redelivered); sagas send each step's command and wait for the
//! reply with a timeout, compensating completed steps in reverse order on failure.

pub mod budget;
mod engine;
pub mod ids;
mod plan;
mod playback;
mod queue;
mod sampler;
mod stats;
mod time;
mod trace;
mod verdict;

pub use budget::{Budget, Estimate, NotStarted, Refusal, Stopped};
pub use engine::{
    DEFAULT_TRACE_CAPACITY, Hop, HopLoad, REBALANCE_PAUSE_NANOS, Retained, RunOptions, Simulation,
    Token,
};
pub use plan::{MsgKind, Plan, PlanError, TypeInfo};
pub use playback::{
    Breakpoint, CHECKPOINT_EVERY, MAX_CHECKPOINT_BYTES, MAX_CHECKPOINTS, Playback, RunOutcome,
};
pub use queue::EventQueue;
pub use sampler::{Sampler, SimRng};
pub use stats::{
    ChoreographyStats, EXAMPLES, GroupStats, Latencies, Level, MessageTotals, ProjectionStats,
    SagaOutcome, SagaStats, Series, ServiceStats, SourceStats, Stats, StoreStats, TopicStats,
};
pub use time::SimTime;
pub use trace::{Record, Trace, TraceKind, Where};
pub use verdict::{Judge, Verdict, busy_share, run_utilisation};
