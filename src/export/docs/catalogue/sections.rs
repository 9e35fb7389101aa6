//! The catalogue's commands, queries, replies, topics and event stores.

use std::fmt::Write as _;

use super::{Kind, anchor, code, sorted, text};
use crate::model::{Flows, Model};

/// The commands or queries section: each with its handlers and senders.
pub(super) fn requests(o: &mut String, flows: &Flows, kind: Kind, title: &str, names: &[&str]) {
    let _ = writeln!(o, "<a id=\"{}\"></a>\n\n## {title}\n", title.to_lowercase());
    o.push_str(if kind == Kind::Command {
        "Commands are sent point to point to one service's queue (channel `commands.<Name>` \
         in the AsyncAPI document).\n\n"
    } else {
        "Queries are synchronous requests, such as the callback a notification's consumer \
         makes (channel `queries.<Name>`).\n\n"
    });
    for n in names {
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n### {}\n",
            anchor(kind.label(), n),
            text(n)
        );
        let handlers: Vec<_> = flows
            .handlers()
            .filter(|h| h.kind == kind && h.name == *n)
            .collect();
        o.push_str("**Handled by**\n\n");
        if handlers.is_empty() {
            o.push_str("None in the model.\n\n");
        } else {
            o.push_str("| Service | Replies |\n|---|---|\n");
            for h in &handlers {
                let service = match h.receiver.saga() {
                    Some(g) => format!("{} (starts saga {})", h.service, g.name),
                    None => h.service.to_owned(),
                };
                let replies: Vec<String> = h
                    .replies
                    .iter()
                    .map(|r| format!("[{}](#{})", text(r), anchor("reply", r)))
                    .collect();
                let _ = writeln!(
                    o,
                    "| {} | {} |",
                    text(&service),
                    if replies.is_empty() {
                        "none".to_owned()
                    } else {
                        replies.join(", ")
                    }
                );
            }
            o.push('\n');
        }
        let senders: Vec<_> = flows
            .requests()
            .filter(|r| r.kind == kind && r.name == *n)
            .collect();
        o.push_str("**Sent by**\n\n");
        if senders.is_empty() {
            o.push_str("None in the model.\n\n");
        } else {
            o.push_str("| Sender | To | When |\n|---|---|---|\n");
            for r in &senders {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} |",
                    text(&r.origin.who().describe()),
                    text(r.to),
                    text(&r.origin.why())
                );
            }
            o.push('\n');
        }
    }
}

/// The replies section: who sends each, in answer to what, and which saga step awaits
/// it.
pub(super) fn replies(o: &mut String, flows: &Flows, names: &[&str]) {
    o.push_str("<a id=\"replies\"></a>\n\n## Replies\n\n");
    o.push_str(
        "Replies go back to whoever sent the command; only a saga orchestrator waits for \
         them.\n\n",
    );
    for n in names {
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n### {}\n",
            anchor("reply", n),
            text(n)
        );
        let answers = flows.requests_answered_by(n);
        let senders = sorted(
            flows
                .handlers()
                .filter(|h| h.replies.contains(n))
                .map(|h| h.service)
                .collect(),
        );
        let _ = writeln!(
            o,
            "- **Sent by:** {}",
            if senders.is_empty() {
                "none in the model".to_owned()
            } else {
                senders
                    .iter()
                    .map(|s| text(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        let _ = writeln!(
            o,
            "- **In answer to:** {}",
            if answers.is_empty() {
                "none in the model".to_owned()
            } else {
                answers
                    .iter()
                    .map(|(k, r)| format!("{} [{}](#{})", k.label(), text(r), anchor(k.label(), r)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        let awaited: Vec<String> = flows
            .awaits()
            .filter(|a| a.reply == *n)
            .map(|a| {
                let saga = a.saga.saga;
                format!(
                    "saga {} (orchestrator {}), step {}: {}",
                    text(&saga.name),
                    text(&saga.orchestrator),
                    text(a.saga.step(a.step).map_or("", |s| s.name.as_str())),
                    a.meaning.label()
                )
            })
            .collect();
        let _ = writeln!(
            o,
            "- **Awaited by:** {}\n",
            if awaited.is_empty() {
                "no saga step names it (any reply other than a step's failure counts as \
                 success)"
                    .to_owned()
            } else {
                awaited.join("; ")
            }
        );
    }
}

/// The topics section: a table, then each topic's producers and consumer groups.
pub(super) fn topics(o: &mut String, model: &Model, flows: &Flows, topics: &[&str]) {
    o.push_str("<a id=\"topics\"></a>\n\n## Topics\n\n");
    o.push_str("| Topic | Partitions | Key | Retention | Carries |\n|---|---|---|---|---|\n");
    for t in topics {
        let Some(topic) = model.topic(t) else {
            continue;
        };
        let carries: Vec<String> = flows
            .topic_messages(t)
            .iter()
            .map(|(k, n)| format!("[{}](#{})", text(n), anchor(k.label(), n)))
            .collect();
        let _ = writeln!(
            o,
            "| [{}](#{}) | {} | {} | {} | {} |",
            text(t),
            anchor("topic", t),
            topic.partitions,
            topic
                .key
                .as_deref()
                .map_or("none (round-robin)".to_owned(), |k| format!(
                    "`{}`",
                    code(k)
                )),
            topic.retention.map_or("forever".to_owned(), |r| {
                format!("{r}{}", if topic.archive { " then archive" } else { "" })
            }),
            carries.join(", ")
        );
    }
    o.push('\n');
    for t in topics {
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n### {}\n",
            anchor("topic", t),
            text(t)
        );
        if let Some(topic) = model.topic(t)
            && !topic.description.is_empty()
        {
            let _ = writeln!(o, "{}\n", text(&topic.description));
        }
        let producers = sorted(
            flows
                .publishes()
                .filter(|p| p.topic == *t)
                .map(|p| format!("{} ({})", p.origin.who().describe(), p.event))
                .chain(flows.dead_letters().filter(|d| d.topic == *t).map(|d| {
                    format!(
                        "{} (dead letters: {} {})",
                        d.handler.service.name,
                        d.kind.label(),
                        d.name
                    )
                }))
                .collect(),
        );
        let groups = sorted(
            flows
                .subscriptions()
                .filter(|c| c.topic == *t)
                .map(|c| format!("`{}`: {} ({})", c.group, c.service, c.event))
                .collect(),
        );
        let _ = writeln!(
            o,
            "- **Producers:** {}",
            if producers.is_empty() {
                "none in the model".to_owned()
            } else {
                producers
                    .iter()
                    .map(|p| text(p))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        );
        let _ = writeln!(
            o,
            "- **Consumer groups:** {}\n",
            if groups.is_empty() {
                "none in the model".to_owned()
            } else {
                groups
                    .iter()
                    .map(|p| text(p))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        );
    }
}

/// The event stores section: each store's aggregate, events, appenders, feed and
/// projections.
pub(super) fn stores(o: &mut String, model: &Model, flows: &Flows, stores: &[&str]) {
    o.push_str("<a id=\"event-stores\"></a>\n\n## Event stores\n\n");
    for st in stores {
        let Some(store) = model.store(st) else {
            continue;
        };
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n### {}\n",
            anchor("store", st),
            text(st)
        );
        if !store.description.is_empty() {
            let _ = writeln!(o, "{}\n", text(&store.description));
        }
        let _ = writeln!(o, "- **Aggregate:** {}", text(&store.aggregate));
        let events = sorted(
            flows
                .appends()
                .filter(|a| a.store == *st)
                .map(|a| a.event)
                .collect(),
        );
        let _ = writeln!(
            o,
            "- **Domain events:** {}",
            if events.is_empty() {
                "none in the model".to_owned()
            } else {
                events
                    .iter()
                    .map(|e| format!("[{}](#{})", text(e), anchor("event", e)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        let appenders = sorted(
            flows
                .appends()
                .filter(|a| a.store == *st)
                .map(|a| a.origin.who().describe())
                .collect(),
        );
        let _ = writeln!(
            o,
            "- **Appended by:** {}",
            if appenders.is_empty() {
                "none in the model".to_owned()
            } else {
                appenders
                    .iter()
                    .map(|a| text(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        if let Some(n) = store.snapshot_every {
            let _ = writeln!(o, "- **Snapshot:** every {n} events per aggregate");
        }
        if let Some(t) = &store.publish_to {
            let _ = writeln!(o, "- **Change feed:** published to `{}`", code(t));
        }
        let projections: Vec<String> = sorted(
            flows
                .projections()
                .filter(|p| p.store == *st)
                .map(|p| p.projection.name.as_str())
                .collect(),
        )
        .into_iter()
        .map(text)
        .collect();
        if !projections.is_empty() {
            let _ = writeln!(o, "- **Projections:** {}", projections.join(", "));
        }
        o.push('\n');
    }
}
