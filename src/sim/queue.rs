//! The future-event list: a 4-ary heap ordered by (time, sequence number).
//!
//! Events scheduled for the same instant come out in the order they were scheduled
//! (first in, first out), which is what makes a run reproducible: the sequence number
//! is the tie-breaker, never the payload or a memory address. The (time, sequence)
//! keys are all distinct, so the order events come out in is fully determined by the
//! keys and does not depend on the heap's shape.
//!
//! The heap is written out here rather than taken from `std::collections::BinaryHeap`
//! so that an event is moved as a plain copy and the order is one comparison of a
//! packed (time, sequence) key. Four children per node halve the depth of a binary
//! heap, and with it the entries a push or pop moves (the cost that dominates with
//! 32-byte entries). On pop, the hole at the root walks down along the earliest child
//! to a leaf, then the last entry moves up into place.

use super::SimTime;

/// Children per node.
const ARITY: usize = 4;

/// One scheduled event.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    /// Is this entry due before `other`: earlier, or as early and scheduled first?
    #[inline(always)]
    fn before(&self, other: &Self) -> bool {
        let key = |e: &Self| (u128::from(e.time.as_nanos()) << 64) | u128::from(e.seq);
        key(self) < key(other)
    }
}

/// Put `entry` in the hole at `pos` of the heap `h`, or above it: it rises past every
/// parent due after it (the same walk for a push and for the entry that refills the
/// root after a pop).
#[inline(always)]
fn sift_up<E: Copy>(h: &mut [Entry<E>], mut pos: usize, entry: Entry<E>) {
    while pos > 0 {
        let parent = (pos - 1) / ARITY;
        if !entry.before(&h[parent]) {
            break;
        }
        h[pos] = h[parent];
        pos = parent;
    }
    h[pos] = entry;
}

/// The earliest of the four children starting at `first`: two pairs, then their
/// winners (keys are distinct, so no tie needs breaking).
#[inline(always)]
fn earliest_of_four<E>(h: &[Entry<E>], first: usize) -> usize {
    let k = &h[first..first + ARITY];
    let a = usize::from(k[1].before(&k[0]));
    let b = 2 + usize::from(k[3].before(&k[2]));
    first + if k[b].before(&k[a]) { b } else { a }
}

/// The earliest of the children `first..end` of a node (fewer than four).
#[inline(always)]
fn earliest_of_few<E>(h: &[Entry<E>], first: usize, end: usize) -> usize {
    let mut best = first;
    for c in first + 1..end {
        if h[c].before(&h[best]) {
            best = c;
        }
    }
    best
}

/// A min-priority queue of events keyed by time in nanoseconds, FIFO among equal
/// times.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    /// A 4-ary min-heap: every entry is due before its children (`4i + 1` to `4i + 4`).
    heap: Vec<Entry<E>>,
    next_seq: u64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue with room for `capacity` events before it grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: Vec::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Schedule `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let new = Entry { time, seq, event };
        let pos = self.heap.len();
        self.heap.push(new);
        sift_up(&mut self.heap, pos, new);
    }

    /// The earliest event, and its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let top = *self.heap.first()?;
        self.remove_top();
        Some((top.time, top.event))
    }

    /// The earliest event if it is due at or before `deadline`.
    #[inline(always)]
    pub fn pop_until(&mut self, deadline: SimTime) -> Option<(SimTime, E)> {
        let top = *self.heap.first()?;
        if top.time > deadline {
            return None;
        }
        self.remove_top();
        Some((top.time, top.event))
    }

    /// Take the root out: the last entry fills its place.
    #[inline]
    fn remove_top(&mut self) {
        let Some(last) = self.heap.pop() else {
            return;
        };
        let h = &mut self.heap[..];
        let n = h.len();
        if n == 0 {
            return; // the root was the last entry
        }
        // The hole walks from the root to a leaf, always to the earliest child ...
        let mut pos = 0;
        let mut child = 1;
        while child + ARITY <= n {
            let best = earliest_of_four(h, child);
            h[pos] = h[best];
            pos = best;
            child = ARITY * pos + 1;
        }
        if child < n {
            let best = earliest_of_few(h, child, n);
            h[pos] = h[best];
            pos = best;
        }
        // ... and the last entry, taken from a leaf, rises from there to its place.
        sift_up(h, pos, last);
    }

    /// Time of the earliest event, without removing it.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(|e| e.time)
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

        /// Pushes and pops interleaved, against `std`'s heap of the same keys: the same
        /// events come out in the same order, and the same ones stay scheduled.
        #[test]
        fn same_as_std_binary_heap(ops in prop::collection::vec((0u64..30, any::<bool>()), 0..300)) {
            use std::cmp::Reverse;
            use std::collections::BinaryHeap;
            let mut q = EventQueue::default();
            let mut std_heap = BinaryHeap::new();
            for (seq, (t, pop)) in ops.into_iter().enumerate() {
                if pop {
                    let ours = q.pop_until(SimTime::from_nanos(25)).map(|(t, e)| (t.as_nanos(), e));
                    let theirs = match std_heap.peek() {
                        Some(&Reverse((t, _))) if t <= 25 => std_heap.pop().map(|Reverse(k)| k),
                        _ => None,
                    };
                    prop_assert_eq!(ours, theirs);
                } else {
                    q.push(SimTime::from_nanos(t), seq);
                    std_heap.push(Reverse((t, seq)));
                }
                let mut scheduled: Vec<(u64, usize)> =
                    q.scheduled().map(|(t, e)| (t.as_nanos(), *e)).collect();
                let mut std_scheduled: Vec<(u64, usize)> = std_heap.iter().map(|r| r.0).collect();
                scheduled.sort_unstable();
                std_scheduled.sort_unstable();
                prop_assert_eq!(scheduled, std_scheduled);
            }
        }
    }
}
