//! Messages: the slab they live in, sending, replying, their final fate, and the
//! trace records about them.

use super::{FLAG_POISON, Msg, NONE, Origin, Simulation};
use crate::sim::ids::{MsgId, ServiceId};
use crate::sim::plan::{Act, MsgKind, Target, TypeId};
use crate::sim::trace::{Record, TraceKind, Where};

impl Simulation {
    #[inline(always)]
    pub(crate) fn alloc_msg(&mut self, m: Msg) -> u32 {
        if let Some(i) = self.free_msgs.pop() {
            // Keep the slot's token counting up so stale timers never match.
            let token = self.msgs[i].token;
            self.msgs[i] = Msg { token, ..m };
            self.live[i] = true;
            i.0
        } else {
            self.msgs.push(m);
            self.live.push(true);
            (self.msgs.len() - 1) as u32
        }
    }

    /// A live slot for a new message: a free one (its contents stale but for the
    /// token, which keeps counting up so stale timers never match), or a new one.
    #[inline(always)]
    fn alloc_slot(&mut self) -> u32 {
        if let Some(i) = self.free_msgs.pop() {
            self.live[i] = true;
            i.0
        } else {
            self.msgs.push(Msg::EMPTY);
            self.live.push(true);
            (self.msgs.len() - 1) as u32
        }
    }

    #[inline(always)]
    pub(crate) fn free_msg(&mut self, i: u32) {
        self.live[i as usize] = false;
        self.msgs[i as usize].token = self.msgs[i as usize].token.wrapping_add(1);
        self.free_msgs.push(MsgId(i));
    }

    pub(crate) fn new_event_id(&mut self) -> u64 {
        let id = self.next_event_id;
        self.next_event_id += 1;
        id
    }

    /// Carry out one action on behalf of an item.
    #[inline]
    pub(crate) fn perform(&mut self, act: &Act, corr: u32, key: u64, origin: Origin, flags: u8) {
        match *act {
            Act::Publish { ty, topic } => {
                self.note_event(ty, corr);
                self.publish(topic, ty, corr, key, flags & FLAG_POISON);
            }
            Act::Send { ty, service } => {
                let event_id = self.new_event_id();
                self.send_request(
                    service,
                    ty,
                    MsgKind::Command,
                    corr,
                    key,
                    Origin::None,
                    event_id,
                    0,
                );
            }
            Act::Reply { ty } => self.reply(origin, ty, corr, key),
            Act::Append { ty, store } => {
                self.note_event(ty, corr);
                self.store_append(store, ty, corr, key);
            }
        }
    }

    /// Send a command, reply or query to a service's queue.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send_request(
        &mut self,
        service: ServiceId,
        ty: TypeId,
        kind: MsgKind,
        corr: u32,
        key: u64,
        origin: Origin,
        event_id: u64,
        flags: u8,
    ) -> Option<u32> {
        let target = match kind {
            MsgKind::Reply => Target::SagaReply,
            _ => self.plan.services[service].request_routes.get(ty),
        };
        self.stats.messages.produced += 1;
        self.add_ref(corr, 1);
        let (now, cause, corr_id) = (self.now, self.cause, self.corr_id(corr));
        // Written field by field into its slot: no message is built and then moved.
        let msg = self.alloc_slot();
        let m = &mut self.msgs[msg as usize];
        m.event_id = event_id;
        m.ty = ty;
        m.kind = kind;
        m.corr = corr;
        m.corr_id = corr_id;
        m.key = key;
        m.created = now;
        m.enqueued = now;
        m.started = now;
        m.attempt = 1;
        m.flags = flags;
        m.origin = origin;
        m.service = service;
        m.target = target;
        m.from = None;
        m.will_fail = false;
        m.outcome = NONE;
        m.own_nanos = 0;
        m.waiting_callback = false;
        m.cause = cause;
        if self.enqueue(service, MsgId(msg), true) {
            Some(msg)
        } else {
            None
        }
    }

    fn reply(&mut self, origin: Origin, ty: TypeId, corr: u32, key: u64) {
        if let Origin::Saga { inst, .. } = origin {
            let orchestrator =
                self.plan.sagas[(self.sagas[inst as usize].saga).index()].orchestrator;
            let event_id = self.new_event_id();
            self.send_request(
                orchestrator,
                ty,
                MsgKind::Reply,
                corr,
                key,
                origin,
                event_id,
                0,
            );
        }
        // Replies to a source or to an event consumer have no one waiting: not sent.
    }

    /// Final fate of a delivery.
    #[inline(always)]
    pub(crate) fn consumed(&mut self, msg: MsgId) {
        self.stats.messages.consumed += 1;
        let corr = self.msgs[msg].corr;
        self.free_msg(msg.0);
        self.unref(corr);
    }

    /// Add a record to the trace at the current time; returns its id (0 when the
    /// trace is off).
    #[inline]
    pub(crate) fn record(&mut self, r: Record) -> u64 {
        if !self.trace.enabled() {
            return 0;
        }
        self.trace.push(Record {
            time: self.now,
            ..r
        })
    }

    /// A record about a message: caused by the message's previous record, and the
    /// cause of its next one. Returns its id (0 when the trace is off).
    ///
    /// Inlined down to the trace check, so a run without a trace pays no call per
    /// record; building the record stays out of line.
    #[inline(always)]
    pub(crate) fn record_msg(
        &mut self,
        kind: TraceKind,
        at: Where,
        element: u32,
        msg: MsgId,
        detail: u32,
    ) -> u64 {
        if !self.trace.enabled() {
            return 0;
        }
        self.push_msg_record(kind, at, element, msg, detail)
    }

    #[inline(never)]
    fn push_msg_record(
        &mut self,
        kind: TraceKind,
        at: Where,
        element: u32,
        msg: MsgId,
        detail: u32,
    ) -> u64 {
        let m = &self.msgs[msg];
        let id = self.trace.push(Record {
            cause: m.cause,
            time: self.now,
            kind,
            at,
            element,
            correlation: m.corr_id,
            message: m.event_id,
            message_type: m.ty,
            detail,
            ..Record::BLANK
        });
        self.msgs[msg].cause = id;
        id
    }
}
