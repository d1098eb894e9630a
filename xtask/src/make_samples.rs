//! Writes `samples/`: one evidence bundle per cause id (a small healthy cluster plus the
//! broken pods of one scenario) and `samples/demo-cluster`, which mixes many of them.
//!
//! Run: `cargo xtask make-samples` (rewrites `samples/`; the output is committed), or
//! `cargo xtask make-samples DIR` to write into DIR (CI compares it with `samples/`).
//! Messages follow the real formats of kubelet, scheduler, containerd and CRI-O.

// Scenario helpers take the many names a realistic object needs.
#![allow(clippy::too_many_arguments)]

use crate::support::builders::*;
use crate::support::sample::Sample;
use crate::support::scenario;
use crate::support::shapes::{crash_events, pull_fail, unschedulable};
use serde_json::json;

type Scenario = fn(&mut Sample);

const SCENARIOS: &[(&str, &str, Scenario)] = &[
    (
        "image-not-found",
        "tag never pushed (containerd `: not found`)",
        image_not_found,
    ),
    (
        "image-auth-private-404",
        "private GHCR repository answers 404; the pull secret does not exist",
        image_auth_private_404,
    ),
    (
        "image-never-pull-missing",
        "imagePullPolicy Never, image not on the node",
        image_never_pull,
    ),
    (
        "image-invalid-name",
        "upper-case image reference",
        image_invalid_name,
    ),
    (
        "image-platform",
        "amd64-only image on an arm64 node (CRI-O wording)",
        image_platform,
    ),
    ("crash-oom", "OOMKilled under a 256Mi limit", crash_oom),
    (
        "crash-oom-restarting",
        "running and ready again after an OOM kill ten minutes ago; a neighbour's OOM kill is a day old",
        crash_oom_restarting,
    ),
    (
        "rollout-memory-lowered",
        "a rollout lowered the memory limit; the new pods are OOMKilled",
        rollout_memory_lowered,
    ),
    (
        "crash-dependency-unreachable",
        "Go service cannot reach postgres",
        crash_dependency,
    ),
    (
        "crash-liveness-kill",
        "app answers 503 to its liveness probe and is killed (exit 137, not OOM)",
        crash_liveness_kill,
    ),
    (
        "config-secret-missing",
        "3 replicas reference a missing Secret",
        config_secret_missing,
    ),
    (
        "sched-insufficient-cpu",
        "requests 8 CPUs on 4-CPU nodes",
        sched_cpu,
    ),
    (
        "sched-pvc-unbound",
        "StatefulSet claim with no StorageClass",
        sched_pvc,
    ),
    (
        "sched-quota",
        "ResourceQuota rejects the new ReplicaSet's pods",
        sched_quota,
    ),
    (
        "mount-secret-missing",
        "secret volume for a missing Secret",
        mount_secret,
    ),
    (
        "mount-configmap-missing",
        "configMap volume for a missing ConfigMap",
        mount_configmap,
    ),
    (
        "mount-multi-attach",
        "RWO volume still attached elsewhere",
        mount_multi_attach,
    ),
    ("mount-failed", "NFS mount without nfs-common", mount_failed),
    (
        "probe-readiness",
        "readiness probe answers 503",
        probe_readiness,
    ),
    ("node-lost", "node stopped posting status", node_lost),
    (
        "node-network-unavailable",
        "cloud route not created: NetworkUnavailable on the node",
        node_network_unavailable,
    ),
    (
        "node-kubelet-error",
        "PLEG unhealthy, runtime down",
        node_kubelet_error,
    ),
    (
        "node-disk-pressure",
        "pod rejected on a node under disk pressure",
        node_disk_pressure,
    ),
    (
        "node-memory-pressure",
        "pod failing on a node under memory pressure",
        node_memory_pressure,
    ),
    (
        "node-pid-pressure",
        "pod failing on a node out of PIDs",
        node_pid_pressure,
    ),
    (
        "evicted-memory",
        "evicted, using far more than its request; a pod of another workload evicted on the same node (no event left)",
        evicted_memory,
    ),
    (
        "evicted-ephemeral-storage",
        "evicted over its ephemeral-storage limit",
        evicted_ephemeral,
    ),
    (
        "evicted-disk",
        "evicted under nodefs pressure",
        evicted_disk,
    ),
    (
        "job-backoff-limit",
        "Job failed more than backoffLimit",
        job_backoff,
    ),
    (
        "job-deadline",
        "Job past activeDeadlineSeconds",
        job_deadline,
    ),
    (
        "init-failing",
        "migration init container cannot reach the database",
        init_failing,
    ),
    (
        "unknown-unexplained",
        "a pod stuck creating with no events, logs or unfamiliar message",
        unknown_unexplained,
    ),
    ("hook-prestop", "preStop hook fails", hook_prestop),
    ("healthy-completed", "a finished Job", healthy_completed),
];

/// Scenarios mixed into the demo cluster.
const DEMO: &[&str] = &[
    "config-secret-missing",
    "crash-oom",
    "image-not-found",
    "sched-insufficient-cpu",
    "crash-dependency-unreachable",
    "probe-readiness",
    "node-lost",
    "evicted-memory",
    "init-failing",
    "mount-configmap-missing",
    "healthy-completed",
    "crash-liveness-kill",
];

/// `make-samples [DIR]`: CI writes into a temporary directory and compares.
pub fn run(args: &[String]) {
    let manifest = crate::repo_root();
    let root = crate::dir_arg(args, "samples");
    std::fs::create_dir_all(&root).expect("samples dir");
    let data = match scenario::load_dir(&manifest.join("scenarios")) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    for (name, _) in &data {
        if SCENARIOS.iter().any(|(n, _, _)| n == name) {
            eprintln!("error: scenario `{name}` is defined in Rust and in scenarios/{name}.yaml");
            std::process::exit(2);
        }
    }
    for (name, desc, f) in SCENARIOS {
        let mut s = Sample::base(name, desc);
        f(&mut s);
        s.write(&root);
    }
    for (name, sc) in &data {
        let mut s = Sample::base(name, &sc.description);
        sc.apply(&mut s);
        s.write(&root);
    }
    let mut demo = Sample::base(
        "demo-cluster",
        "a cluster with many problems and healthy pods",
    );
    for (_, _, f) in SCENARIOS.iter().filter(|(n, _, _)| DEMO.contains(n)) {
        f(&mut demo);
    }
    for (_, sc) in data.iter().filter(|(_, sc)| sc.demo) {
        sc.apply(&mut demo);
    }
    demo.write(&root);
    println!(
        "wrote {} samples ({} from scenarios/*.yaml) and demo-cluster to {}",
        SCENARIOS.len() + data.len(),
        data.len(),
        root.display()
    );
}

// ---------------------------------------------------------------- helpers

fn pull_pod(
    s: &mut Sample,
    ns: &str,
    deploy: &str,
    hash: &str,
    suffix: &str,
    image: &str,
    err: &str,
    cause: &str,
) -> PodB {
    let name = format!("{deploy}-{hash}-{suffix}");
    let p = PodB::new(ns, &name)
        .deployment(deploy, hash)
        .ctr(Ctr::new("app", image).state(
            State::Waiting(
                "ImagePullBackOff",
                format!("Back-off pulling image \"{image}\": ErrImagePull: {err}"),
            ),
            false,
        ));
    let mut p = p;
    p.created = 600;
    pull_fail(s, &p, "app", image, err);
    s.broken(&p, cause);
    p
}

fn crash_pod(ns: &str, deploy: &str, hash: &str, suffix: &str, ctr: Ctr) -> PodB {
    let mut p = PodB::new(ns, &format!("{deploy}-{hash}-{suffix}"))
        .deployment(deploy, hash)
        .ctr(ctr);
    p.created = 300;
    p
}

fn pending_pod(
    s: &mut Sample,
    ns: &str,
    deploy: &str,
    hash: &str,
    suffix: &str,
    ctr: Ctr,
    msg: &str,
    cause: &str,
) -> PodB {
    let mut p = PodB::new(ns, &format!("{deploy}-{hash}-{suffix}"))
        .deployment(deploy, hash)
        .ctr(ctr);
    p.created = 900;
    let p = unschedulable(s, p, msg);
    s.broken(&p, cause);
    p
}

const PREEMPT3: &str = "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";

fn creating_pod(ns: &str, deploy: &str, hash: &str, suffix: &str, image: &str) -> PodB {
    let mut p = PodB::new(ns, &format!("{deploy}-{hash}-{suffix}"))
        .deployment(deploy, hash)
        .ctr(
            Ctr::new("app", image).state(State::Waiting("ContainerCreating", String::new()), false),
        )
        .phase("Pending");
    p.created = 1200;
    p
}

// ---------------------------------------------------------------- images

fn image_not_found(s: &mut Sample) {
    let img = "registry.example.com/shop/checkout:2.4.0";
    // Revision 7 ran 2.3.9; revision 8 introduced the tag that was never pushed.
    s.replicasets.push(replicaset(
        "shop",
        "checkout",
        "6b5c4d3e2",
        7,
        3,
        3,
        vec![Ctr::new("app", "registry.example.com/shop/checkout:2.3.9").spec],
    ));
    s.replicasets.push(replicaset(
        "shop",
        "checkout",
        "7c9d8f6b5",
        8,
        1,
        0,
        vec![Ctr::new("app", img).spec],
    ));
    pull_pod(
        s,
        "shop",
        "checkout",
        "7c9d8f6b5",
        "k8s2n",
        img,
        &format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{img}\": failed to resolve reference \"{img}\": {img}: not found"
        ),
        "image.not-found",
    );
}

fn image_auth_private_404(s: &mut Sample) {
    let img = "ghcr.io/acme/internal-tools:0.3.1";
    let mut p = pull_pod(
        s,
        "tools",
        "internal-tools",
        "59d8c7b6f",
        "k3l4m",
        img,
        &format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{img}\": failed to resolve reference \"{img}\": {img}: not found"
        ),
        "image.auth",
    );
    s.pods.pop();
    p = p.spec("imagePullSecrets", json!([{"name": "ghcr-creds"}]));
    s.pods.push(p.json());
    s.journal.push(("worker-1".into(), format!(
        "Nov 20 10:51:40 worker-1 kubelet[912]: W1120 10:51:40.118204     912 kubelet_pods.go:1034] \"Unable to retrieve pull secret, the image pull may not succeed.\" pod=\"tools/{}\" secret=\"\" err=\"secret \\\"ghcr-creds\\\" not found\"\n\
Nov 20 10:51:41 worker-1 kubelet[912]: E1120 10:51:41.402117     912 remote_image.go:180] \"PullImage from image service failed\" err=\"rpc error: code = NotFound desc = failed to pull and unpack image \\\"{img}\\\": {img}: not found\" image=\"{img}\"\n", p.name)));
}

fn image_never_pull(s: &mut Sample) {
    let img = "myapp:dev";
    let mut p = PodB::new("dev", "myapp-6c9f8d7b5-lq2ws")
        .deployment("myapp", "6c9f8d7b5")
        .ctr(
            Ctr::new("myapp", img)
                .set("imagePullPolicy", json!("Never"))
                .state(
                    State::Waiting(
                        "ErrImageNeverPull",
                        format!(
                            "Container image \"{img}\" is not present with pull policy of Never"
                        ),
                    ),
                    false,
                ),
        );
    p.created = 600;
    s.pod_events(
        &p,
        &[
            (
                "Normal",
                "Scheduled",
                "Successfully assigned dev/myapp-6c9f8d7b5-lq2ws to worker-1",
                1,
                600,
                600,
                None,
            ),
            (
                "Warning",
                "ErrImageNeverPull",
                &format!("Container image \"{img}\" is not present with pull policy of Never"),
                42,
                601,
                3580,
                Some("myapp"),
            ),
            (
                "Warning",
                "Failed",
                "Error: ErrImageNeverPull",
                42,
                601,
                3580,
                Some("myapp"),
            ),
        ],
    );
    s.broken(&p, "image.never-pull-missing");
}

fn image_invalid_name(s: &mut Sample) {
    let img = "Registry.example.com/Shop/Cart:1.0";
    let msg = format!(
        "Failed to apply default image tag \"{img}\": couldn't parse image name \"{img}\": invalid reference format: repository name (library/Registry.example.com/Shop/Cart) must be lowercase"
    );
    let mut p = PodB::new("shop", "cart-58d9c7b6f4-vx7km")
        .deployment("cart", "58d9c7b6f4")
        .ctr(Ctr::new("cart", img).state(State::Waiting("InvalidImageName", msg.clone()), false));
    p.created = 600;
    s.pod_events(
        &p,
        &[
            (
                "Normal",
                "Scheduled",
                "Successfully assigned shop/cart-58d9c7b6f4-vx7km to worker-1",
                1,
                600,
                600,
                None,
            ),
            (
                "Warning",
                "InspectFailed",
                &msg,
                40,
                601,
                3580,
                Some("cart"),
            ),
            (
                "Warning",
                "Failed",
                "Error: InvalidImageName",
                40,
                601,
                3580,
                Some("cart"),
            ),
        ],
    );
    s.broken(&p, "image.invalid-name");
}

fn image_platform(s: &mut Sample) {
    let img = "quay.io/acme/edge-agent:2.0";
    let mut arm = ready_node("arm-1");
    arm["metadata"]["labels"]["kubernetes.io/arch"] = json!("arm64");
    arm["status"]["nodeInfo"]["architecture"] = json!("arm64");
    arm["status"]["nodeInfo"]["containerRuntimeVersion"] = json!("cri-o://1.31.3");
    s.set_node("arm-1", arm);
    let mut p = PodB::new("edge", "edge-agent-x7k2p").owned("DaemonSet", "edge-agent").node(Some("arm-1")).ctr(
        Ctr::new("agent", img).state(State::Waiting("ErrImagePull", format!("initializing source docker://{img}: choosing image instance: no image found in manifest list for architecture \"arm64\", variant \"v8\", OS \"linux\"")), false));
    p.created = 600;
    s.pod_events(&p, &[
        ("Normal", "Scheduled", "Successfully assigned edge/edge-agent-x7k2p to arm-1", 1, 600, 600, None),
        ("Warning", "Failed", &format!("Failed to pull image \"{img}\": initializing source docker://{img}: choosing image instance: no image found in manifest list for architecture \"arm64\", variant \"v8\", OS \"linux\""), 6, 601, 3400, Some("agent")),
        ("Warning", "Failed", "Error: ErrImagePull", 6, 601, 3400, Some("agent")),
    ]);
    s.broken(&p, "image.platform");
}

// ---------------------------------------------------------------- crashes

fn crash_oom(s: &mut Sample) {
    let img = "ghcr.io/acme/report-api:4.2.1";
    let p = crash_pod(
        "shop",
        "report-api",
        "79f5c6d8b4",
        "wq9zt",
        Ctr::new("api", img)
            .resources(
                json!({"cpu": "250m", "memory": "128Mi"}),
                json!({"memory": "256Mi"}),
            )
            .crashloop(
                "report-api-79f5c6d8b4-wq9zt_shop",
                State::Terminated("OOMKilled", 137, 3300, 3340, String::new()),
                7,
            ),
    );
    crash_events(s, &p, "api", img, 7);
    s.log(&p, "api", true, "2026-11-20T10:55:01Z INFO starting report-api 4.2.1\n2026-11-20T10:55:02Z INFO loading customer index into memory\n2026-11-20T10:55:38Z INFO index size 211MB\n");
    s.broken(&p, "crash.oom");
}

fn crash_oom_restarting(s: &mut Sample) {
    let img = "ghcr.io/acme/search-api:3.0.2";
    let limits = (
        json!({"cpu": "250m", "memory": "256Mi"}),
        json!({"memory": "512Mi"}),
    );
    // Killed ten minutes before the capture, running and ready since: not healthy yet.
    let recent = crash_pod(
        "shop",
        "search-api",
        "6f4d8b9c7",
        "k3m7p",
        Ctr::new("api", img)
            .resources(limits.0.clone(), limits.1.clone())
            .state(State::Running(3010), true)
            .last(
                State::Terminated("OOMKilled", 137, 320, 3000, String::new()),
                1,
            ),
    );
    s.normal_start(&recent, "api", img);
    s.pod_events(
        &recent,
        &[(
            "Normal",
            "Pulled",
            &format!("Container image \"{img}\" already present on machine"),
            1,
            3002,
            3002,
            Some("api"),
        )],
    );
    s.broken(&recent, "crash.oom");
    // The same kill a day before the capture: long recovered, healthy.
    let old = crash_pod(
        "shop",
        "search-api",
        "6f4d8b9c7",
        "w8n2d",
        Ctr::new("api", img)
            .resources(limits.0, limits.1)
            .state(State::Running(-86_000), true)
            .last(
                State::Terminated("OOMKilled", 137, -90_000, -86_010, String::new()),
                1,
            ),
    );
    s.healthy(old);
}

fn rollout_memory_lowered(s: &mut Sample) {
    let img = "ghcr.io/acme/pricing-engine:5.1.0";
    let old = Ctr::new("engine", img).resources(
        json!({"cpu": "250m", "memory": "512Mi"}),
        json!({"memory": "1Gi"}),
    );
    let new = Ctr::new("engine", img).resources(
        json!({"cpu": "250m", "memory": "128Mi"}),
        json!({"memory": "192Mi"}),
    );
    s.replicasets.push(replicaset(
        "shop",
        "pricing-engine",
        "58c7d9b6f",
        11,
        2,
        2,
        vec![old.spec.clone()],
    ));
    s.replicasets.push(replicaset(
        "shop",
        "pricing-engine",
        "6d9f8b7c5",
        12,
        1,
        0,
        vec![new.spec.clone()],
    ));
    let mut healthy = PodB::new("shop", "pricing-engine-58c7d9b6f-a2b3c")
        .deployment("pricing-engine", "58c7d9b6f")
        .ctr(old);
    healthy.created = 100;
    s.healthy(healthy);
    let p = crash_pod(
        "shop",
        "pricing-engine",
        "6d9f8b7c5",
        "q7w8e",
        new.crashloop(
            "pricing-engine",
            State::Terminated("OOMKilled", 137, 3300, 3340, String::new()),
            5,
        ),
    );
    crash_events(s, &p, "engine", img, 5);
    s.broken(&p, "crash.oom");
}

fn crash_dependency(s: &mut Sample) {
    let img = "ghcr.io/acme/orders:3.0.4";
    let p = crash_pod(
        "shop",
        "orders",
        "5f7b9d8c6",
        "j2k8m",
        Ctr::new("orders", img).crashloop(
            "orders",
            State::Terminated("Error", 1, 3450, 3455, String::new()),
            11,
        ),
    );
    crash_events(s, &p, "orders", img, 11);
    s.log(&p, "orders", true, "{\"level\":\"info\",\"ts\":\"2026-11-20T10:57:30Z\",\"msg\":\"starting orders service\",\"version\":\"3.0.4\"}\n{\"level\":\"error\",\"ts\":\"2026-11-20T10:57:35Z\",\"msg\":\"cannot open database\",\"error\":\"dial tcp 10.96.47.12:5432: connect: connection refused\"}\n{\"level\":\"fatal\",\"ts\":\"2026-11-20T10:57:35Z\",\"msg\":\"startup failed\"}\n");
    s.broken(&p, "crash.dependency-unreachable");
}

fn crash_liveness_kill(s: &mut Sample) {
    let img = "ghcr.io/acme/inventory:2.9.0";
    let p = crash_pod("shop", "inventory", "5c9d7b8f6", "g7h8j",
        Ctr::new("inventory", img)
            .set("livenessProbe", json!({"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 10, "timeoutSeconds": 2, "periodSeconds": 10, "failureThreshold": 3}))
            .crashloop("inventory", State::Terminated("Error", 137, 3300, 3420, String::new()), 6));
    crash_events(s, &p, "inventory", img, 6);
    s.pod_events(
        &p,
        &[
            (
                "Warning",
                "Unhealthy",
                "Liveness probe failed: HTTP probe failed with statuscode: 503",
                18,
                500,
                3410,
                Some("inventory"),
            ),
            (
                "Normal",
                "Killing",
                "Container inventory failed liveness probe, will be restarted",
                6,
                520,
                3420,
                Some("inventory"),
            ),
        ],
    );
    s.log(&p, "inventory", true, "INFO inventory 2.9.0 listening on :8080\nWARN stock sync lagging: 4123 pending\nWARN health: sync backlog above threshold, reporting unhealthy\n");
    s.broken(&p, "crash.liveness-kill");
}

// ---------------------------------------------------------------- configuration

fn config_pod(
    s: &mut Sample,
    ns: &str,
    deploy: &str,
    hash: &str,
    suffix: &str,
    ctr: &str,
    image: &str,
    msg: &str,
    cause: &str,
    count: i32,
) -> PodB {
    let mut p = PodB::new(ns, &format!("{deploy}-{hash}-{suffix}"))
        .deployment(deploy, hash)
        .ctr(Ctr::new(ctr, image).state(
            State::Waiting("CreateContainerConfigError", msg.into()),
            false,
        ))
        .phase("Pending");
    p.created = 900;
    s.pod_events(
        &p,
        &[
            (
                "Normal",
                "Scheduled",
                &format!("Successfully assigned {}/{} to worker-1", p.ns, p.name),
                1,
                900,
                900,
                None,
            ),
            (
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
                count,
                901,
                3590,
                Some(ctr),
            ),
            (
                "Warning",
                "Failed",
                &format!("Error: {msg}"),
                count,
                901,
                3590,
                Some(ctr),
            ),
        ],
    );
    s.broken(&p, cause);
    p
}

fn config_secret_missing(s: &mut Sample) {
    for suffix in ["4xk9p", "7bq2m", "z5n8r"] {
        config_pod(
            s,
            "payments",
            "payments-api",
            "6d9f7c8b5",
            suffix,
            "api",
            "ghcr.io/acme/payments-api:5.3.0",
            "secret \"db-credentials\" not found",
            "config.secret-missing",
            14,
        );
    }
    let last = s.pods.len() - 1;
    for i in last - 2..=last {
        s.pods[i]["spec"]["containers"][0]["env"] = json!([{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}}]);
    }
}

// ---------------------------------------------------------------- scheduling

fn sched_cpu(s: &mut Sample) {
    pending_pod(
        s,
        "analytics",
        "spark-driver",
        "7b9c8d6f5",
        "k2j4h",
        Ctr::new("driver", "apache/spark:3.5.3").resources(
            json!({"cpu": "8", "memory": "4Gi"}),
            json!({"memory": "8Gi"}),
        ),
        &format!(
            "0/3 nodes are available: 1 node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}, 2 Insufficient cpu. {PREEMPT3}"
        ),
        "sched.insufficient-cpu",
    );
}

fn sched_pvc(s: &mut Sample) {
    let mut p = PodB::new("data", "postgres-0")
        .owned("StatefulSet", "postgres")
        .node(None)
        .phase("Pending")
        .ctr(Ctr::new("postgres", "postgres:16.4").no_status())
        .spec(
            "volumes",
            json!([{"name": "data", "persistentVolumeClaim": {"claimName": "data-postgres-0"}}]),
        );
    p.created = 900;
    let msg = "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    p = p.conditions(vec![json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": msg, "lastProbeTime": null, "lastTransitionTime": at(901)})]);
    s.pod_events(
        &p,
        &[("Warning", "FailedScheduling", msg, 1, 901, 3500, None)],
    );
    s.pvcs.push(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-postgres-0", "namespace": "data", "uid": uid("pvc/data-postgres-0"), "creationTimestamp": at(899),
            "labels": {"app.kubernetes.io/name": "postgres"}},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "20Gi"}}, "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"}}));
    s.events.push(event(
        "data",
        "PersistentVolumeClaim",
        "data-postgres-0",
        &uid("pvc/data-postgres-0"),
        None,
        "Normal",
        "FailedBinding",
        "no persistent volumes available for this claim and no storage class is set",
        240,
        899,
        3590,
        "persistentvolume-controller",
    ));
    s.broken(&p, "sched.pvc-unbound");
}

fn sched_quota(s: &mut Sample) {
    let spec = Ctr::new("api", "ghcr.io/acme/tenant-api:2.0.0")
        .resources(
            json!({"cpu": "500m", "memory": "512Mi"}),
            json!({"cpu": "1", "memory": "512Mi"}),
        )
        .spec;
    let refusal = "pods \"api-7f8d9c6b5-x7k2p\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2";
    let mut rs = replicaset("tenant-a", "api", "7f8d9c6b5", 1, 1, 0, vec![spec]);
    // The controller wants one pod and has none: status.replicas 0 and the ReplicaFailure
    // condition the ReplicaSet controller sets on a failed create (reason FailedCreate).
    rs["status"]["replicas"] = json!(0);
    rs["status"]["fullyLabeledReplicas"] = json!(0);
    rs["status"]["conditions"] = json!([{"type": "ReplicaFailure", "status": "True",
        "lastTransitionTime": at(600), "reason": "FailedCreate", "message": refusal}]);
    s.replicasets.push(rs);
    s.owner_event(
        "tenant-a",
        "ReplicaSet",
        "api-7f8d9c6b5",
        "Warning",
        "FailedCreate",
        &format!("Error creating: {refusal}"),
        17,
    );
    s.expect
        .push(("tenant-a/api-7f8d9c6b5".into(), "sched.quota".into()));
}

// ---------------------------------------------------------------- volumes and sandbox

fn mount_secret(s: &mut Sample) {
    let p = creating_pod(
        "shop",
        "gateway",
        "7b8d9c6f5",
        "u7y6t",
        "envoyproxy/envoy:v1.32.1",
    )
    .spec(
        "volumes",
        json!([{"name": "tls-certs", "secret": {"secretName": "gateway-tls", "defaultMode": 420}}]),
    );
    s.pod_events(&p, &[
        ("Normal", "Scheduled", "Successfully assigned shop/gateway-7b8d9c6f5-u7y6t to worker-1", 1, 1200, 1200, None),
        ("Warning", "FailedMount", "MountVolume.SetUp failed for volume \"tls-certs\" : secret \"gateway-tls\" not found", 21, 1201, 3560, None),
    ]);
    s.broken(&p, "mount.secret-missing");
}

fn mount_configmap(s: &mut Sample) {
    let p = creating_pod(
        "clinic",
        "records",
        "6c9d8b7f5",
        "r5t6y",
        "ghcr.io/acme/records:7.0.2",
    )
    .spec(
        "volumes",
        json!([{"name": "httpd-config", "configMap": {"name": "records-httpd-config"}}]),
    );
    s.pod_events(&p, &[
        ("Normal", "Scheduled", "Successfully assigned clinic/records-6c9d8b7f5-r5t6y to worker-1", 1, 1200, 1200, None),
        ("Warning", "FailedMount", "MountVolume.SetUp failed for volume \"httpd-config\" : configmap \"records-httpd-config\" not found", 19, 1201, 3560, None),
        ("Warning", "FailedMount", "Unable to attach or mount volumes: unmounted volumes=[httpd-config], unattached volumes=[httpd-config kube-api-access-8x2lq]: timed out waiting for the condition", 10, 1320, 3540, None),
    ]);
    s.broken(&p, "mount.configmap-missing");
}

fn mount_multi_attach(s: &mut Sample) {
    let p = creating_pod(
        "data",
        "grafana",
        "5d9c7b8f6",
        "e3r4t",
        "grafana/grafana:11.3.0",
    )
    .spec(
        "volumes",
        json!([{"name": "storage", "persistentVolumeClaim": {"claimName": "grafana"}}]),
    );
    s.pod_events(&p, &[
        ("Normal", "Scheduled", "Successfully assigned data/grafana-5d9c7b8f6-e3r4t to worker-1", 1, 1200, 1200, None),
        ("Warning", "FailedAttachVolume", "Multi-Attach error for volume \"pvc-6b1f2a9c-8e3d-4f5a-9b7c-2d1e0f3a4b5c\" Volume is already used by pod(s) grafana-5d9c7b8f6-a1s2d", 1, 1201, 1201, None),
        ("Warning", "FailedMount", "Unable to attach or mount volumes: unmounted volumes=[storage], unattached volumes=[storage kube-api-access-4kq7z]: timed out waiting for the condition", 14, 1320, 3540, None),
    ]);
    s.broken(&p, "mount.attach-multi-attach");
}

fn mount_failed(s: &mut Sample) {
    let p = creating_pod(
        "shop",
        "uploads",
        "7c8b9d6f5",
        "y6u7i",
        "docker.io/acme/uploads:2.4.1",
    )
    .spec(
        "volumes",
        json!([{"name": "uploads-nfs", "nfs": {"server": "10.0.1.50", "path": "/srv/nfs/uploads"}}]),
    );
    s.pod_events(&p, &[
        ("Normal", "Scheduled", "Successfully assigned shop/uploads-7c8b9d6f5-y6u7i to worker-1", 1, 1200, 1200, None),
        ("Warning", "FailedMount", "MountVolume.SetUp failed for volume \"uploads-nfs\" : mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs 10.0.1.50:/srv/nfs/uploads /var/lib/kubelet/pods/1f2e/volumes/kubernetes.io~nfs/uploads-nfs\nOutput: mount: /var/lib/kubelet/pods/1f2e/volumes/kubernetes.io~nfs/uploads-nfs: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.", 16, 1201, 3560, None),
    ]);
    s.broken(&p, "mount.failed");
}

// ---------------------------------------------------------------- probes

fn running_not_ready(ns: &str, deploy: &str, hash: &str, suffix: &str, ctr: Ctr) -> PodB {
    let mut p = PodB::new(ns, &format!("{deploy}-{hash}-{suffix}"))
        .deployment(deploy, hash)
        .ctr(ctr);
    p.created = 300;
    p
}

fn probe_readiness(s: &mut Sample) {
    let img = "ghcr.io/acme/accounts:6.0.1";
    let p = running_not_ready("shop", "accounts", "7d8f9c6b5", "d4f5g",
        Ctr::new("accounts", img)
            .set("readinessProbe", json!({"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "failureThreshold": 3}))
            .state(State::Running(305), false));
    s.normal_start(&p, "accounts", img);
    s.pod_events(
        &p,
        &[(
            "Warning",
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            326,
            320,
            3595,
            Some("accounts"),
        )],
    );
    s.log(&p, "accounts", false, "INFO accounts 6.0.1 listening on :8080\nWARN ready check: cache warmup 12% complete\nWARN ready check: upstream ledger unavailable\n");
    s.broken(&p, "probe.readiness");
}

// ---------------------------------------------------------------- nodes

fn pod_on(ns: &str, deploy: &str, hash: &str, suffix: &str, node: &str, img: &str) -> PodB {
    let mut p = PodB::new(ns, &format!("{deploy}-{hash}-{suffix}"))
        .deployment(deploy, hash)
        .node(Some(node))
        .ctr(Ctr::new("app", img).state(State::Running(200), false));
    p.created = 100;
    p
}

fn node_network_unavailable(s: &mut Sample) {
    let mut n = node(
        "worker-5",
        ("True", "KubeletReady", "kubelet is posting ready status"),
        &[],
        json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule", "timeAdded": at(3000)}]),
        false,
    );
    n["status"]["conditions"]
        .as_array_mut()
        .expect("conditions")
        .insert(
            0,
            json!({"type": "NetworkUnavailable", "status": "True", "reason": "NoRouteCreated",
                   "message": "Node created without a route", "lastHeartbeatTime": at(3000),
                   "lastTransitionTime": at(3000)}),
        );
    s.nodes.push(n);
    s.node_event(
        "worker-5",
        "Warning",
        "FailedToCreateRoute",
        "Could not create route 6b1d4f2a-8c3e-4a7b-9d5f-1e2c3b4a5d6e 10.244.5.0/24 for node worker-5 after 2m0.5s: timed out waiting for the condition",
        4,
        3000,
        3400,
    );
    let mut p = PodB::new("shop", "gateway-6c8d9f7b5-t7y8u")
        .deployment("gateway", "6c8d9f7b5")
        .node(Some("worker-5"))
        .phase("Pending")
        .ctr(
            Ctr::new("gateway", "ghcr.io/acme/gateway:1.12.0")
                .state(State::Waiting("ContainerCreating", String::new()), false),
        );
    p.created = 3300;
    s.broken(&p, "node.network-unavailable");
}

fn node_lost(s: &mut Sample) {
    s.nodes.push(node("worker-4", ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."), &[],
        json!([{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": at(3200)}, {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": at(3205)}]), false));
    s.node_event(
        "worker-4",
        "Normal",
        "NodeNotReady",
        "Node worker-4 status is now: NodeNotReady",
        1,
        3200,
        3200,
    );
    let p = pod_on(
        "shop",
        "search-indexer",
        "5c7d9b8f6",
        "v5b6n",
        "worker-4",
        "ghcr.io/acme/indexer:1.0.9",
    );
    s.pod_events(
        &p,
        &[(
            "Warning",
            "NodeNotReady",
            "Node is not ready",
            1,
            3210,
            3210,
            None,
        )],
    );
    s.broken(&p, "node.lost");
}

fn node_kubelet_error(s: &mut Sample) {
    s.nodes.push(node(
        "worker-5",
        (
            "False",
            "KubeletNotReady",
            "PLEG is not healthy: pleg was last seen active 3m7.2s ago; threshold is 3m0s",
        ),
        &[],
        json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]),
        false,
    ));
    s.journal.push(("worker-5".into(), "Nov 20 10:55:01 worker-5 kubelet[1123]: E1120 10:55:01.201733    1123 kubelet.go:2412] \"Skipping pod synchronization\" err=\"[container runtime is down, PLEG is not healthy: pleg was last seen active 3m5.3s ago; threshold is 3m0s]\"\nNov 20 10:55:03 worker-5 kubelet[1123]: E1120 10:55:03.884121    1123 remote_runtime.go:633] \"Status from runtime service failed\" err=\"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: connection refused\\\"\"\nNov 20 10:55:06 worker-5 kubelet[1123]: E1120 10:55:06.201988    1123 kubelet.go:2412] \"Skipping pod synchronization\" err=\"[container runtime is down, PLEG is not healthy: pleg was last seen active 3m10.3s ago; threshold is 3m0s]\"\n".into()));
    let p = pod_on(
        "shop",
        "payments-worker",
        "6b8d7c9f5",
        "c7v8b",
        "worker-5",
        "ghcr.io/acme/payments-worker:2.0.0",
    );
    s.broken(&p, "node.kubelet-error");
}

fn pressure_pod(s: &mut Sample, cond: &str, cause: &str, node_name: &str) {
    s.nodes.push(node(node_name, ("True", "KubeletReady", "kubelet is posting ready status"), &[cond],
        json!([{"key": format!("node.kubernetes.io/{}", match cond { "DiskPressure" => "disk-pressure", "MemoryPressure" => "memory-pressure", _ => "pid-pressure" }), "effect": "NoSchedule", "timeAdded": at(3000)}]), false));
    let img = "ghcr.io/acme/etl:0.4.0";
    let mut p = PodB::new("batch", &format!("etl-6c9b8d7f5-{}", &node_name[..4]))
        .deployment("etl", "6c9b8d7f5")
        .node(Some(node_name))
        .ctr(Ctr::new("etl", img).crashloop(
            "etl",
            State::Terminated("Error", 1, 3500, 3502, String::new()),
            3,
        ));
    p.created = 2800;
    crash_events(s, &p, "etl", img, 3);
    s.broken(&p, cause);
}

fn node_disk_pressure(s: &mut Sample) {
    pressure_pod(s, "DiskPressure", "node.disk-pressure", "disk-1");
    s.node_event(
        "disk-1",
        "Warning",
        "EvictionThresholdMet",
        "Attempting to reclaim ephemeral-storage",
        3,
        3000,
        3400,
    );
}

fn node_memory_pressure(s: &mut Sample) {
    pressure_pod(s, "MemoryPressure", "node.memory-pressure", "mem-1");
}

fn node_pid_pressure(s: &mut Sample) {
    pressure_pod(s, "PIDPressure", "node.pid-pressure", "pid-1");
}

// ---------------------------------------------------------------- eviction and failure

fn evicted(s: &mut Sample, suffix: &str, msg: &str, cause: &str) {
    let img = "ghcr.io/acme/report-builder:1.6.0";
    let mut p = PodB::new("reports", &format!("report-builder-7b9c6d8f5-{suffix}"))
        .deployment("report-builder", "7b9c6d8f5")
        .phase("Failed")
        .reason("Evicted", msg)
        .ctr(
            Ctr::new("report-builder", img)
                .resources(json!({"cpu": "500m", "memory": "512Mi"}), json!({}))
                .state(
                    State::Terminated(
                        "ContainerStatusUnknown",
                        137,
                        100,
                        2900,
                        "The container could not be located when the pod was terminated".into(),
                    ),
                    false,
                ),
        );
    p.created = 100;
    s.normal_start(&p, "report-builder", img);
    s.pod_events(
        &p,
        &[
            ("Warning", "Evicted", msg, 1, 2890, 2890, None),
            (
                "Normal",
                "Killing",
                "Stopping container report-builder",
                1,
                2890,
                2890,
                Some("report-builder"),
            ),
        ],
    );
    s.broken(&p, cause);
}

fn evicted_memory(s: &mut Sample) {
    evicted(
        s,
        "k9j8h",
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91080Ki. Container report-builder was using 3452136Ki, request is 512Mi, has larger consumption of memory. ",
        "evicted.memory",
    );
    // The same pressure evicted a pod of another workload on the same node; its eviction
    // event has expired, only status.reason and status.message tell.
    let mut other = PodB::new("media", "thumbnailer-6c8d7f9b5-p4s7w")
        .deployment("thumbnailer", "6c8d7f9b5")
        .phase("Failed")
        .reason(
            "Evicted",
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 88412Ki. Container thumbnailer was using 1210044Ki, request is 256Mi, has larger consumption of memory. ",
        )
        .ctr(
            Ctr::new("thumbnailer", "ghcr.io/acme/thumbnailer:2.0.1")
                .resources(json!({"cpu": "250m", "memory": "256Mi"}), json!({}))
                .state(
                    State::Terminated(
                        "ContainerStatusUnknown",
                        137,
                        150,
                        2895,
                        "The container could not be located when the pod was terminated".into(),
                    ),
                    false,
                ),
        );
    other.created = 150;
    s.broken(&other, "evicted.memory");
}

fn evicted_ephemeral(s: &mut Sample) {
    evicted(
        s,
        "t5r4e",
        "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. ",
        "evicted.ephemeral-storage",
    );
}

fn evicted_disk(s: &mut Sample) {
    evicted(
        s,
        "w2q1a",
        "The node was low on resource: nodefs. Threshold quantity: 10%, available: 8123456Ki. Container report-builder was using 2048Ki, request is 0, has larger consumption of nodefs. ",
        "evicted.disk",
    );
}

fn job_pod(s: &mut Sample, job: &str, suffix: &str, code: i32) -> PodB {
    let img = "ghcr.io/acme/exporter:2.2";
    let mut p = PodB::new("batch", &format!("{job}-{suffix}"))
        .owned("Job", job)
        .restart_policy("Never")
        .phase("Failed")
        .label("batch.kubernetes.io/job-name", job)
        .ctr(Ctr::new("export", img).state(
            State::Terminated("Error", code, 1000, 1010, String::new()),
            false,
        ));
    p.created = 990;
    s.normal_start(&p, "export", img);
    p
}

fn job_backoff(s: &mut Sample) {
    for suffix in ["8kq2w", "p4x7z", "m2c9v"] {
        let p = job_pod(s, "nightly-export-29101440", suffix, 2);
        s.log(&p, "export", false, "exporting orders since 2026-11-19\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4b3c2f]\n\ngoroutine 1 [running]:\nmain.export(0x0)\n\t/src/main.go:88 +0x2f\n");
        s.broken(&p, "job.backoff-limit");
    }
    s.owner_event(
        "batch",
        "Job",
        "nightly-export-29101440",
        "Warning",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
        1,
    );
}

fn job_deadline(s: &mut Sample) {
    let mut p = job_pod(s, "reindex-29101500", "x8c7v", 143);
    p = p.reason(
        "DeadlineExceeded",
        "Pod was active on the node longer than the specified deadline",
    );
    s.owner_event(
        "batch",
        "Job",
        "reindex-29101500",
        "Warning",
        "DeadlineExceeded",
        "Job was active longer than specified deadline",
        1,
    );
    s.broken(&p, "job.deadline");
}

// ---------------------------------------------------------------- termination, sysctl, init, hooks

fn init_failing(s: &mut Sample) {
    let img = "ghcr.io/acme/wiki:4.1";
    let mut p = PodB::new("docs", "wiki-5f8c7d9b6-r2t3y")
        .deployment("wiki", "5f8c7d9b6")
        .phase("Pending")
        .init_ctr(
            Ctr::new("migrate", img)
                .set("command", json!(["python", "manage.py", "migrate"]))
                .crashloop(
                    "wiki",
                    State::Terminated("Error", 1, 3400, 3405, String::new()),
                    9,
                ),
        )
        .ctr(Ctr::new("wiki", img).state(State::Waiting("PodInitializing", String::new()), false));
    p.created = 300;
    crash_events(s, &p, "migrate", img, 9);
    s.log(&p, "migrate", true, "Operations to perform:\n  Apply all migrations: admin, auth, wiki\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/django/db/backends/base/base.py\", line 279, in ensure_connection\n    self.connect()\npsycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host \"postgres\" (10.96.12.4) and accepting\n\tTCP/IP connections on port 5432?\n");
    s.broken(&p, "init.failing");
}

fn unknown_unexplained(s: &mut Sample) {
    let mut p = PodB::new("tools", "ledger-sync-5b7c9d8f6-p0o9i")
        .deployment("ledger-sync", "5b7c9d8f6")
        .node(Some("worker-2"))
        .phase("Pending")
        .ctr(
            Ctr::new("sync", "ghcr.io/acme/ledger-sync:0.3.0")
                .state(State::Waiting("ContainerCreating", String::new()), false),
        );
    p.created = 3000;
    s.broken(&p, "unknown.unexplained");
}

fn hook_prestop(s: &mut Sample) {
    let mut p = PodB::new("shop", "session-store-0")
        .owned("StatefulSet", "session-store")
        .ctr(
            Ctr::new("redis", "redis:7.4.1")
                .set(
                    "lifecycle",
                    json!({"preStop": {"exec": {"command": ["redis-cli", "shutdown", "save"]}}}),
                )
                .state(State::Running(100), true),
        )
        .deleting(3580, &[]);
    p.created = 50;
    s.pod_events(
        &p,
        &[
            (
                "Normal",
                "Killing",
                "Stopping container redis",
                1,
                3580,
                3580,
                Some("redis"),
            ),
            (
                "Warning",
                "FailedPreStopHook",
                "PreStopHook failed",
                1,
                3581,
                3581,
                Some("redis"),
            ),
        ],
    );
    s.broken(&p, "hook.prestop");
}

fn healthy_completed(s: &mut Sample) {
    let img = "ghcr.io/acme/exporter:2.2";
    let mut p = PodB::new("batch", "daily-report-29101380-h7j8k")
        .owned("Job", "daily-report-29101380")
        .restart_policy("OnFailure")
        .phase("Succeeded")
        .label("batch.kubernetes.io/job-name", "daily-report-29101380")
        .ctr(Ctr::new("report", img).state(
            State::Terminated("Completed", 0, 1000, 1100, String::new()),
            false,
        ));
    p.created = 990;
    s.normal_start(&p, "report", img);
    s.owner_event(
        "batch",
        "Job",
        "daily-report-29101380",
        "Normal",
        "Completed",
        "Job completed",
        1,
    );
    s.broken(&p, "healthy.completed");
}
