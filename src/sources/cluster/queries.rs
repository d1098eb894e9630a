//! The pod lists a gathering makes: one per workload or node target (a workload's pods by
//! its selector, a CronJob's through its Jobs; with `-A`, one per namespace holding a
//! workload of that name, found by one LIST by name), one per namespace for the named pods;
//! and what each keeps of what the server lists.

use super::ClusterError;
use super::call::{CallError, call};
use super::connect::Connection;
use super::plan::GatherSpec;
use super::targets::{Target, label_selector_string};
use crate::evidence::Pod;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::Api;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// One LIST of pods: its namespace, label and field selectors, and which of the listed
/// pods it keeps.
pub struct PodQuery {
    /// The namespace listed (`None`: every namespace).
    pub namespace: Option<String>,
    pub label: Option<String>,
    pub field: Option<String>,
    keep: Keep,
    /// For a workload's pods: the workload's namespace, whose events its diagnosis reads
    /// even when it has no pods (they make its placeholder).
    pub workload_namespace: Option<String>,
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
    pub fn keeps(&self, p: &Pod) -> bool {
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

/// The pod lists to make: one per workload (per namespace it is found in, without one) or
/// node target, and one per namespace for the pod names.
pub async fn pod_queries(
    conn: &Connection,
    scope: &GatherSpec,
) -> Result<Vec<PodQuery>, ClusterError> {
    let mut queries = Vec::new();
    // Pod names by the namespace they are looked for in (the scope's unless named).
    let mut names: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    let with_selector = |labels: String| match &scope.selector {
        Some(s) => format!("{labels},{s}"),
        None => labels,
    };
    for t in &scope.targets {
        match t {
            Target::Pod { namespace, name } => names
                .entry(namespace.clone().or_else(|| scope.namespace.clone()))
                .or_default()
                .push(name.clone()),
            Target::Node(n) => queries.push(PodQuery {
                namespace: scope.namespace.clone(),
                label: scope.selector.clone(),
                field: Some(format!("spec.nodeName={n}")),
                keep: Keep::All,
                workload_namespace: None,
            }),
            Target::Workload {
                kind,
                namespace,
                name,
            } => {
                let found = match namespace.as_ref().or(scope.namespace.as_ref()) {
                    Some(ns) => vec![(ns.clone(), workload_selector(conn, kind, name, ns).await?)],
                    // `-A`: the workloads of that name in every namespace.
                    None => workloads_everywhere(conn, kind, name).await?,
                };
                for (ns, labels) in found {
                    queries.push(PodQuery {
                        namespace: Some(ns.clone()),
                        label: Some(with_selector(labels)),
                        field: None,
                        keep: if kind == "cronjob" {
                            Keep::CronJob(name.clone())
                        } else {
                            Keep::All
                        },
                        workload_namespace: Some(ns),
                    });
                }
            }
        }
    }
    if names.is_empty() && queries.is_empty() {
        queries.push(PodQuery {
            namespace: scope.namespace.clone(),
            label: scope.selector.clone(),
            field: None,
            keep: Keep::All,
            workload_namespace: None,
        });
    }
    for (namespace, mut names) in names {
        names.sort();
        names.dedup();
        let (field, keep) = match names.as_slice() {
            [one] => (Some(format!("metadata.name={one}")), Keep::All),
            _ => (None, Keep::Names(names)),
        };
        queries.push(PodQuery {
            namespace,
            label: scope.selector.clone(),
            field,
            keep,
            workload_namespace: None,
        });
    }
    Ok(queries)
}

/// `-A` with a workload target: one LIST of that kind in every namespace, by name; each
/// workload found and its pods' label selector. None found is an error.
async fn workloads_everywhere(
    conn: &Connection,
    kind: &str,
    name: &str,
) -> Result<Vec<(String, String)>, ClusterError> {
    let found = match kind {
        "deployment" => find::<Deployment>(conn, name, |d| d.spec.map(|s| s.selector)).await,
        "statefulset" => find::<StatefulSet>(conn, name, |d| d.spec.map(|s| s.selector)).await,
        "daemonset" => find::<DaemonSet>(conn, name, |d| d.spec.map(|s| s.selector)).await,
        "replicaset" => find::<ReplicaSet>(conn, name, |d| d.spec.map(|s| s.selector)).await,
        // Pods carry no label of their CronJob: see `workload_selector`.
        "cronjob" => find::<CronJob>(conn, name, |_| None).await,
        _ => find::<Job>(conn, name, |d| d.spec.and_then(|s| s.selector)).await,
    }
    .map_err(|e| {
        ClusterError::Target(format!("cannot list {kind}/{name} in every namespace: {e}"))
    })?;
    if found.is_empty() {
        return Err(ClusterError::Target(format!(
            "{kind}/{name} not found in any namespace; list them with `kubectl get {kind} -A`"
        )));
    }
    found
        .into_iter()
        .map(|(ns, selector)| {
            let labels = if kind == "cronjob" {
                Some("job-name".to_string())
            } else {
                selector.as_ref().and_then(label_selector_string)
            };
            labels.map(|l| (ns.clone(), l)).ok_or_else(|| {
                ClusterError::Target(format!("{kind}/{name} in `{ns}` has no pod selector"))
            })
        })
        .collect()
}

/// One LIST of a workload kind in every namespace, by name: each one's namespace and pod
/// selector.
async fn find<K>(
    conn: &Connection,
    name: &str,
    selector: impl Fn(K) -> Option<LabelSelector>,
) -> Result<Vec<(String, Option<LabelSelector>)>, CallError>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug,
    <K as kube::Resource>::DynamicType: Default,
{
    let api: Api<K> = Api::all(conn.client.clone());
    let params = kube::api::ListParams::default().fields(&format!("metadata.name={name}"));
    let list = call(conn.timeout, || api.list(&params)).await?;
    Ok(list
        .items
        .into_iter()
        .map(|k| {
            let ns = k.meta().namespace.clone().unwrap_or_default();
            (ns, selector(k))
        })
        .collect())
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
    // `matchLabels` and `matchExpressions` both, as the API server reads a label selector.
    selector
        .as_ref()
        .and_then(label_selector_string)
        .ok_or_else(|| ClusterError::Target(format!("{kind}/{name} has no pod selector")))
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
