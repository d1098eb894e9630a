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
    let mut e = Evidence {
        pods,
        services: vec![api()],
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
