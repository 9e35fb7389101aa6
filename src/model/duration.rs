//! Durations as people write them: `"250ms"`, `"30s"`, `"1m30s"`, `"7d"`.
//!
//! Inside, a duration is a whole number of nanoseconds (`u64`), the same unit the
//! simulator's clock uses. Parsing accepts everything [`humantime`] accepts (`"1h 30m"`,
//! `"1.5s"`, `"2 days"`); saving always writes the canonical compact form, so a saved
//! model is stable byte for byte.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

const NANOS_PER_MICRO: u64 = 1_000;
const NANOS_PER_MILLI: u64 = 1_000_000;
const NANOS_PER_SEC: u64 = 1_000_000_000;
const NANOS_PER_MIN: u64 = 60 * NANOS_PER_SEC;
const NANOS_PER_HOUR: u64 = 60 * NANOS_PER_MIN;
const NANOS_PER_DAY: u64 = 24 * NANOS_PER_HOUR;

/// Units used when writing a duration, largest first.
const UNITS: [(u64, &str); 7] = [
    (NANOS_PER_DAY, "d"),
    (NANOS_PER_HOUR, "h"),
    (NANOS_PER_MIN, "m"),
    (NANOS_PER_SEC, "s"),
    (NANOS_PER_MILLI, "ms"),
    (NANOS_PER_MICRO, "us"),
    (1, "ns"),
];

/// A span of simulated time, in nanoseconds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Duration {
    nanos: u64,
}

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration { nanos: 0 };

    /// A duration of `nanos` nanoseconds.
    pub const fn from_nanos(nanos: u64) -> Self {
        Self { nanos }
    }

    /// A duration of `millis` milliseconds.
    pub const fn from_millis(millis: u64) -> Self {
        Self {
            nanos: millis * NANOS_PER_MILLI,
        }
    }

    /// A duration of `secs` whole seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Self {
            nanos: secs * NANOS_PER_SEC,
        }
    }

    /// The duration in nanoseconds.
    pub const fn as_nanos(self) -> u64 {
        self.nanos
    }

    /// The duration in seconds, with fractions.
    pub fn as_secs_f64(self) -> f64 {
        self.nanos as f64 / NANOS_PER_SEC as f64
    }

    /// Is this no time at all?
    pub const fn is_zero(self) -> bool {
        self.nanos == 0
    }
}

/// Why a duration could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {text:?}: {reason}")]
pub struct DurationError {
    /// The text that was read.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |reason: String| DurationError {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(fail(
                "it is empty; write e.g. \"250ms\", \"30s\" or \"7d\"".into(),
            ));
        }
        if trimmed == "0" {
            return Ok(Duration::ZERO);
        }
        if trimmed.starts_with('-') {
            return Err(fail("durations cannot be negative".into()));
        }
        let std = humantime::parse_duration(trimmed).map_err(|e| {
            use humantime::DurationError as E;
            fail(match e {
                E::UnknownUnit { unit, .. } if unit.is_empty() => {
                    "the number has no unit".to_owned()
                }
                E::UnknownUnit { unit, .. } => format!("unknown unit \"{unit}\""),
                E::NumberExpected(_) => "expected a number before each unit".to_owned(),
                E::InvalidCharacter(at) => {
                    let c = trimmed[at..].chars().next().unwrap_or(' ');
                    format!("unexpected character '{c}'")
                }
                E::NumberOverflow => {
                    "the number is too large or too precise (the unit is 1ns)".to_owned()
                }
                E::Empty => "it is empty".to_owned(),
            })
        })?;
        let nanos = u64::try_from(std.as_nanos())
            .map_err(|_| fail("too long: the limit is about 584 years".into()))?;
        Ok(Duration { nanos })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.nanos;
        for (size, unit) in UNITS {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl TryFrom<String> for Duration {
    type Error = DurationError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Duration> for String {
    fn from(value: Duration) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_what_people_write() {
        let cases = [
            ("250ms", Duration::from_millis(250)),
            ("30s", Duration::from_secs(30)),
            ("7d", Duration::from_secs(7 * 86_400)),
            ("1m30s", Duration::from_secs(90)),
            ("1h 30m", Duration::from_secs(5_400)),
            ("1.5s", Duration::from_millis(1_500)),
            ("0", Duration::ZERO),
            ("20us", Duration::from_nanos(20_000)),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<Duration>(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn writes_the_canonical_compact_form() {
        assert_eq!(Duration::from_secs(90).to_string(), "1m30s");
        assert_eq!(Duration::from_millis(1_500).to_string(), "1s500ms");
        assert_eq!(Duration::from_secs(7 * 86_400).to_string(), "7d");
        assert_eq!(Duration::ZERO.to_string(), "0s");
        assert_eq!(Duration::from_nanos(1).to_string(), "1ns");
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        for bad in ["", "fast", "3x", "-5s", "10", "s"] {
            let err = bad.parse::<Duration>().unwrap_err();
            assert!(!err.reason.is_empty(), "{bad}");
        }
        assert!(
            "-5s"
                .parse::<Duration>()
                .unwrap_err()
                .reason
                .contains("negative")
        );
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(nanos in any::<u64>()) {
            let d = Duration::from_nanos(nanos);
            prop_assert_eq!(d.to_string().parse::<Duration>(), Ok(d));
        }
    }
}
