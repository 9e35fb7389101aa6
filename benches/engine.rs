//! Engine benchmarks (criterion). Run with `cargo bench --bench engine`.
//!
//! - `tandem_200k_jobs`: the five-station tandem of `models/bench/tandem.ron`, about
//!   200,000 jobs through all five services, metrics on, trace ring on
//!   (`tandem_200k_jobs_trace_off`: the same with the trace off), and beside them
//!   `reference_loop`: the same model as a hand-written event loop (`reference`), the
//!   floor the engine's times are a ratio of.
//! - `large_model`: `models/bench/large.ron`, ~50 services, 30 topics, sagas, faults.
//! - `event_queue`: push/pop with 100,000 pending timers.
//!
//! For instruction counts, `EVENTSCAPE_BENCH_ONCE=tandem|tandem_trace_off|reference|large`
//! runs that one workload once and exits, without criterion:
//! `EVENTSCAPE_BENCH_ONCE=reference valgrind --tool=callgrind target/release/deps/engine-…`.

// A benchmark is a test harness: a model that fails to build should stop it loudly.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

mod reference;

use criterion::{Criterion, Throughput, criterion_group};
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

/// The tandem model's parameters, read from the model itself.
fn tandem_params(m: &eventscape::model::Model) -> reference::Params {
    use eventscape::model::{Distribution, Rate};
    let per_sec = match m.sources[0].rate {
        Rate::Poisson { per_sec } => per_sec,
        ref r => panic!("the tandem's source is Poisson, not {r:?}"),
    };
    let mean_nanos = m
        .services
        .iter()
        .map(|s| match s.handlers[0].latency {
            Distribution::Exponential { mean } => mean.as_nanos(),
            ref d => panic!("the tandem's handlers are exponential, not {d:?}"),
        })
        .collect();
    reference::Params {
        per_sec,
        mean_nanos,
        duration_nanos: m.duration.as_nanos(),
        seed: m.seed,
    }
}

/// The reference computes the same figures as the engine: utilisation, throughput and
/// mean queue of every station, and jobs through, within statistical tolerance.
fn check_reference(sim: &Simulation, r: &reference::Report) {
    let end = sim.end().as_nanos() as f64;
    let close = |what: &str, a: f64, b: f64, tol: f64| {
        assert!(
            (a / b - 1.0).abs() < tol,
            "reference and engine disagree on {what}: {b} (reference) vs {a} (engine)"
        );
    };
    let stats = sim.stats();
    assert_eq!(stats.services.len(), r.stations.len());
    for (i, (s, st)) in stats.services.iter().zip(&r.stations).enumerate() {
        close(
            &format!("station {i} utilisation"),
            s.busy.integral as f64 / end,
            st.busy_integral as f64 / end,
            0.02,
        );
        close(
            &format!("station {i} throughput"),
            s.completed as f64,
            st.completed as f64,
            0.02,
        );
        close(
            &format!("station {i} mean queue"),
            s.queue.integral as f64 / end,
            st.queue_integral as f64 / end,
            0.10,
        );
        close(
            &format!("station {i} p99 time in system"),
            s.time_in_system.percentile_secs(99.0) * 1e9,
            st.time_in_system.percentile(99.0) as f64,
            // A tail percentile of a queue at 80% load moves most between runs (M/M/1:
            // 23.0 s; runs of 200,000 jobs give 22 to 25 s).
            0.20,
        );
    }
    close(
        "jobs through",
        stats.sources[0].completed as f64,
        r.end_to_end.count as f64,
        0.02,
    );
}

fn tandem(c: &mut Criterion) {
    let m = model("tandem.ron");
    let params = tandem_params(&m);
    let mut g = c.benchmark_group("tandem");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    // Arrivals and completions at the five services: 10 per job.
    let mut sim = Simulation::new(&m, RunOptions::default()).unwrap();
    sim.run();
    check_reference(&sim, &reference::run(&params));
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
    g.bench_function("reference_loop", |b| {
        b.iter(|| black_box(reference::run(black_box(&params)).events));
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

/// One workload, once, for instruction counts (`EVENTSCAPE_BENCH_ONCE`).
fn run_once(which: &str) {
    let trace_capacity = if which == "tandem_trace_off" {
        0
    } else {
        RunOptions::default().trace_capacity
    };
    let m = model(if which == "large" {
        "large.ron"
    } else {
        "tandem.ron"
    });
    if which == "reference" {
        let r = reference::run(&tandem_params(&m));
        println!("reference: {} events", r.events);
        return;
    }
    assert!(
        matches!(which, "tandem" | "tandem_trace_off" | "large"),
        "unknown workload {which}"
    );
    let options = RunOptions {
        trace_capacity,
        ..RunOptions::default()
    };
    let mut sim = Simulation::new(&m, options).unwrap();
    sim.run();
    println!("{which}: {} events", sim.stats().events);
}

criterion_group!(benches, tandem, large, queue);

fn main() {
    if let Ok(which) = std::env::var("EVENTSCAPE_BENCH_ONCE") {
        run_once(&which);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
