//! Gathering a cluster into a [`Gathered`] with few requests: the lists (pods, events,
//! nodes, Services, EndpointSlices (Endpoints on a cluster without slices),
//! ServiceAccounts, the cluster DNS and kube-proxy pods when the pod list does not hold
//! them; ReplicaSets, Jobs and claims only when an unhealthy pod uses them) and the logs and
//! journals the plan asks for, `concurrency` at a time, as soon as the pods are listed.
//! With targets, the events are only those their diagnosis reads ([`events`]), listed
//! once the pods are, beside the logs.
//! Failed optional calls become notes; errors that stop the run become [`ClusterError`]s
//! naming what to check.

use super::ClusterError;
use super::call::{CallError, call};
use super::connect::Connection;
use super::events;
use super::fetch::{AVAILABLE, Fetch, FetchResult, fetch, journal_notes};
use super::list::{Listed, list_all, path};
use super::plan::{Cluster, GatherSpec, Plan, Progress, fetches};
use super::queries::pod_queries;
use crate::evidence::{Listed as ListedNamespaces, Pod};
use crate::sources::objects::services::{self, SYSTEM_NAMESPACE, SYSTEM_PODS_SELECTOR};
use crate::sources::objects::{convert, json};
use crate::sources::raw::{ApiObjects, Gathered, LogText};
use futures::StreamExt;
use k8s_openapi::api::apps::v1::ReplicaSet;
use std::collections::BTreeSet;

/// Gathers the scope.
pub async fn gather(
    conn: &Connection,
    scope: &GatherSpec,
    plan: &dyn Plan,
    progress: &dyn Progress,
) -> Result<Gathered, ClusterError> {
    let mut notes = Vec::new();
    let ns_label = scope
        .namespace
        .as_deref()
        .map_or("all namespaces".to_string(), |n| format!("namespace `{n}`"));

    // Pods (the one list that must succeed), events and nodes, listed concurrently, each
    // item converted as its page arrives.
    progress.stage("listing pods, events, nodes and services");
    let keep_raw = scope.keep_api_objects;
    let ns = scope.namespace.as_deref();
    // What every list of the scope covers, and whether the pod list holds every pod there.
    let mut in_scope = ListedNamespaces::default();
    match ns {
        Some(n) => in_scope.add(n),
        None => in_scope.all = true,
    }
    let pods_complete = scope.selector.is_none() && scope.targets.is_empty();
    let covered = |whole: bool| {
        if whole {
            in_scope.clone()
        } else {
            ListedNamespaces::default()
        }
    };
    let pods_fut = async {
        let mut pods: Vec<Pod> = Vec::new();
        let mut raw = Vec::new();
        let mut bad = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut workload_namespaces = Vec::new();
        for query in pod_queries(conn, scope).await? {
            workload_namespaces.extend(query.workload_namespace.clone());
            let listed = list_all(
                conn,
                &path("v1", "pods", query.namespace.as_deref()),
                query.label.as_deref(),
                query.field.as_deref(),
                keep_raw,
                json(convert::pod),
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
            // `raw[i]` is `items[i]`'s JSON (an undecodable pod is a note, not written).
            let mut raw_items = listed.raw.into_iter();
            for p in listed.items {
                let r = raw_items.next();
                if query.keeps(&p) && seen.insert((p.namespace.clone(), p.name.clone())) {
                    pods.push(p);
                    raw.extend(r);
                }
            }
        }
        Ok::<_, ClusterError>((pods, raw, bad, workload_namespaces))
    };
    // Targets: only the events their diagnosis reads, once their pods are listed.
    let targeted = !scope.targets.is_empty();
    let events_path = path("v1", "events", ns);
    let events_fut = async {
        if targeted {
            return None;
        }
        Some(
            list_all(
                conn,
                &events_path,
                None,
                None,
                keep_raw,
                convert::decode_event,
            )
            .await,
        )
    };
    let nodes_fut = list_all(
        conn,
        "/api/v1/nodes",
        None,
        None,
        keep_raw,
        json(convert::node),
    );
    // Services, their endpoints and ServiceAccounts: one list each for the scope.
    let services_path = path("v1", "services", ns);
    let services_fut = list_all(
        conn,
        &services_path,
        None,
        None,
        keep_raw,
        json(services::service),
    );
    let endpoints_fut = async {
        let slices = list_all(
            conn,
            &path("discovery.k8s.io/v1", "endpointslices", ns),
            None,
            None,
            keep_raw,
            json(services::endpoint_slice),
        )
        .await;
        match slices {
            // A cluster without EndpointSlices (before 1.21): the Endpoints objects.
            Err(e) if e.status() == Some(404) => {
                let endpoints = list_all(
                    conn,
                    &path("v1", "endpoints", ns),
                    None,
                    None,
                    keep_raw,
                    json(services::endpoints),
                )
                .await;
                (false, endpoints)
            }
            slices => (true, slices),
        }
    };
    let accounts_path = path("v1", "serviceaccounts", ns);
    let accounts_fut = list_all(
        conn,
        &accounts_path,
        None,
        None,
        keep_raw,
        json(services::service_account),
    );
    // Cluster DNS and kube-proxy, which clients depend on: unless the pod list holds them.
    let system_in_pods = pods_complete && ns.is_none_or(|n| n == SYSTEM_NAMESPACE);
    let system_path = path("v1", "pods", Some(SYSTEM_NAMESPACE));
    let system_fut = async {
        if system_in_pods {
            return None;
        }
        Some(
            list_all(
                conn,
                &system_path,
                Some(SYSTEM_PODS_SELECTOR),
                None,
                keep_raw,
                json(convert::pod),
            )
            .await,
        )
    };
    // The logs and journals the unhealthy pods need follow from the pods alone: they are
    // fetched as soon as the pods are listed, while the (longer) event list goes on.
    // The journals need the nodes (none is asked that cannot answer) and the server's clock
    // (their window); both come well before the events.
    let pods_then_logs = async {
        let (pods, nodes, server_now) = tokio::join!(pods_fut, nodes_fut, server_time(conn));
        let (pods, raw, bad, workload_namespaces) = pods?;
        let event_queries = targeted.then(|| {
            events::queries(
                &scope.targets,
                &pods,
                workload_namespaces.iter().map(String::as_str),
            )
        });
        let unhealthy: Vec<usize> = (0..pods.len())
            .filter(|&i| plan.unhealthy(&pods[i], server_now))
            .collect();
        let listed_nodes = nodes.as_ref().ok().map(|l| l.items.as_slice());
        let cluster = Cluster {
            now: server_now,
            nodes: listed_nodes,
        };
        let (fetches, journal_notes) = fetches(&pods, &unhealthy, plan, scope, cluster);
        let logs_gathered = fetches.iter().any(|f| matches!(f, Fetch::Log(..)));
        let target_events = async {
            match event_queries {
                Some(q) => Some(events::list(conn, q, keep_raw, scope.concurrency).await),
                None => None,
            }
        };
        let (fetched, target_events) = tokio::join!(
            fetch_all(conn, fetches, scope.concurrency, progress),
            target_events
        );
        Ok::<_, ClusterError>((
            (
                pods,
                raw,
                bad,
                unhealthy,
                logs_gathered,
                fetched,
                target_events,
            ),
            nodes,
            server_now,
            journal_notes,
        ))
    };
    let joined = tokio::join!(
        pods_then_logs,
        events_fut,
        services_fut,
        endpoints_fut,
        accounts_fut,
        system_fut
    );
    let (pods, events, service_list, endpoint_list, accounts, system) = joined;
    let (slices, endpoint_list) = endpoint_list;
    let (pods, nodes, server_now, journal_notes) = pods?;
    notes.extend(journal_notes);
    let (pods, raw_pods, bad_pods, unhealthy, logs_gathered, fetched, target_events) = pods;
    let events = events
        .or(target_events)
        .unwrap_or_else(|| Ok(Default::default()));
    let mut api_objects = keep_raw.then(|| ApiObjects {
        pods: raw_pods,
        ..Default::default()
    });
    let pods_listed = covered(pods_complete && bad_pods.is_empty());
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

    let (services, services_whole) = listed_whole(
        service_list,
        &mut notes,
        api_objects.as_mut().map(|a| &mut a.services),
        note(format!("services in {ns_label}"), "list", "services", ns),
    );
    let (endpoints, endpoints_whole) = if slices {
        listed_whole(
            endpoint_list,
            &mut notes,
            api_objects.as_mut().map(|a| &mut a.endpointslices),
            note(
                format!("endpointslices in {ns_label}"),
                "list",
                "endpointslices.discovery.k8s.io",
                ns,
            ),
        )
    } else {
        listed_whole(
            endpoint_list,
            &mut notes,
            api_objects.as_mut().map(|a| &mut a.endpoints),
            note(format!("endpoints in {ns_label}"), "list", "endpoints", ns),
        )
    };
    let (service_accounts, accounts_whole) = listed_whole(
        accounts,
        &mut notes,
        api_objects.as_mut().map(|a| &mut a.serviceaccounts),
        note(
            format!("serviceaccounts in {ns_label}"),
            "list",
            "serviceaccounts",
            ns,
        ),
    );
    let system_pods = system.and_then(|listed| {
        listed_or_note(
            listed,
            &mut notes,
            api_objects.as_mut().map(|a| &mut a.system_pods),
            note(
                format!(
                    "the cluster DNS and kube-proxy pods (`{SYSTEM_PODS_SELECTOR}` in namespace `{SYSTEM_NAMESPACE}`)"
                ),
                "list",
                "pods",
                Some(SYSTEM_NAMESPACE),
            ),
        )
    });

    // ReplicaSets: owners of unhealthy pods, or controllers reporting errors without pods.
    let needs_rs = unhealthy.iter().any(|&i| {
        pods[i]
            .owner
            .as_ref()
            .is_some_and(|o| o.kind == "replicaset")
    }) || events
        .iter()
        .flatten()
        // A ReplicaSet placeholder needs its object to resolve the Deployment.
        .any(|(e, io)| {
            io.kind == "ReplicaSet"
                && crate::status::placeholder::stands_for_missing_pods(&e.type_, &io.kind)
        });
    // Jobs: owners of unhealthy pods, with their CronJobs' other runs (`jobs.rs`).
    let jobs = if super::jobs::needed(&pods, &unhealthy) {
        progress.stage("listing jobs");
        let listed = super::jobs::list(conn, ns, &pods, keep_raw).await;
        let raw = api_objects.as_mut().map(|a| &mut a.jobs);
        listed_or_note(
            listed,
            &mut notes,
            raw,
            note(format!("jobs in {ns_label}"), "list", "jobs.batch", ns),
        )
    } else {
        None
    };
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
            json(|rs: ReplicaSet| rs),
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
            json(convert::claim),
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

    let (mut logs, mut journals) = sort_out(fetched, &mut notes);
    sort_logs(&mut logs);
    journals.sort();
    Ok(Gathered {
        pods,
        events: events.map(crate::sources::raw::GatheredEvents::Listed),
        nodes,
        replicasets,
        jobs,
        pvcs,
        services: services.unwrap_or_default(),
        services_listed: covered(services_whole),
        endpoints: endpoints.into_iter().flatten().flatten().collect(),
        endpoints_listed: covered(endpoints_whole),
        service_accounts: service_accounts.unwrap_or_default(),
        service_accounts_listed: covered(accounts_whole),
        pods_listed,
        system_pods: system_pods.unwrap_or_default(),
        // Looked up after the lists, by the command layer (`lookup_services`).
        services_elsewhere: Vec::new(),
        services_absent: Vec::new(),
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

/// The logs and journals fetched, and a note per namespace whose logs were refused.
pub(super) fn sort_out(
    fetched: Vec<FetchResult>,
    notes: &mut Vec<String>,
) -> (Vec<LogText>, Vec<(String, String)>) {
    let mut logs = Vec::new();
    let mut journals = Vec::new();
    let mut forbidden_logs = BTreeSet::new();
    let mut no_journal = Vec::new();
    for r in fetched {
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
            FetchResult::NoJournal(node, why) => no_journal.push((node, why)),
            FetchResult::Note(n) => notes.push(n),
            FetchResult::Nothing => {}
        }
    }
    no_journal.sort();
    notes.extend(journal_notes(no_journal, AVAILABLE));
    (logs, journals)
}

/// Logs in a stable order: by namespace, pod, container, current before previous.
pub fn sort_logs(logs: &mut [LogText]) {
    logs.sort_by(|a, b| {
        (&a.namespace, &a.pod, &a.container, a.previous).cmp(&(
            &b.namespace,
            &b.pod,
            &b.container,
            b.previous,
        ))
    });
}

/// Fetches logs and journals, `concurrency` at a time.
pub(super) async fn fetch_all(
    conn: &Connection,
    fetches: Vec<Fetch>,
    concurrency: usize,
    progress: &dyn Progress,
) -> Vec<FetchResult> {
    progress.start("logs and journals", fetches.len() as u64);
    let results = futures::stream::iter(fetches.into_iter().map(|f| async move {
        let r = fetch(conn, f).await;
        progress.step();
        r
    }))
    .buffer_unordered(concurrency.max(1))
    .collect()
    .await;
    progress.finish();
    results
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
        e if e.status() == Some(403) => format!(
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
                let mut all = l.raw;
                all.extend(l.raw_bad);
                *r = Some(all);
            }
            Some(l.items)
        }
        Err(e) => {
            notes.push(note(&e));
            None
        }
    }
}

/// Like [`listed_or_note`], and whether the list was read whole (no item skipped): only a
/// whole list says what does not exist.
fn listed_whole<U>(
    listed: Result<Listed<U>, CallError>,
    notes: &mut Vec<String>,
    raw: Option<&mut Option<Vec<Box<serde_json::value::RawValue>>>>,
    note: impl FnOnce(&CallError) -> String,
) -> (Option<Vec<U>>, bool) {
    let whole = listed.as_ref().is_ok_and(|l| l.bad.is_empty());
    (listed_or_note(listed, notes, raw, note), whole)
}

fn refused(
    conn: &Connection,
    what: &str,
    e: CallError,
    verb: &str,
    resource: &str,
    scope: &GatherSpec,
) -> ClusterError {
    match &e {
        CallError::Unreachable(detail) => ClusterError::Unreachable {
            server: conn.server.clone(),
            context: conn.context.clone(),
            detail: detail.clone(),
            hint: "the server URL and network access (`kubectl cluster-info`), VPN or proxy",
        },
        CallError::Timeout => ClusterError::Unreachable {
            server: conn.server.clone(),
            context: conn.context.clone(),
            detail: "no answer within the request timeout".into(),
            hint: "the server URL and network access, or raise --request-timeout",
        },
        CallError::Status { code: 401, .. } => ClusterError::Refused {
            server: conn.server.clone(),
            context: conn.context.clone(),
            what: what.into(),
            detail: e.to_string(),
            hint: "the credentials of the context (an expired token or certificate; `kubectl auth whoami`)".into(),
        },
        CallError::Status { code: 403, .. } => ClusterError::Refused {
            server: conn.server.clone(),
            context: conn.context.clone(),
            what: what.into(),
            detail: e.to_string(),
            hint: format!(
                "the user needs {verb} on {resource}{} (`kubectl auth can-i {verb} {resource}{}`); see the README for a read-only ClusterRole",
                scope.namespace.as_deref().map_or(" cluster-wide".to_string(), |n| format!(" in namespace `{n}`")),
                scope.namespace.as_deref().map_or(" -A".to_string(), |n| format!(" -n {n}")),
            ),
        },
        _ => ClusterError::Refused {
            server: conn.server.clone(),
            context: conn.context.clone(),
            what: what.into(),
            detail: e.to_string(),
            hint: "the API server's health (`kubectl get --raw /readyz`)".into(),
        },
    }
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
