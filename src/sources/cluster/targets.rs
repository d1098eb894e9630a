//! What to look at: pod names, `deployment/x`, `statefulset/x`, `daemonset/x`, `job/x`,
//! `node/x`. A target narrows what is listed (label and field selectors), not just what is
//! shown. A Service target (`svc/x`) is none of these: any pod of its namespace may be a
//! client, so it does not narrow the pod list; `commands::select` parses it and narrows
//! after the engine.

use super::ClusterError;

/// One target from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Pod(String),
    /// A workload whose pods match its selector: (kind, name).
    Workload(String, String),
    Node(String),
}

impl Target {
    /// Parses `name` or `kind/name`.
    pub fn parse(s: &str) -> Result<Target, ClusterError> {
        let Some((kind, name)) = s.split_once('/') else {
            return Ok(Target::Pod(s.to_string()));
        };
        let kind = kind.to_lowercase();
        match kind.as_str() {
            "pod" | "pods" | "po" => Ok(Target::Pod(name.into())),
            "node" | "nodes" | "no" => Ok(Target::Node(name.into())),
            "deployment" | "deploy" | "deployments" => {
                Ok(Target::Workload("deployment".into(), name.into()))
            }
            "statefulset" | "sts" | "statefulsets" => {
                Ok(Target::Workload("statefulset".into(), name.into()))
            }
            "daemonset" | "ds" | "daemonsets" => {
                Ok(Target::Workload("daemonset".into(), name.into()))
            }
            "replicaset" | "rs" | "replicasets" => {
                Ok(Target::Workload("replicaset".into(), name.into()))
            }
            "job" | "jobs" => Ok(Target::Workload("job".into(), name.into())),
            "cronjob" | "cj" | "cronjobs" => Ok(Target::Workload("cronjob".into(), name.into())),
            _ => Err(ClusterError::Target(format!(
                "`{s}` is not a target kubedoctor understands: use a pod name, deployment/NAME, \
                 statefulset/NAME, daemonset/NAME, replicaset/NAME, job/NAME, cronjob/NAME, \
                 node/NAME or service/NAME (svc/NAME)"
            ))),
        }
    }
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
        assert_eq!(Target::parse("web-1").unwrap(), Target::Pod("web-1".into()));
        assert_eq!(
            Target::parse("deploy/web").unwrap(),
            Target::Workload("deployment".into(), "web".into())
        );
        assert_eq!(
            Target::parse("node/worker-3").unwrap(),
            Target::Node("worker-3".into())
        );
        assert_eq!(
            Target::parse("cj/nightly").unwrap(),
            Target::Workload("cronjob".into(), "nightly".into())
        );
        // Service targets do not narrow the pod list: `commands::select` parses them.
        assert!(Target::parse("service/web").is_err());
        let err = Target::parse("ingress/web").unwrap_err().to_string();
        assert!(err.contains("service/NAME"), "{err}");
    }
}
