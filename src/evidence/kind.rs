//! The API's spelling of a kind (`ReplicaSet`) from the lower-case or short form kubectl
//! prints and a reference carries (`replicaset`, `rs`): one table for every source.

/// `replicaset` or `rs` -> `ReplicaSet`; `None` for a kind not in the table.
pub fn api_kind(kind: &str) -> Option<&'static str> {
    Some(match kind.to_ascii_lowercase().as_str() {
        "pod" | "po" => "Pod",
        "node" | "no" => "Node",
        "replicationcontroller" | "rc" => "ReplicationController",
        "deployment" | "deploy" => "Deployment",
        "replicaset" | "rs" => "ReplicaSet",
        "statefulset" | "sts" => "StatefulSet",
        "daemonset" | "ds" => "DaemonSet",
        "job" => "Job",
        "cronjob" | "cj" => "CronJob",
        "persistentvolumeclaim" | "pvc" => "PersistentVolumeClaim",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::api_kind;

    #[test]
    fn long_and_short_forms_have_one_spelling() {
        assert_eq!(api_kind("rs"), Some("ReplicaSet"));
        assert_eq!(api_kind("ReplicaSet"), Some("ReplicaSet"));
        assert_eq!(api_kind("pvc"), Some("PersistentVolumeClaim"));
        assert_eq!(api_kind("widget"), None);
    }
}
