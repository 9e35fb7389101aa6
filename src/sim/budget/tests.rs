use super::*;
use crate::model::{Rate, parse};

fn saga() -> Model {
    parse(include_str!("../../../models/order-saga.ron")).unwrap()
}

#[test]
fn the_saga_example_estimate_is_near_what_it_does() {
    let model = saga();
    let options = RunOptions::default();
    let e = estimate(&model, &options);
    // 50 orders a second for 10 minutes.
    assert!((e.items - 30_000.0).abs() < 1.0, "{e:?}");
    let mut sim = Simulation::new(&model, options).unwrap();
    sim.run();
    let actual = sim.stats().events as f64;
    assert!(
        e.events > actual / 3.0 && e.events < actual * 3.0,
        "estimate {} vs {actual} events",
        e.events
    );
    assert!(Budget::default().admit(&e).is_ok());
}

#[test]
fn a_run_beyond_the_limits_is_refused_unless_it_has_an_event_budget() {
    let mut model = saga();
    model.sources[0].rate = Rate::Poisson {
        per_sec: 4_294_967_295.0,
    };
    let e = estimate(&model, &RunOptions::default());
    let refusal = Budget::default().admit(&e).unwrap_err();
    assert!(matches!(refusal, Refusal::TooManyEvents(_)));
    assert!(refusal.to_string().contains("events"), "{refusal}");
    assert!(refusal.hint().contains("--max-events"));
    let capped = Budget {
        max_events: Some(10_000),
        ..Budget::default()
    };
    assert!(capped.admit(&e).is_ok());

    let mut model = saga();
    model.topics[0].partitions = 50_000_000;
    let e = estimate(&model, &RunOptions::default());
    assert!(
        matches!(capped.admit(&e), Err(Refusal::TooMuchMemory(_))),
        "{e:?}"
    );
}

#[test]
fn an_event_budget_ends_the_run_cleanly_where_it_is() {
    let model = saga();
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    let budget = Budget {
        max_events: Some(100_000),
        ..Budget::default()
    };
    let mut calls = 0;
    let stopped = run(&mut sim, &budget, &mut |_| calls += 1);
    assert_eq!(stopped, Some(Stopped::MaxEvents(100_000)));
    assert_eq!(sim.stats().events, 100_000);
    assert!(sim.is_done());
    assert!(sim.end().as_nanos() < model.duration.as_nanos());
    assert!(
        sim.stats().messages.balanced(),
        "{:?}",
        sim.stats().messages
    );
    assert!(calls >= 2);
    // Deterministic: the same budget stops at the same point.
    let mut again = Simulation::new(&model, RunOptions::default()).unwrap();
    run(&mut again, &budget, &mut |_| {});
    assert_eq!(again.end(), sim.end());
}

#[test]
fn without_limits_a_run_goes_to_its_end_as_run_does() {
    let model = saga();
    let mut a = Simulation::new(&model, RunOptions::default()).unwrap();
    assert_eq!(run(&mut a, &Budget::default(), &mut |_| {}), None);
    let mut b = Simulation::new(&model, RunOptions::default()).unwrap();
    b.run();
    assert_eq!(a.stats().events, b.stats().events);
    assert_eq!(a.end(), b.end());
    assert_eq!(a.stats().messages, b.stats().messages);
}

#[test]
fn a_wall_budget_stops_a_long_run() {
    let mut model = saga();
    model.duration = crate::model::Duration::from_secs(1_000_000);
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    let budget = Budget {
        max_wall: Some(Duration::from_millis(50)),
        ..Budget::default()
    };
    let t = Instant::now();
    let stopped = run(&mut sim, &budget, &mut |_| {});
    assert_eq!(stopped, Some(Stopped::MaxWall(Duration::from_millis(50))));
    assert!(t.elapsed() < Duration::from_secs(5));
    assert!(sim.is_done());
}
