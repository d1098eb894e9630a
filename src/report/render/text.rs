//! The text report for a person at a terminal: per pod, a first line naming the top
//! cause, then the explanation, evidence and fixes indented under it; second opinions; the
//! other pods of its group listed after it; then each Service with findings in the same
//! shape; a one-line summary; notes. Styled through the [`Paint`] the caller chose (plain
//! for `--color never`, `NO_COLOR`, pipes and files).

use super::paint::Paint;
use crate::engine::Finding;
use crate::playbook::Severity;
use crate::report::{PodReport, Report, ServiceReport};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Renders the whole report. Pods that share a finding (a group) are printed once in full,
/// followed by the names of the others.
pub fn render(report: &Report, paint: Paint) -> String {
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
        render_pod(&mut out, pod, paint);
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
                paint.bold(format!(
                    "and {}{} with the same finding:",
                    crate::words::count(others.len() as u64, "more pod", "more pods"),
                    owner.map(|o| format!(" of {o}")).unwrap_or_default()
                )),
                paint.dimmed(list_some(&others, LISTED))
            );
        }
        out.push('\n');
    }
    for service in &report.services {
        render_service(&mut out, service, paint);
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(report));
    for n in &report.notes {
        let _ = writeln!(out, "{} {n}", paint.yellow("note:"));
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

fn badge(paint: Paint, s: Severity) -> String {
    match s {
        Severity::Critical => paint.red_bold("critical"),
        Severity::Warning => paint.yellow_bold("warning"),
        Severity::Info => paint.blue("info"),
    }
}

/// One pod as the pods layout prints it: its status, top finding with evidence and fix, and
/// the other candidates (`watch` prints it under a new problem).
pub fn pod(pod: &PodReport, paint: Paint) -> String {
    let mut out = String::new();
    render_pod(&mut out, pod, paint);
    out
}

fn render_pod(out: &mut String, pod: &PodReport, paint: Paint) {
    let name = if pod.name.is_empty() {
        paint.bold("(pod not named in the text)")
    } else {
        paint.bold(crate::words::qualified(&pod.namespace, &pod.name))
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
            paint.yellow(&pod.status),
            paint.dimmed("no playbook cause matched: look at `kubectl describe pod` and the logs")
        );
        let _ = writeln!(out, "    {}", paint.dimmed(context));
        return;
    };
    let _ = writeln!(
        out,
        "{name}  {}  {}: {} {}",
        paint.yellow(&pod.status),
        badge(paint, top.severity),
        paint.bold(&top.title),
        paint.dimmed(format!("[{} {:.2}]", top.id, top.score))
    );
    let _ = writeln!(out, "    {}", paint.dimmed(context));
    render_finding_body(out, top, paint);
    render_others(out, rest, paint);
}

/// A Service with findings: `shop/web  Service ClusterIP  warning: ...`, what it selects and
/// who calls it, then its top finding as a pod's.
fn render_service(out: &mut String, service: &ServiceReport, paint: Paint) {
    let Some((top, rest)) = service.findings.split_first() else {
        return;
    };
    let kind = match service.type_.as_str() {
        "" => "Service".to_string(),
        t => format!("Service {t}"),
    };
    let _ = writeln!(
        out,
        "{}  {}  {}: {} {}",
        paint.bold(service.key()),
        paint.yellow(kind),
        badge(paint, top.severity),
        paint.bold(&top.title),
        paint.dimmed(format!("[{} {:.2}]", top.id, top.score))
    );
    let mut parts = Vec::new();
    if !service.pods.is_empty() {
        parts.push(format!(
            "selects {}",
            list_some(
                &service.pods.iter().map(String::as_str).collect::<Vec<_>>(),
                3
            )
        ));
    }
    if !service.clients.is_empty() {
        parts.push(format!(
            "called by {}",
            list_some(
                &service
                    .clients
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                3
            )
        ));
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "    {}", paint.dimmed(parts.join(" · ")));
    }
    render_finding_body(out, top, paint);
    render_others(out, rest, paint);
}

/// The other possible causes, with the evidence that would tell them apart.
fn render_others(out: &mut String, rest: &[Finding], paint: Paint) {
    if !rest.is_empty() {
        let _ = writeln!(out, "    {}", paint.bold("Also possible:"));
        for f in rest {
            let _ = writeln!(
                out,
                "      - {} {} {}",
                badge(paint, f.severity),
                f.title,
                paint.dimmed(format!("[{} {:.2}]", f.id, f.score))
            );
            if let Some(e) = f.telling_evidence() {
                let _ = writeln!(
                    out,
                    "          {} {}",
                    paint.dimmed(e.source.as_str()),
                    e.text
                );
            }
            if let Some(t) = &f.tell_apart {
                let _ = writeln!(out, "          {} {t}", paint.dimmed("tell apart:"));
            }
        }
    }
}

fn render_finding_body(out: &mut String, f: &Finding, paint: Paint) {
    let _ = writeln!(out, "    {}", f.explanation());
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "    {}", paint.bold("Evidence:"));
        for e in &f.evidence {
            let at =
                e.at.as_deref()
                    .map(|a| paint.dimmed(format!("  ({a})")))
                    .unwrap_or_default();
            let _ = writeln!(
                out,
                "      {:<9} {}{at}",
                paint.cyan(e.source.as_str()),
                e.text
            );
        }
    }
    if !f.fixes.is_empty() {
        let _ = writeln!(out, "    {}", paint.bold("Fix:"));
        for fix in &f.fixes {
            let _ = writeln!(out, "      - {}", fix.text);
            if let Some(c) = &fix.command {
                let _ = writeln!(out, "        {} {}", paint.dimmed("$"), paint.green(c));
            }
        }
    }
    if let Some(t) = &f.tell_apart {
        let _ = writeln!(out, "    {} {t}", paint.bold("Tell apart:"));
    }
    if let Some(d) = &f.docs {
        let _ = writeln!(out, "    {} {}", paint.dimmed("Docs:"), paint.dimmed(d));
    }
}

/// `12 pods scanned: 5 unhealthy (3 critical, 1 warning, 1 info)`; the three counts add up
/// to the unhealthy pods. When Services were scanned: `; 4 Services scanned: 1 unhealthy`.
pub fn summary_line(report: &Report) -> String {
    let pods = pods_summary(report);
    let s = &report.summary;
    if s.services_scanned == 0 {
        return pods;
    }
    let services = super::services(s.services_scanned);
    match s.services_unhealthy {
        0 => format!("{pods}; {services} scanned: none unhealthy"),
        n => format!("{pods}; {services} scanned: {n} unhealthy"),
    }
}

fn pods_summary(report: &Report) -> String {
    let s = &report.summary;
    let scanned = super::pods(s.pods_scanned);
    if s.pods_scanned == 0 {
        return "0 pods scanned".to_string();
    }
    if s.pods_unhealthy == 0 && s.pods_unknown > 0 {
        // Silence is not health: pods the text showed without a status are not called healthy.
        return format!(
            "{scanned} scanned: none shown unhealthy ({} without a status to judge)",
            s.pods_unknown
        );
    }
    if s.pods_unhealthy == 0 {
        return format!("{scanned} scanned: all healthy");
    }
    format!(
        "{scanned} scanned: {} unhealthy ({} critical, {} warning, {} info)",
        s.pods_unhealthy, s.critical, s.warning, s.info
    )
}
