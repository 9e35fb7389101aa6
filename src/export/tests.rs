//! Every export of every example: well-formed (checked by real parsers where there is
//! one: usvg, the png decoder, Graphviz), deterministic, and equal to its golden file.
//!
//! `UPDATE_GOLDEN=1` rewrites the golden files under `tests/golden/`;
//! `EXPORT_PREVIEW_DIR=dir` also writes the saga example's SVG and PNGs there, to look at.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::*;
use crate::analysis::Report;
use crate::examples::ALL;
use crate::model::Model;
use crate::sim::{Record, RunOptions, Simulation, TraceKind};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to write it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "the length".to_owned(), |i| format!("line {}", i + 1));
        panic!(
            "{} differs from the export at {line}; if the change is intended, run with UPDATE_GOLDEN=1",
            path.display()
        );
    }
}

/// Every `<text>` element's content, unescaped.
fn texts(svg: &str) -> Vec<String> {
    let options = resvg::usvg::roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = resvg::usvg::roxmltree::Document::parse_with_options(svg, options)
        .expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

fn svg_size(svg: &str) -> (f32, f32) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .expect("usvg reads the SVG");
    (tree.size().width(), tree.size().height())
}

fn decode_png(bytes: &[u8]) -> (u32, u32) {
    let decoder = ::png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("PNG pixels");
    // Something was drawn: not every pixel is the background.
    assert!(buf.chunks(4).any(|p| p[0] < 200), "the PNG is blank");
    (info.width, info.height)
}

/// Every element name of a model, as drawn.
fn names(model: &Model) -> Vec<String> {
    crate::diagram::arch_graph(model)
        .nodes
        .into_iter()
        .map(|n| n.element.name)
        .collect()
}

fn check_svg(label: &str, model: &Model, svg: &str) {
    let texts = texts(svg);
    for name in names(model) {
        assert!(texts.contains(&name), "{label}: no <text> with {name:?}");
    }
    let (w, h) = svg_size(svg);
    assert!(w > 100.0 && h > 100.0, "{label}: {w} × {h}");
}

fn check_png(label: &str, svg: &str) {
    let (w, h) = svg_size(svg);
    for scale in [1.0f32, 2.0] {
        let bytes = png(svg, scale).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            decode_png(&bytes),
            ((w * scale).ceil() as u32, (h * scale).ceil() as u32),
            "{label} at {scale}×"
        );
    }
}

/// A model whose names need escaping everywhere: quotes, ampersands, angle brackets,
/// a backslash, Mermaid's `#` and `;` and `|`.
fn awkward() -> Model {
    let text = crate::examples::find("saga")
        .unwrap()
        .text
        .replace("\"orders\"", r#""or\"ders & <x> #1; |y|""#)
        .replace("\"payment\"", r#""pay\\ment 'n' \"co\"""#)
        .replace("\"web shop\"", r#""web shop <b>""#);
    crate::model::parse(&text).expect("the renamed saga example parses")
}

/// The saga example run to its end, with every trace record.
fn saga_run() -> (Model, Simulation, Vec<Record>) {
    let model = crate::examples::find("saga").unwrap().model().unwrap();
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    let records = Arc::new(Mutex::new(Vec::new()));
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let records = records.lock().unwrap().clone();
    (model, sim, records)
}

#[test]
fn every_example_exports_a_readable_deterministic_svg_and_png() {
    for e in ALL {
        let model = e.model().unwrap();
        let svg = svg(&model, None);
        assert_eq!(
            svg,
            super::svg(&model, None),
            "{}: not deterministic",
            e.name
        );
        check_svg(e.name, &model, &svg);
        check_png(e.name, &svg);
    }
}

#[test]
fn the_saga_svg_matches_its_golden_file() {
    let model = crate::examples::find("saga").unwrap().model().unwrap();
    golden("order-saga.svg", &svg(&model, None));
}

/// Graphviz's SVG of a DOT text; `None` when `dot` is not installed. Panics when
/// Graphviz refuses the text or warns about it.
pub(super) fn graphviz_svg(text: &str) -> Option<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "Graphviz: {stderr}\n{text}"
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn every_example_exports_dot_that_graphviz_reads() {
    let has_dot = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_dot {
        println!(
            "note: Graphviz `dot` is not installed; DOT output only checked against golden files"
        );
    }
    let mut models: Vec<(String, Model)> = ALL
        .iter()
        .map(|e| (e.name.to_owned(), e.model().unwrap()))
        .collect();
    models.push(("awkward".to_owned(), awkward()));
    for (name, model) in &models {
        let text = dot(model);
        assert_eq!(text, dot(model), "{name}: not deterministic");
        assert!(text.starts_with("digraph ") && text.ends_with("}\n"));
        if name != "awkward" {
            golden(&format!("{name}.dot"), &text);
        }
        if has_dot {
            let svg =
                graphviz_svg(&text).unwrap_or_else(|| panic!("{name}: Graphviz failed\n{text}"));
            // Graphviz drew every node with its name.
            let drawn = texts(&svg);
            for n in names(model) {
                assert!(drawn.contains(&n), "{name}: Graphviz did not draw {n:?}");
            }
        }
    }
}

/// Structure checks for Mermaid: the header, brackets and quotes balanced per line,
/// every node id defined before an edge uses it.
fn check_flowchart(label: &str, model: &Model, text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("---"));
    assert!(text.contains("\nflowchart LR\n"), "{label}");
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "flowchart LR")
        .skip(1)
        .collect();
    let mut defined = std::collections::BTreeSet::new();
    for line in &body {
        let line = line.trim();
        assert_eq!(
            line.matches('"').count() % 2,
            0,
            "{label}: quotes in {line}"
        );
        // Brackets outside quoted labels balance.
        let mut depth = 0i32;
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '[' | '(' | '{' if !quoted => depth += 1,
                ']' | ')' | '}' if !quoted => depth -= 1,
                _ => {}
            }
        }
        // A flag shape opens with '>' and closes with ']'.
        let flag = line.starts_with('n') && line.contains(">\"") && {
            let id_end = line.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(0);
            line[id_end..].starts_with('>')
        };
        assert_eq!(depth + i32::from(flag), 0, "{label}: brackets in {line}");
        let first: String = line
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if line.contains("-->") || line.contains("==>") || line.contains("-.->") {
            let last: String = line
                .rsplit(' ')
                .next()
                .unwrap()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            assert!(
                defined.contains(&first),
                "{label}: {first} used before defined"
            );
            assert!(
                defined.contains(&last),
                "{label}: {last} used before defined"
            );
        } else if first.starts_with('n') {
            defined.insert(first);
        }
    }
    assert_eq!(
        defined.len(),
        names(model).len(),
        "{label}: one node per box"
    );
}

#[test]
fn every_example_exports_a_well_formed_mermaid_flowchart() {
    for e in ALL {
        let model = e.model().unwrap();
        let text = mermaid_flowchart(&model);
        assert_eq!(
            text,
            mermaid_flowchart(&model),
            "{}: not deterministic",
            e.name
        );
        check_flowchart(e.name, &model, &text);
        golden(&format!("{}.mmd", e.name), &text);
    }
    let model = awkward();
    let text = mermaid_flowchart(&model);
    check_flowchart("awkward", &model, &text);
    assert!(
        text.contains("or#quot;ders #amp; #lt;x#gt; #35;1#59; #124;y#124;"),
        "{text}"
    );
}

#[test]
fn awkward_names_survive_svg_and_png() {
    let model = awkward();
    let svg = svg(&model, None);
    check_svg("awkward", &model, &svg);
    check_png("awkward", &svg);
}

#[test]
fn the_saga_run_draws_its_overlay_and_a_sequence_diagram() {
    let (model, mut sim, records) = saga_run();
    let report = Report::new(&model, &mut sim);
    let overlay = Overlay::from_report(&model, &report);
    assert!(!overlay.utilisation.is_empty() && !overlay.caption.is_empty());
    assert!(overlay.caption.contains(&format!("seed {}", report.seed)));
    let svg = svg(&model, Some(&overlay));
    assert_eq!(svg, super::svg(&model, Some(&overlay)));
    check_svg("saga with overlay", &model, &svg);
    check_png("saga with overlay", &svg);
    let texts = texts(&svg);
    assert!(texts.contains(&overlay.caption));
    for (rank, _, _) in &overlay.findings {
        assert!(
            texts.iter().any(|t| *t == rank.to_string()),
            "marker {rank}"
        );
    }
    for (name, u) in &overlay.utilisation {
        let badge = format!("{:.0}%", u * 100.0);
        assert!(texts.contains(&badge), "{name}: {badge}");
    }
    if let Some(dir) = std::env::var_os("EXPORT_PREVIEW_DIR") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let plain = super::svg(&model, None);
        std::fs::write(dir.join("saga.svg"), &plain).unwrap();
        std::fs::write(dir.join("saga.png"), png(&plain, 1.0).unwrap()).unwrap();
        std::fs::write(dir.join("saga-2x.png"), png(&plain, 2.0).unwrap()).unwrap();
        std::fs::write(dir.join("saga-overlay.svg"), &svg).unwrap();
        std::fs::write(dir.join("saga-overlay.png"), png(&svg, 1.0).unwrap()).unwrap();
        for e in ALL {
            let m = e.model().unwrap();
            let s = super::svg(&m, None);
            std::fs::write(dir.join(format!("{}.png", e.name)), png(&s, 1.0).unwrap()).unwrap();
        }
        let a = super::svg(&awkward(), None);
        std::fs::write(dir.join("awkward.png"), png(&a, 1.0).unwrap()).unwrap();
    }

    // A correlation whose saga was compensated, and one that went well.
    let compensated = records
        .iter()
        .find(|r| r.kind == TraceKind::CompensationStarted)
        .map(|r| r.correlation)
        .expect("the saga example compensates some orders");
    let happy = records
        .iter()
        .find(|r| r.kind == TraceKind::SagaEnded && r.detail == 0)
        .map(|r| r.correlation)
        .expect("and completes others");
    for corr in [compensated, happy] {
        let text = mermaid_sequence(&model, sim.plan(), &records, corr);
        assert_eq!(text, mermaid_sequence(&model, sim.plan(), &records, corr));
        check_sequence(&text);
        assert!(text.contains("actor p0 as web shop"), "{text}");
        if let Some(dir) = std::env::var_os("EXPORT_PREVIEW_DIR") {
            std::fs::write(
                PathBuf::from(dir).join(format!("sequence-{corr}.mmd")),
                &text,
            )
            .unwrap();
        }
    }
    let text = mermaid_sequence(&model, sim.plan(), &records, compensated);
    assert!(
        text.contains("Note over") && text.contains("compensate step"),
        "{text}"
    );
    assert!(text.contains("-->>"), "replies are dashed: {text}");
    let none = mermaid_sequence(&model, sim.plan(), &records, u64::MAX);
    assert!(none.starts_with("sequenceDiagram\n") && none.contains("no records"));
}

/// Every participant declared before use, every line one of the known statements.
fn check_sequence(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("sequenceDiagram"));
    let mut declared = std::collections::BTreeSet::new();
    let mut arrows = 0;
    for line in lines.map(str::trim) {
        if line.starts_with("%%") {
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("participant ")
            .or_else(|| line.strip_prefix("actor "))
        {
            let (id, _) = rest.split_once(" as ").expect("participant id as name");
            declared.insert(id.to_owned());
        } else if let Some(rest) = line.strip_prefix("Note over ") {
            let (id, _) = rest.split_once(": ").expect("note text");
            assert!(declared.contains(id), "{id} undeclared: {line}");
        } else {
            let (head, _) = line.split_once(": ").expect("an arrow with a text");
            let (a, b) = head
                .split_once("-->>")
                .or_else(|| head.split_once("->>"))
                .expect("an arrow");
            assert!(declared.contains(a) && declared.contains(b), "{line}");
            arrows += 1;
        }
        assert!(
            !line[line.find(": ").map_or(0, |i| i + 2)..].contains(';'),
            "{line}"
        );
    }
    assert!(arrows > 0);
}

/// Renders the Mermaid exports with the real Mermaid CLI (needs npx, the npm registry
/// and a browser for puppeteer; with Debian's chromium, set
/// `PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium` and `MERMAID_PUPPETEER_CONFIG` to a
/// JSON file with `{"args": ["--no-sandbox"]}` when running as root):
/// `cargo test --no-default-features --lib -- --ignored mermaid_cli`.
#[test]
#[ignore = "needs @mermaid-js/mermaid-cli and a browser"]
fn mermaid_cli_renders_the_exports() {
    let dir = tempfile::tempdir().unwrap();
    let (model, sim, records) = saga_run();
    let corr = records
        .iter()
        .find(|r| r.kind == TraceKind::CompensationStarted)
        .unwrap()
        .correlation;
    let mut inputs = vec![(
        "sequence".to_owned(),
        mermaid_sequence(&model, sim.plan(), &records, corr),
    )];
    inputs.push(("awkward".to_owned(), mermaid_flowchart(&awkward())));
    for e in ALL {
        inputs.push((e.name.to_owned(), mermaid_flowchart(&e.model().unwrap())));
    }
    for (name, text) in inputs {
        let input = dir.path().join(format!("{name}.mmd"));
        let output = dir.path().join(format!("{name}.svg"));
        std::fs::write(&input, &text).unwrap();
        let mut command = std::process::Command::new("npx");
        command.args(["-y", "@mermaid-js/mermaid-cli"]);
        if let Some(config) = std::env::var_os("MERMAID_PUPPETEER_CONFIG") {
            command.arg("-p").arg(config);
        }
        let out = command
            .arg("-i")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .output()
            .expect("npx runs");
        assert!(
            out.status.success(),
            "{name}: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(output.exists());
    }
}
