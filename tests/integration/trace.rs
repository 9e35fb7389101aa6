//! The trace view's waterfall, driven through egui_kittest by what a user sees: the
//! journey of an item of the saga example (models/order-saga.ron) that compensated.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use eventscape::app::{Command, Document, EventscapeApp};
use eventscape::examples::DEFAULT;
use eventscape::sim::{Record, SimTime, TraceKind};

fn click(h: &mut Harness<'_, EventscapeApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// The app at 1280×800 (the bottom panel at its default height) showing the journey
/// of the first item that compensated, run on until its compensation finished.
fn compensated_trace() -> (Harness<'static, EventscapeApp>, u64) {
    compensated_trace_in(Harness::builder().with_size(egui::vec2(1280.0, 800.0)))
}

/// [`compensated_trace`] in a harness of this builder (the shots render it).
pub fn compensated_trace_in(
    builder: egui_kittest::HarnessBuilder<EventscapeApp>,
) -> (Harness<'static, EventscapeApp>, u64) {
    let mut h = builder.build_ui_state(
        |ui, app: &mut EventscapeApp| app.window_ui(ui),
        EventscapeApp::new(Document::new(DEFAULT.model().unwrap(), None)),
    );
    h.run_steps(3);
    // The breakpoints are a menu of the toolbar.
    click(&mut h, "Pause on ⏷");
    click(&mut h, "a compensation");
    for _ in 0..4 {
        h.key_press(Key::CloseBracket);
        h.run_steps(1);
    }
    click(&mut h, "Play");
    for _ in 0..400 {
        h.run_steps(1);
        if !h.state().session().is_playing() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(
        !h.state().session().is_playing(),
        "paused at a compensation"
    );
    click(&mut h, "Trace");
    h.get_by_label_contains("(compensated)").click();
    h.run_steps(3);
    let corr = h.state().traced().expect("an item is traced");
    // On until the compensation is over, so the whole journey is there.
    let now = h.state().session().playback().unwrap().time();
    h.state_mut().send(Command::Seek(SimTime::from_nanos(
        now.as_nanos() + 500_000_000,
    )));
    h.run_steps(3);
    (h, corr)
}

/// The traced item's records in the current run.
fn records_of(h: &Harness<'_, EventscapeApp>, corr: u64) -> Vec<Record> {
    let p = h.state().session().playback().unwrap();
    p.records()
        .iter()
        .filter(|r| r.correlation == corr)
        .copied()
        .collect()
}

/// The first `Started` of a message of this type in `records`, and the end it caused.
fn work_of(h: &Harness<'_, EventscapeApp>, records: &[Record], ty: &str) -> (Record, Record) {
    let plan = h.state().session().playback().unwrap().sim().plan();
    let ty = plan.types.iter().position(|t| t.name == ty).unwrap() as u32;
    let start = records
        .iter()
        .find(|r| r.kind == TraceKind::Started && r.message_type == ty)
        .copied()
        .expect("the message was handled");
    let end = records
        .iter()
        .find(|r| r.cause == start.id)
        .copied()
        .expect("its end");
    (start, end)
}

/// Scroll the first bar whose name starts with `name` into view and hold the pointer
/// on it until its tooltip shows.
pub fn hover_bar(h: &mut Harness<'_, EventscapeApp>, name: &str) {
    let bar = || {
        by().predicate(move |n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with(name))
        })
    };
    h.query_all(bar()).next().expect("the bar").scroll_to_me();
    // The scroll lands a few frames later.
    h.run_steps(4);
    h.query_all(bar()).next().unwrap().hover();
    h.run_steps(4);
}

#[test]
fn the_waterfall_has_a_time_axis_with_units_that_never_overprints() {
    let (h, corr) = compensated_trace();
    let is_tick = |l: &str| {
        l.split_once(' ').is_some_and(|(n, unit)| {
            n.parse::<f64>().is_ok() && ["ns", "µs", "ms", "s"].contains(&unit)
        })
    };
    let ticks: Vec<_> = h
        .query_all(by().predicate(move |n| {
            n.role() == egui::accesskit::Role::Label && n.value().is_some_and(|l| is_tick(&l))
        }))
        .map(|n| (n.accesskit_node().value().unwrap(), n.rect()))
        .collect();
    assert!(ticks.len() >= 3, "a few ticks: {ticks:?}");
    // From the item's first record, in one unit, at a round step.
    let records = records_of(&h, corr);
    let span = records.last().unwrap().time.as_nanos() - records[0].time.as_nanos();
    assert!(ticks[0].0.starts_with("0 ") || ticks[0].0.starts_with("0.0"));
    let unit = if span >= 1_000_000_000 { "s" } else { "ms" };
    for (label, _) in &ticks {
        assert!(
            label.ends_with(&format!(" {unit}")),
            "{label} over {span} ns"
        );
    }
    let values: Vec<f64> = ticks
        .iter()
        .map(|(l, _)| l.split(' ').next().unwrap().parse().unwrap())
        .collect();
    let step = values[1] - values[0];
    let mantissa = step / 10f64.powf(step.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-6),
        "a round step: {step}"
    );
    // Left to right, apart, and on screen above the bottom of the window.
    for pair in ticks.windows(2) {
        assert!(
            pair[0].1.max.x + 4.0 < pair[1].1.min.x,
            "overprinted: {pair:?}"
        );
    }
    let last = values.last().unwrap() * if unit == "s" { 1e9 } else { 1e6 };
    assert!(last <= span as f64 + 1.0, "the axis fits the item's span");
    assert!(
        ticks
            .iter()
            .all(|(_, r)| r.max.y < 800.0 && r.min.y > 400.0)
    );
}

#[test]
fn bars_are_named_and_hovering_one_tells_its_duration_and_outcome() {
    let (mut h, corr) = compensated_trace();
    // The first lanes are in view in the panel at its default height.
    let first = h.get_by_label("OrderPlaced @ checkout").rect();
    assert!(first.min.y > 400.0 && first.max.y < 800.0, "{first:?}");
    let records = records_of(&h, corr);
    let (start, end) = work_of(&h, &records, "ChargeCard");
    let took = end.time.as_nanos() - start.time.as_nanos();
    hover_bar(&mut h, "ChargeCard @ payment");
    h.get_by_label_contains(&format!("took {:.1} ms", took as f64 / 1e6));
    h.get_by_label_contains(&format!("start {}", start.time));
    h.get_by_label_contains("outcome: ");
    // The wait before it: in the queue, or none.
    let waits = h.query_all_by_label_contains("waited ").count()
        + h.query_all_by_label_contains("no wait").count();
    assert_eq!(waits, 1, "one wait line");
}

#[test]
fn the_compensated_step_and_its_compensation_are_told_apart() {
    let (mut h, corr) = compensated_trace();
    let records = records_of(&h, corr);
    let comp = records
        .iter()
        .find(|r| r.kind == TraceKind::CompensationStarted)
        .unwrap();
    let plan = h.state().session().playback().unwrap().sim().plan();
    let undo = plan.types[comp.message_type as usize].name.clone();
    // The compensating command's bar is there, named.
    let (undo_start, _) = work_of(&h, &records, &undo);
    let undo_bar = format!("{undo} @ ");
    hover_bar(&mut h, &undo_bar);
    h.get_by_label_contains("compensation: undoes a completed step");
    // The step it undid says so.
    hover_bar(&mut h, "ReserveStock @ ");
    h.get_by_label_contains(&format!("compensated: undone by {undo}"));
    // Clicking it moves the run to its start, through the app's one seek path.
    h.query_all_by_label_contains(&undo_bar)
        .next()
        .unwrap()
        .click();
    h.run_steps(3);
    let p = h.state().session().playback().unwrap();
    assert_eq!(
        p.time(),
        undo_start.time,
        "the run moved to the bar's start"
    );
    assert!(!h.state().session().is_playing());
    assert_eq!(h.state().traced(), Some(corr), "still tracing the item");
}
