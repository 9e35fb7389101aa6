//! Saga orchestration: send each step's command, wait for the reply with a timeout
//! and retries; on failure, compensate the completed steps in reverse order.

use super::{Ev, FLAG_REPEAT, FLAG_TRACKED, NONE, Origin, Simulation};
use crate::sim::SimTime;
use crate::sim::ids::SagaId;
use crate::sim::plan::{MsgKind, TypeId};
use crate::sim::stats::SagaOutcome;
use crate::sim::trace::{Record, TraceKind, Where};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Forward,
    /// Undoing completed steps; `reason` is how the saga will end if all goes well.
    Compensating {
        reason: SagaOutcome,
    },
    Done,
}

/// One running saga instance.
#[derive(Clone, Debug)]
pub(crate) struct SagaInst {
    pub saga: SagaId,
    pub corr: u32,
    pub key: u64,
    pub id: u64,
    pub step: u32,
    pub phase: Phase,
    /// Attempts of the current command (1 = first send).
    pub attempt: u32,
    pub token: u32,
    pub started: SimTime,
    pub step_started: SimTime,
    /// Event id of the current command; re-sends reuse it so consumers can dedup.
    pub command_id: u64,
    /// The instance's latest trace record: the cause of what its timers do.
    pub cause: u64,
}

impl Simulation {
    /// A record about a saga instance (its saga and correlation filled in), caused by
    /// what the engine is acting on (the orchestrator's handling of a trigger or reply,
    /// or the instance's own last record for a timer); it becomes the cause of what the
    /// instance does next.
    fn saga_record(&mut self, inst: u32, kind: TraceKind, message: u64, ty: u32, detail: u32) {
        let (saga, corr) = (
            self.sagas[inst as usize].saga,
            self.sagas[inst as usize].corr,
        );
        let id = self.record(Record {
            cause: self.cause,
            kind,
            at: Where::Saga,
            element: saga.0,
            correlation: self.corr_id(corr),
            message,
            message_type: ty,
            detail,
            ..Record::BLANK
        });
        self.cause = id;
        self.sagas[inst as usize].cause = id;
    }

    pub(crate) fn saga_start(&mut self, saga: SagaId, corr: u32, key: u64) {
        self.add_ref(corr, 1);
        let id = self.stats.sagas[saga].started + 1;
        self.stats.sagas[saga].started += 1;
        let inst = SagaInst {
            saga,
            corr,
            key,
            id,
            step: 0,
            phase: Phase::Forward,
            attempt: 1,
            token: 0,
            started: self.now,
            step_started: self.now,
            command_id: 0,
            cause: 0,
        };
        let i = if let Some(i) = self.free_sagas.pop() {
            // Keep the slot's token counting up so stale timers never match.
            let token = self.sagas[i as usize].token.wrapping_add(1);
            self.sagas[i as usize] = SagaInst { token, ..inst };
            i
        } else {
            self.sagas.push(inst);
            (self.sagas.len() - 1) as u32
        };
        self.saga_record(i, TraceKind::SagaStarted, id, NONE, 0);
        self.send_step(i, true);
    }

    /// Send the current command of the instance (the step's, or its compensation).
    fn send_step(&mut self, inst: u32, first: bool) {
        let s = self.sagas[inst as usize].clone();
        let plan = &self.plan.sagas[s.saga];
        let step = &plan.steps[s.step as usize];
        let (ty, service, timeout) = match s.phase {
            Phase::Forward => (step.command, step.service, step.timeout_nanos),
            _ => (
                step.compensate.unwrap_or(step.command),
                step.service,
                step.timeout_nanos,
            ),
        };
        let compensating = matches!(s.phase, Phase::Compensating { .. });
        let command_id = if first {
            self.new_event_id()
        } else {
            s.command_id
        };
        // Every saga command may be re-sent after a timeout: consumers remember it.
        let flags = FLAG_TRACKED | if first { 0 } else { FLAG_REPEAT };
        let token = s.token;
        {
            let i = &mut self.sagas[inst as usize];
            i.command_id = command_id;
            if first {
                i.step_started = self.now;
            }
        }
        let kind = if compensating {
            TraceKind::CompensationStarted
        } else {
            TraceKind::StepStarted
        };
        self.saga_record(inst, kind, command_id, ty, s.step);
        self.send_request(
            service,
            ty,
            MsgKind::Command,
            s.corr,
            s.key,
            Origin::Saga { inst, token },
            command_id,
            flags,
        );
        self.queue
            .push(self.now + timeout, Ev::StepTimeout { inst, token });
    }

    pub(crate) fn saga_reply(&mut self, inst: u32, token: u32, reply: TypeId) {
        let s = self.sagas[inst as usize].clone();
        if s.token != token || s.phase == Phase::Done {
            self.stats.sagas[s.saga].late_replies += 1;
            return;
        }
        let step = &self.plan.sagas[s.saga].steps[s.step as usize];
        let (failure, success) = (step.failure, step.success);
        match s.phase {
            Phase::Forward => {
                let failed = failure == Some(reply) || success.is_some_and(|ok| ok != reply);
                let elapsed = self.now - s.step_started;
                self.stats.sagas[s.saga].step_time[s.step as usize].record(elapsed);
                let kind = if failed {
                    TraceKind::StepFailed
                } else {
                    TraceKind::StepSucceeded
                };
                self.saga_record(inst, kind, s.id, reply, s.step);
                if failed {
                    self.compensate_from(inst, s.step, SagaOutcome::Compensated);
                } else {
                    let next = s.step + 1;
                    if next as usize == self.plan.sagas[s.saga].steps.len() {
                        self.saga_end(inst, SagaOutcome::Completed);
                    } else {
                        let i = &mut self.sagas[inst as usize];
                        i.step = next;
                        i.attempt = 1;
                        i.token = i.token.wrapping_add(1);
                        self.send_step(inst, true);
                    }
                }
            }
            Phase::Compensating { reason } => {
                self.stats.sagas[s.saga].compensations += 1;
                self.saga_record(inst, TraceKind::CompensationFinished, s.id, reply, s.step);
                self.compensate_from(inst, s.step, reason);
            }
            Phase::Done => {}
        }
    }

    /// Compensate the completed steps before `failed_step`, latest first.
    fn compensate_from(&mut self, inst: u32, failed_step: u32, reason: SagaOutcome) {
        let saga = self.sagas[inst as usize].saga;
        let steps = &self.plan.sagas[saga].steps;
        let next = (0..failed_step)
            .rev()
            .find(|&i| steps[i as usize].compensate.is_some());
        match next {
            Some(step) => {
                let i = &mut self.sagas[inst as usize];
                i.step = step;
                i.phase = Phase::Compensating { reason };
                i.attempt = 1;
                i.token = i.token.wrapping_add(1);
                self.send_step(inst, true);
            }
            None => self.saga_end(inst, reason),
        }
    }

    pub(crate) fn step_timeout(&mut self, inst: u32, token: u32) {
        let s = self.sagas[inst as usize].clone();
        if s.token != token || s.phase == Phase::Done {
            return;
        }
        let orchestrator = (self.plan.sagas[s.saga].orchestrator).index();
        if self.services[orchestrator].down {
            // The orchestrator is down: its timers fire when it is back.
            let at = self.services[orchestrator].down_until.max(self.now + 1);
            self.queue.push(at, Ev::StepTimeout { inst, token });
            return;
        }
        let retries = self.plan.sagas[s.saga].steps[s.step as usize].retries;
        // A timeout is caused by the instance's last record (the step it waited for).
        self.cause = s.cause;
        self.stats.sagas[s.saga].step_timeouts += 1;
        self.saga_record(inst, TraceKind::StepTimedOut, s.id, NONE, s.step);
        if s.attempt <= retries {
            let i = &mut self.sagas[inst as usize];
            // Same token: a reply to any copy of this step's command is accepted.
            i.attempt += 1;
            self.send_step(inst, false);
            return;
        }
        match s.phase {
            Phase::Forward => {
                let i = &mut self.sagas[inst as usize];
                i.token = i.token.wrapping_add(1);
                self.compensate_from(inst, s.step, SagaOutcome::TimedOut);
            }
            Phase::Compensating { .. } => self.saga_end(inst, SagaOutcome::CompensationFailed),
            Phase::Done => {}
        }
    }

    fn saga_end(&mut self, inst: u32, outcome: SagaOutcome) {
        let s = self.sagas[inst as usize].clone();
        {
            let i = &mut self.sagas[inst as usize];
            i.phase = Phase::Done;
            i.token = i.token.wrapping_add(1);
        }
        let st = &mut self.stats.sagas[s.saga];
        // `outcomes` is indexed like `SagaOutcome::ALL`, the declaration order.
        st.outcomes[outcome as usize] += 1;
        st.duration.record(self.now - s.started);
        self.saga_record(inst, TraceKind::SagaEnded, s.id, NONE, outcome as u32);
        let acts = if outcome == SagaOutcome::Completed {
            self.plan.sagas[s.saga].on_complete.clone()
        } else {
            self.plan.sagas[s.saga].on_abort.clone()
        };
        for a in &acts {
            self.perform(a, s.corr, s.key, Origin::None, 0);
        }
        if outcome == SagaOutcome::CompensationFailed {
            self.mark_failed(s.corr);
        }
        self.unref(s.corr);
        self.free_sagas.push(inst);
    }

    /// Saga instances still running at the end, per saga: (stuck, in progress).
    /// Stuck ones started longer ago than the saga could possibly take: every step
    /// and compensation using all its retries and timing out each time.
    pub fn unfinished_sagas(&self) -> Vec<(u64, u64)> {
        let mut per = vec![(0u64, 0u64); self.plan.sagas.len()];
        let free: std::collections::HashSet<u32> = self.free_sagas.iter().copied().collect();
        for (i, s) in self.sagas.iter().enumerate() {
            if s.phase == Phase::Done || free.contains(&(i as u32)) {
                continue;
            }
            let budget: u64 = self.plan.sagas[s.saga]
                .steps
                .iter()
                .map(|st| {
                    st.timeout_nanos
                        .saturating_mul(u64::from(st.retries) + 1)
                        .saturating_mul(2)
                })
                .sum();
            if self.now.nanos_since(s.started) > budget {
                per[s.saga].0 += 1;
            } else {
                per[s.saga].1 += 1;
            }
        }
        per
    }
}
