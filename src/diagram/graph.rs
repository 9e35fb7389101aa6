//! The boxes and arrows of a model.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Action, ElementKind, ElementRef, Model, Pos, Trigger};

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
    /// A participant replies to a saga's command.
    Reply,
    /// A saga's compensating command.
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
    pub element: ElementRef,
    /// A second line: "6 partitions", "2 × 4 workers", "3 steps"…
    pub detail: String,
    pub pos: Option<Pos>,
}

/// One arrow, between node indexes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// E.g. the event or command name, the consumer group.
    pub label: String,
}

/// A model's diagram: nodes in a fixed order (sources, services, sagas, topics,
/// stores, projections) and edges without duplicates, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ArchGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl ArchGraph {
    pub fn node(&self, element: &ElementRef) -> Option<usize> {
        self.nodes.iter().position(|n| &n.element == element)
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A rate for a label: at most three decimals, no trailing zeros ("20", "4.167").
fn short_number(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Draws one arrow (between two nodes, if both exist).
type Link<'a> = dyn FnMut(Option<usize>, Option<usize>, EdgeKind, &str) + 'a;

/// The diagram of a model. References to missing elements are left out.
pub fn arch_graph(m: &Model) -> ArchGraph {
    let mut nodes = Vec::new();
    let mut add = |kind, name: &str, detail: String, pos| {
        nodes.push(Node {
            element: ElementRef::new(kind, name),
            detail,
            pos,
        })
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
            plural(s.steps.len() as u32, "step", "steps"),
            s.pos,
        );
    }
    for t in &m.topics {
        add(
            ElementKind::Topic,
            &t.name,
            plural(t.partitions, "partition", "partitions"),
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
    let index: BTreeMap<(ElementKind, &str), usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| ((n.element.kind, n.element.name.as_str()), i))
        .collect();
    let id = |kind, name: &str| index.get(&(kind, name)).copied();
    let mut edges: Vec<Edge> = Vec::new();
    let mut link = |from: Option<usize>, to: Option<usize>, kind, label: &str| {
        if let (Some(from), Some(to)) = (from, to) {
            let e = Edge {
                from,
                to,
                kind,
                label: label.to_owned(),
            };
            if !edges.contains(&e) {
                edges.push(e);
            }
        }
    };
    // What an action draws, from the node that performs it.
    let action = |link: &mut Link, from, a: &Action| match a {
        Action::Publish { event, topic, .. } => link(
            from,
            id(ElementKind::Topic, topic),
            EdgeKind::Publish,
            event,
        ),
        Action::Send { command, to } => link(
            from,
            id(ElementKind::Service, to),
            EdgeKind::Command,
            command,
        ),
        Action::Append { event, store } => {
            link(from, id(ElementKind::Store, store), EdgeKind::Store, event)
        }
        Action::Reply(_) => {}
    };
    for s in &m.sources {
        action(&mut link, id(ElementKind::Source, &s.name), &s.emit);
    }
    for s in &m.services {
        let me = id(ElementKind::Service, &s.name);
        for h in &s.handlers {
            if let Trigger::Event { topic, group, .. } = &h.on {
                link(
                    id(ElementKind::Topic, topic),
                    me,
                    EdgeKind::Consume,
                    group.as_deref().unwrap_or(&s.name),
                );
            }
            for a in h.actions() {
                action(&mut link, me, a);
            }
            if let Some(cb) = &h.callback {
                link(
                    me,
                    id(ElementKind::Service, &cb.service),
                    EdgeKind::Callback,
                    &cb.query,
                );
            }
            if let Some(dlq) = &h.dead_letter {
                link(
                    me,
                    id(ElementKind::Topic, dlq),
                    EdgeKind::DeadLetter,
                    "dead letters",
                );
            }
        }
    }
    for saga in &m.sagas {
        let me = id(ElementKind::Saga, &saga.name);
        match &saga.trigger {
            Trigger::Event { topic, group, .. } => {
                link(
                    id(ElementKind::Topic, topic),
                    me,
                    EdgeKind::Consume,
                    group.as_deref().unwrap_or(&saga.orchestrator),
                );
                link(
                    id(ElementKind::Service, &saga.orchestrator),
                    me,
                    EdgeKind::Orchestrates,
                    "runs",
                );
            }
            Trigger::Command(c) | Trigger::Query(c) => link(
                id(ElementKind::Service, &saga.orchestrator),
                me,
                EdgeKind::Command,
                c,
            ),
        }
        for st in &saga.steps {
            let svc = id(ElementKind::Service, &st.service);
            link(me, svc, EdgeKind::Command, &st.command);
            link(
                svc,
                me,
                EdgeKind::Reply,
                st.success.as_deref().unwrap_or("reply"),
            );
            if let Some(c) = &st.compensate {
                link(me, svc, EdgeKind::Compensation, c);
            }
        }
        for a in saga.on_complete.iter().chain(&saga.on_abort) {
            action(&mut link, me, a);
        }
    }
    for st in &m.stores {
        if let Some(t) = &st.publish_to {
            link(
                id(ElementKind::Store, &st.name),
                id(ElementKind::Topic, t),
                EdgeKind::Publish,
                "change feed",
            );
        }
    }
    for p in &m.projections {
        link(
            id(ElementKind::Store, &p.store),
            id(ElementKind::Projection, &p.name),
            EdgeKind::Store,
            "projects",
        );
    }
    ArchGraph { nodes, edges }
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
