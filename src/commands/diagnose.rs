//! `kubedoctor diagnose` (and `report`): evidence -> engine (pods, then Services) -> report
//! -> stdout, exit code from `--fail-on`. Every delivery (report, metrics file, webhooks) is
//! tried; the first failure in that order is the exit code.

use super::{output, select};
use crate::cli::DiagnoseArgs;
use crate::config;
use crate::engine;
use crate::error::RunError;
use crate::evidence::Evidence;
use crate::playbook::{Loading, PlaybookError, Playbooks, Warm};
use crate::report::render::TextLayout;
use crate::report::render::paint::Paint;
use crate::report::{Report, baseline, redact, render};
use crate::sinks::file::atomic_write;
use crate::sources::read;
use crate::sources::text::{self, Input, Role};
use crate::sources::{bundle, dump};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(mut args: DiagnoseArgs, layout: TextLayout) -> Result<ExitCode, RunError> {
    let started = std::time::Instant::now();
    // The configuration fills what the command line leaves unset.
    let lookup = config::lookup(args.config.as_deref());
    let mut config = match lookup.used() {
        Some(path) => config::load(path)?,
        None => config::Config::default(),
    };
    config.notes.extend(lookup.note);
    args.playbooks.extend(config.playbooks.iter().cloned());
    args.output = args.output.or(config.output);
    args.fail_on = args.fail_on.or(config.fail_on);
    args.webhook_ca = args.webhook_ca.or(config.webhook_ca.clone());
    let outbound = super::notify::prepare(&mut args)?;
    let metrics = args.prometheus_file.clone();
    let push = super::notify::Pushgateway::of(&args);
    let mut report_made = false;
    let result = scan(args, layout, &config, &outbound, started, &mut report_made);
    // A run that made no report still says so to Prometheus: success 0, the time of the run,
    // the last success carried over (in the file; a Pushgateway keeps it: only the metrics
    // pushed are replaced).
    if let (Err(e), false) = (&result, report_made)
        && matches!(e.exit_code(), 2 | 3)
    {
        if let Some(path) = &metrics {
            let previous = std::fs::read_to_string(path).ok();
            let text = render::prometheus::failed_run(jiff::Timestamp::now(), previous.as_deref());
            if let Err(w) = atomic_write(path, text.as_bytes()) {
                eprintln!("warning: cannot write {}: {w}", path.display());
            }
        }
        if push.url.is_some() {
            let text = render::prometheus::failed_run(jiff::Timestamp::now(), None);
            if let Err(w) = super::notify::push_metrics(&text, &push, http::Method::POST, &outbound)
            {
                eprintln!("warning: {}", crate::error::one_line(&w));
            }
        }
    }
    result
}

/// Everything after the configuration: evidence, engine, report, then its deliveries (the
/// report file or stdout, the metrics file, the webhooks), each tried whatever the one
/// before did; the first that failed decides the exit code, the others are said too.
fn scan(
    mut args: DiagnoseArgs,
    layout: TextLayout,
    config: &config::Config,
    outbound: &super::notify::Outbound,
    started: std::time::Instant,
    report_made: &mut bool,
) -> Result<ExitCode, RunError> {
    // Text is read while the playbooks compile: that thread has time to compile the log
    // patterns too.
    let source = text_source(&mut args);
    let warm = match source {
        Some(_) => Warm::LogPatterns,
        None => Warm::Lazily,
    };
    let loading = Loading::start(args.playbooks.clone(), warm);
    // The first run of a cron job has no baseline yet: every problem is new.
    let mut baseline_note = None;
    let previous = match args.baseline.as_deref() {
        Some(path) if !path.exists() => {
            baseline_note = Some(format!(
                "no baseline at `{}` yet: every problem counts as new",
                path.display()
            ));
            Some(baseline::Baseline {
                groups: Vec::new(),
                revision: baseline::GROUPING_REVISION,
            })
        }
        Some(path) => Some(baseline::load(path).map_err(RunError::Baseline)?),
        None => None,
    };
    let (gathered, playbooks) = gather(&args, source, loading);
    // A broken playbook is the first thing to say: it would break every run.
    let playbooks = playbooks?;
    let mut evidence = gathered?;
    let narrowing = select::apply(&mut evidence, &args.scope)?;
    // Excluded namespaces are left out unless the command names one.
    if args.scope.namespace.is_none() {
        config.exclude_from(&mut evidence);
    }
    let (mut diagnoses, mut services) = engine::diagnose_all(&evidence, &playbooks);
    narrowing.after_engine(&mut diagnoses, &services);
    evidence
        .notes
        .extend(narrowing.healthy_notes(&diagnoses, &services));
    let now = jiff::Timestamp::now();
    let scanned = diagnoses.len();
    // The pods' `kubedoctor.io/ignore` annotations silence as the configuration's rules do.
    let (annotated, malformed) = crate::silence::annotation::rules(&evidence.pods);
    let silenced = config.silence(
        annotated,
        &mut diagnoses,
        &mut services,
        now.to_zoned(jiff::tz::TimeZone::UTC).date(),
    );
    let silenced_pods = scanned - diagnoses.len();
    let silenced_services = silenced.services;
    for n in &silenced.expired {
        eprintln!("warning: {n}");
    }
    let mut report = Report::build(
        evidence.source.clone(),
        diagnoses,
        services,
        evidence
            .notes
            .iter()
            .cloned()
            .chain(config.notes.iter().cloned())
            .chain(silenced.expired)
            .chain(silenced.applied)
            .chain(malformed)
            .collect(),
        now.to_string(),
    );
    // The report owns what it needs. Freeing a large evidence object by object takes a tenth
    // of a second that nobody waits for: a thread does it while the report renders (its
    // memory is reused for the output), and a process that ends first does not wait for it.
    std::thread::spawn(move || drop(evidence));
    // Silenced pods and Services were scanned; they are only left out of what is reported.
    report.summary.pods_scanned += silenced_pods;
    report.summary.services_scanned += silenced_services;
    report.duration_seconds = Some(started.elapsed().as_secs_f64());
    report.notes.extend(baseline_note);
    if !args.no_redact {
        redact::report(&mut report);
    }
    if let Some(prev) = previous {
        baseline::compare(&mut report, prev);
    }
    let paint = match args.output_file {
        Some(_) => output::file_paint(args.color),
        None => output::stdout_paint(args.color),
    };
    let format = args.output.unwrap_or_default();
    // `--only-new` narrows what a person reads; the machine formats stay whole (the JSON
    // report is the next baseline).
    let text = if args.only_new && format.for_people() {
        render::render(&report.only_new(), format, layout, paint)
    } else {
        render::render(&report, format, layout, paint)
    };
    *report_made = true;
    let written = match &args.output_file {
        Some(path) => atomic_write(path, text.as_bytes())
            .map_err(RunError::write(&path.display().to_string())),
        None => output::write_stdout(&text).map_err(RunError::write("the report")),
    };
    // A webhook that does not take the report is exit 4, named by its host; a file that
    // could not be written does not keep the message from being posted. The webhooks go
    // before the metrics, which say how each delivery went.
    let posted = super::notify::post_all(&report, &args, outbound);
    let mut metrics_failures: Vec<RunError> = Vec::new();
    if args.prometheus_file.is_some() || args.pushgateway.is_some() {
        let mut prom = render::render(&report, render::Format::Prometheus, layout, Paint::PLAIN);
        let mut sinks = vec![("report", written.is_ok())];
        if !args.webhook.is_empty() {
            sinks.push(("webhook", posted.is_ok()));
        }
        render::prometheus::deliveries(&mut prom, &sinks);
        if let Some(path) = &args.prometheus_file {
            let written = atomic_write(path, prom.as_bytes())
                .map_err(RunError::write(&path.display().to_string()));
            metrics_failures.extend(written.err());
        }
        // A report's metrics replace the group's (PUT).
        let to = super::notify::Pushgateway::of(&args);
        metrics_failures
            .extend(super::notify::push_metrics(&prom, &to, http::Method::PUT, outbound).err());
    }
    // The exit code is the first failure in the documented order: the report, the metrics,
    // the webhooks.
    let failures: Vec<RunError> = written
        .err()
        .into_iter()
        .chain(metrics_failures)
        .chain(posted.err())
        .collect();
    let mut failures = failures.into_iter();
    if let Some(first) = failures.next() {
        for later in failures {
            eprintln!("error: {}", crate::error::one_line(&later));
        }
        return Err(first);
    }
    let code = if failed(&report, &args) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends with this command: freeing the report, its text and the playbooks
    // (with their regex caches) object by object takes a tenth of a second on a large
    // cluster that only delays the exit. The evidence is freed on a thread above.
    std::mem::forget(report);
    std::mem::forget(playbooks);
    std::mem::forget(text);
    Ok(code)
}

/// `--fail-on`: a top finding of a pod or Service at or above the threshold (only in new
/// groups with `--only-new`).
fn failed(report: &Report, args: &DiagnoseArgs) -> bool {
    args.fail_on
        .and_then(|f| f.threshold())
        .is_some_and(|threshold| report.fails_on(threshold, args.only_new))
}

/// The evidence: a bundle directory, or text files (a positional `-` means stdin); and the
/// playbooks, compiled meanwhile (a live run waits for them: they decide what to fetch).
fn gather(
    args: &DiagnoseArgs,
    source: Option<Result<TextSource, RunError>>,
    loading: Loading,
) -> (Result<Evidence, RunError>, Result<Playbooks, PlaybookError>) {
    let Some(source) = source else {
        let playbooks = loading.wait();
        let evidence = match &playbooks {
            Ok(p) => live(args, p),
            Err(_) => Err(RunError::Usage("the playbooks did not load".into())),
        };
        return (evidence, playbooks);
    };
    let evidence = source.and_then(|s| s.read());
    (evidence, loading.wait())
}

/// What a run reads instead of a cluster.
enum TextSource {
    Bundle(PathBuf),
    Text {
        main: Option<PathBuf>,
        attachments: [(Vec<PathBuf>, Role); 5],
    },
}

impl TextSource {
    fn read(self) -> Result<Evidence, RunError> {
        match self {
            TextSource::Bundle(dir) if dump::is_dump_dir(&dir) => {
                dump::read_dir(&dir).map_err(RunError::Source)
            }
            TextSource::Bundle(dir) => bundle::read(&dir).map_err(RunError::Source),
            TextSource::Text { main, attachments } => read_text(main.as_deref(), &attachments),
        }
    }
}

/// The bundle or text files a run reads, or `None` for a live run.
fn text_source(args: &mut DiagnoseArgs) -> Option<Result<TextSource, RunError>> {
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
        (args.logs.clone(), Role::Logs),
        (args.previous_logs.clone(), Role::PreviousLogs),
        (args.events.clone(), Role::Events),
        (args.node.clone(), Role::Node),
        (args.journal.clone(), Role::Journal),
    ];
    let attached = attachments.iter().any(|(files, _)| !files.is_empty());
    // `--journal` alone is text to read, unless the command names something live to attach
    // it to (a target, a namespace, a connection flag such as a context or kubeconfig).
    let live_intent = !args.scope.pods.is_empty()
        || args.scope.namespace.is_some()
        || args.scope.all_namespaces
        || args.scope.selector.is_some()
        || args.cluster.connection.given();
    let Some(from) = from else {
        let only_journal =
            args.journal.len() == attachments.iter().map(|(f, _)| f.len()).sum::<usize>();
        if attached && (!only_journal || !live_intent) {
            return Some(Ok(TextSource::Text {
                main: None,
                attachments,
            }));
        }
        return None;
    };
    if from.is_dir() {
        if attached {
            return Some(Err(RunError::Usage(
                "`--logs`, `--events`, `--node` and `--journal` attach text to a text input; \
                 put the files into the bundle directory instead"
                    .into(),
            )));
        }
        return Some(Ok(TextSource::Bundle(from)));
    }
    Some(Ok(TextSource::Text {
        main: Some(from),
        attachments,
    }))
}

fn read_text(
    main: Option<&Path>,
    attachments: &[(Vec<PathBuf>, Role)],
) -> Result<Evidence, RunError> {
    let mut inputs = Vec::new();
    let mut notes = Vec::new();
    if let Some(m) = main {
        // `kubectl cluster-info dump` printed to a file or piped in is read whole, as a dump.
        let head = match dump::sniff(m) {
            dump::Sniffed::Dump { path, input } => {
                if attachments.iter().any(|(files, _)| !files.is_empty()) {
                    return Err(RunError::Usage(
                        "`--logs`, `--events`, `--node` and `--journal` attach text to a text \
                         input, not to a `kubectl cluster-info dump`"
                            .into(),
                    ));
                }
                return dump::read_stream(input, &path).map_err(RunError::Source);
            }
            dump::Sniffed::Text(head) => head,
        };
        inputs.push(load(m, Role::Auto, &head, &mut notes)?);
    }
    for (files, role) in attachments {
        for f in files.iter() {
            inputs.push(load(f, *role, &[], &mut notes)?);
        }
    }
    let mut evidence = text::read(&inputs)?;
    evidence.notes.extend(notes);
    Ok(evidence)
}

/// Reads a text input of any size and encoding: logs and journals as their last 4 MiB,
/// other text as its last 64 MiB (with a note when more was there). `head`: bytes already
/// taken from standard input.
fn load(path: &Path, role: Role, head: &[u8], notes: &mut Vec<String>) -> Result<Input, RunError> {
    let max = match role {
        Role::Logs | Role::PreviousLogs | Role::Journal => read::DEFAULT_TAIL_BYTES,
        _ => read::TEXT_TAIL_BYTES,
    };
    let (text, skipped) = if path == Path::new("-") {
        read::read_tail_from(std::io::Read::chain(head, std::io::stdin().lock()), max).map_err(
            |source| {
                RunError::Source(crate::sources::SourceError::Io {
                    path: "-".into(),
                    source,
                })
            },
        )?
    } else {
        read::read_tail(path, max).map_err(RunError::Source)?
    };
    // A binary file (an image, an archive, a core dump) is refused at once, not parsed.
    if let Some(percent) = read::binary_share(&text) {
        return Err(RunError::Source(crate::sources::SourceError::Binary {
            path: path.to_path_buf(),
            percent,
        }));
    }
    if skipped > 0 {
        notes.push(format!(
            "`{}` is large: only its last {} MiB were read ({skipped} bytes before them skipped)",
            path.display(),
            max / (1024 * 1024)
        ));
    }
    Ok(Input {
        name: path.display().to_string(),
        text,
        role,
    })
}

/// A live cluster: gather, attach a local journal if one was given, convert.
fn live(args: &DiagnoseArgs, playbooks: &Playbooks) -> Result<Evidence, RunError> {
    let super::live::LiveRun {
        mut raw, server, ..
    } = super::live::gather(
        // A Service target gathers its whole namespace; `select` narrows afterwards.
        &select::gather_scope(&args.scope)?,
        &args.cluster,
        playbooks,
        super::live::Purpose::Diagnose {
            local_journal: !args.journal.is_empty(),
        },
    )?;
    for f in &args.journal {
        let text = load(f, Role::Journal, &[], &mut raw.notes)?.text;
        // The journal belongs to the node it names, else to the first unhealthy pod's node.
        let host = text::journal::parse(&text).into_iter().find_map(|e| e.host);
        let node = host.or_else(|| {
            raw.pods
                .iter()
                .find(|p| !crate::status::pod_status(p).healthy && p.node_name.is_some())
                .and_then(|p| p.node_name.clone())
        });
        raw.journals.push((node.unwrap_or_default(), text));
    }
    Ok(raw.into_evidence(crate::evidence::SourceInfo {
        kind: crate::evidence::SourceKind::Cluster,
        location: server,
    }))
}
