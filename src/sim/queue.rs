//! The future-event list: a binary heap ordered by (time, sequence number).
//!
//! Events scheduled for the same instant come out in the order they were scheduled
//! (first in, first out), which is what makes a run reproducible: the sequence number
//! is the tie-breaker, never the payload or a memory address.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::SimTime;

/// One scheduled event.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: `BinaryHeap` is a max-heap and we want the earliest first.
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A min-priority queue of events keyed by time in nanoseconds, FIFO among equal
/// times.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<E> EventQueue<E> {
    /// An empty queue with room for `capacity` events before it grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Schedule `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// The earliest event, and its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// The earliest event if it is due at or before `deadline`.
    #[inline]
    pub fn pop_until(&mut self, deadline: SimTime) -> Option<(SimTime, E)> {
        let top = self.heap.peek_mut()?;
        if top.time > deadline {
            return None;
        }
        let e = std::collections::binary_heap::PeekMut::pop(top);
        Some((e.time, e.event))
    }

    /// Time of the earliest event, without removing it.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.time)
    }

    /// Every scheduled event with its time, in no particular order.
    pub fn scheduled(&self) -> impl Iterator<Item = (SimTime, &E)> {
        self.heap.iter().map(|e| (e.time, &e.event))
    }

    /// Events scheduled and not yet taken out.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Is no event scheduled?
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn earliest_first_and_fifo_among_ties() {
        let mut q = EventQueue::default();
        let t = SimTime::from_nanos;
        q.push(t(5), 'a');
        q.push(t(1), 'b');
        q.push(t(5), 'c');
        q.push(t(1), 'd');
        q.push(t(3), 'e');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['b', 'd', 'e', 'a', 'c']);
    }

    proptest! {
        #[test]
        fn pops_in_time_then_insertion_order(times in prop::collection::vec(0u64..20, 0..200)) {
            let mut q = EventQueue::default();
            for (i, t) in times.iter().enumerate() {
                q.push(SimTime::from_nanos(*t), i);
            }
            let mut expected: Vec<(u64, usize)> = times.iter().copied().zip(0..).collect();
            expected.sort();
            let popped: Vec<(u64, usize)> =
                std::iter::from_fn(|| q.pop().map(|(t, i)| (t.as_nanos(), i))).collect();
            prop_assert_eq!(popped, expected);
        }
    }
}
