//! Who takes part in what, as elements of the model: a saga's participants, an
//! event's or a topic's producers and consumers. The focused views of a big model
//! (`diagram::Focus`) show these and fade the rest.

use super::{Flows, Origin, Who};
use crate::model::{ElementKind, ElementRef};

/// The elements around one message channel: who puts messages in, what carries
/// them, who takes them out. Each list in model order, without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parties {
    /// Who publishes or appends: services, sagas, sources, stores (change feeds).
    pub producers: Vec<ElementRef>,
    /// What carries the messages: topics and event stores.
    pub channels: Vec<ElementRef>,
    /// Who reads them: services and sagas (a saga started by an event).
    pub consumers: Vec<ElementRef>,
}

impl Parties {
    /// Every element named, producers first, without repeats.
    pub fn all(&self) -> Vec<ElementRef> {
        let mut out = Vec::new();
        for el in self
            .producers
            .iter()
            .chain(&self.channels)
            .chain(&self.consumers)
        {
            push(&mut out, el.kind, &el.name);
        }
        out
    }
}

/// Add an element to a list unless it is there already.
fn push(list: &mut Vec<ElementRef>, kind: ElementKind, name: &str) {
    if !list.iter().any(|e| e.kind == kind && e.name == name) {
        list.push(ElementRef::new(kind, name));
    }
}

/// Is this origin the saga's own (a step, a compensation, its end)?
fn by_saga(origin: &Origin, saga: &str) -> bool {
    matches!(origin.who(), Who::Saga { saga: s, .. } if s == saga)
}

impl<'m> Flows<'m> {
    /// The elements a saga involves, in this order without repeats: the saga, its
    /// orchestrator, the topic its trigger reads, then the services its steps,
    /// compensations and ends command and the topics and stores its ends publish or
    /// append to, in model order. Empty when there is no saga of this name.
    pub fn saga_participants(&self, saga: &str) -> Vec<ElementRef> {
        let Some(s) = self.model.sagas.iter().find(|s| s.name == saga) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        push(&mut out, ElementKind::Saga, &s.name);
        push(&mut out, ElementKind::Service, &s.orchestrator);
        for sub in self.subscriptions() {
            if sub.receiver.saga().is_some_and(|g| g.name == saga) {
                push(&mut out, ElementKind::Topic, sub.topic);
            }
        }
        for r in self.requests().filter(|r| by_saga(&r.origin, saga)) {
            push(&mut out, ElementKind::Service, r.to);
        }
        for p in self.publishes().filter(|p| by_saga(&p.origin, saga)) {
            push(&mut out, ElementKind::Topic, p.topic);
        }
        for a in self.appends().filter(|a| by_saga(&a.origin, saga)) {
            push(&mut out, ElementKind::Store, a.store);
        }
        out
    }

    /// An event type's producers (who publishes or appends it), the topics and stores
    /// it goes to, and its consumers (who subscribes to it).
    pub fn event_parties(&self, event: &str) -> Parties {
        let mut p = Parties::default();
        for x in self.publishes().filter(|x| x.event == event) {
            let (kind, name) = x.origin.who().element();
            push(&mut p.producers, kind, name);
            push(&mut p.channels, ElementKind::Topic, x.topic);
        }
        for x in self.appends().filter(|x| x.event == event) {
            let (kind, name) = x.origin.who().element();
            push(&mut p.producers, kind, name);
            push(&mut p.channels, ElementKind::Store, x.store);
        }
        for x in self.subscriptions().filter(|x| x.event == event) {
            push(&mut p.channels, ElementKind::Topic, x.topic);
            let (kind, name) = x.receiver.element();
            push(&mut p.consumers, kind, name);
        }
        p
    }

    /// A topic's producers (who publishes to it, including change feeds and handlers
    /// dead-lettering there) and consumers (who subscribes to it); the topic is its
    /// one channel.
    pub fn topic_parties(&self, topic: &str) -> Parties {
        let mut p = Parties::default();
        push(&mut p.channels, ElementKind::Topic, topic);
        for x in self.publishes().filter(|x| x.topic == topic) {
            let (kind, name) = x.origin.who().element();
            push(&mut p.producers, kind, name);
        }
        for d in self.dead_letters().filter(|d| d.topic == topic) {
            push(
                &mut p.producers,
                ElementKind::Service,
                &d.handler.service.name,
            );
        }
        for x in self.subscriptions().filter(|x| x.topic == topic) {
            let (kind, name) = x.receiver.element();
            push(&mut p.consumers, kind, name);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn names(list: &[ElementRef]) -> Vec<String> {
        list.iter()
            .map(|e| format!("{} {}", e.kind.label(), e.name))
            .collect()
    }

    #[test]
    fn a_sagas_participants_are_its_orchestrator_trigger_steps_and_ends() {
        let m = examples::DEFAULT.model().unwrap();
        let f = m.flows();
        assert_eq!(
            names(&f.saga_participants("checkout")),
            [
                "saga checkout",
                "service checkout",
                "topic orders",
                "service inventory",
                "service payment",
                "service shipping",
                "topic order-status",
            ]
        );
        assert!(f.saga_participants("no such saga").is_empty());
    }

    #[test]
    fn an_events_producers_channels_and_consumers() {
        let m = examples::DEFAULT.model().unwrap();
        let f = m.flows();
        let p = f.event_parties("OrderPlaced");
        assert_eq!(names(&p.producers), ["source web shop"]);
        assert_eq!(names(&p.channels), ["topic orders"]);
        assert_eq!(names(&p.consumers), ["saga checkout"]);
        let p = f.event_parties("OrderCompleted");
        assert_eq!(names(&p.producers), ["saga checkout"]);
        assert_eq!(names(&p.consumers), ["service notifications"]);
        assert_eq!(p.all().len(), 3);
        assert_eq!(f.event_parties("Nothing"), Parties::default());
    }

    #[test]
    fn a_topics_producers_include_dead_letters_and_change_feeds() {
        let m = examples::DEFAULT.model().unwrap();
        let f = m.flows();
        let p = f.topic_parties("payment-dlq");
        assert_eq!(names(&p.producers), ["service payment"]);
        assert!(p.consumers.is_empty());
        let p = f.topic_parties("order-status");
        assert_eq!(names(&p.producers), ["saga checkout"]);
        assert_eq!(names(&p.consumers), ["service notifications"]);
        let cqrs = examples::find("cqrs").unwrap().model().unwrap();
        let feeds: Vec<_> = cqrs
            .stores
            .iter()
            .filter_map(|s| s.publish_to.clone())
            .collect();
        let f = cqrs.flows();
        let p = f.topic_parties(&feeds[0]);
        assert!(
            p.producers.iter().any(|e| e.kind == ElementKind::Store),
            "{:?}",
            p.producers
        );
    }
}
