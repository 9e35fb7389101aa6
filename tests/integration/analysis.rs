//! Bottleneck findings point at the element that limits the design, with evidence.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use eventscape::analysis::{BottleneckKind, Report};
use eventscape::model::parse;
use eventscape::sim::{RunOptions, Simulation};

fn report(src: &str) -> Report {
    let model = parse(src).unwrap();
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    sim.run();
    Report::new(&model, &mut sim)
}

fn finds(r: &Report, kind: BottleneckKind, name: &str) -> bool {
    r.bottlenecks
        .iter()
        .any(|b| b.kind == kind && b.element.name == name)
}

#[test]
fn an_overloaded_service_is_saturated_with_a_growing_queue() {
    let r = report(
        r#"Model(name: "over", duration: "30m",
        services: [
            Service(name: "fast", concurrency: 4, handlers: [Handler(on: Command("A"), latency: Exponential(mean: "100ms"), emit: [Send(command: "B", to: "slow")])]),
            Service(name: "slow", handlers: [Handler(on: Command("B"), latency: Exponential(mean: "1s"))]),
        ],
        sources: [Source(name: "in", emit: Send(command: "A", to: "fast"), rate: Poisson(per_sec: 1.2))])"#,
    );
    assert!(
        finds(&r, BottleneckKind::Saturated, "slow"),
        "{:#?}",
        r.bottlenecks
    );
    assert!(
        finds(&r, BottleneckKind::QueueGrowing, "slow"),
        "{:#?}",
        r.bottlenecks
    );
    assert!(!finds(&r, BottleneckKind::Saturated, "fast"));
    assert_eq!(
        r.bottlenecks[0].element.name, "slow",
        "the worst comes first"
    );
}

#[test]
fn more_workers_than_partitions_are_reported_idle_while_lag_builds() {
    let r = report(
        r#"Model(name: "idle", duration: "10m",
        events: [Event(name: "E")],
        topics: [Topic(name: "t", partitions: 2, key: "id")],
        services: [Service(name: "c", instances: 2, concurrency: 4, handlers: [
            Handler(on: Event(event: "E", topic: "t"), latency: Exponential(mean: "100ms"))])],
        sources: [Source(name: "s", emit: Publish(event: "E", topic: "t"), rate: Poisson(per_sec: 19.0), keys: 1000)])"#,
    );
    assert!(
        finds(&r, BottleneckKind::IdleConsumers, "t"),
        "{:#?}",
        r.bottlenecks
    );
    let b = r
        .bottlenecks
        .iter()
        .find(|b| b.kind == BottleneckKind::IdleConsumers)
        .unwrap();
    assert!(
        b.evidence.contains("8 workers but only 2"),
        "{}",
        b.evidence
    );
}

#[test]
fn retries_that_amplify_load_are_reported() {
    let r = report(
        r#"Model(name: "retry", duration: "5m",
        services: [Service(name: "flaky", concurrency: 8, handlers: [Handler(on: Command("A"), latency: Constant("10ms"),
            fail_probability: 0.4, retry: Retry(attempts: 4, backoff: "100ms"))])],
        sources: [Source(name: "in", emit: Send(command: "A", to: "flaky"), rate: Poisson(per_sec: 20.0))])"#,
    );
    assert!(
        finds(&r, BottleneckKind::RetryAmplification, "flaky"),
        "{:#?}",
        r.bottlenecks
    );
}

#[test]
fn a_calm_design_has_no_findings() {
    let r = report(
        r#"Model(name: "calm", duration: "10m",
        services: [Service(name: "s", concurrency: 4, handlers: [Handler(on: Command("A"), latency: Exponential(mean: "20ms"))])],
        sources: [Source(name: "in", emit: Send(command: "A", to: "s"), rate: Poisson(per_sec: 10.0))])"#,
    );
    assert!(r.bottlenecks.is_empty(), "{:#?}", r.bottlenecks);
}
