//! Validation: every problem of a well-formed model, at once, each with its path in the
//! model (`sagas[checkout].steps[2].compensate: unknown command "RefundCard"`).
//!
//! Errors make a model unusable for simulation (a reference to nothing, a probability
//! of 1.3); warnings are lints a reviewer would raise (an event consumed but never
//! produced). Problems come in model order, so the output is stable.

mod bounds;
mod domains;
mod flow;
mod names;
mod numbers;
mod refs;
mod sagas;

pub use bounds::{MAX_ATTEMPTS, MAX_BURST, MAX_PARTITIONS, MAX_RATE_PER_SEC};

use std::fmt;

use serde::Serialize;

use super::flows::Receiver;
use super::{ElementKind, ElementRef, Flows, Index, Model};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Likely a mistake, but the model can still be simulated.
    Warning,
    /// The model cannot be simulated until it is fixed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing wrong with a model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// How bad it is.
    pub severity: Severity,
    /// Where in the model, e.g. `services[payment].handlers[0].retry.attempts`.
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The element the problem is about, for the editor to select.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<ElementRef>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.severity, self.path, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Check a model; the result is empty when the model is clean.
pub fn validate(model: &Model) -> Vec<Problem> {
    let flows = Flows::new(model);
    let index = Index::from_flows(&flows);
    let mut cx = Cx {
        model,
        flows: &flows,
        index: &index,
        problems: Vec::new(),
        element: None,
    };
    names::check(&mut cx);
    numbers::check(&mut cx);
    bounds::check(&mut cx);
    refs::check(&mut cx);
    sagas::check(&mut cx);
    flow::check(&mut cx);
    domains::check(&mut cx);
    cx.problems
}

/// Does the list hold any error (not just warnings)?
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

/// The validation context: the model, its flows and index, the problems found so far
/// and the element being checked (attached to every problem pushed).
pub(super) struct Cx<'m> {
    pub model: &'m Model,
    pub flows: &'m Flows<'m>,
    pub index: &'m Index,
    pub problems: Vec<Problem>,
    element: Option<ElementRef>,
}

impl Cx<'_> {
    /// Attribute the following problems to an element.
    pub fn on(&mut self, kind: ElementKind, name: &str) {
        self.element = Some(ElementRef::new(kind, name));
    }

    pub fn off(&mut self) {
        self.element = None;
    }

    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) -> &mut Problem {
        self.push(Severity::Error, path.into(), message.into())
    }

    pub fn warning(&mut self, path: impl Into<String>, message: impl Into<String>) -> &mut Problem {
        self.push(Severity::Warning, path.into(), message.into())
    }

    fn push(&mut self, severity: Severity, path: String, message: String) -> &mut Problem {
        self.problems.push(Problem {
            severity,
            path,
            message,
            hint: None,
            element: self.element.clone(),
        });
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }
}

impl Problem {
    /// Add what to do about it.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The path of what a receiver reacts to: `services[payment].handlers[0].on`,
/// `sagas[checkout].trigger`.
pub(super) fn trigger_path(r: &Receiver) -> String {
    match r {
        Receiver::Handler(at) => format!("services[{}].handlers[{}].on", at.service.name, at.index),
        Receiver::Saga(g) => format!("sagas[{}].trigger", g.saga.name),
    }
}

/// `names` joined for a message: `"a", "b" and "c"`.
pub(super) fn quoted_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("\"{n}\"")).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests;
