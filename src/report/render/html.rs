//! One self-contained HTML file: inline CSS (no scripts, fonts, images or external
//! styles), problems (their pods and Services) as sections with evidence folded in
//! `<details>`, readable printed (`@media print` unfolds nothing and drops colors to
//! borders). Services get a count in the title and a column in the table when any were
//! scanned.

use super::{change_label, group_size, pods, services};
use crate::report::Report;
use crate::report::baseline::change_line;
use std::fmt::Write as _;

fn h(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Escapes, then shows `backticked` names as code, as the text and Markdown reports do.
fn prose(s: &str) -> String {
    let escaped = h(s);
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    if escaped.matches('`').count() % 2 == 1 {
        return escaped;
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;padding-top:.5rem;border-top:1px solid #d0d7de}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
.sev{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-size:.8rem;font-weight:600;text-transform:uppercase}
.critical{background:#ffebe9;color:#a40e26;border:1px solid #ff8182}.warning{background:#fff8c5;color:#7d4e00;border:1px solid #d4a72c}.info{background:#ddf4ff;color:#0550ae;border:1px solid #54aeff}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}.meta{color:#57606a;font-size:.9rem}.change{color:#0969da;font-weight:600}
@media print{body{margin:0;max-width:none}details>summary{list-style:none}pre{white-space:pre-wrap;border:1px solid #d0d7de;background:none}.sev{border:1px solid #000;background:none;color:#000}h2{break-after:avoid}section{break-inside:avoid-page}}";

pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let with_services = s.services_scanned > 0;
    let mut title = format!(
        "kubedoctor: {}, {} of {} unhealthy",
        crate::words::count(report.groups.len() as u64, "problem", "problems"),
        s.pods_unhealthy,
        pods(s.pods_scanned)
    );
    if with_services {
        let _ = write!(
            title,
            ", {} of {} unhealthy",
            s.services_unhealthy,
            services(s.services_scanned)
        );
    }
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">Source: {} · generated {}</p>\n",
        h(&title),
        h(&title),
        h(&report.source.location),
        h(&report.generated_at)
    );
    let _ = writeln!(
        out,
        "<table><thead><tr><th>severity</th><th>problems</th><th>pods</th>{}</tr></thead><tbody>",
        if with_services {
            "<th>Services</th>"
        } else {
            ""
        }
    );
    for c in report.problems_by_severity() {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"sev {0}\">{0}</span></td><td>{1}</td><td>{2}</td>{3}</tr>",
            c.severity.as_str(),
            c.problems,
            c.pods,
            if with_services {
                format!("<td>{}</td>", c.services)
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(out, "</tbody></table>");
    if let Some(line) = change_line(report) {
        let _ = writeln!(out, "<p class=\"change\">Change {}.</p>", h(&line));
        if !report.resolved.is_empty() {
            let _ = writeln!(out, "<ul>");
            for g in &report.resolved {
                let _ = writeln!(
                    out,
                    "<li>resolved: {} (<code>{}</code>, <code>{}</code>), was {}</li>",
                    h(&g.title),
                    h(&g.id),
                    h(&g.key),
                    group_size(g)
                );
            }
            let _ = writeln!(out, "</ul>");
        }
    }
    for g in &report.groups {
        let change = change_label(g)
            .map(|c| format!(" <span class=\"change\">{}</span>", h(&c)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<section>\n<h2><span class=\"sev {0}\">{0}</span> {1} — {2}{change}</h2>\n<p class=\"meta\">cause <code>{3}</code> · key <code>{4}</code> · score {5:.2}</p>\n<p class=\"meta\">{6}</p>",
            g.severity.as_str(),
            h(&g.title),
            group_size(g),
            h(&g.id),
            h(&g.key),
            g.score,
            g.pods
                .iter()
                .map(|p| format!("<code>{}</code>", h(p)))
                .chain(
                    g.services
                        .iter()
                        .map(|s| format!("Service <code>{}</code>", h(s)))
                )
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(f) = report.group_finding(g) {
            let _ = writeln!(out, "<p>{}</p>", prose(&f.explanation()));
            if !f.evidence.is_empty() {
                let body: Vec<String> = f
                    .evidence
                    .iter()
                    .map(|e| {
                        let at =
                            e.at.as_deref()
                                .map(|a| format!(" ({})", h(a)))
                                .unwrap_or_default();
                        format!("[{}] {}{at}", e.source.as_str(), h(&e.text))
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "<details open><summary>Evidence ({})</summary><pre><code>{}</code></pre></details>",
                    crate::words::count(body.len() as u64, "line", "lines"),
                    body.join("\n")
                );
            }
            if !f.fixes.is_empty() {
                let _ = writeln!(out, "<p>Fix:</p><ul>");
                for fix in &f.fixes {
                    let cmd = fix
                        .command
                        .as_deref()
                        .map(|c| format!("<pre><code>{}</code></pre>", h(c)))
                        .unwrap_or_default();
                    let _ = writeln!(out, "<li>{}{cmd}</li>", prose(&fix.text));
                }
                let _ = writeln!(out, "</ul>");
            }
            if let Some(d) = &f.docs {
                // A link the reader may follow; nothing is fetched when the page opens.
                let _ = writeln!(
                    out,
                    "<p class=\"meta\">Docs: <a href=\"{0}\">{0}</a></p>",
                    h(d)
                );
            }
        }
        let _ = writeln!(out, "</section>");
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "<h2>Notes</h2><ul>");
        for n in &report.notes {
            let _ = writeln!(out, "<li>{}</li>", h(n));
        }
        let _ = writeln!(out, "</ul>");
    }
    out.push_str("</body>\n</html>\n");
    out
}
