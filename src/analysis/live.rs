//! Live figures of a run in progress, for the app's overlay and live inspector:
//! each service's utilisation over the last couple of seconds of simulated time, its
//! utilisation so far, and a service's completions per second. Plain data over the
//! engine's statistics and trace records, read incrementally as the run grows.

mod domains;

use std::collections::VecDeque;

pub use domains::{DomainFigures, domain_figures};

use crate::sim::{Record, SimTime, Simulation, TraceKind, Where, busy_share};

/// The window the live utilisation is measured over by default: 2 s of simulated time.
pub const UTILISATION_WINDOW_NANOS: u64 = 2_000_000_000;

const SECOND_NANOS: u64 = 1_000_000_000;

/// Each service's utilisation so far: busy worker time over worker time since the
/// start of the run (0 at time 0).
pub fn utilisation_so_far(sim: &Simulation) -> Vec<f64> {
    let t = sim.time();
    sim.stats()
        .services
        .iter()
        .zip(&sim.plan().services)
        .map(|(s, p)| busy_share(s.busy.integral_at(t), t.as_nanos(), p.servers))
        .collect()
}

/// Each service's utilisation over a sliding window of simulated time, from the busy
/// time integrals seen at the moments it is asked (once a frame in the app).
///
/// Until the window has filled (just started, stepped back, or jumped further than
/// the window), it is the utilisation so far instead.
#[derive(Clone, Debug)]
pub struct WindowedUtilisation {
    window_nanos: u64,
    /// (time, busy-workers integral per service), oldest first.
    samples: VecDeque<(u64, Vec<u128>)>,
}

impl Default for WindowedUtilisation {
    fn default() -> Self {
        Self::new(UTILISATION_WINDOW_NANOS)
    }
}

impl WindowedUtilisation {
    /// Over windows of `window_nanos` of simulated time.
    pub fn new(window_nanos: u64) -> Self {
        Self {
            window_nanos,
            samples: VecDeque::new(),
        }
    }

    /// Forget every sample (another run).
    pub fn clear(&mut self) {
        self.samples.clear();
    }

    /// The utilisation of each service of `sim` now, over the window.
    pub fn observe(&mut self, sim: &Simulation) -> Vec<f64> {
        let t = sim.time();
        let busy = sim
            .stats()
            .services
            .iter()
            .map(|s| s.busy.integral_at(t))
            .collect();
        let servers: Vec<u32> = sim.plan().services.iter().map(|s| s.servers).collect();
        self.observe_integrals(t.as_nanos(), busy, &servers)
    }

    /// The same from the figures themselves: at time `t`, each service's busy-worker
    /// integral (worker-nanoseconds since the start) and its number of workers.
    pub fn observe_integrals(&mut self, t: u64, busy: Vec<u128>, servers: &[u32]) -> Vec<f64> {
        let window = self.window_nanos;
        // Stepped back, reset, or jumped further than the window: start afresh.
        if self
            .samples
            .back()
            .is_some_and(|(bt, _)| *bt > t || t - bt > window)
        {
            self.samples.clear();
        }
        // A new sample keeps `busy`; otherwise it is only read.
        let unsampled = if self.samples.back().is_none_or(|(bt, _)| *bt < t) {
            self.samples.push_back((t, busy));
            None
        } else {
            Some(busy)
        };
        while self.samples.len() > 2 && self.samples[1].0 + window <= t {
            self.samples.pop_front();
        }
        let busy: &[u128] = match &unsampled {
            Some(busy) => busy,
            None => self.samples.back().map_or(&[], |(_, b)| b.as_slice()),
        };
        match self.samples.front() {
            Some((t0, then)) if *t0 < t => busy
                .iter()
                .zip(then)
                .zip(servers)
                .map(|((now, before), &n)| busy_share(now - before, t - t0, n))
                .collect(),
            // No window yet: the utilisation so far.
            _ => busy
                .iter()
                .zip(servers)
                .map(|(now, &n)| busy_share(*now, t, n))
                .collect(),
        }
    }
}

/// One service's completions in each whole second of simulated time, counted from
/// the trace as it grows: only records not seen before are read, and going back (a
/// shorter trace) or another service starts over.
#[derive(Clone, Debug, Default)]
pub struct Throughput {
    service: Option<u32>,
    seen: usize,
    per_second: Vec<u64>,
}

impl Throughput {
    /// Count the records not seen yet of `service` (index in the plan's services).
    pub fn update(&mut self, records: &[Record], service: u32) {
        if self.service != Some(service) || records.len() < self.seen {
            *self = Throughput {
                service: Some(service),
                ..Default::default()
            };
        }
        for r in &records[self.seen..] {
            if r.kind == TraceKind::Completed && r.at == Where::Service && r.element == service {
                let second = (r.time.as_nanos() / SECOND_NANOS) as usize;
                if second >= self.per_second.len() {
                    self.per_second.resize(second + 1, 0);
                }
                self.per_second[second] += 1;
            }
        }
        self.seen = records.len();
    }

    /// Completions in each whole second before `now` (the second still filling is
    /// left out): element `s` counts the completions in `[s, s + 1)` seconds.
    pub fn completed_per_second(&self, now: SimTime) -> &[u64] {
        let whole = ((now.as_nanos() / SECOND_NANOS) as usize).min(self.per_second.len());
        &self.per_second[..whole]
    }
}

#[cfg(test)]
mod tests;
