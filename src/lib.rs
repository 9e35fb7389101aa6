//! Eventscape: draw event-driven microservice architectures, simulate their event
//! traffic deterministically, and review what emerges.
//!
//! Layers, each depending only on the ones above it:
//!
//! - [`model`]: the document (types, RON load/save, validation);
//! - [`cli`]: the headless commands;
//! - `app` (feature `gui`): the eframe/egui desktop app, the only layer that knows egui.
//!
//! The simulation engine (`sim`), its analysis (`analysis`) and the exports (`export`)
//! are further layers between the model and the app; they land with their issues.

pub mod analysis;
pub mod cli;
pub mod examples;
pub mod model;
pub mod sim;

#[cfg(feature = "gui")]
pub mod app;
