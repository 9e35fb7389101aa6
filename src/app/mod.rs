//! The desktop app (eframe/egui): the only layer that knows egui.
//!
//! For now it opens one model and shows its name and a plain list of its elements;
//! the graph editor builds on this.

mod canvas;
mod overview;
mod theme;

use std::path::PathBuf;

use eframe::egui;

use crate::model::{Model, Problem, validate};

pub use canvas::Canvas;
pub use overview::overview_ui;

/// The open document: the model and where it came from.
pub struct Document {
    pub model: Model,
    pub path: Option<PathBuf>,
    pub problems: Vec<Problem>,
}

impl Document {
    pub fn new(model: Model, path: Option<PathBuf>) -> Self {
        let problems = validate(&model);
        Self {
            model,
            path,
            problems,
        }
    }

    /// `name.ron — Model name`, or the model name alone for the built-in example.
    pub fn window_title(&self) -> String {
        let file = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|f| f.to_string_lossy().into_owned());
        match file {
            Some(f) => format!("{f} — {} — Eventscape", self.model.name),
            None => format!("{} (example) — Eventscape", self.model.name),
        }
    }
}

/// The eframe application.
pub struct EventscapeApp {
    document: Document,
    canvas: Canvas,
}

impl EventscapeApp {
    pub fn new(document: Document) -> Self {
        let canvas = Canvas::new(&document.model);
        Self { document, canvas }
    }

    /// The whole window: the element list on the left, the diagram in the middle.
    pub fn window_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::left("overview")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                overview_ui(ui, &self.document);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            canvas::legend_ui(ui);
            self.canvas.ui(ui);
        });
    }
}

impl eframe::App for EventscapeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.window_ui(ui);
    }
}

/// Open the app window on a document; returns when the window is closed.
pub fn run(document: Document) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(document.window_title())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Eventscape",
        options,
        Box::new(|_cc| Ok(Box::new(EventscapeApp::new(document)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the app window: {e}"))
}
