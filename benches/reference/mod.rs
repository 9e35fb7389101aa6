//! The floor: a hand-written event loop for one fixed model, `models/bench/tandem.ron`
//! (Poisson arrivals through a row of single-worker stations with exponential
//! handling times), written the way one would without a simulator library.
//!
//! It computes what the engine's report gives for that model, so the ratio of the two
//! times is the price of the engine's generality:
//!
//! - per station: arrivals, completions, the busy-time integral (utilisation), the
//!   queue-length integral and maximum (mean and max queue), the summed wait
//!   (arrival to start), time in system as an exact sum, count and maximum plus a
//!   log-linear histogram with 2 significant digits (p50/p95/p99, as the engine's
//!   HdrHistogram keeps them), and 200 queue-length samples for the chart;
//! - per job: the end-to-end latency (sum, maximum, histogram) and the count of jobs
//!   finished.
//!
//! It draws from the engine's generator (ChaCha8, seeded from the model's seed), with
//! the engine's two ways of drawing (`-ln(1-u)/rate` for inter-arrival times,
//! `rand_distr::Exp` for handling times), so the ratio measures the engine's structure
//! and not a choice of generator. What it leaves out, because the engine does it for
//! generality and the report of this model does not need it: the trace, message and
//! correlation-id slabs with reference counts, message kinds, types and routing
//! tables, fault, retry and callback checks, and the per-event dispatch over every
//! kind of event the engine knows. Events with the same time come out first in, first
//! out (a sequence number breaks ties), like the engine's.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp};

/// The model: arrivals per second, each station's mean handling time, how long, seed.
#[derive(Clone, Debug)]
pub struct Params {
    /// Poisson arrivals per second at the first station.
    pub per_sec: f64,
    /// Mean handling time of each station, in nanoseconds.
    pub mean_nanos: Vec<u64>,
    /// Length of the run, in nanoseconds.
    pub duration_nanos: u64,
    /// Seed of the generator.
    pub seed: u64,
}

/// Charts get this many samples per run, as the engine's `LAG_SAMPLES`.
const SAMPLES: u64 = 200;

/// A latency histogram with 2 significant digits, laid out like HdrHistogram's
/// (256 linear sub-buckets, then 128 per power of two).
#[derive(Clone, Debug)]
pub struct Hist {
    counts: Vec<u64>,
    /// Samples recorded.
    pub count: u64,
    /// Their sum, in nanoseconds.
    pub sum: u128,
    /// The largest, in nanoseconds.
    pub max: u64,
}

impl Default for Hist {
    fn default() -> Self {
        // Up to 2^63 ns: 56 powers of two above the linear part.
        Self {
            counts: vec![0; 256 + 56 * 128],
            count: 0,
            sum: 0,
            max: 0,
        }
    }
}

impl Hist {
    #[inline]
    fn index(v: u64) -> usize {
        let v = v.max(1);
        let b = 56 - (v | 255).leading_zeros() as usize; // 0 below 256
        b * 128 + (v >> b) as usize
    }

    /// Record one latency.
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.counts[Self::index(v)] += 1;
        self.count += 1;
        self.sum += u128::from(v);
        self.max = self.max.max(v);
    }

    /// The q-th percentile (0–100), in nanoseconds (the bucket's upper end).
    pub fn percentile(&self, q: f64) -> u64 {
        let target = ((q / 100.0) * self.count as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                let (b, sub) = if i < 256 {
                    (0, i)
                } else {
                    ((i - 128) / 128, (i - 128) % 128 + 128)
                };
                return ((sub as u64 + 1) << b) - 1;
            }
        }
        self.max
    }
}

/// One station's figures.
#[derive(Clone, Debug, Default)]
pub struct Station {
    /// Jobs that reached it.
    pub arrivals: u64,
    /// Jobs it finished.
    pub completed: u64,
    /// ∫ busy dt, in nanoseconds.
    pub busy_integral: u128,
    /// ∫ queue length dt, in job·nanoseconds.
    pub queue_integral: u128,
    /// Most jobs waiting at once.
    pub max_queue: u64,
    /// Arrival to start, summed, in nanoseconds.
    pub wait_sum: u128,
    /// Arrival to completion.
    pub time_in_system: Hist,
    /// (when, jobs waiting), every 1/200 of the run.
    pub samples: Vec<(u64, u64)>,
    busy: bool,
    last_change: u64,
    /// Waiting jobs: (entered the system, arrived here).
    queue: VecDeque<(u64, u64)>,
    /// The job being handled: (entered the system, arrived here, started).
    serving: (u64, u64, u64),
}

impl Station {
    /// Close the integrals from the last change to `t`.
    #[inline]
    fn advance(&mut self, t: u64) {
        let dt = u128::from(t - self.last_change);
        self.busy_integral += u128::from(self.busy) * dt;
        self.queue_integral += self.queue.len() as u128 * dt;
        self.last_change = t;
    }
}

/// What the run computed.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Per station, in order.
    pub stations: Vec<Station>,
    /// Entry to exit of the last station, per job that got through.
    pub end_to_end: Hist,
    /// Events processed.
    pub events: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Arrival,
    Done(u32),
    Sample,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    time: u64,
    seq: u64,
    ev: Ev,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        (self.time, self.seq) == (o.time, o.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        (o.time, o.seq).cmp(&(self.time, self.seq))
    }
}

struct Loop {
    heap: BinaryHeap<Entry>,
    seq: u64,
    rng: rand_chacha::ChaCha8Rng,
    exp: Vec<Exp<f64>>,
    r: Report,
}

impl Loop {
    #[inline]
    fn push(&mut self, time: u64, ev: Ev) {
        self.heap.push(Entry {
            time,
            seq: self.seq,
            ev,
        });
        self.seq += 1;
    }

    /// A job reaches station `s` at `now`.
    #[inline]
    fn arrive(&mut self, s: usize, now: u64, born: u64) {
        let st = &mut self.r.stations[s];
        st.arrivals += 1;
        st.advance(now);
        if st.busy {
            st.queue.push_back((born, now));
            st.max_queue = st.max_queue.max(st.queue.len() as u64);
        } else {
            self.start(s, now, born, now);
        }
    }

    #[inline]
    fn start(&mut self, s: usize, now: u64, born: u64, arrived: u64) {
        let st = &mut self.r.stations[s];
        st.busy = true;
        st.serving = (born, arrived, now);
        st.wait_sum += u128::from(now - arrived);
        let d = (self.exp[s].sample(&mut self.rng) as u64).min(u64::MAX / 4);
        self.push(now + d, Ev::Done(s as u32));
    }

    #[inline]
    fn done(&mut self, s: usize, now: u64) {
        let st = &mut self.r.stations[s];
        st.advance(now);
        let (born, arrived, _) = st.serving;
        st.completed += 1;
        st.time_in_system.record(now - arrived);
        st.busy = false;
        // The job moves on first, then the next one starts here (the engine's order,
        // so both draw the same numbers for the same purposes).
        if s + 1 < self.r.stations.len() {
            self.arrive(s + 1, now, born);
        } else {
            self.r.end_to_end.record(now - born);
        }
        if let Some((b, a)) = self.r.stations[s].queue.pop_front() {
            self.start(s, now, b, a);
        }
    }
}

/// Run the model to its end.
pub fn run(p: &Params) -> Report {
    let exp = p
        .mean_nanos
        .iter()
        .map(|&m| Exp::new(1.0 / m as f64).unwrap())
        .collect();
    let mut l = Loop {
        heap: BinaryHeap::with_capacity(1024),
        seq: 0,
        rng: rand_chacha::ChaCha8Rng::seed_from_u64(p.seed),
        exp,
        r: Report {
            stations: vec![Station::default(); p.mean_nanos.len()],
            ..Report::default()
        },
    };
    let end = p.duration_nanos;
    let sample_every = (end / SAMPLES).max(1_000_000);
    l.push(0, Ev::Arrival);
    l.push(0, Ev::Sample);
    while let Some(e) = l.heap.peek().copied() {
        if e.time > end {
            break;
        }
        l.heap.pop();
        l.r.events += 1;
        let now = e.time;
        match e.ev {
            Ev::Arrival => {
                let u: f64 = l.rng.random();
                let next = ((-(1.0 - u).ln() / p.per_sec * 1e9) as u64).min(u64::MAX / 4);
                l.arrive(0, now, now);
                if now + next < end {
                    l.push(now + next, Ev::Arrival);
                }
            }
            Ev::Done(s) => l.done(s as usize, now),
            Ev::Sample => {
                for st in &mut l.r.stations {
                    st.samples.push((now, st.queue.len() as u64));
                }
                if now + sample_every <= end {
                    l.push(now + sample_every, Ev::Sample);
                }
            }
        }
    }
    for st in &mut l.r.stations {
        st.advance(end);
    }
    l.r
}
