//! Questions the flows answer: consumer groups, who handles a request, which
//! messages a topic carries, which replies answer what.

use std::collections::{BTreeMap, BTreeSet};

use super::{Flows, MessageKind, Subscription};

/// Sorted and without repeats.
fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

impl<'m> Flows<'m> {
    /// The subscriptions to `event` on `topic`, in model order.
    pub fn consumers<'a>(
        &'a self,
        event: &'a str,
        topic: &'a str,
    ) -> impl Iterator<Item = &'a Subscription<'m>> + 'a {
        self.subscriptions()
            .filter(move |s| s.event == event && s.topic == topic)
    }

    /// The consumer groups reading `topic` → the services in each (in model order,
    /// without repeats).
    pub fn consumer_groups(&self, topic: &str) -> BTreeMap<&'m str, Vec<&'m str>> {
        let mut groups: BTreeMap<&'m str, Vec<&'m str>> = BTreeMap::new();
        for s in self.subscriptions().filter(|s| s.topic == topic) {
            let members = groups.entry(s.group).or_default();
            if !members.contains(&s.service) {
                members.push(s.service);
            }
        }
        groups
    }

    /// [`consumer_groups`](Self::consumer_groups) of every topic at once, in one pass
    /// (topic → group → members), for checks that visit every topic.
    pub fn all_consumer_groups(&self) -> BTreeMap<&'m str, BTreeMap<&'m str, Vec<&'m str>>> {
        let mut all: BTreeMap<&'m str, BTreeMap<&'m str, Vec<&'m str>>> = BTreeMap::new();
        for s in self.subscriptions() {
            let members = all.entry(s.topic).or_default().entry(s.group).or_default();
            if !members.contains(&s.service) {
                members.push(s.service);
            }
        }
        all
    }

    /// Every (topic, consumer group) that reads something.
    pub fn groups(&self) -> BTreeSet<(&'m str, &'m str)> {
        self.subscriptions().map(|s| (s.topic, s.group)).collect()
    }

    /// Does `service` take the command or query `name` (with a handler, or as a saga's
    /// start command)?
    pub fn handles(&self, service: &str, name: &str) -> bool {
        self.handlers()
            .any(|h| h.service == service && h.name == name)
    }

    /// The topic an event store's change feed publishes to, if it has one.
    pub fn feed_of(&self, store: &str) -> Option<&'m str> {
        self.model
            .store(store)
            .and_then(|s| s.publish_to.as_deref())
    }

    /// Every message name of each kind, sorted by name: the events declared in the
    /// model and any named only in a flow; commands, queries and replies from the
    /// flows.
    pub fn names(&self) -> BTreeMap<MessageKind, Vec<&'m str>> {
        let mut out: BTreeMap<MessageKind, Vec<&'m str>> = BTreeMap::new();
        let mut add = |k: MessageKind, n: &'m str| out.entry(k).or_default().push(n);
        for e in &self.model.events {
            add(MessageKind::Event, &e.name);
        }
        for p in self.publishes() {
            add(MessageKind::Event, p.event);
        }
        for s in self.subscriptions() {
            add(MessageKind::Event, s.event);
        }
        for a in self.appends() {
            add(MessageKind::Event, a.event);
        }
        for r in self.requests() {
            add(r.kind, r.name);
        }
        for h in self.handlers() {
            add(h.kind, h.name);
            for r in &h.replies {
                add(MessageKind::Reply, r);
            }
        }
        for a in self.awaits() {
            add(MessageKind::Reply, a.reply);
        }
        for d in self.dead_letters() {
            add(d.kind, d.name);
        }
        out.into_iter().map(|(k, v)| (k, sorted(v))).collect()
    }

    /// The messages a topic carries (published, consumed or dead-lettered there),
    /// sorted by kind then name.
    pub fn topic_messages(&self, topic: &str) -> Vec<(MessageKind, &'m str)> {
        let published = self
            .publishes()
            .filter(|p| p.topic == topic)
            .map(|p| (MessageKind::Event, p.event));
        let consumed = self
            .subscriptions()
            .filter(|s| s.topic == topic)
            .map(|s| (MessageKind::Event, s.event));
        let dead = self
            .dead_letters()
            .filter(|d| d.topic == topic)
            .map(|d| (d.kind, d.name));
        sorted(published.chain(consumed).chain(dead).collect())
    }

    /// Replies sent in answer to a command or query of this name, sorted.
    pub fn replies_to(&self, kind: MessageKind, name: &str) -> Vec<&'m str> {
        sorted(
            self.handlers()
                .filter(|h| h.kind == kind && h.name == name)
                .flat_map(|h| h.replies.iter().copied())
                .collect(),
        )
    }

    /// Commands or queries whose handlers may send this reply, sorted.
    pub fn requests_answered_by(&self, reply: &str) -> Vec<(MessageKind, &'m str)> {
        sorted(
            self.handlers()
                .filter(|h| h.replies.contains(&reply))
                .map(|h| (h.kind, h.name))
                .collect(),
        )
    }
}
