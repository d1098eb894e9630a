//! Redaction of a report's free text (explanations, evidence, fixes, notes) before any
//! format renders it (see [`crate::redact`]).

use crate::redact::in_place;

/// Redacts every free text of a report.
pub fn report(r: &mut super::Report) {
    for p in &mut r.pods {
        for f in &mut p.findings {
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
    }
    for n in &mut r.notes {
        in_place(n);
    }
}
