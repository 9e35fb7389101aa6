//! Orchestrated sagas: an orchestrator sends each step's command, waits for the reply,
//! and on failure compensates the completed steps in reverse order.
//!
//! # Steps the orchestrator stopped waiting for
//!
//! A step whose reply does not come in time (after its retries) may still happen: the
//! participant may be slow or down, and handle the command later. Two policies say
//! what the orchestrator does about it, per saga or per step (a step's own setting
//! wins; see [`Saga::timeout_policy`] and [`Saga::late_success_policy`]):
//!
//! - [`OnTimeout`]: `GiveUp` (the default) compensates only the steps whose success
//!   it heard of; `Compensate` assumes the timed-out step may have happened and sends
//!   its compensation too (compensations are idempotent: undoing what never happened
//!   does nothing).
//! - [`OnLateSuccess`]: `Ignore` (the default) drops a success reply that arrives
//!   after the orchestrator stopped waiting for it; `Compensate` sends the step's
//!   compensation then, even after the saga ended.
//!
//! With the defaults, a late success of an aborted saga is an *orphaned effect*: the
//! card is charged (or the stock reserved) for an order that was rejected, and
//! nothing undoes it. The engine counts them (`SagaStats::orphaned_effects`) and the
//! analysis reports them as a finding.

use serde::{Deserialize, Serialize};

use super::serde_defaults::{is_default, is_zero_u32};
use super::{Action, Distribution, Duration, Pos, Trigger};

/// A saga and its ordered steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saga {
    /// Name, unique among the model's sagas.
    pub name: String,
    /// Free text about the business process the saga carries out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The service that runs the saga's state machine.
    pub orchestrator: String,
    /// What starts one saga instance: usually an event on a topic, or a command to
    /// the orchestrator.
    pub trigger: Trigger,
    /// The steps, run in this order; compensation runs them backwards.
    pub steps: Vec<Step>,
    /// The orchestrator's own work per transition (starting, handling a reply).
    #[serde(
        default = "default_saga_latency",
        skip_serializing_if = "is_default_saga_latency"
    )]
    pub latency: Distribution,
    /// Sent by the orchestrator when every step succeeded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_complete: Vec<Action>,
    /// Sent by the orchestrator after a failure has been compensated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_abort: Vec<Action>,
    /// What the orchestrator does when a step's reply does not come in time after
    /// its retries, for steps that do not say; default `GiveUp`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub on_timeout: OnTimeout,
    /// What the orchestrator does with a success reply that comes after it stopped
    /// waiting for it, for steps that do not say; default `Ignore`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub on_late_success: OnLateSuccess,
    /// The bounded context (domain) it belongs to, e.g. `"billing"`; absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Where it is drawn on the canvas; absent: placed by the automatic layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

/// One step: a command to a participant and what its reply means.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Name of the step, unique within its saga.
    pub name: String,
    /// The participant that handles `command`.
    pub service: String,
    /// The command the orchestrator sends to run the step.
    pub command: String,
    /// The reply that means the step succeeded. Absent: any reply other than
    /// `failure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<String>,
    /// The reply that means the step failed and the saga must compensate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// How long the orchestrator waits for a reply before retrying or giving up.
    #[serde(default = "default_step_timeout")]
    pub timeout: Duration,
    /// Times the command is re-sent after a timeout.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub retries: u32,
    /// The command, handled by the same service, that undoes this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensate: Option<String>,
    /// This step's own timeout policy; absent: the saga's `on_timeout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_timeout: Option<OnTimeout>,
    /// This step's own late-success policy; absent: the saga's `on_late_success`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_late_success: Option<OnLateSuccess>,
}

/// What an orchestrator does when a step's reply does not come in time after its
/// retries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OnTimeout {
    /// Compensate only the earlier steps whose success was heard of; the timed-out
    /// step is assumed not to have happened.
    #[default]
    GiveUp,
    /// Assume the step may have happened: send its compensation too (first), then
    /// compensate the earlier steps.
    Compensate,
}

/// What an orchestrator does with a step's success reply that arrives after it
/// stopped waiting for it (the step timed out, the saga moved on or ended).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OnLateSuccess {
    /// Drop it: if the saga aborted, the step's effect stays (an orphaned effect).
    #[default]
    Ignore,
    /// Send the step's compensation, even after the saga ended.
    Compensate,
}

/// How a saga instance ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SagaOutcome {
    /// Every step succeeded.
    Completed,
    /// A step failed; every completed step was compensated.
    Compensated,
    /// A step timed out after its retries; every completed step was compensated.
    TimedOut,
    /// A compensation got no reply after its retries: the saga is left half-done.
    CompensationFailed,
}

impl SagaOutcome {
    /// Every outcome, best first.
    pub const ALL: [SagaOutcome; 4] = [
        SagaOutcome::Completed,
        SagaOutcome::Compensated,
        SagaOutcome::TimedOut,
        SagaOutcome::CompensationFailed,
    ];

    /// An id-like label: `completed`, `timed_out`.
    pub fn label(self) -> &'static str {
        match self {
            SagaOutcome::Completed => "completed",
            SagaOutcome::Compensated => "compensated",
            SagaOutcome::TimedOut => "timed_out",
            SagaOutcome::CompensationFailed => "compensation_failed",
        }
    }

    /// The label in words: `completed`, `timed out`.
    pub fn words(self) -> &'static str {
        match self {
            SagaOutcome::Completed => "completed",
            SagaOutcome::Compensated => "compensated",
            SagaOutcome::TimedOut => "timed out",
            SagaOutcome::CompensationFailed => "compensation failed",
        }
    }
}

fn default_saga_latency() -> Distribution {
    Distribution::Constant(Duration::from_millis(1))
}

fn is_default_saga_latency(d: &Distribution) -> bool {
    *d == default_saga_latency()
}

fn default_step_timeout() -> Duration {
    Duration::from_secs(30)
}

impl Saga {
    /// A saga without steps, with the default orchestrator latency.
    pub fn new(name: impl Into<String>, orchestrator: impl Into<String>, trigger: Trigger) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            orchestrator: orchestrator.into(),
            trigger,
            steps: Vec::new(),
            latency: default_saga_latency(),
            on_complete: Vec::new(),
            on_abort: Vec::new(),
            on_timeout: OnTimeout::default(),
            on_late_success: OnLateSuccess::default(),
            domain: None,
            pos: None,
        }
    }

    /// The timeout policy of step `step`: its own, else the saga's (the saga's for
    /// a step out of range).
    pub fn timeout_policy(&self, step: usize) -> OnTimeout {
        self.steps
            .get(step)
            .and_then(|s| s.on_timeout)
            .unwrap_or(self.on_timeout)
    }

    /// The late-success policy of step `step`: its own, else the saga's.
    pub fn late_success_policy(&self, step: usize) -> OnLateSuccess {
        self.steps
            .get(step)
            .and_then(|s| s.on_late_success)
            .unwrap_or(self.on_late_success)
    }
}

impl Step {
    /// Does this reply mean the step failed? It does when it is the step's
    /// `failure`, or when the step names a `success` and this is another reply.
    pub fn fails_with(&self, reply: &str) -> bool {
        self.failure.as_deref() == Some(reply)
            || self.success.as_deref().is_some_and(|ok| ok != reply)
    }

    /// A step sending `command` to `service`, with the default timeout, no retries
    /// and no compensation; any reply means success.
    pub fn new(
        name: impl Into<String>,
        service: impl Into<String>,
        command: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            service: service.into(),
            command: command.into(),
            success: None,
            failure: None,
            timeout: default_step_timeout(),
            retries: 0,
            compensate: None,
            on_timeout: None,
            on_late_success: None,
        }
    }
}
