//! `eventscape simulate FILE`: run the model headless and report.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, Format};
use crate::analysis::{Report, render_text};
use crate::model::{Duration, load_file};
use crate::sim::budget::{self, Budget, NotStarted, Stopped};
use crate::sim::{Record, RunOptions, SagaOutcome, Simulation, Where};

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The model to simulate.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Seed of the run (default: the model's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Simulated time to run, e.g. 10m (default: the model's).
    #[arg(long)]
    pub duration: Option<Duration>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Write every trace record to this file as JSON Lines.
    #[arg(long, value_name = "OUT")]
    pub trace: Option<PathBuf>,
    /// Report every element in detail. Without it, a model with more than 20
    /// services or consumer groups gets the busiest and those findings name in
    /// detail, and every element's headline figures in one table.
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub budget: BudgetArgs,
}

/// The run budget flags, shared by `simulate` and `export`.
#[derive(Debug, Default, clap::Args)]
pub struct BudgetArgs {
    /// Stop after this many engine events; the report covers the simulated time
    /// reached and is marked partial.
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
    /// Stop after this much wall-clock time, e.g. 30s; the report is marked partial
    /// (and, unlike every other run, not reproducible).
    #[arg(long, value_name = "TIME")]
    pub max_wall: Option<Duration>,
}

impl BudgetArgs {
    /// The budget these flags give.
    pub fn budget(&self) -> Budget {
        Budget {
            max_events: self.max_events,
            max_wall: self
                .max_wall
                .map(|d| std::time::Duration::from_nanos(d.as_nanos())),
        }
    }
}

/// Say why a run was not started, on stderr.
pub(super) fn not_started(file: &std::path::Path, why: &NotStarted) {
    match why {
        NotStarted::Invalid(e) => {
            eprintln!(
                "error: {}: cannot simulate: the model has errors",
                file.display()
            );
            for p in &e.0 {
                eprintln!("  {}", p.to_string().replace('\n', "\n  "));
            }
        }
        NotStarted::Refused(r) => {
            eprintln!("error: {}: not simulated: {r}", file.display());
            eprintln!("  hint: {}", r.hint());
        }
    }
}

pub fn run(args: &SimulateArgs) -> u8 {
    let model = match load_file(&args.file) {
        Ok(m) => m,
        Err(e) => {
            eprint!("{}", e.render(std::io::stderr().is_terminal()));
            return EXIT_UNREADABLE;
        }
    };
    // The CLI reads no trace records back: keep none in memory (`--trace` streams them).
    let options = RunOptions {
        seed: args.seed,
        duration_nanos: args.duration.map(Duration::as_nanos),
        trace_capacity: 0,
    };
    let budget = args.budget.budget();
    let mut sim = match budget::start(&model, options, &budget) {
        Ok(sim) => sim,
        Err(why) => {
            not_started(&args.file, &why);
            return EXIT_UNREADABLE;
        }
    };
    let trace_error = match &args.trace {
        Some(path) => match File::create(path) {
            Ok(f) => Some(attach_trace(&mut sim, BufWriter::new(f))),
            Err(e) => {
                eprintln!(
                    "error: cannot create the trace file {}: {e}",
                    path.display()
                );
                return EXIT_UNREADABLE;
            }
        },
        None => None,
    };
    let stopped = run_with_progress(&mut sim, &budget);
    let reached = sim.end();
    let mut report = if args.full {
        Report::new(&model, &mut sim)
    } else {
        Report::bounded(&model, &mut sim)
    };
    if let Some(why) = stopped {
        report.mark_partial(why.covering(reached));
    }
    // Dropping the simulation flushes the trace writer.
    drop(sim);
    if let Some(err) = trace_error
        // A poisoned slot only means the sink panicked mid-write; what it holds is
        // still the first error, if any.
        && let Some(e) = err
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
    {
        eprintln!("error: writing the trace failed: {e}");
        return EXIT_UNREADABLE;
    }
    if let Some(why) = &report.stopped {
        eprintln!("warning: partial run: {why}");
    }
    match args.format {
        Format::Text => out!("{}", render_text(&report)),
        Format::Json => {
            if let Err(e) = write_json(&report) {
                eprintln!("error: cannot write the report as JSON: {e}");
                return EXIT_UNREADABLE;
            }
        }
    }
    if report.passed() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    }
}

/// Run to the end within the budget, with a progress bar on stderr when it is a
/// terminal (simulated time done, events so far).
pub(super) fn run_with_progress(sim: &mut Simulation, budget: &Budget) -> Option<Stopped> {
    let end = sim.end().as_nanos().max(1);
    let bar = indicatif::ProgressBar::new(1000);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            indicatif::ProgressStyle::with_template("simulating {bar:40} {percent:>3}% {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let stopped = budget::run(sim, budget, &mut |sim| {
        let done = u128::from(sim.time().as_nanos()) * 1000 / u128::from(end);
        bar.set_position(done as u64);
        bar.set_message(format!("{} events", sim.stats().events));
    });
    bar.finish_and_clear();
    stopped
}

/// Stream every record as a JSON line with element and type names resolved.
fn attach_trace(
    sim: &mut Simulation,
    mut out: BufWriter<File>,
) -> Arc<Mutex<Option<std::io::Error>>> {
    let plan = sim.plan();
    let services: Vec<String> = plan.services.iter().map(|s| s.name.clone()).collect();
    let topics: Vec<String> = plan.topics.iter().map(|s| s.name.clone()).collect();
    let sagas: Vec<String> = plan.sagas.iter().map(|s| s.name.clone()).collect();
    let sources: Vec<String> = plan.sources.iter().map(|s| s.name.clone()).collect();
    let stores: Vec<String> = plan.stores.iter().map(|s| s.name.clone()).collect();
    let types: Vec<String> = plan.types.iter().map(|t| t.name.clone()).collect();
    let steps: Vec<Vec<String>> = plan
        .sagas
        .iter()
        .map(|s| s.steps.iter().map(|st| st.name.clone()).collect())
        .collect();
    let error = Arc::new(Mutex::new(None));
    let err = error.clone();
    sim.trace_mut().set_sink(Box::new(move |r: &Record| {
        let mut err = err.lock().unwrap_or_else(PoisonError::into_inner);
        if err.is_some() {
            return;
        }
        let element = match r.at {
            Where::Service => services.get(r.element as usize).cloned(),
            Where::Topic => topics.get(r.element as usize).cloned(),
            Where::Saga => sagas.get(r.element as usize).cloned(),
            Where::Source => sources.get(r.element as usize).cloned(),
            Where::Store => stores.get(r.element as usize).cloned(),
            // Faults have no names: they are numbered as in the model.
            Where::Fault => Some(format!("fault {}", r.element)),
        }
        .unwrap_or_default();
        // `detail` under a name that says what it is, with names resolved.
        let named = r.detail_key().map(|key| {
            let d = r.detail as usize;
            let value = match key {
                "dead_letter_topic" => serde_json::json!(topics.get(d)),
                "compensation" => serde_json::json!(types.get(d)),
                "step" => serde_json::json!(steps.get(r.element as usize).and_then(|s| s.get(d))),
                "outcome" => serde_json::json!(SagaOutcome::ALL.get(d).map(|o| o.label())),
                "failed" => serde_json::json!(r.detail != 0),
                _ => serde_json::json!(r.detail),
            };
            (key, value)
        });
        let mut line = serde_json::json!({
            "id": r.id,
            "cause": r.cause,
            "time_secs": r.time.as_secs_f64(),
            "kind": r.kind,
            "at": r.at,
            "element": element,
            "correlation": r.correlation,
            "message": r.message,
            "type": types.get(r.message_type as usize),
            "detail": r.detail,
        });
        if let (Some((key, value)), Some(map)) = (named, line.as_object_mut()) {
            map.insert(key.to_owned(), value);
        }
        if let Err(e) = writeln!(out, "{line}") {
            *err = Some(e);
        }
    }));
    error
}

/// Write the report as JSON to standard output as it is serialised (a full report of
/// a big model is never held as one string). A closed pipe is not an error.
fn write_json(report: &Report) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, report)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
