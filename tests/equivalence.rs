//! The same pod diagnosed from its bundle and from the text a person would paste gets the same
//! top cause, for every expected pod of every sample.
//!
//! - `kubectl_1_33_text_agrees_with_the_bundle`: the text is printed by a real kubectl 1.33
//!   (`kubectl describe pod`, `kubectl events -A`, `kubectl describe node`, `kubectl get
//!   nodes`) against the replay API server serving the sample, plus the bundle's logs and
//!   journal. kubectl comes from `scripts/fetch-kubectl` (target/kubectl/kubectl, or
//!   `KUBEDOCTOR_KUBECTL`); without it the test says so on stderr and checks nothing, or
//!   fails when `CI` or `KUBEDOCTOR_REQUIRE_KUBECTL` is set (`support::kubectl`).
//! - `kubectl_1_33_services_agree_with_the_bundle`: every Service of the samples, from a
//!   session of real kubectl 1.33 output per namespace (`get pods --show-labels`, `describe
//!   pods`, `get svc -o yaml`, `describe svc`, `describe endpointslices`) plus the pods' logs:
//!   the same top finding as from the bundle, or none in both.
//! - `old_kubectl_layouts_agree_with_the_bundle`: the text is rendered in the layouts of
//!   kubectl 1.9 and before (`tests/support/describe.rs`), which no current kubectl prints.
//!
//! `kubectl describe pod` does not print finalizers or imagePullSecrets: for a pod whose cause
//! rests on them, the pod's YAML is pasted too, as a person would. Placeholder pods (a controller that cannot
//! create pods) have no describe text and are skipped. Set `KUBEDOCTOR_DUMP=DIR` to write the
//! texts of pods that differ.

mod support;

use kubedoctor::engine::{PodDiagnosis, diagnose};
use kubedoctor::playbook::Playbooks;
use kubedoctor::samples::{expectations, sample_dirs};
use kubedoctor::sources::{bundle, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::Kubectl;
use support::describe::{describe_node, describe_pod, events_table};
use support::replay::Replay;

fn items(dir: &Path, file: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join(file))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["items"].as_array().cloned())
        .unwrap_or_default()
}

/// A sample and the pods it expects.
struct Sample {
    name: String,
    dir: PathBuf,
    pods: Vec<Value>,
    events: Vec<Value>,
    nodes: Vec<Value>,
    /// The sample's Services (`services.json`; empty without one).
    services: Vec<Value>,
    now: String,
    from_bundle: Vec<PodDiagnosis>,
}

fn samples(playbooks: &Playbooks) -> Vec<Sample> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    sample_dirs(&root)
        .unwrap()
        .into_iter()
        .map(|dir| Sample {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            now: std::fs::read_to_string(dir.join("bundle.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .and_then(|v| v["captured_at"].as_str().map(str::to_string))
                .unwrap(),
            pods: items(&dir, "pods.json"),
            events: items(&dir, "events.json"),
            nodes: items(&dir, "nodes.json"),
            services: if dir.join("services.json").exists() {
                items(&dir, "services.json")
            } else {
                Vec::new()
            },
            from_bundle: diagnose(&bundle::read(&dir).unwrap(), playbooks),
            dir,
        })
        .collect()
}

fn input(name: &str, text: String, role: text::Role) -> text::Input {
    text::Input {
        name: name.into(),
        text,
        role,
    }
}

/// The logs and journal a person would attach: the bundle's own files.
fn attachments(dir: &Path, key: &str, node: &str) -> Vec<text::Input> {
    let (ns, pod) = key.split_once('/').unwrap();
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("logs").join(ns).join(pod))
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    files.sort_by_key(|f| f.file_name());
    for f in files {
        let fname = f.file_name().to_string_lossy().into_owned();
        let role = if fname.ends_with(".previous.log") {
            text::Role::PreviousLogs
        } else {
            text::Role::Logs
        };
        out.push(input(
            &fname,
            std::fs::read_to_string(f.path()).unwrap(),
            role,
        ));
    }
    if let Ok(j) = std::fs::read_to_string(dir.join("journal").join(format!("{node}.log"))) {
        out.push(input("journal.txt", j, text::Role::Journal));
    }
    out
}

/// Compares the text's top cause with the bundle's for every expected pod; returns the
/// number compared and the differences. `render` runs for several pods at once.
fn compare(
    samples: &[Sample],
    playbooks: &Playbooks,
    render: impl Fn(&Sample, &Value, &str) -> Vec<text::Input> + Sync,
) -> (usize, Vec<String>) {
    let mut pods: Vec<(&Sample, &Value, String)> = Vec::new();
    for sample in samples {
        for key in expectations(&sample.dir).unwrap().into_keys() {
            let Some(pod) = sample.pods.iter().find(|p| {
                format!(
                    "{}/{}",
                    p["metadata"]["namespace"].as_str().unwrap(),
                    p["metadata"]["name"].as_str().unwrap()
                ) == key
            }) else {
                continue; // a placeholder pod
            };
            pods.push((sample, pod, key));
        }
    }
    let failures: Vec<String> = support::parallel_map(&pods, |(sample, pod, key)| {
        let inputs = render(sample, pod, key);
        let text_top = match text::read(&inputs) {
            Ok(evidence) => diagnose(&evidence, playbooks)
                .iter()
                .find(|d| d.key() == *key)
                .and_then(|d| d.top())
                .map(|f| f.id.clone()),
            Err(e) => Some(format!("error: {e}")),
        };
        let bundle_top = sample
            .from_bundle
            .iter()
            .find(|d| d.key() == *key)
            .and_then(|d| d.top())
            .map(|f| f.id.clone());
        if text_top == bundle_top {
            return None;
        }
        if let Ok(d) = std::env::var("KUBEDOCTOR_DUMP") {
            for i in &inputs {
                let pod_name = key.replace('/', "_");
                let _ = std::fs::write(
                    format!("{d}/{}-{pod_name}-{}", sample.name, i.name),
                    &i.text,
                );
            }
        }
        Some(format!(
            "{}: {key}: bundle {bundle_top:?}, text {text_top:?}",
            sample.name
        ))
    })
    .into_iter()
    .flatten()
    .collect();
    (pods.len(), failures)
}

/// Every expected pod of the samples was compared (not skipped) and the text agreed.
fn assert_agree(compared: usize, failures: &[String]) {
    assert!(compared >= 60, "only {compared} pods compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `kubectl ARGS --kubeconfig KUBECONFIG`, which must succeed; its stdout.
fn run(kubectl: &Kubectl, kubeconfig: &Path, args: &[&str]) -> String {
    let out = kubectl
        .command()
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--cache-dir")
        .arg(kubectl.cache_dir())
        .output()
        .expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn kubectl_1_33_text_agrees_with_the_bundle() {
    let Some(kubectl) = support::kubectl() else {
        return;
    };
    let version = kubectl
        .command()
        .args(["version", "--client"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&version.stdout).contains("v1.33"),
        "kubectl 1.33 expected"
    );
    let playbooks = Playbooks::embedded().unwrap();
    let samples = samples(&playbooks);
    let tmp = tempfile::tempdir().unwrap();
    // One replay server per sample, shared by its pods' kubectl commands.
    let servers: std::collections::HashMap<&str, (Replay, PathBuf)> = samples
        .iter()
        .map(|sample| {
            let replay = Replay::start(&sample.dir, Duration::ZERO, vec![]);
            let kubeconfig = replay.kubeconfig(tmp.path(), "default");
            (sample.name.as_str(), (replay, kubeconfig))
        })
        .collect();
    // What is the same for every pod of a sample (the nodes, a namespace's events and
    // Services, the system pods) is printed once per sample and pasted for each pod.
    let printed = std::sync::Mutex::new(std::collections::HashMap::new());
    let once = |kubectl: &Kubectl, kubeconfig: &Path, args: &[&str]| -> String {
        let key = (kubeconfig.to_path_buf(), args.join(" "));
        if let Some(text) = printed.lock().unwrap().get(&key) {
            return String::clone(text);
        }
        let text = run(kubectl, kubeconfig, args);
        printed.lock().unwrap().insert(key, text.clone());
        text
    };
    let (compared, failures) = compare(&samples, &playbooks, |sample, pod, key| {
        let (ns, name) = key.split_once('/').unwrap();
        let kubeconfig = &servers[sample.name.as_str()].1;
        let mut inputs = vec![input(
            "describe.txt",
            format!(
                "$ kubectl describe pod {name} -n {ns}\n{}",
                run(&kubectl, kubeconfig, &["describe", "pod", name, "-n", ns])
            ),
            text::Role::Auto,
        )];
        // Events of the pod's controllers and claims: `kubectl events` over the namespace.
        let owner_events = sample.events.iter().any(|e| {
            e["involvedObject"]["namespace"] == ns
                && !matches!(e["involvedObject"]["kind"].as_str(), Some("Pod" | "Node"))
        });
        if owner_events {
            inputs.push(input(
                "events.txt",
                once(&kubectl, kubeconfig, &["events", "-n", ns]),
                text::Role::Events,
            ));
        }
        let node = pod["spec"]["nodeName"].as_str().unwrap_or("");
        if sample.nodes.iter().any(|n| n["metadata"]["name"] == node) {
            inputs.push(input(
                "node.txt",
                once(&kubectl, kubeconfig, &["describe", "node", node]),
                text::Role::Node,
            ));
        }
        inputs.push(input(
            "nodes.txt",
            format!(
                "$ kubectl get nodes\n{}",
                once(&kubectl, kubeconfig, &["get", "nodes"])
            ),
            text::Role::Auto,
        ));
        // `kubectl describe pod` shows neither finalizers nor imagePullSecrets: a pod whose
        // cause rests on them gets its YAML pasted too.
        if pod["metadata"]["finalizers"].is_array() || pod["spec"]["imagePullSecrets"].is_array() {
            inputs.push(input(
                "pod.yaml",
                format!(
                    "$ kubectl get pod {name} -n {ns} -o yaml\n{}",
                    run(
                        &kubectl,
                        kubeconfig,
                        &["get", "pod", name, "-n", ns, "-o", "yaml"]
                    )
                ),
                text::Role::Auto,
            ));
        }
        // The namespace's Services, as a person checking the addresses a pod uses lists them.
        if sample
            .services
            .iter()
            .any(|s| s["metadata"]["namespace"] == ns)
        {
            inputs.push(input(
                "services.txt",
                format!(
                    "$ kubectl get svc -n {ns} -o wide\n{}",
                    once(
                        &kubectl,
                        kubeconfig,
                        &["get", "svc", "-n", ns, "-o", "wide"]
                    )
                ),
                text::Role::Auto,
            ));
        }
        // A kube-system DNS or kube-proxy pod that is not ready: the cluster's plumbing, as a
        // person checking why names do not resolve describes it.
        if ns != "kube-system" && sample.pods.iter().any(system_pod_not_ready) {
            inputs.push(input(
                "system.txt",
                format!(
                    "$ kubectl describe pods -n kube-system -l 'k8s-app in (kube-dns,kube-proxy)'\n{}",
                    once(
                        &kubectl,
                        kubeconfig,
                        &[
                            "describe",
                            "pods",
                            "-n",
                            "kube-system",
                            "-l",
                            "k8s-app in (kube-dns,kube-proxy)"
                        ]
                    )
                ),
                text::Role::Auto,
            ));
        }
        inputs.extend(attachments(&sample.dir, key, node));
        inputs
    });
    assert_agree(compared, &failures);
}

/// A cluster DNS or kube-proxy pod (kube-system, `k8s-app`) with a container not ready.
fn system_pod_not_ready(pod: &Value) -> bool {
    let app = pod["metadata"]["labels"]["k8s-app"].as_str();
    pod["metadata"]["namespace"] == "kube-system"
        && matches!(app, Some("kube-dns" | "kube-proxy"))
        && pod["status"]["containerStatuses"]
            .as_array()
            .is_some_and(|cs| cs.iter().any(|c| c["ready"] != true))
}

/// `kubectl get svc -n NS -o wide` composed from the objects, in kubectl's column layout.
fn services_table(services: &[&Value]) -> String {
    let mut out =
        String::from("NAME   TYPE   CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR\n");
    for s in services {
        let ports: Vec<String> = s["spec"]["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{}/{}", p["port"], p["protocol"].as_str().unwrap_or("TCP")))
            .collect();
        let selector: Vec<String> = s["spec"]["selector"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        out.push_str(&format!(
            "{}   {}   {}   <none>   {}   1h   {}\n",
            s["metadata"]["name"].as_str().unwrap_or_default(),
            s["spec"]["type"].as_str().unwrap_or("ClusterIP"),
            s["spec"]["clusterIP"].as_str().unwrap_or("None"),
            if ports.is_empty() {
                "<none>".to_string()
            } else {
                ports.join(",")
            },
            if selector.is_empty() {
                "<none>".to_string()
            } else {
                selector.join(",")
            },
        ));
    }
    out
}

#[test]
fn old_kubectl_layouts_agree_with_the_bundle() {
    let playbooks = Playbooks::embedded().unwrap();
    let samples = samples(&playbooks);
    let (compared, failures) = compare(&samples, &playbooks, |sample, pod, key| {
        let uid = &pod["metadata"]["uid"];
        let own: Vec<&Value> = sample
            .events
            .iter()
            .filter(|e| e["involvedObject"]["uid"] == *uid)
            .collect();
        let others: Vec<&Value> = sample
            .events
            .iter()
            .filter(|e| !matches!(e["involvedObject"]["kind"].as_str(), Some("Pod" | "Node")))
            .collect();
        let mut inputs = vec![input(
            "describe.txt",
            describe_pod(pod, &own, &sample.now),
            text::Role::Auto,
        )];
        if !others.is_empty() {
            inputs.push(input(
                "events.txt",
                events_table(&others, &sample.now),
                text::Role::Events,
            ));
        }
        let ns = key.split_once('/').map_or("", |(ns, _)| ns);
        // The cluster's DNS and kube-proxy pods, one describe each, when one is not ready.
        if ns != "kube-system" && sample.pods.iter().any(system_pod_not_ready) {
            for p in sample.pods.iter().filter(|p| {
                p["metadata"]["namespace"] == "kube-system"
                    && matches!(
                        p["metadata"]["labels"]["k8s-app"].as_str(),
                        Some("kube-dns" | "kube-proxy")
                    )
            }) {
                let events: Vec<&Value> = sample
                    .events
                    .iter()
                    .filter(|e| e["involvedObject"]["uid"] == p["metadata"]["uid"])
                    .collect();
                inputs.push(input(
                    &format!(
                        "system-{}.txt",
                        p["metadata"]["name"].as_str().unwrap_or("")
                    ),
                    describe_pod(p, &events, &sample.now),
                    text::Role::Auto,
                ));
            }
        }
        let services: Vec<&Value> = sample
            .services
            .iter()
            .filter(|s| s["metadata"]["namespace"] == ns)
            .collect();
        if !services.is_empty() {
            inputs.push(input(
                "services.txt",
                format!(
                    "$ kubectl get svc -n {ns} -o wide\n{}",
                    services_table(&services)
                ),
                text::Role::Auto,
            ));
        }
        let node_name = pod["spec"]["nodeName"].as_str().unwrap_or("");
        if let Some(node) = sample
            .nodes
            .iter()
            .find(|n| n["metadata"]["name"] == node_name)
        {
            let node_events: Vec<&Value> = sample
                .events
                .iter()
                .filter(|e| {
                    e["involvedObject"]["kind"] == "Node"
                        && e["involvedObject"]["name"] == node_name
                })
                .collect();
            inputs.push(input(
                "node.txt",
                describe_node(node, &node_events, &sample.now),
                text::Role::Node,
            ));
        } else if !node_name.is_empty() {
            // The node is gone: the node list shows it.
            let names: Vec<String> = sample
                .nodes
                .iter()
                .map(|n| {
                    format!(
                        "{}   Ready    <none>   21d   v1.9.11",
                        n["metadata"]["name"].as_str().unwrap()
                    )
                })
                .collect();
            inputs.push(input(
                "nodes.txt",
                format!(
                    "$ kubectl get nodes\nNAME   STATUS   ROLES    AGE   VERSION\n{}\n",
                    names.join("\n")
                ),
                text::Role::Auto,
            ));
        }
        if let Some(secrets) = pod["spec"]["imagePullSecrets"].as_array() {
            let list: Vec<String> = secrets
                .iter()
                .map(|x| format!("  - name: {}", x["name"].as_str().unwrap_or("")))
                .collect();
            inputs.push(input(
                "pull-secrets.yaml",
                format!(
                    "metadata:\n  name: {}\n  namespace: {}\nspec:\n  imagePullSecrets:\n{}\n",
                    pod["metadata"]["name"].as_str().unwrap(),
                    pod["metadata"]["namespace"].as_str().unwrap(),
                    list.join("\n")
                ),
                text::Role::Auto,
            ));
        }
        if let Some(f) = pod["metadata"]["finalizers"].as_array() {
            let list: Vec<String> = f
                .iter()
                .map(|x| format!("  - {}", x.as_str().unwrap_or("")))
                .collect();
            inputs.push(input(
                "pod.yaml",
                format!(
                    "metadata:\n  name: {}\n  namespace: {}\n  deletionTimestamp: \"{}\"\n  finalizers:\n{}\n",
                    pod["metadata"]["name"].as_str().unwrap(),
                    pod["metadata"]["namespace"].as_str().unwrap(),
                    pod["metadata"]["deletionTimestamp"].as_str().unwrap_or(""),
                    list.join("\n")
                ),
                text::Role::Auto,
            ));
        }
        inputs.extend(attachments(&sample.dir, key, node_name));
        inputs
    });
    assert_agree(compared, &failures);
}

/// What the replay server serves of the sample in `dir` for namespace `ns`: the namespace,
/// the capture time, and each JSON file's items in that namespace or cluster-scoped (an
/// Event by its object's namespace). Two samples with the same serve kubectl the same answers
/// for every `-n ns` command.
fn served_in(dir: &Path, ns: &str) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = format!("{ns}\n");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let Some(all) = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["items"].as_array().cloned())
        else {
            // `bundle.json` (the capture time) or a file that is no List: all of it.
            out.push_str(&format!("{name}\n{text}\n"));
            continue;
        };
        let kept: Vec<&Value> = all
            .iter()
            .filter(|o| {
                let at = if o.get("involvedObject").is_some() {
                    &o["involvedObject"]["namespace"]
                } else {
                    &o["metadata"]["namespace"]
                };
                at.as_str().is_none_or(|n| n.is_empty() || n == ns)
            })
            .collect();
        out.push_str(&format!(
            "{name}\n{}\n",
            serde_json::to_string(&kept).unwrap()
        ));
    }
    out
}

/// The top finding of every Service of `namespace`, by `namespace/name`.
fn service_tops(
    evidence: &kubedoctor::evidence::Evidence,
    playbooks: &Playbooks,
    namespace: &str,
) -> std::collections::BTreeMap<String, Option<String>> {
    let pods = diagnose(evidence, playbooks);
    kubedoctor::engine::services::diagnose(evidence, playbooks, &pods)
        .into_iter()
        .filter(|s| s.namespace == namespace)
        .map(|s| {
            let top = s.top().map(|f| f.id.clone());
            (format!("{}/{}", s.namespace, s.name), top)
        })
        .collect()
}

/// Every Service of the samples diagnosed from its bundle and from a session a person would
/// paste, printed by a real kubectl 1.33 from the replay API server (the namespace's pods
/// with their labels, `describe pods`, the Services as YAML, `describe svc`, `describe
/// endpointslices`), plus the pods' logs: the same top finding, or none in both. Samples
/// that serve the same objects in a namespace share one printing of its session.
#[test]
fn kubectl_1_33_services_agree_with_the_bundle() {
    let Some(kubectl) = support::kubectl() else {
        return;
    };
    let playbooks = Playbooks::embedded().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    // One replay server per sample with Services, and the namespaces to compare in it.
    let mut servers = Vec::new();
    for dir in sample_dirs(&root).unwrap() {
        let services = items(&dir, "services.json");
        let mut namespaces: Vec<String> = services
            .iter()
            .filter_map(|s| s["metadata"]["namespace"].as_str())
            .filter(|ns| *ns != "kube-system")
            .map(str::to_string)
            .collect();
        namespaces.sort_unstable();
        namespaces.dedup();
        if namespaces.is_empty() {
            continue;
        }
        let from_bundle = bundle::read(&dir).unwrap();
        let replay = Replay::start(&dir, Duration::ZERO, vec![]);
        let kubeconfig = replay.kubeconfig(tmp.path(), "default");
        servers.push((dir, from_bundle, replay, kubeconfig, namespaces));
    }
    let jobs: Vec<_> = servers
        .iter()
        .flat_map(|server| server.4.iter().map(move |ns| (server, ns.as_str())))
        .collect();
    // Many samples serve the same objects in a namespace (the same shop around a different
    // broken pod elsewhere): kubectl prints their session once, from the first such sample.
    let served: Vec<String> = jobs
        .iter()
        .map(|((dir, ..), ns)| served_in(dir, ns))
        .collect();
    let mut first: Vec<usize> = Vec::new();
    for (i, key) in served.iter().enumerate() {
        if !first.iter().any(|&j| served[j] == *key) {
            first.push(i);
        }
    }
    let printed: std::collections::HashMap<&str, String> = first
        .iter()
        .map(|&i| served[i].as_str())
        .zip(support::parallel_map(&first, |&i| {
            let ((_, _, _, kubeconfig, _), ns) = jobs[i];
            let mut session = String::new();
            for args in [
                &["get", "pods", "-n", ns, "--show-labels"][..],
                &["describe", "pods", "-n", ns],
                &["get", "svc", "-n", ns, "-o", "yaml"],
                &["describe", "svc", "-n", ns],
                &["describe", "endpointslices", "-n", ns],
            ] {
                session.push_str(&format!("$ kubectl {}\n", args.join(" ")));
                session.push_str(&run(&kubectl, kubeconfig, args));
            }
            session
        }))
        .collect();
    let numbered: Vec<(usize, _)> = jobs.iter().enumerate().collect();
    let results = support::parallel_map(&numbered, |(i, ((dir, from_bundle, ..), ns))| {
        let ns = *ns;
        let session = printed[served[*i].as_str()].clone();
        let mut inputs = vec![input("session.txt", session, text::Role::Auto)];
        for pod in items(dir, "pods.json") {
            if pod["metadata"]["namespace"] == ns {
                let key = format!("{ns}/{}", pod["metadata"]["name"].as_str().unwrap());
                inputs.extend(
                    attachments(dir, &key, "")
                        .into_iter()
                        .filter(|i| i.name != "journal.txt"),
                );
            }
        }
        let want = service_tops(from_bundle, &playbooks, ns);
        let got = match text::read(&inputs) {
            Ok(evidence) => service_tops(&evidence, &playbooks, ns),
            Err(e) => [(ns.to_string(), Some(format!("error: {e}")))].into(),
        };
        let compared = want.len();
        if got == want {
            return (compared, None);
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(d) = std::env::var("KUBEDOCTOR_DUMP") {
            for i in &inputs {
                let _ = std::fs::write(format!("{d}/{name}-{ns}-{}", i.name), &i.text);
            }
        }
        (
            compared,
            Some(format!("{name}: {ns}: bundle {want:?}, text {got:?}")),
        )
    });
    let compared: usize = results.iter().map(|(n, _)| n).sum();
    let failures: Vec<&String> = results.iter().filter_map(|(_, f)| f.as_ref()).collect();
    assert!(compared >= 10, "only {compared} Services compared");
    assert!(
        failures.is_empty(),
        "{} namespaces differ:\n{}",
        failures.len(),
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
