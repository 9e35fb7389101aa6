//! The model's flows: who sends which message to whom, derived once from a model.
//!
//! A model says what each element does (a handler's trigger and actions, a saga's
//! steps, a source's emit, a store's change feed); [`Flows`] turns that into the
//! message flows between elements: every publication of an event to a topic, every
//! subscription with its effective consumer group, every command or query with its
//! handlers and their replies, every request sent and why, the saga hand-offs (a step's
//! reply → the next step, a compensation or the saga's end), store appends, change
//! feeds, projections and dead letters. Validation, the diagram, deletion, the
//! documents and the process miner read the flows instead of walking the model
//! themselves, so each rule below is written once:
//!
//! - the consumer group of a subscription: [`effective_group`];
//! - a saga started by an event subscribes its orchestrator, one started by a command
//!   (or a query, which the engine treats as a command) makes its orchestrator handle
//!   that command;
//! - an append to a store with a change feed also publishes the event to the feed's
//!   topic (once per event and store);
//! - what a saga does after a reply: [`Handoff`] (with [`crate::model::Step::fails_with`]).
//!
//! Flows borrow from the model. They come in one list ([`Flows::all`]) in a fixed,
//! deterministic model order: services (each handler's trigger, its actions in order,
//! each append followed by its change-feed publication, its callback, its dead-letter
//! topic), sagas (trigger, start, each step's command, compensation, awaited replies
//! and hand-offs, then `on_complete` and `on_abort`), stores' change feeds,
//! projections, sources. The typed views ([`Flows::publishes`], …) keep that order.

mod build;
mod handoffs;
mod items;
mod parties;
mod query;
#[cfg(test)]
mod tests;

use super::{
    ElementKind, EventStore, Handler, Model, Saga, SagaId, Service, ServiceId, Source, Step,
    Trigger,
};

pub use handoffs::{activity, saga_milestone};
pub use items::{
    Append, Await, DeadLetter, Feed, Flow, Handling, Handoff, Meaning, Next, Projects, Publish,
    Request, Stage, Subscription,
};
pub use parties::Parties;

/// The consumer group a subscription reads in: the one it names, else the consuming
/// service's own name (for a saga trigger, the orchestrator's). The one definition of
/// this rule.
pub fn effective_group<'a>(group: Option<&'a str>, consumer: &'a str) -> &'a str {
    group.unwrap_or(consumer)
}

/// What kind of message a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKind {
    /// An event, published to a topic.
    Event,
    /// A command, sent point to point to a service.
    Command,
    /// A query, a synchronous request.
    Query,
    /// A reply to a command or query.
    Reply,
}

impl MessageKind {
    /// `event`, `command`, `query`, `reply`.
    pub fn label(self) -> &'static str {
        match self {
            MessageKind::Event => "event",
            MessageKind::Command => "command",
            MessageKind::Query => "query",
            MessageKind::Reply => "reply",
        }
    }

    /// The kind of message a trigger takes.
    pub fn of(trigger: &Trigger) -> MessageKind {
        match trigger {
            Trigger::Event { .. } => MessageKind::Event,
            Trigger::Command(_) => MessageKind::Command,
            Trigger::Query(_) => MessageKind::Query,
        }
    }
}

/// One handler of a service, with where it sits in the model.
#[derive(Clone, Copy, Debug)]
pub struct HandlerRef<'m> {
    /// The service the handler belongs to.
    pub service: &'m Service,
    /// The service's position in `Model::services`.
    pub id: ServiceId,
    /// The handler's position in the service's `handlers`.
    pub index: usize,
    /// The handler itself.
    pub handler: &'m Handler,
}

/// One saga, with where it sits in the model.
#[derive(Clone, Copy, Debug)]
pub struct SagaRef<'m> {
    /// The saga itself.
    pub saga: &'m Saga,
    /// The saga's position in `Model::sagas`.
    pub id: SagaId,
}

impl<'m> SagaRef<'m> {
    /// The step at `index` (a position in `steps`, as the flows give it).
    pub fn step(&self, index: usize) -> Option<&'m Step> {
        self.saga.steps.get(index)
    }
}

/// What takes a message off a topic or out of a service's queue: a service's handler,
/// or a saga's trigger (run by the orchestrator).
#[derive(Clone, Copy, Debug)]
pub enum Receiver<'m> {
    /// A service's handler.
    Handler(HandlerRef<'m>),
    /// A saga's trigger.
    Saga(SagaRef<'m>),
}

impl<'m> Receiver<'m> {
    /// The service that does the work: the handler's, or the saga's orchestrator.
    pub fn service(&self) -> &'m str {
        match self {
            Receiver::Handler(h) => &h.service.name,
            Receiver::Saga(s) => &s.saga.orchestrator,
        }
    }

    /// The trigger it reacts to.
    pub fn trigger(&self) -> &'m Trigger {
        match self {
            Receiver::Handler(h) => &h.handler.on,
            Receiver::Saga(s) => &s.saga.trigger,
        }
    }

    /// The saga it starts, if it is a saga's trigger.
    pub fn saga(&self) -> Option<&'m Saga> {
        match self {
            Receiver::Handler(_) => None,
            Receiver::Saga(s) => Some(s.saga),
        }
    }

    /// The element it belongs to: the service or the saga.
    pub fn element(&self) -> (ElementKind, &'m str) {
        match self {
            Receiver::Handler(h) => (ElementKind::Service, &h.service.name),
            Receiver::Saga(s) => (ElementKind::Saga, &s.saga.name),
        }
    }
}

/// Where a sent message comes from, and why it is sent.
#[derive(Clone, Copy, Debug)]
pub enum Origin<'m> {
    /// A handler's action: in `emit` (`outcome: None`, on every success) or in
    /// `outcomes[i]` (`outcome: Some(i)`).
    Handler {
        /// The handler.
        at: HandlerRef<'m>,
        /// `None`: in `emit`; `Some(i)`: in `outcomes[i]`.
        outcome: Option<usize>,
    },
    /// The callback a handler makes before it can act.
    Callback(HandlerRef<'m>),
    /// The command of `steps[step]` of a saga.
    Step {
        /// The saga.
        saga: SagaRef<'m>,
        /// The step's position in `steps`.
        step: usize,
    },
    /// The compensating command of `steps[step]` of a saga.
    Compensation {
        /// The saga.
        saga: SagaRef<'m>,
        /// The step's position in `steps`.
        step: usize,
    },
    /// A saga's `on_complete` action.
    Completed(SagaRef<'m>),
    /// A saga's `on_abort` action.
    Aborted(SagaRef<'m>),
    /// A workload source's item.
    Source(&'m Source),
    /// An event store's change feed.
    Feed(&'m EventStore),
}

impl<'m> Origin<'m> {
    /// Who sends.
    pub fn who(&self) -> Who<'m> {
        match self {
            Origin::Handler { at, .. } | Origin::Callback(at) => Who::Service(&at.service.name),
            Origin::Step { saga, .. }
            | Origin::Compensation { saga, .. }
            | Origin::Completed(saga)
            | Origin::Aborted(saga) => Who::Saga {
                saga: &saga.saga.name,
                orchestrator: &saga.saga.orchestrator,
            },
            Origin::Source(s) => Who::Source(&s.name),
            Origin::Feed(s) => Who::Store(&s.name),
        }
    }

    /// Why, in words: `step reserve`, `compensation of step reserve`, `callback while
    /// handling OrderPlaced from orders`, `handling command ChargeCard`, `saga
    /// completed`, `saga aborted`, `workload item`, `change feed`.
    pub fn why(&self) -> String {
        let step = |saga: &SagaRef<'m>, i: usize| -> &'m str {
            saga.step(i).map_or("", |s| s.name.as_str())
        };
        match self {
            Origin::Handler { at, .. } => format!("handling {}", at.handler.on.describe()),
            Origin::Callback(at) => {
                format!("callback while handling {}", at.handler.on.describe())
            }
            Origin::Step { saga, step: i } => format!("step {}", step(saga, *i)),
            Origin::Compensation { saga, step: i } => {
                format!("compensation of step {}", step(saga, *i))
            }
            Origin::Completed(_) => "saga completed".to_owned(),
            Origin::Aborted(_) => "saga aborted".to_owned(),
            Origin::Source(_) => "workload item".to_owned(),
            Origin::Feed(_) => "change feed".to_owned(),
        }
    }

    /// Is it one of the model's actions (a handler's, a saga's end, a source's), rather
    /// than a step, a compensation, a callback or a change feed?
    pub fn is_action(&self) -> bool {
        matches!(
            self,
            Origin::Handler { .. } | Origin::Completed(_) | Origin::Aborted(_) | Origin::Source(_)
        )
    }
}

/// Who sends a message, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Who<'m> {
    /// A service's handler.
    Service(&'m str),
    /// A saga, run by its orchestrator service.
    Saga {
        /// The saga.
        saga: &'m str,
        /// The service that runs it.
        orchestrator: &'m str,
    },
    /// A workload source (outside the architecture).
    Source(&'m str),
    /// An event store's change feed.
    Store(&'m str),
}

impl<'m> Who<'m> {
    /// A short label: `payment`, `checkout (saga checkout)`, `source web shop`,
    /// `event store orders (change feed)`.
    pub fn describe(&self) -> String {
        match self {
            Who::Service(s) => (*s).to_owned(),
            Who::Saga { saga, orchestrator } => format!("{orchestrator} (saga {saga})"),
            Who::Source(s) => format!("source {s}"),
            Who::Store(s) => format!("event store {s} (change feed)"),
        }
    }

    /// The element that sends: the service, saga, source or store.
    pub fn element(&self) -> (ElementKind, &'m str) {
        match *self {
            Who::Service(s) => (ElementKind::Service, s),
            Who::Saga { saga, .. } => (ElementKind::Saga, saga),
            Who::Source(s) => (ElementKind::Source, s),
            Who::Store(s) => (ElementKind::Store, s),
        }
    }
}

/// Every flow of a model, in model order (see the module documentation).
#[derive(Clone, Debug)]
pub struct Flows<'m> {
    model: &'m Model,
    items: Vec<Flow<'m>>,
}

macro_rules! view {
    ($(#[$doc:meta])* $name:ident, $variant:ident, $ty:ident) => {
        $(#[$doc])*
        pub fn $name(&self) -> impl Iterator<Item = &$ty<'m>> + '_ {
            self.items.iter().filter_map(|f| match f {
                Flow::$variant(x) => Some(x),
                _ => None,
            })
        }
    };
}

impl<'m> Flows<'m> {
    /// Derive the flows of a model. References to elements that do not exist are kept
    /// as named (validation reports them).
    pub fn new(model: &'m Model) -> Self {
        Self {
            model,
            items: build::flows(model),
        }
    }

    /// The model the flows were derived from.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Every flow, in model order.
    pub fn all(&self) -> &[Flow<'m>] {
        &self.items
    }

    view!(
        /// Every event published to a topic: by handlers, sagas' ends, sources, and
        /// stores' change feeds (once per event and store, after its first append).
        publishes,
        Publish,
        Publish
    );
    view!(
        /// Every subscription: services' event handlers, then sagas' event triggers.
        subscriptions,
        Subscription,
        Subscription
    );
    view!(
        /// Every command or query with a service that handles it: services' handlers,
        /// then sagas started by a command (handled by the orchestrator).
        handlers,
        Handling,
        Handling
    );
    view!(
        /// Every command or query sent: handlers' sends and callbacks, saga steps and
        /// compensations, sagas' ends, sources.
        requests,
        Request,
        Request
    );
    view!(
        /// Every reply a saga step names as its success or failure.
        awaits,
        Await,
        Await
    );
    view!(
        /// Every saga hand-off: start, each reply to a step or compensation.
        handoffs,
        Handoff,
        Handoff
    );
    view!(
        /// Every domain event appended to an event store.
        appends,
        Append,
        Append
    );
    view!(
        /// Every event store's change feed.
        feeds,
        Feed,
        Feed
    );
    view!(
        /// Every projection and the store it reads.
        projections,
        Projects,
        Projects
    );
    view!(
        /// Every handler's dead-letter topic.
        dead_letters,
        DeadLetter,
        DeadLetter
    );
}
