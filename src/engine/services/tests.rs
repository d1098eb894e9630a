//! The Service causes on hand-made evidence: each case and its healthy twin.

use crate::engine;
use crate::evidence::{
    Container, ContainerPort, ContainerState, ContainerStatus, Endpoint, Endpoints, Evidence, Pod,
    Service, ServicePort, TargetPort,
};
use crate::playbook::Playbooks;

fn pod(
    name: &str,
    labels: &[(&str, &str)],
    ports: &[(i32, Option<&str>, &str)],
    ready: bool,
) -> Pod {
    Pod {
        namespace: "shop".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        phase: "Running".into(),
        restart_policy: "Always".into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        containers: vec![Container {
            name: "app".into(),
            image: "registry.example/app:1.0".into(),
            ports: ports
                .iter()
                .map(|(p, n, proto)| ContainerPort {
                    name: n.map(str::to_string),
                    port: *p,
                    protocol: proto.to_string(),
                })
                .collect(),
            status: Some(ContainerStatus {
                ready,
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

fn service(
    selector: &[(&str, &str)],
    port: i32,
    target: Option<TargetPort>,
    proto: &str,
) -> Service {
    Service {
        namespace: "shop".into(),
        name: "web".into(),
        type_: "ClusterIP".into(),
        selector: Some(
            selector
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        ports: vec![ServicePort {
            name: None,
            port,
            target_port: target,
            protocol: proto.into(),
            node_port: None,
        }],
        ..Service::default()
    }
}

fn evidence(pods: Vec<Pod>, services: Vec<Service>) -> Evidence {
    let mut e = Evidence {
        pods,
        services,
        ..Evidence::default()
    };
    e.pods_listed.add("shop");
    e
}

/// The top cause of each Service, `-` for none.
fn top(e: &Evidence) -> Vec<String> {
    let playbooks = Playbooks::embedded().expect("embedded playbooks load");
    let pods = engine::diagnose(e, &playbooks);
    engine::services::diagnose(e, &playbooks, &pods)
        .iter()
        .map(|s| s.top().map_or("-".to_string(), |f| f.id.clone()))
        .collect()
}

#[test]
fn a_selector_that_matches_no_pod_is_named_with_the_nearest_pod() {
    let e = evidence(
        vec![pod(
            "web-1",
            &[("app", "web-frontnd")],
            &[(8080, None, "TCP")],
            true,
        )],
        vec![service(
            &[("app", "web-frontend")],
            80,
            Some(TargetPort::Number(8080)),
            "TCP",
        )],
    );
    let playbooks = Playbooks::embedded().expect("load");
    let pods = engine::diagnose(&e, &playbooks);
    let s = engine::services::diagnose(&e, &playbooks, &pods);
    let f = s[0].top().expect("a finding");
    assert_eq!(f.id, "service.no-pods");
    assert!(f.explain.contains("`web-1`"), "{}", f.explain);
    assert!(f.explain.contains("app=web-frontnd"), "{}", f.explain);
}

#[test]
fn a_selector_is_not_judged_where_the_namespace_pods_were_not_listed() {
    let mut e = evidence(
        vec![pod("web-1", &[("app", "other")], &[], true)],
        vec![service(&[("app", "web")], 80, None, "TCP")],
    );
    e.pods_listed = Default::default();
    assert_eq!(top(&e), ["-"]);
}

#[test]
fn a_correctly_wired_service_has_no_finding() {
    let e = evidence(
        vec![pod(
            "web-1",
            &[("app", "web")],
            &[(8080, Some("http"), "TCP")],
            true,
        )],
        vec![
            service(&[("app", "web")], 80, Some(TargetPort::Number(8080)), "TCP"),
            service(
                &[("app", "web")],
                80,
                Some(TargetPort::Name("http".into())),
                "TCP",
            ),
        ],
    );
    assert_eq!(top(&e), ["-", "-"]);
}

#[test]
fn a_target_port_the_containers_do_not_declare_is_a_port_mismatch() {
    let e = evidence(
        vec![pod(
            "web-1",
            &[("app", "web")],
            &[(3000, None, "TCP")],
            true,
        )],
        vec![service(
            &[("app", "web")],
            80,
            Some(TargetPort::Number(8080)),
            "TCP",
        )],
    );
    assert_eq!(top(&e), ["service.port-mismatch"]);
    // A named target no container port has.
    let e = evidence(
        vec![pod(
            "web-1",
            &[("app", "web")],
            &[(8080, Some("web"), "TCP")],
            true,
        )],
        vec![service(
            &[("app", "web")],
            80,
            Some(TargetPort::Name("http".into())),
            "TCP",
        )],
    );
    assert_eq!(top(&e), ["service.port-mismatch"]);
    // Containers that declare no port say nothing about the port they serve.
    let e = evidence(
        vec![pod("web-1", &[("app", "web")], &[], true)],
        vec![service(
            &[("app", "web")],
            80,
            Some(TargetPort::Number(8080)),
            "TCP",
        )],
    );
    assert_eq!(top(&e), ["-"]);
}

#[test]
fn a_udp_port_in_front_of_a_tcp_server_is_a_protocol_mismatch() {
    let e = evidence(
        vec![pod("dns-1", &[("app", "web")], &[(53, None, "TCP")], true)],
        vec![service(
            &[("app", "web")],
            53,
            Some(TargetPort::Number(53)),
            "UDP",
        )],
    );
    assert_eq!(top(&e), ["service.protocol-mismatch"]);
}

#[test]
fn a_service_whose_pods_are_not_ready_points_at_them() {
    let mut s = service(&[("app", "web")], 80, Some(TargetPort::Number(8080)), "TCP");
    s.endpoints = Some(Endpoints {
        ready: Vec::new(),
        not_ready: vec![Endpoint {
            address: "10.1.0.7".into(),
            pod: Some("web-1".into()),
            node: None,
        }],
        ports: Vec::new(),
    });
    let e = evidence(
        vec![pod(
            "web-1",
            &[("app", "web")],
            &[(8080, None, "TCP")],
            false,
        )],
        vec![s],
    );
    let playbooks = Playbooks::embedded().expect("load");
    let pods = engine::diagnose(&e, &playbooks);
    let services = engine::services::diagnose(&e, &playbooks, &pods);
    let f = services[0].top().expect("a finding");
    assert_eq!(f.id, "service.no-ready-endpoints");
    assert_eq!(f.severity, crate::playbook::Severity::Info);
    assert!(f.explain.contains("`web-1`"), "{}", f.explain);
}

#[test]
fn a_named_service_port_missing_from_the_endpoint_ports_is_a_port_mismatch() {
    // Container port names unknown (`describe pod` prints none); the endpoints name every
    // port they hold: `metrics` is not among them, `grpc` is.
    let endpoint_port = |name: Option<&str>| crate::evidence::EndpointPort {
        name: name.map(str::to_string),
        port: 9090,
        protocol: "TCP".into(),
    };
    let wired = |ports: Vec<crate::evidence::EndpointPort>, names: [&str; 2]| {
        let mut s = service(&[("app", "ledger")], 9090, None, "TCP");
        s.ports = names
            .iter()
            .zip([9090, 9102])
            .map(|(name, port)| ServicePort {
                name: Some(name.to_string()),
                port,
                target_port: Some(TargetPort::Name(name.to_string())),
                protocol: "TCP".into(),
                node_port: None,
            })
            .collect();
        s.endpoints = Some(Endpoints {
            ready: vec![Endpoint {
                address: "10.1.0.7".into(),
                pod: Some("ledger-1".into()),
                node: None,
            }],
            not_ready: Vec::new(),
            ports,
        });
        let pod = pod(
            "ledger-1",
            &[("app", "ledger")],
            &[(9090, None, "TCP"), (9102, None, "TCP")],
            true,
        );
        top(&evidence(vec![pod], vec![s]))
    };
    assert_eq!(
        wired(vec![endpoint_port(Some("grpc"))], ["grpc", "metrics"]),
        ["service.port-mismatch"]
    );
    // Every named port among the endpoints' ports: wired.
    assert_eq!(
        wired(
            vec![endpoint_port(Some("grpc")), endpoint_port(Some("metrics"))],
            ["grpc", "metrics"]
        ),
        ["-"]
    );
    // Endpoint ports whose names are not shown (a `get endpoints` table) decide nothing.
    assert_eq!(wired(vec![endpoint_port(None)], ["grpc", "metrics"]), ["-"]);
}
