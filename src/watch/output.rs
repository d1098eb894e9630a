//! What `watch` prints: text lines for a terminal or JSON lines (one object per line; the
//! contract is in docs/WATCH.md). The first line says what is watched and which problems
//! are already there; then one line per change: a new problem (in text followed by its full
//! finding, as `diagnose` prints the pod), a changed one, a resolved one, a flapping pod.
//! Pure: each function returns the text, the run loop writes it.

use crate::cli::WatchFormat;
use crate::report::render::paint::Paint;
use crate::report::{GroupReport, PodReport};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;

/// A change as printed.
pub struct Line<'a> {
    /// `new`, `changed`, `resolved`, `flapping`.
    pub change: &'static str,
    pub at: jiff::Timestamp,
    /// The problem (its pods as they are now).
    pub problem: Option<&'a GroupReport>,
    /// For `changed`: the problem it replaces.
    pub previous: Option<&'a GroupReport>,
    /// `namespace/name` of the pod that brought the change.
    pub pod: &'a str,
    /// The pod's report (`new`, `changed`): its findings.
    pub pod_report: Option<&'a PodReport>,
    /// The bundle written for it.
    pub capture: Option<&'a Path>,
    /// For `flapping`: how often it turned unhealthy.
    pub onsets: usize,
}

/// The first line (and, in text, one line per problem already there).
pub fn start(
    format: WatchFormat,
    what: &str,
    pods: usize,
    problems: &[GroupReport],
    at: jiff::Timestamp,
    paint: Paint,
) -> String {
    match format {
        WatchFormat::Json => {
            let v = json!({
                "change": "watching",
                "at": at.to_string(),
                "watching": what,
                "pods": pods,
                "problems": problems,
            });
            format!("{v}\n")
        }
        WatchFormat::Text => {
            let mut out = format!(
                "watching {what}: {}, {} already\n",
                crate::words::count(pods as u64, "pod", "pods"),
                crate::words::count(problems.len() as u64, "problem", "problems"),
            );
            for g in problems {
                let _ = writeln!(out, "  already  {}", problem_words(g, paint));
            }
            out
        }
    }
}

/// `critical crash.oom shop/web: title (2 pods)`.
fn problem_words(g: &GroupReport, paint: Paint) -> String {
    format!(
        "{} {} {}: {} ({})",
        severity(g, paint),
        g.id,
        g.key,
        paint.bold(&g.title),
        pods_words(&g.pods)
    )
}

fn pods_words(pods: &[String]) -> String {
    match pods {
        [] => "no pod left".to_string(),
        [one] => one.clone(),
        [first, ..] => format!("{first} and {} more", pods.len() - 1),
    }
}

fn severity(g: &GroupReport, paint: Paint) -> String {
    use crate::playbook::Severity;
    match g.severity {
        Severity::Critical => paint.red_bold("critical"),
        Severity::Warning => paint.yellow("warning"),
        Severity::Info => paint.blue("info"),
    }
}

/// One change.
pub fn change(format: WatchFormat, line: &Line<'_>, paint: Paint) -> String {
    match format {
        WatchFormat::Json => format!("{}\n", json_line(line)),
        WatchFormat::Text => text_line(line, paint),
    }
}

fn json_line(line: &Line<'_>) -> Value {
    let mut v = json!({
        "change": line.change,
        "at": line.at.to_string(),
        "pod": line.pod,
    });
    if let Some(p) = line.problem {
        v["problem"] = json!(p);
    }
    if let Some(p) = line.previous {
        v["previous"] = json!(p);
    }
    if let Some(r) = line.pod_report {
        v["finding"] = json!(r);
    }
    if let Some(c) = line.capture {
        v["capture"] = json!(c.display().to_string());
    }
    if line.change == "flapping" {
        v["onsets"] = json!(line.onsets);
    }
    v
}

fn text_line(line: &Line<'_>, paint: Paint) -> String {
    let time = line
        .at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%H:%M:%SZ")
        .to_string();
    let mut out = match (line.change, line.problem) {
        ("flapping", _) => format!(
            "{time} flapping  {}: turned unhealthy {} times without holding; not diagnosed until it holds\n",
            paint.bold(line.pod),
            line.onsets
        ),
        ("resolved", Some(g)) => format!(
            "{time} resolved  {} {}: {} (last pod: {})\n",
            g.id, g.key, g.title, line.pod
        ),
        ("changed", Some(g)) => format!(
            "{time} changed   {} (was {}: {}; pod {})\n",
            problem_words(g, paint),
            line.previous.map_or("?", |p| p.id.as_str()),
            line.previous.map_or("", |p| p.title.as_str()),
            line.pod
        ),
        (change, Some(g)) => format!("{time} {change:<9} {}\n", problem_words(g, paint)),
        (change, None) => format!("{time} {change:<9} {}\n", line.pod),
    };
    if let Some(p) = line.pod_report {
        for l in crate::report::render::text::pod(p, paint).lines() {
            let _ = writeln!(out, "    {l}");
        }
    }
    if let Some(c) = line.capture {
        let _ = writeln!(out, "    evidence: {}", c.display());
    }
    out
}
