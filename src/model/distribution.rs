//! Latency distributions, written with named parameters.

use serde::{Deserialize, Serialize};

use super::Duration;

/// How long something takes. Each variant is written the way an engineer describes a
/// latency: a fixed value, an exponential with a mean, a uniform range, or a log-normal
/// given by its median and 99th percentile (the usual shape of service latencies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Distribution {
    /// Always exactly this long: `Constant("40ms")`.
    Constant(Duration),
    /// Memoryless, with this mean: `Exponential(mean: "1s")`.
    Exponential {
        /// The mean.
        mean: Duration,
    },
    /// Anywhere between `min` and `max`, all equally likely.
    Uniform {
        /// The shortest value.
        min: Duration,
        /// The longest value.
        max: Duration,
    },
    /// Log-normal with the given median and 99th percentile; `p99 >= p50`.
    LogNormal {
        /// The median.
        p50: Duration,
        /// The 99th percentile.
        p99: Duration,
    },
}

impl Distribution {
    /// The mean of the distribution, in seconds (used for capacity estimates).
    pub fn mean_secs(&self) -> f64 {
        match *self {
            Distribution::Constant(d) => d.as_secs_f64(),
            Distribution::Exponential { mean } => mean.as_secs_f64(),
            Distribution::Uniform { min, max } => (min.as_secs_f64() + max.as_secs_f64()) / 2.0,
            Distribution::LogNormal { p50, p99 } => {
                let (mu, sigma) = lognormal_params(p50, p99);
                (mu + sigma * sigma / 2.0).exp()
            }
        }
    }
}

/// The z-score of the 99th percentile of the standard normal distribution.
pub const Z_P99: f64 = 2.326_347_874_040_841;

/// `(mu, sigma)` of the underlying normal for a log-normal with this median and p99,
/// in log-seconds. A zero median is treated as one nanosecond.
pub fn lognormal_params(p50: Duration, p99: Duration) -> (f64, f64) {
    let median = p50.as_secs_f64().max(1e-9);
    let tail = p99.as_secs_f64().max(median);
    let mu = median.ln();
    let sigma = (tail.ln() - mu) / Z_P99;
    (mu, sigma)
}

impl Default for Distribution {
    fn default() -> Self {
        Distribution::Constant(Duration::from_millis(10))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means() {
        let ms = Duration::from_millis;
        assert_eq!(Distribution::Constant(ms(40)).mean_secs(), 0.040);
        assert_eq!(Distribution::Exponential { mean: ms(500) }.mean_secs(), 0.5);
        assert_eq!(
            Distribution::Uniform {
                min: ms(10),
                max: ms(30)
            }
            .mean_secs(),
            0.020
        );
        // A log-normal with p99 == p50 has no spread: its mean is its median.
        let flat = Distribution::LogNormal {
            p50: ms(40),
            p99: ms(40),
        }
        .mean_secs();
        assert!((flat - 0.040).abs() < 1e-12);
        // With a heavy tail the mean lies above the median.
        let tailed = Distribution::LogNormal {
            p50: ms(40),
            p99: ms(400),
        }
        .mean_secs();
        assert!(tailed > 0.040 && tailed < 0.400, "{tailed}");
    }
}
