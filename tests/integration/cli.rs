//! The command line as a user (or CI) runs it.

use std::process::{Command, Output};

use super::root;

fn eventscape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventscape"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn check_is_clean_for_every_example() {
    let out = eventscape(&[
        "check",
        "models/order-choreography.ron",
        "models/order-saga.ron",
        "models/cqrs-event-sourcing.ron",
        "models/notification-vs-state-transfer.ron",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("checked 4 files: 4 clean, 0 not"));
}

#[test]
fn the_worst_file_decides_the_exit_code() {
    let problems = "tests/malformed/zero-partitions.ron";
    let unreadable = "tests/malformed/truncated.ron";
    assert_eq!(
        eventscape(&["check", "models/order-saga.ron", problems])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        eventscape(&["check", problems, unreadable]).status.code(),
        Some(2)
    );
    assert_eq!(
        eventscape(&["check", "no/such/file.ron"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_missing_file_says_so() {
    let out = eventscape(&["check", "no/such/file.ron"]);
    assert!(
        stdout(&out).contains("cannot read no/such/file.ron"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn warnings_fail_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warn.ron");
    // OrderDone is consumed but nothing publishes it: a warning, not an error.
    std::fs::write(
        &path,
        r#"Model(name: "w", events: [Event(name: "OrderDone")], topics: [Topic(name: "done")],
           services: [Service(name: "audit", handlers: [
               Handler(on: Event(event: "OrderDone", topic: "done"), latency: Constant("1ms"))])])"#,
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let out = eventscape(&["check", path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("0 errors, 1 warning"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        eventscape(&["check", "--allow-warnings", path])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn json_report_for_machines() {
    let out = eventscape(&[
        "check",
        "--format",
        "json",
        "models/order-saga.ron",
        "tests/malformed/unknown-reference.ron",
        "tests/malformed/unknown-field.ron",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let files = json["files"].as_array().unwrap();
    assert_eq!(files[0]["status"], "clean");
    assert_eq!(files[1]["status"], "problems");
    let problem = &files[1]["problems"][0];
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["path"], "services[billing].handlers[0].on.topic");
    assert_eq!(problem["message"], "unknown topic \"order\"");
    assert_eq!(problem["hint"], "did you mean \"orders\"?");
    assert_eq!(problem["element"]["kind"], "service");
    assert_eq!(problem["element"]["name"], "billing");
    assert_eq!(files[2]["status"], "unreadable");
    assert_eq!(files[2]["error"]["line"], 4);
    assert_eq!(files[2]["error"]["column"], 36);
    assert_eq!(json["summary"]["files"], 3);
    assert_eq!(json["summary"]["unreadable"], 1);
}

#[test]
fn example_prints_a_model_that_checks_clean() {
    let out = eventscape(&["example", "cqrs"]);
    assert_eq!(out.status.code(), Some(0));
    let model = eventscape::model::parse(&stdout(&out)).unwrap();
    assert!(eventscape::model::validate(&model).is_empty());
    assert_eq!(eventscape(&["example", "nope"]).status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(eventscape(&["check"]).status.code(), Some(2));
    assert_eq!(
        eventscape(&["check", "--format", "xml", "models/order-saga.ron"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(eventscape(&["--help"]).status.code(), Some(0));
}

#[test]
#[cfg(not(feature = "gui"))]
fn headless_build_explains_there_is_no_app() {
    let out = eventscape(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no desktop app"));
}
