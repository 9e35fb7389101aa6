//! Drawing latencies and arrivals from the model's distributions.
//!
//! Each distribution is turned once into a sampler with its parameters precomputed;
//! every draw comes from the run's single seeded generator.

use rand::Rng;
use rand_distr::{Distribution as _, Exp, LogNormal};

use crate::model::{Distribution, lognormal_params};

/// The one random generator of a run: ChaCha8, seeded from the model's seed.
pub type SimRng = rand_chacha::ChaCha8Rng;

/// A latency distribution ready to draw from, in nanoseconds.
#[derive(Clone, Debug)]
pub enum Sampler {
    /// Always this many nanoseconds.
    Constant(u64),
    /// Exponential, with its rate per nanosecond (1 / mean).
    Exponential(Exp<f64>),
    /// Uniform over whole nanoseconds from `min` to `max`, both included.
    Uniform {
        /// Shortest draw, in nanoseconds.
        min: u64,
        /// Longest draw, in nanoseconds.
        max: u64,
    },
    /// Log-normal over nanoseconds (`mu` is the log of the median in nanoseconds).
    LogNormal(LogNormal<f64>),
}

impl Sampler {
    /// Build a sampler; parameters the validator would reject fall back to the
    /// nearest meaningful value (a zero mean becomes a constant zero).
    pub fn new(d: &Distribution) -> Self {
        match *d {
            Distribution::Constant(v) => Sampler::Constant(v.as_nanos()),
            Distribution::Exponential { mean } => match Exp::new(1.0 / mean.as_nanos() as f64) {
                Ok(exp) if mean.as_nanos() > 0 => Sampler::Exponential(exp),
                _ => Sampler::Constant(0),
            },
            Distribution::Uniform { min, max } => Sampler::Uniform {
                min: min.as_nanos().min(max.as_nanos()),
                max: max.as_nanos().max(min.as_nanos()),
            },
            Distribution::LogNormal { p50, p99 } => {
                let (mu, sigma) = lognormal_params(p50, p99);
                // In nanoseconds: shift mu by ln(1e9).
                match LogNormal::new(mu + 1e9f64.ln(), sigma.max(0.0)) {
                    Ok(d) => Sampler::LogNormal(d),
                    Err(_) => Sampler::Constant(p50.as_nanos()),
                }
            }
        }
    }

    /// One draw, in nanoseconds.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        match self {
            Sampler::Constant(v) => (*v).min(MAX_DRAW_NANOS),
            Sampler::Exponential(exp) => to_nanos(exp.sample(rng)),
            Sampler::Uniform { min, max } => {
                if min == max {
                    *min
                } else {
                    rng.random_range(*min..=*max)
                }
            }
            Sampler::LogNormal(d) => to_nanos(d.sample(rng)),
        }
    }
}

/// Longest single delay a draw can produce (about 146 years), so that adding it to
/// the clock can never overflow.
pub const MAX_DRAW_NANOS: u64 = u64::MAX / 4;

#[inline]
fn to_nanos(x: f64) -> u64 {
    // Float-to-int casts saturate: negative and NaN become 0.
    (x as u64).min(MAX_DRAW_NANOS)
}

/// An exponential inter-arrival time with the given rate per second, in nanoseconds.
#[inline]
pub fn exp_interval(rng: &mut SimRng, per_sec: f64) -> u64 {
    let u: f64 = rng.random();
    to_nanos(-(1.0 - u).ln() / per_sec * 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Duration;
    use rand::SeedableRng;

    fn mean_of(s: &Sampler, n: usize) -> f64 {
        let mut rng = SimRng::seed_from_u64(1);
        (0..n).map(|_| s.sample(&mut rng) as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_distribution() {
        let ms = Duration::from_millis;
        let exp = Sampler::new(&Distribution::Exponential { mean: ms(40) });
        assert!((mean_of(&exp, 200_000) / 40e6 - 1.0).abs() < 0.01);
        let uni = Sampler::new(&Distribution::Uniform {
            min: ms(10),
            max: ms(30),
        });
        assert!((mean_of(&uni, 200_000) / 20e6 - 1.0).abs() < 0.01);
        let d = Distribution::LogNormal {
            p50: ms(40),
            p99: ms(400),
        };
        let ln = Sampler::new(&d);
        assert!((mean_of(&ln, 400_000) / (d.mean_secs() * 1e9) - 1.0).abs() < 0.03);
    }

    #[test]
    fn lognormal_percentiles_are_the_ones_asked_for() {
        let ms = Duration::from_millis;
        let ln = Sampler::new(&Distribution::LogNormal {
            p50: ms(40),
            p99: ms(400),
        });
        let mut rng = SimRng::seed_from_u64(2);
        let mut v: Vec<u64> = (0..100_000).map(|_| ln.sample(&mut rng)).collect();
        v.sort_unstable();
        let p50 = v[50_000] as f64 / 1e6;
        let p99 = v[99_000] as f64 / 1e6;
        assert!((p50 / 40.0 - 1.0).abs() < 0.03, "p50 {p50}");
        assert!((p99 / 400.0 - 1.0).abs() < 0.08, "p99 {p99}");
    }
}
