//! Markdown for a GitHub, GitLab or Jira ticket: a title line, a summary table, the change
//! since the baseline, one section per problem (its pods and Services) with its evidence in
//! a code block (long evidence folded in `<details>`) and fixes as shell commands, then notes.
//! Services get a count in the title and a column in the table when any were scanned.

use super::{change_label, group_size, pods, services};
use crate::playbook::Severity;
use crate::report::Report;
use crate::report::baseline::change_line;
use std::fmt::Write as _;

/// Evidence longer than this many lines is folded.
const FOLD_AFTER: usize = 6;

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "🔴",
        Severity::Warning => "🟠",
        Severity::Info => "🔵",
    }
}

/// Markdown-escapes text: `|`, `<` and `>` outside code spans (inside a code span
/// CommonMark shows `&lt;` literally, so `<container>` stays as it is there).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('`') {
        out.push_str(&esc_plain(&rest[..start]));
        let run = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let delimiter = &rest[start..start + run];
        let after = &rest[start + run..];
        match after.find(delimiter) {
            // A code span: kept verbatim up to the closing run of the same length.
            Some(end) => {
                out.push_str(delimiter);
                out.push_str(&after[..end + run]);
                rest = &after[end + run..];
            }
            // An unmatched backtick is a literal one.
            None => {
                out.push_str(delimiter);
                rest = after;
            }
        }
    }
    out.push_str(&esc_plain(rest));
    out
}

fn esc_plain(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A code fence that the content cannot close.
fn fence(content: &str) -> String {
    let mut f = "```".to_string();
    while content.contains(&f) {
        f.push('`');
    }
    f
}

pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let with_services = s.services_scanned > 0;
    let _ = writeln!(
        out,
        "# kubedoctor: {}, {} of {} unhealthy{}\n",
        match report.groups.len() {
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        },
        s.pods_unhealthy,
        pods(s.pods_scanned),
        if with_services {
            format!(
                ", {} of {} unhealthy",
                s.services_unhealthy,
                services(s.services_scanned)
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "Source: {} `{}` · generated {}\n",
        serde_json::to_value(report.source.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        report.source.location,
        report.generated_at
    );
    if with_services {
        let _ = writeln!(
            out,
            "| severity | problems | pods | Services |\n|---|---:|---:|---:|"
        );
    } else {
        let _ = writeln!(out, "| severity | problems | pods |\n|---|---:|---:|");
    }
    for c in report.problems_by_severity() {
        let sev = c.severity;
        let _ = write!(
            out,
            "| {} {} | {} | {} |",
            icon(sev),
            sev.as_str(),
            c.problems,
            c.pods
        );
        if with_services {
            let _ = write!(out, " {} |", c.services);
        }
        out.push('\n');
    }
    out.push('\n');
    if !s.by_namespace.is_empty() {
        let by: Vec<String> = s
            .by_namespace
            .iter()
            .map(|(ns, n)| format!("`{ns}` {n}"))
            .collect();
        let _ = writeln!(out, "Unhealthy pods by namespace: {}\n", by.join(", "));
    }
    if let Some(line) = change_line(report) {
        let _ = writeln!(out, "**Change {line}.**\n");
        for g in &report.resolved {
            let _ = writeln!(
                out,
                "- ✅ resolved: {} (`{}`, `{}`), was {}",
                esc(&g.title),
                g.id,
                g.key,
                group_size(g)
            );
        }
        if !report.resolved.is_empty() {
            out.push('\n');
        }
    }
    for g in &report.groups {
        let change = change_label(g)
            .map(|c| format!(" *({c})*"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "## {} {}: {} — {}{}\n",
            icon(g.severity),
            g.severity.as_str(),
            esc(&g.title),
            group_size(g),
            change
        );
        let _ = writeln!(
            out,
            "Cause `{}` · key `{}` · score {:.2}\n",
            g.id, g.key, g.score
        );
        for (what, names) in [("Pods", &g.pods), ("Services", &g.services)] {
            if names.is_empty() {
                continue;
            }
            let listed: Vec<String> = names.iter().take(10).map(|p| format!("`{p}`")).collect();
            let more = names.len().saturating_sub(10);
            let _ = writeln!(
                out,
                "{what}: {}{}\n",
                listed.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        let Some(f) = report.group_finding(g) else {
            continue;
        };
        let _ = writeln!(out, "{}\n", esc(&f.explanation()));
        if !f.evidence.is_empty() {
            let lines: Vec<String> = f
                .evidence
                .iter()
                .map(|e| match &e.at {
                    Some(at) => format!("[{}] {} ({at})", e.source.as_str(), e.text),
                    None => format!("[{}] {}", e.source.as_str(), e.text),
                })
                .collect();
            let body = lines.join("\n");
            let fc = fence(&body);
            if lines.len() > FOLD_AFTER || body.len() > 1500 {
                let _ = writeln!(
                    out,
                    "<details><summary>Evidence ({})</summary>\n\n{fc}text\n{body}\n{fc}\n\n</details>\n",
                    crate::words::count(lines.len() as u64, "line", "lines")
                );
            } else {
                let _ = writeln!(out, "Evidence:\n\n{fc}text\n{body}\n{fc}\n");
            }
        }
        if !f.fixes.is_empty() {
            let _ = writeln!(out, "Fix:\n");
            for fix in &f.fixes {
                let _ = writeln!(out, "- {}", esc(&fix.text));
                if let Some(c) = &fix.command {
                    let fc = fence(c);
                    let _ = writeln!(out, "\n  {fc}sh\n  {c}\n  {fc}");
                }
            }
            // A blank line ends the list: `Docs:` is not a lazy continuation of its last item.
            out.push('\n');
        }
        if let Some(d) = &f.docs {
            let _ = writeln!(out, "Docs: <{d}>\n");
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "### Notes\n");
        for n in &report.notes {
            let _ = writeln!(out, "- {}", esc(n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_outside_code_spans_only() {
        assert_eq!(
            esc("limit of `<container>` is <unknown> | x"),
            "limit of `<container>` is &lt;unknown&gt; \\| x"
        );
        assert_eq!(esc("``a`<b>`` <c>"), "``a`<b>`` &lt;c&gt;");
        assert_eq!(esc("one ` tick <d>"), "one ` tick &lt;d&gt;");
    }
}
