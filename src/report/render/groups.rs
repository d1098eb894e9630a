//! The text of `kubedoctor report`: problem by problem (groups of pods and Services sharing
//! a root cause), most important first, with the change since the baseline at the top.

use super::paint::Paint;
use super::{change_label, group_size, members};
use crate::playbook::Severity;
use crate::report::Report;
use crate::report::baseline::change_line;
use std::fmt::Write as _;

fn badge(paint: Paint, s: Severity) -> String {
    match s {
        Severity::Critical => paint.red_bold("CRITICAL"),
        Severity::Warning => paint.yellow_bold("WARNING "),
        Severity::Info => paint.blue("INFO    "),
    }
}

pub fn render(report: &Report, paint: Paint) -> String {
    let mut out = String::new();
    if let Some(line) = change_line(report) {
        let _ = writeln!(out, "{}\n", paint.bold(line));
    }
    for g in &report.groups {
        let change = change_label(g)
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {} — {} ({}){}",
            badge(paint, g.severity),
            paint.bold(&g.title),
            group_size(g),
            g.key,
            paint.cyan(change)
        );
        if let Some(f) = report.group_finding(g) {
            let _ = writeln!(out, "    {}", f.explanation());
            if let Some(e) = f.telling_evidence() {
                let _ = writeln!(out, "    {} {}", paint.cyan(e.source.as_str()), e.text);
            }
            for fix in f.fixes.iter().filter(|f| f.command.is_some()).take(1) {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    paint.dimmed("$"),
                    paint.green(fix.command.as_deref().unwrap_or(""))
                );
            }
        }
        let members = members(g);
        let shown: Vec<&str> = members.iter().take(8).map(String::as_str).collect();
        let more = members.len().saturating_sub(8);
        let _ = writeln!(
            out,
            "    {} {}{}",
            paint.dimmed(format!("[{}]", g.id)),
            paint.dimmed(shown.join(", ")),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        out.push('\n');
    }
    for g in &report.resolved {
        let _ = writeln!(
            out,
            "{} {} ({}) — was {}",
            paint.green_bold("RESOLVED"),
            g.title,
            g.key,
            group_size(g)
        );
    }
    if !report.resolved.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", super::text::summary_line(report));
    if !report.summary.by_namespace.is_empty() {
        let by: Vec<String> = report
            .summary
            .by_namespace
            .iter()
            .map(|(ns, n)| format!("{ns} {n}"))
            .collect();
        let _ = writeln!(out, "unhealthy by namespace: {}", by.join(", "));
    }
    for n in &report.notes {
        let _ = writeln!(out, "{} {n}", paint.yellow("note:"));
    }
    out
}
