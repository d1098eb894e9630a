//! A sample bundle under construction: a small healthy cluster plus the broken pods of one
//! scenario, written in the bundle format with an `expected.yaml` of top causes.

#![allow(clippy::too_many_arguments)]

use super::builders::*;
use super::services::{Svc, SvcPort, controller_slices};
use serde_json::{Value, json};
use std::path::Path;

pub struct Sample {
    pub name: String,
    pub pods: Vec<Value>,
    pub events: Vec<Value>,
    pub nodes: Vec<Value>,
    pub replicasets: Vec<Value>,
    pub pvcs: Vec<Value>,
    pub services: Vec<Value>,
    /// EndpointSlices written by hand (for Services without a selector); the controller's
    /// are computed when the sample is written.
    pub endpoint_slices: Vec<Value>,
    pub logs: Vec<(String, String, String, bool, String)>,
    pub journal: Vec<(String, String)>,
    pub expect: Vec<(String, String)>,
    pub description: String,
}

/// One event row: (type, reason, message, count, first, last, container).
pub type Ev<'a> = (&'a str, &'a str, &'a str, i32, i64, i64, Option<&'a str>);

impl Sample {
    /// A three-node cluster with healthy system and app pods and their Normal events, and the
    /// Services in front of them (`kube-system/kube-dns`, `shop/frontend`).
    pub fn base(name: &str, description: &str) -> Sample {
        let mut s = Sample {
            name: name.into(),
            pods: vec![],
            events: vec![],
            nodes: vec![
                ready_node("worker-1"),
                ready_node("worker-2"),
                node(
                    "control-plane",
                    ("True", "KubeletReady", "kubelet is posting ready status"),
                    &[],
                    json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
                    false,
                ),
            ],
            replicasets: vec![],
            pvcs: vec![],
            services: vec![],
            endpoint_slices: vec![],
            logs: vec![],
            journal: vec![],
            expect: vec![],
            description: description.into(),
        };
        for (i, suffix) in ["5d78c9869d-7xk2p", "5d78c9869d-qm4wz"].iter().enumerate() {
            let p = PodB::new("kube-system", &format!("coredns-{suffix}"))
                .deployment("coredns", "5d78c9869d")
                .node(Some(if i == 0 { "worker-1" } else { "worker-2" }))
                .label("k8s-app", "kube-dns")
                .ctr(
                    Ctr::new("coredns", "registry.k8s.io/coredns/coredns:v1.12.0")
                        .resources(
                            json!({"cpu": "100m", "memory": "70Mi"}),
                            json!({"memory": "170Mi"}),
                        )
                        .set(
                            "ports",
                            json!([
                                {"name": "dns", "containerPort": 53, "protocol": "UDP"},
                                {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
                                {"name": "metrics", "containerPort": 9153, "protocol": "TCP"}
                            ]),
                        ),
                );
            s.healthy(p);
        }
        let nginx = || {
            Ctr::new("nginx", "nginx:1.27.3").set(
                "ports",
                json!([{"name": "http", "containerPort": 80, "protocol": "TCP"}]),
            )
        };
        let web = PodB::new("shop", "frontend-6b8f7c9d4-h2x9z")
            .deployment("frontend", "6b8f7c9d4")
            .ctr(nginx());
        s.normal_start(&web, "nginx", "nginx:1.27.3");
        s.healthy(web);
        s.healthy(
            PodB::new("shop", "frontend-6b8f7c9d4-pq7rt")
                .deployment("frontend", "6b8f7c9d4")
                .node(Some("worker-2"))
                .ctr(nginx()),
        );
        let mut dns = Svc::new("kube-system", "kube-dns")
            .select("k8s-app", "kube-dns")
            .label("k8s-app", "kube-dns")
            .label("kubernetes.io/cluster-service", "true")
            .label("kubernetes.io/name", "CoreDNS")
            .port(SvcPort::new(Some("dns"), 53, json!(53), "UDP"))
            .port(SvcPort::new(Some("dns-tcp"), 53, json!(53), "TCP"))
            .port(SvcPort::new(Some("metrics"), 9153, json!(9153), "TCP"));
        dns.cluster_ip = Some("10.96.0.10".into());
        dns.annotations
            .insert("prometheus.io/port".into(), "9153".into());
        dns.annotations
            .insert("prometheus.io/scrape".into(), "true".into());
        s.services.push(dns.json());
        s.services.push(
            Svc::new("shop", "frontend")
                .select("app.kubernetes.io/name", "frontend")
                .label("app.kubernetes.io/name", "frontend")
                .port(SvcPort::new(Some("http"), 80, json!("http"), "TCP"))
                .json(),
        );
        s
    }

    /// Adds a Service; `expect` is the cause that must rank first for it (`None`: nothing
    /// above info). Its key in `expected.yaml` is `service/NAMESPACE/NAME`.
    pub fn service(&mut self, svc: Value, expect: Option<&str>) {
        let key = |v: &Value| {
            format!(
                "{}/{}",
                v["metadata"]["namespace"].as_str().unwrap_or_default(),
                v["metadata"]["name"].as_str().unwrap_or_default()
            )
        };
        let id = key(&svc);
        self.services.retain(|s| key(s) != id);
        if let Some(cause) = expect {
            self.expect.push((format!("service/{id}"), cause.into()));
        }
        self.services.push(svc);
    }

    /// Adds a healthy pod; one of the base cluster's of the same namespace and name (a
    /// CoreDNS pod a scenario breaks) is replaced.
    pub fn healthy(&mut self, p: PodB) {
        self.put(p.json());
    }

    /// Adds a broken pod with its expected top cause (or `None` for "nothing above info").
    pub fn broken(&mut self, p: &PodB, cause: &str) {
        self.put(p.json());
        self.expect
            .push((format!("{}/{}", p.ns, p.name), cause.into()));
    }

    fn put(&mut self, pod: Value) {
        let key = |v: &Value| {
            (
                v["metadata"]["namespace"].clone(),
                v["metadata"]["name"].clone(),
            )
        };
        let id = key(&pod);
        self.pods.retain(|p| key(p) != id);
        self.pods.push(pod);
    }

    pub fn pod_events(&mut self, p: &PodB, evs: &[Ev]) {
        for (type_, reason, msg, count, first, last, ctr) in evs {
            let fp = ctr.map(|c| {
                if p.init.iter().any(|i| i.name == c) {
                    format!("spec.initContainers{{{c}}}")
                } else {
                    format!("spec.containers{{{c}}}")
                }
            });
            let component = match *reason {
                "FailedScheduling" | "Scheduled" => "default-scheduler",
                "FailedAttachVolume" => "attachdetach-controller",
                "TaintManagerEviction" => "taint-eviction-controller",
                "NodeNotReady" => "node-controller",
                _ => "kubelet",
            };
            self.events.push(event(
                &p.ns,
                "Pod",
                &p.name,
                &p.uid(),
                fp.as_deref(),
                type_,
                reason,
                msg,
                *count,
                *first,
                *last,
                component,
            ));
        }
    }

    /// Scheduled, Pulling, Pulled, Created, Started for a container.
    pub fn normal_start(&mut self, p: &PodB, ctr: &str, image: &str) {
        let node = p.node.clone().unwrap_or_else(|| "worker-1".into());
        self.pod_events(p, &[
            ("Normal", "Scheduled", &format!("Successfully assigned {}/{} to {node}", p.ns, p.name), 1, 1, 1, None),
            ("Normal", "Pulling", &format!("Pulling image \"{image}\""), 1, 2, 2, Some(ctr)),
            ("Normal", "Pulled", &format!("Successfully pulled image \"{image}\" in 1.387s (1.387s including waiting). Image size: 59774010 bytes."), 1, 4, 4, Some(ctr)),
            ("Normal", "Created", &format!("Created container: {ctr}"), 1, 4, 4, Some(ctr)),
            ("Normal", "Started", &format!("Started container {ctr}"), 1, 5, 5, Some(ctr)),
        ]);
    }

    pub fn owner_event(
        &mut self,
        ns: &str,
        kind: &str,
        name: &str,
        type_: &str,
        reason: &str,
        msg: &str,
        count: i32,
    ) {
        let component = match kind {
            "Job" => "job-controller",
            "ReplicaSet" => "replicaset-controller",
            "StatefulSet" => "statefulset-controller",
            "DaemonSet" => "daemonset-controller",
            _ => "deployment-controller",
        };
        self.events.push(event(
            ns,
            kind,
            name,
            &uid(&format!("{kind}/{name}")),
            None,
            type_,
            reason,
            msg,
            count,
            100,
            3000,
            component,
        ));
    }

    pub fn node_event(
        &mut self,
        node: &str,
        type_: &str,
        reason: &str,
        msg: &str,
        count: i32,
        first: i64,
        last: i64,
    ) {
        self.events.push(event(
            "default", "Node", node, node, None, type_, reason, msg, count, first, last, "kubelet",
        ));
    }

    pub fn log(&mut self, p: &PodB, ctr: &str, previous: bool, text: &str) {
        self.logs.push((
            p.ns.clone(),
            p.name.clone(),
            ctr.into(),
            previous,
            text.into(),
        ));
    }

    pub fn set_node(&mut self, name: &str, n: Value) {
        self.nodes.retain(|x| x["metadata"]["name"] != json!(name));
        self.nodes.push(n);
    }

    pub fn write(&self, root: &Path) {
        let dir = root.join(&self.name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create sample dir");
        write_list(&dir.join("pods.json"), &self.pods);
        write_list(&dir.join("events.json"), &self.events);
        write_list(&dir.join("nodes.json"), &self.nodes);
        if !self.pvcs.is_empty() {
            write_list(&dir.join("pvcs.json"), &self.pvcs);
        }
        if !self.replicasets.is_empty() {
            write_list(&dir.join("replicasets.json"), &self.replicasets);
        }
        if !self.services.is_empty() {
            write_list(&dir.join("services.json"), &self.services);
            let mut slices = controller_slices(&self.services, &self.pods, &self.nodes);
            slices.extend(self.endpoint_slices.iter().cloned());
            write_list(&dir.join("endpointslices.json"), &slices);
        }
        for (ns, pod, ctr, prev, text) in &self.logs {
            let d = dir.join("logs").join(ns).join(pod);
            std::fs::create_dir_all(&d).expect("logs dir");
            let f = if *prev {
                format!("{ctr}.previous.log")
            } else {
                format!("{ctr}.log")
            };
            std::fs::write(d.join(f), text).expect("write log");
        }
        for (node, text) in &self.journal {
            let d = dir.join("journal");
            std::fs::create_dir_all(&d).expect("journal dir");
            std::fs::write(d.join(format!("{node}.log")), text).expect("write journal");
        }
        let meta = json!({"captured_at": at(CAPTURE), "scope": "all namespaces",
            "kubedoctor_version": "sample", "notes": []});
        std::fs::write(
            dir.join("bundle.json"),
            serde_json::to_string_pretty(&meta).expect("json") + "\n",
        )
        .expect("bundle.json");
        let mut exp = format!(
            "# {}\n# Expected top cause per pod (`namespace/pod`) and per Service\n# (`service/namespace/name`); those not listed must get nothing above info.\n",
            self.description
        );
        for (pod, cause) in &self.expect {
            exp.push_str(&format!("{pod}: {cause}\n"));
        }
        std::fs::write(dir.join("expected.yaml"), exp).expect("expected.yaml");
    }
}
