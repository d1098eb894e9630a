//! The Prometheus text exposition format, for the node exporter's textfile collector:
//! pods by top cause, severity and namespace; Services the same way (a metric of their own,
//! so the pods' series keep their labels); pods and Services scanned and unhealthy; scan
//! duration; a success flag, the time of the run and of the last success. A run that made no
//! report writes [`failed_run`] instead.

use crate::report::Report;
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut counts: BTreeMap<(String, &str, String), usize> = BTreeMap::new();
    for p in report.pods.iter().filter(|p| !p.healthy) {
        if let Some(f) = p.findings.first() {
            *counts
                .entry((f.id.clone(), f.severity.as_str(), p.namespace.clone()))
                .or_default() += 1;
        }
    }
    let _ = writeln!(
        out,
        "# HELP kubedoctor_findings Unhealthy pods whose top finding is this cause, by severity and namespace."
    );
    let _ = writeln!(out, "# TYPE kubedoctor_findings gauge");
    for ((cause, sev, ns), n) in &counts {
        let _ = writeln!(
            out,
            "kubedoctor_findings{{cause=\"{}\",severity=\"{sev}\",namespace=\"{}\"}} {n}",
            label(cause),
            label(ns)
        );
    }
    let mut services: BTreeMap<(String, &str, String), usize> = BTreeMap::new();
    for svc in report.services.iter().filter(|s| s.unhealthy()) {
        if let Some(f) = svc.findings.first() {
            *services
                .entry((f.id.clone(), f.severity.as_str(), svc.namespace.clone()))
                .or_default() += 1;
        }
    }
    let _ = writeln!(
        out,
        "# HELP kubedoctor_service_findings Unhealthy Services whose top finding is this cause, by severity and namespace."
    );
    let _ = writeln!(out, "# TYPE kubedoctor_service_findings gauge");
    for ((cause, sev, ns), n) in &services {
        let _ = writeln!(
            out,
            "kubedoctor_service_findings{{cause=\"{}\",severity=\"{sev}\",namespace=\"{}\"}} {n}",
            label(cause),
            label(ns)
        );
    }
    let s = &report.summary;
    for (name, help, v) in [
        ("kubedoctor_pods_scanned", "Pods scanned.", s.pods_scanned),
        (
            "kubedoctor_pods_unhealthy",
            "Pods not running and ready, nor completed.",
            s.pods_unhealthy,
        ),
        (
            "kubedoctor_services_scanned",
            "Services scanned.",
            s.services_scanned,
        ),
        (
            "kubedoctor_services_unhealthy",
            "Services whose top finding is a warning or worse.",
            s.services_unhealthy,
        ),
        (
            "kubedoctor_problems",
            "Groups of pods and Services that share a root cause.",
            report.groups.len(),
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
    let _ = writeln!(
        out,
        "# HELP kubedoctor_scan_duration_seconds How long the scan took.\n# TYPE kubedoctor_scan_duration_seconds gauge\nkubedoctor_scan_duration_seconds {:.3}",
        report.duration_seconds.unwrap_or(0.0)
    );
    let _ = writeln!(
        out,
        "# HELP kubedoctor_scan_success 1 when the scan produced a report.\n# TYPE kubedoctor_scan_success gauge\nkubedoctor_scan_success 1"
    );
    if let Ok(t) = report.generated_at.parse::<jiff::Timestamp>() {
        last_run(&mut out, t);
        let _ = writeln!(out, "{LAST_SUCCESS_HELP}\n{LAST_SUCCESS} {}", t.as_second());
    }
    out
}

/// `kubedoctor_delivery_success{sink}` for each delivery made before the metrics: 1 when it
/// took the report (`report`: the output file or stdout; `webhook`: every webhook), 0 when not.
pub fn deliveries(out: &mut String, sinks: &[(&str, bool)]) {
    if sinks.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "# HELP kubedoctor_delivery_success 1 when the delivery to this sink succeeded.\n# TYPE kubedoctor_delivery_success gauge"
    );
    for (sink, ok) in sinks {
        let _ = writeln!(
            out,
            "kubedoctor_delivery_success{{sink=\"{}\"}} {}",
            label(sink),
            u8::from(*ok)
        );
    }
}

const LAST_SUCCESS: &str = "kubedoctor_last_success_timestamp_seconds";
const LAST_SUCCESS_HELP: &str = "# HELP kubedoctor_last_success_timestamp_seconds When a run last made a report.\n# TYPE kubedoctor_last_success_timestamp_seconds gauge";

fn last_run(out: &mut String, t: jiff::Timestamp) {
    let _ = writeln!(
        out,
        "# HELP kubedoctor_last_run_timestamp_seconds When the last run reached the metrics step.\n# TYPE kubedoctor_last_run_timestamp_seconds gauge\nkubedoctor_last_run_timestamp_seconds {}",
        t.as_second()
    );
}

/// The metrics of a run that could make no report (exit 2 or 3 after the configuration was
/// read): `kubedoctor_scan_success 0`, the time of the run, and the last success carried over
/// from the file it replaces (`previous`), so an alert on its age keeps working.
pub fn failed_run(now: jiff::Timestamp, previous: Option<&str>) -> String {
    let mut out = String::from(
        "# HELP kubedoctor_scan_success 1 when the scan produced a report.\n# TYPE kubedoctor_scan_success gauge\nkubedoctor_scan_success 0\n",
    );
    last_run(&mut out, now);
    let carried = previous.and_then(|p| {
        p.lines()
            .find(|l| l.starts_with(LAST_SUCCESS) && l[LAST_SUCCESS.len()..].starts_with(' '))
    });
    if let Some(line) = carried {
        let _ = writeln!(out, "{LAST_SUCCESS_HELP}\n{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::failed_run;

    #[test]
    fn a_failed_run_says_so_and_keeps_the_last_success() {
        let now: jiff::Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
        let previous =
            "kubedoctor_scan_success 1\nkubedoctor_last_success_timestamp_seconds 1765000000\n";
        let out = failed_run(now, Some(previous));
        assert!(out.contains("kubedoctor_scan_success 0\n"));
        assert!(!out.lines().any(|l| l == "kubedoctor_scan_success 1"));
        assert!(out.contains(&format!(
            "kubedoctor_last_run_timestamp_seconds {}",
            now.as_second()
        )));
        assert!(out.contains("kubedoctor_last_success_timestamp_seconds 1765000000\n"));
        assert!(!failed_run(now, None).contains("last_success"));
    }
}
