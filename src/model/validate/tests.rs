//! One test per rule: a small valid model, one change, the exact problem expected.

use crate::model::{Severity, parse, validate};

/// A small model that is clean: a source, a topic, two services and a saga.
const BASE: &str = r#"Model(
    name: "base",
    events: [
        Event(name: "OrderPlaced", version: 2, payload_bytes: 500),
        Event(name: "OrderDone"),
    ],
    topics: [
        Topic(name: "orders", partitions: 4, key: "order_id"),
        Topic(name: "done", partitions: 2),
        Topic(name: "dlq"),
    ],
    services: [
        Service(name: "checkout", instances: 2),
        Service(name: "inventory", handlers: [
            Handler(on: Command("Reserve"), latency: Constant("10ms"),
                    outcomes: [Outcome(probability: 0.9, emit: [Reply("Reserved")]),
                               Outcome(probability: 0.1, emit: [Reply("NoStock")])]),
            Handler(on: Command("Release"), latency: Constant("5ms"), emit: [Reply("Released")]),
        ]),
        Service(name: "payment", handlers: [
            Handler(on: Command("Charge"), latency: Exponential(mean: "40ms"),
                    outcomes: [Outcome(probability: 0.95, emit: [Reply("Charged")]),
                               Outcome(probability: 0.05, emit: [Reply("Declined")])],
                    retry: Retry(attempts: 3, backoff: "100ms"), dead_letter: "dlq"),
        ]),
        Service(name: "audit", handlers: [
            Handler(on: Event(event: "OrderDone", topic: "done"), latency: Constant("1ms")),
        ]),
    ],
    sagas: [
        Saga(name: "checkout", orchestrator: "checkout",
             trigger: Event(event: "OrderPlaced", topic: "orders"),
             steps: [
                Step(name: "reserve", service: "inventory", command: "Reserve",
                     success: "Reserved", failure: "NoStock", timeout: "1s", compensate: "Release"),
                Step(name: "charge", service: "payment", command: "Charge",
                     success: "Charged", failure: "Declined", timeout: "1s"),
             ],
             on_complete: [Publish(event: "OrderDone", topic: "done")]),
    ],
    sources: [Source(name: "shop", emit: Publish(event: "OrderPlaced", topic: "orders"),
                     rate: Poisson(per_sec: 10.0))],
)"#;

/// The problems of `BASE` with `from` replaced by `to`, as `severity path: message`.
fn problems_after(from: &str, to: &str) -> Vec<String> {
    assert!(BASE.contains(from), "the base model has no {from:?}");
    let src = BASE.replacen(from, to, 1);
    let model = parse(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    validate(&model)
        .into_iter()
        .map(|p| format!("{} {}: {}", p.severity, p.path, p.message))
        .collect()
}

fn assert_problem(from: &str, to: &str, expected: &str) {
    let problems = problems_after(from, to);
    assert!(
        problems.iter().any(|p| p == expected),
        "expected {expected:?} among {problems:#?}"
    );
}

#[test]
fn the_base_model_is_clean() {
    assert_eq!(problems_after("", ""), Vec::<String>::new());
}

#[test]
fn unknown_compensation_command_is_reported_with_its_path() {
    assert_problem(
        r#"compensate: "Release""#,
        r#"compensate: "RefundCard""#,
        r#"error sagas[checkout].steps[0].compensate: unknown command "RefundCard""#,
    );
}

#[test]
fn a_command_handled_elsewhere_names_the_handler() {
    let problems = problems_after(r#"command: "Charge""#, r#"command: "Reserve""#);
    assert!(problems.contains(&r#"error sagas[checkout].steps[1].command: service "payment" does not handle command "Reserve""#.to_owned()), "{problems:#?}");
}

#[test]
fn a_step_before_a_failing_step_needs_a_compensation() {
    assert_problem(
        r#", compensate: "Release""#,
        "",
        r#"error sagas[checkout].steps[0].compensate: step "reserve" has no compensation, but step "charge" after it can fail"#,
    );
}

#[test]
fn the_last_step_needs_no_compensation() {
    // Already the case in BASE: "charge" has none and is clean. Making the first step
    // the only step keeps it clean too.
    let problems = problems_after(
        r#"Step(name: "charge", service: "payment", command: "Charge",
                     success: "Charged", failure: "Declined", timeout: "1s"),"#,
        "",
    );
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn duplicate_names() {
    assert_problem(
        r#"Topic(name: "dlq")"#,
        r#"Topic(name: "orders")"#,
        r#"error topics[2].name: duplicate topic name "orders" (also topics[0])"#,
    );
    assert_problem(
        r#"Step(name: "charge""#,
        r#"Step(name: "reserve""#,
        r#"error sagas[checkout].steps[1].name: step name "reserve" is already used by steps[0]"#,
    );
}

#[test]
fn unknown_references_of_every_kind() {
    assert_problem(
        r#"dead_letter: "dlq""#,
        r#"dead_letter: "dlqq""#,
        r#"error services[payment].handlers[0].dead_letter: unknown topic "dlqq""#,
    );
    assert_problem(
        r#"orchestrator: "checkout""#,
        r#"orchestrator: "nobody""#,
        r#"error sagas[checkout].orchestrator: unknown service "nobody""#,
    );
    assert_problem(
        r#"Event(event: "OrderDone", topic: "done")"#,
        r#"Event(event: "OrderGone", topic: "done")"#,
        r#"error services[audit].handlers[0].on.event: unknown event "OrderGone""#,
    );
    assert_problem(
        r#"emit: Publish(event: "OrderPlaced", topic: "orders")"#,
        r#"emit: Publish(event: "OrderPlaced", topic: "order")"#,
        r#"error sources[shop].emit.topic: unknown topic "order""#,
    );
}

#[test]
fn partitions_below_one() {
    assert_problem(
        "partitions: 4",
        "partitions: 0",
        "error topics[orders].partitions: a topic needs at least 1 partition",
    );
}

#[test]
fn probabilities_out_of_range_and_not_summing_to_one() {
    assert_problem(
        "probability: 0.9,",
        "probability: 1.3,",
        "error services[inventory].handlers[0].outcomes[0].probability: probability 1.3 is outside [0, 1]",
    );
    assert_problem(
        "probability: 0.95,",
        "probability: 0.9,",
        "error services[payment].handlers[0].outcomes: the alternatives' probabilities sum to 0.95, not 1",
    );
}

#[test]
fn consumed_but_never_produced_is_a_warning() {
    let problems = problems_after(
        r#"on_complete: [Publish(event: "OrderDone", topic: "done")]"#,
        "",
    );
    assert_eq!(
        problems,
        vec![
            r#"warning services[audit].handlers[0].on: "OrderDone" is consumed from topic "done" but nothing publishes it there"#
        ]
    );
}

#[test]
fn replies_named_by_a_step_must_be_sent_by_its_service() {
    assert_problem(
        r#"success: "Charged""#,
        r#"success: "Paid""#,
        r#"error sagas[checkout].steps[1].success: service "payment" never replies "Paid" to "Charge""#,
    );
}

#[test]
fn a_reply_needs_a_command_to_answer() {
    assert_problem(
        r#"Handler(on: Event(event: "OrderDone", topic: "done"), latency: Constant("1ms"))"#,
        r#"Handler(on: Event(event: "OrderDone", topic: "done"), latency: Constant("1ms"), emit: [Reply("Ok")])"#,
        r#"error services[audit].handlers[0].emit[0]: reply "Ok" has no one to go to"#,
    );
}

#[test]
fn schema_versions_must_be_compatible() {
    // Backward: a consumer on v1 cannot read v2 data.
    assert_problem(
        r#"trigger: Event(event: "OrderPlaced", topic: "orders")"#,
        r#"trigger: Event(event: "OrderPlaced", topic: "orders", version: 1)"#,
        r#"error sagas[checkout].trigger.version: reads "OrderPlaced" with schema v1, but source "shop" writes v2, which Backward compatibility does not allow"#,
    );
    // ...but a v2 consumer reads v1 data.
    let problems = problems_after(
        r#"emit: Publish(event: "OrderPlaced", topic: "orders")"#,
        r#"emit: Publish(event: "OrderPlaced", topic: "orders", version: 1)"#,
    );
    assert_eq!(problems, Vec::<String>::new());
    assert_problem(
        r#"emit: Publish(event: "OrderPlaced", topic: "orders")"#,
        r#"emit: Publish(event: "OrderPlaced", topic: "orders", version: 3)"#,
        r#"error sources[shop].emit.version: event "OrderPlaced" has versions 1 to 2, not 3"#,
    );
}

#[test]
fn notifications_without_callback_are_flagged() {
    assert_problem(
        r#"Event(name: "OrderDone")"#,
        r#"Event(name: "OrderDone", style: Notification)"#,
        r#"warning services[audit].handlers[0].on: "OrderDone" is a thin notification, but this consumer never calls back for its details"#,
    );
}

#[test]
fn consumers_beyond_partitions_sit_idle() {
    assert_problem(
        r#"Service(name: "audit","#,
        r#"Service(name: "audit", instances: 5,"#,
        r#"warning topics[done].partitions: consumer group "audit" has 5 members but the topic has 2 partitions: 3 will sit idle"#,
    );
}

#[test]
fn distributions_and_rates_are_checked() {
    assert_problem(
        r#"Exponential(mean: "40ms")"#,
        r#"LogNormal(p50: "40ms", p99: "10ms")"#,
        "error services[payment].handlers[0].latency.p99: p99 10ms is below p50 40ms",
    );
    assert_problem(
        "Poisson(per_sec: 10.0)",
        "Poisson(per_sec: -1.0)",
        "error sources[shop].rate.per_sec: -1 is not an arrival rate",
    );
    assert_problem(
        "attempts: 3",
        "attempts: 0",
        "error services[payment].handlers[0].retry.attempts: at least 1 attempt is needed",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let src = BASE
        .replacen("partitions: 4", "partitions: 0", 1)
        .replacen(r#"compensate: "Release""#, r#"compensate: "RefundCard""#, 1)
        .replacen(r#"dead_letter: "dlq""#, r#"dead_letter: "nowhere""#, 1);
    let problems = validate(&parse(&src).unwrap());
    assert_eq!(
        problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count(),
        3,
        "{problems:#?}"
    );
}

#[test]
fn problems_point_at_their_element() {
    let src = BASE.replacen("partitions: 4", "partitions: 0", 1);
    let problems = validate(&parse(&src).unwrap());
    let element = problems[0].element.as_ref().unwrap();
    assert_eq!(
        (element.kind, element.name.as_str()),
        (crate::model::ElementKind::Topic, "orders")
    );
}

#[test]
fn a_consumer_group_belongs_to_one_service() {
    let problems = problems_after(
        r#"Service(name: "checkout", instances: 2),"#,
        r#"Service(name: "checkout", instances: 2, handlers: [
            Handler(on: Event(event: "OrderDone", topic: "done", group: "audit"), latency: Constant("1ms"))]),"#,
    );
    assert!(problems.iter().any(|p| p.starts_with(
        r#"error services[audit].handlers[0].on.group: consumer group "audit" on topic "done" already belongs to service "checkout""#
    )), "{problems:#?}");
}

#[test]
fn a_saga_trigger_and_a_handler_cannot_take_the_same_event_in_one_group() {
    let problems = problems_after(
        r#"Service(name: "checkout", instances: 2),"#,
        r#"Service(name: "checkout", instances: 2, handlers: [
            Handler(on: Event(event: "OrderPlaced", topic: "orders"), latency: Constant("1ms"))]),"#,
    );
    assert!(problems.iter().any(|p| p.starts_with(
        r#"error sagas[checkout].trigger: "OrderPlaced" from "orders" in group "checkout" is already taken by services[checkout].handlers[0].on"#
    )), "{problems:#?}");
}

fn problems_of(src: &str) -> Vec<String> {
    let model = parse(src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    validate(&model)
        .into_iter()
        .map(|p| format!("{} {}: {}", p.severity, p.path, p.message))
        .collect()
}

#[test]
fn a_loop_every_message_takes_is_an_error() {
    let problems = problems_of(
        r#"Model(name: "loop", events: [Event(name: "E")], topics: [Topic(name: "t")],
        services: [Service(name: "s", handlers: [Handler(on: Event(event: "E", topic: "t"), latency: Constant("0s"),
            emit: [Publish(event: "E", topic: "t")])])],
        sources: [Source(name: "in", emit: Publish(event: "E", topic: "t"), rate: Bursts(size: 1, every: "1h"))])"#,
    );
    assert_eq!(
        problems,
        vec![
            r#"error services[s].handlers[0].emit: an endless loop: "E" on "t" -> back again, for every message"#
        ]
    );
    // In one of several outcomes the loop ends with probability 1: fine.
    let problems = problems_of(
        r#"Model(name: "loop", events: [Event(name: "E")], topics: [Topic(name: "t")],
        services: [Service(name: "s", handlers: [Handler(on: Event(event: "E", topic: "t"), latency: Constant("0s"),
            outcomes: [Outcome(probability: 0.5, emit: [Publish(event: "E", topic: "t")]), Outcome(probability: 0.5)])])],
        sources: [Source(name: "in", emit: Publish(event: "E", topic: "t"), rate: Bursts(size: 1, every: "1h"))])"#,
    );
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn a_saga_started_by_a_command_is_clean_when_something_sends_it() {
    let base = r#"Model(name: "cmd saga",
        services: [Service(name: "o"), Service(name: "p", handlers: [Handler(on: Command("Do"), latency: Constant("1ms"), emit: [Reply("Ok")])])],
        sagas: [Saga(name: "s", orchestrator: "o", trigger: Command("Start"), steps: [Step(name: "do", service: "p", command: "Do")])],
        sources: [Source(name: "in", emit: Send(command: "Start", to: "o"), rate: Poisson(per_sec: 1.0))])"#;
    assert_eq!(problems_of(base), Vec::<String>::new());
    let unsent = base.replace(
        r#"Send(command: "Start", to: "o")"#,
        r#"Send(command: "Do", to: "p")"#,
    );
    assert_eq!(
        problems_of(&unsent),
        vec![r#"warning sagas[s].trigger: nothing sends command "Start" to "o""#]
    );
    let clash = base.replace(r#"Service(name: "o")"#, r#"Service(name: "o", handlers: [Handler(on: Command("Start"), latency: Constant("1ms"))])"#);
    assert!(
        problems_of(&clash)
            .iter()
            .any(|p| p.contains("services[o].handlers[0] also takes it"))
    );
    // Started by a query, which the engine takes as a command: one error, the trigger's
    // (the source's send reaches the orchestrator, as in a run).
    let query = base.replace(r#"trigger: Command("Start")"#, r#"trigger: Query("Start")"#);
    assert_eq!(
        problems_of(&query),
        vec![r#"error sagas[s].trigger: a saga cannot be started by a query"#]
    );
}

#[test]
fn absurd_numbers_are_errors_not_panics() {
    assert_problem(
        r#"Service(name: "audit","#,
        r#"Service(name: "audit", instances: 65536, concurrency: 65536,"#,
        "error services[audit].concurrency: 65536 instances × 65536 workers is more than 1000000 workers",
    );
    // The largest version: no overflow in the compatibility rule.
    let src = BASE
        .replacen(
            r#"Event(name: "OrderPlaced", version: 2,"#,
            r#"Event(name: "OrderPlaced", version: 4294967295, compatibility: Forward,"#,
            1,
        )
        .replacen(
            r#"trigger: Event(event: "OrderPlaced", topic: "orders")"#,
            r#"trigger: Event(event: "OrderPlaced", topic: "orders", version: 1)"#,
            1,
        );
    let problems: Vec<String> = validate(&parse(&src).unwrap())
        .iter()
        .map(|p| p.message.clone())
        .collect();
    assert_eq!(
        problems,
        vec![
            r#"reads "OrderPlaced" with schema v1, but source "shop" writes v4294967295, which Forward compatibility does not allow"#
        ]
    );
}

#[test]
fn a_dead_letter_topic_counts_as_produced() {
    let problems = problems_after(
        r#"Service(name: "audit", handlers: ["#,
        r#"Service(name: "ops", handlers: [Handler(on: Event(event: "OrderPlaced", topic: "dlq"), latency: Constant("1ms"))]),
           Service(name: "feeder", handlers: [Handler(on: Event(event: "OrderPlaced", topic: "orders", group: "feeder"), latency: Constant("1ms"),
                fail_probability: 0.1, dead_letter: "dlq")]),
           Service(name: "audit", handlers: ["#,
    );
    assert_eq!(problems, Vec::<String>::new());
}
