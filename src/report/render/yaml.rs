//! The report as YAML (`-o yaml`): the JSON contract `kubedoctor.report/v1` field for field
//! and in the same order, as `kubectl get -o yaml` is its `-o json` in another notation
//! (`tests/reports.rs` reads both back and compares them).

use crate::report::Report;

/// The report written as YAML, ending in a newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_saphyr::to_string(report).expect("a report always serializes");
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
