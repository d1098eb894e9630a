//! `kubedoctor config check`: validates a configuration file and says what it sets.

use super::output::write_stdout;
use crate::cli::ConfigCommand;
use crate::config;
use crate::error::RunError;
use std::process::ExitCode;

pub fn run(cmd: ConfigCommand) -> Result<ExitCode, RunError> {
    let ConfigCommand::Check { file } = cmd;
    let Some(path) = config::path(file.as_deref()) else {
        return Err(RunError::Usage(
            "no configuration file: give one, set KUBEDOCTOR_CONFIG, or create $XDG_CONFIG_HOME/kubedoctor/config.yaml".into(),
        ));
    };
    let c = config::load(&path)?;
    let today = jiff::Zoned::now().date();
    let expired = c
        .ignore
        .iter()
        .filter(|r| r.until.is_some_and(|u| u < today))
        .count();
    let mut out = format!(
        "{}: valid; {} ({} expired), {} excluded namespaces, {} playbook directories",
        path.display(),
        crate::words::count(c.ignore.len() as u64, "ignore rule", "ignore rules"),
        expired,
        c.exclude_namespaces.len(),
        c.playbooks.len()
    );
    if let Some(f) = c.fail_on {
        out.push_str(&format!(", fail-on {f:?}").to_lowercase());
    }
    if let Some(o) = c.output {
        out.push_str(&format!(", output {o:?}").to_lowercase());
    }
    out.push('\n');
    write_stdout(&out).map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}
