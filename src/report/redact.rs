//! Redaction of a report's free text (explanations, evidence, fixes, notes) before any
//! format renders it (see [`crate::redact`]): the findings of pods and of Services alike,
//! problem titles, notes and where the evidence came from (`source.location`, a URL that
//! may carry a password).

use crate::engine::Finding;
use crate::redact::in_place;

/// Redacts every free text of a report.
pub fn report(r: &mut super::Report) {
    let pods = r.pods.iter_mut().flat_map(|p| p.findings.iter_mut());
    let services = r.services.iter_mut().flat_map(|s| s.findings.iter_mut());
    for f in pods.chain(services) {
        finding(f);
    }
    for n in &mut r.notes {
        in_place(n);
    }
    for g in r.groups.iter_mut().chain(r.resolved.iter_mut()) {
        in_place(&mut g.group.title);
    }
    in_place(&mut r.source.location);
}

/// Redacts the free text of one finding.
fn finding(f: &mut Finding) {
    in_place(&mut f.title);
    in_place(&mut f.explain);
    for said in &mut f.said {
        in_place(said);
    }
    if let Some(d) = &mut f.detail {
        in_place(d);
    }
    for e in &mut f.evidence {
        in_place(&mut e.text);
    }
    for fix in &mut f.fixes {
        in_place(&mut fix.text);
        if let Some(c) = &mut fix.command {
            in_place(c);
        }
    }
    if let Some(t) = &mut f.tell_apart {
        in_place(t);
    }
}
