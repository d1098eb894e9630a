//! Gathering a scope of the cluster into a [`RawBundle`] with few requests.

use super::ClusterError;
use super::call::{CallError, call};
use super::connect::Connection;
use super::list::{Listed, list_all, path};
use super::targets::{Target, selector_string};
use crate::evidence::Pod;
use crate::sources::objects::convert;
use crate::sources::raw::{ApiObjects, LogText, RawBundle};
use futures::StreamExt;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::Api;
use kube::api::LogParams;
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;

/// Log bounds per container.
const TAIL_LINES: i64 = 500;
const LIMIT_BYTES: i64 = 1024 * 1024;
/// Journal bounds per node.
const JOURNAL_TAIL_LINES: u32 = 2000;
const JOURNAL_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(2);

/// What the command layer decides from the playbooks, so sources need not know them.
pub trait Plan: Sync {
    /// True when a pod is not healthy (its containers' logs and node journal may matter).
    fn unhealthy(&self, pod: &Pod) -> bool;
    /// True when a cause that could explain the pod reads logs (a Pending pod needs none).
    fn wants_logs(&self, pod: &Pod) -> bool;
}

/// Progress reports (a progress bar on a terminal; nothing otherwise).
pub trait Progress: Sync {
    fn stage(&self, _message: &str) {}
    fn start(&self, _message: &str, _total: u64) {}
    fn step(&self) {}
    fn finish(&self) {}
}

/// What to gather.
#[derive(Debug, Clone)]
pub struct Scope {
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub selector: Option<String>,
    pub targets: Vec<Target>,
    pub concurrency: usize,
    /// Ask nodes for their kubelet journal (node log query API).
    pub journal: bool,
    /// Gather logs of every unhealthy container regardless of the plan (capture).
    pub all_logs: bool,
    /// Keep every object's JSON as the API returned it (capture writes it).
    pub keep_api_objects: bool,
}

/// Gathers the scope.
pub async fn gather(
    conn: &Connection,
    scope: &Scope,
    plan: &dyn Plan,
    progress: &dyn Progress,
) -> Result<RawBundle, ClusterError> {
    let mut notes = Vec::new();
    let ns_label = scope
        .namespace
        .as_deref()
        .map_or("all namespaces".to_string(), |n| format!("namespace `{n}`"));

    // Pods (the one list that must succeed), events and nodes, listed concurrently, each
    // item converted as its page arrives.
    progress.stage("listing pods, events and nodes");
    let keep_raw = scope.keep_api_objects;
    let ns = scope.namespace.as_deref();
    let pods_fut = async {
        let mut pods: Vec<Pod> = Vec::new();
        let mut raw = Vec::new();
        let mut bad = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for query in pod_queries(conn, scope).await? {
            let listed = list_all(
                conn,
                &path("v1", "pods", ns),
                query.label.as_deref(),
                query.field.as_deref(),
                keep_raw,
                convert::pod,
            )
            .await
            .map_err(|e| {
                refused(
                    conn,
                    &format!("list pods in {ns_label}"),
                    e,
                    "list",
                    "pods",
                    scope,
                )
            })?;
            bad.extend(listed.bad);
            let mut raw_items = listed.raw.into_iter();
            for p in listed.items {
                let r = raw_items.next();
                if query.keeps(&p) && seen.insert((p.namespace.clone(), p.name.clone())) {
                    pods.push(p);
                    raw.extend(r);
                }
            }
        }
        Ok::<_, ClusterError>((pods, raw, bad))
    };
    let events_path = path("v1", "events", ns);
    let events_fut = list_all(conn, &events_path, None, None, keep_raw, convert::event);
    let nodes_fut = list_all(conn, "/api/v1/nodes", None, None, keep_raw, convert::node);
    let (pods, events, nodes, server_now) =
        tokio::join!(pods_fut, events_fut, nodes_fut, server_time(conn));
    let (pods, raw_pods, bad_pods) = pods?;
    let mut api_objects = keep_raw.then(|| ApiObjects {
        pods: raw_pods,
        ..Default::default()
    });
    notes.extend(bad_pods.into_iter().map(|b| format!("{b}; skipped")));
    let events = listed_or_note(
        events,
        &mut notes,
        api_objects.as_mut().map(|a| &mut a.events),
        note(format!("events in {ns_label}"), "list", "events", ns),
    );
    let nodes = listed_or_note(
        nodes,
        &mut notes,
        api_objects.as_mut().map(|a| &mut a.nodes),
        note("nodes".into(), "list", "nodes", None),
    );

    // What the unhealthy pods need.
    let unhealthy: Vec<usize> = (0..pods.len())
        .filter(|&i| plan.unhealthy(&pods[i]))
        .collect();
    // ReplicaSets: owners of unhealthy pods, or controllers reporting errors without pods.
    let needs_rs = unhealthy.iter().any(|&i| {
        pods[i]
            .owner
            .as_ref()
            .is_some_and(|o| o.kind == "replicaset")
    }) || events
        .iter()
        .flatten()
        .any(|(e, io)| e.type_ == "Warning" && io.kind == "ReplicaSet");
    let needs_pvc = unhealthy
        .iter()
        .any(|&i| pods[i].volumes.iter().any(|(_, v)| v.starts_with("pvc/")));
    let replicasets = if needs_rs {
        progress.stage("listing replicasets");
        let listed = list_all(
            conn,
            &path("apps/v1", "replicasets", ns),
            None,
            None,
            keep_raw,
            |rs: ReplicaSet| rs,
        )
        .await;
        listed_or_note(
            listed,
            &mut notes,
            api_objects.as_mut().map(|a| &mut a.replicasets),
            note(
                format!("replicasets in {ns_label}"),
                "list",
                "replicasets",
                ns,
            ),
        )
    } else {
        None
    };
    let pvcs = if needs_pvc {
        progress.stage("listing persistentvolumeclaims");
        let listed = list_all(
            conn,
            &path("v1", "persistentvolumeclaims", ns),
            None,
            None,
            keep_raw,
            convert::claim,
        )
        .await;
        listed_or_note(
            listed,
            &mut notes,
            api_objects.as_mut().map(|a| &mut a.pvcs),
            note(
                format!("persistentvolumeclaims in {ns_label}"),
                "list",
                "persistentvolumeclaims",
                ns,
            ),
        )
    } else {
        None
    };

    // Logs and journals, `concurrency` at a time.
    let mut fetches: Vec<Fetch> = Vec::new();
    for &i in &unhealthy {
        let p = &pods[i];
        if !(scope.all_logs || plan.wants_logs(p)) {
            continue;
        }
        for c in p.all_containers().filter(|c| !c.is_healthy()) {
            let Some(st) = &c.status else {
                continue;
            };
            let waiting_first_start = matches!(
                &st.state,
                crate::evidence::ContainerState::Waiting { reason, .. } if reason.as_deref() != Some("CrashLoopBackOff")
            ) && st.restart_count == 0;
            if !waiting_first_start {
                fetches.push(Fetch::Log(
                    p.namespace.clone(),
                    p.name.clone(),
                    c.name.clone(),
                    false,
                ));
            }
            if st.restart_count > 0 {
                fetches.push(Fetch::Log(
                    p.namespace.clone(),
                    p.name.clone(),
                    c.name.clone(),
                    true,
                ));
            }
        }
    }
    if scope.journal {
        let nodes_of: BTreeSet<String> = unhealthy
            .iter()
            .filter_map(|&i| pods[i].node_name.clone())
            .collect();
        for n in nodes_of {
            let pods_on: Vec<String> = unhealthy
                .iter()
                .map(|&i| &pods[i])
                .filter(|p| p.node_name.as_deref() == Some(n.as_str()))
                .map(|p| regex::escape(&p.name))
                .collect();
            fetches.push(Fetch::Journal(n, pods_on));
        }
    }
    let logs_gathered = fetches.iter().any(|f| matches!(f, Fetch::Log(..)));
    progress.start("logs and journals", fetches.len() as u64);
    let results: Vec<FetchResult> =
        futures::stream::iter(fetches.into_iter().map(|f| async move {
            let r = fetch(conn, f).await;
            progress.step();
            r
        }))
        .buffer_unordered(scope.concurrency.max(1))
        .collect()
        .await;
    progress.finish();
    let mut logs = Vec::new();
    let mut journals = Vec::new();
    let mut forbidden_logs = BTreeSet::new();
    for r in results {
        match r {
            FetchResult::Log(l) => logs.push(l),
            FetchResult::Journal(node, text) => journals.push((node, text)),
            FetchResult::LogForbidden(ns, what) => {
                if forbidden_logs.insert(ns.clone()) {
                    notes.push(format!(
                        "logs of {what} unavailable: 403 forbidden (needs get on pods/log in namespace `{ns}`); causes that read logs score lower"
                    ));
                }
            }
            FetchResult::Note(n) => notes.push(n),
            FetchResult::Nothing => {}
        }
    }
    logs.sort_by(|a, b| {
        (&a.namespace, &a.pod, &a.container, a.previous).cmp(&(
            &b.namespace,
            &b.pod,
            &b.container,
            b.previous,
        ))
    });
    journals.sort();
    Ok(RawBundle {
        pods,
        events: events.map(crate::sources::raw::GatheredEvents::Listed),
        nodes,
        replicasets,
        pvcs,
        logs,
        logs_gathered,
        journals,
        // The server's clock, not this machine's: ages and "recent" restarts are measured
        // against the cluster's own timestamps.
        captured_at: Some(server_now.unwrap_or_else(jiff::Timestamp::now)),
        notes,
        api_objects,
    })
}

/// One LIST of pods: its label and field selectors, and which of the listed pods it keeps.
struct PodQuery {
    label: Option<String>,
    field: Option<String>,
    keep: Keep,
}

/// What a pod query keeps of what the server listed.
enum Keep {
    All,
    /// Pods with these names (several pod targets: one list, filtered here).
    Names(Vec<String>),
    /// Pods of the Jobs a CronJob created (`<cronjob>-<scheduled time>`).
    CronJob(String),
}

impl PodQuery {
    fn keeps(&self, p: &Pod) -> bool {
        match &self.keep {
            Keep::All => true,
            Keep::Names(names) => names.contains(&p.name),
            Keep::CronJob(cronjob) => p.owner.as_ref().is_some_and(|o| {
                o.kind == "job"
                    && crate::sources::objects::join::cronjob_of_job(&o.name)
                        == Some(cronjob.as_str())
            }),
        }
    }
}

/// The pod lists to make: one per workload or node target, and one for the pod names.
async fn pod_queries(conn: &Connection, scope: &Scope) -> Result<Vec<PodQuery>, ClusterError> {
    let mut queries = Vec::new();
    let names: Vec<String> = scope
        .targets
        .iter()
        .filter_map(|t| match t {
            Target::Pod(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    let with_selector = |labels: String| match &scope.selector {
        Some(s) => format!("{labels},{s}"),
        None => labels,
    };
    for t in &scope.targets {
        match t {
            Target::Pod(_) => {}
            Target::Node(n) => queries.push(PodQuery {
                label: scope.selector.clone(),
                field: Some(format!("spec.nodeName={n}")),
                keep: Keep::All,
            }),
            Target::Workload(kind, name) => {
                let ns = scope
                    .namespace
                    .clone()
                    .unwrap_or_else(|| conn.default_namespace.clone());
                let labels = workload_selector(conn, kind, name, &ns).await?;
                queries.push(PodQuery {
                    label: Some(with_selector(labels)),
                    field: None,
                    keep: if kind == "cronjob" {
                        Keep::CronJob(name.clone())
                    } else {
                        Keep::All
                    },
                });
            }
        }
    }
    match names.as_slice() {
        [] if queries.is_empty() => queries.push(PodQuery {
            label: scope.selector.clone(),
            field: None,
            keep: Keep::All,
        }),
        [] => {}
        [one] => queries.push(PodQuery {
            label: scope.selector.clone(),
            field: Some(format!("metadata.name={one}")),
            keep: Keep::All,
        }),
        _ => queries.push(PodQuery {
            label: scope.selector.clone(),
            field: None,
            keep: Keep::Names(names),
        }),
    }
    Ok(queries)
}

async fn workload_selector(
    conn: &Connection,
    kind: &str,
    name: &str,
    ns: &str,
) -> Result<String, ClusterError> {
    if kind == "cronjob" {
        // Pods carry no label of their CronJob: select every Job's pods (`job-name`) and let
        // the scope keep those whose Job the CronJob created.
        let api: Api<CronJob> = Api::namespaced(conn.client.clone(), ns);
        call(conn.timeout, || api.get(name)).await.map_err(|e| {
            ClusterError::Target(format!(
                "cannot read {kind}/{name} in namespace `{ns}`: {e}"
            ))
        })?;
        return Ok("job-name".to_string());
    }
    let labels = match kind {
        "deployment" => {
            get_selector::<Deployment>(conn, ns, name, |d| d.spec.map(|s| s.selector)).await
        }
        "statefulset" => {
            get_selector::<StatefulSet>(conn, ns, name, |d| d.spec.map(|s| s.selector)).await
        }
        "daemonset" => {
            get_selector::<DaemonSet>(conn, ns, name, |d| d.spec.map(|s| s.selector)).await
        }
        "replicaset" => {
            get_selector::<ReplicaSet>(conn, ns, name, |d| d.spec.map(|s| s.selector)).await
        }
        _ => get_selector::<Job>(conn, ns, name, |d| d.spec.and_then(|s| s.selector)).await,
    };
    let selector = labels.map_err(|e| {
        ClusterError::Target(format!(
            "cannot read {kind}/{name} in namespace `{ns}`: {e}"
        ))
    })?;
    let match_labels = selector.and_then(|s| s.match_labels).unwrap_or_default();
    if match_labels.is_empty() {
        return Err(ClusterError::Target(format!(
            "{kind}/{name} has no matchLabels selector"
        )));
    }
    Ok(selector_string(&match_labels))
}

/// One GET of a workload, returning its pod selector.
async fn get_selector<K>(
    conn: &Connection,
    ns: &str,
    name: &str,
    selector: impl Fn(K) -> Option<LabelSelector>,
) -> Result<Option<LabelSelector>, CallError>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug,
    <K as kube::Resource>::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(conn.client.clone(), ns);
    call(conn.timeout, || api.get(name)).await.map(selector)
}

/// A note for a failed optional call, given what was asked for.
fn note(
    what: String,
    verb: &'static str,
    resource: &'static str,
    ns: Option<&str>,
) -> impl FnOnce(&CallError) -> String {
    let scope = ns.map_or(" cluster-wide".to_string(), |n| {
        format!(" in namespace `{n}`")
    });
    move |e| match e {
        CallError::Forbidden(_) => format!(
            "cannot read {what}: 403 forbidden (needs {verb} on {resource}{scope}); they were not used"
        ),
        CallError::Timeout => format!("reading {what} timed out; they were not used"),
        other => format!("cannot read {what}: {other}; they were not used"),
    }
}

/// The items of an optional LIST, or `None` with a note when it failed; items that did not
/// decode are notes too, and with `raw` the items' JSON is kept.
fn listed_or_note<U>(
    listed: Result<Listed<U>, CallError>,
    notes: &mut Vec<String>,
    raw: Option<&mut Option<Vec<Box<serde_json::value::RawValue>>>>,
    note: impl FnOnce(&CallError) -> String,
) -> Option<Vec<U>> {
    match listed {
        Ok(l) => {
            notes.extend(l.bad.into_iter().map(|b| format!("{b}; skipped")));
            if let Some(r) = raw {
                *r = Some(l.raw);
            }
            Some(l.items)
        }
        Err(e) => {
            notes.push(note(&e));
            None
        }
    }
}

fn refused(
    conn: &Connection,
    what: &str,
    e: CallError,
    verb: &str,
    resource: &str,
    scope: &Scope,
) -> ClusterError {
    match e {
        CallError::Unreachable(detail) => ClusterError::Unreachable {
            server: conn.server.clone(),
            context: conn.context.clone(),
            detail,
            hint: "the server URL and network access (`kubectl cluster-info`), VPN or proxy",
        },
        CallError::Timeout => ClusterError::Unreachable {
            server: conn.server.clone(),
            context: conn.context.clone(),
            detail: "no answer within the request timeout".into(),
            hint: "the server URL and network access, or raise --request-timeout",
        },
        CallError::Unauthorized(detail) => ClusterError::Refused {
            server: conn.server.clone(),
            context: conn.context.clone(),
            what: what.into(),
            detail: format!("401 unauthorized: {detail}"),
            hint: "the credentials of the context (an expired token or certificate; `kubectl auth whoami`)".into(),
        },
        CallError::Forbidden(detail) => ClusterError::Refused {
            server: conn.server.clone(),
            context: conn.context.clone(),
            what: what.into(),
            detail: format!("403 forbidden: {detail}"),
            hint: format!(
                "the user needs {verb} on {resource}{} (`kubectl auth can-i {verb} {resource}{}`); see the README for a read-only ClusterRole",
                scope.namespace.as_deref().map_or(" cluster-wide".to_string(), |n| format!(" in namespace `{n}`")),
                scope.namespace.as_deref().map_or(" -A".to_string(), |n| format!(" -n {n}")),
            ),
        },
        other => ClusterError::Refused {
            server: conn.server.clone(),
            context: conn.context.clone(),
            what: what.into(),
            detail: other.to_string(),
            hint: "the API server's health (`kubectl get --raw /readyz`)".into(),
        },
    }
}

enum Fetch {
    /// (namespace, pod, container, previous)
    Log(String, String, String, bool),
    /// (node, names of the unhealthy pods on it)
    Journal(String, Vec<String>),
}

enum FetchResult {
    Log(LogText),
    Journal(String, String),
    LogForbidden(String, String),
    Note(String),
    Nothing,
}

async fn fetch(conn: &Connection, f: Fetch) -> FetchResult {
    match f {
        Fetch::Log(ns, pod, container, previous) => {
            let api: Api<k8s_openapi::api::core::v1::Pod> =
                Api::namespaced(conn.client.clone(), &ns);
            let lp = LogParams {
                container: Some(container.clone()),
                previous,
                tail_lines: Some(TAIL_LINES),
                limit_bytes: Some(LIMIT_BYTES),
                ..Default::default()
            };
            match call(conn.timeout, || api.logs(&pod, &lp)).await {
                Ok(text) => FetchResult::Log(LogText {
                    namespace: ns,
                    pod,
                    container,
                    previous,
                    text,
                    skipped_bytes: 0,
                }),
                Err(CallError::Forbidden(_)) => {
                    FetchResult::LogForbidden(ns.clone(), format!("{ns}/{pod}/{container}"))
                }
                // 400: no log (yet) for this instance; not worth a note.
                Err(CallError::Other(m)) if m.starts_with("400") => FetchResult::Nothing,
                Err(e) => FetchResult::Note(format!(
                    "{}logs of {ns}/{pod}/{container} unavailable: {e}",
                    if previous { "previous " } else { "" }
                )),
            }
        }
        Fetch::Journal(node, pods) => {
            let since = jiff::Timestamp::now()
                .checked_sub(JOURNAL_WINDOW)
                .map(|t| t.to_string())
                .unwrap_or_default();
            // Error and warning lines, and lines about the unhealthy pods on this node.
            let mut pattern = r"^[EW]\d{4} |\blevel=(error|warning)\b".to_string();
            for p in &pods {
                pattern.push('|');
                pattern.push_str(p);
            }
            let url = format!(
                "/api/v1/nodes/{node}/proxy/logs/?query=kubelet&tailLines={JOURNAL_TAIL_LINES}&sinceTime={}&pattern={}",
                urlencode(&since),
                urlencode(&pattern)
            );
            let client = conn.client.clone();
            let result = call(conn.timeout, || {
                let req = http::Request::get(url.clone())
                    .body(Vec::new())
                    .expect("valid request");
                let client = client.clone();
                async move { client.request_text(req).await }
            })
            .await;
            match result {
                Ok(text) if text.contains("<a href=") || text.trim_start().starts_with("<pre>") => {
                    FetchResult::Note(format!(
                        "the kubelet journal of node `{node}` is not available: the node log query is not enabled (kubelet feature gate NodeLogQuery and enableSystemLogQuery); attach one with --journal"
                    ))
                }
                Ok(text) => FetchResult::Journal(node, text),
                Err(CallError::Forbidden(_)) => FetchResult::Note(format!(
                    "the kubelet journal of node `{node}` is not available: 403 forbidden (needs get on nodes/proxy, which also allows exec through the kubelet: grant it with care, or attach a journal with --journal)"
                )),
                Err(e) => FetchResult::Note(format!(
                    "the kubelet journal of node `{node}` is not available: {e}"
                )),
            }
        }
    }
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The API server's clock: the `Date` header of its answer to `GET /version`.
async fn server_time(conn: &Connection) -> Option<jiff::Timestamp> {
    let request = http::Request::get("/version")
        .body(kube::client::Body::empty())
        .ok()?;
    let response = call_raw(conn.timeout, conn.client.send(request)).await?;
    let date = response.headers().get(http::header::DATE)?.to_str().ok()?;
    jiff::fmt::rfc2822::parse(date).ok().map(|z| z.timestamp())
}

/// A raw request within the timeout (zero: no limit); `None` when it failed.
async fn call_raw<T, E>(
    timeout: std::time::Duration,
    request: impl std::future::Future<Output = Result<T, E>>,
) -> Option<T> {
    if timeout.is_zero() {
        return request.await.ok();
    }
    tokio::time::timeout(timeout, request).await.ok()?.ok()
}

/// The server's version (`/version`), for a capture's `bundle.json`.
pub async fn server_version(conn: &Connection) -> Option<String> {
    call(conn.timeout, || conn.client.apiserver_version())
        .await
        .ok()
        .map(|v| v.git_version)
}
