//! Exports of a model and of a run for design reviews and other tools.

pub mod docs;

pub use docs::{asyncapi, catalogue, otlp_json};
