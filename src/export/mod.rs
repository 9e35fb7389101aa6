//! Exports for design reviews and for the tools architects already use.

#[cfg(any())] // until the diagram and document exports land
mod files;
pub mod review;

#[cfg(any())]
pub use files::{ExportFormat, ExportOptions, write};
pub use review::{review_html, review_markdown};
