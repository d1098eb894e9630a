//! `kubedoctor completion SHELL` and `kubedoctor man`: the shell completion script
//! (clap_complete) and the manual pages (clap_mangen), generated from the command line's
//! own definition under the name it was invoked by. The pages add what clap does not know:
//! EXIT STATUS and ENVIRONMENT on every page, EXAMPLES on the program's own; they list only
//! the pages `man --dir` writes (no `help` page, no hidden command).

use super::output::write_stdout;
use crate::cli::CompletionTarget;
use crate::error::RunError;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Prints the completion script for a shell, or kubectl's plugin completion helper.
pub fn completion(mut cmd: clap::Command, target: CompletionTarget) -> Result<ExitCode, RunError> {
    let text = match target {
        CompletionTarget::Shell(shell) => {
            let name = cmd.get_bin_name().unwrap_or("kubedoctor").to_string();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, name, &mut out);
            String::from_utf8_lossy(&out).into_owned()
        }
        CompletionTarget::KubectlPlugin => kubectl_plugin_helper(),
    };
    write_stdout(&text).map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}

/// The executable `kubectl_complete-rootcause` that kubectl (1.26+) finds on `PATH` and runs
/// with the words after `kubectl rootcause`: it asks the plugin itself (`__complete`).
fn kubectl_plugin_helper() -> String {
    let plugin = crate::invocation::PLUGIN;
    format!(
        "#!/bin/sh\n\
         # kubectl's completion of `kubectl {plugin}`: install as an executable file named\n\
         # kubectl_complete-{plugin} on PATH (beside kubectl-{plugin}).\n\
         exec kubectl-{plugin} __complete \"$@\"\n"
    )
}

/// Prints the manual page, or writes one per command into `dir`.
pub fn man(cmd: clap::Command, dir: Option<&Path>) -> Result<ExitCode, RunError> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let program = cmd.get_bin_name().unwrap_or("kubedoctor").to_string();
    match dir {
        None => {
            let out = page(&cmd, &program, true).map_err(RunError::write("the manual page"))?;
            write_stdout(&String::from_utf8_lossy(&out))
                .map_err(RunError::write("standard output"))?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(RunError::write("the manual page directory"))?;
            pages(&cmd, &program, dir, true).map_err(RunError::write("the manual pages"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the page of `cmd` and of each of its visible subcommands into `dir`.
fn pages(cmd: &clap::Command, program: &str, dir: &Path, top: bool) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages(sub, program, dir, false)?;
    }
    let file = clap_mangen::Man::new(cmd.clone()).get_filename();
    std::fs::write(dir.join(file), page(cmd, program, top)?)
}

/// One page: clap's sections, then exit status and environment, and examples on the
/// program's own page.
fn page(cmd: &clap::Command, program: &str, top: bool) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    write_sections(&mut out, program, top)?;
    Ok(out)
}

/// The exit codes (README "Exit codes"), in the documented order of precedence.
const EXIT_STATUS: [(&str, &str); 5] = [
    (
        "0",
        "Finished; no unhealthy pod's top finding at or above --fail-on.",
    ),
    (
        "1",
        "A top finding is at or above --fail-on (with --only-new: a new problem at or above it).",
    ),
    (
        "2",
        "Usage or input error: a bad flag, an unknown target, an unreadable bundle or text, an invalid playbook, configuration or kubeconfig, or a report file that could not be written.",
    ),
    (
        "3",
        "The cluster could not be reached or refused the credentials.",
    ),
    (
        "4",
        "The report was made but a webhook or the Pushgateway did not take it. When several steps fail, the code is the first in the order report, metrics, webhooks.",
    ),
];

/// The environment the program reads.
const ENVIRONMENT: [(&str, &str); 6] = [
    (
        "KUBECONFIG",
        "Kubeconfig files, as kubectl reads them (missing files are skipped).",
    ),
    ("KUBEDOCTOR_CONFIG", "The configuration file (as --config)."),
    (
        "KUBEDOCTOR_WEBHOOK",
        "Webhook URLs, comma-separated (as --webhook).",
    ),
    (
        "KUBEDOCTOR_PUSHGATEWAY",
        "A Prometheus Pushgateway URL (as --pushgateway).",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour in the text output.",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
        "Proxies for webhooks and the Pushgateway.",
    ),
];

/// Examples on the program's own page: `{p}` is the name it runs under.
const EXAMPLES: [(&str, &str); 5] = [
    (
        "Diagnose the unhealthy pods of a namespace:",
        "{p} diagnose -n shop",
    ),
    (
        "Diagnose one workload:",
        "{p} diagnose deployment/web -n shop",
    ),
    (
        "Diagnose what someone pasted (a describe, events, a whole terminal session):",
        "{p} diagnose --from - < pasted.txt",
    ),
    (
        "An hourly report that posts only new problems:",
        "{p} report -A -o json --output-file r.json --baseline r.json --only-new --webhook URL",
    ),
    (
        "Capture the evidence for a ticket:",
        "{p} capture -n shop --dir evidence",
    ),
];

/// Text for a roff line: backslashes and hyphens escaped, no line starting with a dot.
fn roff(text: &str) -> String {
    let t = text.replace('\\', "\\e").replace('-', "\\-");
    if t.starts_with(['.', '\'']) {
        format!("\\&{t}")
    } else {
        t
    }
}

fn write_sections(out: &mut Vec<u8>, program: &str, top: bool) -> std::io::Result<()> {
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    for (code, meaning) in EXIT_STATUS {
        writeln!(out, ".TP\n{code}\n{}", roff(meaning))?;
    }
    writeln!(out, ".SH ENVIRONMENT")?;
    for (name, meaning) in ENVIRONMENT {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(name), roff(meaning))?;
    }
    if top {
        writeln!(out, ".SH EXAMPLES")?;
        for (what, command) in EXAMPLES {
            writeln!(
                out,
                ".PP\n{}\n.PP\n.RS 4\n\\fB{}\\fR\n.RE",
                roff(what),
                roff(&command.replace("{p}", program))
            )?;
        }
    }
    Ok(())
}
