//! Live cluster runs for `diagnose` and `capture`: connecting, the plan of what to fetch
//! (from the playbooks), the progress bar, and mapping failures to exit code 3.

use crate::cli::{ClusterArgs, SelectArgs};
use crate::error::RunError;
use crate::evidence::{Container, Pod};
use crate::playbook::Playbooks;
use crate::sources::cluster::{
    self, ConnectOptions, GatherSpec, Overrides, Plan, Progress, Target,
};
use crate::sources::raw::Gathered;
use crate::status::pod_status_at;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// What to fetch, decided by the playbooks: logs only for pods whose status is served by a
/// playbook with a cause that reads logs.
pub struct PlaybookPlan<'a>(pub &'a Playbooks);

impl Plan for PlaybookPlan<'_> {
    fn unhealthy(&self, pod: &Pod, now: Option<jiff::Timestamp>) -> bool {
        !pod_status_at(pod, now).healthy
    }

    fn wants_logs(&self, pod: &Pod, now: Option<jiff::Timestamp>) -> bool {
        let status = pod_status_at(pod, now);
        self.0
            .files
            .iter()
            .any(|f| f.serves(&status.keys) && f.reads_logs())
    }

    fn logs_of(&self, container: &Container) -> (bool, bool) {
        crate::status::logs_of(container)
    }

    fn restarted_recently(&self, container: &Container, now: Option<jiff::Timestamp>) -> bool {
        crate::status::restarted_recently(container, now)
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    pub fn new() -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Bar(Some(bar))
    }
}

impl Progress for Bar {
    fn stage(&self, message: &str) {
        if let Some(b) = &self.0 {
            b.set_message(message.to_string());
            b.tick();
        }
    }
    fn start(&self, message: &str, total: u64) {
        if let Some(b) = &self.0 {
            b.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.set_length(total);
            b.set_position(0);
            b.set_message(message.to_string());
        }
    }
    fn step(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// The namespace a run's lists cover (`None`: every namespace): `-n`; every namespace with
/// `-A`, a node target or targets in several namespaces; else the one the targets are in
/// (`shop/web-1` lists `shop`), else the context's (`default_ns`).
fn gathered_namespace(
    scope: &SelectArgs,
    targets: &[Target],
    default_ns: Option<String>,
) -> Option<String> {
    if let Some(n) = &scope.namespace {
        return Some(n.clone());
    }
    if scope.all_namespaces || targets.iter().any(|t| matches!(t, Target::Node(_))) {
        return None;
    }
    let mut named = targets.iter().map(Target::namespace);
    match named.next() {
        None => default_ns,
        Some(first) if named.all(|n| n == first) => first.map(str::to_string),
        Some(_) => None,
    }
}

/// What a live run gathered.
pub struct LiveRun {
    pub raw: Gathered,
    /// The API server URL.
    pub server: String,
    /// The namespace gathered (`None`: all namespaces), resolved from `-n`, `-A`, a node
    /// target and the context's namespace.
    pub namespace: Option<String>,
    /// `/version` of the server, when asked for (capture).
    pub version: Option<String>,
}

/// Why a scope is gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A diagnosis: logs only where a cause reads them; `local_journal` when the user
    /// attaches one (the node log query is then skipped).
    Diagnose { local_journal: bool },
    /// A bundle: every unhealthy container's logs, objects as the API returned them, and
    /// the server version.
    Capture,
}

/// Connects once and gathers a scope.
pub fn gather(
    scope_args: &SelectArgs,
    cluster_args: &ClusterArgs,
    playbooks: &Playbooks,
    purpose: Purpose,
) -> Result<LiveRun, RunError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    runtime.block_on(async {
        let conn = cluster::connect(&connect_options(cluster_args))
            .await
            .map_err(RunError::from)?;
        gather_on(&conn, scope_args, cluster_args, playbooks, purpose).await
    })
}

/// Gathers a scope on a connection already made (`watch` gathers each pod that turns
/// unhealthy this way).
pub async fn gather_on(
    conn: &cluster::Connection,
    scope_args: &SelectArgs,
    cluster_args: &ClusterArgs,
    playbooks: &Playbooks,
    purpose: Purpose,
) -> Result<LiveRun, RunError> {
    let capture = purpose == Purpose::Capture;
    let have_journal = matches!(
        purpose,
        Purpose::Diagnose {
            local_journal: true
        }
    );
    let mut targets = scope_args
        .pods
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(RunError::from)?;
    {
        // A target without a namespace is looked for in `-n`, else the context's; with `-A`
        // in every namespace.
        let default_ns = match (&scope_args.namespace, scope_args.all_namespaces) {
            (Some(n), _) => Some(n.clone()),
            (None, true) => None,
            (None, false) => Some(conn.default_namespace.clone()),
        };
        for t in &mut targets {
            t.default_namespace(default_ns.as_deref());
        }
        let namespace = gathered_namespace(scope_args, &targets, default_ns);
        let scope = GatherSpec {
            namespace: namespace.clone(),
            selector: scope_args.selector.clone(),
            targets,
            concurrency: cluster_args.concurrency,
            journal: !cluster_args.no_node_journal && !have_journal,
            all_logs: capture,
            keep_api_objects: capture,
        };
        let bar = Bar::new();
        let mut raw = cluster::gather(conn, &scope, &PlaybookPlan(playbooks), &bar)
            .await
            .map_err(RunError::from)?;
        // A namespace (or selector) without pods is a note, so a typo shows: with the
        // nearest namespace when the namespace does not exist.
        if raw.pods.is_empty() && scope.targets.is_empty() {
            let near = match namespace.as_deref() {
                Some(ns) => match cluster::namespaces(conn).await {
                    Ok(names) if !names.iter().any(|n| n == ns) => {
                        super::select::nearest_namespace(ns, names.iter().map(String::as_str))
                    }
                    // Listed and there, or not listable (403): no suggestion.
                    _ => None,
                },
                None => None,
            };
            raw.notes.push(super::select::empty_note(
                namespace.as_deref(),
                scope.selector.as_deref(),
                &[],
                near,
            ));
        }
        // Other namespaces' Services the pods' addresses name, one GET each; then the
        // healthy clients of a broken Service: their logs, in a second round.
        let mut lists = super::client_logs::Lists::new(&raw);
        let names = lists.to_look_up();
        if !names.is_empty() {
            let looked = cluster::look_up_services(conn, names, scope.concurrency).await;
            lists.looked_up(&looked.found, &looked.absent);
            raw.services_elsewhere = looked.found;
            raw.services_absent = looked.absent;
            raw.notes.extend(looked.notes);
        }
        let clients = lists.clients(playbooks, &raw.logs);
        if !clients.is_empty() {
            let (logs, notes) =
                cluster::fetch_current_logs(conn, clients, scope.concurrency, &bar).await;
            raw.logs.extend(logs);
            cluster::sort_logs(&mut raw.logs);
            raw.logs_gathered = true;
            raw.notes.extend(notes);
        }
        let version = if capture {
            cluster::server_version(conn).await
        } else {
            None
        };
        Ok(LiveRun {
            raw,
            server: conn.server.clone(),
            namespace,
            version,
        })
    }
}

pub fn connect_options(args: &ClusterArgs) -> ConnectOptions {
    // kubectl takes an empty flag value as no flag.
    let c = &args.connection;
    let text = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let file = |v: &Option<std::path::PathBuf>| v.clone().filter(|p| !p.as_os_str().is_empty());
    ConnectOptions {
        kubeconfig: file(&c.kubeconfig),
        context: text(&c.context),
        request_timeout: Some(args.request_timeout),
        overrides: Overrides {
            cluster: text(&c.cluster),
            user: text(&c.user),
            server: text(&c.server),
            token: c
                .token
                .as_ref()
                .filter(|t| !t.0.is_empty())
                .map(|t| t.0.clone().into()),
            certificate_authority: file(&c.certificate_authority),
            client_certificate: file(&c.client_certificate),
            client_key: file(&c.client_key),
            insecure_skip_tls_verify: c.insecure_skip_tls_verify,
            tls_server_name: text(&c.tls_server_name),
            impersonate: text(&c.as_user),
            impersonate_groups: c
                .as_group
                .iter()
                .filter(|g| !g.is_empty())
                .cloned()
                .collect(),
            impersonate_uid: text(&c.as_uid),
        },
    }
}
