//! One correlation id's trace as a Mermaid sequence diagram.
//!
//! Every arrow's sender is read from the trace's causes ([`Record::cause`]), never
//! guessed: a publish or a request is drawn from the element whose record caused it
//! (the handler that completed, the saga step that started, the store whose change
//! feed published, the service that dead-lettered), a delivery from the topic it was
//! read from, and a reply to the saga whose step sent the command it answers.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::mermaid::escape;
use crate::model::Model;
use crate::sim::{MsgKind, Plan, Record, SagaOutcome, TraceKind, Where};

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

/// The records of one correlation id, by id, to follow causes.
struct Causes<'r> {
    by_id: HashMap<u64, &'r Record>,
    /// The workload source the item came from, when known.
    source: Option<u32>,
}

impl<'r> Causes<'r> {
    fn new(plan: &Plan, records: &[&'r Record]) -> Self {
        let by_id = records.iter().map(|r| (r.id, *r)).collect();
        let source = records
            .iter()
            .find(|r| r.kind == TraceKind::ItemCompleted)
            .map(|r| r.element)
            .or_else(|| records.first().and_then(|r| plan.source_of(r)).map(|s| s.0));
        Self { by_id, source }
    }

    fn cause(&self, r: &Record) -> Option<&'r Record> {
        self.by_id.get(&r.cause).copied()
    }

    /// The element that sent the message `r` is about: the element of its cause, or
    /// the workload source for a root; `None` when the cause is not among the records.
    fn sender(&self, r: &Record) -> Option<Who> {
        if r.cause == 0 {
            return self.source.map(Who::Source);
        }
        let c = self.cause(r)?;
        Some(match c.at {
            Where::Service => Who::Service(c.element),
            Where::Saga => Who::Saga(c.element),
            Where::Store => Who::Store(c.element),
            Where::Topic => Who::Topic(c.element),
            Where::Source => Who::Source(c.element),
            Where::Fault => return None,
        })
    }

    /// The saga a reply is for: the saga record up its chain of causes (the step
    /// that sent the command the reply answers).
    fn saga_of(&self, r: &Record) -> Option<u32> {
        let mut c = self.cause(r);
        while let Some(x) = c {
            if x.at == Where::Saga {
                return Some(x.element);
            }
            c = self.cause(x);
        }
        None
    }
}

/// The sequence diagram of one correlation id's trace: participants in order of
/// appearance (sources as actors), arrows for publishes (sender → topic), deliveries
/// (topic → consumer), commands and queries (sender → service) and replies (dashed;
/// a reply to a saga's orchestrator is drawn to the saga, which it is for),
/// notes for saga milestones, failures, retries, compensations, timeouts, dead letters
/// and duplicates. Pass every record of the run (a sink), or at least all of this
/// correlation's; with none, the diagram says so.
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
    let mine: Vec<&Record> = records
        .iter()
        .filter(|r| r.correlation == correlation)
        .collect();
    let causes = Causes::new(plan, &mine);
    let words = Words { plan };
    let steps: Vec<Step> = mine.iter().filter_map(|r| words.step(&causes, r)).collect();
    if steps.is_empty() {
        let _ = writeln!(out, "    %% no records for correlation {correlation}");
        return out;
    }
    write_steps(&mut out, plan, &steps);
    out
}

/// Names of the plan's types, steps and outcomes.
struct Words<'p> {
    plan: &'p Plan,
}

impl Words<'_> {
    fn type_name(&self, ty: u32) -> String {
        self.plan
            .types
            .get(ty as usize)
            .map_or("message".to_owned(), |t| t.name.clone())
    }

    fn step_name(&self, saga: u32, step: u32) -> String {
        self.plan
            .sagas
            .get(saga as usize)
            .and_then(|s| s.steps.get(step as usize))
            .map_or_else(|| format!("step {step}"), |s| s.name.clone())
    }

    /// The line a record adds to the diagram, if any.
    fn step(&self, causes: &Causes, r: &Record) -> Option<Step> {
        let el = r.element;
        let ty = self.type_name(r.message_type);
        let note = |who: Who, text: String| Some(Step::Note(who, text));
        match (r.kind, r.at) {
            (TraceKind::Published, Where::Topic) => {
                let from = causes.sender(r).unwrap_or(Who::Topic(el));
                let text = format!("{ty} (partition {})", r.detail);
                Some(Step::Arrow(from, Who::Topic(el), false, text))
            }
            (TraceKind::Published, Where::Store) => {
                let from = causes.sender(r).unwrap_or(Who::Store(el));
                Some(Step::Arrow(
                    from,
                    Who::Store(el),
                    false,
                    format!("append {ty}"),
                ))
            }
            (TraceKind::Delivered, Where::Service) => Some(self.delivery(causes, r)),
            (TraceKind::Failed, Where::Service) => note(
                Who::Service(el),
                format!("{ty} failed (attempt {})", r.detail),
            ),
            (TraceKind::Retried, Where::Service) => note(
                Who::Service(el),
                format!("retry {ty}: attempt {}", r.detail),
            ),
            (TraceKind::DeadLettered, Where::Service) => {
                let text = match self.plan.topics.get(r.detail as usize) {
                    Some(t) if r.detail != u32::MAX => format!("{ty} dead-lettered to {}", t.name),
                    _ => format!("{ty} given up"),
                };
                note(Who::Service(el), text)
            }
            (TraceKind::Rejected, Where::Service) => {
                note(Who::Service(el), format!("{ty} rejected: queue full"))
            }
            (TraceKind::Deduplicated, Where::Service) => {
                note(Who::Service(el), format!("duplicate {ty} skipped"))
            }
            (TraceKind::DoubleEffect, Where::Service) => {
                note(Who::Service(el), format!("duplicate {ty} applied again"))
            }
            (TraceKind::Expired, Where::Topic) => {
                note(Who::Topic(el), format!("{ty} expired (retention)"))
            }
            (TraceKind::Dropped, at) => {
                let who = if at == Where::Topic {
                    Who::Topic(el)
                } else {
                    Who::Service(el)
                };
                note(who, format!("{ty} dropped"))
            }
            (_, Where::Saga) => self.saga_step(r),
            _ => None,
        }
    }

    /// A message reaching a service: from the topic it was read from, or from the
    /// element that sent the request; a reply is drawn to the saga it answers.
    fn delivery(&self, causes: &Causes, r: &Record) -> Step {
        let to = Who::Service(r.element);
        let ty = self.type_name(r.message_type);
        let kind = self.plan.types.get(r.message_type as usize).map(|t| t.kind);
        let from = causes.sender(r).unwrap_or(to);
        if kind == Some(MsgKind::Reply) {
            let to = causes.saga_of(r).map_or(to, Who::Saga);
            return Step::Arrow(from, to, true, ty);
        }
        Step::Arrow(from, to, false, ty)
    }

    fn saga_step(&self, r: &Record) -> Option<Step> {
        let el = r.element;
        let saga = Who::Saga(el);
        match r.kind {
            TraceKind::SagaStarted => {
                let s = self.plan.sagas.get(el as usize)?;
                let orchestrator = Who::Service(s.orchestrator.0);
                Some(Step::Arrow(orchestrator, saga, false, "start".to_owned()))
            }
            TraceKind::CompensationStarted => Some(Step::Note(
                saga,
                format!("compensate step {}", self.step_name(el, r.detail)),
            )),
            TraceKind::StepFailed => Some(Step::Note(
                saga,
                format!("step {} failed", self.step_name(el, r.detail)),
            )),
            TraceKind::StepTimedOut => Some(Step::Note(
                saga,
                format!("step {} timed out", self.step_name(el, r.detail)),
            )),
            TraceKind::SagaEnded => {
                let outcome = match SagaOutcome::ALL.get(r.detail as usize) {
                    Some(SagaOutcome::Completed) => "completed",
                    Some(SagaOutcome::Compensated) => "compensated",
                    Some(SagaOutcome::TimedOut) => "timed out",
                    Some(SagaOutcome::CompensationFailed) => "compensation failed",
                    None => "ended",
                };
                Some(Step::Note(saga, format!("saga {outcome}")))
            }
            _ => None,
        }
    }
}

/// Participants in order of appearance, then the arrows and notes.
fn write_steps(out: &mut String, plan: &Plan, steps: &[Step]) {
    let mut ids: BTreeMap<Who, usize> = BTreeMap::new();
    let mut order: Vec<Who> = Vec::new();
    for step in steps {
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
        let _ = writeln!(
            out,
            "    {} p{i} as {}",
            role(*who),
            escape(&label(plan, *who))
        );
    }
    for step in steps {
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
}

fn role(who: Who) -> &'static str {
    match who {
        Who::Source(_) => "actor",
        _ => "participant",
    }
}

fn label(plan: &Plan, who: Who) -> String {
    let name = match who {
        Who::Source(i) => plan.element_name(Where::Source, i).map(str::to_owned),
        Who::Service(i) => plan.element_name(Where::Service, i).map(str::to_owned),
        Who::Topic(i) => plan
            .element_name(Where::Topic, i)
            .map(|t| format!("{t} (topic)")),
        Who::Saga(i) => plan
            .element_name(Where::Saga, i)
            .map(|s| format!("{s} (saga)")),
        Who::Store(i) => plan
            .element_name(Where::Store, i)
            .map(|s| format!("{s} (store)")),
    };
    name.unwrap_or_else(|| "?".to_owned())
}
