//! Walking a model once, in model order, into its flows.

use super::{
    Append, Await, DeadLetter, Feed, Flow, HandlerRef, Handling, Handoff, Meaning, MessageKind,
    Next, Origin, Projects, Publish, Receiver, Request, SagaRef, Stage, Subscription,
    effective_group,
};
use crate::model::{Action, Handler, Model, SagaId, SagaOutcome, ServiceId, Trigger};

/// A position as a typed id's number (positions beyond `u32` do not occur).
fn id(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Every flow of the model, in model order.
pub(super) fn flows(m: &Model) -> Vec<Flow<'_>> {
    let mut out = Out {
        m,
        items: Vec::new(),
    };
    for (si, service) in m.services.iter().enumerate() {
        for (index, handler) in service.handlers.iter().enumerate() {
            out.handler(HandlerRef {
                service,
                id: ServiceId(id(si)),
                index,
                handler,
            });
        }
    }
    for (gi, saga) in m.sagas.iter().enumerate() {
        out.saga(SagaRef {
            saga,
            id: SagaId(id(gi)),
        });
    }
    for store in &m.stores {
        if let Some(topic) = &store.publish_to {
            out.items.push(Flow::Feed(Feed { store, topic }));
        }
    }
    for projection in &m.projections {
        out.items.push(Flow::Projects(Projects {
            projection,
            store: &projection.store,
        }));
    }
    for source in &m.sources {
        out.action(&source.emit, Origin::Source(source));
    }
    out.items
}

struct Out<'m> {
    m: &'m Model,
    items: Vec<Flow<'m>>,
}

impl<'m> Out<'m> {
    /// A handler: what it takes, what it sends, its callback and dead letters.
    fn handler(&mut self, at: HandlerRef<'m>) {
        let h = at.handler;
        self.trigger(&h.on, Receiver::Handler(at));
        for a in &h.emit {
            self.action(a, Origin::Handler { at, outcome: None });
        }
        for (i, o) in h.outcomes.iter().enumerate() {
            for a in &o.emit {
                self.action(
                    a,
                    Origin::Handler {
                        at,
                        outcome: Some(i),
                    },
                );
            }
        }
        if let Some(cb) = &h.callback {
            self.items.push(Flow::Request(Request {
                kind: MessageKind::Query,
                name: &cb.query,
                to: &cb.service,
                origin: Origin::Callback(at),
            }));
        }
        if let Some(topic) = &h.dead_letter {
            self.items.push(Flow::DeadLetter(DeadLetter {
                kind: MessageKind::of(&h.on),
                name: h.on.message(),
                topic,
                handler: at,
            }));
        }
    }

    /// What a handler or saga trigger takes: a subscription, or a command or query it
    /// handles.
    fn trigger(&mut self, trigger: &'m Trigger, receiver: Receiver<'m>) {
        let service = receiver.service();
        match trigger {
            Trigger::Event {
                event,
                topic,
                group,
                version,
            } => self.items.push(Flow::Subscription(Subscription {
                event,
                topic,
                group: effective_group(group.as_deref(), service),
                default_group: group.is_none(),
                version: *version,
                service,
                receiver,
            })),
            Trigger::Command(name) | Trigger::Query(name) => {
                let (kind, replies) = match receiver {
                    Receiver::Handler(at) => {
                        let mut replies: Vec<&str> = Vec::new();
                        for r in at.handler.replies() {
                            if !replies.contains(&r) {
                                replies.push(r);
                            }
                        }
                        (MessageKind::of(trigger), replies)
                    }
                    // The engine takes a saga's query trigger as a command.
                    Receiver::Saga(_) => (MessageKind::Command, Vec::new()),
                };
                self.items.push(Flow::Handling(Handling {
                    kind,
                    name,
                    service,
                    receiver,
                    replies,
                }));
            }
        }
    }

    /// One action (of a handler, a saga's end or a source).
    fn action(&mut self, a: &'m Action, origin: Origin<'m>) {
        match a {
            Action::Publish {
                event,
                topic,
                version,
            } => self.items.push(Flow::Publish(Publish {
                event,
                topic,
                version: *version,
                origin,
            })),
            Action::Send { command, to } => self.items.push(Flow::Request(Request {
                kind: MessageKind::Command,
                name: command,
                to,
                origin,
            })),
            // A reply goes back to whoever sent the request: see `Handling::replies`.
            Action::Reply(_) => {}
            Action::Append { event, store } => {
                let st = self.m.store(store);
                let feed = st.and_then(|s| s.publish_to.as_deref());
                self.items.push(Flow::Append(Append {
                    event,
                    store,
                    origin,
                    feed,
                }));
                if let (Some(st), Some(topic)) = (st, feed) {
                    let seen = self.items.iter().any(|f| {
                        matches!(f, Flow::Publish(p) if p.event == event
                            && p.topic == topic
                            && matches!(p.origin, Origin::Feed(s) if s.name == st.name))
                    });
                    if !seen {
                        self.items.push(Flow::Publish(Publish {
                            event,
                            topic,
                            version: None,
                            origin: Origin::Feed(st),
                        }));
                    }
                }
            }
        }
    }

    /// A saga: its trigger, start, steps with their hand-offs, and its ends.
    fn saga(&mut self, g: SagaRef<'m>) {
        let saga = g.saga;
        self.trigger(&saga.trigger, Receiver::Saga(g));
        if !saga.steps.is_empty() {
            self.items.push(Flow::Handoff(Handoff {
                saga: g,
                stage: Stage::Start,
                reply: None,
                failed: false,
                next: vec![Next::Step(0)],
            }));
        }
        for (i, st) in saga.steps.iter().enumerate() {
            self.items.push(Flow::Request(Request {
                kind: MessageKind::Command,
                name: &st.command,
                to: &st.service,
                origin: Origin::Step { saga: g, step: i },
            }));
            if let Some(c) = &st.compensate {
                self.items.push(Flow::Request(Request {
                    kind: MessageKind::Command,
                    name: c,
                    to: &st.service,
                    origin: Origin::Compensation { saga: g, step: i },
                }));
            }
            for (reply, meaning) in [
                (&st.success, Meaning::Success),
                (&st.failure, Meaning::Failure),
            ] {
                if let Some(reply) = reply {
                    self.items.push(Flow::Await(Await {
                        reply,
                        saga: g,
                        step: i,
                        meaning,
                    }));
                }
            }
            self.step_handoffs(g, i);
        }
        for a in &saga.on_complete {
            self.action(a, Origin::Completed(g));
        }
        for a in &saga.on_abort {
            self.action(a, Origin::Aborted(g));
        }
    }

    /// The hand-offs on each reply to step `i`'s command and to its compensation.
    fn step_handoffs(&mut self, g: SagaRef<'m>, i: usize) {
        let (m, saga) = (self.m, g.saga);
        let st = &saga.steps[i];
        // The replies the participant handling `command` can send.
        let replies = |command: &str| -> Vec<&'m str> {
            let mut out: Vec<&'m str> = Vec::new();
            let handler = m
                .service(&st.service)
                .and_then(|s| s.handler_for_request(command));
            for r in handler.into_iter().flat_map(Handler::replies) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
            out
        };
        // Undo the steps before `i`: the nearest one with a compensation, else end.
        let compensate_before = |ends: &[SagaOutcome]| -> Vec<Next> {
            match (0..i).rev().find(|&j| saga.steps[j].compensate.is_some()) {
                Some(j) => vec![Next::Compensate(j)],
                None => ends.iter().map(|o| Next::End(*o)).collect(),
            }
        };
        let mut handoffs = Vec::new();
        for reply in replies(&st.command) {
            let failed = st.fails_with(reply);
            let mut next = if failed {
                compensate_before(&[SagaOutcome::Compensated])
            } else if i + 1 < saga.steps.len() {
                vec![Next::Step(i + 1)]
            } else {
                vec![Next::End(SagaOutcome::Completed)]
            };
            // A success that comes after the orchestrator gave up on the step is
            // answered with its compensation (`on_late_success: Compensate`).
            if !failed
                && st.compensate.is_some()
                && saga.late_success_policy(i) == crate::model::OnLateSuccess::Compensate
            {
                next.push(Next::Compensate(i));
            }
            handoffs.push(Handoff {
                saga: g,
                stage: Stage::Step(i),
                reply: Some(reply),
                failed,
                next,
            });
        }
        if let Some(c) = &st.compensate {
            for reply in replies(c) {
                handoffs.push(Handoff {
                    saga: g,
                    stage: Stage::Compensation(i),
                    reply: Some(reply),
                    failed: false,
                    next: compensate_before(&[SagaOutcome::Compensated, SagaOutcome::TimedOut]),
                });
            }
        }
        self.items.extend(handoffs.into_iter().map(Flow::Handoff));
    }
}
