//! The review report: one document for a design review, as Markdown (with the
//! diagram as an image file beside it) or as self-contained HTML (the diagram
//! inline): the diagram, a model summary, the scenario (workload, faults, seed), key
//! metrics, bottlenecks with evidence, saga outcomes, the emergent-process variants
//! and the assertion results.

mod html;
mod sections;

pub use html::review_html;

use crate::analysis::Report;
use crate::analysis::process::Process;
use crate::export::markdown::text as md_text;
use crate::model::Model;

use sections::{Doc, Table};

/// The report's content, format-neutral.
fn build(model: &Model, report: &Report, process: &Process) -> Doc {
    sections::document(model, report, process)
}

/// The review report as Markdown; `image` is the diagram's file name next to it
/// (e.g. `order-saga.svg`).
pub fn review_markdown(model: &Model, report: &Report, process: &Process, image: &str) -> String {
    let doc = build(model, report, process);
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", doc.title));
    if !doc.intro.is_empty() {
        out.push_str(&format!("{}\n\n", doc.intro));
    }
    out.push_str(&format!(
        "![Diagram of {}]({image})\n\n",
        md_text(&model.name)
    ));
    for section in &doc.sections {
        out.push_str(&format!("## {}\n\n", section.title));
        for p in &section.paragraphs {
            out.push_str(&format!("{}\n\n", md_text(p)));
        }
        for t in &section.tables {
            out.push_str(&markdown_table(t));
            out.push('\n');
        }
    }
    out
}

fn markdown_table(t: &Table) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        t.head
            .iter()
            .map(|h| md_text(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}|\n",
        t.head
            .iter()
            .enumerate()
            .map(|(i, _)| if t.numeric.contains(&i) {
                "---:"
            } else {
                "---"
            })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for row in &t.rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter()
                .map(|c| md_text(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out
}

#[cfg(test)]
mod tests;
