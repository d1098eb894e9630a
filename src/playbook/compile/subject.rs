//! A cause reads the fields of its file's subject only: a `subject: service` file reads
//! `service.*` fields and nothing of a pod (its events, logs, containers, node); a pod file
//! reads no `service.*` field.

use super::{Cause, Matcher};
use crate::playbook::SubjectKind;

/// Checks every matcher of a cause (`when`, `boost`, fixes' `when`) against the subject.
pub fn check(subject: SubjectKind, cause: &Cause) -> Result<(), String> {
    let matchers = cause
        .when
        .iter()
        .chain(cause.boost.iter().map(|(m, _)| m))
        .chain(cause.fixes.iter().flat_map(|f| f.when.iter()))
        .chain(cause.severity_by.iter().flat_map(|r| r.when.iter()));
    for m in matchers {
        walk(m, subject)?;
    }
    Ok(())
}

fn walk(m: &Matcher, subject: SubjectKind) -> Result<(), String> {
    let field = match m {
        Matcher::All(ms) | Matcher::Any(ms) => {
            return ms.iter().try_for_each(|m| walk(m, subject));
        }
        Matcher::Not(m) | Matcher::Known(m) => return walk(m, subject),
        Matcher::Event(_) => None,
        Matcher::Text { field, .. }
        | Matcher::Flag { field, .. }
        | Matcher::AtLeast { field, .. } => Some(*field),
    };
    let of_service = field.is_some_and(|f| f.of_service());
    match subject {
        SubjectKind::Service if !of_service => Err(format!(
            "a `subject: service` file reads only `service.*` fields, not `{}`",
            field.map_or("event", |f| f.name())
        )),
        SubjectKind::Pod if of_service => Err(format!(
            "`{}` is a field of Services: put the cause in a `subject: service` file",
            field.map_or("event", |f| f.name())
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::playbook::compile::compile_file;

    #[test]
    fn service_fields_are_refused_in_pod_files_and_pod_fields_in_service_files() {
        let cause = |when: &str| {
            format!(
                "causes:\n  - id: x.y\n    title: t\n    severity: info\n    confidence: 0.5\n    when: [{when}]\n    explain: e\n"
            )
        };
        let pod_file = format!(
            "status: [Running]\nsummary: s\n{}",
            cause("{service.selector: true}")
        );
        let err =
            compile_file("a.yaml", &pod_file).expect_err("a pod file reading a service field");
        assert!(err.to_string().contains("subject: service"), "{err}");
        let svc_file = format!(
            "subject: service\nsummary: s\n{}",
            cause("{pod.phase: Running}")
        );
        let err =
            compile_file("b.yaml", &svc_file).expect_err("a service file reading a pod field");
        assert!(err.to_string().contains("service.*"), "{err}");
        let ok = format!(
            "subject: service\nsummary: s\n{}",
            cause("{service.selector: true}")
        );
        assert!(compile_file("c.yaml", &ok).is_ok());
    }
}
