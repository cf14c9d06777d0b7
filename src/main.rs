fn main() -> std::process::ExitCode {
    knee_triage::cli::main()
}
