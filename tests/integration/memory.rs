//! Constant memory in a steady state: what the engine retains (dedupe memory, logs,
//! message, correlation and saga slots, scheduled events) does not grow with
//! simulated time, and a dedupe window that forgets shows its cost as double effects.

use eventscape::examples;
use eventscape::model::{DedupeWindow, Duration};
use eventscape::sim::{RunOptions, SimTime, Simulation};

/// The saga example for 1 hour, sampled every 10 minutes of simulated time (its
/// services remember ids for their default window of 10 minutes).
#[test]
fn the_saga_examples_retained_state_stays_bounded_over_a_long_run() {
    let model = examples::find("saga").unwrap().model().unwrap();
    let hour = 3_600_000_000_000;
    let mut sim = Simulation::new(
        &model,
        RunOptions {
            duration_nanos: Some(hour),
            trace_capacity: 0,
            ..RunOptions::default()
        },
    )
    .unwrap();
    let mut samples = Vec::new();
    for i in 1..=6 {
        sim.step_until(SimTime::from_nanos(hour / 6 * i));
        samples.push(sim.retained());
    }
    // After the first window the memory is warm: later samples stay near it.
    let warm = samples[1];
    assert!(
        warm.seen > 10_000,
        "the saga's consumers remember ids: {warm:?}"
    );
    for r in &samples[2..] {
        let near = |now: usize, then: usize| now <= then + then / 4 + 64;
        assert!(
            near(r.seen, warm.seen),
            "dedupe memory grew: {warm:?} → {r:?}"
        );
        assert!(near(r.log_entries, warm.log_entries), "{warm:?} → {r:?}");
        assert!(near(r.msg_slots, warm.msg_slots), "{warm:?} → {r:?}");
        assert!(near(r.corr_slots, warm.corr_slots), "{warm:?} → {r:?}");
        assert!(near(r.saga_slots, warm.saga_slots), "{warm:?} → {r:?}");
        assert!(near(r.scheduled, warm.scheduled), "{warm:?} → {r:?}");
        assert!(near(r.store_keys, warm.store_keys), "{warm:?} → {r:?}");
    }
    // Chart samples are a fixed number per run, whatever its length.
    assert!(samples[5].samples <= 7 * 202, "{:?}", samples[5]);
    sim.finish();
    assert!(
        sim.stats().messages.balanced(),
        "{:?}",
        sim.stats().messages
    );
}

/// A window shorter than the time between two copies of a message forgets the first:
/// the second is applied again even by an idempotent consumer, and counted.
#[test]
fn duplicates_older_than_the_window_are_applied_twice_and_counted() {
    let mut model = examples::find("choreography").unwrap().model().unwrap();
    let run = |model: &eventscape::model::Model| {
        let mut sim = Simulation::new(model, RunOptions::default()).unwrap();
        sim.run();
        sim.stats().messages.clone()
    };
    let remembered = run(&model);
    assert_eq!(remembered.forgotten_duplicates, 0, "{remembered:?}");
    for s in &mut model.services {
        s.dedupe_window = DedupeWindow {
            time: Duration::from_nanos(1_000),
            ..DedupeWindow::default()
        };
    }
    let forgetful = run(&model);
    assert!(forgetful.forgotten_duplicates > 0, "{forgetful:?}");
    assert!(
        forgetful.double_effects >= forgetful.forgotten_duplicates,
        "every forgotten duplicate is a double effect: {forgetful:?}"
    );
    assert!(forgetful.balanced(), "{forgetful:?}");
}

#[test]
fn the_dedupe_window_has_a_documented_default_and_round_trips() {
    let model = examples::find("saga").unwrap().model().unwrap();
    let ron = eventscape::model::to_ron(&model).unwrap();
    assert!(
        !ron.contains("dedupe_window"),
        "the default is left out of a saved file"
    );
    let text = "Model(name: \"m\", services: [Service(name: \"a\", dedupe_window: DedupeWindow(size: 10))])";
    let m = eventscape::model::parse(text).unwrap();
    let w = m.services[0].dedupe_window;
    assert_eq!(w.size, 10);
    assert_eq!(w.time, eventscape::model::DEFAULT_DEDUPE_TIME);
    let back = eventscape::model::parse(&eventscape::model::to_ron(&m).unwrap()).unwrap();
    assert_eq!(back.services[0].dedupe_window, w);
}
