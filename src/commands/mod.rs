//! The commands: each wires sources, engine, report and renderers for one subcommand.

mod capture;
mod client_logs;
mod complete;
mod config;
mod diagnose;
mod explain;
pub(crate) mod live;
pub(crate) mod notify;
pub(crate) mod output;
mod playbooks;
pub(crate) mod select;
mod shell;

use crate::cli::{Cli, Command};
use crate::error::RunError;
use crate::report::render::TextLayout;
use std::process::ExitCode;

/// Runs a parsed command line; `Ok` carries the exit code (0 or 1). `program` is the name
/// it was invoked by (argv\[0\]: `kubectl-rootcause` as a kubectl plugin), recorded for the
/// hints of messages ([`crate::invocation`]) and used by completion and man pages.
pub fn run(cli: Cli, program: &str) -> Result<ExitCode, RunError> {
    crate::invocation::set(program);
    match cli.command {
        Command::Diagnose(args) => diagnose::run(*args, TextLayout::Pods),
        Command::Report(args) => diagnose::run(*args, TextLayout::Groups),
        Command::Capture(args) => capture::run(args),
        Command::Watch(args) => crate::watch::run(*args),
        Command::Explain(args) => explain::run(args),
        Command::Playbooks(cmd) => playbooks::run(cmd),
        Command::Completion { shell } => shell::completion(crate::cli::command_for(program), shell),
        Command::Complete { words } => complete::run(crate::cli::command_for(program), &words),
        Command::Config(cmd) => config::run(cmd),
        Command::Man { dir } => shell::man(crate::cli::command_for(program), dir.as_deref()),
    }
}
