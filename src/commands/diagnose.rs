//! `kubedoctor diagnose`: evidence -> engine -> report -> stdout, exit code from `--fail-on`.

use super::{output, scope};
use crate::cli::DiagnoseArgs;
use crate::engine;
use crate::error::RunError;
use crate::evidence::Evidence;
use crate::playbook::Playbooks;
use crate::report::{Report, render};
use crate::sources::bundle;
use crate::sources::text::{self, Input, Role};
use anyhow::Context as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(mut args: DiagnoseArgs) -> Result<ExitCode, RunError> {
    output::setup_color(args.color);
    let playbooks = Playbooks::with_dirs(&args.playbooks).context("invalid playbook")?;
    let mut evidence = gather(&mut args, &playbooks)?;
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

/// The evidence: a bundle directory, or text files (a positional `-` means stdin).
fn gather(args: &mut DiagnoseArgs, playbooks: &Playbooks) -> Result<Evidence, RunError> {
    let stdin_pos = args.scope.pods.iter().position(|p| p == "-");
    if let Some(i) = stdin_pos {
        args.scope.pods.remove(i);
    }
    let from = match (&args.from, stdin_pos) {
        (Some(f), _) => Some(f.clone()),
        (None, Some(_)) => Some(PathBuf::from("-")),
        (None, None) => None,
    };
    let attachments = [
        (&args.logs, Role::Logs),
        (&args.previous_logs, Role::PreviousLogs),
        (&args.events, Role::Events),
        (&args.node, Role::Node),
        (&args.journal, Role::Journal),
    ];
    let attached = attachments.iter().any(|(files, _)| !files.is_empty());
    let Some(from) = from else {
        if attached && args.journal.len() < attachments.iter().map(|(f, _)| f.len()).sum::<usize>()
        {
            return read_text(None, &attachments);
        }
        return live(args, playbooks);
    };
    if from.is_dir() {
        if attached {
            return Err(RunError::Usage(
                "`--logs`, `--events`, `--node` and `--journal` attach text to a text input; \
                 put the files into the bundle directory instead"
                    .into(),
            ));
        }
        return Ok(bundle::read(&from).context("cannot read the evidence")?);
    }
    read_text(Some(&from), &attachments)
}

fn read_text(
    main: Option<&Path>,
    attachments: &[(&Vec<PathBuf>, Role)],
) -> Result<Evidence, RunError> {
    let mut inputs = Vec::new();
    if let Some(m) = main {
        inputs.push(load(m, Role::Auto)?);
    }
    for (files, role) in attachments {
        for f in files.iter() {
            inputs.push(load(f, *role)?);
        }
    }
    Ok(text::read(&inputs).map_err(anyhow::Error::from)?)
}

fn load(path: &Path, role: Role) -> Result<Input, RunError> {
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        buf
    } else {
        std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?
    };
    Ok(Input {
        name: path.display().to_string(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
        role,
    })
}

/// A live cluster: gather, attach a local journal if one was given, convert.
fn live(args: &DiagnoseArgs, playbooks: &Playbooks) -> Result<Evidence, RunError> {
    let (mut raw, server) = super::live::gather(
        &args.scope,
        &args.cluster,
        playbooks,
        false,
        !args.journal.is_empty(),
    )?;
    for f in &args.journal {
        let text = load(f, Role::Journal)?.text;
        // The journal belongs to the node it names, else to the first unhealthy pod's node.
        let host = text::journal::parse(&text).into_iter().find_map(|e| e.host);
        let node = host.or_else(|| {
            raw.pods
                .iter()
                .find_map(|p| p.spec.as_ref().and_then(|s| s.node_name.clone()))
        });
        raw.journals.push((node.unwrap_or_default(), text));
    }
    Ok(raw.into_evidence(crate::evidence::SourceInfo {
        kind: crate::evidence::SourceKind::Cluster,
        location: server,
    }))
}
