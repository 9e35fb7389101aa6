//! File > Export...: every export of the command line, from the app, with a preview
//! (`export_preview`); exports that simulate run in the background.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::EventscapeApp;
use super::commands::Command;
use crate::export::{ExportFormat, ExportOption, ExportOptions};

/// The export dialog's state.
pub struct ExportState {
    pub open: bool,
    pub options: ExportOptions,
    correlation: String,
    pub(super) preview: Option<super::export_preview::Preview>,
    /// What the preview was made of.
    pub(super) preview_for: Option<super::export_preview::PreviewKey>,
    job: Option<tokio::task::JoinHandle<Result<Vec<PathBuf>, String>>>,
    pub result: Option<Result<Vec<PathBuf>, String>>,
}

impl Default for ExportState {
    fn default() -> Self {
        Self {
            open: false,
            options: ExportOptions::new(ExportFormat::Svg),
            correlation: String::new(),
            preview: None,
            preview_for: None,
            job: None,
            result: None,
        }
    }
}

impl EventscapeApp {
    pub(super) fn export_dialog_ui(&mut self, ctx: &egui::Context) {
        if !self.export.open {
            return;
        }
        // Collect a finished export.
        if self
            .export
            .job
            .as_ref()
            .is_some_and(tokio::task::JoinHandle::is_finished)
            && let Some(job) = self.export.job.take()
        {
            let result = match self.sim.runtime() {
                Ok(rt) => rt.block_on(job).unwrap_or_else(|e| Err(e.to_string())),
                Err(why) => Err(why),
            };
            self.export.result = Some(result);
        }
        let mut open = true;
        egui::Window::new("Export")
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                let e = &mut self.export;
                // The name before its box, as a form reads (and its accessible label).
                ui.horizontal(|ui| {
                    let name = ui.label("Format");
                    egui::ComboBox::from_id_salt("export-format")
                        .selected_text(e.options.format.label())
                        .show_ui(ui, |ui| {
                            for f in ExportFormat::ALL {
                                ui.selectable_value(&mut e.options.format, f, f.label());
                            }
                        })
                        .response
                        .labelled_by(name.id);
                });
                let f = e.options.format;
                if f.uses(ExportOption::Overlay) {
                    ui.checkbox(
                        &mut e.options.overlay,
                        "with the simulation overlay (runs the model)",
                    );
                }
                if f.uses(ExportOption::Scale) {
                    ui.horizontal(|ui| {
                        ui.label("Scale");
                        ui.selectable_value(&mut e.options.scale, 1.0, "1×");
                        ui.selectable_value(&mut e.options.scale, 2.0, "2×");
                    });
                }
                if f.uses(ExportOption::Correlation) {
                    let l = ui.label("Correlation id (empty: the flowchart of the model)");
                    ui.text_edit_singleline(&mut e.correlation)
                        .labelled_by(l.id);
                    e.options.correlation = e.correlation.trim().parse().ok();
                }
                if f.uses(ExportOption::MaxTraces) {
                    // As the CLI: every trace as JSON Lines, or one document of the
                    // first N traces.
                    let mut limit = e.options.max_traces.is_some();
                    ui.checkbox(&mut limit, "only the first traces, as one JSON document");
                    if limit {
                        let mut n = e.options.max_traces.unwrap_or(200);
                        ui.add(
                            egui::DragValue::new(&mut n)
                                .range(1..=1_000_000)
                                .suffix(" traces"),
                        );
                        e.options.max_traces = Some(n);
                    } else {
                        e.options.max_traces = None;
                        ui.label(
                            RichText::new(
                                "Every trace, as OTLP JSON Lines (one request per line).",
                            )
                            .weak(),
                        );
                    }
                }
                if f.needs_run(&e.options) {
                    ui.label(
                        RichText::new("Simulates the model first (its seed and duration).").weak(),
                    );
                }
                ui.separator();
                if let Some(preview) = &e.preview {
                    preview.ui(ui);
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let busy = e.job.is_some();
                    if ui
                        .add_enabled(!busy, egui::Button::new("Export to..."))
                        .clicked()
                    {
                        self.queue.push(Command::ExportAgain);
                    }
                    if busy {
                        ui.spinner();
                        ui.label("Exporting...");
                        ctx.request_repaint();
                    }
                });
                match &e.result {
                    Some(Ok(paths)) => {
                        let list: Vec<String> =
                            paths.iter().map(|p| p.display().to_string()).collect();
                        ui.label(format!("Wrote {}", list.join(", ")));
                    }
                    Some(Err(err)) => {
                        ui.label(RichText::new(err).color(super::theme::ERROR));
                    }
                    None => {}
                }
            });
        self.export.open = open;
        self.refresh_preview(ctx);
    }

    /// Ask where, then export with the dialog's options in the background.
    pub(super) fn start_export(&mut self) {
        if self.export.job.is_some() {
            self.say("An export is still running");
            return;
        }
        let stem = super::files::suggested_file_name(&self.doc.model.name);
        let stem = stem.trim_end_matches(".ron");
        let name = format!("{stem}.{}", self.export.options.extension());
        let Some(path) = self.dialogs.save_as(&name) else {
            self.no_file_chosen(super::path_prompt::PathPurpose::Export, &name);
            return;
        };
        self.export_to(path);
    }

    /// Export with the dialog's options to `path`, in the background.
    pub(super) fn export_to(&mut self, path: std::path::PathBuf) {
        let mut options = self.export.options.clone();
        options.seed = Some(self.sim.seed());
        let model = self.doc.model.clone();
        self.export.result = None;
        match self.sim.runtime() {
            Ok(rt) => {
                let job = rt.spawn_blocking(move || crate::export::write(&model, &options, &path));
                self.export.job = Some(job);
            }
            Err(why) => self.export.result = Some(Err(why)),
        }
    }
}
