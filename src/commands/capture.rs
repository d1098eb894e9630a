//! `kubedoctor capture`: gather a live scope and write it as an evidence bundle
//! (`diagnose --from DIR` reproduces the report). Its `bundle.json` records the scope so
//! the reader knows which lists are complete (`sources/bundle/scope.rs` reads it back).

use super::live;
use crate::cli::CaptureArgs;
use crate::error::RunError;
use crate::playbook::Playbooks;
use crate::sources::bundle::write::{CaptureInfo, write};
use std::process::ExitCode;

pub fn run(args: CaptureArgs) -> Result<ExitCode, RunError> {
    let playbooks = Playbooks::embedded()?;
    let live::LiveRun {
        mut raw,
        server,
        namespace,
        version,
    } = live::gather(
        &args.scope,
        &args.cluster,
        &playbooks,
        live::Purpose::Capture,
    )?;
    if !args.no_redact {
        raw.redact();
    }
    let scope = scope_line(
        namespace.as_deref(),
        args.scope.selector.as_deref(),
        &args.scope.pods,
    );
    let info = CaptureInfo {
        scope,
        server_version: version,
        kubedoctor_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    write(&args.dir, &raw, &info).map_err(RunError::Bundle)?;
    eprintln!(
        "wrote {} pods, {} logs, {} journals from {server} to {}",
        raw.pods.len(),
        raw.logs.len(),
        raw.journals.len(),
        args.dir.display()
    );
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
