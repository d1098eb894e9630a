//! The commands: each wires sources, engine, report and renderers for one subcommand.

mod capture;
mod diagnose;
mod explain;
mod live;
mod output;
mod playbooks;
mod scope;

use crate::cli::{Cli, Command};
use crate::error::RunError;
use crate::report::render::TextLayout;
use std::process::ExitCode;

/// Runs a parsed command line; `Ok` carries the exit code (0 or 1).
pub fn run(cli: Cli) -> Result<ExitCode, RunError> {
    match cli.command {
        Command::Diagnose(args) => diagnose::run(*args, TextLayout::Pods),
        Command::Report(args) => diagnose::run(*args, TextLayout::Groups),
        Command::Capture(args) => capture::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Playbooks(cmd) => playbooks::run(cmd),
    }
}
