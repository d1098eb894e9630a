//! The same pod diagnosed from its bundle and from the text a person would paste —
//! `kubectl describe pod`, `kubectl describe node`, `kubectl get events -A`, its logs and the
//! node's journal — gets the same top cause, for every expected pod of every sample.
//!
//! Placeholder pods (a controller that cannot create pods) have no describe text and are
//! skipped. Set `KUBEDOCTOR_DUMP=DIR` to write the texts of pods that differ, for debugging.

mod support;

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::Playbooks;
use kubedoctor::samples::{expectations, sample_dirs};
use kubedoctor::sources::{bundle, text};
use serde_json::Value;
use std::path::Path;
use support::describe::{describe_node, describe_pod, events_table};

fn items(dir: &Path, file: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join(file))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["items"].as_array().cloned())
        .unwrap_or_default()
}

#[test]
fn describe_text_and_bundle_agree_on_the_top_cause() {
    let playbooks = Playbooks::embedded().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut failures = Vec::new();
    let mut compared = 0;
    for dir in sample_dirs(&root).unwrap() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let now = std::fs::read_to_string(dir.join("bundle.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .and_then(|v| v["captured_at"].as_str().map(str::to_string))
            .unwrap();
        let pods = items(&dir, "pods.json");
        let events = items(&dir, "events.json");
        let nodes = items(&dir, "nodes.json");
        let from_bundle = diagnose(&bundle::read(&dir).unwrap(), &playbooks);
        for key in expectations(&dir).unwrap().keys() {
            let Some(pod) = pods.iter().find(|p| {
                format!(
                    "{}/{}",
                    p["metadata"]["namespace"].as_str().unwrap(),
                    p["metadata"]["name"].as_str().unwrap()
                ) == *key
            }) else {
                continue; // a placeholder pod
            };
            let uid = &pod["metadata"]["uid"];
            let own: Vec<&Value> = events
                .iter()
                .filter(|e| e["involvedObject"]["uid"] == *uid)
                .collect();
            let others: Vec<&Value> = events
                .iter()
                .filter(|e| !matches!(e["involvedObject"]["kind"].as_str(), Some("Pod" | "Node")))
                .collect();
            let mut inputs = vec![text::Input {
                name: "describe.txt".into(),
                text: describe_pod(pod, &own, &now),
                role: text::Role::Auto,
            }];
            if !others.is_empty() {
                inputs.push(text::Input {
                    name: "events.txt".into(),
                    text: events_table(&others, &now),
                    role: text::Role::Events,
                });
            }
            let node_name = pod["spec"]["nodeName"].as_str().unwrap_or("");
            if let Some(node) = nodes.iter().find(|n| n["metadata"]["name"] == node_name) {
                let node_events: Vec<&Value> = events
                    .iter()
                    .filter(|e| {
                        e["involvedObject"]["kind"] == "Node"
                            && e["involvedObject"]["name"] == node_name
                    })
                    .collect();
                inputs.push(text::Input {
                    name: "node.txt".into(),
                    text: describe_node(node, &node_events, &now),
                    role: text::Role::Node,
                });
            }
            let (ns, pod_name) = key.split_once('/').unwrap();
            let logs_dir = dir.join("logs").join(ns).join(pod_name);
            for f in std::fs::read_dir(&logs_dir).into_iter().flatten().flatten() {
                let fname = f.file_name().to_string_lossy().into_owned();
                let role = if fname.ends_with(".previous.log") {
                    text::Role::PreviousLogs
                } else {
                    text::Role::Logs
                };
                inputs.push(text::Input {
                    name: fname,
                    text: std::fs::read_to_string(f.path()).unwrap(),
                    role,
                });
            }
            let journal = dir.join("journal").join(format!("{node_name}.log"));
            if let Ok(j) = std::fs::read_to_string(&journal) {
                inputs.push(text::Input {
                    name: "journal.txt".into(),
                    text: j,
                    role: text::Role::Journal,
                });
            }
            let evidence = match text::read(&inputs) {
                Ok(e) => e,
                Err(e) => {
                    failures.push(format!("{name}: {key}: {e}"));
                    continue;
                }
            };
            let from_text = diagnose(&evidence, &playbooks);
            let text_top = from_text
                .iter()
                .find(|d| d.key() == *key)
                .and_then(|d| d.top())
                .map(|f| f.id.clone());
            let bundle_top = from_bundle
                .iter()
                .find(|d| d.key() == *key)
                .and_then(|d| d.top())
                .map(|f| f.id.clone());
            compared += 1;
            if text_top != bundle_top {
                if let Ok(d) = std::env::var("KUBEDOCTOR_DUMP") {
                    for i in &inputs {
                        let _ = std::fs::write(
                            format!("{d}/{}-{}-{}", name, pod_name, i.name),
                            &i.text,
                        );
                    }
                }
                failures.push(format!(
                    "{name}: {key}: bundle {bundle_top:?}, text {text_top:?}"
                ));
            }
        }
    }
    assert!(compared >= 60, "only {compared} pods compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
