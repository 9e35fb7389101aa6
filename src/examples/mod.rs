//! Example models shipped in `models/` and embedded in the binary, and generated
//! ones of any size ([`enterprise`]).

pub mod enterprise;

use crate::model::{Model, ParseError, parse};

/// One example model.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// Short name used on the command line: `eventscape example saga`.
    pub name: &'static str,
    /// File name under `models/`.
    pub file: &'static str,
    /// The model's RON text, as shipped.
    pub text: &'static str,
}

impl Example {
    /// The example parsed into a model.
    pub fn model(&self) -> Result<Model, ParseError> {
        parse(self.text)
    }
}

/// Every example, in the order a newcomer should read them.
pub const ALL: &[Example] = &[
    Example {
        name: "choreography",
        file: "order-choreography.ron",
        text: include_str!("../../models/order-choreography.ron"),
    },
    Example {
        name: "saga",
        file: "order-saga.ron",
        text: include_str!("../../models/order-saga.ron"),
    },
    Example {
        name: "cqrs",
        file: "cqrs-event-sourcing.ron",
        text: include_str!("../../models/cqrs-event-sourcing.ron"),
    },
    Example {
        name: "notification",
        file: "notification-vs-state-transfer.ron",
        text: include_str!("../../models/notification-vs-state-transfer.ron"),
    },
];

/// The model the app opens when given no file: the orchestrated order saga.
pub const DEFAULT: &Example = &ALL[1];

/// The example with this short name or file name, e.g. `"saga"` or `"order-saga.ron"`.
pub fn find(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name || e.file == name)
}
