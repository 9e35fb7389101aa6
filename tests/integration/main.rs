//! Integration tests, as one binary (one link step instead of one per file).

// A failed unwrap in a test or its helpers is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analysis;
mod asyncapi_import;
mod budget_cli;
mod causes;
mod cli;
mod eventlog;
mod examples;
mod export_cli;
mod fuzz;
mod loader_fuzz;
mod malformed;
mod memory;
mod orphans;
mod otlp_stream;
mod queueing;
mod regressions;
mod report_bounds;
mod report_crosscheck;
mod semantics;
mod sim;

#[cfg(feature = "gui")]
mod app;
#[cfg(feature = "gui")]
mod dfg;
#[cfg(feature = "gui")]
mod dock;
#[cfg(feature = "gui")]
mod editor;
#[cfg(feature = "gui")]
mod shots;
#[cfg(feature = "gui")]
mod simulate;
#[cfg(feature = "gui")]
mod snapshots;
#[cfg(feature = "gui")]
mod tokens;
#[cfg(feature = "gui")]
mod trace;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The whole window on `model` at 1280×800, rendered with wgpu (for images), after
/// its first frames.
#[cfg(feature = "gui")]
pub fn rendered_window(
    model: eventscape::model::Model,
) -> egui_kittest::Harness<'static, eventscape::app::EventscapeApp> {
    use eventscape::app::{Document, EventscapeApp};
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .wgpu()
        .build_ui_state(
            |ui, app: &mut EventscapeApp| app.window_ui(ui),
            EventscapeApp::new(Document::new(model, None)),
        );
    h.run_steps(3);
    h
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.ron` file directly in a folder of the repository, sorted.
pub fn ron_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(folder))
        .unwrap_or_else(|e| panic!("cannot list {folder}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

/// Run the `eventscape` binary in the repository root (no colours) and wait for it.
pub fn eventscape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventscape"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The model of `n` pipelines of `len` services, each consuming a keyed 4-partition
/// topic and publishing to the next (the library generator's pipelines,
/// `examples::enterprise::Pipeline`), without domains, sagas or positions, 20 s
/// long: pipeline `p`'s handlers take `latency(p)`, and with `per_sec` each pipeline
/// has a Poisson source over 100 keys.
pub fn pipelines_model(
    n: usize,
    len: usize,
    latency: &dyn Fn(usize) -> eventscape::model::Distribution,
    per_sec: Option<f64>,
) -> eventscape::model::Model {
    let mut m = eventscape::model::Model::new("pipelines");
    m.duration = eventscape::model::Duration::from_secs(20);
    for p in 0..n {
        let mut spec = eventscape::examples::enterprise::Pipeline::new(len, latency(p));
        spec.source = per_sec.map(|rate| (rate, 100));
        spec.add_to(&mut m, p);
    }
    m
}

/// [`pipelines_model`] as RON text.
pub fn pipelines_text(
    n: usize,
    len: usize,
    latency: &dyn Fn(usize) -> eventscape::model::Distribution,
    per_sec: Option<f64>,
) -> String {
    eventscape::model::to_ron(&pipelines_model(n, len, latency, per_sec)).unwrap()
}
