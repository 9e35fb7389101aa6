//! Playback against straight runs: exact step back, seeks, resets, budgets, breakpoints.
use super::*;
use crate::analysis::Report;
use crate::examples;
use crate::model::Duration;
use crate::sim::{SimRng, TraceKind, Where};
use rand::{Rng, SeedableRng};

/// An example model cut to `secs` of simulated time (debug-build tests stay quick).
fn example(e: &examples::Example, secs: u64) -> Model {
    let mut m = e.model().expect("example parses");
    m.duration = Duration::from_secs(secs);
    m
}

/// The oracle: a plain run with every record streamed, stepped to its end (not
/// finished), and the records each event produced.
fn straight(model: &Model, seed: Option<u64>) -> (Simulation, Vec<Record>, Vec<usize>) {
    let mut sim = Simulation::new(
        model,
        RunOptions {
            seed,
            duration_nanos: None,
            trace_capacity: 0,
        },
    )
    .unwrap();
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&buf);
    sim.trace_mut()
        .set_sink(Box::new(move |r: &Record| sink.lock().unwrap().push(*r)));
    // ends[k] = records after k events.
    let mut ends = vec![0];
    while sim.step().is_some() {
        ends.push(buf.lock().unwrap().len());
    }
    let records = buf.lock().unwrap().clone();
    (sim, records, ends)
}

/// Everything about a state that the future of the run depends on or the app shows.
fn snapshot(model: &Model, p: &Playback) -> String {
    let sim = p.sim();
    let report = Report::new(model, &mut sim.clone());
    format!(
        "{}|{:?}|t={} steps={} rng={} queue={} next={:?} msgs={} live={} corrs={} sagas={} \
         seen={} trace={} ids={}/{} records={}",
        serde_json::to_string(&report).unwrap(),
        sim.stats(),
        p.time().as_nanos(),
        p.steps(),
        sim.rng.get_word_pos(),
        sim.queue.len(),
        sim.queue.peek_time(),
        sim.msgs.len(),
        sim.live.iter().filter(|l| **l).count(),
        sim.corrs.len(),
        sim.sagas.len(),
        sim.dedupe.len(),
        sim.trace().total,
        sim.next_corr_id,
        sim.next_event_id,
        p.records().len(),
    )
}

fn report_json(model: &Model, sim: &Simulation) -> String {
    serde_json::to_string(&Report::new(model, &mut sim.clone())).unwrap()
}

#[test]
fn step_back_undoes_one_event_exactly_at_random_points() {
    let mut rng = SimRng::seed_from_u64(99);
    for e in examples::ALL {
        let model = example(e, 20);
        let (_, all, ends) = straight(&model, Some(3));
        let total = (ends.len() - 1) as u64;
        assert!(total > 1_000, "{}: only {total} events", e.name);
        // Small checkpoint intervals and a low cap: restores, replays and thinning
        // all happen within the test.
        let mut p = Playback::with_checkpoints(&model, Some(3), 97, 6).unwrap();
        let mut points: Vec<u64> = (0..12).map(|_| rng.random_range(1..total)).collect();
        points.extend([1, 97, 98, 194, total - 1]);
        for n in points {
            p.seek_steps(n);
            assert_eq!(p.steps(), n);
            assert_eq!(p.records(), &all[..ends[n as usize]], "{} at {n}", e.name);
            let before = snapshot(&model, &p);
            let range = p.step().expect("not at the end");
            assert_eq!(range, ends[n as usize]..ends[n as usize + 1]);
            let produced = p.records()[range.clone()].to_vec();
            let after = snapshot(&model, &p);
            assert!(p.step_back());
            assert_eq!(
                snapshot(&model, &p),
                before,
                "{} back from {}",
                e.name,
                n + 1
            );
            assert_eq!(p.records(), &all[..ends[n as usize]]);
            // Forwards again: the same event, the same records, the same state.
            assert_eq!(p.step(), Some(range.clone()));
            assert_eq!(&p.records()[range], produced.as_slice());
            assert_eq!(snapshot(&model, &p), after, "{} again at {}", e.name, n + 1);
            // And a few more events go the way the straight run went.
            for _ in 0..20 {
                p.step();
            }
            let k = p.steps() as usize;
            assert_eq!(p.records(), &all[..ends[k]]);
        }
        let (count, every, _) = p.checkpoint_policy();
        assert!(
            count <= 6 && every > 97,
            "{count} checkpoints every {every}"
        );
    }
}

#[test]
fn step_back_restores_a_clock_moved_between_events() {
    let model = example(examples::DEFAULT, 20);
    let mut p = Playback::with_checkpoints(&model, None, 50, 8).unwrap();
    p.seek_steps(300);
    let t = p.next_time().map(SimTime::as_nanos).unwrap();
    let last = p.time().as_nanos();
    assert!(t > last + 1, "two events at once: pick another point");
    p.seek(SimTime::from_nanos(t - 1));
    assert_eq!((p.steps(), p.time().as_nanos()), (300, t - 1));
    let before = snapshot(&model, &p);
    p.step();
    p.step();
    assert!(p.step_back());
    assert!(p.step_back());
    assert_eq!(snapshot(&model, &p), before);
    assert!(p.step_back());
    assert_eq!(
        (p.steps(), p.time().as_nanos()),
        (299, p.sim().time().as_nanos())
    );
    assert!(p.time().as_nanos() <= last);
}

#[test]
fn stepping_back_to_the_start_and_past_it() {
    let model = example(examples::DEFAULT, 5);
    let mut p = Playback::new(&model, None).unwrap();
    let start = snapshot(&model, &p);
    assert!(!p.step_back());
    for _ in 0..30 {
        p.step().unwrap();
    }
    for _ in 0..30 {
        assert!(p.step_back());
    }
    assert!(!p.step_back());
    assert_eq!(snapshot(&model, &p), start);
    assert!(p.records().is_empty());
}

#[test]
fn seeking_back_and_forth_equals_a_straight_run() {
    for e in examples::ALL {
        let model = example(e, 30);
        let (sim, all, ends) = straight(&model, None);
        let end = model.duration.as_nanos();
        let mut p = Playback::with_checkpoints(&model, None, 211, 10).unwrap();
        for t in [
            end / 2,
            end / 5,
            end * 3 / 4,
            end / 3,
            0,
            end / 7,
            end / 4 + 1,
        ] {
            p.seek(SimTime::from_nanos(t));
            assert_eq!(p.time().as_nanos(), t);
            let expect = all.iter().take_while(|r| r.time.as_nanos() <= t).count();
            assert_eq!(p.records(), &all[..expect], "{} at {t}", e.name);
            let k = p.steps() as usize;
            assert_eq!(ends[k], expect);
            assert!(
                p.next_time()
                    .map(SimTime::as_nanos)
                    .is_none_or(|next| next > t)
            );
        }
        for n in [500, 40, 1_000, 999, 3] {
            p.seek_steps(n);
            assert_eq!(p.records(), &all[..ends[n as usize]]);
        }
        p.seek(SimTime::from_nanos(end));
        assert!(p.is_done());
        assert_eq!(p.time().as_nanos(), end);
        assert_eq!(p.records(), all.as_slice(), "{}", e.name);
        assert_eq!(report_json(&model, p.sim()), report_json(&model, &sim));
    }
}

#[test]
fn reset_reproduces_the_run_and_another_seed_is_another_run() {
    let model = example(examples::DEFAULT, 20);
    let mut p = Playback::with_checkpoints(&model, Some(5), 300, 8).unwrap();
    p.seek(SimTime::from_nanos(model.duration.as_nanos() / 2));
    let first = p.records().to_vec();
    let first_state = snapshot(&model, &p);
    p.seek(SimTime::from_nanos(model.duration.as_nanos()));
    p.reset(None);
    assert_eq!(p.seed(), 5);
    assert_eq!(
        (p.steps(), p.time().as_nanos(), p.records().len()),
        (0, 0, 0)
    );
    p.seek(SimTime::from_nanos(model.duration.as_nanos() / 2));
    assert_eq!(p.records(), first.as_slice());
    assert_eq!(snapshot(&model, &p), first_state);

    p.reset(Some(6));
    assert_eq!((p.seed(), p.steps(), p.records().len()), (6, 0, 0));
    p.seek(SimTime::from_nanos(model.duration.as_nanos() / 2));
    assert_ne!(p.records(), first.as_slice());
    let mut fresh = Playback::new(&model, Some(6)).unwrap();
    fresh.seek(SimTime::from_nanos(model.duration.as_nanos() / 2));
    assert_eq!(p.records(), fresh.records());
    assert_eq!(snapshot(&model, &p), snapshot(&model, &fresh));
    p.reset(Some(5));
    p.seek(SimTime::from_nanos(model.duration.as_nanos() / 2));
    assert_eq!(p.records(), first.as_slice());
}

#[test]
fn running_in_small_budgets_gives_the_report_of_a_plain_run() {
    for e in examples::ALL {
        let model = example(e, 40);
        let mut plain = Simulation::new(&model, RunOptions::default()).unwrap();
        plain.run();
        let mut p = Playback::with_checkpoints(&model, None, 1_000, 16).unwrap();
        let (mut budgets, mut reached) = (0, 0);
        let mut t = 0;
        loop {
            match p.run_until(SimTime::from_nanos(t), 97, &[]) {
                RunOutcome::Budget => budgets += 1,
                RunOutcome::ReachedTime => {
                    assert_eq!(p.time().as_nanos(), t);
                    reached += 1;
                    t += 1_700_000_000;
                }
                RunOutcome::Finished => break,
                other => panic!("{other:?}"),
            }
        }
        assert!(budgets > 0 && reached > 0);
        assert_eq!(p.time().as_nanos(), p.end().as_nanos());
        assert_eq!(p.step(), None);
        assert_eq!(p.run_until(SimTime::MAX, 10, &[]), RunOutcome::Finished);
        assert_eq!(p.steps(), plain.stats().events);
        assert_eq!(
            report_json(&model, p.sim()),
            serde_json::to_string(&Report::new(&model, &mut plain)).unwrap(),
            "{}",
            e.name
        );
    }
}

/// Runs `p` to the end with one breakpoint, checking every hit against the
/// straight run; returns the hits.
fn hits(p: &mut Playback, b: &Breakpoint) -> Vec<(u64, Option<usize>, String)> {
    let mut out = Vec::new();
    loop {
        match p.run_until(SimTime::MAX, 5_000, std::slice::from_ref(b)) {
            RunOutcome::Budget => {}
            RunOutcome::Finished => return out,
            RunOutcome::Hit {
                breakpoint,
                record,
                why,
            } => {
                assert_eq!(&breakpoint, b);
                out.push((p.steps(), record, why));
            }
            RunOutcome::ReachedTime => panic!("reached u64::MAX"),
        }
    }
}

#[test]
fn event_breakpoints_stop_on_the_event_that_records_them() {
    let model = examples::DEFAULT.model().unwrap();
    let (_, all, ends) = straight(&model, None);
    for (b, kind) in [
        (
            Breakpoint::CompensationStarted,
            TraceKind::CompensationStarted,
        ),
        (Breakpoint::DeadLettered, TraceKind::DeadLettered),
    ] {
        let mut p = Playback::new(&model, None).unwrap();
        let found = hits(&mut p, &b);
        // Every event that records one, and only those, in order.
        let expected: Vec<(u64, usize)> = (1..ends.len())
            .filter_map(|k| {
                let i = all[ends[k - 1]..ends[k]]
                    .iter()
                    .position(|r| r.kind == kind)?;
                Some((k as u64, ends[k - 1] + i))
            })
            .collect();
        assert!(!expected.is_empty(), "the example has no {kind:?}");
        let got: Vec<(u64, usize)> = found.iter().map(|(k, r, _)| (*k, r.unwrap())).collect();
        assert_eq!(got, expected, "{b:?}");
        // The first hit: the record matches, nothing before it does.
        let mut p = Playback::new(&model, None).unwrap();
        let RunOutcome::Hit { record, why, .. } =
            p.run_until(SimTime::MAX, usize::MAX, std::slice::from_ref(&b))
        else {
            panic!("no {b:?}");
        };
        let i = record.unwrap();
        assert_eq!(p.records()[i].kind, kind);
        assert!(p.records()[..i].iter().all(|r| r.kind != kind));
        assert!(
            i >= ends[p.steps() as usize - 1],
            "record of an earlier event"
        );
        assert!(
            why.contains(&format!("{:?}", p.records()[i].at).to_lowercase()),
            "{why}"
        );
        assert_eq!(p.steps(), expected[0].0);
    }
}

/// The events (1-based counts) after which `level` rises from false to true.
fn rising(model: &Model, level: impl Fn(&Simulation) -> bool) -> Vec<u64> {
    let mut sim = Simulation::new(model, RunOptions::default()).unwrap();
    let (mut was, mut out) = (level(&sim), Vec::new());
    while sim.step().is_some() {
        let now = level(&sim);
        if now && !was {
            out.push(sim.stats().events);
        }
        was = now;
    }
    out
}

#[test]
fn queue_and_lag_breakpoints_stop_where_the_level_rises() {
    let mut tried = (0, 0);
    for e in examples::ALL {
        let model = example(e, 120);
        let (plain, all, ends) = straight(&model, None);
        for (si, s) in plain.stats().services.iter().enumerate() {
            if s.queue.max < 2 {
                continue;
            }
            let above = s.queue.max / 2;
            let expected = rising(&model, |sim| sim.stats().services[si].queue.now > above);
            if expected.is_empty() {
                // The longest queues lasted only within an event.
                continue;
            }
            let b = Breakpoint::QueueAbove { service: si, above };
            let mut p = Playback::new(&model, None).unwrap();
            let found = hits(&mut p, &b);
            assert_eq!(found.iter().map(|h| h.0).collect::<Vec<_>>(), expected);
            // At the first hit the queue is above, and was not an event earlier.
            let mut p = Playback::new(&model, None).unwrap();
            let RunOutcome::Hit { record, .. } = p.run_until(SimTime::MAX, usize::MAX, &[b]) else {
                panic!()
            };
            assert!(p.sim().stats().services[si].queue.now > above);
            if let Some(i) = record {
                let r = p.records()[i];
                assert_eq!(
                    (r.kind, r.at, r.element),
                    (TraceKind::Delivered, Where::Service, si as u32)
                );
            }
            p.step_back();
            assert!(p.sim().stats().services[si].queue.now <= above);
            tried.0 += 1;
        }
        for (gi, g) in plain.stats().groups.iter().enumerate() {
            if g.lag.max < 2 {
                continue;
            }
            let above = g.lag.max / 2;
            let expected = rising(&model, |sim| sim.stats().groups[gi].lag.now > above);
            if expected.is_empty() {
                continue;
            }
            let b = Breakpoint::LagAbove { group: gi, above };
            let mut p = Playback::new(&model, None).unwrap();
            let found = hits(&mut p, &b);
            assert_eq!(found.iter().map(|h| h.0).collect::<Vec<_>>(), expected);
            let topic = p.sim().plan().groups[gi].topic;
            for (k, record, _) in found {
                if let Some(i) = record {
                    let r = all[i];
                    assert_eq!(
                        (r.kind, r.at, r.element),
                        (TraceKind::Published, Where::Topic, topic.0)
                    );
                    assert!((ends[k as usize - 1]..ends[k as usize]).contains(&i));
                }
            }
            tried.1 += 1;
        }
    }
    assert!(tried.0 > 0 && tried.1 > 0, "{tried:?}");
}

const SMALL: &str = r#"
Model(
name: "One busy station",
seed: 7,
duration: "120s",
services: [
    Service(name: "desk", handlers: [Handler(on: Command("Job"), latency: Exponential(mean: "1s"))]),
],
sources: [Source(name: "jobs", emit: Send(command: "Job", to: "desk"), rate: Poisson(per_sec: 1.5))],
assertions: [MaxQueue(service: "desk", under: UNDER)],
)
"#;

fn small(under: u64) -> Model {
    crate::model::parse(&SMALL.replace("UNDER", &under.to_string())).unwrap()
}

#[test]
fn assertion_breakpoint_stops_where_a_max_queue_bound_is_first_broken() {
    let model = small(6);
    let expected = rising(&model, |sim| sim.stats().services[0].queue.max >= 6);
    assert_eq!(expected.len(), 1, "the queue never reaches 6");
    let mut p = Playback::new(&model, None).unwrap();
    let RunOutcome::Hit {
        breakpoint,
        record,
        why,
    } = p.run_until(SimTime::MAX, usize::MAX, &[Breakpoint::AssertionFailed])
    else {
        panic!("no hit")
    };
    assert_eq!((breakpoint, record), (Breakpoint::AssertionFailed, None));
    assert_eq!(p.steps(), expected[0]);
    assert_eq!(p.sim().stats().services[0].queue.now, 6);
    assert!(why.contains("queue of \"desk\" under 6"), "{why}");
    // Once broken it stays broken: running on does not stop again.
    assert_eq!(
        p.run_until(SimTime::MAX, usize::MAX, &[Breakpoint::AssertionFailed]),
        RunOutcome::Finished
    );
    let report = Report::new(&model, &mut p.sim().clone());
    assert!(!report.assertions[0].passed);
    // Stepping back before it and running again stops at the same event.
    p.seek_steps(expected[0] - 1);
    assert!(matches!(
        p.run_until(SimTime::MAX, usize::MAX, &[Breakpoint::AssertionFailed]),
        RunOutcome::Hit { .. }
    ));
    assert_eq!(p.steps(), expected[0]);

    // A bound the run keeps: no stop, and the report agrees.
    let model = small(1_000);
    let mut p = Playback::new(&model, None).unwrap();
    assert_eq!(
        p.run_until(SimTime::MAX, usize::MAX, &[Breakpoint::AssertionFailed]),
        RunOutcome::Finished
    );
    assert!(Report::new(&model, &mut p.sim().clone()).passed());
}

#[test]
fn run_until_respects_time_budget_and_the_first_breakpoint_listed() {
    let model = examples::DEFAULT.model().unwrap();
    let mut p = Playback::new(&model, None).unwrap();
    assert_eq!(
        p.run_until(SimTime::from_nanos(1_000_000_000), 10, &[]),
        RunOutcome::Budget
    );
    assert_eq!(p.steps(), 10);
    assert_eq!(
        p.run_until(SimTime::from_nanos(1_000_000_000), usize::MAX, &[]),
        RunOutcome::ReachedTime
    );
    assert_eq!(p.time().as_nanos(), 1_000_000_000);
    assert!(p.next_time().map(SimTime::as_nanos).unwrap() > 1_000_000_000);
    // Going "forwards" to an earlier time does nothing.
    let steps = p.steps();
    assert_eq!(
        p.run_until(SimTime::from_nanos(10), usize::MAX, &[]),
        RunOutcome::ReachedTime
    );
    assert_eq!((p.steps(), p.time().as_nanos()), (steps, 1_000_000_000));
    // Both on the same event: the first listed is reported.
    let both = [Breakpoint::DeadLettered, Breakpoint::AssertionFailed];
    let model = small(2);
    let mut p = Playback::new(&model, None).unwrap();
    let RunOutcome::Hit { breakpoint, .. } = p.run_until(SimTime::MAX, usize::MAX, &both) else {
        panic!()
    };
    assert_eq!(breakpoint, Breakpoint::AssertionFailed);
}

/// Step-back and seek times on the large bench model; run with
/// `cargo test --release --no-default-features --lib playback -- --ignored --nocapture`.
#[test]
#[ignore = "timing, release builds only"]
fn timings_on_the_large_model() {
    let text = std::fs::read_to_string("models/bench/large.ron").unwrap();
    let model = crate::model::parse(&text).unwrap();
    let mut p = Playback::new(&model, None).unwrap();
    let t0 = std::time::Instant::now();
    p.seek_steps(1_000_000);
    println!(
        "forward to {} events: {:?}; {:?}",
        p.steps(),
        t0.elapsed(),
        p
    );
    let time = p.time().as_nanos();
    let t0 = std::time::Instant::now();
    for _ in 0..20 {
        p.step_back();
    }
    println!("step back: {:?} each", t0.elapsed() / 20);
    let t0 = std::time::Instant::now();
    p.seek(SimTime::from_nanos(time / 2));
    println!("seek back to half: {:?}", t0.elapsed());
    let t0 = std::time::Instant::now();
    p.seek(SimTime::from_nanos(time));
    println!("seek forwards again: {:?}", t0.elapsed());
}
