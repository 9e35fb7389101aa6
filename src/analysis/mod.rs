//! Analysis of a finished run: the report (exact metrics per element), the ranked
//! bottleneck findings with their evidence, the model's assertions evaluated, and the
//! emergent process mined from the trace ([`process`]); one item's journey read from
//! its records' causes ([`journey`]); and the live figures of a run in
//! progress ([`live`]).
//!
//! The report is plain data with a stable JSON schema (see README.md); the text
//! rendering is for people.

mod assertions;
mod bottlenecks;
pub mod journey;
pub mod live;
pub mod process;
mod report;
mod text;

pub use assertions::{AssertionResult, evaluate};
pub use bottlenecks::{Bottleneck, BottleneckKind, find_bottlenecks};
pub use journey::{Journey, journey};
pub use process::{Activity, Flow, Process, Variant, VariantKind, emergent_process};
pub use report::{
    Bounded, Cell, CompensationReport, DETAIL_PER_KIND, GroupReport, MAX_FINDINGS, MessagesReport,
    PartitionReport, Percentiles, ProjectionReport, Report, SagaOutcomes, SagaReport,
    ServiceReport, SourceReport, StepReport, StoreReport, Table, TopicReport,
};
pub use text::render_text;

/// Growth of a sampled level: mean of the last quarter of samples over the mean of
/// the first quarter (1 = flat). `None` with too few samples or an empty start.
pub(crate) fn growth(samples: &[f64]) -> Option<(f64, f64, f64)> {
    if samples.len() < 8 {
        return None;
    }
    let q = samples.len() / 4;
    let first = samples[..q].iter().sum::<f64>() / q as f64;
    let last = samples[samples.len() - q..].iter().sum::<f64>() / q as f64;
    Some((
        first,
        last,
        if first > 0.0 {
            last / first
        } else if last > 0.0 {
            f64::INFINITY
        } else {
            1.0
        },
    ))
}
