//! Consumers' dedupe memory: which message ids each service's handlers have seen,
//! kept for the service's `dedupe_window` and then forgotten, oldest first, as a real
//! deduplication store (a table with a time to live, a bounded cache) does. That keeps
//! the memory of a run constant in a steady state, whatever its length.
//!
//! Each service's memory is a ring of [`SLICES`] + 1 tables, each holding the ids first
//! seen in one slice of the window (`time / SLICES` long). When time moves into a new
//! slice, the oldest table is cleared and reused: an id is forgotten between `time`
//! and `time × (1 + 1/SLICES)` after the consumer first saw it. More than `size` ids
//! at once forget the oldest slices early. Clearing reuses each table's room, so once
//! warm the memory neither grows nor allocates.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::Seen;
use crate::sim::SimTime;
use crate::sim::ids::ServiceId;

/// Slices of a window (one more table is the slice being filled).
pub(crate) const SLICES: u64 = 8;

/// (handler, event id).
type Key = (u32, u64);

/// A fast hash for engine ids (small integers, mostly sequential): a multiply and a
/// rotate per word. Only lookups use it, never iteration order, so runs stay
/// deterministic.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type Table = HashMap<Key, Seen, BuildHasherDefault<IdHasher>>;

/// One service's memory.
#[derive(Clone, Debug, Default)]
struct Memory {
    /// `SLICES + 1` tables once used; `tables[epoch % len]` is being filled.
    tables: Vec<Table>,
    /// The slice being filled: now / slice length.
    epoch: u64,
    /// Ids remembered now, over the tables.
    count: usize,
    /// Ids forgotten because the window passed or was full.
    forgotten: u64,
}

/// The dedupe memory of every consumer of a run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dedupe {
    services: Vec<Memory>,
}

impl Dedupe {
    /// Empty memories for `services` services (nothing is allocated until used).
    pub fn new(services: usize) -> Self {
        Self {
            services: vec![Memory::default(); services],
        }
    }

    /// What the consumer remembers of this id at `now`, having first forgotten what
    /// fell out of its window (`window_nanos` long).
    pub fn recall(
        &mut self,
        now: SimTime,
        (service, handler, event_id): (ServiceId, u32, u64),
        window_nanos: u64,
    ) -> Option<Seen> {
        let m = &mut self.services[service.index()];
        if !m.tables.is_empty() && window_nanos > 0 {
            m.advance(now.as_nanos() / window_nanos.div_ceil(SLICES));
        }
        self.get(service, handler, event_id)
    }

    /// What the consumer remembers of this id (as of its latest update).
    #[inline]
    pub fn get(&self, service: ServiceId, handler: u32, event_id: u64) -> Option<Seen> {
        let key = (handler, event_id);
        self.services[service.index()]
            .tables
            .iter()
            .find_map(|t| t.get(&key).copied())
    }

    /// Remember (or update) what the consumer knows of an id at `now`, forgetting what
    /// falls out of its window (`window_nanos` long, at most `size` ids). An update
    /// keeps the id where it was first remembered.
    pub fn remember(
        &mut self,
        now: SimTime,
        (service, handler, event_id): (ServiceId, u32, u64),
        seen: Seen,
        (window_nanos, size): (u64, u32),
    ) {
        let m = &mut self.services[service.index()];
        let key = (handler, event_id);
        if let Some(v) = m.tables.iter_mut().find_map(|t| t.get_mut(&key)) {
            *v = seen;
            return;
        }
        if window_nanos == 0 || size == 0 {
            return; // a consumer that remembers nothing
        }
        if m.tables.is_empty() {
            m.tables = vec![Table::default(); SLICES as usize + 1];
        }
        m.advance(now.as_nanos() / window_nanos.div_ceil(SLICES));
        let n = m.tables.len() as u64;
        m.tables[(m.epoch % n) as usize].insert(key, seen);
        m.count += 1;
        // Over the size: forget the oldest slices (never the one being filled).
        let mut oldest = m.epoch + 1;
        while m.count > size as usize && oldest < m.epoch + n {
            m.clear((oldest % n) as usize);
            oldest += 1;
        }
    }

    /// Forget an id at once (its message was given up: a later copy is new work).
    pub fn forget(&mut self, service: ServiceId, handler: u32, event_id: u64) {
        let m = &mut self.services[service.index()];
        let key = (handler, event_id);
        if m.tables.iter_mut().any(|t| t.remove(&key).is_some()) {
            m.count -= 1;
        }
    }

    /// Has this service forgotten any id because of its window?
    pub fn has_forgotten(&self, service: ServiceId) -> bool {
        self.services[service.index()].forgotten > 0
    }

    /// Ids remembered now, over every consumer.
    pub fn len(&self) -> usize {
        self.services.iter().map(|m| m.count).sum()
    }

    /// Heap memory held, estimated from the tables' room (for the checkpoint budget).
    pub fn approx_bytes(&self) -> usize {
        let slots: usize = self
            .services
            .iter()
            .flat_map(|m| &m.tables)
            .map(Table::capacity)
            .sum();
        slots * (size_of::<(Key, Seen)>() + 1) * 8 / 7
    }
}

impl Memory {
    /// Move to slice `epoch`, clearing the tables of the slices that fell out.
    fn advance(&mut self, epoch: u64) {
        let n = self.tables.len() as u64;
        let steps = epoch.saturating_sub(self.epoch).min(n);
        for i in 1..=steps {
            self.clear(((self.epoch + i) % n) as usize);
        }
        self.epoch = self.epoch.max(epoch);
    }

    fn clear(&mut self, table: usize) {
        let t = &mut self.tables[table];
        self.count -= t.len();
        self.forgotten += t.len() as u64;
        t.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: ServiceId = ServiceId(0);

    fn at(secs: u64) -> SimTime {
        SimTime::from_nanos(secs * 1_000_000_000)
    }

    #[test]
    fn ids_are_forgotten_once_the_window_has_passed() {
        let mut d = Dedupe::new(1);
        // 80 s in slices of 10 s.
        let window = (80_000_000_000, 100);
        d.remember(at(0), (S, 0, 1), Seen::Done(0), window);
        d.remember(at(45), (S, 0, 2), Seen::Done(0), window);
        d.remember(at(85), (S, 0, 3), Seen::Done(0), window);
        assert_eq!(d.get(S, 0, 1), Some(Seen::Done(0)), "within 80 s × 9/8");
        assert_eq!(
            d.recall(at(90), (S, 0, 1), window.0),
            None,
            "90 s after, forgotten"
        );
        d.remember(at(90), (S, 0, 4), Seen::Done(0), window);
        assert_eq!(d.get(S, 0, 2), Some(Seen::Done(0)));
        assert_eq!(d.len(), 3);
        assert!(d.has_forgotten(S));
        // A long quiet spell forgets everything.
        d.remember(at(10_000), (S, 0, 5), Seen::Done(0), window);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn an_update_stays_put_and_the_size_bound_forgets_the_oldest() {
        let mut d = Dedupe::new(1);
        let window = (80_000_000_000, 2);
        let running = Seen::Running(crate::sim::ids::MsgId(0));
        d.remember(at(0), (S, 0, 1), running, window);
        d.remember(at(15), (S, 0, 1), Seen::Done(0), window);
        assert_eq!((d.get(S, 0, 1), d.len()), (Some(Seen::Done(0)), 1));
        d.remember(at(25), (S, 0, 2), Seen::Done(0), window);
        d.remember(at(35), (S, 0, 3), Seen::Done(0), window);
        assert_eq!(d.get(S, 0, 1), None, "three ids in a memory of two");
        assert_eq!(d.len(), 2);
        d.forget(S, 0, 3);
        assert_eq!((d.get(S, 0, 3), d.len()), (None, 1));
    }

    #[test]
    fn a_zero_window_remembers_nothing() {
        let mut d = Dedupe::new(1);
        d.remember(at(1), (S, 0, 1), Seen::Done(0), (0, 100));
        assert_eq!((d.get(S, 0, 1), d.len()), (None, 0));
    }
}
