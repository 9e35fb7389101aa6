//! Analytic cross-checks: the engine against queueing theory on long runs.
//!
//! M/M/1 and M/M/c (Erlang C) stations and a tandem of five M/M/1 stations. The
//! tolerances are statistical: the runs are long (hundreds of thousands of jobs) and
//! the seed is fixed, so the checks are deterministic, but the seed was not chosen to
//! make them pass; any seed passes at these tolerances.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use eventscape::model::parse;
use eventscape::sim::{RunOptions, Simulation};

/// One Poisson source into a chain of `stations`, each with `servers` workers and
/// exponential handling with mean `1/mu`.
fn chain(
    lambda: f64,
    mu: f64,
    servers: u32,
    stations: usize,
    duration_secs: u64,
    seed: u64,
) -> String {
    let mean_ms = (1000.0 / mu).round() as u64;
    let mut services = String::new();
    for i in 1..=stations {
        let emit = if i < stations {
            format!(r#", emit: [Send(command: "J{}", to: "s{}")]"#, i + 1, i + 1)
        } else {
            String::new()
        };
        services.push_str(&format!(
            r#"Service(name: "s{i}", concurrency: {servers}, handlers: [Handler(on: Command("J{i}"), latency: Exponential(mean: "{mean_ms}ms"){emit})]),"#
        ));
    }
    format!(
        r#"Model(name: "chain", seed: {seed}, duration: "{duration_secs}s", services: [{services}],
           sources: [Source(name: "in", emit: Send(command: "J1", to: "s1"), rate: Poisson(per_sec: {lambda:?}))])"#
    )
}

fn run(src: &str) -> Simulation {
    let model = parse(src).unwrap();
    let mut sim = Simulation::new(
        &model,
        RunOptions {
            trace_capacity: 0,
            ..RunOptions::default()
        },
    )
    .unwrap();
    sim.run();
    sim
}

/// Measured figures of one station.
struct Measured {
    utilisation: f64,
    wait: f64,
    time_in_system: f64,
    in_system: f64,
    throughput: f64,
}

fn measured(sim: &Simulation, station: usize, servers: u32) -> Measured {
    let s = &sim.stats().services[station];
    let t = sim.end();
    Measured {
        utilisation: s.busy.mean(t) / f64::from(servers),
        wait: s.wait_sum_nanos as f64 / s.completed as f64 / 1e9,
        time_in_system: s.time_in_system.mean_secs(),
        in_system: s.mean_in_system(t),
        throughput: s.completed as f64 / t.as_secs_f64(),
    }
}

fn close(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        (got / want - 1.0).abs() <= rel,
        "{what}: measured {got:.4}, theory {want:.4} (±{:.0}%)",
        rel * 100.0
    );
}

/// Erlang C: the probability that an arrival waits, for c servers and offered load a = λ/μ.
fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / f64::from(c);
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / f64::from(k);
        }
        sum += term;
    }
    let top = term * a / f64::from(c) / (1.0 - rho);
    top / (sum + top)
}

#[test]
fn mm1_matches_theory() {
    let (lambda, mu) = (0.8, 1.0);
    let sim = run(&chain(lambda, mu, 1, 1, 400_000, 11));
    let m = measured(&sim, 0, 1);
    let rho: f64 = lambda / mu;
    close("utilisation", m.utilisation, rho, 0.02);
    close("mean wait Wq", m.wait, rho / (mu - lambda), 0.08);
    close(
        "mean time in system W",
        m.time_in_system,
        1.0 / (mu - lambda),
        0.08,
    );
    close(
        "mean number in system L",
        m.in_system,
        rho / (1.0 - rho),
        0.08,
    );
    close("throughput", m.throughput, lambda, 0.02);
    // Little's law holds on the sample path, up to the jobs still inside at the end.
    close(
        "Little's law L = λW",
        m.in_system,
        m.throughput * m.time_in_system,
        0.01,
    );
}

#[test]
fn mmc_matches_erlang_c() {
    let (lambda, mu, c) = (2.4, 1.0, 3);
    let sim = run(&chain(lambda, mu, c, 1, 200_000, 12));
    let m = measured(&sim, 0, c);
    let a = lambda / mu;
    let wq = erlang_c(c, a) / (f64::from(c) * mu - lambda);
    close("utilisation", m.utilisation, a / f64::from(c), 0.02);
    close("mean wait Wq (Erlang C)", m.wait, wq, 0.10);
    close(
        "mean time in system W",
        m.time_in_system,
        wq + 1.0 / mu,
        0.05,
    );
    close(
        "Little's law",
        m.in_system,
        m.throughput * m.time_in_system,
        0.01,
    );
}

#[test]
fn tandem_of_five_matches_theory() {
    let (lambda, mu) = (0.8, 1.0);
    let sim = run(&chain(lambda, mu, 1, 5, 250_000, 13));
    // By Burke's theorem each station sees Poisson arrivals: five independent M/M/1s.
    for i in 0..5 {
        let m = measured(&sim, i, 1);
        close(&format!("s{} utilisation", i + 1), m.utilisation, 0.8, 0.03);
        close(&format!("s{} Wq", i + 1), m.wait, 4.0, 0.12);
        close(
            &format!("s{} Little", i + 1),
            m.in_system,
            m.throughput * m.time_in_system,
            0.01,
        );
    }
    // End to end: the sum of the five sojourn times, 5 × 5 s.
    let e2e = sim.stats().sources[0].end_to_end.mean_secs();
    close("end-to-end", e2e, 25.0, 0.08);
}

#[test]
fn erlang_c_formula_is_right() {
    // Textbook value: c = 2, a = 1 → C = 1/3.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    // One server: C = ρ.
    assert!((erlang_c(1, 0.8) - 0.8).abs() < 1e-12);
}

#[test]
fn the_bench_tandem_model_is_the_tandem_of_the_issue() {
    let model =
        eventscape::model::load_file(&super::root().join("models/bench/tandem.ron")).unwrap();
    assert!(eventscape::model::validate(&model).is_empty());
    assert_eq!(model.services.len(), 5);
}

/// Erlang B: the probability that an arrival finds all c servers busy in a loss
/// system (no waiting room), offered load a = λ/μ; by the recursion
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

#[test]
fn erlang_b_formula_is_right() {
    // Textbook values: c = 1 → a/(1+a); c = 2, a = 1 → 1/5.
    assert!((erlang_b(1, 0.8) - 0.8 / 1.8).abs() < 1e-12);
    assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-12);
}

#[test]
fn a_loss_system_rejects_as_erlang_b_says() {
    // Five workers, no waiting room, offered load 4: about 20% are turned away.
    let (lambda, mu, c) = (4.0, 1.0, 5);
    let src = chain(lambda, mu, c, 1, 100_000, 14).replace(
        r#"Service(name: "s1", concurrency: 5,"#,
        r#"Service(name: "s1", concurrency: 5, queue: 0,"#,
    );
    assert!(src.contains("queue: 0"));
    let model = parse(&src).unwrap();
    assert!(
        eventscape::model::validate(&model).is_empty(),
        "a loss system is a valid design"
    );
    let sim = run(&src);
    let s = &sim.stats().services[0];
    let offered = s.rejected + s.arrivals;
    let blocked = s.rejected as f64 / offered as f64;
    close(
        "blocking probability (Erlang B)",
        blocked,
        erlang_b(c, lambda / mu),
        0.03,
    );
    // Nobody ever waits.
    assert_eq!(s.wait_sum_nanos, 0);
    let m = measured(&sim, 0, c);
    close(
        "utilisation = a(1 − B)/c",
        m.utilisation,
        lambda / mu * (1.0 - erlang_b(c, lambda / mu)) / f64::from(c),
        0.02,
    );
}
