//! `eventscape check FILE...`: parse, validate and lint model files.

use crate::words::count;
use std::io::IsTerminal;
use std::path::PathBuf;

use serde::Serialize;

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, Format};
use crate::model::{LoadError, ParseError, Problem, Severity, load_file, validate};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Model files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Exit 0 when there are warnings but no errors.
    #[arg(long)]
    pub allow_warnings: bool,
}

/// The outcome for one file, as written in the JSON report.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    /// `clean`, `problems` or `unreadable`.
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    pub problems: Vec<Problem>,
    /// Why the file could not be read or parsed (status `unreadable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ReadError>,
    /// The rendered report for people; not part of the JSON.
    #[serde(skip)]
    rendered: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Clean,
    Problems,
    Unreadable,
}

/// A read or parse failure. `line`/`column` are absent when the file could not be
/// read at all.
#[derive(Debug, Serialize)]
pub struct ReadError {
    pub message: String,
    #[serde(flatten)]
    pub position: Option<ParseError>,
}

pub fn check_file(path: &std::path::Path, color: bool) -> FileReport {
    let display = path.display().to_string();
    match load_file(path) {
        Ok(model) => {
            let problems = validate(&model);
            let errors = problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            let status = if problems.is_empty() {
                Status::Clean
            } else {
                Status::Problems
            };
            let warnings = problems.len() - errors;
            FileReport {
                path: display,
                status,
                errors,
                warnings,
                problems,
                error: None,
                rendered: String::new(),
            }
        }
        Err(e) => {
            let rendered = e.render(color);
            let error = match e {
                LoadError::Read { source, .. } => ReadError {
                    message: format!("cannot read the file: {source}"),
                    position: None,
                },
                LoadError::Parse { error, .. } => ReadError {
                    message: error.message.clone(),
                    position: Some(*error),
                },
            };
            FileReport {
                path: display,
                status: Status::Unreadable,
                errors: 1,
                warnings: 0,
                problems: Vec::new(),
                error: Some(error),
                rendered,
            }
        }
    }
}

pub fn run(args: &CheckArgs) -> u8 {
    let color = args.format == Format::Text
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let reports: Vec<FileReport> = args.files.iter().map(|f| check_file(f, color)).collect();
    match args.format {
        Format::Json => {
            let summary = serde_json::json!({
                "files": reports.len(),
                "clean": reports.iter().filter(|r| r.status == Status::Clean).count(),
                "with_problems": reports.iter().filter(|r| r.status == Status::Problems).count(),
                "unreadable": reports.iter().filter(|r| r.status == Status::Unreadable).count(),
            });
            let out = serde_json::json!({ "files": reports, "summary": summary });
            outln!(
                "{}",
                serde_json::to_string_pretty(&out)
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
            );
        }
        Format::Text => {
            for r in &reports {
                match r.status {
                    Status::Clean => outln!("{}: ok", r.path),
                    Status::Unreadable => out!("{}", r.rendered),
                    Status::Problems => {
                        outln!(
                            "{}: {}, {}",
                            r.path,
                            count(r.errors, "error", None),
                            count(r.warnings, "warning", None)
                        );
                        for p in &r.problems {
                            outln!("  {}", p.to_string().replace('\n', "\n  "));
                        }
                    }
                }
            }
            if reports.len() > 1 {
                let bad = reports.iter().filter(|r| r.status != Status::Clean).count();
                outln!(
                    "checked {}: {} clean, {} not",
                    count(reports.len(), "file", None),
                    reports.len() - bad,
                    bad
                );
            }
        }
    }
    if reports.iter().any(|r| r.status == Status::Unreadable) {
        EXIT_UNREADABLE
    } else if reports
        .iter()
        .any(|r| r.errors > 0 || (r.warnings > 0 && !args.allow_warnings))
    {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}
