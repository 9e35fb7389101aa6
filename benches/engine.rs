//! Engine benchmarks (criterion). Run with `cargo bench --bench engine`.
//!
//! - `tandem_200k_jobs`: the five-station tandem of `models/bench/tandem.ron`, about
//!   200,000 jobs through all five services, metrics on, trace ring on
//!   (`tandem_200k_jobs_trace_off`: the same with the trace off).
//! - `large_model`: `models/bench/large.ron`, ~50 services, 30 topics, sagas, faults.
//! - `event_queue`: push/pop with 100,000 pending timers.

// A benchmark is a test harness: a model that fails to build should stop it loudly.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eventscape::model::load_file;
use eventscape::sim::{EventQueue, RunOptions, SimTime, Simulation};

fn model(name: &str) -> eventscape::model::Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/bench")
        .join(name);
    load_file(&path).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn engine_events(m: &eventscape::model::Model) -> u64 {
    let mut sim = Simulation::new(m, RunOptions::default()).unwrap();
    sim.run();
    sim.stats().events
}

fn tandem(c: &mut Criterion) {
    let m = model("tandem.ron");
    let mut g = c.benchmark_group("tandem");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    // Arrivals and completions at the five services: 10 per job.
    let mut sim = Simulation::new(&m, RunOptions::default()).unwrap();
    sim.run();
    let arrivals_and_completions: u64 = sim
        .stats()
        .services
        .iter()
        .map(|s| s.arrivals + s.completed)
        .sum();
    g.throughput(Throughput::Elements(arrivals_and_completions));
    g.bench_function("tandem_200k_jobs", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(black_box(&m), RunOptions::default()).unwrap();
            sim.run();
            black_box(sim.stats().messages.consumed)
        });
    });
    g.bench_function("tandem_200k_jobs_trace_off", |b| {
        b.iter(|| {
            let options = RunOptions {
                trace_capacity: 0,
                ..RunOptions::default()
            };
            let mut sim = Simulation::new(black_box(&m), options).unwrap();
            sim.run();
            black_box(sim.stats().messages.consumed)
        });
    });
    g.finish();
}

fn large(c: &mut Criterion) {
    let m = model("large.ron");
    let mut g = c.benchmark_group("large");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(engine_events(&m)));
    g.bench_function("large_model", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(black_box(&m), RunOptions::default()).unwrap();
            sim.run();
            black_box(sim.stats().events)
        });
    });
    g.finish();
}

fn queue(c: &mut Criterion) {
    const PENDING: u64 = 100_000;
    const OPS: u64 = 1_000_000;
    let mut g = c.benchmark_group("event_queue");
    g.throughput(Throughput::Elements(2 * OPS));
    g.bench_function("hold_100k_pending", |b| {
        // The classic hold model: pop the earliest, push it back a random time later.
        let mut q = EventQueue::with_capacity(PENDING as usize + 1);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % 1_000_000
        };
        for i in 0..PENDING {
            q.push(SimTime::from_nanos(next()), i);
        }
        b.iter(|| {
            for _ in 0..OPS {
                let (t, e) = q.pop().unwrap();
                q.push(t + next(), e);
            }
        });
    });
    g.finish();
}

criterion_group!(benches, tandem, large, queue);
criterion_main!(benches);
