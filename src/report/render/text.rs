//! The text report for a person at a terminal: per pod, a first line naming the top
//! cause, then the explanation, evidence and fixes indented under it; second opinions; the
//! other pods of its group listed after it; a one-line summary; notes. Color through `colored`
//! (turned off globally for `--color never`, `NO_COLOR` and pipes).

use crate::engine::Finding;
use crate::playbook::Severity;
use crate::report::{PodReport, Report};
use colored::{ColoredString, Colorize};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Renders the whole report. Pods that share a finding (a group) are printed once in full,
/// followed by the names of the others.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for (i, g) in report.groups.iter().enumerate() {
        for p in &g.pods {
            group_of.insert(p.as_str(), i);
        }
    }
    let keys: Vec<String> = report
        .pods
        .iter()
        .map(|p| crate::words::qualified(&p.namespace, &p.name))
        .collect();
    let owner_of: HashMap<&str, Option<&str>> = keys
        .iter()
        .zip(&report.pods)
        .map(|(k, p)| (k.as_str(), p.owner.as_deref()))
        .collect();
    let mut printed = vec![false; report.groups.len()];
    for (pod, key) in report.pods.iter().zip(&keys) {
        let group = group_of
            .get(key.as_str())
            .copied()
            .filter(|&i| report.groups[i].pods.len() > 1);
        if let Some(i) = group {
            if printed[i] {
                continue;
            }
            printed[i] = true;
        }
        render_pod(&mut out, pod);
        if let Some(i) = group {
            let g = &report.groups[i];
            let others: Vec<&str> = g
                .pods
                .iter()
                .map(String::as_str)
                .filter(|p| p != key)
                .collect();
            // `of deployment/web` when every pod of the group has the same owner.
            let owner = pod.owner.as_deref().filter(|o| {
                others
                    .iter()
                    .all(|k| owner_of.get(k).copied().flatten() == Some(*o))
            });
            let _ = writeln!(
                out,
                "    {} {}",
                format!(
                    "and {}{} with the same finding:",
                    crate::words::count(others.len() as u64, "more pod", "more pods"),
                    owner.map(|o| format!(" of {o}")).unwrap_or_default()
                )
                .bold(),
                list_some(&others, LISTED).dimmed()
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(report));
    for n in &report.notes {
        let _ = writeln!(out, "{} {n}", "note:".yellow());
    }
    out
}

/// How many names of a group's other pods the text lists.
const LISTED: usize = 10;

/// `a, b, c` or `a, b, … (40 in all)`.
fn list_some(names: &[&str], most: usize) -> String {
    if names.len() <= most {
        return names.join(", ");
    }
    format!("{}, … ({} in all)", names[..most].join(", "), names.len())
}

fn badge(s: Severity) -> ColoredString {
    match s {
        Severity::Critical => "critical".red().bold(),
        Severity::Warning => "warning".yellow().bold(),
        Severity::Info => "info".blue(),
    }
}

fn render_pod(out: &mut String, pod: &PodReport) {
    let name = if pod.name.is_empty() {
        "(pod not named in the text)".to_string().bold()
    } else {
        crate::words::qualified(&pod.namespace, &pod.name).bold()
    };
    let context = {
        let mut parts = vec![format!("{} ready", pod.ready)];
        if pod.restarts > 0 {
            parts.push(crate::words::count(
                pod.restarts.unsigned_abs(),
                "restart",
                "restarts",
            ));
        }
        if let Some(n) = &pod.node {
            parts.push(format!("node {n}"));
        }
        if let Some(o) = &pod.owner {
            parts.push(o.clone());
        }
        parts.join(" · ")
    };
    let Some((top, rest)) = pod.findings.split_first() else {
        let _ = writeln!(
            out,
            "{name}  {}  {}",
            pod.status.yellow(),
            "no playbook cause matched: look at `kubectl describe pod` and the logs".dimmed()
        );
        let _ = writeln!(out, "    {}", context.dimmed());
        return;
    };
    let _ = writeln!(
        out,
        "{name}  {}  {}: {} {}",
        pod.status.yellow(),
        badge(top.severity),
        top.title.bold(),
        format!("[{} {:.2}]", top.id, top.score).dimmed()
    );
    let _ = writeln!(out, "    {}", context.dimmed());
    render_finding_body(out, top);
    if !rest.is_empty() {
        let _ = writeln!(out, "    {}", "Also possible:".bold());
        for f in rest {
            let _ = writeln!(
                out,
                "      - {} {} {}",
                badge(f.severity),
                f.title,
                format!("[{} {:.2}]", f.id, f.score).dimmed()
            );
            if let Some(e) = f.telling_evidence() {
                let _ = writeln!(out, "          {} {}", e.source.as_str().dimmed(), e.text);
            }
            if let Some(t) = &f.tell_apart {
                let _ = writeln!(out, "          {} {t}", "tell apart:".dimmed());
            }
        }
    }
}

fn render_finding_body(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "    {}", f.explain);
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "    {}", "Evidence:".bold());
        for e in &f.evidence {
            let at =
                e.at.as_deref()
                    .map(|a| format!("  ({a})").dimmed().to_string())
                    .unwrap_or_default();
            let _ = writeln!(out, "      {:<9} {}{at}", e.source.as_str().cyan(), e.text);
        }
    }
    if !f.fixes.is_empty() {
        let _ = writeln!(out, "    {}", "Fix:".bold());
        for fix in &f.fixes {
            let _ = writeln!(out, "      - {}", fix.text);
            if let Some(c) = &fix.command {
                let _ = writeln!(out, "        {} {}", "$".dimmed(), c.green());
            }
        }
    }
    if let Some(t) = &f.tell_apart {
        let _ = writeln!(out, "    {} {t}", "Tell apart:".bold());
    }
    if let Some(d) = &f.docs {
        let _ = writeln!(out, "    {} {}", "Docs:".dimmed(), d.dimmed());
    }
}

/// `12 pods scanned: 5 unhealthy (3 critical, 1 warning, 1 info)`; the three counts add up
/// to the unhealthy pods.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let scanned = super::pods(s.pods_scanned);
    if s.pods_scanned == 0 {
        return "0 pods scanned".to_string();
    }
    if s.pods_unhealthy == 0 {
        return format!("{scanned} scanned: all healthy");
    }
    format!(
        "{scanned} scanned: {} unhealthy ({} critical, {} warning, {} info)",
        s.pods_unhealthy, s.critical, s.warning, s.info
    )
}
