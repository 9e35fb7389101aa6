fn main() -> std::process::ExitCode {
    eventscape::cli::main()
}
