//! Simulated time.
//!
//! An instant is a [`SimTime`]: integer nanoseconds since the run started. A length of
//! time stays a plain count of nanoseconds (`u64`, in names ending in `_nanos`), so
//! the two cannot be confused: `later - earlier` is the nanoseconds between two
//! instants, `instant + nanos` is a later instant (saturating at the end of time).

use std::fmt;
use std::ops::{Add, Sub};

use serde::Serialize;

/// A point in simulated time: nanoseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SimTime(u64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0);
    /// Later than any run can reach.
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// The instant `nanos` nanoseconds after the start.
    pub const fn from_nanos(nanos: u64) -> SimTime {
        SimTime(nanos)
    }

    /// Nanoseconds since the start.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// The instant `secs` seconds after the start (negative or not-a-number: the
    /// start; beyond the range: [`SimTime::MAX`]).
    pub fn from_secs_f64(secs: f64) -> SimTime {
        // `as` saturates and maps NaN to 0, which is what is wanted here.
        SimTime((secs * 1e9) as u64)
    }

    /// Seconds since the start.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }

    /// Nanoseconds from `earlier` to `self`; 0 when `earlier` is not earlier.
    pub fn nanos_since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// A later instant; saturates at [`SimTime::MAX`].
impl Add<u64> for SimTime {
    type Output = SimTime;

    #[inline]
    fn add(self, nanos: u64) -> SimTime {
        SimTime(self.0.saturating_add(nanos))
    }
}

/// Nanoseconds between two instants, the later first (an earlier minus a later one
/// is a bug: it overflows like any `u64` subtraction).
impl Sub for SimTime {
    type Output = u64;

    #[inline]
    fn sub(self, earlier: SimTime) -> u64 {
        self.0 - earlier.0
    }
}

/// Seconds with millisecond precision: `12.345 s`.
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} s", self.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_lengths() {
        let t = SimTime::from_nanos(1_500_000_000);
        assert_eq!(t.as_secs_f64(), 1.5);
        assert_eq!(SimTime::from_secs_f64(1.5), t);
        assert_eq!((t + 500) - t, 500);
        assert_eq!(SimTime::MAX + 1, SimTime::MAX);
        assert_eq!(t.nanos_since(t + 1), 0);
        assert_eq!(SimTime::from_secs_f64(-1.0), SimTime::ZERO);
        assert_eq!(SimTime::from_secs_f64(f64::NAN), SimTime::ZERO);
        assert_eq!(t.to_string(), "1.500 s");
        assert_eq!(serde_json::to_string(&t).unwrap(), "1500000000");
    }
}
