//! Tests of the review report on full runs of the examples.

use super::*;
use crate::analysis::process::emergent_process;
use crate::sim::{Record, RunOptions, Simulation};

fn run(model: &Model, secs: u64) -> (Report, Process) {
    let mut sim = Simulation::new(
        model,
        RunOptions {
            seed: None,
            duration_nanos: Some(secs * 1_000_000_000),
            trace_capacity: 0,
        },
    )
    .unwrap();
    let records = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Record>::new()));
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let report = Report::new(model, &mut sim);
    let records = records.lock().unwrap().clone();
    let process = emergent_process(model, sim.plan(), &records);
    (report, process)
}

#[test]
fn every_example_has_every_section_deterministically() {
    for e in crate::examples::ALL {
        let model = e.model().unwrap();
        let (report, process) = run(&model, 30);
        let md = review_markdown(&model, &report, &process, "diagram.svg");
        let html = review_html(
            &model,
            &report,
            &process,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        );
        for title in [
            "Model",
            "Scenario",
            "Key metrics",
            "Bottlenecks",
            "Emergent process",
            "Assertions",
        ] {
            assert!(md.contains(&format!("## {title}\n")), "{}: {title}", e.name);
            assert!(
                html.contains(&format!("<h2>{title}</h2>")),
                "{}: {title}",
                e.name
            );
        }
        assert!(md.contains("![Diagram of"));
        for s in &model.services {
            assert!(md.contains(&md_text(&s.name)), "{}: {}", e.name, s.name);
        }
        // Same inputs, same bytes.
        let (report2, process2) = run(&model, 30);
        assert_eq!(
            md,
            review_markdown(&model, &report2, &process2, "diagram.svg")
        );
    }
}

#[test]
fn html_is_self_contained_and_escaped() {
    let mut model = crate::examples::DEFAULT.model().unwrap();
    model.description = "A <b>bold</b> & \"quoted\" claim".into();
    let (report, process) = run(&model, 20);
    let svg =
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>x</text></svg>";
    let html = review_html(&model, &report, &process, svg);
    assert!(html.contains("A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; claim"));
    assert!(
        html.contains("<div class=\"diagram\"><svg"),
        "inline SVG without its XML declaration"
    );
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("http://www.w3.org/2000/svg").count()
    );
    // Saga outcomes match the report.
    let s = &report.sagas[0];
    assert!(html.contains(&format!("<td class=\"n\">{}</td>", s.outcomes.completed)));
}

#[test]
fn markdown_tables_are_well_formed() {
    let model = crate::examples::DEFAULT.model().unwrap();
    let (report, process) = run(&model, 20);
    let md = review_markdown(&model, &report, &process, "d.svg");
    let mut lines = md.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("| ") {
            let columns = line.matches(" | ").count() + 1;
            while let Some(next) = lines.peek() {
                if !next.starts_with('|') {
                    break;
                }
                let cells = next.replace("\\|", "");
                let n = if next.starts_with("|---") {
                    next.matches('|').count() - 1
                } else {
                    cells.matches(" | ").count() + 1
                };
                assert_eq!(n, columns, "row {next:?} under {line:?}");
                lines.next();
            }
        }
    }
}

/// Sagas still running at the end are told apart as in the report and `simulate`:
/// stuck and in progress, each in its own column, never summed as "unfinished".
#[test]
fn saga_outcomes_keep_stuck_and_in_progress_apart() {
    let model = crate::examples::find("saga").unwrap().model().unwrap();
    let (report, process) = run(&model, 30);
    let md = review_markdown(&model, &report, &process, "d.svg");
    let lines: Vec<&str> = md.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("| saga |") && l.contains("| started |"))
        .expect("the saga outcomes table");
    let header = lines[at];
    assert!(header.contains("| stuck | in progress |"), "{header}");
    let o = &report.sagas[0].outcomes;
    assert!(o.in_progress > 0, "a 30 s run ends with sagas in flight");
    // The header, the alignment row, then one row per saga.
    let row = lines[at + 2];
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!(cells[7], o.stuck.to_string(), "{row}");
    assert_eq!(cells[8], o.in_progress.to_string(), "{row}");
}
