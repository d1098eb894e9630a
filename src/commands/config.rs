//! `kubedoctor config check`: validates a configuration file and says what it sets;
//! `kubedoctor config path`: where the file is looked for.

use super::output::write_stdout;
use crate::cli::ConfigCommand;
use crate::config;
use crate::error::RunError;
use std::process::ExitCode;

pub fn run(cmd: ConfigCommand) -> Result<ExitCode, RunError> {
    let file = match cmd {
        ConfigCommand::Check { file } => file,
        ConfigCommand::Path { file } => return path(file.as_deref()),
    };
    let lookup = config::lookup(file.as_deref());
    let Some(path) = lookup.used().map(std::path::Path::to_path_buf) else {
        return Err(RunError::Usage(format!(
            "no configuration file: give one, set KUBEDOCTOR_CONFIG, or create {}",
            lookup.candidates.first().map_or_else(
                || "kubedoctor/config.yaml".into(),
                |c| c.path.display().to_string()
            )
        )));
    };
    if let Some(note) = &lookup.note {
        eprintln!("note: {note}");
    }
    let c = config::load(&path)?;
    check_references(&c, &path)?;
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

/// What the file names must exist: each playbook directory, and for each ignore rule a
/// cause id (or a glob matching one) of the playbooks those directories add to the
/// embedded ones. Every problem is listed, with the nearest id for a misspelt one.
fn check_references(c: &config::Config, path: &std::path::Path) -> Result<(), RunError> {
    let mut problems = Vec::new();
    for dir in &c.playbooks {
        if !dir.is_dir() {
            problems.push(format!(
                "playbook directory `{}` does not exist or is not a directory",
                dir.display()
            ));
        }
    }
    if let Some(Err(e)) = c.webhook_ca.as_deref().map(crate::sinks::http::check_ca) {
        problems.push(e.to_string());
    }
    let existing: Vec<&std::path::PathBuf> = c.playbooks.iter().filter(|d| d.is_dir()).collect();
    let playbooks = crate::playbook::Playbooks::with_dirs(&existing)?;
    let ids: Vec<&str> = playbooks
        .causes()
        .map(|(_, cause)| cause.id.as_str())
        .collect();
    for (i, rule) in c.ignore.iter().enumerate() {
        if ids.iter().any(|id| crate::glob::matches(&rule.cause, id)) {
            continue;
        }
        let hint = crate::words::nearest(&rule.cause, ids.iter().copied())
            .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
        problems.push(format!(
            "ignore rule {}: cause `{}` is no cause id of the playbooks{hint}",
            i + 1,
            rule.cause
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(RunError::Usage(format!(
        "{}: {}",
        path.display(),
        problems.join("; ")
    )))
}

/// `config path`: each place looked at, in order, whether it exists, and the one used.
fn path(file: Option<&std::path::Path>) -> Result<ExitCode, RunError> {
    let lookup = config::lookup(file);
    let mut out = String::new();
    for (i, c) in lookup.candidates.iter().enumerate() {
        let state = match (c.exists, lookup.used == Some(i)) {
            (true, true) => "exists, used",
            (false, true) => "does not exist, used",
            (true, false) => "exists, not read",
            (false, false) => "does not exist",
        };
        out.push_str(&format!("{}\t{state}\t({})\n", c.path.display(), c.why));
    }
    if lookup.used.is_none() {
        out.push_str("no configuration file: kubedoctor runs with its defaults\n");
    }
    if let Some(note) = &lookup.note {
        out.push_str(&format!("note: {note}\n"));
    }
    write_stdout(&out).map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}
