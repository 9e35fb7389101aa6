//! A handler's callback: the query it sends to another service, and how the waiting
//! attempt ends (answered, refused, or timed out).

use super::{Ev, Origin, Simulation};
use crate::sim::ids::{MsgId, ServiceId};
use crate::sim::plan::MsgKind;

impl Simulation {
    pub(super) fn start_callback(
        &mut self,
        service: ServiceId,
        msg: MsgId,
        callee: ServiceId,
        query: u32,
        timeout: u64,
    ) {
        let now = self.now;
        if self.services[callee].down {
            // Connection refused: the attempt fails at once.
            self.stats.services[service].callbacks_failed += 1;
            self.msgs[msg].will_fail = true;
            self.schedule_done(now, service, msg);
            return;
        }
        let m = &mut self.msgs[msg];
        m.waiting_callback = true;
        // A new token per callback: answers and timeouts of an earlier attempt's
        // callback no longer match.
        m.token = m.token.wrapping_add(1);
        let token = m.token;
        let (corr, key) = (m.corr, m.key);
        // The query is caused by the caller's start of handling.
        self.cause = m.cause;
        let event_id = self.new_event_id();
        let sent = self.send_request(
            callee,
            query,
            MsgKind::Query,
            corr,
            key,
            Origin::Callback { msg, token },
            event_id,
            0,
        );
        if sent.is_none() {
            // The callee's queue is full: refused, the attempt fails at once.
            let m = &mut self.msgs[msg];
            m.waiting_callback = false;
            m.will_fail = true;
            self.stats.services[service].callbacks_failed += 1;
            self.schedule_done(now, service, msg);
            return;
        }
        self.queue
            .push(now + timeout, Ev::CallbackTimeout { msg, token });
    }

    /// The callee answered a callback.
    pub(super) fn callback_answered(&mut self, msg: MsgId, token: u32) {
        if !self.awaits_callback(msg, token) {
            return;
        }
        let m = &mut self.msgs[msg];
        m.waiting_callback = false;
        // The caller finishes because the answer came: its completion is caused by
        // the callee's (the engine is acting on the callee's completion now).
        m.cause = self.cause;
        let (service, own) = (m.service, m.own_nanos);
        self.schedule_done(self.now + own, service, msg);
    }

    /// Is `msg` still waiting for the callback this `token` belongs to?
    fn awaits_callback(&self, msg: MsgId, token: u32) -> bool {
        let m = &self.msgs[msg];
        self.live[msg] && m.token == token && m.waiting_callback
    }

    pub(crate) fn callback_timeout(&mut self, msg: MsgId, token: u32) {
        if !self.awaits_callback(msg, token) {
            return;
        }
        let m = &mut self.msgs[msg];
        m.waiting_callback = false;
        m.token = m.token.wrapping_add(1);
        m.will_fail = true;
        let service = m.service;
        self.stats.services[service].callbacks_failed += 1;
        self.schedule_done(self.now, service, msg);
    }
}
