//! Tests of the emergent process, on full runs of the examples.

use super::*;
use crate::examples;
use crate::model::Action;
use crate::sim::{RunOptions, Simulation};

/// Run `model` with every trace record collected.
fn run(model: &Model, seed: Option<u64>, duration_secs: Option<u64>) -> (Simulation, Vec<Record>) {
    let mut sim = Simulation::new(
        model,
        RunOptions {
            seed,
            duration_nanos: duration_secs.map(|s| s * 1_000_000_000),
            trace_capacity: 0,
        },
    )
    .unwrap();
    let records = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let records = records.lock().unwrap().clone();
    (sim, records)
}

fn names(p: &Process, path: &[usize]) -> Vec<String> {
    path.iter().map(|i| p.activities[*i].name.clone()).collect()
}

fn flow<'a>(p: &'a Process, from: &str, to: &str) -> Option<&'a Flow> {
    let (f, t) = (p.activity_index(from)?, p.activity_index(to)?);
    p.flows.iter().find(|x| x.from == f && x.to == t)
}

/// The directly-follows graph adds up: shares, endpoints, counts in and out.
fn assert_consistent(p: &Process) {
    let n = p.activities.len();
    let share: f64 = p.variants.iter().map(|v| v.share).sum();
    assert!((share - 1.0).abs() < 1e-9, "shares sum to {share}");
    assert_eq!(p.variants.iter().map(|v| v.count).sum::<u64>(), p.cases);
    assert!(p.variants.windows(2).all(|w| w[0].count >= w[1].count));
    let mut out = vec![0u64; n];
    let mut inc = vec![0u64; n];
    for f in &p.flows {
        assert!(f.from < n && f.to < n, "{f:?}");
        assert!(f.count > 0);
        out[f.from] += f.count;
        inc[f.to] += f.count;
    }
    for &(a, c) in &p.starts {
        inc[a] += c;
    }
    for &(a, c) in &p.ends {
        out[a] += c;
    }
    for (i, a) in p.activities.iter().enumerate() {
        assert_eq!(out[i], a.count, "out of {}", a.name);
        assert_eq!(inc[i], a.count, "into {}", a.name);
    }
    let with_path: u64 = p
        .variants
        .iter()
        .filter(|v| !v.path.is_empty())
        .map(|v| v.count)
        .sum();
    assert_eq!(p.starts.iter().map(|s| s.1).sum::<u64>(), with_path);
    assert_eq!(p.ends.iter().map(|s| s.1).sum::<u64>(), with_path);
}

#[test]
fn saga_variants_match_the_engines_saga_outcomes() {
    let model = examples::DEFAULT.model().unwrap();
    let (sim, records) = run(&model, None, None);
    let p = emergent_process(&model, sim.plan(), &records);
    assert_consistent(&p);

    let outcomes = sim.stats().sagas[0].outcomes;
    let per_kind = |k: VariantKind| -> u64 {
        p.variants
            .iter()
            .filter(|v| v.kind == k)
            .map(|v| v.count)
            .sum()
    };
    for (o, n) in SagaOutcome::ALL.iter().zip(outcomes) {
        assert_eq!(per_kind(VariantKind::of_saga(*o)), n, "{o:?}");
    }
    // Every item of this model starts a saga: the rest are still running.
    let started = sim.stats().sagas[0].started;
    assert!(
        outcomes[0] > 20_000 && outcomes[1] > 0 && outcomes[2] > 0,
        "{outcomes:?}"
    );
    assert_eq!(p.cases, sim.stats().sources[0].emitted);
    assert_eq!(
        p.cases,
        outcomes.iter().sum::<u64>()
            + per_kind(VariantKind::Unfinished)
            + per_kind(VariantKind::Failed),
    );
    assert!(started >= outcomes.iter().sum::<u64>());

    // The most frequent variant is the happy path, hand-off by hand-off, all modelled.
    let top = &p.variants[0];
    assert_eq!(top.kind, VariantKind::HappyPath);
    assert_eq!(
        names(&p, &top.path),
        [
            "OrderPlaced @ checkout",
            "ReserveStock @ inventory",
            "StockReserved @ checkout",
            "ChargeCard @ payment",
            "CardCharged @ checkout",
            "CreateShipment @ shipping",
            "ShipmentCreated @ checkout",
            "checkout: completed",
            "OrderCompleted @ notifications",
        ]
    );
    for w in top.path.windows(2) {
        let f = p
            .flows
            .iter()
            .find(|f| f.from == w[0] && f.to == w[1])
            .unwrap();
        assert!(!f.unmodelled, "{f:?}");
    }
    assert!(records.iter().any(|r| r.correlation == top.example));

    // A declined card is compensated: the stock is released, the order rejected.
    let declined = p
        .variants
        .iter()
        .find(|v| {
            v.kind == VariantKind::Compensated
                && names(&p, &v.path).contains(&"CardDeclined @ checkout".to_owned())
        })
        .expect("a declined card");
    assert_eq!(
        names(&p, &declined.path)[4..],
        [
            "CardDeclined @ checkout",
            "checkout: compensation ReleaseStock",
            "ReleaseStock @ inventory",
            "StockReleased @ checkout",
            "checkout: compensated",
            "OrderRejected @ notifications",
        ]
    );
    // The inventory crash: queued commands rejected, steps timing out.
    assert!(
        p.activity_index("ReserveStock rejected at inventory")
            .is_some()
    );
    assert!(
        p.activity_index("checkout: step reserve timed out")
            .is_some()
    );
    assert!(p.variants.iter().any(|v| v.kind == VariantKind::TimedOut
        && names(&p, &v.path).last().map(String::as_str) == Some("OrderRejected @ notifications")));
}

#[test]
fn same_seed_same_process() {
    let model = examples::DEFAULT.model().unwrap();
    let (s1, r1) = run(&model, Some(7), Some(200));
    let (s2, r2) = run(&model, Some(7), Some(200));
    let p1 = emergent_process(&model, s1.plan(), &r1);
    assert_eq!(p1, emergent_process(&model, s2.plan(), &r2));
    let (s3, r3) = run(&model, Some(8), Some(200));
    assert_ne!(p1, emergent_process(&model, s3.plan(), &r3));
}

#[test]
fn choreography_faults_show_as_their_own_variants() {
    let model = examples::find("choreography").unwrap().model().unwrap();
    let (sim, records) = run(&model, None, None);
    let p = emergent_process(&model, sim.plan(), &records);
    assert_consistent(&p);
    assert_eq!(
        sim.stats().sagas.len(),
        0,
        "choreography: no saga, kinds come from the messages"
    );

    let happy = &p.variants[0];
    assert_eq!(happy.kind, VariantKind::HappyPath);
    assert_eq!(
        names(&p, &happy.path),
        [
            "OrderPlaced @ payment",
            "PaymentCompleted @ inventory",
            "StockReserved @ shipping",
            "OrderShipped @ orders",
        ]
    );
    // Poison messages on `orders`: dead-lettered after every retry, a variant of
    // their own that ends at the dead letter.
    let dead = p
        .variants
        .iter()
        .find(|v| v.kind == VariantKind::DeadLettered)
        .expect("a dead-lettered variant");
    assert_eq!(
        names(&p, &dead.path),
        ["OrderPlaced dead-lettered at payment"]
    );
    let dead_letters: u64 = p
        .variants
        .iter()
        .filter(|v| v.kind == VariantKind::DeadLettered)
        .map(|v| v.count)
        .sum();
    assert_eq!(dead_letters, sim.stats().messages.dead_lettered);
    assert_eq!(
        p.starts.iter().find(|s| s.0 == dead.path[0]).unwrap().1,
        dead_letters
    );

    // The broker duplicating payment events: the inventory, not idempotent,
    // reserves twice, a hand-off the model does not have.
    let twice = flow(
        &p,
        "PaymentCompleted @ inventory",
        "PaymentCompleted @ inventory",
    )
    .expect("a duplicate applied twice");
    assert!(twice.unmodelled);
    assert!(
        p.variants
            .iter()
            .any(|v| v.kind == VariantKind::HappyPath && v.path.windows(2).any(|w| w[0] == w[1]))
    );
    // Every other departure is a second copy of a `payments` event too: the
    // only departures from the model in this run come from the duplicate fault.
    let copied = [
        "PaymentCompleted @ inventory",
        "PaymentFailed @ orders",
        "PaymentRefunded @ orders",
    ];
    for f in p.flows.iter().filter(|f| f.unmodelled) {
        let to = p.activities[f.to].name.as_str();
        assert!(copied.contains(&to), "{:?}", names(&p, &[f.from, f.to]));
    }
}

#[test]
fn a_hand_off_missing_from_the_model_is_unmodelled() {
    let model = examples::find("choreography").unwrap().model().unwrap();
    let (sim, records) = run(&model, None, Some(60));
    let p = emergent_process(&model, sim.plan(), &records);
    let shipped = ("StockReserved @ shipping", "OrderShipped @ orders");
    assert!(!flow(&p, shipped.0, shipped.1).unwrap().unmodelled);
    assert!(
        !p.never_seen
            .iter()
            .any(|(f, t)| f == shipped.0 && t == shipped.1)
    );

    // The same trace against a model whose shipping no longer publishes.
    let mut changed = model.clone();
    let shipping = changed
        .services
        .iter_mut()
        .find(|s| s.name == "shipping")
        .unwrap();
    shipping.handlers[0].emit.clear();
    // …and whose orders service now hands shipped orders back to shipping.
    let orders = changed
        .services
        .iter_mut()
        .find(|s| s.name == "orders")
        .unwrap();
    orders.handlers[2].emit.push(Action::Publish {
        event: "StockReserved".into(),
        topic: "inventory".into(),
        version: None,
    });
    let q = emergent_process(&changed, sim.plan(), &records);
    assert!(flow(&q, shipped.0, shipped.1).unwrap().unmodelled);
    assert!(q.never_seen.contains(&(
        "OrderShipped @ orders".into(),
        "StockReserved @ shipping".into()
    )));
    // Only the model changed: the mined process is otherwise the same.
    assert_eq!(p.activities, q.activities);
    assert_eq!(p.variants, q.variants);
}

#[test]
fn modelled_hand_offs_of_the_saga_example() {
    let model = examples::DEFAULT.model().unwrap();
    let h = model.flows().activity_handoffs();
    let has = |f: &str, t: &str| h.contains(&(f.to_owned(), t.to_owned()));
    assert!(has("OrderPlaced @ checkout", "ReserveStock @ inventory"));
    assert!(has("ReserveStock @ inventory", "OutOfStock @ checkout"));
    assert!(has("OutOfStock @ checkout", "checkout: compensated"));
    assert!(has(
        "CardDeclined @ checkout",
        "checkout: compensation ReleaseStock"
    ));
    assert!(has(
        "AddressInvalid @ checkout",
        "checkout: compensation RefundCard"
    ));
    assert!(has(
        "CardRefunded @ checkout",
        "checkout: compensation ReleaseStock"
    ));
    assert!(has("StockReleased @ checkout", "checkout: timed out"));
    assert!(has(
        "checkout: compensation failed",
        "OrderRejected @ notifications"
    ));
    assert!(has("checkout: completed", "OrderCompleted @ notifications"));
    assert!(!has("CardCharged @ checkout", "checkout: completed"));
}

#[test]
fn callbacks_sit_between_the_producer_and_the_caller() {
    let model = examples::find("notification").unwrap().model().unwrap();
    let h = model.flows().activity_handoffs();
    let has = |f: &str, t: &str| h.contains(&(f.to_owned(), t.to_owned()));
    assert!(has("UpdateCustomer @ customers", "GetCustomer @ customers"));
    assert!(has(
        "GetCustomer @ customers",
        "CustomerChanged @ billing-notified"
    ));
    assert!(has(
        "UpdateCustomer @ customers",
        "CustomerUpdated @ billing-replica"
    ));
    assert!(!has(
        "UpdateCustomer @ customers",
        "CustomerChanged @ billing-notified"
    ));

    // Two branches interleave; neither is a departure from the model.
    let (sim, records) = run(&model, None, Some(60));
    let p = emergent_process(&model, sim.plan(), &records);
    assert_consistent(&p);
    assert!(p.flows.iter().all(|f| !f.unmodelled), "{:?}", p.flows);
}
