//! Saga orchestration: send each step's command, wait for the reply with a timeout
//! and retries; on failure, compensate the completed steps in reverse order.
//!
//! The orchestrator keeps, per instance and step, what it knows of the step's effect
//! ([`StepMark`]): whether its success was heard of, whether a compensation is on its
//! way and whether one finished after the success. Replies that come after it
//! stopped waiting (late replies) are read against these marks in [`late`], which
//! also applies the `on_late_success` policy and finds orphaned effects.

mod late;

use super::{Ev, FLAG_REPEAT, FLAG_TRACKED, NONE, Origin, Simulation};
use crate::sim::SimTime;
use crate::sim::ids::SagaId;
use crate::sim::plan::{MsgKind, TypeId};
use crate::sim::stats::SagaOutcome;
use crate::sim::trace::{Record, TraceKind, Where};

/// Set in the tokens of compensations sent after a late success and of an ended
/// instance's expiry timer; never set in the tokens of an instance's own waits.
pub(crate) const LATE_BIT: u32 = 1 << 31;

/// The next token of an instance's own waits (never with [`LATE_BIT`]).
fn next_token(t: u32) -> u32 {
    t.wrapping_add(1) & !LATE_BIT
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Forward,
    /// Undoing completed steps; `reason` is how the saga will end if all goes well.
    Compensating {
        reason: SagaOutcome,
    },
    Done,
}

/// What an instance's orchestrator knows of one step's effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StepMark {
    /// The token of the step's command (its replies carry it).
    pub fwd_token: u32,
    /// The token of the latest compensation sent for the step.
    pub comp_token: u32,
    /// A success reply came (in time or late): the effect happened.
    pub effect: bool,
    /// A compensation finished after the effect was heard of: it is undone.
    pub undone: bool,
    /// A compensation was sent and its reply has not come.
    pub comp_out: bool,
    /// The step timed out for good and no reply has come since.
    pub abandoned: bool,
    /// Already counted as an orphaned effect.
    pub judged: bool,
}

/// One running saga instance.
#[derive(Clone, Debug)]
pub(crate) struct SagaInst {
    pub saga: SagaId,
    pub corr: u32,
    /// The correlation id itself: records after the end still name it when the
    /// item's slot has been reused.
    pub corr_id: u64,
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
    /// Per step, what the orchestrator knows of its effect.
    pub marks: Vec<StepMark>,
    /// Ended, but still waiting for replies to commands it stopped waiting for
    /// (see [`late`]); the slot is not reused meanwhile.
    pub afterlife: bool,
    /// In its afterlife it still holds a reference on its item (it may send a
    /// compensation).
    pub holds_item: bool,
}

impl Simulation {
    /// A record about a saga instance (its saga and correlation filled in), caused by
    /// what the engine is acting on (the orchestrator's handling of a trigger or reply,
    /// or the instance's own last record for a timer); it becomes the cause of what the
    /// instance does next.
    fn saga_record(&mut self, inst: u32, kind: TraceKind, message: u64, ty: u32, detail: u32) {
        let i = &self.sagas[inst as usize];
        let (saga, correlation) = (i.saga, i.corr_id);
        let id = self.record(Record {
            cause: self.cause,
            kind,
            at: Where::Saga,
            element: saga.0,
            correlation,
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
        let steps = self.plan.sagas[saga].steps.len();
        let fresh = |token: u32, mut marks: Vec<StepMark>, corr_id: u64| {
            marks.clear();
            marks.resize(steps, StepMark::default());
            SagaInst {
                saga,
                corr,
                corr_id,
                key,
                id,
                step: 0,
                phase: Phase::Forward,
                attempt: 1,
                token,
                started: SimTime::ZERO,
                step_started: SimTime::ZERO,
                command_id: 0,
                cause: 0,
                marks,
                afterlife: false,
                holds_item: false,
            }
        };
        let corr_id = self.corr_id(corr);
        let i = if let Some(i) = self.free_sagas.pop() {
            // Keep the slot's token counting up so stale timers never match, and its
            // marks' memory.
            let old = &mut self.sagas[i as usize];
            let token = next_token(old.token);
            let marks = std::mem::take(&mut old.marks);
            self.sagas[i as usize] = fresh(token, marks, corr_id);
            i
        } else {
            self.sagas.push(fresh(0, Vec::new(), corr_id));
            (self.sagas.len() - 1) as u32
        };
        let now = self.now;
        let s = &mut self.sagas[i as usize];
        s.started = now;
        s.step_started = now;
        self.saga_record(i, TraceKind::SagaStarted, id, NONE, 0);
        self.send_step(i, true);
    }

    /// Send the current command of the instance (the step's, or its compensation).
    fn send_step(&mut self, inst: u32, first: bool) {
        let s = &self.sagas[inst as usize];
        let (saga, step_i, phase, token, corr, key) =
            (s.saga, s.step, s.phase, s.token, s.corr, s.key);
        let step = &self.plan.sagas[saga].steps[step_i as usize];
        let compensating = matches!(phase, Phase::Compensating { .. });
        let (ty, service, timeout) = if compensating {
            (
                step.compensate.unwrap_or(step.command),
                step.service,
                step.timeout_nanos,
            )
        } else {
            (step.command, step.service, step.timeout_nanos)
        };
        let command_id = if first {
            self.new_event_id()
        } else {
            self.sagas[inst as usize].command_id
        };
        // Every saga command may be re-sent after a timeout: consumers remember it.
        let flags = FLAG_TRACKED | if first { 0 } else { FLAG_REPEAT };
        {
            let now = self.now;
            let i = &mut self.sagas[inst as usize];
            i.command_id = command_id;
            if first {
                i.step_started = now;
            }
            let mark = &mut i.marks[step_i as usize];
            if compensating {
                mark.comp_token = token;
                mark.comp_out = true;
            } else {
                mark.fwd_token = token;
            }
        }
        let kind = if compensating {
            TraceKind::CompensationStarted
        } else {
            TraceKind::StepStarted
        };
        self.saga_record(inst, kind, command_id, ty, step_i);
        self.send_request(
            service,
            ty,
            MsgKind::Command,
            corr,
            key,
            Origin::Saga { inst, token },
            command_id,
            flags,
        );
        self.queue
            .push(self.now + timeout, Ev::StepTimeout { inst, token });
    }

    pub(crate) fn saga_reply(&mut self, inst: u32, token: u32, reply: TypeId) {
        let s = &self.sagas[inst as usize];
        let (saga, step_i, phase, id, step_started) =
            (s.saga, s.step, s.phase, s.id, s.step_started);
        if s.token != token || phase == Phase::Done {
            self.stats.sagas[saga].late_replies += 1;
            self.late_reply(inst, token, reply);
            return;
        }
        match phase {
            Phase::Forward => {
                let failed = self.plan.sagas[saga].steps[step_i as usize].fails_with(reply);
                let elapsed = self.now - step_started;
                self.stats.sagas[saga].step_time[step_i as usize].record(elapsed);
                let kind = if failed {
                    TraceKind::StepFailed
                } else {
                    self.sagas[inst as usize].marks[step_i as usize].effect = true;
                    TraceKind::StepSucceeded
                };
                self.saga_record(inst, kind, id, reply, step_i);
                if failed {
                    self.compensate_from(inst, step_i, SagaOutcome::Compensated);
                } else {
                    let next = step_i + 1;
                    if next as usize == self.plan.sagas[saga].steps.len() {
                        self.saga_end(inst, SagaOutcome::Completed);
                    } else {
                        let i = &mut self.sagas[inst as usize];
                        i.step = next;
                        i.attempt = 1;
                        i.token = next_token(i.token);
                        self.send_step(inst, true);
                    }
                }
            }
            Phase::Compensating { reason } => {
                self.stats.sagas[saga].compensations += 1;
                self.compensation_came(inst, step_i);
                self.saga_record(inst, TraceKind::CompensationFinished, id, reply, step_i);
                self.compensate_from(inst, step_i, reason);
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
                i.token = next_token(i.token);
                self.send_step(inst, true);
            }
            None => self.saga_end(inst, reason),
        }
    }

    pub(crate) fn step_timeout(&mut self, inst: u32, token: u32) {
        if token & LATE_BIT != 0 {
            self.afterlife_over(inst, token);
            return;
        }
        let s = &self.sagas[inst as usize];
        let (saga, step_i, phase, attempt, cause) = (s.saga, s.step, s.phase, s.attempt, s.cause);
        if s.token != token || phase == Phase::Done {
            return;
        }
        let orchestrator = (self.plan.sagas[saga].orchestrator).index();
        if self.services[orchestrator].down {
            // The orchestrator is down: its timers fire when it is back.
            let at = self.services[orchestrator].down_until.max(self.now + 1);
            self.queue.push(at, Ev::StepTimeout { inst, token });
            return;
        }
        let step = &self.plan.sagas[saga].steps[step_i as usize];
        let (retries, undo_it) = (
            step.retries,
            step.compensate_on_timeout && step.compensate.is_some(),
        );
        // A timeout is caused by the instance's last record (the step it waited for).
        self.cause = cause;
        self.stats.sagas[saga].step_timeouts += 1;
        let id = self.sagas[inst as usize].id;
        self.saga_record(inst, TraceKind::StepTimedOut, id, NONE, step_i);
        if attempt <= retries {
            let i = &mut self.sagas[inst as usize];
            // Same token: a reply to any copy of this step's command is accepted.
            i.attempt += 1;
            self.send_step(inst, false);
            return;
        }
        match phase {
            Phase::Forward => {
                let i = &mut self.sagas[inst as usize];
                i.token = next_token(i.token);
                // Its reply may still come: the step may have happened.
                i.marks[step_i as usize].abandoned = true;
                // `on_timeout: Compensate` undoes the step itself first.
                let from = if undo_it { step_i + 1 } else { step_i };
                self.compensate_from(inst, from, SagaOutcome::TimedOut);
            }
            Phase::Compensating { .. } => self.saga_end(inst, SagaOutcome::CompensationFailed),
            Phase::Done => {}
        }
    }

    fn saga_end(&mut self, inst: u32, outcome: SagaOutcome) {
        let (saga, id, started, corr, key) = {
            let i = &mut self.sagas[inst as usize];
            i.phase = Phase::Done;
            i.token = next_token(i.token);
            (i.saga, i.id, i.started, i.corr, i.key)
        };
        let st = &mut self.stats.sagas[saga];
        // `outcomes` is indexed like `SagaOutcome::ALL`, the declaration order.
        st.outcomes[outcome as usize] += 1;
        st.duration.record(self.now - started);
        self.saga_record(inst, TraceKind::SagaEnded, id, NONE, outcome as u32);
        let end_cause = self.cause;
        let acts = if outcome == SagaOutcome::Completed {
            self.plan.sagas[saga].on_complete.clone()
        } else {
            self.plan.sagas[saga].on_abort.clone()
        };
        for a in &acts {
            self.perform(a, corr, key, Origin::None, 0);
        }
        if outcome == SagaOutcome::CompensationFailed {
            self.mark_failed(corr);
        }
        if outcome != SagaOutcome::Completed {
            // Orphaned effects found now are caused by the end; what follows keeps
            // the cause it had.
            let after_acts = std::mem::replace(&mut self.cause, end_cause);
            self.judge_effects(inst, false);
            self.cause = after_acts;
        }
        self.after_end(inst);
    }

    /// The worst case of one instance: every step and compensation using all its
    /// retries and timing out each time, twice over (at most `u64::MAX`: timeouts of
    /// centuries add up to more).
    fn saga_budget(&self, saga: SagaId) -> u64 {
        self.plan.sagas[saga]
            .steps
            .iter()
            .map(|st| {
                st.timeout_nanos
                    .saturating_mul(u64::from(st.retries) + 1)
                    .saturating_mul(2)
            })
            .fold(0, u64::saturating_add)
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
            if self.now.nanos_since(s.started) > self.saga_budget(s.saga) {
                per[s.saga].0 += 1;
            } else {
                per[s.saga].1 += 1;
            }
        }
        per
    }
}
