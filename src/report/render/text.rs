//! The text report for a person at a terminal: per pod, a first line naming the top
//! cause, then the explanation, evidence and fixes indented under it; second opinions;
//! groups of pods that share a cause; a one-line summary; notes. Color through `colored`
//! (turned off globally for `--color never`, `NO_COLOR` and pipes).

use crate::engine::Finding;
use crate::playbook::Severity;
use crate::report::{PodReport, Report};
use colored::{ColoredString, Colorize};
use std::fmt::Write as _;

/// Renders the whole report.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for pod in &report.pods {
        render_pod(&mut out, pod);
        out.push('\n');
    }
    let shared: Vec<_> = report.groups.iter().filter(|g| g.pods.len() > 1).collect();
    if !shared.is_empty() {
        let _ = writeln!(out, "{}", "Shared causes:".bold());
        for g in shared {
            let _ = writeln!(
                out,
                "  {} {} pods ({}): {}",
                badge(g.severity),
                g.pods.len(),
                g.key,
                g.title
            );
            let _ = writeln!(out, "      {}", g.pods.join(", ").dimmed());
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(report));
    for n in &report.notes {
        let _ = writeln!(out, "{} {n}", "note:".yellow());
    }
    out
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
        format!("{}/{}", pod.namespace, pod.name).bold()
    };
    let context = {
        let mut parts = vec![format!("{} ready", pod.ready)];
        if pod.restarts > 0 {
            parts.push(format!("{} restarts", pod.restarts));
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

/// `12 pods scanned: 5 unhealthy (3 critical, 1 warning, 1 info)`.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let pods = |n: usize| if n == 1 { "pod" } else { "pods" };
    if s.pods_unhealthy == 0 && s.critical + s.warning == 0 {
        return format!(
            "{} {} scanned: all healthy{}",
            s.pods_scanned,
            pods(s.pods_scanned),
            if s.info > 0 {
                format!(" ({} info)", s.info)
            } else {
                String::new()
            }
        );
    }
    format!(
        "{} {} scanned: {} unhealthy ({} critical, {} warning, {} info)",
        s.pods_scanned,
        pods(s.pods_scanned),
        s.pods_unhealthy,
        s.critical,
        s.warning,
        s.info
    )
}
