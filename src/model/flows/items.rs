//! The kinds of flow, one struct each, and [`Flow`], any one of them.

use super::{HandlerRef, MessageKind, Origin, Receiver, SagaRef};
use crate::model::{EventStore, Projection, SagaOutcome};

/// An event published to a topic.
#[derive(Clone, Copy, Debug)]
pub struct Publish<'m> {
    /// The event type.
    pub event: &'m str,
    /// The topic it is published to.
    pub topic: &'m str,
    /// Schema version written, when the model pins one.
    pub version: Option<u32>,
    /// Who publishes it, and why.
    pub origin: Origin<'m>,
}

/// An event read from a topic by a consumer group.
#[derive(Clone, Copy, Debug)]
pub struct Subscription<'m> {
    /// The event type.
    pub event: &'m str,
    /// The topic it is read from.
    pub topic: &'m str,
    /// The effective consumer group ([`effective_group`](super::effective_group)).
    pub group: &'m str,
    /// Is `group` the consuming service's own name because the trigger names none (so
    /// it follows the service when it is renamed)?
    pub default_group: bool,
    /// Schema version read with, when the model pins one.
    pub version: Option<u32>,
    /// The consuming service (a saga trigger's orchestrator).
    pub service: &'m str,
    /// The handler or saga trigger that takes it.
    pub receiver: Receiver<'m>,
}

/// A command or query and a service that handles it.
#[derive(Clone, Debug)]
pub struct Handling<'m> {
    /// `Command` or `Query`; a saga's trigger is always a command.
    pub kind: MessageKind,
    /// The command or query.
    pub name: &'m str,
    /// The handling service (a saga trigger's orchestrator).
    pub service: &'m str,
    /// The handler, or the saga whose start command it is.
    pub receiver: Receiver<'m>,
    /// Replies the handler can send, first occurrence first, without repeats.
    pub replies: Vec<&'m str>,
}

/// A command or query sent to a service.
#[derive(Clone, Copy, Debug)]
pub struct Request<'m> {
    /// `Command` or `Query`.
    pub kind: MessageKind,
    /// The command or query.
    pub name: &'m str,
    /// The service it is sent to.
    pub to: &'m str,
    /// Who sends it, and why.
    pub origin: Origin<'m>,
}

/// What a reply named by a saga step means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meaning {
    /// The step succeeded.
    Success,
    /// The step failed: the saga compensates.
    Failure,
}

impl Meaning {
    /// `success` or `failure`.
    pub fn label(self) -> &'static str {
        match self {
            Meaning::Success => "success",
            Meaning::Failure => "failure",
        }
    }
}

/// A reply a saga step names as its `success` or `failure`.
#[derive(Clone, Copy, Debug)]
pub struct Await<'m> {
    /// The reply.
    pub reply: &'m str,
    /// The saga whose step waits for it.
    pub saga: SagaRef<'m>,
    /// Position of the step in the saga's `steps`.
    pub step: usize,
    /// Whether it means the step succeeded or failed.
    pub meaning: Meaning,
}

/// Where a saga instance is when a hand-off happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Just started by its trigger.
    Start,
    /// Waiting for the reply to `steps[i]`'s command.
    Step(usize),
    /// Waiting for the reply to `steps[i]`'s compensation.
    Compensation(usize),
}

/// What a saga does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send `steps[i]`'s command.
    Step(usize),
    /// Send `steps[i]`'s compensation.
    Compensate(usize),
    /// End this way (then run `on_complete` or `on_abort`).
    End(SagaOutcome),
}

/// A saga hand-off: at a stage, on a reply the participant can send (none for the
/// start), the saga goes on to one of `next` (several where the run decides, e.g. a
/// finished compensation ends the saga compensated or timed out depending on why it
/// compensated).
#[derive(Clone, Debug)]
pub struct Handoff<'m> {
    /// The saga.
    pub saga: SagaRef<'m>,
    /// Where the saga instance is.
    pub stage: Stage,
    /// The reply, from the participant's handler; `None` at the start.
    pub reply: Option<&'m str>,
    /// Does the reply mean the step failed ([`Step::fails_with`](crate::model::Step::fails_with))? Always `false`
    /// for the start and for compensations.
    pub failed: bool,
    /// What the saga does next: one of these.
    pub next: Vec<Next>,
}

/// A domain event appended to an event store.
#[derive(Clone, Copy, Debug)]
pub struct Append<'m> {
    /// The domain event.
    pub event: &'m str,
    /// The event store (as named; it may not exist).
    pub store: &'m str,
    /// Who appends it, and why.
    pub origin: Origin<'m>,
    /// The topic the store's change feed publishes it to, if the store has one.
    pub feed: Option<&'m str>,
}

/// An event store's change feed: every appended event is also published to `topic`.
#[derive(Clone, Copy, Debug)]
pub struct Feed<'m> {
    /// The store.
    pub store: &'m EventStore,
    /// The topic its appended events are published to.
    pub topic: &'m str,
}

/// A projection reading an event store.
#[derive(Clone, Copy, Debug)]
pub struct Projects<'m> {
    /// The projection.
    pub projection: &'m Projection,
    /// The store it follows (as named; it may not exist).
    pub store: &'m str,
}

/// A handler's messages that still fail after the last attempt go to a topic.
#[derive(Clone, Copy, Debug)]
pub struct DeadLetter<'m> {
    /// The kind of the message that is dead-lettered (what the handler's trigger
    /// takes).
    pub kind: MessageKind,
    /// The message's name.
    pub name: &'m str,
    /// The dead-letter topic.
    pub topic: &'m str,
    /// The handler that gives up on the message.
    pub handler: HandlerRef<'m>,
}

/// One flow of a model.
#[derive(Clone, Debug)]
pub enum Flow<'m> {
    /// An event published to a topic.
    Publish(Publish<'m>),
    /// An event read from a topic by a consumer group.
    Subscription(Subscription<'m>),
    /// A command or query and a service that handles it.
    Handling(Handling<'m>),
    /// A command or query sent.
    Request(Request<'m>),
    /// A reply a saga step names.
    Await(Await<'m>),
    /// A saga hand-off.
    Handoff(Handoff<'m>),
    /// A domain event appended to a store.
    Append(Append<'m>),
    /// A store's change feed.
    Feed(Feed<'m>),
    /// A projection reading a store.
    Projects(Projects<'m>),
    /// A handler's dead-letter topic.
    DeadLetter(DeadLetter<'m>),
}
