//! The hand-offs between activities that the model declares, as the process miner
//! names activities: `Type @ service` for a message handled by a service, and
//! `saga: what` for a saga's milestones (`checkout: compensation RefundCard`,
//! `checkout: completed`).

use std::collections::BTreeSet;

use super::{Flow, Flows, Handoff, Next, Origin, SagaRef, Stage};
use crate::model::SagaOutcome;

/// The activity of handling message `message` at `service`: `OrderPlaced @ billing`.
pub fn activity(message: &str, service: &str) -> String {
    format!("{message} @ {service}")
}

/// A saga's milestone activity: `checkout: completed`, `checkout: compensation
/// RefundCard`.
pub fn saga_milestone(saga: &str, what: &str) -> String {
    format!("{saga}: {what}")
}

/// The milestone at which a saga starts sending the compensation `command`.
fn compensation_milestone(saga: &str, command: &str) -> String {
    saga_milestone(saga, &format!("compensation {command}"))
}

impl Next {
    /// The activity this leads to: the step's command at its service, the
    /// compensation's milestone, or the saga's end.
    pub fn activity(&self, saga: &SagaRef) -> String {
        let name = &saga.saga.name;
        match *self {
            Next::Step(i) => saga
                .step(i)
                .map_or_else(String::new, |s| activity(&s.command, &s.service)),
            Next::Compensate(i) => compensation_milestone(
                name,
                saga.step(i)
                    .and_then(|s| s.compensate.as_deref())
                    .unwrap_or_default(),
            ),
            Next::End(o) => saga_milestone(name, o.words()),
        }
    }
}

impl Stage {
    /// The activity a saga instance waits on at this stage: its trigger handled by the
    /// orchestrator at the start, else the step's command or compensation handled by
    /// the participant.
    pub fn activity(&self, saga: &SagaRef) -> Option<String> {
        let s = saga.saga;
        match *self {
            Stage::Start => Some(activity(s.trigger.message(), &s.orchestrator)),
            Stage::Step(i) => saga.step(i).map(|st| activity(&st.command, &st.service)),
            Stage::Compensation(i) => saga
                .step(i)
                .and_then(|st| Some(activity(st.compensate.as_deref()?, &st.service))),
        }
    }
}

impl<'m> Flows<'m> {
    /// Every modelled hand-off between activities, as `(from, to)`: a handled message
    /// leads to the handling of what its handler publishes (directly or through a
    /// store's change feed) and sends; a saga's trigger to its first step's command, a
    /// step's command to its replies (handled by the orchestrator), a reply to the next
    /// step, a compensation milestone or the saga's end, a compensation milestone to
    /// its command, a saga's end to what `on_complete` or `on_abort` sends. A handler
    /// that calls back first makes the callback's query come between its predecessors
    /// and itself.
    pub fn activity_handoffs(&self) -> BTreeSet<(String, String)> {
        let mut h = BTreeSet::new();
        for f in &self.items {
            match f {
                Flow::Publish(p) if !matches!(p.origin, Origin::Feed(_)) => {
                    self.hand_to_consumers(&mut h, &p.origin, p.event, p.topic);
                }
                Flow::Append(a) => {
                    if let Some(topic) = a.feed {
                        self.hand_to_consumers(&mut h, &a.origin, a.event, topic);
                    }
                }
                Flow::Request(r) if r.origin.is_action() && self.handles(r.to, r.name) => {
                    for from in sources(&r.origin) {
                        h.insert((from, activity(r.name, r.to)));
                    }
                }
                Flow::Request(r) => {
                    if let Origin::Compensation { saga, .. } = r.origin {
                        h.insert((
                            compensation_milestone(&saga.saga.name, r.name),
                            activity(r.name, r.to),
                        ));
                    }
                }
                Flow::Handoff(x) => saga_handoff(&mut h, x),
                _ => {}
            }
        }
        // Callbacks: the query is handled between the caller's predecessors and the
        // caller.
        for r in self.requests() {
            let Origin::Callback(at) = r.origin else {
                continue;
            };
            let caller = activity(at.handler.on.message(), &at.service.name);
            let query = activity(r.name, r.to);
            let preds: Vec<(String, String)> =
                h.iter().filter(|(_, t)| *t == caller).cloned().collect();
            for (p, t) in preds {
                h.remove(&(p.clone(), t));
                h.insert((p, query.clone()));
            }
            h.insert((query, caller));
        }
        h
    }

    /// `origin`'s activities hand `event` on `topic` to its consumers.
    fn hand_to_consumers(
        &self,
        h: &mut BTreeSet<(String, String)>,
        origin: &Origin,
        event: &str,
        topic: &str,
    ) {
        for from in sources(origin) {
            for c in self.consumers(event, topic) {
                h.insert((from.clone(), activity(event, c.service)));
            }
        }
    }
}

/// The activities an action runs after: the handled message of a handler, a saga's
/// end (all the aborting ends for `on_abort`); none for a source.
fn sources(origin: &Origin) -> Vec<String> {
    match origin {
        Origin::Handler { at, .. } => vec![activity(at.handler.on.message(), &at.service.name)],
        Origin::Completed(g) => vec![saga_milestone(&g.saga.name, SagaOutcome::Completed.words())],
        Origin::Aborted(g) => SagaOutcome::ALL
            .iter()
            .filter(|o| **o != SagaOutcome::Completed)
            .map(|o| saga_milestone(&g.saga.name, o.words()))
            .collect(),
        _ => Vec::new(),
    }
}

/// A saga hand-off as activities: the stage's command → the reply at the
/// orchestrator → each next activity.
fn saga_handoff(h: &mut BTreeSet<(String, String)>, x: &Handoff) {
    let g = &x.saga;
    let orchestrator = &g.saga.orchestrator;
    let Some(from) = x.stage.activity(g) else {
        return;
    };
    let at = match x.reply {
        Some(reply) => {
            let at = activity(reply, orchestrator);
            h.insert((from, at.clone()));
            at
        }
        None => from,
    };
    for n in &x.next {
        h.insert((at.clone(), n.activity(g)));
    }
}
