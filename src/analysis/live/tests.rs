use super::*;
use crate::sim::SimTime;
use crate::sim::{Playback, RunOptions};

const S: u64 = 1_000_000_000;

#[test]
fn windowed_utilisation_of_hand_made_figures() {
    // One service of two workers.
    let mut u = WindowedUtilisation::new(2 * S);
    let mut at = |t: u64, busy: u128| u.observe_integrals(t, vec![busy], &[2])[0];
    assert_eq!(at(0, 0), 0.0);
    // One worker busy for the first second: half the capacity.
    assert_eq!(at(S, u128::from(S)), 0.5);
    // Both busy in the second: 3 of 4 worker-seconds since the start.
    assert_eq!(at(2 * S, u128::from(3 * S)), 0.75);
    // Both busy in the third: the window is now seconds 1 to 3, fully busy.
    assert_eq!(at(3 * S, u128::from(5 * S)), 1.0);
    // Idle for half a second: still from second 1 (the sample at 2 s is not yet a
    // whole window old), 4 of 5 worker-seconds.
    assert_eq!(at(3 * S + S / 2, u128::from(5 * S)), 0.8);
    // Stepping back starts afresh: the utilisation so far.
    assert_eq!(at(S, u128::from(S)), 0.5);
    // Jumping further than the window too: 4 of 20 worker-seconds.
    assert_eq!(at(10 * S, u128::from(4 * S)), 0.2);
}

#[test]
fn windowed_utilisation_with_no_workers_counts_one() {
    let mut u = WindowedUtilisation::new(2 * S);
    assert_eq!(u.observe_integrals(S, vec![u128::from(S)], &[0]), vec![1.0]);
}

/// A record of `kind` at `time` about element `element` of `at`.
fn record(time: u64, kind: TraceKind, at: Where, element: u32) -> Record {
    Record {
        time: SimTime::from_nanos(time),
        kind,
        at,
        element,
        correlation: 1,
        message: 1,
        message_type: 0,
        ..Record::BLANK
    }
}

#[test]
fn throughput_of_hand_made_records() {
    let done = |t: u64, service: u32| record(t, TraceKind::Completed, Where::Service, service);
    let mut records = vec![
        record(S / 10, TraceKind::Started, Where::Service, 0),
        done(S / 5, 0),
        done(S / 2, 1),
        // Not a service: element 0 of the sagas.
        record(S / 2, TraceKind::Completed, Where::Saga, 0),
        done(9 * S / 10, 0),
        done(S + S / 2, 0),
    ];
    let mut tp = Throughput::default();
    tp.update(&records, 0);
    assert_eq!(
        tp.completed_per_second(SimTime::from_nanos(S + S / 2)),
        &[2]
    );
    assert_eq!(tp.completed_per_second(SimTime::from_nanos(2 * S)), &[2, 1]);
    // No later completion: nothing is made up for the seconds after.
    assert_eq!(tp.completed_per_second(SimTime::from_nanos(5 * S)), &[2, 1]);
    // Only new records are read.
    records.push(done(3 * S + 1, 0));
    tp.update(&records, 0);
    assert_eq!(
        tp.completed_per_second(SimTime::from_nanos(4 * S)),
        &[2, 1, 0, 1]
    );
    // Going back (a shorter trace) counts again.
    records.truncate(3);
    tp.update(&records, 0);
    assert_eq!(tp.completed_per_second(SimTime::from_nanos(4 * S)), &[1]);
    // Another service starts over.
    tp.update(&records, 1);
    assert_eq!(tp.completed_per_second(SimTime::from_nanos(4 * S)), &[1]);
}

#[test]
fn live_figures_of_a_real_run() {
    let model = crate::examples::DEFAULT.model().unwrap();
    let mut p = Playback::new(&model, None).unwrap();
    let mut u = WindowedUtilisation::default();
    let mut seen: Vec<Vec<u128>> = Vec::new();
    let mut last = Vec::new();
    for t in 1..=4 {
        p.seek(SimTime::from_nanos(t * S));
        let sim = p.sim();
        seen.push(
            sim.stats()
                .services
                .iter()
                .map(|s| s.busy.integral_at(SimTime::from_nanos(t * S)))
                .collect(),
        );
        last = u.observe(sim);
    }
    // At 4 s the window reaches back to the sample at 2 s.
    let sim = p.sim();
    let expected: Vec<f64> = sim
        .plan()
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (seen[3][i] - seen[1][i]) as f64 / (2 * S) as f64 / f64::from(s.servers))
        .collect();
    assert_eq!(last, expected);
    assert!(last.iter().any(|&x| x > 0.0), "someone worked: {last:?}");
    let so_far = utilisation_so_far(sim);
    for (i, s) in sim.plan().services.iter().enumerate() {
        assert_eq!(
            so_far[i],
            seen[3][i] as f64 / (4 * S) as f64 / f64::from(s.servers)
        );
    }

    // Throughput: every completion of the service is counted in its second.
    let service = 1;
    let mut tp = Throughput::default();
    tp.update(p.records(), service);
    let counted: u64 = tp.completed_per_second(SimTime::MAX).iter().sum();
    assert_eq!(counted, sim.stats().services[service as usize].completed);
    assert!(counted > 0);
    let whole = tp.completed_per_second(SimTime::from_nanos(4 * S));
    assert_eq!(whole.len(), 4);
    let in_second_2 = p
        .records()
        .iter()
        .filter(|r| {
            r.kind == TraceKind::Completed
                && r.at == Where::Service
                && r.element == service
                && (2 * S..3 * S).contains(&r.time.as_nanos())
        })
        .count() as u64;
    assert_eq!(whole[2], in_second_2);
}

#[test]
fn utilisation_so_far_at_the_end_is_the_reports() {
    let model = crate::examples::DEFAULT.model().unwrap();
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    sim.run();
    let so_far = utilisation_so_far(&sim);
    let report = crate::analysis::Report::new(&model, &mut sim);
    let reported: Vec<f64> = report.services.iter().map(|s| s.utilisation).collect();
    assert_eq!(so_far, reported);
}
