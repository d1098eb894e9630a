//! dns.unavailable and network.kube-proxy-down through the engine: each with the evidence
//! that must not decide it (no DNS or kube-proxy pods, ready ones, a client that logs nothing).

use crate::engine;
use crate::evidence::{Container, ContainerState, ContainerStatus, Evidence, LogExcerpt, Pod};
use crate::playbook::Playbooks;

fn container(name: &str, ready: bool, restarts: i32, previous_log: &str) -> Container {
    Container {
        name: name.into(),
        image: format!("registry.example/{name}:1.0"),
        previous_logs: (!previous_log.is_empty())
            .then(|| Box::new(LogExcerpt::from_text(previous_log, 0))),
        status: Some(ContainerStatus {
            ready,
            started: Some(ready),
            restart_count: restarts,
            state: if ready {
                ContainerState::Running { started_at: None }
            } else {
                ContainerState::Waiting {
                    reason: Some("CrashLoopBackOff".into()),
                    message: None,
                }
            },
            last_state: if restarts > 0 {
                ContainerState::Terminated {
                    reason: Some("Error".into()),
                    message: None,
                    exit_code: 1,
                    signal: None,
                    started_at: None,
                    finished_at: None,
                }
            } else {
                ContainerState::None
            },
        }),
        ..Container::default()
    }
}

fn system(name: &str, app: &str, node: &str, ready: bool) -> Pod {
    Pod {
        namespace: "kube-system".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        phase: "Running".into(),
        restart_policy: "Always".into(),
        node_name: Some(node.into()),
        labels: [("k8s-app".to_string(), app.to_string())].into(),
        containers: vec![container(app, ready, if ready { 0 } else { 5 }, "")],
        ..Pod::default()
    }
}

fn client(log: &str) -> Pod {
    Pod {
        namespace: "shop".into(),
        name: "cart-1".into(),
        uid: "uid-cart-1".into(),
        phase: "Running".into(),
        restart_policy: "Always".into(),
        node_name: Some("w1".into()),
        containers: vec![container("cart", false, 4, log)],
        ..Pod::default()
    }
}

const LOOKUP: &str = "Get \"http://api.shop.svc.cluster.local/v1\": dial tcp: lookup api.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.244.1.9:40001->10.96.0.10:53: i/o timeout\n";
const DIAL: &str = "Get \"http://api.shop.svc.cluster.local/v1\": dial tcp 10.96.5.5:80: connect: connection refused\n";

/// The client's top cause; the system pods ride in `system_pods`.
fn top(client: Pod, system: Vec<Pod>) -> String {
    let e = Evidence {
        pods: vec![client],
        system_pods: system,
        ..Evidence::default()
    };
    let playbooks = Playbooks::embedded().expect("embedded playbooks load");
    let d = engine::diagnose(&e, &playbooks);
    d[0].top().map_or("-".into(), |f| f.id.clone())
}

#[test]
fn dns_down_with_failed_lookups_is_dns_unavailable() {
    let dns = || {
        vec![
            system("coredns-a", "kube-dns", "w1", false),
            system("coredns-b", "kube-dns", "w2", false),
        ]
    };
    assert_eq!(top(client(LOOKUP), dns()), "dns.unavailable");
    // One ready DNS pod: DNS answers; the lookup failure is the dependency's.
    let mut one_ready = dns();
    one_ready[1] = system("coredns-b", "kube-dns", "w2", true);
    assert_ne!(top(client(LOOKUP), one_ready), "dns.unavailable");
    // No DNS pods in the evidence (kube-system not listed): unknown decides nothing.
    assert_ne!(top(client(LOOKUP), vec![]), "dns.unavailable");
    // DNS down, but the client fails otherwise: not this cause.
    assert_ne!(
        top(client("panic: invalid memory address\n"), dns()),
        "dns.unavailable"
    );
}

#[test]
fn kube_proxy_down_on_the_clients_node_is_network_kube_proxy_down() {
    let proxies = |w1_ready: bool| {
        vec![
            system("kube-proxy-a", "kube-proxy", "w1", w1_ready),
            system("kube-proxy-b", "kube-proxy", "w2", true),
        ]
    };
    assert_eq!(top(client(DIAL), proxies(false)), "network.kube-proxy-down");
    assert_ne!(top(client(DIAL), proxies(true)), "network.kube-proxy-down");
    // Down on another node only.
    let elsewhere = vec![
        system("kube-proxy-a", "kube-proxy", "w1", true),
        system("kube-proxy-b", "kube-proxy", "w2", false),
    ];
    assert_ne!(top(client(DIAL), elsewhere), "network.kube-proxy-down");
    // No kube-proxy pods at all (an eBPF data plane): never down.
    assert_ne!(top(client(DIAL), vec![]), "network.kube-proxy-down");
}
