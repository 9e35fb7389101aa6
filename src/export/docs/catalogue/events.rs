//! The catalogue's events: a summary table, then each event with its schema, topics,
//! producers and consumers.

use std::fmt::Write as _;

use super::{anchor, code, codes, rule_meaning, sorted, text, version_label};
use crate::model::flows::{Publish, Subscription};
use crate::model::{EventType, Flows, Model};

/// The events section: the table, then one subsection per event.
pub(super) fn section(o: &mut String, model: &Model, flows: &Flows, events: &[&str]) {
    o.push_str("<a id=\"events\"></a>\n\n## Events\n\n");
    o.push_str("| Event | Version | Compatibility | Style | Payload | Topics |\n");
    o.push_str("|---|---|---|---|---|---|\n");
    for n in events {
        let topics = event_topics(flows, n);
        match model.event(n) {
            Some(e) => {
                let _ = writeln!(
                    o,
                    "| [{}](#{}) | v{} | {:?} | {} | {} B | {} |",
                    text(n),
                    anchor("event", n),
                    e.version,
                    e.compatibility,
                    e.style.label(),
                    e.payload_bytes,
                    codes(&topics)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "| [{}](#{}) | not declared | | | | {} |",
                    text(n),
                    anchor("event", n),
                    codes(&topics)
                );
            }
        }
    }
    o.push('\n');
    for n in events {
        event(o, model.event(n), flows, n);
    }
}

/// One event's subsection.
fn event(o: &mut String, ev: Option<&EventType>, flows: &Flows, n: &str) {
    let _ = writeln!(
        o,
        "<a id=\"{}\"></a>\n\n### {}\n",
        anchor("event", n),
        text(n)
    );
    match ev {
        Some(e) => {
            if !e.description.is_empty() {
                let _ = writeln!(o, "{}\n", text(&e.description));
            }
            let _ = writeln!(
                o,
                "- **Schema:** version {}, compatibility rule **{:?}**: {}",
                e.version,
                e.compatibility,
                rule_meaning(e.compatibility)
            );
            let _ = writeln!(o, "- **Style:** {}", e.style.label());
            let _ = writeln!(o, "- **Payload:** {} bytes", e.payload_bytes);
            if e.failure {
                o.push_str(
                    "- **Failure outcome:** an item that publishes it did not take the \
                     happy path\n",
                );
            }
            if let Some(undone) = &e.compensates {
                let _ = writeln!(
                    o,
                    "- **Compensates:** `{}` (publishing it undoes that event's effect)",
                    code(undone)
                );
            }
        }
        None => {
            o.push_str("- **Schema:** not declared in the model's schema registry\n");
        }
    }
    let topics = event_topics(flows, n);
    let _ = writeln!(
        o,
        "- **Topics:** {}",
        if topics.is_empty() {
            "none".to_owned()
        } else {
            codes(&topics)
        }
    );
    let stores = sorted(
        flows
            .appends()
            .filter(|a| a.event == n)
            .map(|a| a.store)
            .collect(),
    );
    if !stores.is_empty() {
        let _ = writeln!(o, "- **Event stores:** {}", codes(&stores));
    }
    o.push('\n');

    let current = ev.map(|e| e.version);
    let producers: Vec<&Publish> = flows.publishes().filter(|p| p.event == n).collect();
    producers_table(o, flows, n, &producers, current);
    let consumers: Vec<&Subscription> = flows.subscriptions().filter(|c| c.event == n).collect();
    consumers_table(o, ev, &producers, &consumers);
}

/// Who publishes or appends the event.
fn producers_table(
    o: &mut String,
    flows: &Flows,
    n: &str,
    producers: &[&Publish],
    current: Option<u32>,
) {
    let appenders: Vec<_> = flows.appends().filter(|a| a.event == n).collect();
    o.push_str("**Producers**\n\n");
    if producers.is_empty() && appenders.is_empty() {
        o.push_str("None in the model.\n\n");
        return;
    }
    o.push_str("| Producer | Topic or store | Writes |\n|---|---|---|\n");
    for p in producers {
        let _ = writeln!(
            o,
            "| {} | `{}` | {} |",
            text(&p.origin.who().describe()),
            code(p.topic),
            version_label(p.version, current)
        );
    }
    for a in &appenders {
        let _ = writeln!(
            o,
            "| {} | event store `{}` | {} |",
            text(&a.origin.who().describe()),
            code(a.store),
            version_label(None, current)
        );
    }
    o.push('\n');
}

/// Who consumes the event, in which group, and whether it can read every producer's
/// version.
fn consumers_table(
    o: &mut String,
    ev: Option<&EventType>,
    producers: &[&Publish],
    consumers: &[&Subscription],
) {
    let current = ev.map(|e| e.version);
    o.push_str("**Consumers**\n\n");
    if consumers.is_empty() {
        o.push_str("None in the model.\n\n");
        return;
    }
    o.push_str(
        "| Service | Consumer group | Topic | Reads | Compatible with producers |\n\
         |---|---|---|---|---|\n",
    );
    for c in consumers {
        let service = match c.receiver.saga() {
            Some(g) => format!("{} (starts saga {})", c.service, g.name),
            None => c.service.to_owned(),
        };
        let compat = match (ev, current) {
            (Some(e), Some(cur)) => {
                let read = c.version.unwrap_or(cur);
                let bad: Vec<String> = producers
                    .iter()
                    .filter(|p| p.topic == c.topic)
                    .map(|p| p.version.unwrap_or(cur))
                    .filter(|w| !e.compatibility.allows(*w, read))
                    .map(|w| format!("v{w}"))
                    .collect();
                if bad.is_empty() {
                    "yes".to_owned()
                } else {
                    format!("**no**: cannot read {}", sorted(bad).join(", "))
                }
            }
            _ => "unknown".to_owned(),
        };
        let _ = writeln!(
            o,
            "| {} | `{}` | `{}` | {} | {} |",
            text(&service),
            code(c.group),
            code(c.topic),
            version_label(c.version, current),
            compat
        );
    }
    o.push('\n');
}

/// Topics an event is published to or read from, sorted.
fn event_topics<'m>(flows: &Flows<'m>, event: &str) -> Vec<&'m str> {
    sorted(
        flows
            .publishes()
            .filter(|p| p.event == event)
            .map(|p| p.topic)
            .chain(
                flows
                    .subscriptions()
                    .filter(|c| c.event == event)
                    .map(|c| c.topic),
            )
            .collect(),
    )
}
