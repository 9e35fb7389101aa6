//! One export of a model to a file: what the CLI's `export` command and the app's
//! File > Export do. Formats that need a run simulate the model first.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::analysis::Report;
use crate::analysis::process::{Process, emergent_process};
use crate::model::{Duration, Model};
use crate::sim::budget::{self, Budget, NotStarted, Stopped};
use crate::sim::{Record, RunOptions, Simulation};
use std::cell::Cell;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ExportFormat {
    /// The diagram as SVG (with `--overlay`: heat, lag and findings of a run).
    Svg,
    /// The diagram as PNG (`--scale 2` for 2×).
    Png,
    /// Mermaid flowchart of the model (with `--correlation N`: a sequence diagram of
    /// that item's trace).
    Mermaid,
    /// Graphviz DOT of the model.
    Dot,
    /// The review report as Markdown, with the diagram (SVG and PNG) beside it.
    Report,
    /// The review report as one self-contained HTML file.
    Html,
    /// The event catalogue as Markdown.
    Catalogue,
    /// AsyncAPI 3.0 YAML of the model's channels, operations and messages.
    Asyncapi,
    /// The run's traces as OpenTelemetry OTLP/JSON, streamed while the model runs:
    /// JSON Lines, one request per batch of traces (the Collector's file exporter
    /// layout; `.jsonl`). With `--max-traces N`: one JSON document with the first N
    /// traces (`.json`, loads in Jaeger).
    Otlp,
    /// The run as an OCEL 2.0 JSON object-centric event log (items, saga instances,
    /// messages, partitions), streamed.
    Ocel,
    /// The run as an IEEE XES event log (one trace per correlation id), streamed.
    Xes,
}

impl ExportFormat {
    /// Every format, in the order the export dialog lists them.
    pub const ALL: [ExportFormat; 11] = [
        ExportFormat::Svg,
        ExportFormat::Png,
        ExportFormat::Mermaid,
        ExportFormat::Dot,
        ExportFormat::Report,
        ExportFormat::Html,
        ExportFormat::Catalogue,
        ExportFormat::Asyncapi,
        ExportFormat::Otlp,
        ExportFormat::Ocel,
        ExportFormat::Xes,
    ];

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Ocel => "json",
            ExportFormat::Xes => "xes",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Mermaid => "mmd",
            ExportFormat::Dot => "dot",
            ExportFormat::Report | ExportFormat::Catalogue => "md",
            ExportFormat::Html => "html",
            ExportFormat::Asyncapi => "yaml",
            ExportFormat::Otlp => "jsonl",
        }
    }

    /// The format's name in menus, e.g. "Graphviz DOT".
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Ocel => "Event log (OCEL 2.0 JSON)",
            ExportFormat::Xes => "Event log (XES)",
            ExportFormat::Svg => "Diagram (SVG)",
            ExportFormat::Png => "Diagram (PNG)",
            ExportFormat::Mermaid => "Mermaid flowchart",
            ExportFormat::Dot => "Graphviz DOT",
            ExportFormat::Report => "Review report (Markdown + images)",
            ExportFormat::Html => "Review report (HTML)",
            ExportFormat::Catalogue => "Event catalogue (Markdown)",
            ExportFormat::Asyncapi => "AsyncAPI 3.0 (YAML)",
            ExportFormat::Otlp => "Traces (OpenTelemetry OTLP/JSON)",
        }
    }

    /// Does this format take this option? (The CLI refuses an option a format
    /// ignores; the app's dialog shows only the options the format takes.)
    pub fn uses(self, option: ExportOption) -> bool {
        match option {
            ExportOption::Overlay => matches!(self, ExportFormat::Svg | ExportFormat::Png),
            ExportOption::Scale => self == ExportFormat::Png,
            ExportOption::Correlation => self == ExportFormat::Mermaid,
            ExportOption::MaxTraces => self == ExportFormat::Otlp,
        }
    }

    /// Does this export simulate the model first?
    pub fn needs_run(self, options: &ExportOptions) -> bool {
        match self {
            ExportFormat::Report
            | ExportFormat::Html
            | ExportFormat::Otlp
            | ExportFormat::Ocel
            | ExportFormat::Xes => true,
            ExportFormat::Svg | ExportFormat::Png => options.overlay,
            ExportFormat::Mermaid => options.correlation.is_some(),
            _ => false,
        }
    }
}

/// An option of an export that only some formats take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportOption {
    /// `--overlay`: the simulation overlay on the diagram.
    Overlay,
    /// `--scale`: pixels per SVG unit.
    Scale,
    /// `--correlation`: a sequence diagram of one item.
    Correlation,
    /// `--max-traces`: the first traces only.
    MaxTraces,
}

impl ExportOption {
    /// The command-line flag.
    pub fn flag(self) -> &'static str {
        match self {
            ExportOption::Overlay => "--overlay",
            ExportOption::Scale => "--scale",
            ExportOption::Correlation => "--correlation",
            ExportOption::MaxTraces => "--max-traces",
        }
    }

    /// The formats that take it, as `--format` names them, for a hint.
    pub fn formats(self) -> Vec<String> {
        ExportFormat::ALL
            .iter()
            .filter(|f| f.uses(self))
            .filter_map(clap::ValueEnum::to_possible_value)
            .map(|v| v.get_name().to_owned())
            .collect()
    }
}

/// How to export.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// What to write.
    pub format: ExportFormat,
    /// Seed of the run (default: the model's).
    pub seed: Option<u64>,
    /// Simulated time to run (default: the model's).
    pub duration: Option<Duration>,
    /// SVG/PNG: draw the simulation overlay.
    pub overlay: bool,
    /// PNG: scale.
    pub scale: f32,
    /// Mermaid: a sequence diagram of this correlation id instead of the flowchart.
    pub correlation: Option<u64>,
    /// OTLP: one document with at most this many traces (the first ones); without
    /// it, JSON Lines of every trace.
    pub max_traces: Option<usize>,
    /// Limits on the run, for the formats that simulate (default: none).
    pub budget: Budget,
}

impl ExportOptions {
    /// Options for `format` with every other setting at its default: the model's seed
    /// and duration, no overlay, scale 1, the flowchart, every trace.
    pub fn new(format: ExportFormat) -> Self {
        Self {
            format,
            seed: None,
            duration: None,
            overlay: false,
            scale: 1.0,
            correlation: None,
            max_traces: None,
            budget: Budget::default(),
        }
    }

    /// The usual file extension of this export: the format's, except OTLP with
    /// `max_traces`, one JSON document (`json`) rather than JSON Lines.
    pub fn extension(&self) -> &'static str {
        match (self.format, self.max_traces) {
            (ExportFormat::Otlp, Some(_)) => "json",
            (f, _) => f.extension(),
        }
    }
}

/// A finished run and every record it made.
struct Run {
    report: Report,
    records: Vec<Record>,
    sim: Simulation,
}

/// A simulation of `model` with the export's seed and duration, not run yet; refused
/// up front when its estimate is over the budget (`sim::budget`).
fn new_simulation(model: &Model, args: &ExportOptions) -> Result<Simulation, String> {
    let options = RunOptions {
        seed: args.seed,
        duration_nanos: args.duration.map(Duration::as_nanos),
        trace_capacity: 0,
    };
    budget::start(model, options, &args.budget).map_err(|e| match e {
        NotStarted::Invalid(e) => {
            let problems: Vec<String> = e.0.iter().map(|p| format!("  {p}")).collect();
            format!(
                "cannot simulate: the model has errors\n{}",
                problems.join("\n")
            )
        }
        NotStarted::Refused(r) => format!("not simulated: {r}\n  hint: {}", r.hint()),
    })
}

/// Run the model within the options' budget; a stop before the end is noted in
/// `stopped` (the export then shows the simulated time reached).
fn simulate(
    model: &Model,
    args: &ExportOptions,
    stopped: &Cell<Option<Stopped>>,
) -> Result<Run, String> {
    let mut sim = new_simulation(model, args)?;
    // A poisoned lock only means a push panicked; the records before it are intact.
    let records = Arc::new(Mutex::new(Vec::new()));
    let sink = records.clone();
    sim.trace_mut().set_sink(Box::new(move |r| {
        sink.lock().unwrap_or_else(PoisonError::into_inner).push(*r);
    }));
    stopped.set(budget::run(&mut sim, &args.budget, &mut |_| {}));
    let reached = sim.end();
    let mut report = Report::new(model, &mut sim);
    if let Some(why) = stopped.get() {
        report.mark_partial(why.covering(reached));
    }
    let records = std::mem::take(&mut *records.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(Run {
        report,
        records,
        sim,
    })
}

/// OTLP, written while the model runs: JSON Lines, or one document of the first
/// `max_traces` traces.
fn write_otlp(
    model: &Model,
    args: &ExportOptions,
    out: &Path,
    stopped: &Cell<Option<Stopped>>,
) -> Result<(), String> {
    use crate::export::docs::otlp::{OtlpForm, export_run};
    let mut sim = new_simulation(model, args)?;
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", out.display());
    let file = std::fs::File::create(out).map_err(cannot)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let form = match args.max_traces {
        Some(n) => OtlpForm::Document {
            last: Some(n as u64),
        },
        None => OtlpForm::Lines,
    };
    let summary = export_run(model, &mut sim, form, &args.budget, &mut w).map_err(cannot)?;
    stopped.set(summary.stopped);
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| {
        match path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            Some(dir) => format!(
                "cannot write {}: the folder {} does not exist (create it, or write elsewhere)",
                path.display(),
                dir.display()
            ),
            None => format!("cannot write {}: {e}", path.display()),
        }
    })
}

/// Write one export of `model` to `out` (the Markdown report also writes its diagram
/// beside it, as `<stem>.svg` and `<stem>.png`). Returns every file written.
pub fn write(model: &Model, args: &ExportOptions, out: &Path) -> Result<Vec<PathBuf>, String> {
    write_within(model, args, out).map(|(paths, _)| paths)
}

/// [`write`], also saying whether the run behind it stopped at its budget
/// ([`ExportOptions::budget`]) before its end: the export then covers the simulated
/// time reached.
pub fn write_within(
    model: &Model,
    args: &ExportOptions,
    out: &Path,
) -> Result<(Vec<PathBuf>, Option<Stopped>), String> {
    let stopped = Cell::new(None);
    let written = write_with(model, args, out, &stopped)?;
    Ok((written, stopped.get()))
}

fn write_with(
    model: &Model,
    args: &ExportOptions,
    out: &Path,
    stopped: &Cell<Option<Stopped>>,
) -> Result<Vec<PathBuf>, String> {
    let mut written = vec![out.to_path_buf()];
    let overlay = |run: &Run| crate::export::Overlay::from_report(model, &run.report);
    match args.format {
        ExportFormat::Ocel | ExportFormat::Xes => {
            // Streamed: written while the model runs, never held in memory.
            let sim = new_simulation(model, args)?;
            let file = std::fs::File::create(out)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            let file = std::io::BufWriter::new(file);
            let written = if args.format == ExportFormat::Ocel {
                crate::export::eventlog::write_ocel(sim, &args.budget, file)
            } else {
                crate::export::eventlog::write_xes(sim, &model.name, &args.budget, file)
            };
            stopped.set(written.map_err(|e| format!("cannot write {}: {e}", out.display()))?);
        }
        ExportFormat::Svg | ExportFormat::Png => {
            let run = if args.overlay {
                Some(simulate(model, args, stopped)?)
            } else {
                None
            };
            let svg = crate::export::svg(model, run.as_ref().map(overlay).as_ref());
            if args.format == ExportFormat::Svg {
                write_file(out, svg.as_bytes())?;
            } else {
                let png = crate::export::png(&svg, args.scale).map_err(|e| e.to_string())?;
                write_file(out, &png)?;
            }
        }
        ExportFormat::Mermaid => {
            let text = match args.correlation {
                Some(c) => {
                    let run = simulate(model, args, stopped)?;
                    if !run.records.iter().any(|r| r.correlation == c) {
                        return Err(format!("the run has no item with correlation id {c}"));
                    }
                    crate::export::mermaid_sequence(model, run.sim.plan(), &run.records, c)
                }
                None => crate::export::mermaid_flowchart(model),
            };
            write_file(out, text.as_bytes())?;
        }
        ExportFormat::Dot => write_file(out, crate::export::dot(model).as_bytes())?,
        ExportFormat::Catalogue => write_file(out, crate::export::catalogue(model).as_bytes())?,
        ExportFormat::Asyncapi => write_file(out, crate::export::asyncapi(model).as_bytes())?,
        ExportFormat::Otlp => write_otlp(model, args, out, stopped)?,
        ExportFormat::Report | ExportFormat::Html => {
            let run = simulate(model, args, stopped)?;
            let process: Process = emergent_process(model, run.sim.plan(), &run.records);
            let svg = crate::export::svg(model, Some(&overlay(&run)));
            if args.format == ExportFormat::Html {
                let html = crate::export::review_html(model, &run.report, &process, &svg);
                write_file(out, html.as_bytes())?;
            } else {
                // The diagram beside the report: SVG for the browser, PNG for the rest.
                let stem = out
                    .file_stem()
                    .map_or("diagram".into(), |s| s.to_string_lossy().into_owned());
                let svg_path = out.with_file_name(format!("{stem}.svg"));
                let png_path = out.with_file_name(format!("{stem}.png"));
                let image = png_path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let md = crate::export::review_markdown(model, &run.report, &process, &image);
                write_file(out, md.as_bytes())?;
                write_file(&svg_path, svg.as_bytes())?;
                let png = crate::export::png(&svg, 1.0).map_err(|e| e.to_string())?;
                write_file(&png_path, &png)?;
                written.push(svg_path);
                written.push(png_path);
            }
        }
    }
    Ok(written)
}
