//! `kubedoctor completion SHELL` and `kubedoctor man`: the shell completion script
//! (clap_complete) and the manual pages (clap_mangen), generated from the command line's
//! own definition under the name it was invoked by.

use super::output::write_stdout;
use crate::error::RunError;
use std::path::Path;
use std::process::ExitCode;

/// Prints the completion script for `shell`.
pub fn completion(
    mut cmd: clap::Command,
    shell: clap_complete::Shell,
) -> Result<ExitCode, RunError> {
    let name = cmd.get_bin_name().unwrap_or("kubedoctor").to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    write_stdout(&String::from_utf8_lossy(&out)).map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the manual page, or writes one per command into `dir`.
pub fn man(cmd: clap::Command, dir: Option<&Path>) -> Result<ExitCode, RunError> {
    match dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(RunError::write("the manual page"))?;
            write_stdout(&String::from_utf8_lossy(&out))
                .map_err(RunError::write("standard output"))?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(RunError::write("the manual page directory"))?;
            clap_mangen::generate_to(cmd, dir).map_err(RunError::write("the manual pages"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
