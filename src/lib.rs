//! Eventscape: draw event-driven microservice architectures, simulate their event
//! traffic deterministically, and review what emerges.
//!
//! Layers, each depending only on the ones above it:
//!
//! - [`model`]: the document (types, RON load/save, validation, edits and undo);
//! - [`sim`]: the deterministic discrete-event engine;
//! - [`analysis`]: the report of a run, bottlenecks, assertions;
//! - [`diagram`]: the model as boxes and arrows, and its layered layout;
//! - [`export`]: diagrams, documents and traces for the tools architects use;
//! - [`import`]: starting models from other tools' documents (AsyncAPI);
//! - [`cli`]: the headless commands;
//! - `app` (feature `gui`): the eframe/egui desktop app, the only layer that knows egui.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod diagram;
pub mod examples;
pub mod export;
pub mod import;
pub mod model;
pub mod sim;
pub mod words;

#[cfg(feature = "gui")]
pub mod app;
