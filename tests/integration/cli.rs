//! The command line as a user (or CI) runs it.

use std::process::Output;

use super::eventscape;

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
fn example_enterprise_prints_a_generated_model_that_checks_clean() {
    let out = eventscape(&[
        "example",
        "enterprise",
        "--services",
        "95",
        "--domains",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let model = eventscape::model::parse(&text).unwrap();
    assert_eq!(model.services.len(), 100, "rounded up to pipelines of ten");
    assert!(eventscape::model::validate(&model).is_empty());
    let again = eventscape(&[
        "example",
        "enterprise",
        "--services",
        "95",
        "--domains",
        "3",
    ]);
    assert_eq!(stdout(&again), text, "the same numbers, the same bytes");
    let bad = eventscape(&["example", "enterprise", "--services", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert!(
        err.contains("--services must be from 1 to 100000, not 0"),
        "{err}"
    );
    let not_a_number = eventscape(&["example", "enterprise", "--domains", "many"]);
    assert_eq!(not_a_number.status.code(), Some(2));
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

const PASSING: &str = r#"Model(name: "tiny", duration: "2m",
    services: [Service(name: "s", handlers: [Handler(on: Command("Job"), latency: Exponential(mean: "10ms"))])],
    sources: [Source(name: "in", emit: Send(command: "Job", to: "s"), rate: Poisson(per_sec: 10.0))],
    assertions: [Latency(source: "in", percentile: 99.0, under: "1s"), MaxUtilisation(service: "s", under: 0.5)])"#;

fn temp_model(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.ron");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap().to_owned();
    (dir, p)
}

#[test]
fn simulate_exits_0_when_assertions_pass_and_1_when_one_fails() {
    let (_dir, path) = temp_model(PASSING);
    let out = eventscape(&["simulate", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("PASS p99 end-to-end latency of \"in\" under 1s"));
    let (_dir2, failing) = temp_model(&PASSING.replace("under: 0.5", "under: 0.001"));
    let out = eventscape(&["simulate", &failing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("FAIL utilisation of \"s\" under 0%"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn simulate_refuses_broken_models_with_exit_2() {
    assert_eq!(
        eventscape(&["simulate", "tests/malformed/truncated.ron"])
            .status
            .code(),
        Some(2)
    );
    let out = eventscape(&["simulate", "tests/malformed/unknown-reference.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown topic \"order\""));
}

#[test]
fn simulate_json_has_the_documented_schema_and_is_deterministic() {
    let args = [
        "simulate",
        "models/order-saga.ron",
        "--format",
        "json",
        "--duration",
        "1m",
    ];
    let a = eventscape(&args);
    let b = eventscape(&args);
    assert_eq!(a.stdout, b.stdout, "same model and seed, different reports");
    let r: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(r["duration_secs"], 60.0);
    let s = &r["services"][0];
    for key in [
        "name",
        "utilisation",
        "mean_wait_secs",
        "mean_time_in_system_secs",
        "mean_in_system",
        "throughput_per_sec",
        "max_queue",
    ] {
        assert!(!s[key].is_null(), "services[].{key} missing");
    }
    assert!(r["sources"][0]["end_to_end"]["mean_secs"].as_f64().unwrap() > 0.0);
    for key in [
        "produced",
        "consumed",
        "dead_lettered",
        "expired",
        "in_flight",
        "deduplicated",
        "double_effects",
    ] {
        assert!(r["messages"][key].is_u64(), "messages.{key} missing");
    }
    assert!(r["sagas"][0]["outcomes"]["completed"].as_u64().unwrap() > 0);
    assert!(r["bottlenecks"].is_array());
    assert_eq!(r["assertions"].as_array().unwrap().len(), 2);
    let other_seed = eventscape(&[
        "simulate",
        "models/order-saga.ron",
        "--format",
        "json",
        "--duration",
        "1m",
        "--seed",
        "7",
    ]);
    assert_ne!(other_seed.stdout, a.stdout);
}

#[test]
fn simulate_streams_the_trace_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let out = eventscape(&[
        "simulate",
        "models/order-saga.ron",
        "--duration",
        "10s",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert!(out.status.code().is_some());
    let text = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() > 1000);
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "saga_started" && l["element"] == "checkout")
    );
    assert!(
        lines.iter().any(|l| l["kind"] == "started"
            && l["element"] == "payment"
            && l["type"] == "ChargeCard")
    );
    assert!(
        lines
            .windows(2)
            .all(|w| w[0]["time_secs"].as_f64() <= w[1]["time_secs"].as_f64())
    );
    // Numbered from 1 in order; each cause is an earlier record (or 0, a root).
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["id"].as_u64(), Some(i as u64 + 1), "{l}");
        let cause = l["cause"].as_u64().unwrap();
        assert!(cause < i as u64 + 1, "{l}");
    }
    assert!(lines.iter().any(|l| l["cause"] != 0));
    // `detail` also under a name that says what it is, names resolved.
    fn of<'a>(
        lines: &'a [serde_json::Value],
        kind: &'a str,
    ) -> impl Iterator<Item = &'a serde_json::Value> {
        lines.iter().filter(move |l| l["kind"] == kind)
    }
    assert!(
        of(&lines, "step_started")
            .all(|l| ["reserve", "charge", "ship"].contains(&l["step"].as_str().unwrap()))
    );
    assert!(of(&lines, "saga_ended").all(|l| l["outcome"].is_string()));
    assert!(of(&lines, "item_completed").all(|l| l["failed"].is_boolean()));
    assert!(
        of(&lines, "published")
            .filter(|l| l["at"] == "topic")
            .all(|l| l["partition"] == l["detail"])
    );
    assert!(of(&lines, "started").all(|l| l["attempt"].as_u64() >= Some(1)));
    assert!(
        of(&lines, "delivered").all(|l| l.get("partition").is_none() && l.get("attempt").is_none())
    );
}
