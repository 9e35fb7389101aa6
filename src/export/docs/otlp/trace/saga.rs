//! A saga's records: the instance span from start to end, and a span for each step
//! (or compensation) from sending its command to the reply or the timeout.

use std::borrow::Cow;

use super::{Failure, TraceBuilder};
use crate::export::docs::otlp::{AttrValue, KIND_CLIENT, KIND_INTERNAL, SpanKind};
use crate::sim::{Record, SagaOutcome, TraceKind};

impl<'a> TraceBuilder<'a> {
    /// The span a saga's record belongs to: the instance for its transitions, the
    /// step (or compensation) for the record that starts one.
    pub(super) fn saga_record(&mut self, r: &Record) -> Option<usize> {
        let plan = self.plan;
        let saga = plan.sagas.get(r.element as usize)?;
        let saga_name = saga.name.as_str();
        let orchestrator = self.service_name(saga.orchestrator.0);
        match r.kind {
            TraceKind::SagaStarted => Some(self.saga_started(r, saga_name, orchestrator)),
            TraceKind::StepStarted | TraceKind::CompensationStarted => {
                self.step_started(r, saga_name, orchestrator)
            }
            TraceKind::StepSucceeded
            | TraceKind::StepFailed
            | TraceKind::CompensationFinished
            | TraceKind::StepTimedOut => self.step_ended(r),
            TraceKind::SagaEnded => self.saga_ended(r),
            _ => None,
        }
    }

    /// The name of step `r.detail` of the saga `r` is about.
    fn step_name(&self, r: &Record) -> Cow<'a, str> {
        let detail = r.detail;
        self.plan
            .sagas
            .get(r.element as usize)
            .and_then(|saga| saga.steps.get(detail as usize))
            .map_or_else(
                || Cow::Owned(format!("step {detail}")),
                |s| Cow::Borrowed(s.name.as_str()),
            )
    }

    /// Opens the span of a new saga instance, on its orchestrator.
    fn saga_started(
        &mut self,
        r: &Record,
        saga_name: &'a str,
        orchestrator: Cow<'a, str>,
    ) -> usize {
        let parent = self.parent_of(r);
        let s = self.add(
            SpanKind::Saga,
            r.message,
            r.element,
            Some(parent),
            KIND_INTERNAL,
            format!("saga {saga_name}"),
            orchestrator,
            r.time.as_nanos(),
            u32::MAX,
        );
        self.common(s, 0);
        self.set(s, "eventscape.saga", AttrValue::str(saga_name));
        self.set(
            s,
            "eventscape.saga_instance",
            AttrValue::Int(r.message as i64),
        );
        self.sagas.insert((r.element, r.message), s);
        s
    }

    /// Opens a step (or compensation) span under its instance, closing the step
    /// before it; `None` when the instance is unknown.
    fn step_started(
        &mut self,
        r: &Record,
        saga_name: &'a str,
        orchestrator: Cow<'a, str>,
    ) -> Option<usize> {
        let step = self.step_name(r);
        // Caused by the instance's previous transition (or its start).
        let inst = self.parent_of(r);
        if self.spans[inst].kind != SpanKind::Saga {
            return None;
        }
        if let Some(open) = self.open_step.remove(&inst) {
            self.close(open, r.time.as_nanos(), None);
        }
        let compensation = r.kind == TraceKind::CompensationStarted;
        let (kind, name) = if compensation {
            (SpanKind::Compensation, format!("compensate {step}"))
        } else {
            (SpanKind::Step, format!("step {step}"))
        };
        let ty_name = self.type_name(r.message_type);
        let s = self.add(
            kind,
            r.message,
            r.element,
            Some(inst),
            KIND_CLIENT,
            name,
            orchestrator,
            r.time.as_nanos(),
            r.message_type,
        );
        // A request that waits for its reply (CLIENT), not a messaging operation: its
        // command's process span is its child.
        self.common(s, r.message);
        self.set(s, "eventscape.saga", AttrValue::str(saga_name));
        self.set(s, "eventscape.step", AttrValue::Str(step));
        self.set(s, "eventscape.message_type", AttrValue::str(ty_name));
        self.open_step.insert(inst, s);
        Some(s)
    }

    /// Closes the instance's open step with its reply (or timeout) and notes the
    /// outcome on the instance; `None` when the instance is unknown.
    fn step_ended(&mut self, r: &Record) -> Option<usize> {
        let inst = self.instance(r.element, r.message)?;
        let reply = (r.message_type != u32::MAX).then(|| self.type_name(r.message_type));
        if let Some(step) = self.open_step.remove(&inst) {
            let error = match r.kind {
                TraceKind::StepFailed => Some(Failure::new(
                    "step_failed",
                    format!("step failed: {}", reply.unwrap_or_default()),
                )),
                TraceKind::StepTimedOut => {
                    Some(Failure::new("timeout", "no reply before the timeout"))
                }
                _ => None,
            };
            if let Some(reply) = reply {
                self.set(step, "eventscape.reply", AttrValue::str(reply));
            }
            self.close(step, r.time.as_nanos(), error);
        }
        let event = match r.kind {
            TraceKind::StepSucceeded => "step succeeded",
            TraceKind::StepFailed => "step failed",
            TraceKind::CompensationFinished => "compensation finished",
            _ => "step timed out",
        };
        let step = self.step_name(r);
        self.spans[inst].events.push((
            r.time.as_nanos(),
            event,
            vec![("eventscape.step", AttrValue::Str(step))],
        ));
        Some(inst)
    }

    /// Closes the instance (and any open step) with its outcome, an error unless it
    /// completed; `None` when the instance is unknown.
    fn saga_ended(&mut self, r: &Record) -> Option<usize> {
        let inst = self.instance(r.element, r.message)?;
        if let Some(open) = self.open_step.remove(&inst) {
            self.close(open, r.time.as_nanos(), None);
        }
        let outcome = SagaOutcome::ALL.get(r.detail as usize).copied();
        let label = outcome.map_or("unknown", |o| o.label());
        self.set(inst, "eventscape.saga_outcome", AttrValue::str(label));
        let error = (outcome != Some(SagaOutcome::Completed))
            .then(|| Failure::new(label, format!("saga ended: {label}")));
        self.close(inst, r.time.as_nanos(), error);
        self.sagas.remove(&(r.element, r.message));
        Some(inst)
    }

    /// The span of a saga instance, by its id (the message of its transitions).
    fn instance(&self, saga: u32, id: u64) -> Option<usize> {
        self.sagas.get(&(saga, id)).copied()
    }
}
