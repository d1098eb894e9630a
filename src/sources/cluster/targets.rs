//! What to look at: pod names (`NAME` or `NS/NAME`), `deployment/x`, `statefulset/x`,
//! `daemonset/x`, `job/x` (each also `KIND/NS/NAME`), `node/x`. A target narrows what is
//! listed (label and field selectors), not just what is shown. A Service target (`svc/x`)
//! is none of these: any pod of its namespace may be a client, so it does not narrow the pod
//! list; `commands::select` parses it and narrows after the engine.
//!
//! `A/B` is `KIND/NAME` when `A` is a kind kubedoctor knows (or a Kubernetes kind it does not
//! diagnose, refused by name), else `NAMESPACE/NAME` of a pod: a namespace named like a kind
//! is written `pod/NS/NAME`.

use super::ClusterError;

/// One target from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A pod by name; `namespace` when typed `NS/NAME` (a live run fills in the one it
    /// looks in).
    Pod {
        namespace: Option<String>,
        name: String,
    },
    /// A workload whose pods match its selector; `namespace` as for a pod (`None` in a live
    /// run: every namespace, `-A`).
    Workload {
        kind: String,
        namespace: Option<String>,
        name: String,
    },
    Node(String),
}

/// Kubernetes kinds (and their short names) that are no target: `ingress/web` is refused
/// rather than read as the pod `web` of a namespace `ingress`.
const NOT_TARGETS: &[&str] = &[
    "service",
    "services",
    "svc",
    "ingress",
    "ingresses",
    "ing",
    "configmap",
    "configmaps",
    "cm",
    "secret",
    "secrets",
    "persistentvolumeclaim",
    "persistentvolumeclaims",
    "pvc",
    "persistentvolume",
    "persistentvolumes",
    "pv",
    "namespace",
    "namespaces",
    "ns",
    "endpoints",
    "ep",
    "endpointslice",
    "endpointslices",
    "serviceaccount",
    "serviceaccounts",
    "sa",
    "horizontalpodautoscaler",
    "horizontalpodautoscalers",
    "hpa",
    "networkpolicy",
    "networkpolicies",
    "netpol",
    "storageclass",
    "storageclasses",
    "sc",
    "event",
    "events",
    "ev",
    "role",
    "roles",
    "rolebinding",
    "rolebindings",
    "clusterrole",
    "clusterroles",
    "clusterrolebinding",
    "clusterrolebindings",
    "poddisruptionbudget",
    "poddisruptionbudgets",
    "pdb",
];

impl Target {
    /// Parses `name`, `namespace/name` or `kind/name` (`kind/namespace/name`).
    pub fn parse(s: &str) -> Result<Target, ClusterError> {
        let Some((first, rest)) = s.split_once('/') else {
            return Ok(Target::Pod {
                namespace: None,
                name: s.to_string(),
            });
        };
        let kind = first.to_lowercase();
        let workload = match kind.as_str() {
            "pod" | "pods" | "po" => None,
            "node" | "nodes" | "no" => {
                if rest.is_empty() || rest.contains('/') {
                    return Err(not_understood(s));
                }
                return Ok(Target::Node(rest.into()));
            }
            "deployment" | "deploy" | "deployments" => Some("deployment"),
            "statefulset" | "sts" | "statefulsets" => Some("statefulset"),
            "daemonset" | "ds" | "daemonsets" => Some("daemonset"),
            "replicaset" | "rs" | "replicasets" => Some("replicaset"),
            "job" | "jobs" => Some("job"),
            "cronjob" | "cj" | "cronjobs" => Some("cronjob"),
            k if NOT_TARGETS.contains(&k) => return Err(not_understood(s)),
            // `NAMESPACE/NAME` of a pod.
            _ if !rest.contains('/') && !first.is_empty() && !rest.is_empty() => {
                return Ok(Target::Pod {
                    namespace: Some(first.into()),
                    name: rest.into(),
                });
            }
            _ => return Err(not_understood(s)),
        };
        let (namespace, name) = match rest.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                (Some(ns.to_string()), name.to_string())
            }
            None if !rest.is_empty() => (None, rest.to_string()),
            _ => return Err(not_understood(s)),
        };
        Ok(match workload {
            None => Target::Pod { namespace, name },
            Some(kind) => Target::Workload {
                kind: kind.into(),
                namespace,
                name,
            },
        })
    }

    /// The namespace the target names (`NS/NAME`), or a live run filled in.
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Target::Pod { namespace, .. } | Target::Workload { namespace, .. } => {
                namespace.as_deref()
            }
            Target::Node(_) => None,
        }
    }

    /// Sets the namespace of a pod or workload target that names none (a node has none).
    pub fn default_namespace(&mut self, ns: Option<&str>) {
        if let Target::Pod { namespace, .. } | Target::Workload { namespace, .. } = self
            && namespace.is_none()
        {
            *namespace = ns.map(str::to_string);
        }
    }
}

fn not_understood(s: &str) -> ClusterError {
    ClusterError::Target(format!(
        "`{s}` is not a target kubedoctor understands: use a pod name (NAME or \
         NAMESPACE/NAME), deployment/NAME, statefulset/NAME, daemonset/NAME, replicaset/NAME, \
         job/NAME, cronjob/NAME (each also KIND/NAMESPACE/NAME), node/NAME or service/NAME \
         (svc/NAME)"
    ))
}

/// A workload's pod selector as a label selector string, `matchLabels` and
/// `matchExpressions` both (`app=web,tier in (a,b),!legacy`); `None` when it has no
/// requirement (an empty selector, which no workload may have).
pub fn label_selector_string(
    selector: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
) -> Option<String> {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            // An operator the API does not have: the selector cannot be honoured.
            _ => return None,
        });
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workload_selectors_with_expressions_become_label_selectors() {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
            LabelSelector, LabelSelectorRequirement,
        };
        let requirement = |key: &str, operator: &str, values: &[&str]| LabelSelectorRequirement {
            key: key.into(),
            operator: operator.into(),
            values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
        };
        let selector = LabelSelector {
            match_labels: Some([("app".to_string(), "web".to_string())].into()),
            match_expressions: Some(vec![
                requirement("tier", "In", &["front", "edge"]),
                requirement("track", "NotIn", &["canary"]),
                requirement("team", "Exists", &[]),
                requirement("legacy", "DoesNotExist", &[]),
            ]),
        };
        let s = label_selector_string(&selector).unwrap();
        assert_eq!(
            s,
            "app=web,tier in (front,edge),track notin (canary),team,!legacy"
        );
        // What the selector parser of kubedoctor (and the API server) reads back.
        assert!(crate::selector::Selector::parse(&s).is_ok());
        let only_expressions = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![requirement("app", "In", &["web"])]),
        };
        assert_eq!(
            label_selector_string(&only_expressions).as_deref(),
            Some("app in (web)")
        );
        assert_eq!(label_selector_string(&LabelSelector::default()), None);
    }

    #[test]
    fn parses_targets() {
        let pod = |ns: Option<&str>, name: &str| Target::Pod {
            namespace: ns.map(str::to_string),
            name: name.into(),
        };
        let workload = |kind: &str, ns: Option<&str>, name: &str| Target::Workload {
            kind: kind.into(),
            namespace: ns.map(str::to_string),
            name: name.into(),
        };
        assert_eq!(Target::parse("web-1").unwrap(), pod(None, "web-1"));
        assert_eq!(
            Target::parse("shop/web-1").unwrap(),
            pod(Some("shop"), "web-1")
        );
        assert_eq!(
            Target::parse("pod/shop/web-1").unwrap(),
            pod(Some("shop"), "web-1")
        );
        assert_eq!(
            Target::parse("deploy/web").unwrap(),
            workload("deployment", None, "web")
        );
        assert_eq!(
            Target::parse("deploy/shop/web").unwrap(),
            workload("deployment", Some("shop"), "web")
        );
        assert_eq!(
            Target::parse("node/worker-3").unwrap(),
            Target::Node("worker-3".into())
        );
        assert_eq!(
            Target::parse("cj/nightly").unwrap(),
            workload("cronjob", None, "nightly")
        );
        // Service targets do not narrow the pod list: `commands::select` parses them.
        assert!(Target::parse("service/web").is_err());
        let err = Target::parse("ingress/web").unwrap_err().to_string();
        assert!(err.contains("service/NAME"), "{err}");
        for bad in [
            "node/a/b",
            "shop/web/x",
            "deploy/",
            "deploy/shop/",
            "/web",
            "shop/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
