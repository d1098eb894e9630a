//! `kubedoctor watch`: diagnose pods as they break. A long-running loop over kube's
//! watches of pods, Warning events and nodes ([`streams`]), a pure state machine of pods
//! and problems with the `--settle` debounce ([`tracker`]), a diagnosis of each pod that
//! turned unhealthy and held, gathered as a live `diagnose` of that pod gathers it
//! ([`gather`]), the lines it prints ([`output`]), the bundles of `--capture-dir`
//! ([`capture`]) and the webhook messages ([`notify`]). docs/WATCH.md is its manual.
//!
//! The loop owns all state; gathers run as tasks (at most `--concurrency` at once) whose
//! results come back to it. SIGINT and SIGTERM end it with exit 0 after the diagnoses in
//! flight finish (waiting at most [`GRACE`]), so a capture under way is completed.

pub mod capture;
pub mod gather;
pub mod notify;
pub mod output;
pub mod streams;
pub mod tracker;

use crate::cli::{SelectArgs, WatchArgs};
use crate::commands::live;
use crate::config;
use crate::error::RunError;
use crate::playbook::{Loading, Warm};
use crate::report::GroupReport;
use crate::report::render::paint::Paint;
use crate::sources::cluster::{self, ClusterError, Connection, Target};
use gather::{Context, Diagnosed};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use streams::{Kind, Scope, Update};
use tokio::task::JoinSet;
use tracker::{Change, ProblemId, Tracker};

/// How long a signal waits for the diagnoses (and captures) in flight.
pub const GRACE: Duration = Duration::from_millis(700);

/// How long queued webhook messages get after that.
pub const FLUSH: Duration = Duration::from_millis(250);

pub fn run(args: WatchArgs) -> Result<ExitCode, RunError> {
    let lookup = config::lookup(args.config.as_deref());
    let mut config = match lookup.used() {
        Some(path) => config::load(path)?,
        None => config::Config::default(),
    };
    config.notes.extend(lookup.note);
    for n in &config.notes {
        eprintln!("note: {n}");
    }
    let mut playbook_dirs = args.playbooks.clone();
    playbook_dirs.extend(config.playbooks.iter().cloned());
    for t in &args.scope.pods {
        if crate::commands::select::is_service_target(t) {
            return Err(RunError::Usage(format!(
                "`{t}`: watch follows pods, not Services; watch the Service's namespace (-n) \
                 or its workload instead"
            )));
        }
        if t == "-" {
            return Err(RunError::Usage(
                "watch reads a live cluster; `-` (text on standard input) is for diagnose".into(),
            ));
        }
        Target::parse(t).map_err(RunError::from)?;
    }
    crate::commands::select::check_namespaces(&args.scope)?;
    if args.capture_max == 0 {
        return Err(RunError::Usage("--capture-max must be 1 or more".into()));
    }
    let webhooks = notify::Webhooks::prepare(&args, config.webhook_ca.clone())?;
    if let Some(dir) = &args.capture_dir {
        std::fs::create_dir_all(dir).map_err(RunError::write(&dir.display().to_string()))?;
    }
    let playbooks = Loading::start(playbook_dirs, Warm::Lazily).wait()?;
    let paint = crate::commands::output::stdout_paint(args.color);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    let ctx = Context {
        playbooks,
        config,
        cluster: args.cluster.clone(),
        no_redact: args.no_redact,
        capture_dir: args.capture_dir.clone(),
        // Checked by the command line's target checks before the watch starts.
        targets: args
            .scope
            .pods
            .iter()
            .filter_map(|t| Target::parse(t).ok())
            .collect(),
        exclude_namespaces: args.scope.namespace.is_none(),
    };
    let result = runtime.block_on(watch(args, ctx, paint, webhooks));
    // Tasks still running (a gather past the grace time) are not waited for.
    runtime.shutdown_background();
    result
}

/// The namespace watched: `-n`, none with `-A` or a node target, else the one the targets
/// name, else the context's.
fn namespace(scope: &SelectArgs, default_ns: &str) -> Option<String> {
    if let Some(n) = &scope.namespace {
        return Some(n.clone());
    }
    if scope.all_namespaces {
        return None;
    }
    let targets: Vec<Target> = scope
        .pods
        .iter()
        .filter_map(|t| Target::parse(t).ok())
        .collect();
    if targets.iter().any(|t| matches!(t, Target::Node(_))) {
        return None;
    }
    let named: HashSet<Option<&str>> = targets.iter().map(Target::namespace).collect();
    match named.into_iter().collect::<Vec<_>>().as_slice() {
        [] | [None] => Some(default_ns.to_string()),
        [Some(one)] => Some(one.to_string()),
        _ => None,
    }
}

/// The run loop's state.
struct Loop {
    format: crate::cli::WatchFormat,
    paint: Paint,
    tracker: Tracker,
    /// What each open problem is (from the report that brought it).
    problems: HashMap<ProblemId, GroupReport>,
    /// The STATUS of each unhealthy pod, and its node.
    status: HashMap<String, (String, Option<String>)>,
    /// Warning reasons already seen per unhealthy pod (a new one re-diagnoses it).
    reasons: HashMap<String, HashSet<String>>,
    capture_dir: Option<PathBuf>,
    capture_max: usize,
    webhooks: notify::Webhooks,
    started: bool,
    /// Said on stderr that the API server is gone (until it answers again).
    lost: bool,
    serial: u64,
}

async fn watch(
    args: WatchArgs,
    ctx: Context,
    paint: Paint,
    webhooks: notify::Webhooks,
) -> Result<ExitCode, RunError> {
    let options = live::connect_options(&args.cluster);
    let conn = Arc::new(cluster::connect(&options).await.map_err(RunError::from)?);
    // Watches are long requests: no read timeout on their client (the server ends each
    // within its timeoutSeconds, and kube resumes it).
    let mut watch_options = live::connect_options(&args.cluster);
    watch_options.request_timeout = Some(Duration::ZERO);
    let watch_conn = cluster::connect(&watch_options)
        .await
        .map_err(RunError::from)?;
    let ns = namespace(&args.scope, &conn.default_namespace);
    let mut scope_args = args.scope.clone();
    scope_args.namespace = ns.clone();
    scope_args.all_namespaces = ns.is_none();
    let what = describe(&ns, &args.scope, &conn.server);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    streams::spawn(
        watch_conn.client.clone(),
        Scope {
            namespace: ns.clone(),
            selector: args.scope.selector.clone(),
        },
        tx.clone(),
    );
    let mut tasks = Diagnoses {
        running: JoinSet::new(),
        waiting: VecDeque::new(),
        limit: args.cluster.concurrency.max(1),
        conn: conn.clone(),
        ctx: Arc::new(ctx),
    };
    let mut state = Loop {
        format: args.output,
        paint,
        tracker: Tracker::new(args.settle),
        problems: HashMap::new(),
        status: HashMap::new(),
        reasons: HashMap::new(),
        capture_dir: args.capture_dir.clone(),
        capture_max: args.capture_max,
        webhooks,
        started: false,
        lost: false,
        serial: 0,
    };
    let mut pods_at_start = 0usize;
    let mut signals = Signals::new().map_err(RunError::Runtime)?;
    loop {
        let deadline = state
            .tracker
            .next_deadline()
            .filter(|_| state.started)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            _ = signals.next() => break,
            update = rx.recv() => {
                let Some(update) = update else { break };
                match update {
                    Update::PodsListed { keys, first } => {
                        if first {
                            pods_at_start = keys.len();
                            let broken: Vec<String> = state.status.keys().cloned().collect();
                            if broken.is_empty() {
                                state.start(&what, pods_at_start, Vec::new());
                            } else {
                                // What is broken already: one diagnosis of the scope.
                                tasks.push(scope_args.clone(), String::new(), 0);
                            }
                        } else {
                            let gone: Vec<String> = state.status.keys().filter(|k| !keys.contains(*k)).cloned().collect();
                            for k in gone {
                                state.pod(&k, None);
                            }
                        }
                    }
                    Update::Pod { key, health } => state.pod(&key, health),
                    Update::PodWarning { key, reason } => state.warning(&key, reason),
                    Update::NodeReady { name, ready } => state.node(&name, &ready),
                    Update::Lost { kind, detail } => {
                        if !state.lost {
                            state.lost = true;
                            eprintln!(
                                "warning: lost the API server at {} (the {} watch: {detail}); retrying with backoff",
                                conn.server, kind.name()
                            );
                            spawn_probe(conn.clone(), tx.clone());
                        }
                    }
                    Update::Back => {
                        if state.lost {
                            state.lost = false;
                            eprintln!("note: the API server at {} answers again; watching resumed", conn.server);
                        }
                    }
                    Update::Forbidden { kind: Kind::Pods, detail } => {
                        return Err(RunError::Cluster(ClusterError::Refused {
                            server: conn.server.clone(),
                            context: conn.context.clone(),
                            what: "list and watch pods".into(),
                            detail,
                            hint: "the role needs get, list and watch on pods (docs/WATCH.md)".into(),
                        }));
                    }
                    Update::Forbidden { kind, detail } => eprintln!(
                        "note: cannot watch {} ({detail}): changes to them are not followed; the role needs list and watch on {}",
                        kind.name(), kind.name()
                    ),
                    Update::Relisting { kind } => eprintln!(
                        "note: the {} watch expired (410 Gone): listing them again", kind.name()
                    ),
                    Update::Note(n) => eprintln!("warning: {n}"),
                }
            }
            Some(done) = tasks.running.join_next(), if !tasks.running.is_empty() => {
                if let Ok(d) = done {
                    state.diagnosed(d, &what, pods_at_start);
                }
                tasks.fill();
            }
            _ = tokio::time::sleep_until(deadline.into()) => {}
        }
        if state.started {
            let due = state.tracker.due(Instant::now());
            state.emit_all(due.changes, None);
            for pod in due.diagnose {
                let (namespace, _) = pod.split_once('/').unwrap_or(("", &pod));
                let scope = SelectArgs {
                    pods: vec![pod.clone()],
                    namespace: Some(namespace.to_string()),
                    all_namespaces: false,
                    selector: None,
                };
                state.serial += 1;
                tasks.push(scope, pod, state.serial);
            }
        }
    }
    // A signal: the diagnoses in flight finish (their captures are written), within GRACE.
    let until = tokio::time::Instant::now() + GRACE;
    while !tasks.running.is_empty() {
        match tokio::time::timeout_at(until, tasks.running.join_next()).await {
            Ok(Some(Ok(d))) => state.diagnosed(d, &what, pods_at_start),
            Ok(Some(Err(_))) => {}
            Ok(None) | Err(_) => break,
        }
    }
    tasks.running.abort_all();
    state
        .webhooks
        .flush(tokio::time::Instant::now() + FLUSH)
        .await;
    if let Some(dir) = &state.capture_dir {
        capture::remove_pending(dir);
    }
    Ok(ExitCode::SUCCESS)
}

/// Diagnoses waiting for a free slot, started in the order they were asked for
/// (`--concurrency` at a time).
struct Diagnoses {
    running: JoinSet<Diagnosed>,
    waiting: VecDeque<(SelectArgs, String, u64)>,
    limit: usize,
    conn: Arc<Connection>,
    ctx: Arc<Context>,
}

impl Diagnoses {
    fn push(&mut self, scope: SelectArgs, pod: String, serial: u64) {
        self.waiting.push_back((scope, pod, serial));
        self.fill();
    }

    fn fill(&mut self) {
        while self.running.len() < self.limit
            && let Some((scope, pod, serial)) = self.waiting.pop_front()
        {
            let (conn, ctx) = (self.conn.clone(), self.ctx.clone());
            self.running
                .spawn(async move { gather::diagnose(conn, ctx, scope, pod, serial).await });
        }
    }
}

/// While the API server is gone: asks for `/version` with backoff until it answers (the
/// watches retry on their own; this only tells when to say it is back).
fn spawn_probe(conn: Arc<Connection>, tx: tokio::sync::mpsc::UnboundedSender<Update>) {
    tokio::spawn(async move {
        let mut wait = Duration::from_millis(250);
        loop {
            tokio::time::sleep(wait).await;
            if conn.client.apiserver_version().await.is_ok() {
                let _ = tx.send(Update::Back);
                return;
            }
            wait = (wait * 2).min(Duration::from_secs(10));
        }
    });
}

/// `pods in namespace shop with selector app=web (targets deploy/web) at URL`.
fn describe(ns: &Option<String>, scope: &SelectArgs, server: &str) -> String {
    let mut what = match ns {
        Some(n) => format!("pods in namespace {n}"),
        None => "pods in every namespace".to_string(),
    };
    if let Some(s) = &scope.selector {
        what.push_str(&format!(" with selector {s}"));
    }
    if !scope.pods.is_empty() {
        what.push_str(&format!(" (targets {})", scope.pods.join(" ")));
    }
    what.push_str(&format!(" at {server}"));
    what
}

impl Loop {
    fn start(&mut self, what: &str, pods: usize, problems: Vec<GroupReport>) {
        self.started = true;
        let text = output::start(
            self.format,
            what,
            pods,
            &problems,
            jiff::Timestamp::now(),
            self.paint,
        );
        write(&text);
    }

    /// A pod seen (or gone: `None`).
    fn pod(&mut self, key: &str, health: Option<streams::PodHealth>) {
        let now = Instant::now();
        let changes = match &health {
            None => {
                self.status.remove(key);
                self.reasons.remove(key);
                self.tracker.deleted(key)
            }
            Some(h) => {
                if h.unhealthy {
                    self.status
                        .insert(key.to_string(), (h.status.clone(), h.node.clone()));
                } else {
                    self.status.remove(key);
                    self.reasons.remove(key);
                }
                self.tracker.observe(key, h.unhealthy, &h.status, now)
            }
        };
        self.emit_all(changes, None);
    }

    /// A Warning event about a pod: a reason not seen for it before re-diagnoses it.
    fn warning(&mut self, key: &str, reason: String) {
        if self.tracker.problem_of(key).is_none() {
            return;
        }
        if self
            .reasons
            .entry(key.to_string())
            .or_default()
            .insert(reason)
        {
            self.tracker.recheck(key);
        }
    }

    /// A node's Ready changed: its unhealthy pods are diagnosed again.
    fn node(&mut self, name: &str, _ready: &str) {
        let on_node: Vec<String> = self
            .status
            .iter()
            .filter(|(_, (_, node))| node.as_deref() == Some(name))
            .map(|(k, _)| k.clone())
            .collect();
        for k in on_node {
            self.tracker.recheck(&k);
        }
    }

    fn diagnosed(&mut self, d: Diagnosed, what: &str, pods_at_start: usize) {
        if d.pod.is_empty() {
            // The first diagnosis of the scope: what is broken already.
            let mut already = Vec::new();
            if let Some(report) = &d.report {
                let now = Instant::now();
                for g in &report.groups {
                    let id = ProblemId {
                        cause: g.id.clone(),
                        key: g.key.clone(),
                    };
                    let mut seeded = Vec::new();
                    for p in &g.pods {
                        if let Some((status, _)) = self.status.get(p) {
                            self.tracker.seed(p, status, id.clone(), now);
                            seeded.push(p.clone());
                        }
                    }
                    if seeded.is_empty() {
                        continue;
                    }
                    let mut g = g.clone();
                    g.group.pods = seeded;
                    self.problems.insert(id, g.clone());
                    already.push(g);
                }
            }
            if let Some(e) = &d.error {
                eprintln!(
                    "warning: what is broken already could not be diagnosed ({e}): each unhealthy pod is diagnosed on its own"
                );
            }
            self.start(what, pods_at_start, already);
            return;
        }
        if let Some(e) = &d.error {
            eprintln!(
                "warning: cannot diagnose {} ({e}); tried again when it changes",
                d.pod
            );
        }
        let problem = d.problem();
        if let (Some(p), Some(report)) = (&problem, &d.report)
            && let Some(g) = report
                .groups
                .iter()
                .find(|g| g.id == p.cause && g.key == p.key)
            && !self.problems.contains_key(p)
        {
            self.problems.insert(p.clone(), g.clone());
        }
        let changes = self.tracker.diagnosed(&d.pod, problem);
        self.emit_all(changes, Some(&d));
        if let Some(pending) = &d.bundle
            && pending.exists()
        {
            capture::discard(pending);
        }
    }

    /// Prints each change (and posts it), keeping a pending bundle for a new problem.
    fn emit_all(&mut self, changes: Vec<Change>, diagnosed: Option<&Diagnosed>) {
        for c in changes {
            self.emit(c, diagnosed);
        }
    }

    fn emit(&mut self, change: Change, diagnosed: Option<&Diagnosed>) {
        let at = jiff::Timestamp::now();
        let pod_report = |pod: &str| {
            diagnosed.and_then(|d| d.report.as_ref()).and_then(|r| {
                r.pods
                    .iter()
                    .find(|p| crate::words::qualified(&p.namespace, &p.name) == pod)
            })
        };
        let current = |this: &Self, id: &ProblemId| {
            this.problems.get(id).cloned().map(|mut g| {
                g.group.pods = this.tracker.pods_of(id);
                g
            })
        };
        let (name, pod, problem, previous, onsets) = match &change {
            Change::New { problem, pod } => ("new", pod.clone(), current(self, problem), None, 0),
            Change::Changed {
                problem,
                previous,
                pod,
            } => (
                "changed",
                pod.clone(),
                current(self, problem),
                current(self, previous),
                0,
            ),
            Change::Resolved { problem, pod } => {
                ("resolved", pod.clone(), current(self, problem), None, 0)
            }
            Change::Flapping { pod, onsets } => ("flapping", pod.clone(), None, None, *onsets),
        };
        // A new problem keeps its bundle.
        let mut kept = None;
        if matches!(name, "new" | "changed")
            && let (Some(dir), Some(pending)) =
                (&self.capture_dir, diagnosed.and_then(|d| d.bundle.as_ref()))
        {
            match capture::keep(pending, dir, at, &pod) {
                Ok(path) => {
                    kept = Some(path);
                    for n in capture::prune(dir, self.capture_max) {
                        eprintln!("note: {n}");
                    }
                }
                Err(e) => eprintln!("warning: cannot keep the capture for {pod}: {e}"),
            }
        }
        let report = if matches!(name, "new" | "changed") {
            pod_report(&pod)
        } else {
            None
        };
        let line = output::Line {
            change: name,
            at,
            problem: problem.as_ref(),
            previous: previous.as_ref(),
            pod: &pod,
            pod_report: report,
            capture: kept.as_deref(),
            onsets,
        };
        write(&output::change(self.format, &line, self.paint));
        self.webhooks.post(&line);
        if let Change::Resolved { problem, .. } = &change {
            self.problems.remove(problem);
        }
        if let Change::Changed { previous, .. } = &change
            && self.tracker.pods_of(previous).is_empty()
        {
            self.problems.remove(previous);
        }
    }
}

fn write(text: &str) {
    if let Err(e) = crate::commands::output::write_stdout(text) {
        eprintln!("warning: cannot write to standard output: {e}");
    }
}

/// SIGINT and SIGTERM, listened for from the start (a signal is never missed between two
/// turns of the loop).
struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
