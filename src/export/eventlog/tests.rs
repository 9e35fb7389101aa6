use super::*;

#[test]
fn simulated_time_reads_from_the_fixed_epoch_with_nanoseconds() {
    assert_eq!(timestamp(SimTime::ZERO), "2026-01-01T00:00:00.000000000Z");
    assert_eq!(
        timestamp(SimTime::from_nanos(3_723_000_000_007)),
        "2026-01-01T01:02:03.000000007Z"
    );
}

#[test]
fn cases_are_handed_over_as_their_items_end_and_those_in_flight_last() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/order-saga.ron");
    let model = crate::model::load_file(&path).unwrap();
    let options = crate::sim::RunOptions {
        seed: None,
        duration_nanos: Some(10_000_000_000),
        trace_capacity: 0,
    };
    let sim = Simulation::new(&model, options).unwrap();
    let mut seen: Vec<(bool, SimTime, u64)> = Vec::new();
    run_cases(sim, &crate::sim::budget::Budget::default(), |case| {
        let last = case.records.last().unwrap();
        for (i, r) in case.records.iter().enumerate() {
            assert_eq!(r.correlation, case.correlation);
            // Nothing of an item follows its end.
            let end = r.kind == TraceKind::ItemCompleted;
            assert_eq!(end, case.ended && i + 1 == case.records.len());
        }
        seen.push((case.ended, last.time, case.correlation));
        Ok(())
    })
    .unwrap();
    let ended = seen.iter().take_while(|c| c.0).count();
    assert!(
        ended > 100 && ended < seen.len(),
        "{ended} of {}",
        seen.len()
    );
    assert!(
        seen[..ended].windows(2).all(|w| w[0].1 <= w[1].1),
        "in order of end"
    );
    assert!(seen[ended..].iter().all(|c| !c.0));
    assert!(
        seen[ended..].windows(2).all(|w| w[0].2 < w[1].2),
        "by correlation"
    );
    let ids: std::collections::BTreeSet<u64> = seen.iter().map(|c| c.2).collect();
    assert_eq!(ids.len(), seen.len(), "each item once");
}

/// A model without topics has no partition objects: the objects of the cases are
/// then the first in their array, and the document is still JSON.
#[test]
fn ocel_without_topics_is_one_json_object_with_every_object() {
    let model = crate::model::parse(
        r#"Model(name: "no topics", duration: "5s",
        services: [
            Service(name: "a", handlers: [Handler(on: Command("A"), latency: Exponential(mean: "10ms"), emit: [Send(command: "B", to: "b")])]),
            Service(name: "b", handlers: [Handler(on: Command("B"), latency: Exponential(mean: "10ms"))]),
        ],
        sources: [Source(name: "in", emit: Send(command: "A", to: "a"), rate: Poisson(per_sec: 5.0))])"#,
    )
    .unwrap();
    let sim = Simulation::new(&model, crate::sim::RunOptions::default()).unwrap();
    let mut out = Vec::new();
    write_ocel(sim, &crate::sim::budget::Budget::default(), &mut out).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let objects = doc["objects"].as_array().unwrap();
    let items = objects.iter().filter(|o| o["type"] == "item").count();
    assert!(items > 5, "{items}");
    assert!(objects.iter().all(|o| o["type"] != "partition"));
    let events = doc["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["type"] == "B @ b"));
}
