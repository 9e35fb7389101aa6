//! Latency counts in log-linear bins with 2 significant digits: the layout, bins and
//! percentile rule of HdrHistogram (lowest value 1, 2 significant digits), recorded
//! in a few instructions.
//!
//! Values below 256 have a bin each; above, every power of two is split into 128
//! bins, so a bin spans under 1% of its values. A test checks every figure against
//! the `hdrhistogram` crate, which the engine used before: the reports are the same.

/// Bins of the linear part (values 0–255), and of each power of two above, halved.
const HALF_MAGNITUDE: u32 = 7;
/// Bins allocated at the first sample; the window grows by at least half its size
/// at a time, so a histogram's memory follows the spread of its values (a few
/// kilobytes for latencies within a factor of ten), not the range a value could have.
const FIRST_BINS: usize = 64;
/// Samples kept as bare bin numbers before the window is allocated. A window spans
/// the spread of the values, often well over a thousand bins; most services of a
/// short run of a big model see far fewer samples, and then take 4 bytes a sample
/// instead of a window grown (and copied) several times.
const SPARSE: usize = 256;
/// `lo` while the samples are kept as bin numbers (no window yet): far above every
/// bin, so `record`'s window test always misses and takes the cold path.
const SPARSE_LO: usize = usize::MAX / 2;

/// Counts per bin for a window of bins `lo..lo + counts.len()`; empty until the
/// first sample. Until [`SPARSE`] samples, `lo` is [`SPARSE_LO`] and `counts` holds
/// each sample's bin number instead.
///
/// A bin counts in 32 bits, which halves the memory (and the cache lines) of a
/// histogram per service; a bin that wraps past `u32::MAX` adds 2^32 to its entry in
/// `carries`, so counts stay exact however long the run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bins {
    lo: usize,
    counts: Vec<u32>,
    /// (bin, 2^32 × wraps) for bins whose count wrapped; almost always empty.
    carries: Vec<(usize, u64)>,
}

/// The bin of `value` (values below 1 count as 1, as the histogram's lowest value).
#[inline]
fn index(value: u64) -> usize {
    let v = value.max(1);
    // The power of two above the linear part: 0 for values below 256.
    let bucket = 56 - (v | 255).leading_zeros();
    ((bucket as usize) << HALF_MAGNITUDE) + (v >> bucket) as usize
}

/// The lowest value of bin `i`, and the width of its range.
#[inline]
fn bin_range(i: usize) -> (u64, u64) {
    if i < 256 {
        (i as u64, 1)
    } else {
        let bucket = (i >> HALF_MAGNITUDE) as u32 - 1;
        let sub = (i & 127) as u64 + 128;
        (sub << bucket, 1 << bucket)
    }
}

/// The highest value bin `i` holds.
#[inline]
fn highest(i: usize) -> u64 {
    let (low, width) = bin_range(i);
    low.saturating_add(width) - 1
}

impl Bins {
    /// Count one sample.
    #[inline]
    pub(crate) fn record(&mut self, value: u64) {
        let i = index(value);
        match self.counts.get_mut(i.wrapping_sub(self.lo)) {
            Some(c) => {
                *c = c.wrapping_add(1);
                if *c == 0 {
                    self.carry(i);
                }
            }
            None => self.grow_and_record(i),
        }
    }

    /// Bin `i`'s 32-bit count wrapped to 0: keep the 2^32 it lost.
    #[cold]
    #[inline(never)]
    fn carry(&mut self, i: usize) {
        match self.carries.iter_mut().find(|(b, _)| *b == i) {
            Some((_, c)) => *c += 1 << 32,
            None => self.carries.push((i, 1 << 32)),
        }
    }

    /// The exact count of the bin at position `j` of the window.
    #[inline]
    fn count_at(&self, j: usize) -> u64 {
        let c = u64::from(self.counts[j]);
        if self.carries.is_empty() {
            return c;
        }
        let i = self.lo + j;
        c + self
            .carries
            .iter()
            .find(|(b, _)| *b == i)
            .map_or(0, |(_, w)| *w)
    }

    /// Widen the window to take bin `i`, then count it.
    #[cold]
    #[inline(never)]
    fn grow_and_record(&mut self, i: usize) {
        if self.counts.is_empty() || self.lo == SPARSE_LO {
            if self.counts.len() < SPARSE {
                self.lo = SPARSE_LO;
                self.counts.push(i as u32);
                return;
            }
            *self = Self::window_of(&self.counts);
        }
        if !(self.lo..self.lo + self.counts.len()).contains(&i) {
            let (lo, hi) = (self.lo, self.lo + self.counts.len());
            let more = (self.counts.len() / 2).max(FIRST_BINS);
            if i < lo {
                let new_lo = i.saturating_sub(more);
                let mut counts = vec![0; hi - new_lo];
                counts[lo - new_lo..].copy_from_slice(&self.counts);
                self.lo = new_lo;
                self.counts = counts;
            } else {
                self.counts.resize(i + 1 + more - lo, 0);
            }
        }
        self.counts[i - self.lo] += 1;
    }

    /// A window over the bin numbers `bins` (sparse samples) with room around them,
    /// counting each.
    fn window_of(bins: &[u32]) -> Self {
        let (min, max) = bins.iter().fold((usize::MAX, 0), |(lo, hi), &b| {
            (lo.min(b as usize), hi.max(b as usize))
        });
        let more = ((max - min) / 2).max(FIRST_BINS / 2);
        let lo = min.saturating_sub(more);
        let mut counts = vec![0; max + 1 + more - lo];
        for &b in bins {
            counts[b as usize - lo] += 1;
        }
        Self {
            lo,
            counts,
            carries: Vec::new(),
        }
    }

    /// The sparse samples' bin numbers, in order (empty once there is a window).
    fn sparse_sorted(&self) -> Vec<u32> {
        if self.lo != SPARSE_LO {
            return Vec::new();
        }
        let mut bins = self.counts.clone();
        bins.sort_unstable();
        bins
    }

    /// The value below which `percentile` % of the `total` samples lie, as the
    /// highest value of its bin (the lowest for percentile 0); 0 when empty.
    pub(crate) fn value_at_percentile(&self, percentile: f64, total: u64) -> u64 {
        // The same arithmetic as HdrHistogram's `value_at_quantile`, so the same bin.
        let quantile = percentile / 100.0;
        let quantile = if quantile > 1.0 { 1.0 } else { quantile };
        let target = ((quantile * total as f64).ceil() as u64).max(1);
        let at = |i: usize| {
            if quantile == 0.0 {
                bin_range(i).0
            } else {
                highest(i)
            }
        };
        if self.lo == SPARSE_LO {
            // One sample at a time in bin order: the first to reach the target is in
            // the bin a walk over counted bins stops at.
            let sorted = self.sparse_sorted();
            return (sorted.iter().zip(1u64..))
                .find(|&(_, seen)| seen >= target)
                .map_or(0, |(&i, _)| at(i as usize));
        }
        let mut seen = 0u64;
        for j in 0..self.counts.len() {
            seen = seen.saturating_add(self.count_at(j));
            if seen >= target {
                return at(self.lo + j);
            }
        }
        0
    }

    /// Bytes the counts take.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.counts.capacity() * std::mem::size_of::<u32>()
            + self.carries.capacity() * std::mem::size_of::<(usize, u64)>()
    }

    /// Every bin with a sample: (the highest value it holds, its count), in order.
    pub(crate) fn recorded(&self) -> Vec<(u64, u64)> {
        if self.lo == SPARSE_LO {
            let mut out: Vec<(u64, u64)> = Vec::new();
            for i in self.sparse_sorted() {
                let v = highest(i as usize);
                match out.last_mut() {
                    Some((last, c)) if *last == v => *c += 1,
                    _ => out.push((v, 1)),
                }
            }
            return out;
        }
        (0..self.counts.len())
            .map(|j| (j, self.count_at(j)))
            .filter(|(_, c)| *c > 0)
            .map(|(j, c)| (highest(self.lo + j), c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hdr() -> hdrhistogram::Histogram<u64> {
        let mut h = hdrhistogram::Histogram::new_with_bounds(1, 1_000_000_000_000_000, 2).unwrap();
        h.auto(true);
        h
    }

    #[test]
    fn bins_are_hdrhistograms() {
        let h = hdr();
        for v in (0..5_000u64)
            .chain((0..60).map(|s| 1u64 << s))
            .chain([u64::MAX / 4, 1_000_000_000_000_000])
        {
            let i = index(v);
            let v = v.max(1);
            assert_eq!(bin_range(i).0, h.lowest_equivalent(v), "lowest of {v}");
            assert_eq!(highest(i), h.highest_equivalent(v), "highest of {v}");
        }
    }

    #[test]
    fn memory_follows_the_spread_of_the_values() {
        let mut b = Bins::default();
        // The first samples at 100 ms make a window there; then latencies from 20 to
        // 200 ms, in both directions of growth.
        let first = (0..SPARSE).map(|_| 100u64);
        for ms in first.chain((20..=200).rev()).chain(20..=200) {
            b.record(ms * 1_000_000);
        }
        assert!(b.counts.len() < 800, "{} bins", b.counts.len());
        let total = SPARSE as u64 + 362;
        assert_eq!(b.recorded().iter().map(|(_, c)| c).sum::<u64>(), total);
        b.record(0);
        b.record(u64::MAX / 4);
        assert_eq!(b.recorded().iter().map(|(_, c)| c).sum::<u64>(), total + 2);
    }

    #[test]
    fn a_wrapped_bin_keeps_its_count() {
        let mut b = Bins::default();
        b.record(5);
        for _ in 0..SPARSE {
            b.record(1_000);
        }
        assert_ne!(b.lo, SPARSE_LO, "a window after {SPARSE} samples");
        let j = index(1_000) - b.lo;
        b.counts[j] = u32::MAX;
        b.record(1_000);
        b.record(1_000);
        let wide = (1u64 << 32) + 1;
        assert_eq!(b.recorded(), vec![(5, 1), (highest(index(1_000)), wide)]);
        assert_eq!(b.value_at_percentile(50.0, wide + 1), highest(index(1_000)));
        assert_eq!(b.value_at_percentile(0.0, wide + 1), 5);
    }

    proptest! {
        #[test]
        fn percentiles_and_bins_are_hdrhistograms(
            small in prop::collection::vec(0u64..100_000_000_000, 1..300),
            large in prop::collection::vec(0u64..u64::MAX / 4, 0..5),
        ) {
            let (mut h, mut b) = (hdr(), Bins::default());
            for &v in small.iter().chain(&large) {
                h.record(v.max(1)).unwrap();
                b.record(v);
            }
            let n = h.len();
            for q in [0.0, 0.1, 1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0, 150.0, -1.0] {
                prop_assert_eq!(b.value_at_percentile(q, n), h.value_at_percentile(q), "p{}", q);
            }
            let theirs: Vec<(u64, u64)> =
                h.iter_recorded().map(|v| (v.value_iterated_to(), v.count_at_value())).collect();
            prop_assert_eq!(b.recorded(), theirs);
        }
    }
}
