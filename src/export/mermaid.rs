//! Mermaid: the architecture as a flowchart, one correlation id's trace as a sequence
//! diagram.
//!
//! Ids are generated (`n0`, `p0`…), so no name can break the syntax; names appear only
//! in quoted labels, where Mermaid's entity codes stand for the characters it would
//! otherwise read (`#quot;` for `"`, `#35;` for `#`, …).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagram::EdgeKind;
use crate::diagram::style::{BOX_KINDS, Line, edge_style, element_color, placed};
use crate::model::{Action, ElementKind, Model};
use crate::sim::{MsgKind, Plan, Record, SagaOutcome, TraceKind, Where};

/// Text for a Mermaid label or message: the characters Mermaid reads as syntax become
/// entity codes; line breaks become spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            ';' => out.push_str("#59;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The class name of an element kind.
fn class(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Source => "source",
        ElementKind::Service => "service",
        ElementKind::Saga => "saga",
        ElementKind::Topic => "topic",
        ElementKind::Store => "store",
        ElementKind::Projection => "projection",
        ElementKind::Event => "event",
    }
}

/// The flowchart shape around a quoted label, per kind (close to the app's shapes).
fn node_shape(kind: ElementKind, label: &str) -> String {
    match kind {
        // A flag, pointing like the app's source.
        ElementKind::Source => format!(">\"{label}\"]"),
        ElementKind::Service => format!("(\"{label}\")"),
        ElementKind::Saga => format!("{{{{\"{label}\"}}}}"),
        // A box with side bars: a log.
        ElementKind::Topic => format!("[[\"{label}\"]]"),
        ElementKind::Store => format!("[(\"{label}\")]"),
        ElementKind::Projection => format!("[/\"{label}\"/]"),
        ElementKind::Event => format!("[\"{label}\"]"),
    }
}

/// The model's architecture as a Mermaid flowchart, left to right: node shapes per
/// kind with the name and the detail line, edges with their labels, the app's colours
/// as class definitions and link styles. Boxes are listed in diagram order, which
/// Mermaid lays out itself (positions in the model are not used).
pub fn mermaid_flowchart(model: &Model) -> String {
    let (graph, _) = placed(model);
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: \"{}\"\n---", escape(&model.name));
    out.push_str("flowchart LR\n");
    for (i, node) in graph.nodes.iter().enumerate() {
        let label = if node.detail.is_empty() {
            escape(&node.element.name)
        } else {
            format!(
                "{}<br/><small>{}</small>",
                escape(&node.element.name),
                escape(&node.detail)
            )
        };
        let _ = writeln!(out, "    n{i}{}", node_shape(node.element.kind, &label));
    }
    for e in &graph.edges {
        let arrow = match (e.kind, edge_style(e.kind).0) {
            (EdgeKind::Command, _) => "==>",
            (_, Line::Solid) => "-->",
            (_, Line::Dashed | Line::Dotted) => "-.->",
        };
        if e.label.is_empty() {
            let _ = writeln!(out, "    n{} {arrow} n{}", e.from, e.to);
        } else {
            let _ = writeln!(
                out,
                "    n{} {arrow}|\"{}\"| n{}",
                e.from,
                escape(&e.label),
                e.to
            );
        }
    }
    for kind in BOX_KINDS {
        let members: Vec<String> = graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.element.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "    classDef {} fill:{},stroke:#5a5a5a,color:#1a1d24",
            class(kind),
            element_color(kind)
        );
        let _ = writeln!(out, "    class {} {}", members.join(","), class(kind));
    }
    for (i, e) in graph.edges.iter().enumerate() {
        let (line, width, color) = edge_style(e.kind);
        let dash = match line {
            Line::Solid => "",
            Line::Dashed => ",stroke-dasharray:6 4",
            Line::Dotted => ",stroke-dasharray:2 4",
        };
        let _ = writeln!(
            out,
            "    linkStyle {i} stroke:{color},stroke-width:{width}px,color:{color}{dash}"
        );
    }
    out
}

/// Who takes part in a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Source(u32),
    Service(u32),
    Topic(u32),
    Saga(u32),
    Store(u32),
}

/// One line of the diagram, before participants are numbered.
enum Step {
    /// An arrow: from, to, dashed (a reply), text.
    Arrow(Who, Who, bool, String),
    Note(Who, String),
}

/// The sequence diagram of one correlation id's trace: participants in order of
/// appearance (sources as actors), arrows for publishes (sender → topic), deliveries
/// (topic → consumer), commands and queries (sender → service) and replies (dashed;
/// a reply to a saga's orchestrator is drawn to the saga, which it is for),
/// notes for saga milestones, failures, retries, compensations, timeouts, dead letters
/// and duplicates.
///
/// The trace says where a message arrived, not who sent it: the sender is taken to be
/// the last handler that completed in this correlation (or the saga that started a
/// step, or the source for the first message), which is exact for a chain and may
/// mix up senders where branches run interleaved. Pass every record of the run (a
/// sink), or at least all of this correlation's; with none, the diagram says so.
pub fn mermaid_sequence(
    model: &Model,
    plan: &Plan,
    records: &[Record],
    correlation: u64,
) -> String {
    let mut out = String::from("sequenceDiagram\n");
    let _ = writeln!(
        out,
        "    %% {} · correlation {correlation}",
        escape(&model.name)
    );
    let type_name = |ty: u32| {
        plan.types
            .get(ty as usize)
            .map_or("message".to_owned(), |t| t.name.clone())
    };
    let type_kind = |ty: u32| plan.types.get(ty as usize).map(|t| t.kind);
    let mut steps: Vec<Step> = Vec::new();
    // The last participant that could have sent the next message.
    let mut sender: Option<Who> = None;
    // Event id → the topic it was published to.
    let mut published: BTreeMap<u64, u32> = BTreeMap::new();
    // A dead letter on its way: (service, topic).
    let mut dead_letter: Option<(u32, u32)> = None;
    // Sagas started in this correlation: replies to their orchestrator are theirs.
    let mut sagas: Vec<u32> = Vec::new();
    // The last append to a store: (store, type).
    let mut appended: Option<(u32, u32)> = None;
    // The source whose arrival starts with this message (a type to a topic or service).
    let source_of = |ty: u32, topic: Option<u32>, service: Option<u32>| {
        let ty = plan.types.get(ty as usize)?.name.as_str();
        let topic = topic
            .and_then(|t| plan.topics.get(t as usize))
            .map(|t| t.name.as_str());
        let service = service
            .and_then(|s| plan.services.get(s as usize))
            .map(|s| s.name.as_str());
        model.sources.iter().position(|s| match &s.emit {
            Action::Publish {
                event, topic: to, ..
            } => event == ty && Some(to.as_str()) == topic,
            Action::Send { command, to } => command == ty && Some(to.as_str()) == service,
            _ => false,
        })
    };
    let step_name = |saga: u32, step: u32| {
        plan.sagas
            .get(saga as usize)
            .and_then(|s| s.steps.get(step as usize))
            .map_or_else(|| format!("step {step}"), |s| s.name.clone())
    };
    for r in records.iter().filter(|r| r.correlation == correlation) {
        let el = r.element;
        match (r.kind, r.at) {
            (TraceKind::Published, Where::Topic) => {
                let from = match dead_letter.take() {
                    Some((service, topic)) if topic == el => Who::Service(service),
                    _ => match appended {
                        Some((store, ty))
                            if ty == r.message_type
                                && plan.stores.get(store as usize).and_then(|s| s.publish_to)
                                    == Some(el) =>
                        {
                            Who::Store(store)
                        }
                        _ => sender
                            .or_else(|| {
                                source_of(r.message_type, Some(el), None)
                                    .map(|s| Who::Source(s as u32))
                            })
                            .unwrap_or(Who::Topic(el)),
                    },
                };
                published.insert(r.message, el);
                steps.push(Step::Arrow(
                    from,
                    Who::Topic(el),
                    false,
                    format!("{} (partition {})", type_name(r.message_type), r.detail),
                ));
            }
            (TraceKind::Published, Where::Store) => {
                let from = sender.unwrap_or(Who::Store(el));
                appended = Some((el, r.message_type));
                steps.push(Step::Arrow(
                    from,
                    Who::Store(el),
                    false,
                    format!("append {}", type_name(r.message_type)),
                ));
            }
            (TraceKind::Delivered, Where::Service) => {
                let to = Who::Service(el);
                let ty = r.message_type;
                match type_kind(ty) {
                    Some(MsgKind::Event) => {
                        let topic = published.get(&r.message).copied().or_else(|| {
                            plan.groups
                                .iter()
                                .find(|g| g.service == el && g.targets.contains_key(&ty))
                                .map(|g| g.topic)
                        });
                        let from = topic.map_or(to, Who::Topic);
                        steps.push(Step::Arrow(from, to, false, type_name(ty)));
                    }
                    kind => {
                        let from = sender
                            .or_else(|| {
                                source_of(ty, None, Some(el)).map(|s| Who::Source(s as u32))
                            })
                            .unwrap_or(to);
                        let dashed = kind == Some(MsgKind::Reply);
                        let to = if dashed {
                            sagas
                                .iter()
                                .rev()
                                .find(|&&g| {
                                    plan.sagas
                                        .get(g as usize)
                                        .is_some_and(|s| s.orchestrator == el)
                                })
                                .map_or(to, |&g| Who::Saga(g))
                        } else {
                            to
                        };
                        steps.push(Step::Arrow(from, to, dashed, type_name(ty)));
                    }
                }
            }
            (TraceKind::Completed, Where::Service) => sender = Some(Who::Service(el)),
            (TraceKind::Failed, Where::Service) => steps.push(Step::Note(
                Who::Service(el),
                format!(
                    "{} failed (attempt {})",
                    type_name(r.message_type),
                    r.detail
                ),
            )),
            (TraceKind::Retried, Where::Service) => steps.push(Step::Note(
                Who::Service(el),
                format!("retry {}: attempt {}", type_name(r.message_type), r.detail),
            )),
            (TraceKind::DeadLettered, Where::Service) => {
                let name = type_name(r.message_type);
                let text = match plan.topics.get(r.detail as usize) {
                    Some(t) if r.detail != u32::MAX => {
                        dead_letter = Some((el, r.detail));
                        format!("{name} dead-lettered to {}", t.name)
                    }
                    _ => format!("{name} given up"),
                };
                steps.push(Step::Note(Who::Service(el), text));
            }
            (TraceKind::Rejected, Where::Service) => steps.push(Step::Note(
                Who::Service(el),
                format!("{} rejected: queue full", type_name(r.message_type)),
            )),
            (TraceKind::Deduplicated, Where::Service) => steps.push(Step::Note(
                Who::Service(el),
                format!("duplicate {} skipped", type_name(r.message_type)),
            )),
            (TraceKind::DoubleEffect, Where::Service) => steps.push(Step::Note(
                Who::Service(el),
                format!("duplicate {} applied again", type_name(r.message_type)),
            )),
            (TraceKind::Expired, _) | (TraceKind::Dropped, _) => {
                let who = match r.at {
                    Where::Topic => Who::Topic(el),
                    _ => Who::Service(el),
                };
                let what = if r.kind == TraceKind::Expired {
                    "expired (retention)"
                } else {
                    "dropped"
                };
                steps.push(Step::Note(
                    who,
                    format!("{} {what}", type_name(r.message_type)),
                ));
            }
            (TraceKind::SagaStarted, Where::Saga) => {
                if let Some(s) = plan.sagas.get(el as usize) {
                    let orchestrator = Who::Service(s.orchestrator);
                    steps.push(Step::Arrow(
                        orchestrator,
                        Who::Saga(el),
                        false,
                        "start".to_owned(),
                    ));
                }
                sagas.push(el);
                sender = Some(Who::Saga(el));
            }
            (TraceKind::StepStarted, Where::Saga) => sender = Some(Who::Saga(el)),
            (TraceKind::CompensationStarted, Where::Saga) => {
                steps.push(Step::Note(
                    Who::Saga(el),
                    format!("compensate step {}", step_name(el, r.detail)),
                ));
                sender = Some(Who::Saga(el));
            }
            (TraceKind::StepFailed, Where::Saga) => steps.push(Step::Note(
                Who::Saga(el),
                format!("step {} failed", step_name(el, r.detail)),
            )),
            (TraceKind::StepTimedOut, Where::Saga) => steps.push(Step::Note(
                Who::Saga(el),
                format!("step {} timed out", step_name(el, r.detail)),
            )),
            (TraceKind::SagaEnded, Where::Saga) => {
                let outcome = match SagaOutcome::ALL.get(r.detail as usize) {
                    Some(SagaOutcome::Completed) => "completed",
                    Some(SagaOutcome::Compensated) => "compensated",
                    Some(SagaOutcome::TimedOut) => "timed out",
                    Some(SagaOutcome::CompensationFailed) => "compensation failed",
                    None => "ended",
                };
                steps.push(Step::Note(Who::Saga(el), format!("saga {outcome}")));
                sender = Some(Who::Saga(el));
            }
            _ => {}
        }
    }
    if steps.is_empty() {
        let _ = writeln!(out, "    %% no records for correlation {correlation}");
        return out;
    }
    // Participants in order of appearance.
    let mut ids: BTreeMap<Who, usize> = BTreeMap::new();
    let mut order: Vec<Who> = Vec::new();
    for step in &steps {
        let whos = match step {
            Step::Arrow(a, b, _, _) => vec![*a, *b],
            Step::Note(a, _) => vec![*a],
        };
        for w in whos {
            if let std::collections::btree_map::Entry::Vacant(slot) = ids.entry(w) {
                slot.insert(order.len());
                order.push(w);
            }
        }
    }
    for (i, who) in order.iter().enumerate() {
        let (kind, name) = match *who {
            Who::Source(i) => (
                "actor",
                plan.sources.get(i as usize).map(|s| s.name.clone()),
            ),
            Who::Service(i) => (
                "participant",
                plan.services.get(i as usize).map(|s| s.name.clone()),
            ),
            Who::Topic(i) => (
                "participant",
                plan.topics
                    .get(i as usize)
                    .map(|t| format!("{} (topic)", t.name)),
            ),
            Who::Saga(i) => (
                "participant",
                plan.sagas
                    .get(i as usize)
                    .map(|s| format!("{} (saga)", s.name)),
            ),
            Who::Store(i) => (
                "participant",
                plan.stores
                    .get(i as usize)
                    .map(|s| format!("{} (store)", s.name)),
            ),
        };
        let name = name.unwrap_or_else(|| "?".to_owned());
        let _ = writeln!(out, "    {kind} p{i} as {}", escape(&name));
    }
    for step in &steps {
        match step {
            Step::Arrow(a, b, dashed, text) => {
                let arrow = if *dashed { "-->>" } else { "->>" };
                let _ = writeln!(out, "    p{}{arrow}p{}: {}", ids[a], ids[b], escape(text));
            }
            Step::Note(a, text) => {
                let _ = writeln!(out, "    Note over p{}: {}", ids[a], escape(text));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_the_syntax() {
        assert_eq!(escape(r#"a"b"#), "a#quot;b");
        assert_eq!(escape("x; y # z"), "x#59; y #35; z");
        assert_eq!(escape("<b>&|`"), "#lt;b#gt;#amp;#124;#96;");
        assert_eq!(escape("web shop"), "web shop");
        assert_eq!(escape("order-status"), "order-status");
    }

    #[test]
    fn every_kind_has_a_class() {
        let classes: std::collections::BTreeSet<_> = BOX_KINDS.iter().map(|k| class(*k)).collect();
        assert_eq!(classes.len(), BOX_KINDS.len());
    }
}
