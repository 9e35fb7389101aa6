//! Services: a shared FIFO queue in front of `instances × concurrency` workers;
//! handling, failures, retries with backoff, dead letters, idempotency (callbacks are
//! in `callback.rs`).

use crate::sim::ids::{GroupId, MsgId, ServiceId};
use rand::Rng;

use super::{Ev, FLAG_POISON, FLAG_REPEAT, FLAG_TRACKED, NONE, Origin, Seen, Simulation};
use crate::sim::SimTime;
use crate::sim::plan::{Act, MsgKind, Target};
use crate::sim::sampler::MAX_DRAW_NANOS;
use crate::sim::trace::{TraceKind, Where};

impl Simulation {
    /// A message reaches a service. `bounded`: subject to the queue bound (requests
    /// are; events fetched from a partition and retries are not). Returns whether it
    /// was accepted.
    pub(crate) fn enqueue(&mut self, service: ServiceId, msg: MsgId, bounded: bool) -> bool {
        let si = service.index();
        if self.msgs[msg].target == Target::Ignore {
            // Nobody here handles it: consumed on arrival.
            self.consumed(msg);
            return true;
        }
        // A free worker takes the message at once, so it never waits: only a full
        // waiting room turns it away (with `queue: 0`, a loss system: rejected exactly
        // when every worker is busy or the service is down).
        let starts_now = !self.services[si].down && self.services[si].free > 0;
        if bounded
            && let Some(bound) = self.plan.services[si].queue_bound
            && self.services[si].queue.len() >= bound as usize
            && !starts_now
        {
            self.stats.services[si].rejected += 1;
            self.stats.messages.rejected += 1;
            self.cause = self.record_msg(TraceKind::Rejected, Where::Service, service.0, msg, 0);
            let corr = self.msgs[msg].corr;
            self.mark_failed(corr);
            self.free_msg(msg.0);
            self.unref(corr);
            return false;
        }
        let now = self.now;
        self.msgs[msg].enqueued = now;
        let st = &mut self.stats.services[si];
        st.arrivals += 1;
        if starts_now && self.services[si].queue.is_empty() {
            // Nothing waits before it: it would be pushed and popped at once, so it
            // skips the queue (its statistics pass through it all the same).
            st.pass_queue(now);
            self.record_msg(TraceKind::Delivered, Where::Service, service.0, msg, 0);
            self.start(service, msg);
        } else {
            st.queue.inc(now);
            st.note_in_system();
            self.stats.queues_changed.mark(si);
            self.services[si].queue.push_back(MsgId(msg.0));
            self.record_msg(TraceKind::Delivered, Where::Service, service.0, msg, 0);
            // Only free workers with messages waiting before this one can start any
            // now (after a started message the queue was empty: nothing to take).
            if starts_now {
                self.try_start(service);
            }
        }
        true
    }

    /// Start queued messages while workers are free.
    #[inline]
    pub(crate) fn try_start(&mut self, service: ServiceId) {
        let s = &self.services[service.index()];
        if !s.down && s.free > 0 && !s.queue.is_empty() {
            self.start_queued(service);
        }
    }

    #[inline(never)]
    fn start_queued(&mut self, service: ServiceId) {
        let si = service.index();
        while !self.services[si].down && self.services[si].free > 0 {
            let Some(msg) = self.services[si].queue.pop_front() else {
                break;
            };
            let now = self.now;
            self.stats.services[si].queue.dec(now);
            self.stats.queues_changed.mark(si);
            self.start(service, MsgId(msg.0));
        }
    }

    // Inlined into both callers (enqueue's start-at-once and try_start): a call
    // here costs more than the path saves.
    #[inline(always)]
    fn start(&mut self, service: ServiceId, msg: MsgId) {
        let si = service.index();
        let now = self.now;
        let m = &self.msgs[msg];
        let target = m.target;
        // A message that may arrive more than once (a duplicate, a re-sent command) is
        // remembered per consumer. An idempotent consumer skips a copy it has seen,
        // answering a request with the reply it gave the first time; any other
        // consumer applies it again, a double effect.
        if let Target::Handler(h) = target
            && m.flags & FLAG_TRACKED != 0
        {
            let (event_id, flags) = (m.event_id, m.flags);
            let window = self.plan.services[si].dedupe_nanos;
            match self.dedupe.recall(now, (service, h, event_id), window) {
                None => {
                    // A repeat the consumer has no memory of: its window forgot the
                    // first copy, so it is applied a second time.
                    if flags & FLAG_REPEAT != 0 && self.dedupe.has_forgotten(service) {
                        self.stats.services[si].forgotten_duplicates += 1;
                        self.stats.messages.forgotten_duplicates += 1;
                        self.double_effect(service, msg);
                    }
                    self.remember(service, (h, event_id), Seen::Running(MsgId(msg.0)));
                }
                // The same delivery again, after a crash lost its first attempt.
                Some(Seen::Running(owner)) if owner == msg => {}
                Some(prior) => {
                    if self.plan.services[si].handlers[h as usize].idempotent {
                        self.skip_duplicate(service, msg, h, prior);
                        return;
                    }
                    self.double_effect(service, msg);
                }
            }
        }
        let s = &mut self.services[si];
        s.free -= 1;
        s.in_service.push(MsgId(msg.0));
        let slow = s.slow;
        let st = &mut self.stats.services[si];
        st.busy.inc(now);
        st.started += 1;
        let m = &mut self.msgs[msg];
        m.started = now;
        let (attempt, flags, ty) = (m.attempt, m.flags, m.ty);
        self.record_msg(TraceKind::Started, Where::Service, service.0, msg, attempt);
        let nanos = match target {
            Target::Handler(h) => {
                let handler = &self.plan.services[si].handlers[h as usize];
                let poison = flags & FLAG_POISON != 0;
                let fail = poison
                    || (handler.fail_probability > 0.0
                        && self.rng.random::<f64>() < handler.fail_probability);
                let outcome = if handler.outcomes.is_empty() {
                    NONE
                } else {
                    let u: f64 = self.rng.random();
                    handler
                        .outcomes
                        .iter()
                        .position(|(cum, _)| u < *cum)
                        .unwrap_or(handler.outcomes.len() - 1) as u32
                };
                let mut nanos = scale(handler.latency.sample(&mut self.rng), slow);
                // Saturating: extreme (but valid) payloads and costs make a long
                // handling, never an overflow.
                if handler.per_kib_nanos > 0 {
                    let bytes = self.plan.types[ty as usize].payload_bytes;
                    let per_kib = handler.per_kib_nanos.saturating_mul(u64::from(bytes)) / 1024;
                    nanos = nanos.saturating_add(per_kib);
                }
                for s in &handler.appends {
                    let append = self.plan.stores[s.index()].append.sample(&mut self.rng);
                    nanos = nanos.saturating_add(append);
                }
                let nanos = nanos.min(MAX_DRAW_NANOS);
                let m = &mut self.msgs[msg];
                m.will_fail = fail;
                m.outcome = outcome;
                if let Some((callee, query, timeout)) = handler.callback {
                    m.own_nanos = nanos;
                    self.start_callback(service, msg, callee, query, timeout);
                    return;
                }
                nanos
            }
            Target::SagaStart(_) | Target::SagaReply => {
                let saga = match (target, self.msgs[msg].origin) {
                    (Target::SagaStart(g), _) => Some(g),
                    (_, Origin::Saga { inst, .. }) => Some(self.sagas[inst as usize].saga),
                    // A reply always carries its instance; without one there is no
                    // saga to work for.
                    _ => None,
                };
                saga.map_or(0, |g| {
                    scale(self.plan.sagas[g].latency.sample(&mut self.rng), slow)
                })
            }
            Target::Ignore => 0,
        };
        self.schedule_done(now + nanos, service, msg);
    }

    /// A duplicate applied a second time.
    fn double_effect(&mut self, service: ServiceId, msg: MsgId) {
        self.stats.services[service].double_effects += 1;
        self.stats.messages.double_effects += 1;
        self.record_msg(TraceKind::DoubleEffect, Where::Service, service.0, msg, 0);
    }

    /// The consumer remembers what it knows of a message id, within its window.
    fn remember(&mut self, service: ServiceId, (h, event_id): (u32, u64), seen: Seen) {
        let plan = &self.plan.services[service];
        let window = (plan.dedupe_nanos, plan.dedupe_size);
        self.dedupe
            .remember(self.now, (service, h, event_id), seen, window);
    }

    /// An idempotent consumer skips a copy of a message it has seen; if the first copy
    /// has finished, its replies are sent again.
    fn skip_duplicate(&mut self, service: ServiceId, msg: MsgId, h: u32, prior: Seen) {
        let si = service.index();
        self.stats.services[si].deduplicated += 1;
        self.stats.messages.deduplicated += 1;
        // Replies sent again are caused by the skip.
        self.cause = self.record_msg(TraceKind::Deduplicated, Where::Service, service.0, msg, 0);
        if let Seen::Done(outcome) = prior {
            let m = &self.msgs[msg];
            let (origin, corr, key) = (m.origin, m.corr, m.key);
            let handler = &self.plan.services[si].handlers[h as usize];
            let from_outcome = handler
                .outcomes
                .get(outcome as usize)
                .map(|o| o.1.as_slice())
                .unwrap_or(&[]);
            let replies: Vec<Act> = handler
                .emit
                .iter()
                .chain(from_outcome)
                .filter(|a| matches!(a, Act::Reply { .. }))
                .cloned()
                .collect();
            for a in &replies {
                self.perform(a, corr, key, origin, 0);
            }
        }
        self.finish_delivery(msg);
    }

    /// Schedule the end of the current handling of `msg`; any crash or callback
    /// change in between makes it stale.
    #[inline(always)]
    pub(super) fn schedule_done(&mut self, at: SimTime, service: ServiceId, msg: MsgId) {
        debug_assert_eq!(self.msgs[msg].service, service);
        let epoch = self.services[service].epoch;
        let token = self.msgs[msg].token;
        self.queue.push(at, Ev::Done { msg, epoch, token });
    }

    /// Handling finished (or failed). The service is the message's own: a message
    /// whose token still matches has not been freed (freeing bumps the token), so it
    /// is still at the service that scheduled this.
    pub(crate) fn done(&mut self, msg: MsgId, epoch: u32, token: u32) {
        let m = &self.msgs[msg];
        if !self.live[msg] || m.token != token {
            return; // the message was freed, requeued by a crash, or its callback changed
        }
        let service = m.service;
        let si = service.index();
        let s = &mut self.services[si];
        if s.epoch != epoch {
            return; // the service crashed meanwhile; the message was requeued
        }
        let Some(pos) = s.in_service.iter().position(|m| *m == msg) else {
            return;
        };
        s.in_service.swap_remove(pos);
        s.free += 1;
        let now = self.now;
        self.stats.services[si].busy.dec(now);
        let m = &self.msgs[msg];
        match m.target {
            Target::Handler(h) => {
                if m.will_fail {
                    self.attempt_failed(service, msg, h);
                } else {
                    self.handled(service, msg, h);
                }
            }
            Target::SagaStart(_) if self.msgs[msg].flags & FLAG_POISON != 0 => {
                // A poison trigger cannot be read: the orchestrator gives it up.
                let corr = self.msgs[msg].corr;
                self.stats.services[service].failed_attempts += 1;
                self.stats.messages.failed += 1;
                self.cause = self.record_msg(
                    TraceKind::DeadLettered,
                    Where::Service,
                    service.0,
                    msg,
                    u32::MAX,
                );
                self.mark_failed(corr);
                self.release(msg);
            }
            Target::SagaStart(saga) => {
                self.leave_service(service, msg);
                let (corr, key) = (self.msgs[msg].corr, self.msgs[msg].key);
                self.saga_start(saga, corr, key);
                self.finish_delivery(msg);
            }
            Target::SagaReply => {
                self.leave_service(service, msg);
                let (origin, ty) = (self.msgs[msg].origin, self.msgs[msg].ty);
                self.finish_delivery(msg);
                if let Origin::Saga { inst, token } = origin {
                    self.saga_reply(inst, token, ty);
                }
            }
            Target::Ignore => self.finish_delivery(msg),
        }
        self.try_start(service);
    }

    /// Success bookkeeping common to every kind of work.
    #[inline(always)]
    fn leave_service(&mut self, service: ServiceId, msg: MsgId) {
        let si = service.index();
        let now = self.now;
        let m = &self.msgs[msg];
        let (enqueued, started) = (m.enqueued, m.started);
        let st = &mut self.stats.services[si];
        st.completed += 1;
        st.wait_sum_nanos += u128::from(started - enqueued);
        st.time_in_system.record(now - enqueued);
        // What the handler emits now is caused by its completion.
        self.cause = self.record_msg(TraceKind::Completed, Where::Service, service.0, msg, 0);
    }

    fn handled(&mut self, service: ServiceId, msg: MsgId, h: u32) {
        self.leave_service(service, msg);
        let m = &self.msgs[msg];
        let (corr, key, origin, outcome, flags, kind) =
            (m.corr, m.key, m.origin, m.outcome, m.flags, m.kind);
        if flags & FLAG_TRACKED != 0 {
            let event_id = m.event_id;
            self.remember(service, (h, event_id), Seen::Done(outcome));
        }
        let si = service.index();
        let nh = self.plan.services[si].handlers[h as usize].emit.len();
        for i in 0..nh {
            let a = self.plan.services[si].handlers[h as usize].emit[i].clone();
            self.perform(&a, corr, key, origin, 0);
        }
        if outcome != NONE {
            let n = self.plan.services[si].handlers[h as usize].outcomes[outcome as usize]
                .1
                .len();
            for i in 0..n {
                let a = self.plan.services[si].handlers[h as usize].outcomes[outcome as usize].1[i]
                    .clone();
                self.perform(&a, corr, key, origin, 0);
            }
        }
        // A query's answer is the handler finishing.
        if kind == MsgKind::Query
            && let Origin::Callback { msg: caller, token } = origin
        {
            self.callback_answered(caller, token);
        }
        self.finish_delivery(msg);
    }

    fn attempt_failed(&mut self, service: ServiceId, msg: MsgId, h: u32) {
        let si = service.index();
        let now = self.now;
        self.stats.services[si].failed_attempts += 1;
        self.record_msg(
            TraceKind::Failed,
            Where::Service,
            service.0,
            msg,
            self.msgs[msg].attempt,
        );
        let handler = &self.plan.services[si].handlers[h as usize];
        let attempt = self.msgs[msg].attempt;
        if attempt < handler.attempts {
            let backoff =
                handler.backoff_nanos as f64 * handler.multiplier.powi(attempt as i32 - 1);
            self.stats.services[si].retries += 1;
            self.stats.services[si].backoff.inc(now);
            // Waiting for the retry, the message leaves the queue but stays in the
            // service (and keeps its partition).
            let m = &mut self.msgs[msg];
            m.attempt += 1;
            let token = m.token;
            self.record_msg(
                TraceKind::Retried,
                Where::Service,
                service.0,
                msg,
                attempt + 1,
            );
            self.queue.push(
                now + ((backoff as u64).min(MAX_DRAW_NANOS)),
                Ev::Retry { msg, token },
            );
            return;
        }
        let dead_letter = handler.dead_letter;
        let m = self.msgs[msg].clone();
        self.mark_failed(m.corr);
        // The message is given up: a later copy is not a duplicate of a success.
        if m.flags & FLAG_TRACKED != 0
            && self.dedupe.get(service, h, m.event_id) == Some(Seen::Running(MsgId(msg.0)))
        {
            self.dedupe.forget(service, h, m.event_id);
        }
        match dead_letter {
            Some(topic) => {
                self.stats.services[si].dead_lettered += 1;
                self.stats.messages.dead_lettered += 1;
                self.cause = self.record_msg(
                    TraceKind::DeadLettered,
                    Where::Service,
                    service.0,
                    msg,
                    topic.0,
                );
                let entry = super::LogEntry {
                    event_id: m.event_id,
                    ty: m.ty,
                    corr: m.corr,
                    key: m.key,
                    created: m.created,
                    appended: self.now,
                    flags: 0,
                    cause: self.cause,
                };
                self.publish_entry(topic, entry);
            }
            None => {
                self.stats.messages.failed += 1;
                self.cause = self.record_msg(
                    TraceKind::DeadLettered,
                    Where::Service,
                    service.0,
                    msg,
                    u32::MAX,
                );
            }
        }
        self.release(msg);
    }

    pub(crate) fn retry_due(&mut self, msg: MsgId, token: u32) {
        if !self.live[msg] || self.msgs[msg].token != token {
            return;
        }
        let service = self.msgs[msg].service;
        let si = service.index();
        let now = self.now;
        let st = &mut self.stats.services[si];
        st.backoff.dec(now);
        st.queue.inc(now);
        self.stats.queues_changed.mark(si);
        self.services[si].queue.push_back(MsgId(msg.0));
        self.try_start(service);
    }

    /// The delivery is over and was a success: consumed, partition committed.
    #[inline(always)]
    pub(crate) fn finish_delivery(&mut self, msg: MsgId) {
        let from = self.msgs[msg].from;
        self.consumed(msg);
        if let Some((g, p)) = from {
            self.commit(GroupId(g.0), p);
        }
    }

    /// The delivery is over without success (counted already): free it, commit.
    fn release(&mut self, msg: MsgId) {
        let m = &self.msgs[msg];
        let (from, corr) = (m.from, m.corr);
        self.free_msg(msg.0);
        self.unref(corr);
        if let Some((g, p)) = from {
            self.give_up(GroupId(g.0), p);
        }
    }

    /// A crash: work in progress is lost and goes back to the front of the queue
    /// (it was never acknowledged, so it is redelivered); callbacks in flight go stale.
    pub(crate) fn crash(&mut self, service: ServiceId) {
        let si = service.index();
        let now = self.now;
        let s = &mut self.services[si];
        s.down = true;
        s.down_since = now;
        s.epoch = s.epoch.wrapping_add(1);
        let lost: Vec<MsgId> = std::mem::take(&mut s.in_service);
        s.free = self.plan.services[si].servers;
        for &m in lost.iter().rev() {
            let msg = &mut self.msgs[m];
            msg.token = msg.token.wrapping_add(1);
            msg.waiting_callback = false;
            self.services[si].queue.push_front(MsgId(m.0));
        }
        let st = &mut self.stats.services[si];
        st.busy.set(now, 0);
        st.queue.add(now, lost.len() as i64);
    }

    pub(crate) fn restart(&mut self, service: ServiceId) {
        let si = service.index();
        let s = &mut self.services[si];
        s.down = false;
        self.stats.services[si].down_nanos += self.now - s.down_since;
        self.rebalance(service);
        self.try_start(service);
    }
}

/// A handling time under a slow-down factor (1 when none is active).
#[inline]
fn scale(nanos: u64, factor: f64) -> u64 {
    if factor == 1.0 {
        nanos
    } else {
        ((nanos as f64) * factor) as u64
    }
}
