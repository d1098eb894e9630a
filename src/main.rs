//! The `kubedoctor` binary: parse the command line, run, map the outcome to an exit code.

use clap::FromArgMatches;
use kubedoctor::cli::{Cli, command_for};
use std::process::ExitCode;

fn main() -> ExitCode {
    let program = std::env::args_os()
        .next()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let matches = command_for(&program).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match kubedoctor::commands::run(cli, &program) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
