//! `eventscape export FILE --format F -o OUT`: diagrams, documents and traces, headless.
//! Formats that need a run (the review report, OTLP traces, a sequence diagram, the
//! diagram with its simulation overlay) simulate the model first.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_UNREADABLE};
use crate::export;
use crate::model::{Duration, load_file};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The model to export.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[arg(long, value_enum)]
    pub format: export::ExportFormat,
    /// Where to write.
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: PathBuf,
    /// Seed of the run, for formats that simulate (default: the model's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Simulated time to run, e.g. 2m (default: the model's).
    #[arg(long)]
    pub duration: Option<Duration>,
    /// SVG and PNG: draw the simulation overlay (runs the model first).
    #[arg(long)]
    pub overlay: bool,
    /// PNG: pixels per SVG unit (1 or 2 for 1× and 2×).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// Mermaid: a sequence diagram of this correlation id's trace.
    #[arg(long)]
    pub correlation: Option<u64>,
    /// OTLP: at most this many traces (one per correlation id), the first ones.
    #[arg(long)]
    pub max_traces: Option<usize>,
}

pub fn run(args: &ExportArgs) -> u8 {
    let model = match load_file(&args.file) {
        Ok(m) => m,
        Err(e) => {
            eprint!("{}", e.render(std::io::stderr().is_terminal()));
            return EXIT_UNREADABLE;
        }
    };
    let options = export::ExportOptions {
        format: args.format,
        seed: args.seed,
        duration: args.duration,
        overlay: args.overlay,
        scale: args.scale,
        correlation: args.correlation,
        max_traces: args.max_traces,
    };
    match export::write(&model, &options, &args.out) {
        Ok(paths) => {
            for p in paths {
                eprintln!("wrote {}", p.display());
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            EXIT_UNREADABLE
        }
    }
}
