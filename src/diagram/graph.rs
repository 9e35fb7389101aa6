//! The boxes and arrows of a model.

use crate::words::count;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::flows::{
    Append, Await, Flow, Handoff, Meaning, Origin, Publish, Receiver, Request, Stage,
};
use crate::model::{ElementKind, ElementRef, Flows, Model, Pos};

/// What an arrow means; each kind is drawn in its own style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A producer publishes events to a topic.
    Publish,
    /// A consumer group reads a topic (labelled with the group).
    Consume,
    /// A command sent to a service (by a source, a handler or a saga step).
    Command,
    /// A participant's reply to a saga's command that means the step succeeded.
    Reply,
    /// A participant's reply to a saga's command that means the step failed
    /// ([`Step::fails_with`](crate::model::Step::fails_with)): the saga compensates.
    Failure,
    /// A saga's compensating command, and the participant's reply to it (the arrow
    /// points back to the saga).
    Compensation,
    /// A notification's consumer calls back the source.
    Callback,
    /// Failed messages go to a dead-letter topic.
    DeadLetter,
    /// A service appends to an event store, or a store feeds a projection or topic.
    Store,
    /// The service that runs a saga (drawn when the saga is started by an event; a
    /// command-started saga already has its command arrow from the orchestrator).
    Orchestrates,
}

/// One box.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// The model element the box stands for.
    pub element: ElementRef,
    /// A second line: "6 partitions", "2 × 4 workers", "3 steps"…
    pub detail: String,
    /// The element's position on the canvas, if the model gives one.
    pub pos: Option<Pos>,
}

/// One arrow, between node indexes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Index in [`ArchGraph::nodes`] of the node it starts at.
    pub from: usize,
    /// Index in [`ArchGraph::nodes`] of the node it points to.
    pub to: usize,
    /// What the arrow means.
    pub kind: EdgeKind,
    /// E.g. the event or command name, the consumer group.
    pub label: String,
}

/// A model's diagram: nodes in a fixed order (sources, services, sagas, topics,
/// stores, projections) and edges without duplicates, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ArchGraph {
    /// The boxes.
    pub nodes: Vec<Node>,
    /// The arrows between them.
    pub edges: Vec<Edge>,
}

impl ArchGraph {
    /// Index in [`ArchGraph::nodes`] of the box for this element, if it is drawn.
    pub fn node(&self, element: &ElementRef) -> Option<usize> {
        self.nodes.iter().position(|n| &n.element == element)
    }
}

/// A rate for a label: at most three decimals, no trailing zeros ("20", "4.167").
fn short_number(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The diagram of a model. References to missing elements are left out.
pub fn arch_graph(m: &Model) -> ArchGraph {
    let nodes = nodes(m);
    let edges = edges(&Flows::new(m), &nodes);
    ArchGraph { nodes, edges }
}

/// The boxes, in a fixed order: sources, services, sagas, topics, stores, projections.
fn nodes(m: &Model) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut add = |kind, name: &str, detail: String, pos| {
        nodes.push(Node {
            element: ElementRef::new(kind, name),
            detail,
            pos,
        });
    };
    for s in &m.sources {
        add(
            ElementKind::Source,
            &s.name,
            format!("{}/s", short_number(s.rate.mean_per_sec())),
            s.pos,
        );
    }
    for s in &m.services {
        add(
            ElementKind::Service,
            &s.name,
            format!("{} × {} workers", s.instances, s.concurrency),
            s.pos,
        );
    }
    for s in &m.sagas {
        add(
            ElementKind::Saga,
            &s.name,
            count(s.steps.len(), "step", None),
            s.pos,
        );
    }
    for t in &m.topics {
        add(
            ElementKind::Topic,
            &t.name,
            count(t.partitions as usize, "partition", None),
            t.pos,
        );
    }
    for s in &m.stores {
        add(
            ElementKind::Store,
            &s.name,
            format!("aggregate {}", s.aggregate),
            s.pos,
        );
    }
    for p in &m.projections {
        add(
            ElementKind::Projection,
            &p.name,
            "read model".to_owned(),
            p.pos,
        );
    }
    nodes
}

/// The arrows of the flows: the sources' first, then the others in model order,
/// without duplicates.
fn edges(flows: &Flows, nodes: &[Node]) -> Vec<Edge> {
    let index: BTreeMap<(ElementKind, &str), usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| ((n.element.kind, n.element.name.as_str()), i))
        .collect();
    let mut arrows = Arrows {
        index,
        edges: Vec::new(),
    };
    let from_source = |f: &&Flow| {
        matches!(
            f,
            Flow::Publish(Publish {
                origin: Origin::Source(_),
                ..
            }) | Flow::Request(Request {
                origin: Origin::Source(_),
                ..
            }) | Flow::Append(Append {
                origin: Origin::Source(_),
                ..
            })
        )
    };
    let (sources, others): (Vec<&Flow>, Vec<&Flow>) = flows.all().iter().partition(from_source);
    for f in sources.into_iter().chain(others) {
        arrows.flow(f);
    }
    arrows.unnamed_replies(flows);
    arrows.edges
}

/// The arrows drawn so far, and the nodes they can join.
struct Arrows<'a> {
    index: BTreeMap<(ElementKind, &'a str), usize>,
    edges: Vec<Edge>,
}

impl Arrows<'_> {
    /// Draw one arrow, if both ends are nodes and it is not drawn yet.
    fn link(
        &mut self,
        from: (ElementKind, &str),
        to: (ElementKind, &str),
        kind: EdgeKind,
        label: &str,
    ) {
        if let (Some(&from), Some(&to)) = (self.index.get(&from), self.index.get(&to)) {
            let e = Edge {
                from,
                to,
                kind,
                label: label.to_owned(),
            };
            if !self.edges.contains(&e) {
                self.edges.push(e);
            }
        }
    }

    /// The arrows one flow draws.
    fn flow(&mut self, f: &Flow) {
        use ElementKind::{Saga, Service, Store, Topic};
        match f {
            // A store's feed is drawn once, from the store (see `Flow::Feed`).
            Flow::Publish(Publish {
                origin: Origin::Feed(_),
                ..
            }) => {}
            Flow::Publish(p) => self.link(
                p.origin.who().element(),
                (Topic, p.topic),
                EdgeKind::Publish,
                p.event,
            ),
            Flow::Subscription(s) => {
                self.link(
                    (Topic, s.topic),
                    s.receiver.element(),
                    EdgeKind::Consume,
                    s.group,
                );
                if let Receiver::Saga(g) = s.receiver {
                    self.link(
                        (Service, &g.saga.orchestrator),
                        (Saga, &g.saga.name),
                        EdgeKind::Orchestrates,
                        "runs",
                    );
                }
            }
            Flow::Handling(h) => {
                if let Receiver::Saga(g) = h.receiver {
                    self.link(
                        (Service, &g.saga.orchestrator),
                        (Saga, &g.saga.name),
                        EdgeKind::Command,
                        h.name,
                    );
                }
            }
            Flow::Request(r) => self.request(r),
            Flow::Append(a) => self.link(
                a.origin.who().element(),
                (Store, a.store),
                EdgeKind::Store,
                a.event,
            ),
            Flow::Feed(feed) => self.link(
                (Store, &feed.store.name),
                (Topic, feed.topic),
                EdgeKind::Publish,
                "change feed",
            ),
            Flow::Projects(p) => self.link(
                (Store, p.store),
                (ElementKind::Projection, &p.projection.name),
                EdgeKind::Store,
                "projects",
            ),
            Flow::DeadLetter(d) => self.link(
                (Service, &d.handler.service.name),
                (Topic, d.topic),
                EdgeKind::DeadLetter,
                "dead letters",
            ),
            Flow::Await(a) => self.awaited(a),
            Flow::Handoff(h) => self.handoff(h),
        }
    }

    /// A reply a saga step names as its success or failure, from the participant back
    /// to the saga (drawn even when the participant's handler never sends it: the
    /// saga declares it).
    fn awaited(&mut self, a: &Await) {
        let Some(step) = a.saga.step(a.step) else {
            return;
        };
        let kind = match a.meaning {
            Meaning::Success => EdgeKind::Reply,
            Meaning::Failure => EdgeKind::Failure,
        };
        self.link(
            (ElementKind::Service, &step.service),
            (ElementKind::Saga, &a.saga.saga.name),
            kind,
            a.reply,
        );
    }

    /// A reply the participant's handler can send to a step's command (a success or a
    /// failure, as the step reads it) or to its compensation.
    fn handoff(&mut self, h: &Handoff) {
        let (Some(reply), Stage::Step(i) | Stage::Compensation(i)) = (h.reply, h.stage) else {
            return;
        };
        let Some(step) = h.saga.step(i) else {
            return;
        };
        let kind = match (h.stage, h.failed) {
            (Stage::Compensation(_), _) => EdgeKind::Compensation,
            (_, true) => EdgeKind::Failure,
            (_, false) => EdgeKind::Reply,
        };
        self.link(
            (ElementKind::Service, &step.service),
            (ElementKind::Saga, &h.saga.saga.name),
            kind,
            reply,
        );
    }

    /// A step whose participant names no reply (and whose step names none) still
    /// answers: a "reply" arrow back to the saga.
    fn unnamed_replies(&mut self, flows: &Flows) {
        for r in flows.requests() {
            let Origin::Step { saga, .. } = r.origin else {
                continue;
            };
            let (Some(&from), Some(&to)) = (
                self.index.get(&(ElementKind::Service, r.to)),
                self.index
                    .get(&(ElementKind::Saga, saga.saga.name.as_str())),
            ) else {
                continue;
            };
            let answered = self.edges.iter().any(|e| {
                e.from == from
                    && e.to == to
                    && matches!(e.kind, EdgeKind::Reply | EdgeKind::Failure)
            });
            if !answered {
                self.link(
                    (ElementKind::Service, r.to),
                    (ElementKind::Saga, &saga.saga.name),
                    EdgeKind::Reply,
                    "reply",
                );
            }
        }
    }

    /// A command or query: a step's command, a compensation, a callback, or a plain command.
    fn request(&mut self, r: &Request) {
        let from = r.origin.who().element();
        let to = (ElementKind::Service, r.to);
        match r.origin {
            // The replies come with the step's awaits and hand-offs.
            Origin::Step { .. } => self.link(from, to, EdgeKind::Command, r.name),
            Origin::Compensation { .. } => self.link(from, to, EdgeKind::Compensation, r.name),
            Origin::Callback(_) => self.link(from, to, EdgeKind::Callback, r.name),
            _ => self.link(from, to, EdgeKind::Command, r.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saga_example_draws_its_flow() {
        let g = arch_graph(&crate::examples::DEFAULT.model().unwrap());
        let has =
            |from: (ElementKind, &str), to: (ElementKind, &str), kind: EdgeKind, label: &str| {
                let f = g.node(&ElementRef::new(from.0, from.1)).unwrap();
                let t = g.node(&ElementRef::new(to.0, to.1)).unwrap();
                g.edges
                    .iter()
                    .any(|e| e.from == f && e.to == t && e.kind == kind && e.label == label)
            };
        use ElementKind::*;
        assert!(has(
            (Source, "web shop"),
            (Topic, "orders"),
            EdgeKind::Publish,
            "OrderPlaced"
        ));
        assert!(has(
            (Topic, "orders"),
            (Saga, "checkout"),
            EdgeKind::Consume,
            "checkout"
        ));
        assert!(has(
            (Saga, "checkout"),
            (Service, "payment"),
            EdgeKind::Command,
            "ChargeCard"
        ));
        assert!(has(
            (Service, "payment"),
            (Saga, "checkout"),
            EdgeKind::Reply,
            "CardCharged"
        ));
        assert!(has(
            (Saga, "checkout"),
            (Service, "payment"),
            EdgeKind::Compensation,
            "RefundCard"
        ));
        // Every reply the saga declares or its participants send: failures and the
        // replies to compensations too.
        for (service, kind, reply) in [
            ("inventory", EdgeKind::Reply, "StockReserved"),
            ("inventory", EdgeKind::Failure, "OutOfStock"),
            ("inventory", EdgeKind::Compensation, "StockReleased"),
            ("payment", EdgeKind::Failure, "CardDeclined"),
            ("payment", EdgeKind::Compensation, "CardRefunded"),
            ("shipping", EdgeKind::Reply, "ShipmentCreated"),
            ("shipping", EdgeKind::Failure, "AddressInvalid"),
        ] {
            assert!(
                has((Service, service), (Saga, "checkout"), kind, reply),
                "{reply}"
            );
        }
        assert!(!g.edges.iter().any(|e| e.label == "reply"));
        assert!(has(
            (Service, "payment"),
            (Topic, "payment-dlq"),
            EdgeKind::DeadLetter,
            "dead letters"
        ));
        assert!(has(
            (Topic, "order-status"),
            (Service, "notifications"),
            EdgeKind::Consume,
            "notifications"
        ));
        // Two handlers on the same topic and group draw one arrow.
        let consume = g
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Consume && e.label == "notifications")
            .count();
        assert_eq!(consume, 1);
        assert_eq!(
            g.nodes.len(),
            crate::examples::DEFAULT.model().unwrap().node_count()
        );
    }

    /// A step that names no reply, to a participant that sends none, still gets its
    /// answer drawn.
    #[test]
    fn an_unnamed_reply_is_drawn() {
        let mut m = crate::examples::DEFAULT.model().unwrap();
        for s in &mut m.sagas[0].steps {
            s.success = None;
            s.failure = None;
        }
        for s in &mut m.services {
            for h in &mut s.handlers {
                h.outcomes.clear();
                h.emit.clear();
            }
        }
        let g = arch_graph(&m);
        let replies = g
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Reply && e.label == "reply")
            .count();
        assert_eq!(replies, 3);
    }

    #[test]
    fn rates_read_short() {
        assert_eq!(short_number(20.0), "20");
        assert_eq!(short_number(500.0 / 120.0), "4.167");
        assert_eq!(short_number(0.5), "0.5");
    }

    #[test]
    fn callbacks_and_stores_are_drawn() {
        let g = arch_graph(
            &crate::examples::find("notification")
                .unwrap()
                .model()
                .unwrap(),
        );
        assert!(
            g.edges
                .iter()
                .any(|e| e.kind == EdgeKind::Callback && e.label == "GetCustomer")
        );
        let g = arch_graph(&crate::examples::find("cqrs").unwrap().model().unwrap());
        assert!(
            g.edges
                .iter()
                .any(|e| e.kind == EdgeKind::Store && e.label == "projects")
        );
        assert!(
            g.edges
                .iter()
                .any(|e| e.kind == EdgeKind::Publish && e.label == "change feed")
        );
    }
}
