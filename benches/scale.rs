//! Enterprise-scale benchmarks (criterion, headless). Run with
//! `cargo bench --no-default-features --bench scale`.
//!
//! Models of 100, 1,000 and 5,000 services in 20 domains from the library's generator
//! (`examples::enterprise`, the model of `eventscape example enterprise`):
//! - `check/N`: parse the model's RON text and validate it: the work of
//!   `eventscape check FILE` once the file is read.
//! - `simulate_1s/N`: build the simulation, run one simulated second with the trace
//!   off, build the bounded report and serialise it as JSON: the work of
//!   `eventscape simulate FILE --duration 1s --format json` once the model is loaded.
//!
//! Throughput is in services, so criterion prints services per second; the ratio of
//! the rate at 100 to the rate at 5,000 (same run) says how much faster than the model
//! the cost grows (1 = linear).

// A benchmark is a test harness: a model that fails to build should stop it loudly.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventscape::analysis::Report;
use eventscape::examples::enterprise::Enterprise;
use eventscape::model::{Model, parse_bytes, to_ron, validate};
use eventscape::sim::{RunOptions, Simulation};

const SIZES: [usize; 3] = [100, 1_000, 5_000];
const DOMAINS: usize = 20;

fn model(services: usize) -> Model {
    Enterprise::new(services, DOMAINS).unwrap().model()
}

/// Fewer samples for the big model so that the whole bench takes a few minutes.
fn samples(services: usize) -> usize {
    if services >= 5_000 { 10 } else { 20 }
}

fn check(c: &mut Criterion) {
    let mut g = c.benchmark_group("check");
    for n in SIZES {
        let text = to_ron(&model(n)).unwrap();
        assert!(validate(&parse_bytes(text.as_bytes()).unwrap()).is_empty());
        g.sample_size(samples(n))
            .measurement_time(Duration::from_secs(5));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let m = parse_bytes(black_box(text.as_bytes())).unwrap();
                black_box(validate(&m).len())
            });
        });
    }
    g.finish();
}

fn simulate(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate_1s");
    let options = RunOptions {
        duration_nanos: Some(1_000_000_000),
        trace_capacity: 0,
        ..RunOptions::default()
    };
    for n in SIZES {
        let m = model(n);
        g.sample_size(samples(n))
            .measurement_time(Duration::from_secs(if n >= 5_000 { 20 } else { 8 }));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &m, |b, m| {
            b.iter(|| {
                let mut sim = Simulation::new(black_box(m), options).unwrap();
                sim.run();
                let report = Report::bounded(m, &mut sim);
                serde_json::to_writer_pretty(std::io::sink(), &report).unwrap();
                black_box(report.passed())
            });
        });
    }
    g.finish();
}

criterion_group!(benches, check, simulate);
criterion_main!(benches);
