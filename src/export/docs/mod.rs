//! Documents derived from a model (AsyncAPI, event catalogue) and from a run
//! (OpenTelemetry traces).

pub mod asyncapi;
pub mod catalogue;
pub mod otlp;

pub use asyncapi::asyncapi;
pub use catalogue::catalogue;
pub use otlp::otlp_json;

#[cfg(test)]
mod tests;
