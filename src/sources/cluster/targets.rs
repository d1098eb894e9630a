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

/// `matchLabels` of a workload's selector as a label selector string.
pub fn selector_string(match_labels: &std::collections::BTreeMap<String, String>) -> String {
    match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

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
