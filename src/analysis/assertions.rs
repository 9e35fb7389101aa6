//! The model's assertions, evaluated at the end of a run for the report. The rules
//! themselves are [`crate::sim::Judge`]'s, shared with the assertion breakpoint.

use serde::Serialize;

use crate::model::{Assertion, Model};
use crate::sim::{Judge, Simulation};

/// One of the model's assertions, checked at the end of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssertionResult {
    /// The assertion in words.
    pub assertion: String,
    /// Did the run meet it?
    pub passed: bool,
    /// What was measured, in words with units.
    pub measured: String,
}

/// Evaluate every assertion of the model, in model order, on a finished run.
pub fn evaluate(model: &Model, sim: &Simulation) -> Vec<AssertionResult> {
    model
        .assertions
        .iter()
        .map(|a| evaluate_one(a, sim))
        .collect()
}

fn evaluate_one(a: &Assertion, sim: &Simulation) -> AssertionResult {
    let verdict = Judge::new(a, sim.plan()).at_end(sim);
    AssertionResult {
        assertion: a.describe(),
        passed: verdict.passed,
        measured: verdict.measured,
    }
}
