//! `kubedoctor playbooks list|show|lint|test`: the tools for writing playbooks.

use super::output::{stdout_paint, write_stdout};
use crate::cli::{ListFormat, PlaybookDirArgs, PlaybooksCommand};
use crate::error::RunError;
use crate::playbook::lint::{Level, lint};
use crate::playbook::{Playbook, Playbooks};
use crate::samples::{Check, check_all, sample_dirs};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(cmd: PlaybooksCommand) -> Result<ExitCode, RunError> {
    match cmd {
        PlaybooksCommand::List { output, playbooks } => list(&load(&playbooks)?, output),
        PlaybooksCommand::Show { id, playbooks } => show(&load(&playbooks)?, &id),
        PlaybooksCommand::Lint(args) => lint_cmd(&args),
        PlaybooksCommand::Test(args) => test_cmd(&args),
        PlaybooksCommand::Fields => {
            write_stdout(&crate::playbook::reference::markdown())
                .map_err(RunError::write("standard output"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The embedded playbooks, those of `dirs` and those the configuration names.
fn load(dirs: &[PathBuf]) -> Result<Playbooks, RunError> {
    Ok(Playbooks::with_dirs(&crate::config::playbook_dirs(dirs)?)?)
}

fn list(playbooks: &Playbooks, format: ListFormat) -> Result<ExitCode, RunError> {
    let text = match format {
        ListFormat::Json => {
            let rows: Vec<_> = playbooks
                .causes()
                .map(|(f, c)| {
                    serde_json::json!({"id": c.id, "status": f.statuses, "severity": c.severity,
                                       "title": c.title, "playbook": f.file})
                })
                .collect();
            serde_json::to_string_pretty(&rows).expect("serializes") + "\n"
        }
        ListFormat::Text => {
            let mut s = String::new();
            for (f, c) in playbooks.causes() {
                let statuses = f.statuses.join(",");
                let _ = writeln!(
                    s,
                    "{:<32} {:<8} {:<40} {}",
                    c.id,
                    c.severity.as_str(),
                    truncate(&statuses, 40),
                    c.title
                );
            }
            s
        }
    };
    write_stdout(&text).map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n - 1).collect();
    format!("{cut}…")
}

fn show(playbooks: &Playbooks, id: &str) -> Result<ExitCode, RunError> {
    let Some(file) = playbooks
        .files
        .iter()
        .find(|f| f.causes.iter().any(|c| c.id == id))
    else {
        let ids = playbooks.causes().map(|(_, c)| c.id.as_str());
        let hint = crate::words::nearest(id, ids)
            .map_or_else(String::new, |n| format!("did you mean `{n}`? "));
        return Err(RunError::Usage(format!(
            "no cause `{id}`; {hint}list causes with `{}`",
            crate::invocation::command("playbooks list")
        )));
    };
    let block = cause_block(file, id);
    write_stdout(&format!("# {}\n{block}", file.file))
        .map_err(RunError::write("standard output"))?;
    Ok(ExitCode::SUCCESS)
}

/// The lines of a playbook's YAML that define one cause (from its `- id:` to the next).
fn cause_block(file: &Playbook, id: &str) -> String {
    let lines: Vec<&str> = file.source.lines().collect();
    let is_start = |l: &str| {
        let t = l.trim_start();
        t.starts_with("- id:") && l.len() - t.len() == 2
    };
    let Some(start) = lines
        .iter()
        .position(|l| is_start(l) && l.trim_start().trim_start_matches("- id:").trim() == id)
    else {
        return String::new();
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| is_start(l))
        .map_or(lines.len(), |p| start + 1 + p);
    let mut out = lines[start..end].join("\n");
    out = out.trim_end().to_string();
    out.push('\n');
    out
}

/// The playbooks to check and where their samples are.
fn target(args: &PlaybookDirArgs) -> Result<(Playbooks, Option<PathBuf>), RunError> {
    let playbooks = match &args.dir {
        Some(d) => Playbooks::from_dir(d)?,
        None => Playbooks::embedded()?,
    };
    let samples = args.samples.clone().or_else(|| {
        let candidates: Vec<PathBuf> = match &args.dir {
            Some(d) => vec![d.join("samples")],
            None => vec![PathBuf::from("samples")],
        };
        candidates.into_iter().find(|p| p.is_dir())
    });
    Ok((playbooks, samples))
}

fn sampled_ids(root: &Path) -> Result<HashSet<String>, RunError> {
    let dirs = sample_dirs(root).map_err(|e| {
        RunError::Samples(format!("cannot list samples in `{}`: {e}", root.display()))
    })?;
    let mut ids = HashSet::new();
    for d in dirs {
        let exp = crate::samples::expectations(&d).map_err(RunError::Samples)?;
        ids.extend(exp.into_values());
    }
    Ok(ids)
}

fn lint_cmd(args: &PlaybookDirArgs) -> Result<ExitCode, RunError> {
    let paint = stdout_paint(args.color);
    let (playbooks, samples) = target(args)?;
    let sampled = samples.as_deref().map(sampled_ids).transpose()?;
    let issues = lint(&playbooks, sampled.as_ref());
    let mut s = String::new();
    for i in &issues {
        let level = match i.level {
            Level::Error => paint.red_bold("error"),
            Level::Warning => paint.yellow("warning"),
        };
        let _ = writeln!(s, "{level}: {} ({}): {}", i.cause, i.file, i.message);
    }
    let errors = issues.iter().filter(|i| i.level == Level::Error).count();
    let warnings = issues.len() - errors;
    let causes = playbooks.causes().count();
    let _ = writeln!(
        s,
        "{}, {}: {}, {}{}",
        crate::words::count(playbooks.files.len() as u64, "playbook", "playbooks"),
        crate::words::count(causes as u64, "cause", "causes"),
        crate::words::count(errors as u64, "error", "errors"),
        crate::words::count(warnings as u64, "warning", "warnings"),
        if samples.is_none() {
            " (no samples directory: sample coverage not checked)"
        } else {
            ""
        }
    );
    write_stdout(&s).map_err(RunError::write("standard output"))?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn test_cmd(args: &PlaybookDirArgs) -> Result<ExitCode, RunError> {
    let paint = stdout_paint(args.color);
    let (own, samples) = target(args)?;
    let Some(samples) = samples else {
        return Err(RunError::Usage(
            "no samples directory: give `--samples DIR` (bundles with expected.yaml)".into(),
        ));
    };
    // A user's directory is tested together with the shipped playbooks, as `diagnose` uses it.
    let playbooks = match &args.dir {
        Some(d) => Playbooks::with_dirs(std::slice::from_ref(d))?,
        None => own.clone(),
    };
    let checks = check_all(&samples, &playbooks).map_err(RunError::Samples)?;
    let mut by_cause: BTreeMap<String, Vec<&Check>> = BTreeMap::new();
    for c in &checks {
        let key = c
            .expected
            .clone()
            .unwrap_or_else(|| "(healthy pods)".to_string());
        by_cause.entry(key).or_default().push(c);
    }
    let mut s = String::new();
    let mut failed = 0;
    for (cause, list) in &by_cause {
        let bad: Vec<_> = list.iter().filter(|c| !c.passed()).collect();
        if bad.is_empty() {
            let pods = crate::words::count(list.len() as u64, "pod", "pods");
            let _ = writeln!(s, "{} {cause} ({pods})", paint.green("pass"));
            continue;
        }
        failed += 1;
        let _ = writeln!(s, "{} {cause}", paint.red_bold("FAIL"));
        for c in bad {
            let got = c.got.as_ref().map_or("nothing".to_string(), |(id, sev)| {
                format!("`{id}` ({})", sev.as_str())
            });
            let _ = writeln!(s, "    {}: {}: got {got}", c.sample, c.pod);
        }
    }
    let untested: Vec<_> = own
        .causes()
        .map(|(_, c)| c.id.clone())
        .filter(|id| !by_cause.contains_key(id))
        .collect();
    for id in &untested {
        let _ = writeln!(s, "{} {id}: no sample expects it", paint.yellow("untested"));
    }
    let _ = writeln!(
        s,
        "{} causes checked: {} passed, {failed} failed, {} untested",
        by_cause.len(),
        by_cause.len() - failed,
        untested.len()
    );
    write_stdout(&s).map_err(RunError::write("standard output"))?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
