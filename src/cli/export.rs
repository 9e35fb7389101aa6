//! `eventscape export FILE --format F -o OUT`: diagrams, documents and traces, headless.
//! Formats that need a run (the review report, OTLP traces, a sequence diagram, the
//! diagram with its simulation overlay) simulate the model first.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::simulate::BudgetArgs;
use super::{EXIT_OK, EXIT_UNREADABLE};
use crate::export::{self, ExportOption};
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
    /// PNG: pixels per SVG unit (1 or 2 for 1× and 2×; default 1).
    #[arg(long)]
    pub scale: Option<f32>,
    /// Mermaid: a sequence diagram of this correlation id's trace.
    #[arg(long)]
    pub correlation: Option<u64>,
    /// OTLP: write one JSON document (an `ExportTraceServiceRequest`, e.g.
    /// `-o traces.json`) with the first N traces (one per correlation id); the run
    /// stops once they are finished. Without it, OTLP is JSON Lines (`.jsonl`): one
    /// request per line, one line per batch of traces, every trace of the run,
    /// streamed in bounded memory.
    #[arg(long, value_name = "N")]
    pub max_traces: Option<usize>,
    /// Run budget, for the formats that simulate: --max-events N, --max-wall TIME.
    #[command(flatten)]
    pub budget: BudgetArgs,
}

/// Options given that the chosen format would ignore, as an error with a hint.
fn misplaced(args: &ExportArgs) -> Option<String> {
    let given = [
        (ExportOption::Overlay, args.overlay),
        (ExportOption::Scale, args.scale.is_some()),
        (ExportOption::Correlation, args.correlation.is_some()),
        (ExportOption::MaxTraces, args.max_traces.is_some()),
    ];
    let Some((option, _)) = given
        .into_iter()
        .find(|(o, given)| *given && !args.format.uses(*o))
    else {
        let simulates = args.format.needs_run(&export::ExportOptions {
            overlay: args.overlay,
            correlation: args.correlation,
            ..export::ExportOptions::new(args.format)
        });
        let run_option = [
            ("--seed", args.seed.is_some()),
            ("--duration", args.duration.is_some()),
        ]
        .into_iter()
        .chain([
            ("--max-events", args.budget.max_events.is_some()),
            ("--max-wall", args.budget.max_wall.is_some()),
        ])
        .find(|(_, given)| *given)?;
        return (!simulates).then(|| {
            format!(
                "{} does not apply to --format {}: it does not simulate the model \
                 (report, html, otlp, ocel and xes do, svg and png with --overlay, mermaid with --correlation)",
                run_option.0,
                format_name(args.format)
            )
        });
    };
    Some(format!(
        "{} does not apply to --format {}: it is for {} (leave it out)",
        option.flag(),
        format_name(args.format),
        option.formats().join(", ")
    ))
}

fn format_name(f: export::ExportFormat) -> String {
    clap::ValueEnum::to_possible_value(&f).map_or_else(String::new, |v| v.get_name().to_owned())
}

/// Mermaid renders nothing but an error for a text longer than its default limit:
/// say so, and what to do.
fn warn_if_too_long_for_mermaid(format: export::ExportFormat, path: &std::path::Path) {
    let limit = export::MERMAID_MAX_TEXT;
    let size = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    if format == export::ExportFormat::Mermaid && size > limit {
        eprintln!(
            "warning: {} is {size} characters; Mermaid renders at most {limit} by default and shows \
             \"Maximum text size in diagram exceeded\" instead: raise `maxTextSize` in its config \
             (mmdc -c config.json), or export svg or dot for a model this big",
            path.display()
        );
    }
}

pub fn run(args: &ExportArgs) -> u8 {
    if let Some(why) = misplaced(args) {
        eprintln!("error: {why}");
        return EXIT_UNREADABLE;
    }
    if args.correlation == Some(0) {
        eprintln!(
            "error: --correlation 0 names no item: correlation ids start at 1 (0 marks records of no item, such as faults)"
        );
        return EXIT_UNREADABLE;
    }
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
        scale: args.scale.unwrap_or(1.0),
        correlation: args.correlation,
        max_traces: args.max_traces,
        budget: args.budget.budget(),
    };
    match export::write_within(&model, &options, &args.out) {
        Ok((paths, stopped)) => {
            if let Some(why) = stopped {
                eprintln!(
                    "warning: partial run: {why}; the export covers the simulated time reached"
                );
            }
            for p in paths {
                eprintln!("wrote {}", p.display());
                warn_if_too_long_for_mermaid(args.format, &p);
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            EXIT_UNREADABLE
        }
    }
}
