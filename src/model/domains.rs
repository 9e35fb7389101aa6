//! Bounded contexts (domains): the one place that answers "which domain is X in",
//! "what is in domain D" and "which domains are there".
//!
//! Services, topics, event stores, projections and sagas may name a `domain`; events
//! and sources have none (an event belongs to its topic's domain).

use std::collections::BTreeMap;

use super::{ElementKind, ElementRef, Model};

impl Model {
    /// Every drawable element that names a domain, with its domain, in model order
    /// (services, topics, sagas, stores, projections).
    pub fn domain_members(&self) -> impl Iterator<Item = (ElementRef, &str)> {
        fn of<'a>(
            kind: ElementKind,
        ) -> impl Fn((&'a str, &'a Option<String>)) -> Option<(ElementRef, &'a str)> {
            move |(name, d)| d.as_deref().map(|d| (ElementRef::new(kind, name), d))
        }
        let services = self.services.iter().map(|x| (x.name.as_str(), &x.domain));
        let topics = self.topics.iter().map(|x| (x.name.as_str(), &x.domain));
        let sagas = self.sagas.iter().map(|x| (x.name.as_str(), &x.domain));
        let stores = self.stores.iter().map(|x| (x.name.as_str(), &x.domain));
        let projections = self
            .projections
            .iter()
            .map(|x| (x.name.as_str(), &x.domain));
        services
            .filter_map(of(ElementKind::Service))
            .chain(topics.filter_map(of(ElementKind::Topic)))
            .chain(sagas.filter_map(of(ElementKind::Saga)))
            .chain(stores.filter_map(of(ElementKind::Store)))
            .chain(projections.filter_map(of(ElementKind::Projection)))
    }

    /// The domain of an element, if it names one (the first element of that name).
    pub fn domain_of(&self, element: &ElementRef) -> Option<&str> {
        let n = element.name.as_str();
        let found = match element.kind {
            ElementKind::Service => self.service(n).map(|x| &x.domain),
            ElementKind::Topic => self.topic(n).map(|x| &x.domain),
            ElementKind::Saga => self.sagas.iter().find(|x| x.name == n).map(|x| &x.domain),
            ElementKind::Store => self.store(n).map(|x| &x.domain),
            ElementKind::Projection => self
                .projections
                .iter()
                .find(|x| x.name == n)
                .map(|x| &x.domain),
            ElementKind::Event | ElementKind::Source => None,
        };
        found.and_then(|d| d.as_deref())
    }

    /// Domain name → its elements in model order, domains sorted by name. Empty when
    /// no element names a domain.
    pub fn domains(&self) -> BTreeMap<&str, Vec<ElementRef>> {
        let mut map: BTreeMap<&str, Vec<ElementRef>> = BTreeMap::new();
        for (el, d) in self.domain_members() {
            map.entry(d).or_default().push(el);
        }
        map
    }

    /// The elements of domain `domain`, in model order.
    pub fn elements_of_domain(&self, domain: &str) -> Vec<ElementRef> {
        self.domain_members()
            .filter(|(_, d)| *d == domain)
            .map(|(el, _)| el)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Service, Topic};

    fn model() -> Model {
        let mut m = Model::new("d");
        m.services.push(Service {
            domain: Some("billing".into()),
            ..Service::new("invoice")
        });
        m.services.push(Service::new("free"));
        m.topics.push(Topic {
            domain: Some("orders".into()),
            ..Topic::new("order-events")
        });
        m
    }

    #[test]
    fn lookups_agree() {
        let m = model();
        let inv = ElementRef::new(ElementKind::Service, "invoice");
        assert_eq!(m.domain_of(&inv), Some("billing"));
        assert_eq!(
            m.domain_of(&ElementRef::new(ElementKind::Service, "free")),
            None
        );
        let d = m.domains();
        assert_eq!(d.keys().copied().collect::<Vec<_>>(), ["billing", "orders"]);
        assert_eq!(m.elements_of_domain("billing"), vec![inv]);
    }

    #[test]
    fn unset_domain_is_not_written_and_set_one_round_trips() {
        let m = model();
        let text = crate::model::to_ron(&m).unwrap_or_default();
        assert_eq!(text.matches("domain:").count(), 2, "{text}");
        let back = crate::model::parse(&text).ok();
        assert_eq!(back.as_ref(), Some(&m));
    }
}
