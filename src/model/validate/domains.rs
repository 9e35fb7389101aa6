//! Lint over bounded contexts: a topic with no domain of its own whose producers and
//! consumers span two or more domains has no owner, so nobody is answerable for its
//! events' schema and retention.

use std::collections::{BTreeMap, BTreeSet};

use super::{Cx, quoted_list};
use crate::model::ElementKind;
use crate::model::flows::{Flow, Who};

/// A topic shared by this many domains or more, and owned by none, is warned about.
pub const OWNERLESS_DOMAINS: usize = 2;

pub(super) fn check(cx: &mut Cx) {
    let m = cx.model;
    // Built once: the domain of each service and saga, then each topic's domains.
    let mut of: BTreeMap<(ElementKind, &str), &str> = BTreeMap::new();
    for s in &m.services {
        if let Some(d) = s.domain.as_deref() {
            of.entry((ElementKind::Service, s.name.as_str()))
                .or_insert(d);
        }
    }
    for s in &m.sagas {
        if let Some(d) = s.domain.as_deref() {
            of.entry((ElementKind::Saga, s.name.as_str())).or_insert(d);
        }
    }
    if of.is_empty() {
        return;
    }
    let mut spans: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in cx.flows.all() {
        let (topic, who) = match f {
            Flow::Publish(p) => (p.topic, p.origin.who()),
            Flow::Subscription(s) => (s.topic, Who::Service(s.service)),
            _ => continue,
        };
        let key = match who {
            Who::Service(s) => (ElementKind::Service, s),
            Who::Saga { saga, .. } => (ElementKind::Saga, saga),
            _ => continue,
        };
        if let Some(d) = of.get(&key) {
            spans.entry(topic).or_default().insert(d);
        }
    }
    for topic in m.topics.iter().filter(|t| t.domain.is_none()) {
        let Some(domains) = spans.get(topic.name.as_str()) else {
            continue;
        };
        if domains.len() >= OWNERLESS_DOMAINS {
            cx.on(ElementKind::Topic, &topic.name);
            cx.warning(
                format!("topics[{}].domain", topic.name),
                format!(
                    "used across {} domains ({}) and owned by none",
                    domains.len(),
                    quoted_list(domains.iter().copied())
                ),
            )
            .hint("give the topic the `domain` that publishes its events, so one team owns its schema");
        }
    }
    cx.off();
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, Severity, load_file, validate};

    fn choreography() -> Model {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/order-choreography.ron");
        let mut m = load_file(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        for s in &mut m.services {
            let d = match s.name.as_str() {
                "payment" => "billing",
                "inventory" | "shipping" => "fulfilment",
                _ => "sales",
            };
            s.domain = Some(d.into());
        }
        m
    }

    fn ownerless(m: &Model) -> Vec<String> {
        validate(m)
            .into_iter()
            .filter(|p| p.path.ends_with(".domain"))
            .inspect(|p| assert_eq!(p.severity, Severity::Warning))
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn a_topic_shared_across_domains_without_owner_is_warned_about() {
        let m = choreography();
        let found = ownerless(&m);
        assert!(
            found.iter().any(
                |p| p.starts_with("warning: topics[orders].domain: used across")
                    && p.contains("\"billing\"")
                    && p.contains("\"sales\"")
                    && p.contains("hint: give the topic")
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn an_owned_topic_or_a_model_without_domains_is_not() {
        let mut m = choreography();
        for t in &mut m.topics {
            t.domain = Some("sales".into());
        }
        assert_eq!(ownerless(&m), Vec::<String>::new());
        let plain = choreography();
        let mut plain = plain;
        for s in &mut plain.services {
            s.domain = None;
        }
        assert_eq!(ownerless(&plain), Vec::<String>::new());
    }
}
