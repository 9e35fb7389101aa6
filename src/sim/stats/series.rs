//! A level sampled at the run's sample times, kept as the samples where it changed.
//!
//! Every service's queue and every consumer group's lag is sampled about 200 times a
//! run for charts and trend findings. Most elements of a big model are idle or steady,
//! so storing only changes makes the memory follow what moved, not elements × samples.

use crate::sim::SimTime;

/// The values of one level at the run's samples, as (sample number, new value) at
/// each change; before the first change the value is 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    changes: Vec<(u32, u64)>,
}

impl Series {
    /// The value at sample `k` (samples are recorded in order) is `value`.
    #[inline]
    pub fn record(&mut self, k: u32, value: u64) {
        if self.changes.last().map_or(0, |c| c.1) != value {
            self.changes.push((k, value));
        }
    }

    /// Changes stored.
    pub fn changes(&self) -> usize {
        self.changes.len()
    }

    /// Bytes the changes take.
    pub fn heap_bytes(&self) -> usize {
        self.changes.capacity() * std::mem::size_of::<(u32, u64)>()
    }

    /// (time, value) at each sample, given the run's sample times.
    pub fn points<'a>(&'a self, times: &'a [SimTime]) -> impl Iterator<Item = (SimTime, u64)> + 'a {
        let mut next = self.changes.iter().peekable();
        let mut value = 0;
        times.iter().enumerate().map(move |(k, t)| {
            while let Some(&&(at, v)) = next.peek() {
                if at as usize > k {
                    break;
                }
                value = v;
                next.next();
            }
            (*t, value)
        })
    }
}

/// The elements (services, or consumer groups) whose sampled level changed since the
/// last sample: only those are looked at when the next is taken, so a sample of a
/// model of 5,000 mostly idle services costs what changed, not 5,000 visits.
#[derive(Clone, Debug, Default)]
pub struct Changed {
    marked: Vec<bool>,
    list: Vec<u32>,
}

impl Changed {
    /// Note that element `i`'s level changed.
    #[inline]
    pub fn mark(&mut self, i: usize) {
        if i >= self.marked.len() {
            self.marked.resize(i + 1, false);
        }
        if !self.marked[i] {
            self.marked[i] = true;
            self.list.push(i as u32);
        }
    }

    /// The elements marked since the last call, in the order first marked; clears the
    /// marks.
    pub fn take(&mut self) -> Vec<u32> {
        let list = std::mem::take(&mut self.list);
        for &i in &list {
            self.marked[i as usize] = false;
        }
        list
    }

    /// Give back the list [`take`](Self::take) returned, emptied, to reuse its memory.
    pub fn give_back(&mut self, mut list: Vec<u32>) {
        if self.list.is_empty() {
            list.clear();
            self.list = list;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_give_back_every_sample() {
        let values = [0u64, 0, 3, 3, 3, 1, 0, 0, 7];
        let times: Vec<SimTime> = (0..values.len() as u64).map(SimTime::from_nanos).collect();
        let mut s = Series::default();
        for (k, v) in values.iter().enumerate() {
            s.record(k as u32, *v);
        }
        assert_eq!(s.changes(), 4);
        let back: Vec<u64> = s.points(&times).map(|(_, v)| v).collect();
        assert_eq!(back, values);
        assert_eq!(Series::default().points(&times).count(), values.len());
    }

    #[test]
    fn changed_lists_each_element_once_until_taken() {
        let mut c = Changed::default();
        for i in [3, 1, 3, 7, 1] {
            c.mark(i);
        }
        assert_eq!(c.take(), vec![3, 1, 7]);
        assert!(c.take().is_empty());
        c.mark(1);
        assert_eq!(c.take(), vec![1]);
    }
}
