//! The export dialog's preview: the diagram as it will be exported (with the
//! simulation overlay of the run so far when that is asked for), the text of a text
//! export, or a word on what an export that needs a whole run will hold.

use eframe::egui::{self, RichText};

use super::EventscapeApp;
use crate::analysis::Report;
use crate::export::{ExportFormat, Overlay};

/// Lines of a text export shown in the preview.
const TEXT_LINES: usize = 400;

/// What a preview was made of: the format, the document's revision, whether the
/// overlay is on, and (with it) how far the run was.
pub type PreviewKey = (ExportFormat, u64, bool, u64);

/// A preview, ready to draw.
pub enum Preview {
    /// The diagram, rasterised, and a word on its overlay.
    Image(egui::TextureHandle, [usize; 2], Option<String>),
    /// The first lines of a text export.
    Text(String),
    /// No preview: why, and what the export will hold.
    Note(String),
}

impl Preview {
    /// Draw the preview in the dialog.
    pub fn ui(&self, ui: &mut egui::Ui) {
        match self {
            Preview::Image(texture, size, note) => {
                if let Some(note) = note {
                    ui.label(RichText::new(note).weak());
                }
                let w = ui.available_width().min(size[0] as f32);
                let h = w * size[1] as f32 / size[0].max(1) as f32;
                ui.add(egui::Image::new((texture.id(), egui::vec2(w, h))));
            }
            Preview::Text(text) => {
                egui::ScrollArea::both()
                    .max_height(320.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        ui.add(
                            egui::Label::new(RichText::new(text).monospace())
                                .wrap_mode(egui::TextWrapMode::Extend),
                        );
                    });
            }
            Preview::Note(note) => {
                ui.label(RichText::new(note).weak());
            }
        }
    }
}

impl EventscapeApp {
    /// Bring the dialog's preview up to date with its options and the document.
    pub(super) fn refresh_preview(&mut self, ctx: &egui::Context) {
        let options = &self.export.options;
        let f = options.format;
        let overlay = options.overlay && f.uses(crate::export::ExportOption::Overlay);
        // The overlay follows the run while it is paused; a playing run would mean a
        // report and a rasterised SVG every frame, so its preview waits for a pause.
        let steps = match (overlay, self.sim.is_playing()) {
            (true, false) => self.sim.playback().map_or(0, crate::sim::Playback::steps),
            (true, true) => self.export.preview_for.map_or(0, |k| k.3),
            (false, _) => 0,
        };
        let key = (f, self.doc.revision(), overlay, steps);
        if self.export.preview_for == Some(key) {
            return;
        }
        self.export.preview_for = Some(key);
        let model = &self.doc.model;
        self.export.preview = Some(match f {
            ExportFormat::Svg | ExportFormat::Png => {
                let (overlay, note) = self.overlay_so_far(overlay);
                let svg = crate::export::svg(model, overlay.as_ref());
                match crate::export::rasterise(&svg, 1.0) {
                    Ok((w, h, rgba)) => {
                        let size = [w as usize, h as usize];
                        let image = egui::ColorImage::from_rgba_unmultiplied(size, &rgba);
                        let texture =
                            ctx.load_texture("export-preview", image, egui::TextureOptions::LINEAR);
                        Preview::Image(texture, size, note)
                    }
                    Err(e) => Preview::Note(format!("The preview could not be drawn: {e}")),
                }
            }
            ExportFormat::Mermaid if options.correlation.is_none() => {
                text(&crate::export::mermaid_flowchart(model))
            }
            ExportFormat::Dot => text(&crate::export::dot(model)),
            ExportFormat::Catalogue => text(&crate::export::catalogue(model)),
            ExportFormat::Asyncapi => text(&crate::export::asyncapi(model)),
            _ => Preview::Note(
                "This export is made from a whole run of the model (its seed and duration), \
                 in the background when you export: no preview."
                    .into(),
            ),
        });
    }

    /// The overlay of the run so far, when asked for and there is one; and a word on
    /// what the preview shows.
    fn overlay_so_far(&self, wanted: bool) -> (Option<Overlay>, Option<String>) {
        if !wanted {
            return (None, None);
        }
        let Some(p) = self.sim.playback().filter(|p| p.steps() > 0) else {
            return (
                None,
                Some(
                    "The overlay comes from a whole run when you export; play or step the \
                     run to preview it here."
                        .into(),
                ),
            );
        };
        let mut copy = p.sim().clone();
        if !p.is_done() {
            copy.end_now();
        }
        let report = Report::new(&self.doc.model, &mut copy);
        let note = format!(
            "Preview: the overlay of the run so far ({}); the export runs the whole model.",
            super::simulate::secs(p.time())
        );
        (
            Some(Overlay::from_report(&self.doc.model, &report)),
            Some(note),
        )
    }
}

/// The first lines of a text export.
fn text(all: &str) -> Preview {
    let lines: Vec<&str> = all.lines().collect();
    let mut shown = lines[..lines.len().min(TEXT_LINES)].join("\n");
    if lines.len() > TEXT_LINES {
        shown.push_str(&format!("\n… {} more lines", lines.len() - TEXT_LINES));
    }
    Preview::Text(shown)
}
