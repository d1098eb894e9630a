//! `kubedoctor explain`: the docs of a cause, or the causes tried for a status, in order.

use super::output::write_stdout;
use crate::cli::ExplainArgs;
use crate::error::RunError;
use crate::playbook::{Cause, Playbooks};
use anyhow::Context as _;
use std::fmt::Write as _;
use std::process::ExitCode;

pub fn run(args: ExplainArgs) -> Result<ExitCode, RunError> {
    let playbooks = Playbooks::with_dirs(&args.playbooks).context("invalid playbook")?;
    let text = if let Some((file, cause)) = playbooks.causes().find(|(_, c)| c.id == args.target) {
        explain_cause(cause, &file.statuses)
    } else {
        explain_status(&playbooks, &args.target).ok_or_else(|| {
            RunError::Usage(format!(
                "`{}` is neither a cause id nor a status any playbook serves; \
                 list causes with `kubedoctor playbooks list`",
                args.target
            ))
        })?
    };
    write_stdout(&text).context("cannot write")?;
    Ok(ExitCode::SUCCESS)
}

fn explain_cause(c: &Cause, statuses: &[String]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}: {}", c.id, c.title);
    let _ = writeln!(
        s,
        "severity {}, statuses {}, playbook {}",
        c.severity.as_str(),
        statuses.join(", "),
        c.file
    );
    if let Some(a) = &c.about {
        for (head, text) in [
            ("What it means", &a.meaning),
            ("Why it happens", &a.why),
            ("How to confirm it", &a.confirm),
            ("How to fix it", &a.fix),
        ] {
            if !text.is_empty() {
                let _ = writeln!(s, "\n{head}\n  {text}");
            }
        }
    }
    if let Some(docs) = &c.docs {
        let _ = writeln!(s, "\nDocs\n  {docs}");
    }
    s
}

/// The causes of every playbook serving `status`, in the order they are tried.
fn explain_status(playbooks: &Playbooks, status: &str) -> Option<String> {
    let mut keys = vec![status.to_string()];
    if let Some(inner) = status.strip_prefix("Init:") {
        keys.push(inner.to_string());
    }
    let serving: Vec<_> = playbooks
        .files
        .iter()
        .filter(|f| f.serves(&keys) && !f.statuses.iter().all(|s| s == "*"))
        .collect();
    if serving.is_empty() {
        return None;
    }
    let mut s = format!("{status}: causes in the order they are tried\n");
    for f in playbooks.files.iter().filter(|f| f.serves(&keys)) {
        let _ = writeln!(
            s,
            "\n{} ({})\n  {}",
            f.file,
            f.statuses.join(", "),
            f.summary
        );
        for c in &f.causes {
            let _ = writeln!(s, "  {:<32} {:<8} {}", c.id, c.severity.as_str(), c.title);
        }
    }
    Some(s)
}
