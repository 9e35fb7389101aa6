//! The `eventscape` binary: the desktop app, or a headless command (see `eventscape --help`).

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    eventscape::cli::main()
}
