//! `eventscape export` as a user runs it: every format of every example is written,
//! well-formed and deterministic.

use std::path::Path;

use super::eventscape;

fn export(model: &str, format: &str, out: &Path, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "export",
        model,
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = eventscape(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{format} of {model}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(out).unwrap()
}

#[test]
fn every_format_of_the_saga_example_is_written_and_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let model = "models/order-saga.ron";
    let short = ["--duration", "30s"];
    let at = |name: &str| dir.path().join(name);

    let svg = export(model, "svg", &at("d.svg"), &[]);
    assert!(String::from_utf8_lossy(&svg).contains("<svg"));
    let svg_overlay = export(
        model,
        "svg",
        &at("o.svg"),
        &["--overlay", "--duration", "30s"],
    );
    assert_ne!(svg, svg_overlay, "the overlay adds to the diagram");

    let png = export(model, "png", &at("d.png"), &["--scale", "2"]);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    let mermaid = String::from_utf8(export(model, "mermaid", &at("d.mmd"), &[])).unwrap();
    assert!(mermaid.contains("\nflowchart LR"), "{mermaid}");
    let dot = String::from_utf8(export(model, "dot", &at("d.dot"), &[])).unwrap();
    assert!(dot.starts_with("digraph"));

    let catalogue = String::from_utf8(export(model, "catalogue", &at("c.md"), &[])).unwrap();
    assert!(catalogue.contains("OrderPlaced"));
    let asyncapi = String::from_utf8(export(model, "asyncapi", &at("a.yaml"), &[])).unwrap();
    assert!(asyncapi.contains("asyncapi: 3.0.0"));

    let otlp = export(
        model,
        "otlp",
        &at("t.json"),
        &["--duration", "10s", "--max-traces", "5"],
    );
    let json: serde_json::Value = serde_json::from_slice(&otlp).unwrap();
    assert!(json["resourceSpans"].is_array());

    let html = String::from_utf8(export(model, "html", &at("r.html"), &short)).unwrap();
    assert!(html.contains("<h2>Bottlenecks</h2>") && html.contains("<svg"));
    let md = String::from_utf8(export(model, "report", &at("review.md"), &short)).unwrap();
    assert!(md.contains("![Diagram of"));
    assert!(md.contains("(review.png)"));
    assert!(
        at("review.svg").exists() && at("review.png").exists(),
        "images beside it"
    );

    // The same command writes the same bytes.
    let again = export(model, "report", &at("again.md"), &short);
    assert_eq!(
        String::from_utf8(again)
            .unwrap()
            .replace("again.png", "review.png"),
        md,
        "the report is deterministic"
    );
}

#[test]
fn a_sequence_diagram_of_one_item_and_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.mmd");
    let text = String::from_utf8(export(
        "models/order-saga.ron",
        "mermaid",
        &out,
        &["--duration", "10s", "--correlation", "3"],
    ))
    .unwrap();
    assert!(text.contains("sequenceDiagram"), "{text}");

    let o = eventscape(&[
        "export",
        "models/order-saga.ron",
        "--format",
        "mermaid",
        "--duration",
        "1s",
        "--correlation",
        "999999999",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no item with correlation id"));

    let o = eventscape(&[
        "export",
        "tests/malformed/bad-duration-unit.ron",
        "--format",
        "svg",
        "-o",
        "x.svg",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_example_exports_to_every_model_format() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "order-choreography",
        "order-saga",
        "cqrs-event-sourcing",
        "notification-vs-state-transfer",
    ] {
        let model = format!("models/{file}.ron");
        for (format, ext) in [
            ("svg", "svg"),
            ("mermaid", "mmd"),
            ("dot", "dot"),
            ("catalogue", "md"),
            ("asyncapi", "yaml"),
        ] {
            let out = dir.path().join(format!("{file}.{ext}"));
            let first = export(&model, format, &out, &[]);
            assert!(!first.is_empty());
            assert_eq!(
                export(&model, format, &out, &[]),
                first,
                "{format} of {file} is deterministic"
            );
        }
    }
}

/// An option the format would ignore is an error that says which formats take it;
/// correlation id 0 names no item.
#[test]
fn options_that_do_not_apply_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let refused = |format: &str, extra: &[&str], says: &str| {
        let mut args = vec!["export", "models/order-saga.ron", "--format", format];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", out.to_str().unwrap()]);
        let o = eventscape(&args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote a file");
    };
    refused(
        "dot",
        &["--overlay"],
        "--overlay does not apply to --format dot: it is for svg, png",
    );
    refused("svg", &["--scale", "2"], "it is for png");
    refused("otlp", &["--correlation", "3"], "it is for mermaid");
    refused("mermaid", &["--max-traces", "3"], "it is for otlp");
    refused(
        "dot",
        &["--seed", "7"],
        "--seed does not apply to --format dot",
    );
    refused(
        "mermaid",
        &["--duration", "1s"],
        "mermaid with --correlation",
    );
    refused(
        "mermaid",
        &["--correlation", "0"],
        "correlation ids start at 1",
    );
    // What applies is taken.
    let ok = eventscape(&[
        "export",
        "models/order-saga.ron",
        "--format",
        "png",
        "--scale",
        "2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// Mermaid renders only an error for a text over its default limit: the export says
/// so for a big model, and not for an example.
#[test]
fn a_mermaid_export_too_long_for_mermaid_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.ron");
    let m = eventscape::examples::enterprise::Enterprise::new(200, 4)
        .unwrap()
        .model();
    std::fs::write(&big, eventscape::model::to_ron(&m).unwrap()).unwrap();
    let run = |model: &str| {
        let out = dir.path().join("d.mmd");
        let o = eventscape(&[
            "export",
            model,
            "--format",
            "mermaid",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0));
        let size = std::fs::metadata(&out).unwrap().len() as usize;
        (size, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (size, stderr) = run(big.to_str().unwrap());
    assert!(size > eventscape::export::MERMAID_MAX_TEXT, "{size}");
    assert!(stderr.contains("maxTextSize"), "{stderr}");
    let (size, stderr) = run("models/order-saga.ron");
    assert!(size < eventscape::export::MERMAID_MAX_TEXT, "{size}");
    assert!(!stderr.contains("warning"), "{stderr}");
}
