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
}
