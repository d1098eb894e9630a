//! `kubedoctor capture`: gather a live scope and write it as an evidence bundle
//! (`diagnose --from DIR` reproduces the report). Its `bundle.json` records the scope so
//! the reader knows which lists are complete (`sources/bundle/scope.rs` reads it back).
//! A Service target captures its namespace whole, as a live `diagnose` of it gathers (its
//! clients may be any pod there), once the Service is known to exist; `diagnose --from DIR
//! svc/NAME` narrows the bundle the same way. The bundle is whole and alone: written beside
//! `--dir` and renamed into place, never mixed with an earlier capture.

use super::{live, select};
use crate::cli::CaptureArgs;
use crate::error::RunError;
use crate::playbook::Playbooks;
use crate::sources::bundle::write::{CaptureInfo, write};
use std::process::ExitCode;

pub fn run(args: CaptureArgs) -> Result<ExitCode, RunError> {
    // Refused before the cluster is asked anything.
    if !args.force && crate::sources::bundle::write::holds_files(&args.dir) {
        return Err(RunError::Usage(format!(
            "`{}` is not empty: a capture is written into an empty or new directory \
             (`--force` replaces it whole)",
            args.dir.display()
        )));
    }
    let playbooks = Playbooks::embedded()?;
    let gathered = select::gather_scope(&args.scope)?;
    let live::LiveRun {
        mut raw,
        server,
        namespace,
        version,
    } = live::gather(&gathered, &args.cluster, &playbooks, live::Purpose::Capture)?;
    select::check_services(
        &raw.services,
        &raw.services_listed,
        crate::evidence::SourceKind::Cluster,
        &args.scope,
    )?;
    if !args.no_redact {
        raw.redact();
    }
    let scope = scope_line(
        namespace.as_deref(),
        gathered.selector.as_deref(),
        &gathered.pods,
    );
    let info = CaptureInfo {
        scope,
        server_version: version,
        kubedoctor_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    write(&args.dir, &raw, &info).map_err(RunError::Bundle)?;
    eprintln!(
        "wrote {}, {}, {} from {server} to {}",
        crate::words::count(raw.pods.len() as u64, "pod", "pods"),
        crate::words::count(raw.logs.len() as u64, "log", "logs"),
        crate::words::count(raw.journals.len() as u64, "journal", "journals"),
        args.dir.display()
    );
    let services: Vec<&String> = args
        .scope
        .pods
        .iter()
        .filter(|t| select::is_service_target(t))
        .collect();
    if !services.is_empty() {
        let targets: Vec<&str> = args.scope.pods.iter().map(String::as_str).collect();
        eprintln!(
            "{}: the bundle holds {} whole (a Service's clients may be any pod there); \
             `{} {}` narrows it to the targets",
            services
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            namespace.as_deref().map_or_else(
                || "every namespace".to_string(),
                |n| format!("namespace `{n}`")
            ),
            crate::invocation::command(&format!("diagnose --from {}", args.dir.display())),
            targets.join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The scope as `bundle.json` records it: `all namespaces` or `namespace NAME`, then
/// `, selector SELECTOR` and `, targets T1 T2` when the pods were narrowed.
fn scope_line(namespace: Option<&str>, selector: Option<&str>, targets: &[String]) -> String {
    let mut scope = match namespace {
        None => "all namespaces".to_string(),
        Some(n) => format!("namespace {n}"),
    };
    if let Some(s) = selector {
        scope.push_str(", selector ");
        scope.push_str(s);
    }
    if !targets.is_empty() {
        scope.push_str(", targets ");
        scope.push_str(&targets.join(" "));
    }
    scope
}

#[cfg(test)]
mod tests {
    use super::scope_line;

    #[test]
    fn the_scope_line_names_the_namespace_and_what_narrowed_the_pods() {
        assert_eq!(scope_line(None, None, &[]), "all namespaces");
        assert_eq!(scope_line(Some("shop"), None, &[]), "namespace shop");
        assert_eq!(
            scope_line(Some("shop"), Some("app=web"), &["deploy/web".into()]),
            "namespace shop, selector app=web, targets deploy/web"
        );
    }
}
