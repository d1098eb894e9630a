//! The JSON report: exactly the contract `kubedoctor.report/v1` (docs/REPORT.md, "JSON report").
//!
//! ```text
//! { "schema", "generated_at", "source": {"kind", "location"},
//!   "summary": {"pods_scanned", "pods_unhealthy", "critical", "warning", "info", "pods_unknown",
//!               "by_namespace", "services_scanned", "services_unhealthy"},
//!   "groups": [{"id", "title", "severity", "score", "key", "pods", "services"}],
//!   "pods": [{"namespace", "name", "status", "node", "owner",
//!             "findings": [{"id", "title", "severity", "score", "explain",
//!                           "evidence": [{"source", "text", "at"?}],
//!                           "fixes": [{"text", "command"?}], "docs"?, "detail"?}]}],
//!   "services": [{"namespace", "name", "type", "findings": [...as for pods]}],
//!   "notes": [...] }
//! ```
//! `pods`, `services` and `findings` are ranked best first; the order is deterministic.
//! Fields are only ever added to v1 (`detail` and the Services were), never changed or
//! removed.

use crate::report::Report;

/// Pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}
