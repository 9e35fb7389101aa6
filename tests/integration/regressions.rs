//! Regressions from a review of the engine: each test is a scenario that once gave
//! a wrong answer or a panic.

use eventscape::analysis::Report;
use eventscape::model::parse;
use eventscape::sim::{RunOptions, Simulation};

fn run(src: &str) -> Report {
    let model = parse(src).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    sim.run();
    let r = Report::new(&model, &mut sim);
    assert!(r.messages.balanced(), "{:?}", r.messages);
    r
}

fn saga(participant_latency: &str, orchestrator_latency: &str, reply_in_emit: bool) -> String {
    let reply = if reply_in_emit {
        r#"emit: [Reply("Ok")]"#.to_owned()
    } else {
        r#"outcomes: [Outcome(probability: 1.0, emit: [Reply("Ok")])]"#.to_owned()
    };
    format!(
        r#"Model(name: "resend", duration: "60s",
        events: [Event(name: "Go")], topics: [Topic(name: "go")],
        services: [
            Service(name: "o", concurrency: 8),
            Service(name: "p", concurrency: 8, handlers: [
                Handler(on: Command("Do"), latency: {participant_latency}, {reply}, idempotent: true)]),
        ],
        sagas: [Saga(name: "s", orchestrator: "o", trigger: Event(event: "Go", topic: "go"), latency: {orchestrator_latency},
            steps: [Step(name: "do", service: "p", command: "Do", success: "Ok", timeout: "100ms", retries: 1)])],
        sources: [Source(name: "in", emit: Publish(event: "Go", topic: "go"), rate: Poisson(per_sec: 5.0))])"#
    )
}

#[test]
fn a_slow_reply_to_a_resent_command_still_completes_the_step() {
    // The participant takes 150 ms, the step waits 100 ms and re-sends: the first
    // copy's reply (or the idempotent replay for the second) must be accepted,
    // whether the reply is in `emit` or in an outcome.
    for in_emit in [true, false] {
        let r = run(&saga(r#"Constant("150ms")"#, r#"Constant("1ms")"#, in_emit));
        let o = &r.sagas[0].outcomes;
        assert!(
            o.completed > 250 && o.timed_out == 0,
            "emit {in_emit}: {o:?}"
        );
        assert!(
            r.messages.deduplicated > 250,
            "emit {in_emit}: {:?}",
            r.messages
        );
    }
}

#[test]
fn a_resent_command_whose_first_copy_finished_is_deduplicated() {
    // The orchestrator is slow to handle replies (500 ms), so the step times out and
    // re-sends although the participant answered long ago.
    let r = run(&saga(r#"Constant("10ms")"#, r#"Constant("500ms")"#, true));
    assert!(r.messages.deduplicated > 100, "{:?}", r.messages);
    assert_eq!(r.messages.double_effects, 0);
}

#[test]
fn one_service_in_two_groups_remembers_duplicates_per_consumer() {
    let r = run(r#"Model(name: "two groups", duration: "30s",
        events: [Event(name: "A")], topics: [Topic(name: "t", partitions: 2)],
        services: [Service(name: "s", concurrency: 4, handlers: [
            Handler(on: Event(event: "A", topic: "t", group: "g1"), latency: Constant("5ms"),
                    outcomes: [Outcome(probability: 0.5), Outcome(probability: 0.5)]),
            Handler(on: Event(event: "A", topic: "t", group: "g2"), latency: Constant("5ms"), idempotent: true),
        ])],
        sources: [Source(name: "in", emit: Publish(event: "A", topic: "t"), rate: Constant(per_sec: 10.0))],
        faults: [Fault(kind: Duplicate(topic: "t", probability: 1.0), at: "0s", lasting: "30s")])"#);
    let dups = r.topics[0].duplicated;
    // g1 is not idempotent: every second copy is a double effect; g2 skips them.
    assert_eq!(r.messages.double_effects, dups);
    assert_eq!(r.messages.deduplicated, dups);
}

#[test]
fn a_late_callback_timeout_does_not_fail_the_next_attempt() {
    // The source answers in 3 s (under the 5 s callback timeout); the consumer's
    // own work always fails once, then is retried: the retry's callback must not be
    // failed by the first attempt's timer.
    let r = run(r#"Model(name: "cb", duration: "20s",
        events: [Event(name: "N", style: Notification)], topics: [Topic(name: "n")],
        services: [
            Service(name: "src", concurrency: 4, handlers: [Handler(on: Query("Get"), latency: Constant("3s"))]),
            Service(name: "c", concurrency: 4, handlers: [Handler(on: Event(event: "N", topic: "n"), latency: Constant("1ms"),
                callback: Callback(service: "src", query: "Get"), fail_probability: 1.0,
                retry: Retry(attempts: 2, backoff: "100ms"))]),
        ],
        sources: [Source(name: "in", emit: Publish(event: "N", topic: "n"), rate: Constant(per_sec: 0.1))])"#);
    assert_eq!(r.service("c").unwrap().callbacks_failed, 0);
}

#[test]
fn a_huge_backoff_does_not_overflow_the_clock() {
    let r = run(r#"Model(name: "backoff", duration: "10s",
        services: [Service(name: "s", handlers: [Handler(on: Command("A"), latency: Constant("1ms"),
            fail_probability: 1.0, retry: Retry(attempts: 4, backoff: "1s", multiplier: 100000000000.0))])],
        sources: [Source(name: "in", emit: Send(command: "A", to: "s"), rate: Constant(per_sec: 1.0))])"#);
    assert!(r.messages.in_flight > 0);
}

#[test]
fn a_poison_saga_trigger_is_given_up() {
    let r = run(r#"Model(name: "poison", duration: "30s",
        events: [Event(name: "Go")], topics: [Topic(name: "go")],
        services: [Service(name: "o"), Service(name: "p", handlers: [Handler(on: Command("Do"), latency: Constant("1ms"), emit: [Reply("Ok")])])],
        sagas: [Saga(name: "s", orchestrator: "o", trigger: Event(event: "Go", topic: "go"),
            steps: [Step(name: "do", service: "p", command: "Do", timeout: "1s")])],
        sources: [Source(name: "in", emit: Publish(event: "Go", topic: "go"), rate: Constant(per_sec: 10.0), start: "1s")],
        faults: [Fault(kind: Poison(topic: "go", probability: 1.0), at: "0s", lasting: "30s")])"#);
    assert_eq!(r.sagas[0].started, 0);
    assert!(r.messages.failed > 250);
    assert_eq!(r.topics[0].groups[0].consumed, 0);
    assert!(r.topics[0].groups[0].given_up > 250);
}

#[test]
fn a_saga_started_by_a_command_runs() {
    let r = run(r#"Model(name: "cmd saga", duration: "30s",
        services: [Service(name: "o"), Service(name: "p", handlers: [Handler(on: Command("Do"), latency: Constant("1ms"), emit: [Reply("Ok")])])],
        sagas: [Saga(name: "s", orchestrator: "o", trigger: Command("Start"), steps: [Step(name: "do", service: "p", command: "Do")])],
        sources: [Source(name: "in", emit: Send(command: "Start", to: "o"), rate: Constant(per_sec: 2.0))])"#);
    assert!(
        r.sagas[0].outcomes.completed >= 59,
        "{:?}",
        r.sagas[0].outcomes
    );
}

#[test]
fn the_longest_duration_terminates() {
    let r = run(
        r#"Model(name: "forever", duration: "213503d23h34m33s709ms551us615ns",
        services: [Service(name: "s", handlers: [Handler(on: Command("A"), latency: Constant("1ms"))])])"#,
    );
    assert_eq!(r.messages.produced, 0);
}
