//! `kubedoctor capture`: gather a live scope and write it as an evidence bundle
//! (`diagnose --from DIR` reproduces the report).

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
    let scope = match (&args.scope.namespace, args.scope.all_namespaces) {
        (_, true) => "all namespaces".to_string(),
        (Some(n), _) => format!("namespace {n}"),
        (None, false) => "the context's namespace".to_string(),
    };
    let scope = if args.scope.pods.is_empty() {
        scope
    } else {
        format!("{scope}, targets {}", args.scope.pods.join(" "))
    };
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
