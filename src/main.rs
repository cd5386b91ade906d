//! The `portcullis` binary: parses the command line, runs the library, writes outputs, picks the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
