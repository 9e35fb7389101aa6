//! Exports for design reviews and for the tools architects already use: the model's
//! architecture as SVG and PNG (drawn like the app's canvas, with a legend, optionally
//! with a simulation's heat, lag and findings on top), as a Mermaid flowchart or
//! Graphviz DOT, one correlation id's trace as a Mermaid sequence diagram; documents
//! (`docs`: AsyncAPI, the event catalogue, OpenTelemetry traces); event logs for
//! process-mining tools (`eventlog`: XES and OCEL 2.0, streamed case by case through
//! `cases`); the review report (`review`: Markdown and HTML); and [`write`], one export to a file, shared by the
//! command line and the app.
//!
//! Headless: this layer knows the model, the simulator's records and the analysis,
//! never egui. The diagram's shapes and look come from `diagram::shape` and
//! `diagram::style`, which the app's canvas draws from too. Every export is
//! deterministic: the same input gives the same bytes (text widths in the SVG come
//! from a fixed table of DejaVu Sans, not the fonts installed).

pub mod cases;
pub mod docs;
mod domains;
mod dot;
pub mod eventlog;
mod files;
mod markdown;
mod mermaid;
mod overlay;
mod png;
pub mod review;
mod sequence;
mod svg;
#[cfg(test)]
mod tests;

pub use docs::{asyncapi, catalogue, otlp_json};
pub use dot::dot;
pub use files::{ExportFormat, ExportOption, ExportOptions, write, write_within};
pub use mermaid::{MERMAID_MAX_TEXT, mermaid_flowchart};
pub use overlay::Overlay;
pub use png::{png, rasterise};
pub use review::{review_html, review_markdown};
pub use sequence::mermaid_sequence;
pub use svg::svg;

/// Why an export failed. None is fatal to the program: the export is not written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The SVG could not be read or rasterised (a bug when the SVG came from [`svg`]).
    #[error("could not render the PNG: {0}")]
    Png(String),
    /// No font at all on this system, so text would vanish from the PNG.
    #[error(
        "no font found on this system, so the PNG's text cannot be drawn; install one \
         (e.g. the Debian package fonts-dejavu-core) or export SVG instead"
    )]
    NoFont,
}

/// Escape text for XML content and attribute values.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
