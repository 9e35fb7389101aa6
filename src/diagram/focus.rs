//! Focused views of a big diagram: which boxes a [`Focus`] keeps, the rest drawn
//! faded. A focus is a way of looking at the model, not part of it: it is not saved
//! and not undone.
//!
//! Neighbours are the boxes joined by the arrows the diagram draws ([`ArchGraph`]'s
//! edges, derived once from the model's flows), followed either way; a saga's
//! participants and an event's or topic's producers and consumers are the flows'
//! answers ([`Flows::saga_participants`], [`Flows::event_parties`],
//! [`Flows::topic_parties`]).

use std::collections::{BTreeMap, HashSet, VecDeque};

use super::ArchGraph;
use crate::model::{ElementKind, ElementRef, Flows, Model};

/// What a focused view shows (besides everything else, faded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    /// An element and the boxes at most `hops` arrows away from it, either way.
    Around {
        /// The element in the middle.
        element: ElementRef,
        /// How many arrows away a box may be ([`Focus::HOPS`]).
        hops: u8,
    },
    /// A saga and its participants.
    Saga(String),
    /// An event type's producers, the topics and stores it goes to, its consumers.
    Event(String),
    /// A topic, its producers and its consumers.
    Topic(String),
    /// A domain's elements, and the events and sources drawn next to them only.
    Domain(String),
}

impl Focus {
    /// The neighbourhoods offered: 1 to 3 arrows away.
    pub const HOPS: std::ops::RangeInclusive<u8> = 1..=3;

    /// The element the focus is about (a domain is no element: `None`).
    pub fn subject(&self) -> Option<ElementRef> {
        Some(match self {
            Focus::Around { element, .. } => element.clone(),
            Focus::Saga(name) => ElementRef::new(ElementKind::Saga, name),
            Focus::Event(name) => ElementRef::new(ElementKind::Event, name),
            Focus::Topic(name) => ElementRef::new(ElementKind::Topic, name),
            Focus::Domain(_) => return None,
        })
    }

    /// What the focus is about, in words: `service "payment"`, `domain "billing"`.
    pub fn subject_text(&self) -> String {
        match (self, self.subject()) {
            (_, Some(el)) => el.to_string(),
            (Focus::Domain(name), None) => format!("domain \"{name}\""),
            (_, None) => String::new(),
        }
    }

    /// Is what the focus is about still in `model`?
    pub fn exists_in(&self, model: &Model) -> bool {
        match (self, self.subject()) {
            (_, Some(el)) => model.contains(&el),
            (Focus::Domain(name), None) => model.domain_members().any(|(_, d)| d == name),
            (_, None) => false,
        }
    }

    /// What is shown, in words: `service "payment" and what is within 2 arrows`,
    /// `saga "checkout" and its participants`, `event "OrderPlaced": its producers
    /// and consumers`.
    pub fn describe(&self) -> String {
        let subject = self.subject_text();
        match self {
            Focus::Around { hops, .. } => {
                let arrows = if *hops == 1 { "arrow" } else { "arrows" };
                format!("{subject} and what is within {hops} {arrows}")
            }
            Focus::Saga(_) => format!("{subject} and its participants"),
            Focus::Event(_) | Focus::Topic(_) => {
                format!("{subject}: its producers and consumers")
            }
            Focus::Domain(_) => format!("{subject} and what it alone publishes or reads"),
        }
    }

    /// Which of `graph`'s boxes (the diagram of `model`) the focus keeps, one flag per
    /// node; every flag is `false` when the subject is not in the model.
    pub fn keeps(&self, model: &Model, graph: &ArchGraph) -> Vec<bool> {
        let elements = match self {
            Focus::Around { element, hops } => {
                return match graph.node(element) {
                    Some(i) => graph.within(i, usize::from(*hops)),
                    None => vec![false; graph.nodes.len()],
                };
            }
            Focus::Saga(name) => Flows::new(model).saga_participants(name),
            Focus::Event(name) => Flows::new(model).event_parties(name).all(),
            Focus::Topic(name) => {
                if model.topic(name).is_none() {
                    Vec::new()
                } else {
                    Flows::new(model).topic_parties(name).all()
                }
            }
            Focus::Domain(name) => return domain_keeps(model, graph, name),
        };
        let index: BTreeMap<&ElementRef, usize> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (&n.element, i))
            .collect();
        let mut keep = vec![false; graph.nodes.len()];
        for el in &elements {
            if let Some(&i) = index.get(el) {
                keep[i] = true;
            }
        }
        keep
    }
}

/// A domain's boxes, and the boxes with no domain of their own (events, sources)
/// whose every arrow leads to one of them.
fn domain_keeps(model: &Model, graph: &ArchGraph, domain: &str) -> Vec<bool> {
    let members: HashSet<ElementRef> = model
        .domain_members()
        .filter(|(_, d)| *d == domain)
        .map(|(el, _)| el)
        .collect();
    let mut keep: Vec<bool> = graph
        .nodes
        .iter()
        .map(|n| members.contains(&n.element))
        .collect();
    let n = graph.nodes.len();
    // Per domainless box: (touches a kept box, touches another).
    let mut touch = vec![(false, false); n];
    for e in &graph.edges {
        for (a, b) in [(e.from, e.to), (e.to, e.from)] {
            if a < n
                && b < n
                && matches!(
                    graph.nodes[a].element.kind,
                    ElementKind::Event | ElementKind::Source
                )
            {
                if keep[b] {
                    touch[a].0 = true;
                } else {
                    touch[a].1 = true;
                }
            }
        }
    }
    for (k, (kept, other)) in keep.iter_mut().zip(touch) {
        if kept && !other {
            *k = true;
        }
    }
    keep
}

impl ArchGraph {
    /// The boxes at most `hops` arrows away from box `from` (itself included),
    /// following arrows either way: one flag per node. Linear in the boxes and arrows.
    pub fn within(&self, from: usize, hops: usize) -> Vec<bool> {
        let n = self.nodes.len();
        let mut keep = vec![false; n];
        if from >= n {
            return keep;
        }
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &self.edges {
            if e.from < n && e.to < n {
                next[e.from].push(e.to);
                next[e.to].push(e.from);
            }
        }
        let mut queue = VecDeque::from([(from, 0)]);
        keep[from] = true;
        while let Some((at, d)) = queue.pop_front() {
            if d == hops {
                continue;
            }
            for &to in &next[at] {
                if !keep[to] {
                    keep[to] = true;
                    queue.push_back((to, d + 1));
                }
            }
        }
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::arch_graph;
    use crate::examples;
    use crate::model::parse;

    /// The names of the boxes kept.
    fn kept(graph: &ArchGraph, keep: &[bool]) -> Vec<String> {
        let mut names: Vec<String> = graph
            .nodes
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(n, _)| n.element.name.clone())
            .collect();
        names.sort();
        names
    }

    /// A pipeline: source → t0 → s0 → t1 → s1 → t2 → s2.
    fn pipeline() -> Model {
        parse(
            r#"Model(name: "p",
                events: [Event(name: "E0"), Event(name: "E1"), Event(name: "E2")],
                topics: [Topic(name: "t0"), Topic(name: "t1"), Topic(name: "t2")],
                services: [
                    Service(name: "s0", handlers: [Handler(on: Event(event: "E0", topic: "t0"),
                        latency: Constant("1ms"), emit: [Publish(event: "E1", topic: "t1")])]),
                    Service(name: "s1", handlers: [Handler(on: Event(event: "E1", topic: "t1"),
                        latency: Constant("1ms"), emit: [Publish(event: "E2", topic: "t2")])]),
                    Service(name: "s2", handlers: [Handler(on: Event(event: "E2", topic: "t2"),
                        latency: Constant("1ms"))]),
                ],
                sources: [Source(name: "src", emit: Publish(event: "E0", topic: "t0"),
                    rate: Constant(per_sec: 1.0))],
            )"#,
        )
        .unwrap()
    }

    #[test]
    fn neighbours_within_n_arrows_either_way() {
        let m = pipeline();
        let g = arch_graph(&m);
        let at = |name: &str, hops| {
            let f = Focus::Around {
                element: ElementRef::new(ElementKind::Service, name),
                hops,
            };
            kept(&g, &f.keeps(&m, &g))
        };
        assert_eq!(at("s1", 1), ["s1", "t1", "t2"]);
        assert_eq!(at("s1", 2), ["s0", "s1", "s2", "t1", "t2"]);
        assert_eq!(at("s1", 3), ["s0", "s1", "s2", "t0", "t1", "t2"]);
        assert_eq!(at("s0", 3), ["s0", "s1", "src", "t0", "t1", "t2"]);
        assert_eq!(at("s2", 0), ["s2"]);
        assert!(at("missing", 2).is_empty());
        assert_eq!(g.within(99, 1), vec![false; g.nodes.len()]);
    }

    #[test]
    fn a_domain_focus_keeps_its_elements_and_the_sources_feeding_them_only() {
        let mut m = pipeline();
        for s in &mut m.services {
            s.domain = Some(if s.name == "s2" { "late" } else { "early" }.into());
        }
        m.topics[0].domain = Some("early".into());
        let g = arch_graph(&m);
        let f = Focus::Domain("early".into());
        // The source feeds t0 only: it goes with the domain.
        assert_eq!(kept(&g, &f.keeps(&m, &g)), ["s0", "s1", "src", "t0"]);
        assert_eq!(
            kept(&g, &Focus::Domain("late".into()).keeps(&m, &g)),
            ["s2"]
        );
        assert!(f.exists_in(&m));
        assert!(!Focus::Domain("none".into()).exists_in(&m));
        assert_eq!(f.subject(), None);
        assert_eq!(
            f.describe(),
            "domain \"early\" and what it alone publishes or reads"
        );
    }

    #[test]
    fn a_saga_focus_keeps_its_participants_only() {
        let m = examples::DEFAULT.model().unwrap();
        let g = arch_graph(&m);
        let f = Focus::Saga("checkout".into());
        assert_eq!(
            kept(&g, &f.keeps(&m, &g)),
            [
                "checkout",
                "checkout",
                "inventory",
                "order-status",
                "orders",
                "payment",
                "shipping"
            ]
        );
        assert!(!kept(&g, &f.keeps(&m, &g)).contains(&"notifications".to_owned()));
        assert_eq!(f.describe(), "saga \"checkout\" and its participants");
    }

    #[test]
    fn an_event_or_topic_focus_keeps_its_producers_and_consumers() {
        let m = examples::DEFAULT.model().unwrap();
        let g = arch_graph(&m);
        let f = Focus::Event("OrderCompleted".into());
        assert_eq!(
            kept(&g, &f.keeps(&m, &g)),
            ["checkout", "notifications", "order-status"]
        );
        let f = Focus::Topic("orders".into());
        assert_eq!(
            kept(&g, &f.keeps(&m, &g)),
            ["checkout", "orders", "web shop"]
        );
        assert!(kept(&g, &Focus::Topic("nope".into()).keeps(&m, &g)).is_empty());
        assert_eq!(
            Focus::Around {
                element: ElementRef::new(ElementKind::Service, "payment"),
                hops: 1
            }
            .describe(),
            "service \"payment\" and what is within 1 arrow"
        );
    }

    /// 300 pipelines side by side: a neighbourhood stays inside its own.
    #[test]
    fn a_neighbourhood_stays_in_its_pipeline_among_hundreds() {
        let mut m = Model::new("big");
        let src = pipeline();
        for i in 0..300 {
            let mut part = src.clone();
            for t in &mut part.topics {
                t.name = format!("{}-{i}", t.name);
            }
            for s in &mut part.services {
                s.name = format!("{}-{i}", s.name);
                for h in &mut s.handlers {
                    if let crate::model::Trigger::Event { topic, .. } = &mut h.on {
                        *topic = format!("{topic}-{i}");
                    }
                    for a in &mut h.emit {
                        if let crate::model::Action::Publish { topic, .. } = a {
                            *topic = format!("{topic}-{i}");
                        }
                    }
                }
            }
            m.topics.extend(part.topics);
            m.services.extend(part.services);
        }
        m.events = src.events;
        let g = arch_graph(&m);
        let f = Focus::Around {
            element: ElementRef::new(ElementKind::Service, "s1-150"),
            hops: 3,
        };
        assert_eq!(
            kept(&g, &f.keeps(&m, &g)),
            ["s0-150", "s1-150", "s2-150", "t0-150", "t1-150", "t2-150"]
        );
    }
}
