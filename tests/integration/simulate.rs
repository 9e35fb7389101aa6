//! Simulation in the app, driven through egui_kittest by what a user sees.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use eventscape::app::{Command, Document, EventscapeApp};
use eventscape::examples::DEFAULT;
use eventscape::model::Model;
use eventscape::sim::TraceKind;
use eventscape::sim::{Playback, SimTime};

fn app(model: Model) -> Harness<'static, EventscapeApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut EventscapeApp| app.window_ui(ui),
            EventscapeApp::new(Document::new(model, None)),
        );
    h.run_steps(3);
    h
}

fn playback<'a>(h: &'a Harness<'_, EventscapeApp>) -> &'a Playback {
    h.state().session().playback().expect("the example runs")
}

fn click(h: &mut Harness<'_, EventscapeApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// Type a number into the drag-value box with this label and press Enter.
fn type_number(h: &mut Harness<'_, EventscapeApp>, label: &str, text: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::SpinButton, label)
        .click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.event(egui::Event::Text(text.to_owned()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
}

/// Step the run `n` events with the → key, a frame each, as a user would.
fn step_events(h: &mut Harness<'_, EventscapeApp>, n: usize) {
    for _ in 0..n {
        h.key_press(Key::ArrowRight);
        h.run_steps(1);
    }
}

/// Press Play and run frames until the run pauses (a breakpoint) or ~2 s pass.
fn play_until_paused(h: &mut Harness<'_, EventscapeApp>) {
    click(h, "Play");
    for _ in 0..400 {
        h.run_steps(1);
        if !h.state().session().is_playing() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Run frames until the run is back from the background (at most ~12 s).
fn wait_for_background(h: &mut Harness<'_, EventscapeApp>) {
    for _ in 0..600 {
        h.run_steps(1);
        if !h.state().session().in_background() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the run did not come back from the background");
}

/// The state of a run that must be restored exactly: time, steps, every record, and
/// the statistics.
fn state(p: &Playback) -> (SimTime, u64, Vec<eventscape::sim::Record>, String) {
    (
        p.time(),
        p.steps(),
        p.records().to_vec(),
        format!("{:?}", p.sim().stats()),
    )
}

#[test]
fn play_pause_and_step() {
    let mut h = app(DEFAULT.model().unwrap());
    assert_eq!(playback(&h).steps(), 0);
    click(&mut h, "Step");
    assert_eq!(playback(&h).steps(), 1);
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    assert_eq!(playback(&h).steps(), 2);
    click(&mut h, "Play");
    for _ in 0..5 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
    let played = playback(&h).steps();
    assert!(played > 2, "playing advances the run");
    assert!(playback(&h).time() > SimTime::ZERO);
    click(&mut h, "Pause");
    let paused = playback(&h).steps();
    h.run_steps(5);
    assert_eq!(playback(&h).steps(), paused, "paused stays put");
}

#[test]
fn step_back_restores_exactly_the_previous_state() {
    let mut h = app(DEFAULT.model().unwrap());
    step_events(&mut h, 300);
    let before = state(playback(&h));
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    assert_ne!(state(playback(&h)), before);
    click(&mut h, "Back");
    assert_eq!(state(playback(&h)), before);
    // Space plays, Left steps back while paused.
    h.key_press(Key::ArrowLeft);
    h.run_steps(1);
    assert_eq!(playback(&h).steps(), 299);
}

#[test]
fn a_breakpoint_stops_the_run_at_the_first_compensation() {
    let mut h = app(DEFAULT.model().unwrap());
    // The breakpoints are a menu of the toolbar.
    click(&mut h, "Pause on ⏷");
    click(&mut h, "a compensation");
    assert!(h.state().session().breakpoints().compensation);
    // The menu stays open while boxes are ticked; its button counts them.
    h.get_by_label("a dead letter");
    h.get_by_label("Pause on (1) ⏷");
    // ] plays faster: from ×10 to ×1000.
    for _ in 0..4 {
        h.key_press(Key::CloseBracket);
        h.run_steps(1);
    }
    assert_eq!(h.state().session().speed(), 8);
    play_until_paused(&mut h);
    assert!(
        !h.state().session().is_playing(),
        "the breakpoint paused the run"
    );
    let p = playback(&h);
    let records = p.records();
    let first = records
        .iter()
        .position(|r| r.kind == TraceKind::CompensationStarted)
        .expect("a compensation happened");
    let len = records.len();
    h.get_by_label_contains("Paused:");
    // Stopped right after the event that started the first compensation: stepping
    // back one event takes that record away.
    click(&mut h, "Back");
    let back = playback(&h).records().len();
    assert!(
        back <= first && back < len,
        "the compensation was the last event's"
    );
}

#[test]
fn the_event_log_filters_by_kind_and_correlation() {
    let mut h = app(DEFAULT.model().unwrap());
    step_events(&mut h, 400);
    click(&mut h, "Event log");
    let total = playback(&h).records().len();
    h.get_by_label_contains(&format!("{total} of {total} records"));
    // Each filter's name stands before its box, as a form reads.
    for name in ["Element", "Kind"] {
        let boxed = h.get_by_role_and_label(egui::accesskit::Role::ComboBox, name);
        let row = boxed.rect().y_range();
        let label = h
            .query_all_by_value(name)
            .find(|l| row.contains(l.rect().center().y))
            .expect("the filter's name on the box's row");
        assert!(
            label.rect().max.x <= boxed.rect().min.x,
            "\"{name}\" is drawn before its box"
        );
    }
    click(&mut h, "Kind");
    h.get_by_label("published").click();
    h.run_steps(2);
    let published = playback(&h)
        .records()
        .iter()
        .filter(|r| r.kind == TraceKind::Published)
        .count();
    assert!(published > 0 && published < total);
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.get_by_label_contains(&format!("{published} of {total} records"));
    click(&mut h, "Clear filters");
    let corr = playback(&h).records()[total / 2].correlation;
    let of_corr = playback(&h)
        .records()
        .iter()
        .filter(|r| r.correlation == corr)
        .count();
    h.get_by_label("Correlation id").click();
    h.run_steps(1);
    h.get_by_label("Correlation id")
        .type_text(&corr.to_string());
    h.run_steps(2);
    h.get_by_label_contains(&format!("{of_corr} of {total} records"));
}

#[test]
fn emergent_variant_counts_equal_the_engines_saga_outcomes() {
    let mut h = app(DEFAULT.model().unwrap());
    let end = playback(&h).end();
    h.state_mut().send(Command::Seek(end));
    h.run_steps(1);
    click(&mut h, "Emergent process");
    h.run_steps(2);
    let (completed, compensated) = {
        let s = &playback(&h).sim().stats().sagas[0];
        (s.outcomes[0], s.outcomes[1])
    };
    let process = h.state().sim_views().process().unwrap().1.clone();
    let per_kind = process.cases_per_kind();
    use eventscape::analysis::process::VariantKind;
    let count = |k: VariantKind| {
        per_kind
            .iter()
            .find(|(x, _)| *x == k)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(count(VariantKind::HappyPath), completed);
    assert_eq!(count(VariantKind::Compensated), compensated);
    assert!(h.query_all_by_label("happy path").next().is_some());
}

#[test]
fn run_to_end_goes_to_the_background_and_comes_back_finished() {
    let mut h = app(DEFAULT.model().unwrap());
    click(&mut h, "Run to end");
    assert!(h.state().session().in_background());
    // The window keeps working meanwhile: frames run, menus open.
    h.get_by_label_contains("Running to the end in the background");
    click(&mut h, "View");
    h.key_press(Key::Escape);
    wait_for_background(&mut h);
    let p = playback(&h);
    assert!(p.is_done());
    // The same run as the engine's straight run.
    let mut straight = eventscape::sim::Simulation::new(
        &DEFAULT.model().unwrap(),
        eventscape::sim::RunOptions::default(),
    )
    .unwrap();
    straight.run();
    assert_eq!(p.steps(), straight.stats().events);
    h.get_by_label("The run reached its end");
}

#[test]
fn compare_runs_two_models_side_by_side_under_one_seed() {
    let mut model = DEFAULT.model().unwrap();
    model.duration = "30s".parse().unwrap();
    let mut h = app(model);
    click(&mut h, "Compare");
    h.get_by_label("compared with").click();
    h.run_steps(2);
    click(&mut h, "choreography");
    click(&mut h, "Run both");
    for _ in 0..500 {
        h.run_steps(1);
        if h.query_by_label("metric").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.get_by_label("metric");
    // The saga model's name is also the window's heading.
    assert!(h.query_all_by_label("Order fulfilment (saga)").count() >= 2);
    h.get_by_label("Order fulfilment (choreography)");
    h.get_by_label("largest consumer lag");
}

#[test]
fn moving_a_box_keeps_the_run_and_an_edit_restarts_it_safely() {
    let mut h = app(DEFAULT.model().unwrap());
    step_events(&mut h, 200);
    let run = h.state().session().run_id();
    // Auto layout only moves boxes: the run stays where it was.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    assert_eq!(h.state().session().run_id(), run);
    assert_eq!(playback(&h).steps(), 200);
    // Deleting a topic changes the run: it starts over, and drawing the overlay with
    // the smaller diagram must not use the old arrows.
    let dlq =
        eventscape::model::ElementRef::new(eventscape::model::ElementKind::Topic, "payment-dlq");
    let at = h.state().canvas().screen_pos(&dlq).unwrap();
    h.hover_at(at);
    h.run_steps(1);
    h.drag_at(at);
    h.run_steps(1);
    h.drop_at(at);
    h.run_steps(2);
    assert_eq!(h.state().selection(), Some(&dlq));
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert!(
        h.state()
            .document()
            .model
            .topics
            .iter()
            .all(|t| t.name != "payment-dlq")
    );
    assert_ne!(h.state().session().run_id(), run);
    step_events(&mut h, 200);
    assert_eq!(playback(&h).steps(), 200);
}

#[test]
fn the_simulation_buttons_and_keys_drive_the_session() {
    let mut h = app(DEFAULT.model().unwrap());
    for _ in 0..3 {
        click(&mut h, "Step");
    }
    assert_eq!(playback(&h).steps(), 3);
    click(&mut h, "Back");
    assert_eq!(playback(&h).steps(), 2);
    let run = h.state().session().run_id();
    click(&mut h, "Reset");
    assert_eq!(playback(&h).steps(), 0);
    assert_ne!(h.state().session().run_id(), run, "another run");

    // ] and [ play faster and slower.
    let speed = h.state().session().speed();
    h.key_press(Key::CloseBracket);
    h.run_steps(1);
    assert_eq!(h.state().session().speed(), speed + 1);
    h.key_press(Key::OpenBracket);
    h.run_steps(1);
    assert_eq!(h.state().session().speed(), speed);

    // Another seed starts the run over with it.
    click(&mut h, "Step");
    let seed = h.state().session().seed();
    type_number(&mut h, "Seed", &(seed + 1).to_string());
    assert_eq!(h.state().session().seed(), seed + 1);
    assert_eq!(playback(&h).seed(), seed + 1);
    assert_eq!(playback(&h).steps(), 0);

    // End runs to the end in the background; Cancel brings the run back where it got.
    h.key_press(Key::End);
    h.run_steps(1);
    assert!(h.state().session().in_background());
    h.get_by_label_contains("Running to the end in the background");
    click(&mut h, "Cancel");
    wait_for_background(&mut h);
    h.get_by_label("Cancelled");
    assert!(!playback(&h).is_done(), "cancelled before the end");
    assert_eq!(playback(&h).seed(), seed + 1);
}

#[test]
fn the_trace_view_leaves_the_canvas_and_toolbar_in_view() {
    let mut h = app(DEFAULT.model().unwrap());
    // The breakpoints are a menu of the toolbar.
    click(&mut h, "Pause on ⏷");
    click(&mut h, "a compensation");
    for _ in 0..4 {
        h.key_press(Key::CloseBracket);
        h.run_steps(1);
    }
    play_until_paused(&mut h);
    click(&mut h, "Trace");
    // The quick pick of the item that just compensated, as a user would take it.
    h.get_by_label_contains("(compensated)").click();
    h.run_steps(4);
    assert!(h.state().traced().is_some(), "an item is traced");
    // Its records, every one on a line: a long list.
    h.get_by_label("Records").click();
    h.run_steps(30);
    let top_of = |h: &Harness<'_, EventscapeApp>, label: &str| h.get_by_label(label).rect().min.y;
    // The bottom panel's tabs stay in the lower part of the window: the panel did not
    // grow over the canvas, and the toolbar is where it was.
    let tabs = top_of(&h, "Trace");
    assert!(tabs > 800.0 * 0.4, "the bottom panel starts at y = {tabs}");
    assert!(
        top_of(&h, "Play") < 100.0,
        "the toolbar is still at the top"
    );
    h.get_by_label_contains("records over");
}

#[test]
fn the_verdict_panel_judges_the_assertions_live_and_at_the_end() {
    let model = DEFAULT.model().unwrap();
    let mut h = app(model.clone());
    // Before any run: it says what to do.
    click(&mut h, "Verdict");
    h.get_by_label_contains("Play, step or run the model to the end");
    // Part-way: judged as if the run ended now.
    for _ in 0..200 {
        h.key_press(Key::ArrowRight);
    }
    h.run_steps(2);
    h.get_by_label_contains("Live: judged as if the run ended now");
    // At the end: the final verdicts, the same as the report's.
    click(&mut h, "Run to end");
    wait_for_background(&mut h);
    h.run_steps(2);
    h.get_by_label_contains("Final: the run is over.");
    let mut sim =
        eventscape::sim::Simulation::new(&model, eventscape::sim::RunOptions::default()).unwrap();
    sim.run();
    let report = eventscape::analysis::Report::new(&model, &mut sim);
    let failed = report.assertions.iter().filter(|a| !a.passed).count();
    assert!(failed > 0, "the built-in example fails its own p99 bound");
    h.get_by_label(&format!("Verdict: {failed} failed"));
    // The inspector lists the assertions too (scrolled out of sight): the panel's
    // rows are the ones in the lower part of the window.
    let in_panel = |h: &Harness<'_, EventscapeApp>, label: &str| {
        h.get_all_by_label(label)
            .map(|n| n.rect().min.y)
            .filter(|y| (320.0..800.0).contains(y))
            .fold(f32::MIN, f32::max)
    };
    for a in &report.assertions {
        assert!(in_panel(&h, &a.assertion) > 800.0 * 0.4, "{}", a.assertion);
        h.get_by_label(&a.measured);
    }
    assert_eq!(
        h.get_all_by_label("FAILED").count(),
        failed,
        "one FAILED per failing assertion"
    );
    // A click on the latency assertion selects its source, where the evidence is.
    let y = in_panel(&h, &report.assertions[0].assertion);
    h.get_all_by_label(&report.assertions[0].assertion)
        .find(|n| n.rect().min.y == y)
        .unwrap()
        .click();
    h.run_steps(2);

    assert_eq!(
        h.state().selection().map(|e| e.name.as_str()),
        Some("web shop")
    );
}

#[test]
fn the_event_log_opens_at_the_playhead() {
    let mut h = app(DEFAULT.model().unwrap());
    step_events(&mut h, 400);
    click(&mut h, "Event log");
    h.run_steps(2);
    let records = playback(&h).records().to_vec();
    // Rows are laid out only where the log is scrolled to: the latest record's time
    // is on screen, the first one's is not.
    let shown = |h: &Harness<'_, EventscapeApp>, t: SimTime| {
        h.query_all_by_label_contains(&format!("{:>12}  ", t.to_string()))
            .next()
            .is_some()
    };
    let (first, last) = (records[0].time, records[records.len() - 1].time);
    assert_ne!(first, last);
    assert!(shown(&h, last), "the log shows the latest records");
    assert!(!shown(&h, first), "not the start of the run");
}

#[test]
fn the_live_inspector_charts_every_kind_with_units() {
    use eventscape::model::{ElementKind, ElementRef};
    let mut h = app(DEFAULT.model().unwrap());
    step_events(&mut h, 400);
    let select = |h: &mut Harness<'_, EventscapeApp>, kind, name: &str| {
        h.state_mut().send(Command::Select(Some(ElementRef {
            kind,
            name: name.into(),
        })));
        h.run_steps(3);
    };
    select(&mut h, ElementKind::Service, "inventory");
    let p = playback(&h);
    let peak = p.sim().stats().services[1].queue.max;
    h.get_by_label_contains("queue depth: now ");
    h.get_by_label_contains(&format!("peak {peak} · over simulated time (s)"));
    h.get_by_label("time in system: items per bucket of milliseconds");
    select(&mut h, ElementKind::Saga, "checkout");
    h.get_by_label("instances by outcome (hover a bar)");
    h.get_by_label("duration: instances per bucket of milliseconds");
    select(&mut h, ElementKind::Source, "web shop");
    h.get_by_label("end to end: items per bucket of milliseconds");
}

#[test]
fn a_model_that_cannot_run_says_so_and_points_to_its_problems() {
    let mut h = app(DEFAULT.model().unwrap());
    // A new saga has no steps yet: an error.
    click(&mut h, "Saga");
    h.run_steps(2);
    let why =
        h.get_by_label_contains("The model cannot run: fix its 1 error(s) listed under Problems");
    let text = format!("{:?}", why.accesskit_node().value());
    assert!(text.contains("a saga needs at least one step"), "{text}");
    assert!(
        !text.contains("eventscape check"),
        "no CLI advice in the window: {text}"
    );
    h.get_by_label_contains("Problems: 1 error");
    assert!(h.state().session().playback().is_none());
}

#[test]
fn bottlenecks_are_told_in_words_and_a_click_selects_the_element() {
    let mut h = app(DEFAULT.model().unwrap());
    h.state_mut()
        .send(Command::Seek(SimTime::from_nanos(195_000_000_000)));
    h.run_steps(3);
    click(&mut h, "Bottlenecks");
    let finding = h.get_by_label_contains("service \"inventory\" (queue growing): queue grew");
    finding.click();
    h.run_steps(2);
    assert!(
        h.query_all_by_label_contains("QueueGrowing")
            .next()
            .is_none(),
        "no internal names"
    );
    assert_eq!(
        h.state().selection().map(|e| e.name.as_str()),
        Some("inventory")
    );
}
