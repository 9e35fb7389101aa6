//! Exports for design reviews and for the tools architects already use.

pub mod docs;
#[cfg(any())] // until the diagram exports land
mod files;
pub mod review;

pub use docs::{asyncapi, catalogue, otlp_json};
#[cfg(any())]
pub use files::{ExportFormat, ExportOptions, write};
pub use review::{review_html, review_markdown};
