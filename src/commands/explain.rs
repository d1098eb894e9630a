//! `kubedoctor explain`: the docs of a cause, or the causes tried for a status (any status
//! kubedoctor shows, in any case), most specific first; a typo gets the nearest name.

use super::output::write_stdout;
use crate::cli::ExplainArgs;
use crate::error::RunError;
use crate::playbook::{Cause, Playbooks};
use crate::status::vocabulary;
use std::fmt::Write as _;
use std::process::ExitCode;

pub fn run(args: ExplainArgs) -> Result<ExitCode, RunError> {
    let playbooks = Playbooks::with_dirs(&crate::config::playbook_dirs(&args.playbooks)?)?;
    let target = args.target.trim();
    let text = if let Some((file, cause)) = playbooks
        .causes()
        .find(|(_, c)| c.id.eq_ignore_ascii_case(target))
    {
        explain_cause(cause, &file.statuses)
    } else if let Some(status) =
        vocabulary::canonical(target).or_else(|| served(&playbooks, target))
    {
        explain_status(&playbooks, &status)
    } else {
        return Err(RunError::Usage(not_found(&playbooks, target)));
    };
    write_stdout(&text).map_err(RunError::write("standard output"))?;
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

/// A status a user playbook names (`status: [MyStatus]`), in any case.
fn served(playbooks: &Playbooks, target: &str) -> Option<String> {
    playbooks
        .files
        .iter()
        .flat_map(|f| f.statuses.iter())
        .find(|s| s.eq_ignore_ascii_case(target) && !s.contains('*'))
        .cloned()
}

/// `x` is neither a cause nor a status, with the nearest of either when one is near.
fn not_found(playbooks: &Playbooks, target: &str) -> String {
    let lower = target.to_ascii_lowercase();
    let nearest = playbooks
        .causes()
        .map(|(_, c)| c.id.as_str())
        .chain(vocabulary::statuses().map(|s| -> &str { s }))
        .map(|name| {
            (
                strsim::jaro_winkler(&lower, &name.to_ascii_lowercase()),
                name,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name);
    let hint = match nearest {
        Some(n) => format!("did you mean `{n}`? "),
        None => String::new(),
    };
    format!(
        "`{target}` is neither a cause id nor a status kubedoctor shows; {hint}\
         list causes with `{}`",
        crate::invocation::command("playbooks list")
    )
}

/// The causes of every playbook serving `status`, in the order they are tried: playbooks
/// written for the status first — those whose first status it is (the one a file is the
/// usual answer for: `Pending` is the scheduler's before the volumes') before the others —
/// then those for every status, the cause of last resort last.
fn explain_status(playbooks: &Playbooks, status: &str) -> String {
    let mut keys = vec![status.to_string()];
    if let Some(inner) = status.strip_prefix("Init:") {
        keys.push(inner.to_string());
    }
    let mut serving: Vec<_> = playbooks.files.iter().filter(|f| f.serves(&keys)).collect();
    // Stable sort: for `Init:CrashLoopBackOff` the init playbook (the whole status) comes
    // before the crash loop one (its inner status).
    serving.sort_by_key(|f| {
        let wildcard = f.statuses.iter().all(|s| s == "*");
        let last_resort = f.causes.iter().all(|c| c.fallback);
        let whole = f.serves(&keys[..1]);
        // A file's first status is the one it is the usual answer for.
        let primary = f
            .statuses
            .first()
            .is_some_and(|s| keys.iter().any(|k| crate::glob::matches(s, k)));
        (last_resort, wildcard, !whole, !primary)
    });
    let mut s = format!("{status}: causes in the order they are tried\n");
    for f in serving {
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
    s
}
