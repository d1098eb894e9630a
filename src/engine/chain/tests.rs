//! The chain from a client to a broken Service, and what never gets it.

use crate::engine::{self, PodDiagnosis, ServiceDiagnosis};
use crate::evidence::{
    Container, ContainerState, ContainerStatus, Evidence, LogExcerpt, Pod, Service, ServicePort,
};
use crate::playbook::{Playbooks, Severity};

fn client(name: &str, env: &str, log: &str) -> Pod {
    Pod {
        namespace: "shop".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        phase: "Running".into(),
        restart_policy: "Always".into(),
        containers: vec![Container {
            name: "app".into(),
            image: "registry.example/client:1.0".into(),
            env: if env.is_empty() {
                Vec::new()
            } else {
                vec![("API_URL".into(), env.into())]
            },
            logs: Some(Box::new(LogExcerpt::from_text(log, 0))),
            status: Some(ContainerStatus {
                ready: true,
                started: Some(true),
                restart_count: 0,
                state: ContainerState::Running { started_at: None },
                last_state: ContainerState::None,
            }),
            ..Container::default()
        }],
        ..Pod::default()
    }
}

/// A Service `shop/api` whose selector matches no pod.
fn api() -> Service {
    Service {
        namespace: "shop".into(),
        name: "api".into(),
        type_: "ClusterIP".into(),
        selector: Some([("app".to_string(), "api".to_string())].into()),
        ports: vec![ServicePort {
            name: None,
            port: 80,
            target_port: None,
            protocol: "TCP".into(),
            node_port: None,
        }],
        ..Service::default()
    }
}

fn run(pods: Vec<Pod>) -> (Vec<PodDiagnosis>, Vec<ServiceDiagnosis>) {
    run_with(pods, api())
}

fn run_with(pods: Vec<Pod>, service: Service) -> (Vec<PodDiagnosis>, Vec<ServiceDiagnosis>) {
    let mut e = Evidence {
        pods,
        services: vec![service],
        ..Evidence::default()
    };
    e.pods_listed.add("shop");
    e.services_listed.add("shop");
    let playbooks = Playbooks::embedded().expect("embedded playbooks load");
    let mut pods = engine::diagnose(&e, &playbooks);
    let mut services = engine::services::diagnose(&e, &playbooks, &pods);
    engine::chain::apply(&e, &playbooks, &mut pods, &mut services);
    (pods, services)
}

const FAILS: &str = "GET /orders\n\
    Get \"http://api.shop.svc:80/v1\": dial tcp 10.96.7.7:80: connect: connection refused\n\
    retrying in 2s\n\
    Get \"http://api.shop.svc:80/v1\": dial tcp 10.96.7.7:80: connect: connection refused\n";

#[test]
fn a_ready_client_with_repeated_failures_to_a_broken_service_gets_the_chain() {
    let (pods, services) = run(vec![client("web-1", "http://api.shop.svc:80", FAILS)]);
    assert_eq!(
        services[0].top().map(|f| f.id.as_str()),
        Some("service.no-pods")
    );
    let d = &pods[0];
    let f = d.top().expect("the chain");
    assert_eq!(f.id, "service.no-pods");
    assert_eq!(f.severity, Severity::Warning);
    assert!(!d.status.healthy, "the exception: it is reported");
    assert!(
        f.evidence.iter().any(|e| e
            .text
            .starts_with("cannot reach `shop/api`: service.no-pods — ")),
        "{:?}",
        f.evidence
    );
    assert_eq!(services[0].clients, ["shop/web-1"]);
    // The client joins the Service's group: same id, same key.
    assert_eq!(f.group_key, services[0].top().unwrap().group_key);
    // Once.
    assert_eq!(
        d.findings
            .iter()
            .filter(|f| f.id == "service.no-pods")
            .count(),
        1
    );
}

#[test]
fn the_service_is_found_from_the_log_alone() {
    let (pods, services) = run(vec![client("web-1", "", FAILS)]);
    assert_eq!(
        pods[0].top().map(|f| f.id.as_str()),
        Some("service.no-pods")
    );
    assert_eq!(services[0].clients, ["shop/web-1"]);
}

#[test]
fn one_failure_or_ordinary_errors_do_not_make_a_healthy_pod_a_problem() {
    let once =
        "Get \"http://api.shop.svc:80/v1\": dial tcp 10.96.7.7:80: connect: connection refused\n";
    let ordinary = "error: invalid order id 42\nerror: invalid order id 43\n";
    let unrelated = "dial tcp 10.1.2.3:5432: connect: connection refused\n\
        dial tcp 10.1.2.3:5432: connect: connection refused\n";
    let (pods, services) = run(vec![
        client("web-1", "http://api.shop.svc:80", once),
        client("web-2", "http://api.shop.svc:80", ordinary),
        client("web-3", "", unrelated),
    ]);
    for d in &pods {
        assert!(d.status.healthy, "{}: {:?}", d.name, d.top().map(|f| &f.id));
        assert!(d.findings.iter().all(|f| f.severity == Severity::Info));
    }
    // The env names it: a client, though not a failing one.
    assert_eq!(services[0].clients, ["shop/web-1", "shop/web-2"]);
}

#[test]
fn a_healthy_service_gives_no_chain() {
    let mut svc_ok = run(vec![]).1;
    assert!(svc_ok.pop().is_some());
    // The same client, and a Service whose selector matches a pod.
    let mut backend = client("api-1", "", "");
    backend.labels.insert("app".into(), "api".into());
    let (pods, services) = run(vec![
        backend,
        client("web-1", "http://api.shop.svc:80", FAILS),
    ]);
    assert!(services[0].top().is_none());
    assert!(pods.iter().all(|d| d.status.healthy && d.top().is_none()));
}

/// `shop/api` (no pods) with a dual-stack pair of cluster IPs.
fn api_with_ips() -> Service {
    Service {
        cluster_ips: vec!["10.96.140.9".into(), "fd00:10:96::8c09".into()],
        ..api()
    }
}

/// Failure lines that name the Service only by its cluster IP, as Go's net package prints a
/// failed dial (`dial tcp ADDR: connect: ERR`, the address from `JoinHostPort`).
const BY_IP: &str = "dial tcp 10.96.140.9:80: connect: connection refused\n\
    retrying in 2s\n\
    Get \"http://10.96.140.9:80/v1\": dial tcp 10.96.140.9:80: connect: connection refused\n";

#[test]
fn a_client_that_dials_only_the_cluster_ip_gets_the_chain() {
    let (pods, services) = run_with(vec![client("web-1", "", BY_IP)], api_with_ips());
    let d = &pods[0];
    let f = d.top().expect("the chain, from the cluster IP alone");
    assert_eq!(f.id, "service.no-pods");
    assert_eq!(f.severity, Severity::Warning);
    assert!(!d.status.healthy);
    assert!(
        f.evidence
            .iter()
            .any(|e| e.text == "names `shop/api` by its log"),
        "{:?}",
        f.evidence
    );
    assert_eq!(services[0].clients, ["shop/web-1"]);
}

#[test]
fn a_cluster_ip_links_across_namespaces_and_in_ipv6() {
    // Cluster IPs are unique cluster-wide: a client of another namespace that dials the IP
    // reaches the Service; an IPv6 address is written in brackets before its port.
    let mut other = client("job-1", "", BY_IP);
    other.namespace = "ops".into();
    let v6 = "dial tcp [fd00:10:96::8c09]:80: connect: connection refused\n\
        dial tcp [fd00:10:96::8c09]:80: connect: connection refused\n";
    let (pods, services) = run_with(vec![other, client("web-6", "", v6)], api_with_ips());
    for d in &pods {
        assert_eq!(
            d.top().map(|f| f.id.as_str()),
            Some("service.no-pods"),
            "{}",
            d.name
        );
    }
    assert_eq!(services[0].clients, ["ops/job-1", "shop/web-6"]);
}

#[test]
fn an_ip_of_no_service_or_of_a_headless_one_gives_no_chain() {
    // 10.96.140.10 is no Service's IP; an IP without a port is not a dialled address.
    let elsewhere = "dial tcp 10.96.140.10:80: connect: connection refused\n\
        dial tcp 10.96.140.10:80: connect: connection refused\n";
    let bare = "connection refused by 10.96.140.9\nconnection refused by 10.96.140.9\n";
    let (pods, services) = run_with(
        vec![client("web-1", "", elsewhere), client("web-2", "", bare)],
        api_with_ips(),
    );
    assert_eq!(
        services[0].top().map(|f| f.id.as_str()),
        Some("service.no-pods")
    );
    for d in &pods {
        assert!(d.status.healthy && d.top().is_none(), "{}", d.name);
    }
    assert!(services[0].clients.is_empty());
    // A headless Service has no cluster IP: an address its clients dial is a pod's, never
    // the Service's.
    let headless = Service {
        headless: true,
        ..api()
    };
    let (pods, services) = run_with(vec![client("web-3", "", BY_IP)], headless);
    assert!(services[0].top().is_some());
    assert!(pods[0].status.healthy && pods[0].top().is_none());
}

#[test]
fn socket_addresses_are_read_from_their_shapes() {
    use super::socket_address;
    let ip = |s: &str| socket_address(s).map(|a| a.to_string());
    assert_eq!(ip("10.96.0.10:53:").as_deref(), Some("10.96.0.10"));
    assert_eq!(ip("http://10.96.0.10:80/v1").as_deref(), Some("10.96.0.10"));
    assert_eq!(ip("[fd00::a]:443.").as_deref(), Some("fd00::a"));
    assert_eq!(
        ip("postgres://u@10.96.0.5:5432/db").as_deref(),
        Some("10.96.0.5")
    );
    for not in ["10.96.0.10", "fd00::a", "1.2.3", "api:80", "v1.2.3:4", ""] {
        assert_eq!(ip(not), None, "{not}");
    }
}
