//! Run budgets on the command line: a refused run, an event budget's partial report,
//! and the export flags.

use super::{eventscape, root};

/// The saga example with one text replaced, in a temporary file.
fn saga_with(from: &str, to: &str) -> tempfile::NamedTempFile {
    let text = std::fs::read_to_string(root().join("models/order-saga.ron")).unwrap();
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text);
    let file = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
    std::fs::write(file.path(), changed).unwrap();
    file
}

#[test]
fn an_event_budget_gives_a_partial_report_marked_as_such() {
    let out = eventscape(&[
        "simulate",
        "models/order-saga.ron",
        "--format",
        "json",
        "--max-events",
        "5000",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["partial"], true);
    assert_eq!(report["events"], 5000);
    assert!(report["stopped"].as_str().unwrap().contains("5000 events"));
    assert!(report["duration_secs"].as_f64().unwrap() < 600.0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: partial run"), "{stderr}");

    let text = eventscape(&["simulate", "models/order-saga.ron", "--max-events", "5000"]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("PARTIAL RUN: "));

    let whole = eventscape(&["simulate", "models/order-saga.ron", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(report["partial"], false);
    assert!(report.get("stopped").is_none());
}

#[test]
fn a_run_far_over_the_estimate_is_refused_at_once_with_a_hint() {
    let model = saga_with("per_sec: 50.0", "per_sec: 10000000.0");
    let path = model.path().to_str().unwrap();
    let t = std::time::Instant::now();
    let out = eventscape(&["simulate", path]);
    assert!(t.elapsed().as_secs() < 5);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not simulated: the run would take about"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint:") && stderr.contains("--max-events"),
        "{stderr}"
    );
    // With an event budget it runs that far.
    let out = eventscape(&[
        "simulate",
        path,
        "--max-events",
        "20000",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["partial"], true);
}

#[test]
fn exports_that_simulate_take_the_budget_and_the_others_refuse_it() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("traces.json");
    let out = eventscape(&[
        "export",
        "models/order-saga.ron",
        "--format",
        "otlp",
        "-o",
        out_file.to_str().unwrap(),
        "--max-events",
        "3000",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: partial run"));
    assert!(out_file.exists());
    let out = eventscape(&[
        "export",
        "models/order-saga.ron",
        "--format",
        "dot",
        "-o",
        dir.path().join("d.dot").to_str().unwrap(),
        "--max-events",
        "3000",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-events does not apply"));
}
