//! `kubedoctor diagnose`: evidence -> engine -> report -> stdout, exit code from `--fail-on`.

use super::{output, scope};
use crate::cli::DiagnoseArgs;
use crate::engine;
use crate::error::RunError;
use crate::playbook::Playbooks;
use crate::report::{Report, render};
use crate::sources::bundle;
use anyhow::Context as _;
use std::process::ExitCode;

pub fn run(args: DiagnoseArgs) -> Result<ExitCode, RunError> {
    output::setup_color(args.color);
    let playbooks = Playbooks::with_dirs(&args.playbooks).context("invalid playbook")?;
    let Some(from) = &args.from else {
        return Err(RunError::Usage(
            "live cluster access is not available in this build: give an evidence bundle \
             with `--from DIR` (see the README for making one with kubectl)"
                .into(),
        ));
    };
    let mut evidence = bundle::read(from).context("cannot read the evidence")?;
    scope::apply(&mut evidence, &args.scope)?;
    let diagnoses = engine::diagnose(&evidence, &playbooks);
    let report = Report::build(
        evidence.source.clone(),
        diagnoses,
        evidence.notes.clone(),
        jiff::Timestamp::now().to_string(),
    );
    output::write_stdout(&render::render(&report, args.output))
        .context("cannot write the report")?;
    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.worst().is_some_and(|w| w >= t));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
