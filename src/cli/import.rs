//! `eventscape import asyncapi FILE -o OUT`: a starting model from another tool's
//! document. The import itself is `import::asyncapi`; this only reads, writes and
//! reports.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_UNREADABLE};
use crate::import::asyncapi;
use crate::model::{Severity, validate};
use crate::words::count;

/// The kinds of document `import` reads.
#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// An AsyncAPI 3.0 or 3.1 document (YAML or JSON): channels become topics,
    /// messages event types, operations the services that send and receive them.
    Asyncapi(AsyncapiArgs),
}

/// Arguments of `import asyncapi`.
#[derive(Debug, clap::Args)]
pub struct AsyncapiArgs {
    /// The AsyncAPI document.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the model (RON); absent: standard output.
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
}

/// Run `import`; exit 0 when the model is written, 2 when the document cannot be read
/// or used or OUT cannot be written.
pub fn run(command: &ImportCommand) -> u8 {
    match command {
        ImportCommand::Asyncapi(args) => asyncapi_file(args),
    }
}

fn asyncapi_file(args: &AsyncapiArgs) -> u8 {
    let name = args.file.display().to_string();
    let src = match std::fs::read_to_string(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let imported = match asyncapi::import(&src) {
        Ok(i) => i,
        Err(e) => {
            eprint!("{}", e.render(&name, &src, std::io::stderr().is_terminal()));
            return EXIT_UNREADABLE;
        }
    };
    let text = match imported.to_ron() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let m = &imported.model;
    let summary = format!(
        "{}, {}, {}, {}",
        count(m.services.len(), "service", None),
        count(m.topics.len(), "topic", None),
        count(m.events.len(), "event type", None),
        count(m.sources.len(), "source", None),
    );
    match &args.out {
        Some(out) => {
            if let Err(e) = std::fs::write(out, &text) {
                eprintln!("error: cannot write {}: {e}", out.display());
                return EXIT_UNREADABLE;
            }
            eprintln!("wrote {}: {summary}", out.display());
        }
        None => out!("{text}"),
    }
    eprintln!("defaults and omissions (also at the top of the model):");
    for n in &imported.notes {
        eprintln!("  - {n}");
    }
    let problems = validate(m);
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if !problems.is_empty() {
        eprintln!(
            "the model has {} ({} errors); `eventscape check` lists them",
            count(problems.len(), "problem", None),
            errors
        );
    }
    EXIT_OK
}
