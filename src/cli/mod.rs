//! The command line: `eventscape [FILE]` opens the app; `eventscape check FILE...`
//! validates models headless; `import`, `simulate`, `export` and `example` likewise.

/// Like `print!`, but a closed pipe (`eventscape check … | head`) is not a panic.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

/// Like `println!`, but a closed pipe is not a panic.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod check;
mod export;
mod import;
mod simulate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::examples;

/// Exit code: everything clean.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command ran and found problems (invalid models, failed checks).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: an input could not be read or parsed, or the command line was wrong.
pub const EXIT_UNREADABLE: u8 = 2;

/// Design, simulate and review event-driven microservice architectures.
#[derive(Debug, Parser)]
#[command(name = "eventscape", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// The headless command to run; absent: open the desktop app.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Model file to open in the desktop app (default: the built-in example).
    pub file: Option<PathBuf>,
}

/// The headless commands, one per subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and lint model files. Exit 0 when all are clean, 1 when problems were
    /// found, 2 when a file cannot be read or parsed.
    Check(check::CheckArgs),
    /// Simulate a model headless and report metrics, bottlenecks and assertions.
    /// Exit 0 when every assertion passes, 1 when one fails, 2 when the model cannot
    /// be read or simulated.
    Simulate(simulate::SimulateArgs),
    /// Export the model (and, for some formats, a run of it) for reviews and other
    /// tools: svg, png, mermaid, dot, report, html, catalogue, asyncapi, otlp, ocel, xes. Exit 0
    /// when written, 2 when the model cannot be read or simulated or OUT not written.
    Export(export::ExportArgs),
    /// Start a model from another tool's document: `import asyncapi FILE -o OUT`
    /// (AsyncAPI 3.0/3.1). Exit 0 when written, 2 when the document cannot be read or
    /// used.
    Import {
        /// The kind of document.
        #[command(subcommand)]
        what: import::ImportCommand,
    },
    /// Print a built-in example model (to start a new one from), or a generated one:
    /// `example enterprise --services 1000 --domains 20`.
    Example {
        /// Which example; without a name, list them.
        name: Option<String>,
        /// `enterprise` only: services, rounded up to pipelines of ten (1–100000).
        #[arg(long, default_value_t = 1000)]
        services: usize,
        /// `enterprise` only: domains the pipelines are dealt to in turn (1–1000).
        #[arg(long, default_value_t = 20)]
        domains: usize,
        /// `enterprise` only: the model's default seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Output format of a command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    #[default]
    Text,
    /// JSON for machines (schema in README.md).
    Json,
}

/// Parse the command line and run; the exit code follows the constants above.
pub fn main() -> ExitCode {
    init_tracing();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_UNREADABLE
            } else {
                EXIT_OK
            });
        }
    };
    ExitCode::from(run(cli))
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Simulate(args)) => simulate::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Import { what }) => import::run(&what),
        Some(Command::Example {
            name,
            services,
            domains,
            seed,
        }) if name.as_deref() == Some(ENTERPRISE) => enterprise(services, domains, seed),
        Some(Command::Example { name, .. }) => example(name.as_deref()),
        None => open_app(cli.file),
    }
}

fn example(name: Option<&str>) -> u8 {
    match name.map(examples::find) {
        Some(Some(e)) => {
            out!("{}", e.text);
            EXIT_OK
        }
        Some(None) | None => {
            if let Some(name) = name {
                eprintln!("error: no example called \"{name}\"");
            }
            eprintln!("examples (print one with `eventscape example NAME`):");
            for e in examples::ALL {
                eprintln!("  {:<14} models/{}", e.name, e.file);
            }
            eprintln!("  {ENTERPRISE:<14} generated: [--services N] [--domains D] [--seed S]");
            if name.is_some() {
                EXIT_UNREADABLE
            } else {
                EXIT_OK
            }
        }
    }
}

/// The name of the generated example.
const ENTERPRISE: &str = "enterprise";

/// `example enterprise`: the generated model as canonical RON, after a comment
/// saying how to make it again.
fn enterprise(services: usize, domains: usize, seed: u64) -> u8 {
    let size = match examples::enterprise::Enterprise::new(services, domains) {
        Ok(size) => size.with_seed(seed),
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_UNREADABLE;
        }
    };
    match crate::model::to_ron(&size.model()) {
        Ok(text) => {
            outln!(
                "// Generated by `eventscape example enterprise --services {services} \
                 --domains {domains} --seed {seed}`."
            );
            out!("{text}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_UNREADABLE
        }
    }
}

#[cfg(feature = "gui")]
fn open_app(file: Option<PathBuf>) -> u8 {
    use crate::model::load_file;
    use std::io::IsTerminal;

    // A file that does not load is also shown in the window, with its line; the
    // terminal gets the same message.
    if let Some(path) = &file
        && let Err(e) = load_file(path)
    {
        eprint!("{}", e.render(std::io::stderr().is_terminal()));
    }
    match crate::app::run(file) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e:#}");
            eprintln!("  hint: the app needs a display; headless, use `eventscape check FILE`");
            EXIT_UNREADABLE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_app(_file: Option<PathBuf>) -> u8 {
    eprintln!(
        "error: this build of eventscape has no desktop app (built without the `gui` feature)"
    );
    eprintln!("  hint: use `eventscape check FILE...`; see `eventscape --help`");
    EXIT_UNREADABLE
}
