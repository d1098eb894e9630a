//! Rollout context: for a pod of a Deployment's newest ReplicaSet, what its pod template
//! changed since the previous revision (a unified diff of the two templates as YAML). A new
//! image tag, a lowered memory limit or a renamed Secret is often the real cause.

use crate::evidence::{Pod, Rollout};
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use similar::TextDiff;
use std::collections::HashMap;

const REVISION: &str = "deployment.kubernetes.io/revision";

struct Revision<'a> {
    number: u32,
    deployment: String,
    template: Option<&'a PodTemplateSpec>,
    ready: i32,
}

/// Sets `pod.rollout` for pods of the newest revision of a Deployment with an older one.
pub fn attach(pods: &mut [Pod], replicasets: &[ReplicaSet]) {
    let mut by_name: HashMap<(String, String), Revision> = HashMap::new();
    for rs in replicasets {
        let meta = &rs.metadata;
        let (Some(ns), Some(name)) = (meta.namespace.clone(), meta.name.clone()) else {
            continue;
        };
        let Some(number) = meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(REVISION))
            .and_then(|r| r.parse().ok())
        else {
            continue;
        };
        let Some(deployment) = meta
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.kind == "Deployment")
            .map(|o| o.name.clone())
        else {
            continue;
        };
        by_name.insert(
            (ns, name),
            Revision {
                number,
                deployment,
                template: rs.spec.as_ref().and_then(|s| s.template.as_ref()),
                ready: rs
                    .status
                    .as_ref()
                    .and_then(|s| s.ready_replicas)
                    .unwrap_or(0),
            },
        );
    }
    let mut cache: HashMap<(String, String), Option<Rollout>> = HashMap::new();
    for pod in pods.iter_mut() {
        let Some(rs) = pod
            .owner
            .as_ref()
            .and_then(|o| o.chain.first())
            .and_then(|c| c.strip_prefix("replicaset/"))
        else {
            continue;
        };
        let key = (pod.namespace.clone(), rs.to_string());
        let rollout = cache
            .entry(key.clone())
            .or_insert_with(|| compute(&key, &by_name))
            .clone();
        pod.rollout = rollout;
    }
}

fn compute(key: &(String, String), all: &HashMap<(String, String), Revision>) -> Option<Rollout> {
    let current = all.get(key)?;
    let same_deploy = || {
        all.iter()
            .filter(|((ns, _), r)| *ns == key.0 && r.deployment == current.deployment)
    };
    // Only the newest revision is "the rollout".
    if same_deploy().any(|(_, r)| r.number > current.number) {
        return None;
    }
    let (_, previous) = same_deploy()
        .filter(|(_, r)| r.number < current.number)
        .max_by_key(|(_, r)| r.number)?;
    let diff = template_diff(previous.template?, current.template?);
    if diff.is_empty() {
        return None;
    }
    Some(Rollout {
        owner: format!("deployment/{}", current.deployment),
        from_revision: previous.number,
        to_revision: current.number,
        from_ready: previous.ready,
        diff,
    })
}

/// The unified diff of two pod templates as YAML, without the pod-template-hash label.
fn template_diff(old: &PodTemplateSpec, new: &PodTemplateSpec) -> Vec<String> {
    let yaml = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        if let Some(labels) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            labels.remove("pod-template-hash");
        }
        serde_saphyr::to_string(&t).unwrap_or_default()
    };
    let (a, b) = (yaml(old), yaml(new));
    TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(1)
        .to_string()
        .lines()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rs(name: &str, rev: u32, image: &str, memory: &str, ready: i32) -> ReplicaSet {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "shop",
                "annotations": {REVISION: rev.to_string()},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u", "controller": true}]},
            "spec": {"selector": {}, "template": {
                "metadata": {"labels": {"app": "web", "pod-template-hash": name}},
                "spec": {"containers": [{"name": "app", "image": image,
                    "resources": {"limits": {"memory": memory}}}]}}},
            "status": {"replicas": 1, "readyReplicas": ready}
        }))
        .unwrap()
    }

    fn pod_of(rs: &str) -> Pod {
        Pod {
            namespace: "shop".into(),
            owner: Some(crate::evidence::Owner {
                kind: "deployment".into(),
                name: "web".into(),
                chain: vec![format!("replicaset/{rs}"), "deployment/web".into()],
            }),
            ..Default::default()
        }
    }

    #[test]
    fn newest_revision_gets_the_template_diff() {
        let sets = [
            rs("web-a", 3, "web:1.7", "512Mi", 0),
            rs("web-b", 4, "web:1.8", "512Mi", 3),
            rs("web-c", 5, "web:1.9", "128Mi", 0),
        ];
        let mut pods = [pod_of("web-c"), pod_of("web-b")];
        attach(&mut pods, &sets);
        let r = pods[0]
            .rollout
            .as_ref()
            .expect("newest revision has a rollout");
        assert_eq!((r.from_revision, r.to_revision, r.from_ready), (4, 5, 3));
        let changes: Vec<String> = r.changes().collect();
        assert!(
            changes.contains(&"- image: web:1.8".to_string()),
            "{changes:?}"
        );
        assert!(
            changes.contains(&"+ image: web:1.9".to_string()),
            "{changes:?}"
        );
        assert!(
            changes.contains(&"- memory: 512Mi".to_string()),
            "{changes:?}"
        );
        assert!(!changes.iter().any(|c| c.contains("pod-template-hash")));
        assert!(
            pods[1].rollout.is_none(),
            "an older revision is not the rollout"
        );
    }
}
