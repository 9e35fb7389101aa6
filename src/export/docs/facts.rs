//! Who produces and consumes what: the facts the AsyncAPI document and the event
//! catalogue are written from, derived once from a model.
//!
//! Everything here is read from the drawn model (handlers, sagas, sources, stores),
//! not from a run. Lists keep the order in which the model is walked (services,
//! then sagas, then sources, each in model order), which is deterministic; the
//! documents sort where a reader expects sorting.

use std::collections::BTreeMap;

use crate::model::{Action, Handler, Model, Trigger};

/// What kind of message a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Kind {
    Event,
    Command,
    Query,
    Reply,
}

impl Kind {
    pub(super) fn label(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Command => "command",
            Kind::Query => "query",
            Kind::Reply => "reply",
        }
    }
}

/// Who sends a message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Who {
    /// A service's handler.
    Service(String),
    /// A saga, run by its orchestrator service.
    Saga { saga: String, orchestrator: String },
    /// A workload source (outside the architecture).
    Source(String),
    /// An event store's change feed.
    Store(String),
}

impl Who {
    /// A short label: `payment`, `checkout (saga checkout)`, `source web shop`.
    pub(super) fn describe(&self) -> String {
        match self {
            Who::Service(s) => s.clone(),
            Who::Saga { saga, orchestrator } => format!("{orchestrator} (saga {saga})"),
            Who::Source(s) => format!("source {s}"),
            Who::Store(s) => format!("event store {s} (change feed)"),
        }
    }

    /// An id-like name: the service, or the source/store with a prefix.
    pub(super) fn key(&self) -> String {
        match self {
            Who::Service(s) => s.clone(),
            Who::Saga { orchestrator, .. } => orchestrator.clone(),
            Who::Source(s) => format!("source-{s}"),
            Who::Store(s) => format!("store-{s}"),
        }
    }
}

/// An event published to a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Publish {
    pub event: String,
    pub topic: String,
    pub who: Who,
    /// Schema version written, when the model pins one.
    pub version: Option<u32>,
}

/// An event read from a topic by a consumer group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Subscribe {
    pub event: String,
    pub topic: String,
    pub service: String,
    pub group: String,
    /// Schema version read with, when the model pins one.
    pub version: Option<u32>,
    /// The saga this subscription starts, if it is a saga trigger.
    pub saga: Option<String>,
}

/// A command or query sent to a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Request {
    pub kind: Kind,
    pub name: String,
    pub who: Who,
    pub to: String,
    /// Why: `step reserve`, `compensation of step reserve`, `callback`, `emit`.
    pub why: String,
}

/// A service (or saga) that handles a command or query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Handles {
    pub kind: Kind,
    pub name: String,
    pub service: String,
    /// The saga it starts, if the orchestrator handles it as a saga trigger.
    pub saga: Option<String>,
    /// Replies the handler can send.
    pub replies: Vec<String>,
}

/// A reply a saga step waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Awaits {
    pub reply: String,
    pub saga: String,
    pub orchestrator: String,
    pub step: String,
    /// `success` or `failure`.
    pub meaning: &'static str,
}

/// A domain event appended to an event store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Appends {
    pub event: String,
    pub store: String,
    pub who: Who,
}

/// A message moved to a dead-letter topic after its last failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DeadLetter {
    pub kind: Kind,
    pub name: String,
    pub topic: String,
    pub service: String,
}

/// Every message flow of a model.
#[derive(Clone, Debug, Default)]
pub(super) struct Facts {
    pub publishes: Vec<Publish>,
    pub subscribes: Vec<Subscribe>,
    pub requests: Vec<Request>,
    pub handles: Vec<Handles>,
    pub awaits: Vec<Awaits>,
    pub appends: Vec<Appends>,
    pub dead_letters: Vec<DeadLetter>,
}

impl Facts {
    pub(super) fn new(m: &Model) -> Facts {
        let mut f = Facts::default();
        for s in &m.services {
            for h in &s.handlers {
                let who = Who::Service(s.name.clone());
                match &h.on {
                    Trigger::Event {
                        event,
                        topic,
                        group,
                        version,
                    } => f.subscribes.push(Subscribe {
                        event: event.clone(),
                        topic: topic.clone(),
                        service: s.name.clone(),
                        group: group.clone().unwrap_or_else(|| s.name.clone()),
                        version: *version,
                        saga: None,
                    }),
                    Trigger::Command(name) | Trigger::Query(name) => f.handles.push(Handles {
                        kind: trigger_kind(&h.on),
                        name: name.clone(),
                        service: s.name.clone(),
                        saga: None,
                        replies: dedup(h.replies().map(str::to_owned).collect()),
                    }),
                }
                if let Some(cb) = &h.callback {
                    f.requests.push(Request {
                        kind: Kind::Query,
                        name: cb.query.clone(),
                        who: who.clone(),
                        to: cb.service.clone(),
                        why: format!("callback while handling {}", h.on.describe()),
                    });
                }
                for a in h.actions() {
                    f.action(m, a, &who, &format!("handling {}", h.on.describe()));
                }
                if let Some(dlq) = &h.dead_letter {
                    let (kind, name) = trigger_name(h);
                    f.dead_letters.push(DeadLetter {
                        kind,
                        name: name.to_owned(),
                        topic: dlq.clone(),
                        service: s.name.clone(),
                    });
                }
            }
        }
        for g in &m.sagas {
            let who = Who::Saga {
                saga: g.name.clone(),
                orchestrator: g.orchestrator.clone(),
            };
            match &g.trigger {
                Trigger::Event {
                    event,
                    topic,
                    group,
                    version,
                } => f.subscribes.push(Subscribe {
                    event: event.clone(),
                    topic: topic.clone(),
                    service: g.orchestrator.clone(),
                    group: group.clone().unwrap_or_else(|| g.orchestrator.clone()),
                    version: *version,
                    saga: Some(g.name.clone()),
                }),
                // The engine treats a query trigger as a command.
                Trigger::Command(name) | Trigger::Query(name) => f.handles.push(Handles {
                    kind: Kind::Command,
                    name: name.clone(),
                    service: g.orchestrator.clone(),
                    saga: Some(g.name.clone()),
                    replies: Vec::new(),
                }),
            }
            for st in &g.steps {
                f.requests.push(Request {
                    kind: Kind::Command,
                    name: st.command.clone(),
                    who: who.clone(),
                    to: st.service.clone(),
                    why: format!("step {}", st.name),
                });
                if let Some(c) = &st.compensate {
                    f.requests.push(Request {
                        kind: Kind::Command,
                        name: c.clone(),
                        who: who.clone(),
                        to: st.service.clone(),
                        why: format!("compensation of step {}", st.name),
                    });
                }
                for (reply, meaning) in [(&st.success, "success"), (&st.failure, "failure")] {
                    if let Some(r) = reply {
                        f.awaits.push(Awaits {
                            reply: r.clone(),
                            saga: g.name.clone(),
                            orchestrator: g.orchestrator.clone(),
                            step: st.name.clone(),
                            meaning,
                        });
                    }
                }
            }
            for a in &g.on_complete {
                f.action(m, a, &who, "saga completed");
            }
            for a in &g.on_abort {
                f.action(m, a, &who, "saga aborted");
            }
        }
        for s in &m.sources {
            f.action(m, &s.emit, &Who::Source(s.name.clone()), "workload item");
        }
        f
    }

    fn action(&mut self, m: &Model, a: &Action, who: &Who, why: &str) {
        match a {
            Action::Publish {
                event,
                topic,
                version,
            } => self.publishes.push(Publish {
                event: event.clone(),
                topic: topic.clone(),
                who: who.clone(),
                version: *version,
            }),
            Action::Send { command, to } => self.requests.push(Request {
                kind: Kind::Command,
                name: command.clone(),
                who: who.clone(),
                to: to.clone(),
                why: why.to_owned(),
            }),
            // A reply goes back to whoever sent the request; recorded with the handler.
            Action::Reply(_) => {}
            Action::Append { event, store } => {
                self.appends.push(Appends {
                    event: event.clone(),
                    store: store.clone(),
                    who: who.clone(),
                });
                if let Some(topic) = m
                    .stores
                    .iter()
                    .find(|s| &s.name == store)
                    .and_then(|s| s.publish_to.clone())
                {
                    let p = Publish {
                        event: event.clone(),
                        topic,
                        who: Who::Store(store.clone()),
                        version: None,
                    };
                    if !self.publishes.contains(&p) {
                        self.publishes.push(p);
                    }
                }
            }
        }
    }

    /// Every message name of each kind, sorted by name: events declared in the model
    /// and any named only in a flow; commands, queries and replies from the flows.
    pub(super) fn names(&self, m: &Model) -> BTreeMap<Kind, Vec<String>> {
        let mut out: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
        let mut add = |k: Kind, n: &str| out.entry(k).or_default().push(n.to_owned());
        for e in &m.events {
            add(Kind::Event, &e.name);
        }
        for p in &self.publishes {
            add(Kind::Event, &p.event);
        }
        for s in &self.subscribes {
            add(Kind::Event, &s.event);
        }
        for a in &self.appends {
            add(Kind::Event, &a.event);
        }
        for r in &self.requests {
            add(r.kind, &r.name);
        }
        for h in &self.handles {
            add(h.kind, &h.name);
            for r in &h.replies {
                add(Kind::Reply, r);
            }
        }
        for a in &self.awaits {
            add(Kind::Reply, &a.reply);
        }
        for d in &self.dead_letters {
            add(d.kind, &d.name);
        }
        for v in out.values_mut() {
            v.sort();
            v.dedup();
        }
        out
    }

    /// The messages a topic carries, sorted by kind then name.
    pub(super) fn topic_messages(&self, topic: &str) -> Vec<(Kind, String)> {
        let mut v: Vec<(Kind, String)> = self
            .publishes
            .iter()
            .filter(|p| p.topic == topic)
            .map(|p| (Kind::Event, p.event.clone()))
            .chain(
                self.subscribes
                    .iter()
                    .filter(|s| s.topic == topic)
                    .map(|s| (Kind::Event, s.event.clone())),
            )
            .chain(
                self.dead_letters
                    .iter()
                    .filter(|d| d.topic == topic)
                    .map(|d| (d.kind, d.name.clone())),
            )
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Replies sent in answer to a command or query of this name.
    pub(super) fn replies_to(&self, kind: Kind, name: &str) -> Vec<String> {
        let v = self
            .handles
            .iter()
            .filter(|h| h.kind == kind && h.name == name)
            .flat_map(|h| h.replies.iter().cloned())
            .collect();
        sorted(v)
    }

    /// Commands or queries whose handlers may send this reply.
    pub(super) fn requests_answered_by(&self, reply: &str) -> Vec<(Kind, String)> {
        let mut v: Vec<(Kind, String)> = self
            .handles
            .iter()
            .filter(|h| h.replies.iter().any(|r| r == reply))
            .map(|h| (h.kind, h.name.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

fn trigger_kind(t: &Trigger) -> Kind {
    match t {
        Trigger::Event { .. } => Kind::Event,
        Trigger::Command(_) => Kind::Command,
        Trigger::Query(_) => Kind::Query,
    }
}

fn trigger_name(h: &Handler) -> (Kind, &str) {
    match &h.on {
        Trigger::Event { event, .. } => (Kind::Event, event),
        Trigger::Command(n) => (Kind::Command, n),
        Trigger::Query(n) => (Kind::Query, n),
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

/// Sorted and without repeats.
pub(super) fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}
