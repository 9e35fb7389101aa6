//! After the orchestrator stopped waiting: late replies, the `on_late_success`
//! policy, an ended instance's afterlife, and orphaned effects.
//!
//! An instance that ends while a command of its is unanswered (a step that timed
//! out for good, a compensation that got no reply) is kept, ended, for a while
//! (its *afterlife*, [`afterlife_nanos`]): replies to those commands are still read
//! against its marks. A success reply to a step that had timed out means the effect
//! happened after all: with `on_late_success: Compensate` the orchestrator sends the
//! step's compensation (even though the saga has ended); otherwise it is an orphaned
//! effect, unless a compensation of that step is still on its way.
//!
//! An *orphaned effect* is a step of an aborted instance whose success the
//! orchestrator heard of (in time or late) and that no compensation finished after:
//! no compensation declared, none sent, or none answered by the end of the
//! afterlife. A compensation that finished before the late success undid nothing.
//! When a compensation got no reply in time the instance ends (compensation
//! failed); if the reply comes late after all, `on_late_success: Compensate` goes on
//! with the earlier steps' compensations, as the chain would have.
//! Each is counted once, with a `OrphanedEffect` record; instances still in their
//! afterlife when the run ends are not judged.

use super::{Ev, FLAG_TRACKED, LATE_BIT, Origin, Phase, SagaInst, Simulation};
use crate::sim::ids::SagaId;
use crate::sim::plan::{MsgKind, TypeId};
use crate::sim::stats::EXAMPLES;
use crate::sim::trace::TraceKind;

/// The token of a compensation sent late for `step` of instance number `id`.
fn late_token(id: u64, step: u32) -> u32 {
    LATE_BIT | ((id as u32 & 0x7FFF) << 16) | (step & 0xFFFF)
}

/// The token of the expiry timer of instance number `id`'s afterlife.
fn afterlife_token(id: u64) -> u32 {
    late_token(id, 0xFFFF)
}

/// How long an ended instance waits for late replies: ten times the longest the
/// saga could take, and at least ten minutes of simulated time.
pub(crate) fn afterlife_nanos(budget: u64) -> u64 {
    budget.saturating_mul(10).max(600_000_000_000)
}

impl SagaInst {
    /// Is any command of the instance unanswered that the orchestrator no longer
    /// waits for?
    fn outstanding(&self) -> bool {
        self.marks.iter().any(|m| m.abandoned || m.comp_out)
    }
}

impl Simulation {
    /// A reply that no wait of the instance matches: a late success or failure of a
    /// step that timed out, the late answer of a compensation, or a duplicate.
    pub(super) fn late_reply(&mut self, inst: u32, token: u32, reply: TypeId) {
        let s = &self.sagas[inst as usize];
        let saga = s.saga;
        let Some(step) = s.marks.iter().position(|m| {
            (m.abandoned && m.fwd_token == token) || (m.comp_out && m.comp_token == token)
        }) else {
            return;
        };
        let step_u = step as u32;
        if s.marks[step].comp_out && s.marks[step].comp_token == token {
            let late_sent = token & LATE_BIT != 0;
            self.compensation_came(inst, step_u);
            if late_sent {
                let id = self.sagas[inst as usize].id;
                self.saga_record(inst, TraceKind::CompensationFinished, id, reply, step_u);
            }
            if self.sagas[inst as usize].phase == Phase::Done {
                self.resume_compensation(inst, step_u);
            }
        } else {
            self.sagas[inst as usize].marks[step].abandoned = false;
            if !self.plan.sagas[saga].steps[step].fails_with(reply) {
                self.late_success(inst, saga, step_u);
            }
        }
        let i = &self.sagas[inst as usize];
        if i.phase == Phase::Done && i.afterlife && !i.outstanding() {
            self.release_saga(inst);
        }
    }

    /// A step's success came after the orchestrator stopped waiting for it. A
    /// compensation of it still on its way will undo it; otherwise the policy says.
    fn late_success(&mut self, inst: u32, saga: SagaId, step: u32) {
        let mark = &mut self.sagas[inst as usize].marks[step as usize];
        mark.effect = true;
        if mark.comp_out {
            return;
        }
        let plan_step = &self.plan.sagas[saga].steps[step as usize];
        match plan_step.compensate {
            Some(ty) if plan_step.compensate_late_success => {
                self.send_late_compensation(inst, step, ty);
            }
            _ => self.orphan(inst, step),
        }
    }

    /// A late answer undid `step` of an ended instance whose compensations stopped
    /// (one got no reply in time): with `on_late_success: Compensate`, go on with
    /// the nearest earlier step that happened and is not undone.
    fn resume_compensation(&mut self, inst: u32, step: u32) {
        let saga = self.sagas[inst as usize].saga;
        let next = (0..step).rev().find_map(|j| {
            let m = self.sagas[inst as usize].marks[j as usize];
            let st = &self.plan.sagas[saga].steps[j as usize];
            let open = m.effect && !m.undone && !m.judged && !m.comp_out;
            match st.compensate {
                Some(ty) if open && st.compensate_late_success => Some((j, ty)),
                _ => None,
            }
        });
        if let Some((j, ty)) = next {
            self.send_late_compensation(inst, j, ty);
        }
    }

    /// May a compensation chain that stopped still reach `step` (a later step's
    /// compensation is on its way, and the step's policy is to compensate late)?
    fn may_resume(&self, inst: u32, step: usize) -> bool {
        let i = &self.sagas[inst as usize];
        let st = &self.plan.sagas[i.saga].steps[step];
        st.compensate_late_success
            && st.compensate.is_some()
            && i.marks[step + 1..].iter().any(|m| m.comp_out)
    }

    fn send_late_compensation(&mut self, inst: u32, step: u32, ty: TypeId) {
        let s = &self.sagas[inst as usize];
        let (saga, corr, key, id) = (s.saga, s.corr, s.key, s.id);
        let token = late_token(id, step);
        let mark = &mut self.sagas[inst as usize].marks[step as usize];
        mark.comp_token = token;
        mark.comp_out = true;
        self.stats.sagas[saga].late_compensations += 1;
        let command_id = self.new_event_id();
        self.saga_record(inst, TraceKind::CompensationStarted, command_id, ty, step);
        let service = self.plan.sagas[saga].steps[step as usize].service;
        // Sent once, without a timer: the instance waits for its answer until the
        // end of its afterlife.
        self.send_request(
            service,
            ty,
            MsgKind::Command,
            corr,
            key,
            Origin::Saga { inst, token },
            command_id,
            FLAG_TRACKED,
        );
    }

    /// A compensation of `step` finished: the effect, if it was heard of, is undone.
    pub(super) fn compensation_came(&mut self, inst: u32, step: u32) {
        let mark = &mut self.sagas[inst as usize].marks[step as usize];
        mark.comp_out = false;
        if mark.effect {
            mark.undone = true;
        }
    }

    /// Count the orphaned effects of an aborted instance that nothing can undo any
    /// more: `finally` (the afterlife is over) counts those whose compensation is
    /// still on its way too.
    pub(super) fn judge_effects(&mut self, inst: u32, finally: bool) {
        for step in 0..self.sagas[inst as usize].marks.len() {
            let m = self.sagas[inst as usize].marks[step];
            let waiting = m.comp_out || self.may_resume(inst, step);
            if m.effect && !m.undone && !m.judged && (finally || !waiting) {
                self.orphan(inst, step as u32);
            }
        }
    }

    /// Count one orphaned effect, with its record.
    fn orphan(&mut self, inst: u32, step: u32) {
        let i = &mut self.sagas[inst as usize];
        if i.marks[step as usize].judged {
            return;
        }
        i.marks[step as usize].judged = true;
        let (saga, corr_id, id) = (i.saga, i.corr_id, i.id);
        let steps = self.plan.sagas[saga].steps.len();
        let command = self.plan.sagas[saga].steps[step as usize].command;
        let st = &mut self.stats.sagas[saga];
        st.orphaned_effects += 1;
        st.orphaned_per_step.resize(steps, 0);
        st.orphaned_per_step[step as usize] += 1;
        if st.orphan_examples.len() < EXAMPLES {
            st.orphan_examples.push(corr_id);
        }
        self.saga_record(inst, TraceKind::OrphanedEffect, id, command, step);
    }

    /// An instance just ended: free it, or keep it ended while replies it stopped
    /// waiting for may still come.
    pub(super) fn after_end(&mut self, inst: u32) {
        let i = &self.sagas[inst as usize];
        if !i.outstanding() {
            let corr = i.corr;
            self.unref(corr);
            self.free_sagas.push(inst);
            return;
        }
        let (saga, id, corr) = (i.saga, i.id, i.corr);
        // It keeps its item open while it may still send a compensation.
        let steps = &self.plan.sagas[saga].steps;
        let may_send = i.marks.iter().zip(steps).any(|(m, st)| {
            (m.abandoned || (m.effect && !m.undone))
                && st.compensate_late_success
                && st.compensate.is_some()
        });
        let i = &mut self.sagas[inst as usize];
        i.afterlife = true;
        i.holds_item = may_send;
        if !may_send {
            self.unref(corr);
        }
        let at = self.now + afterlife_nanos(self.saga_budget(saga));
        self.queue.push(
            at,
            Ev::StepTimeout {
                inst,
                token: afterlife_token(id),
            },
        );
    }

    /// The expiry timer of an ended instance's afterlife.
    pub(super) fn afterlife_over(&mut self, inst: u32, token: u32) {
        let i = &self.sagas[inst as usize];
        if !i.afterlife || i.phase != Phase::Done || afterlife_token(i.id) != token {
            return;
        }
        self.cause = i.cause;
        self.release_saga(inst);
    }

    /// The afterlife is over: free the slot (and the item).
    fn release_saga(&mut self, inst: u32) {
        self.judge_effects(inst, true);
        let i = &mut self.sagas[inst as usize];
        i.afterlife = false;
        let (corr, holds) = (i.corr, std::mem::take(&mut i.holds_item));
        if holds {
            self.unref(corr);
        }
        self.free_sagas.push(inst);
    }
}
