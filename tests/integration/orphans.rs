//! Effects of failed processes that nothing undoes: orphaned saga steps (a success
//! that comes after the saga gave up on it), the policies that fix them, the
//! choreography check, and the process kinds that tell what happened.

use std::sync::{Arc, Mutex};

use eventscape::analysis::process::VariantKind;
use eventscape::analysis::{BottleneckKind, Report, emergent_process};
use eventscape::examples;
use eventscape::model::{Assertion, Model, OnLateSuccess, OnTimeout, parse};
use eventscape::sim::{
    Breakpoint, Playback, Record, RunOptions, RunOutcome, Simulation, TraceKind,
};

fn report(model: &Model) -> Report {
    let mut sim = Simulation::new(model, RunOptions::default()).unwrap();
    sim.run();
    Report::new(model, &mut sim)
}

fn saga_example() -> Model {
    let mut m = examples::find("saga").unwrap().model().unwrap();
    m.assertions = vec![Assertion::NoOrphanedEffects];
    m
}

#[test]
fn the_saga_example_shows_orphaned_effects_as_a_finding() {
    let r = report(&saga_example());
    let s = &r.sagas[0];
    assert!(s.orphaned_effects > 1000, "{}", s.orphaned_effects);
    // The card charged after the order was rejected, and the stock reserved after
    // the saga gave up: both steps leave effects.
    let step = |n: &str| s.steps.iter().find(|st| st.name == n).unwrap().orphaned;
    assert!(step("charge") > 1000 && step("reserve") > 100);
    assert_eq!(step("charge") + step("reserve"), s.orphaned_effects);
    assert_eq!(s.orphan_examples.len(), 5);
    let f = r
        .bottlenecks
        .iter()
        .find(|b| b.kind == BottleneckKind::OrphanedEffects)
        .expect("an orphaned-effects finding");
    assert_eq!(f.rank, 1, "{:?}", r.bottlenecks);
    assert!(f.evidence.contains(&s.orphan_examples[0].to_string()));
    assert!(!r.assertions[0].passed);
    assert!(
        r.assertions[0]
            .measured
            .starts_with(&format!("{} orphaned", s.orphaned_effects))
    );
    let text = eventscape::analysis::render_text(&r);
    assert!(text.contains("orphaned effects"), "{text}");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["sagas"][0]["orphaned_effects"], s.orphaned_effects);
    assert_eq!(json["bottlenecks"][0]["kind"], "orphaned_effects");
}

#[test]
fn compensating_on_timeout_and_on_late_success_leaves_none() {
    let mut m = saga_example();
    m.sagas[0].on_timeout = OnTimeout::Compensate;
    m.sagas[0].on_late_success = OnLateSuccess::Compensate;
    let r = report(&m);
    let s = &r.sagas[0];
    assert_eq!(s.orphaned_effects, 0);
    // The late successes were undone by compensations sent after the saga ended.
    assert!(s.late_compensations > 1000, "{}", s.late_compensations);
    assert!(
        r.bottlenecks
            .iter()
            .all(|b| b.kind != BottleneckKind::OrphanedEffects)
    );
    assert!(r.assertions[0].passed, "{:?}", r.assertions[0]);
}

#[test]
fn a_step_policy_overrides_the_sagas_and_the_defaults_keep_todays_behaviour() {
    let mut m = saga_example();
    let base = report(&m).sagas[0].clone();
    // Only the charge step compensates late: the reserve step's orphans remain.
    m.sagas[0].steps[1].on_late_success = Some(OnLateSuccess::Compensate);
    let s = report(&m).sagas[0].clone();
    let step = |s: &eventscape::analysis::SagaReport, n: &str| {
        s.steps.iter().find(|st| st.name == n).unwrap().orphaned
    };
    assert_eq!(step(&s, "charge"), 0);
    assert!(step(&s, "reserve") > 0);
    // The defaults read and run as before: the late replies the issue counted.
    assert_eq!(base.late_replies, 4376);
    assert_eq!(base.late_compensations, 0);
    // The policies load from RON and are left out when at their defaults.
    let text = eventscape::model::to_ron(&saga_example()).unwrap();
    assert!(!text.contains("on_timeout") && !text.contains("on_late_success"));
    let with = examples::find("saga").unwrap().text.replace(
        "on_abort: [",
        "on_timeout: Compensate, on_late_success: Compensate, on_abort: [",
    );
    let parsed = parse(&with).unwrap();
    assert_eq!(parsed.sagas[0].on_timeout, OnTimeout::Compensate);
    assert_eq!(
        parsed.sagas[0].late_success_policy(0),
        OnLateSuccess::Compensate
    );
}

#[test]
fn the_breakpoint_stops_at_the_first_orphaned_effect() {
    let model = saga_example();
    let mut p = Playback::new(&model, None).unwrap();
    let end = p.end();
    let outcome = p.run_until(end, usize::MAX, &[Breakpoint::OrphanedEffect]);
    let RunOutcome::Hit { record, why, .. } = outcome else {
        panic!("no hit: {outcome:?}");
    };
    let r = p.records()[record.unwrap()];
    assert_eq!(r.kind, TraceKind::OrphanedEffect);
    assert!(why.contains("orphaned_effect"), "{why}");
    assert!(p.time() < end);
}

/// A choreography whose compensation handler gives up some of the time: stock runs
/// out after the payment, and the refund sometimes never comes.
const CHOREOGRAPHY: &str = r#"Model(
    name: "refunds that get lost",
    seed: 7,
    duration: "1m",
    events: [
        Event(name: "OrderPlaced"),
        Event(name: "PaymentCompleted"),
        Event(name: "OutOfStock", failure: true),
        Event(name: "StockReserved"),
        Event(name: "PaymentRefunded", compensates: "PaymentCompleted"),
    ],
    topics: [Topic(name: "orders"), Topic(name: "payments"), Topic(name: "inventory"), Topic(name: "refunds")],
    services: [
        Service(name: "payment", concurrency: 4, handlers: [
            Handler(on: Event(event: "OrderPlaced", topic: "orders"), latency: Constant("5ms"),
                    emit: [Publish(event: "PaymentCompleted", topic: "payments")]),
            Handler(on: Event(event: "OutOfStock", topic: "inventory"), latency: Constant("5ms"),
                    fail_probability: 0.5,
                    emit: [Publish(event: "PaymentRefunded", topic: "refunds")]),
        ]),
        Service(name: "inventory", concurrency: 4, handlers: [
            Handler(on: Event(event: "PaymentCompleted", topic: "payments"), latency: Constant("5ms"),
                    outcomes: [
                        Outcome(probability: 0.8, emit: [Publish(event: "StockReserved", topic: "inventory")]),
                        Outcome(probability: 0.2, emit: [Publish(event: "OutOfStock", topic: "inventory")]),
                    ]),
        ]),
    ],
    sources: [Source(name: "shop", emit: Publish(event: "OrderPlaced", topic: "orders"), rate: Poisson(per_sec: 20.0))],
    assertions: [NoOrphanedEffects],
)"#;

#[test]
fn a_choreographed_compensation_that_never_came_is_an_orphaned_effect() {
    let m = parse(CHOREOGRAPHY).unwrap();
    let r = report(&m);
    let c = &r.choreography[0];
    assert_eq!(
        (c.effect.as_str(), c.compensation.as_str()),
        ("PaymentCompleted", "PaymentRefunded")
    );
    // About a fifth of the orders run out of stock; half of their refunds fail.
    assert!(c.due > 100 && c.orphaned > 0 && c.orphaned < c.due, "{c:?}");
    assert!(!r.assertions[0].passed);
    let f = r
        .bottlenecks
        .iter()
        .find(|b| b.kind == BottleneckKind::OrphanedEffects)
        .unwrap();
    assert_eq!(f.element.name, "payment");
    assert!(
        f.evidence.contains(&c.examples[0].to_string()),
        "{}",
        f.evidence
    );

    // Refunds that always work: nothing orphaned, the assertion passes.
    let fixed = parse(&CHOREOGRAPHY.replace("fail_probability: 0.5,", "")).unwrap();
    let r = report(&fixed);
    assert!(r.choreography[0].due > 100);
    assert_eq!(r.choreography[0].orphaned, 0);
    assert!(r.assertions[0].passed, "{:?}", r.assertions[0]);
}

fn mined(model: &Model) -> eventscape::analysis::Process {
    let mut sim = Simulation::new(model, RunOptions::default()).unwrap();
    let records: Arc<Mutex<Vec<Record>>> = Arc::default();
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let records = records.lock().unwrap().clone();
    emergent_process(model, sim.plan(), &records)
}

#[test]
fn choreography_cases_take_their_kind_from_what_happened() {
    let model = examples::find("choreography").unwrap().model().unwrap();
    let p = mined(&model);
    let name = |v: &eventscape::analysis::Variant| -> Vec<&str> {
        v.path
            .iter()
            .map(|&a| p.activities[a].name.as_str())
            .collect()
    };
    let has = |v: &eventscape::analysis::Variant, a: &str| name(v).iter().any(|n| n.starts_with(a));
    // Items still in flight at the end are unfinished, whatever they did.
    let finished = |v: &eventscape::analysis::Variant| v.kind != VariantKind::Unfinished;
    let mut seen = (0, 0);
    for v in p.variants.iter().filter(|v| finished(v)) {
        if has(v, "PaymentFailed @") {
            assert_eq!(v.kind, VariantKind::Aborted, "{:?}", name(v));
            seen.0 += v.count;
        }
        if has(v, "PaymentRefunded @") {
            assert_eq!(v.kind, VariantKind::Compensated, "{:?}", name(v));
            seen.1 += v.count;
        }
        if v.kind == VariantKind::HappyPath {
            assert!(
                !has(v, "OutOfStock @") && !has(v, "PaymentFailed @"),
                "{:?}",
                name(v)
            );
        }
    }
    assert!(seen.0 > 1000 && seen.1 > 300, "{seen:?}");
}

#[test]
fn validation_checks_the_new_fields() {
    use eventscape::model::{Severity, validate};
    let problems = |src: &str| -> Vec<String> {
        validate(&parse(src).unwrap())
            .iter()
            .filter(|p| p.severity == Severity::Error || p.message.contains("compensation"))
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    };
    let unknown = problems(&CHOREOGRAPHY.replace(
        "compensates: \"PaymentCompleted\"",
        "compensates: \"PaymentDone\"",
    ));
    assert!(
        unknown
            .iter()
            .any(|p| p.starts_with("events[PaymentRefunded].compensates")),
        "{unknown:?}"
    );
    let itself = problems(&CHOREOGRAPHY.replace(
        "compensates: \"PaymentCompleted\"",
        "compensates: \"PaymentRefunded\"",
    ));
    assert!(
        itself
            .iter()
            .any(|p| p.contains("cannot compensate itself")),
        "{itself:?}"
    );
    // A step policy that has nothing to send is worth a warning.
    let mut m = saga_example();
    m.sagas[0].steps[2].on_late_success = Some(OnLateSuccess::Compensate);
    let w: Vec<String> = validate(&m)
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    assert!(
        w.iter()
            .any(|p| p.contains("steps[2].on_late_success") && p.contains("\"ship\"")),
        "{w:?}"
    );
}

/// One slow step: the participant takes 3 s, the orchestrator waits 1 s.
fn slow_step(concurrency: u32, policies: &str) -> Report {
    let src = format!(
        r#"Model(
    name: "slow reservation",
    seed: 1,
    duration: "60s",
    services: [
        Service(name: "orch"),
        Service(name: "stock", concurrency: {concurrency}, handlers: [
            Handler(on: Command("Reserve"), latency: Constant("3s"), emit: [Reply("Reserved")], idempotent: true),
            Handler(on: Command("Release"), latency: Constant("10ms"), emit: [Reply("Released")], idempotent: true),
        ]),
    ],
    sagas: [
        Saga(name: "order", orchestrator: "orch", trigger: Command("Start"),
             steps: [Step(name: "reserve", service: "stock", command: "Reserve", success: "Reserved",
                          timeout: "1s", compensate: "Release")],
             {policies}),
    ],
    sources: [Source(name: "shop", emit: Send(command: "Start", to: "orch"), rate: Constant(per_sec: 0.2), stop: "20s")],
)"#
    );
    report(&parse(&src).unwrap())
}

#[test]
fn what_each_policy_does_with_a_step_that_times_out_and_then_happens() {
    // Four orders, each reserved 2 s after its saga timed out.
    let orphans = |r: &Report| (r.sagas[0].orphaned_effects, r.sagas[0].late_compensations);
    let default = slow_step(1, "");
    assert_eq!(default.sagas[0].outcomes.timed_out, 4);
    assert_eq!(orphans(&default), (4, 0));
    // Undo late successes: every reservation is released after it happened.
    assert_eq!(
        orphans(&slow_step(1, "on_late_success: Compensate")),
        (0, 4)
    );
    // Compensate on timeout: one worker handles the release after the reservation,
    // so it undoes it; the release's answer comes after its own timeout, so the
    // sagas end "compensation failed", yet nothing is left standing...
    let one = slow_step(1, "on_timeout: Compensate");
    assert_eq!(orphans(&one), (0, 0));
    assert_eq!(one.sagas[0].outcomes.compensation_failed, 4);
    // ...but with a second worker the quick release overtakes the slow reservation
    // and undoes nothing: the reservation that follows is orphaned. Both policies
    // together undo it after all.
    assert_eq!(orphans(&slow_step(2, "on_timeout: Compensate")), (4, 0));
    assert_eq!(
        orphans(&slow_step(
            2,
            "on_timeout: Compensate, on_late_success: Compensate"
        )),
        (0, 4)
    );
}
