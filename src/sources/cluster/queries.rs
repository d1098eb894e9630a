//! The pod lists a gathering makes: one per workload or node target (a workload's pods by
//! its selector, a CronJob's through its Jobs), one for the named pods; and what each keeps
//! of what the server lists.

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

/// One LIST of pods: its label and field selectors, and which of the listed pods it keeps.
pub struct PodQuery {
    pub label: Option<String>,
    pub field: Option<String>,
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

/// The pod lists to make: one per workload or node target, and one for the pod names.
pub async fn pod_queries(
    conn: &Connection,
    scope: &GatherSpec,
) -> Result<Vec<PodQuery>, ClusterError> {
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
