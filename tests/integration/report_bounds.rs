//! The default report of a big model is bounded: the busiest elements and those a
//! finding names in detail, every element's headline figures in one table; `--full`
//! and `Report::new` give everything. A small model's report is unchanged.

use eventscape::analysis::{Cell, DETAIL_PER_KIND, Report};
use eventscape::model::{Distribution, Duration, parse};
use eventscape::sim::{RunOptions, Simulation};

use super::{eventscape, pipelines_text};

/// `n` pipelines of ten services with a source each; pipeline `p`'s services take
/// `1 + p` ms per message, so later pipelines are busier.
fn pipelines(n: usize) -> String {
    let latency = |p: usize| Distribution::Exponential {
        mean: Duration::from_millis(1 + p as u64),
    };
    pipelines_text(n, 10, &latency, Some(40.0))
}

fn reports(src: &str) -> (Report, Report) {
    let model = parse(src).unwrap();
    let run = || {
        let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
        sim.run();
        sim
    };
    (
        Report::new(&model, &mut run()),
        Report::bounded(&model, &mut run()),
    )
}

#[test]
fn a_big_model_keeps_the_busiest_in_detail_and_every_element_in_the_table() {
    let (full, bounded) = reports(&pipelines(6));
    let b = bounded
        .bounded
        .as_ref()
        .expect("60 services are more than the detail budget");
    assert_eq!((b.services, b.groups), (60, 60));
    assert_eq!(bounded.services.len(), b.services_in_detail);
    assert!(b.services_in_detail >= DETAIL_PER_KIND && b.services_in_detail < 60);
    // The busiest pipeline (6 ms per message) is the one in detail.
    let least_kept = bounded
        .services
        .iter()
        .map(|s| s.utilisation)
        .fold(1.0, f64::min);
    let table = bounded.service_table.as_ref().unwrap();
    assert_eq!(table.rows.len(), 60);
    let util = table
        .columns
        .iter()
        .position(|c| *c == "utilisation")
        .unwrap();
    let mut left_out = 0;
    for (row, s) in table.rows.iter().zip(&full.services) {
        // Each row holds the full report's figures of its service.
        assert_eq!(row[0], Cell::Text(s.name.clone()));
        assert_eq!(row[util], Cell::Figure(s.utilisation));
        if bounded.service(&s.name).is_none() {
            left_out += 1;
            assert!(
                s.utilisation <= least_kept,
                "{} is busier than one kept",
                s.name
            );
        }
    }
    assert_eq!(left_out, 60 - b.services_in_detail);
    // A group kept in detail has every figure and series of the full report.
    let kept = &bounded.topics[0];
    assert_eq!(Some(kept), full.topic(&kept.name));
    assert!(!kept.groups[0].partitions[0].lag_over_time.is_empty());
    assert_eq!(bounded.group_table.as_ref().unwrap().rows.len(), 60);
}

#[test]
fn a_small_model_is_reported_whole_as_before() {
    let (full, bounded) = reports(&pipelines(2));
    assert!(bounded.bounded.is_none() && bounded.service_table.is_none());
    assert_eq!(
        serde_json::to_string(&full).unwrap(),
        serde_json::to_string(&bounded).unwrap()
    );
}

#[test]
fn simulate_bounds_its_json_unless_asked_for_full() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    std::fs::write(&path, pipelines(6)).unwrap();
    let path = path.to_str().unwrap();
    let json = |extra: &[&str]| -> (usize, serde_json::Value) {
        let mut args = vec!["simulate", path, "--format", "json", "--duration", "5s"];
        args.extend(extra);
        let out = eventscape(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            out.stdout.len(),
            serde_json::from_slice(&out.stdout).unwrap(),
        )
    };
    let (bounded_len, bounded) = json(&[]);
    let (full_len, full) = json(&["--full"]);
    assert_eq!(full["services"].as_array().unwrap().len(), 60);
    assert!(full.get("bounded").is_none());
    assert_eq!(
        bounded["service_table"]["rows"].as_array().unwrap().len(),
        60
    );
    assert!(
        bounded["bounded"]["hint"]
            .as_str()
            .unwrap()
            .contains("--full")
    );
    assert!(
        bounded_len * 2 < full_len,
        "{bounded_len} vs {full_len} bytes"
    );
    let text = eventscape(&["simulate", path, "--duration", "5s"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("more services, less busy"), "{text}");
}
